#!/usr/bin/env bash
# Run the whole test suite (sets up first; idempotent).  Extra arguments go to pytest.
#
# The real-cluster tests (tests/cluster/) need the local one-node Kubernetes: this script
# starts it (scripts/cluster.sh up: the first run on a machine builds Kubernetes and the
# images, ~25-45 min; later runs ~1 min) and stops it when the tests end, unless it was
# already up (see the lock below). CLUSTER=0 skips the cluster and its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Supply chain: tests/test_image.py installs requirements/image.lock into a fresh venv with
# --require-hashes and runs the entrypoint from it (~40 s from pip's cache). RUN_SLOW=0 skips it.
export RUN_SLOW="${RUN_SLOW:-1}"
# Lint and types first (seconds): the package has zero findings and keeps them at zero.
.venv/bin/ruff check binderhub_registry_hook
.venv/bin/ruff format --check binderhub_registry_hook
.venv/bin/mypy
if [[ "${CLUSTER:-1}" != 0 ]]; then
    # Several work trees may test at once on one machine and share the one cluster: each
    # run holds a shared lock while it uses it; the last run out stops a cluster that a
    # test run started (one started by hand stays up).
    state="${CLUSTER_STATE:-/var/lib/binderhub-registry-hook/cluster}"
    mkdir -p "$(dirname "$state")"
    exec 8>"$state.users"
    flock -s 8
    release_cluster() {
        flock -u 8
        if flock -n -x 8 && [[ -f "$state.started-by-test" ]]; then
            bash scripts/cluster.sh down 8>&- && rm -f "$state.started-by-test"
        fi
    }
    trap release_cluster EXIT
    if ! bash scripts/cluster.sh env >/dev/null 2>&1; then
        bash scripts/cluster.sh up 8>&-
        touch "$state.started-by-test"
    fi
    export BINDERHUB_REGISTRY_HOOK_CLUSTER=required
    # tests/test_cluster_e2e.py runs the CLI from here against the same API server.
    kubeconfig=$(bash scripts/cluster.sh env | sed -n 's/^export KUBECONFIG=//p')
    export BINDERHUB_REGISTRY_HOOK_E2E_KUBECONFIG="${BINDERHUB_REGISTRY_HOOK_E2E_KUBECONFIG:-$kubeconfig}"
fi
.venv/bin/python -m pytest "$@"
