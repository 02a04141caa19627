# Shared settings of scripts/cluster/*.sh (sourced). Everything the cluster builds or
# caches lives outside the clone; everything it runs lives under $CLUSTER_STATE.
CLUSTER_CACHE="${CLUSTER_CACHE:-/var/cache/binderhub-registry-hook}"
CLUSTER_STATE="${CLUSTER_STATE:-/var/lib/binderhub-registry-hook/cluster}"
KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
KUBE_BIN="$CLUSTER_CACHE/kubernetes-$KUBE_VERSION/bin"
BASE_IMAGE="${BASE_IMAGE:-localhost/binderhub-registry-hook-base:bookworm-python3.11}"
PAUSE_IMAGE="localhost/binderhub-registry-hook/pause:local"
# One bridge, made by `cluster.sh up`: the node's address is its gateway; the API
# server listens there on 443, and the first address of the service range is the same
# address, so pods reach `kubernetes.default` without kube-proxy.
BRIDGE="${CLUSTER_BRIDGE:-bhrh0}"
NODE_IP="${CLUSTER_NODE_IP:-10.213.0.1}"
BRIDGE_CIDR="${NODE_IP%.*}.0/24"
SERVICE_CIDR="${NODE_IP%.*}.0/28"
POD_RANGE_START="${NODE_IP%.*}.64"
POD_RANGE_END="${NODE_IP%.*}.250"
NODE_NAME="bhrh-node"
ETCD_PORT=23791

export CLUSTER_CACHE CLUSTER_STATE KUBE_VERSION

# buildah with its own store in the cache (images survive `down`; nothing else uses it).
bah() {
    buildah --root "$CLUSTER_CACHE/buildah/storage" --runroot "$CLUSTER_CACHE/buildah/run" \
        --storage-driver "${BUILDAH_DRIVER:-overlay}" "$@"
}

need_apt() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if (( ${#missing[@]} )); then
        echo "cluster: installing ${missing[*]} from Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}
