# The hook's image: the `binderhub-registry-hook` CLI and every provider's SDK,
# installed from requirements/image.lock (pinned, hashed), run as a non-root user.
# The chart runs it with a read-only root filesystem and a writable /tmp.
# What the venv leaves out, and why: scripts/image/prune.py; what proves the rest still works:
# scripts/image/check.py, run in the final stage. tests/test_image.py installs the same lock
# into a fresh venv, prunes it with the same script, runs the same check, then each cloud
# provider's real calls against local stand-ins.
#
# Build arguments (README, "The image"):
#   BASE           the Python 3.11 base (default python:3.11-slim-bookworm); scripts/cluster
#                  builds with a local Debian bookworm base, as no image registry is reachable
#   PIP_INDEX_URL  a private index or mirror for pip (hashes are still enforced)
# The build stage also installs binutils with apt, from the base's own Debian sources.
# Secret (BuildKit `--secret id=pip-ca,src=ca.pem`, buildah `--secret id=pip-ca,src=...`):
#   pip-ca         a CA bundle for pip, e.g. behind a TLS-intercepting proxy; never stored
#                  in a layer. HTTPS_PROXY/HTTP_PROXY/NO_PROXY pass as the usual build args.
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build
ARG PIP_INDEX_URL=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# binutils, in this stage only: scripts/image/prune.py strips the wheels' compiled modules.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/hook
COPY requirements/image.lock /tmp/image.lock
RUN --mount=type=secret,id=pip-ca \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi; \
    if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi; \
    /opt/hook/bin/pip install --require-hashes --no-deps -r /tmp/image.lock
COPY pyproject.toml README.md /src/
COPY binderhub_registry_hook /src/binderhub_registry_hook
COPY scripts/image/prune.py /src/prune.py
# Dependencies came from the lock; install only the project itself. Then drop what the hook
# never imports and strip the compiled modules (scripts/image/prune.py: the list, with a
# reason for each), and compile the bytecode once (hash-checked .pyc, valid whatever the
# files' times), so a read-only root filesystem never recompiles.
RUN /opt/hook/bin/pip install --no-deps --no-build-isolation /src \
 && /opt/hook/bin/python /src/prune.py /opt/hook \
 && find /opt/hook/lib -name __pycache__ -prune -exec rm -rf {} + \
 && /opt/hook/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/hook/lib

FROM ${BASE}
COPY --from=build /opt/hook /opt/hook
# HOME is /tmp through the user's passwd entry (runc sets HOME from it); the chart sets
# it for any runAsUser. PYTHONDONTWRITEBYTECODE: the bytecode is already compiled.
ENV PATH=/opt/hook/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# 10001 is the chart's job.runAsUser default. Then the image's check in this final file
# system (scripts/image/check.py, mounted, not copied): every provider's and the Kubernetes
# sink's imports, the AWS clients, validate and apply against closed ports, every command's
# --help, or the build fails; it compiles the bytecode of the standard-library modules the
# hook imports where the base ships none (python:3.11-slim does not).
RUN --mount=type=bind,source=scripts/image,target=/run/image-check \
    useradd --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin hook \
 && python /run/image-check/check.py --compile
USER 10001:10001
ENTRYPOINT ["binderhub-registry-hook"]
CMD ["--help"]
