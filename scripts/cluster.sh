#!/usr/bin/env bash
# A real one-node Kubernetes on this machine, every binary from a package registry:
# kube-apiserver, kube-controller-manager, kube-scheduler and kubelet built from the
# k8s.io/kubernetes Go module (scripts/cluster/build-kubernetes.sh), etcd, containerd,
# runc and the CNI plugins from Debian, images made locally (scripts/cluster/images.sh).
#
#   scripts/cluster.sh up       build what is missing (cached), start, wait for the node
#   scripts/cluster.sh images   build the hook image from the work tree if it changed, load it
#   scripts/cluster.sh env      print `export KUBECONFIG=...` (and the images' names)
#   scripts/cluster.sh status   what runs
#   scripts/cluster.sh down     stop everything it started, unmount, restore sysctls,
#                               remove the bridge and every directory `up` created
#
# Network: one bridge ($BRIDGE), made here, whose address is the node's; pods get
# addresses on it and no default route, so they reach only the bridge (the API server
# listens on the bridge address, port 443, which is also the `kubernetes` Service IP,
# so no kube-proxy is needed). Nothing listens on any other interface but loopback.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/cluster/common.sh"

S="$CLUSTER_STATE"
PKI="$S/pki"
LOGS="$S/logs"
PIDS="$S/pids"
SOCK="$S/containerd/containerd.sock"
KCFG="$S/admin.kubeconfig"
# What the kubelet and containerd create outside $S; `down` removes those `up` found absent.
HOST_DIRS=(/run/containerd /run/netns /var/run/netns /var/lib/cni /var/log/pods /var/log/containers
           /var/lib/kubelet /etc/kubernetes)
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
         kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward)

log() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

# -- certificates (openssl, EC P-256) ---------------------------------------------
cert() {  # name subject [sans]
    local name="$1" subj="$2" sans="${3:-}"
    [[ -f "$PKI/$name.crt" ]] && return
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key" 2>/dev/null
    local ext="$PKI/$name.ext"
    { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
      if [[ -n "$sans" ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"
      else echo "extendedKeyUsage=clientAuth"; fi; } >"$ext"
    openssl req -new -key "$PKI/$name.key" -subj "$subj" 2>/dev/null |
        openssl x509 -req -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 365 \
            -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
    rm -f "$ext"
}

make_pki() {
    mkdir -p "$PKI" && chmod 700 "$PKI"
    if [[ ! -f "$PKI/ca.crt" ]]; then
        openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/ca.key" 2>/dev/null
        openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=binderhub-registry-hook-cluster-ca" \
            -days 365 -out "$PKI/ca.crt" 2>/dev/null
    fi
    local svc="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    cert apiserver "/CN=kube-apiserver" "IP:$NODE_IP,IP:127.0.0.1,DNS:localhost,$svc"
    cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
    cert admin "/O=system:masters/CN=kubernetes-admin"
    cert controller-manager "/CN=system:kube-controller-manager"
    cert scheduler "/CN=system:kube-scheduler"
    cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "IP:$NODE_IP,DNS:$NODE_NAME"
    [[ -f "$PKI/sa.key" ]] || openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/sa.key" 2>/dev/null
    [[ -f "$PKI/sa.pub" ]] || openssl ec -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
    for who in admin controller-manager scheduler kubelet; do
        cat >"$S/$who.kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://$NODE_IP:443", certificate-authority: "$PKI/ca.crt"}
users:
- name: $who
  user: {client-certificate: "$PKI/$who.crt", client-key: "$PKI/$who.key"}
contexts:
- name: local
  context: {cluster: local, user: $who}
current-context: local
KCFG
    done
}

# -- processes ----------------------------------------------------------------------
start() {  # name command...
    local name="$1"; shift
    # fd 7 (our lock) and 8 (scripts/test.sh's) are closed: a daemon must hold neither.
    setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 7>&- 8>&- &
    echo $! >"$PIDS/$name.pid"
}

alive() { [[ -f "$PIDS/$1.pid" ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

wait_for() {  # what seconds command...
    local what="$1" secs="$2"; shift 2
    local deadline=$(( $(date +%s) + secs ))
    until "$@" >/dev/null 2>&1; do
        if (( $(date +%s) > deadline )); then
            log "$what: not ready after ${secs}s; last log lines:"
            tail -n 20 "$LOGS/$what.log" >&2 2>/dev/null || true
            return 1
        fi
        sleep 0.5
    done
}

stop_pid() {  # name
    local f="$PIDS/$1.pid" pid
    [[ -f "$f" ]] || return 0
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
}

kubectl_() { "$KUBECTL" --kubeconfig "$KCFG" "$@"; }

find_kubectl() {
    KUBECTL="$KUBE_BIN/kubectl"
    [[ -x "$KUBECTL" ]] || KUBECTL="$(cd "$here/.." && pwd)/.tools/kubectl"
    [[ -x "$KUBECTL" ]] || KUBECTL=$(command -v kubectl || true)
    [[ -x "$KUBECTL" ]] || die "no kubectl: run scripts/setup.sh (it unpacks one into .tools/)"
}

# -- up -------------------------------------------------------------------------------
write_configs() {
    mkdir -p "$S/containerd" "$S/cni/net.d" "$S/cni/networks" "$S/cni/cache" "$S/kubelet"
    cat >"$S/containerd/config.toml" <<TOML
version = 2
root = "$S/containerd/root"
state = "$S/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                    "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                    "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$S/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below the
  # current value, which the kubelet asks for the sandbox.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$S/cni/net.d"
    max_conf_num = 1
TOML
    # Pods: addresses on the bridge, no default route (they reach the bridge and nothing else).
    cat >"$S/cni/net.d/10-bhrh.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "bhrh",
  "plugins": [{
    "type": "bridge", "bridge": "$BRIDGE", "isGateway": false, "ipMasq": false, "hairpinMode": true,
    "ipam": {"type": "host-local", "dataDir": "$S/cni/networks",
             "ranges": [[{"subnet": "$BRIDGE_CIDR", "rangeStart": "$POD_RANGE_START",
                          "rangeEnd": "$POD_RANGE_END"}]]}
  }]
}
JSON
    # Audit: every request of a ServiceAccount (the hook's among them), for the RBAC test.
    cat >"$S/audit-policy.yaml" <<YAML
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
YAML
    cat >"$S/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$SOCK
cgroupDriver: cgroupfs
# This machine has cgroup v1 (hybrid); kubelet >= 1.35 refuses it unless told.
failCgroupV1: false
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
tlsCertFile: "$PKI/kubelet.crt"
tlsPrivateKeyFile: "$PKI/kubelet.key"
resolvConf: /etc/resolv.conf
# Local images cannot be pulled again: never collect them, never evict for disk.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
serializeImagePulls: false
registerNode: true
YAML
}

note_host_state() {
    [[ -f "$S/host-dirs.created" ]] && return
    : >"$S/host-dirs.created"
    for d in "${HOST_DIRS[@]}"; do [[ -e "$d" ]] || echo "$d" >>"$S/host-dirs.created"; done
    : >"$S/sysctl.saved"
    for k in "${SYSCTLS[@]}"; do
        v=$(sysctl -n "$k" 2>/dev/null) && echo "$k=$v" >>"$S/sysctl.saved"
    done
}

bridge_up() {
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
        ip link add "$BRIDGE" type bridge
        echo yes >"$S/bridge.created"
    fi
    ip addr replace "$NODE_IP/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
}

up() {
    local t0=$(date +%s)
    need_apt containerd runc containernetworking-plugins etcd-server buildah iptables
    "$here/cluster/build-kubernetes.sh" "$KUBE_VERSION" >&2
    "$here/cluster/images.sh" pause
    find_kubectl
    mkdir -p "$S" "$LOGS" "$PIDS"
    if alive kube-apiserver && alive kubelet; then
        log "already up ($KCFG)"; return 0
    fi
    note_host_state
    make_pki
    write_configs
    bridge_up

    # etcd keeps its data in memory (a tmpfs): nothing here needs it to survive `down`.
    mkdir -p "$S/etcd"
    mountpoint -q "$S/etcd" || mount -t tmpfs -o size=1g,mode=0700 tmpfs "$S/etcd"
    alive etcd || start etcd etcd --name bhrh --data-dir "$S/etcd/data" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
        --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
        --initial-cluster "bhrh=http://127.0.0.1:$((ETCD_PORT + 1))" \
        --listen-metrics-urls "" --log-level warn
    alive containerd || start containerd containerd --config "$S/containerd/config.toml"

    wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
    alive kube-apiserver || start kube-apiserver "$KUBE_BIN/kube-apiserver" \
        --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
        --bind-address "$NODE_IP" --secure-port 443 --advertise-address "$NODE_IP" \
        --service-cluster-ip-range "$SERVICE_CIDR" \
        --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
        --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
        --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
        --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
        --kubelet-preferred-address-types InternalIP \
        --audit-policy-file "$S/audit-policy.yaml" --audit-log-path "$LOGS/audit.log" \
        --audit-log-maxsize 200 --audit-log-maxbackup 1 \
        --allow-privileged=true --profiling=false --v=1
    wait_for kube-apiserver 90 kubectl_ get --raw /readyz
    local_images_only

    alive kube-controller-manager || start kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
        --kubeconfig "$S/controller-manager.kubeconfig" \
        --authentication-kubeconfig "$S/controller-manager.kubeconfig" \
        --authorization-kubeconfig "$S/controller-manager.kubeconfig" \
        --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
        --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
        --use-service-account-credentials=true --leader-elect=false \
        --bind-address 127.0.0.1 --secure-port 10257 --profiling=false --v=1
    alive kube-scheduler || start kube-scheduler "$KUBE_BIN/kube-scheduler" \
        --kubeconfig "$S/scheduler.kubeconfig" \
        --authentication-kubeconfig "$S/scheduler.kubeconfig" \
        --authorization-kubeconfig "$S/scheduler.kubeconfig" \
        --leader-elect=false --bind-address 127.0.0.1 --secure-port 10259 --profiling=false --v=1

    wait_for containerd 30 ctr --address "$SOCK" version
    "$here/cluster/images.sh" load >"$S/images.env"
    alive kubelet || start kubelet "$KUBE_BIN/kubelet" \
        --config "$S/kubelet/config.yaml" --kubeconfig "$S/kubelet.kubeconfig" \
        --root-dir "$S/kubelet/root" --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
    wait_for kubelet 120 node_ready
    log "up in $(( $(date +%s) - t0 )) s: export KUBECONFIG=$KCFG"
}

# No image registry is reachable from here, and no pull may be attempted: pods may run only
# images made on this machine (the hook's, BinderHub's stand-in, anything under localhost/).
local_images_only() {
    local re='^(docker[.]io/library/binderhub-[a-z-]+:local-[0-9a-f]+|localhost/.+)$'
    kubectl_ apply -f - >/dev/null <<YAML
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: local-images-only
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [pods]
  validations:
    - expression: >-
        object.spec.containers.all(c, c.image.matches('$re')) &&
        object.spec.?initContainers.orValue([]).all(c, c.image.matches('$re')) &&
        object.spec.?ephemeralContainers.orValue([]).all(c, c.image.matches('$re'))
      message: this cluster runs only images made on this machine (scripts/cluster/images.sh); no image registry is reachable
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: local-images-only
spec:
  policyName: local-images-only
  validationActions: [Deny]
YAML
}

node_ready() {
    [[ "$(kubectl_ get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]] &&
        kubectl_ -n default get serviceaccount default
}

# -- down -----------------------------------------------------------------------------
down() {
    [[ -d "$S" ]] || { log "not up"; return 0; }
    find_kubectl 2>/dev/null || true
    stop_pid kubelet
    # Every container and sandbox of ours, through our containerd; then their shims exit.
    if alive containerd; then
        local c=(ctr --address "$SOCK" -n k8s.io)
        for t in $("${c[@]}" tasks ls -q 2>/dev/null); do "${c[@]}" tasks kill -s KILL "$t" >/dev/null 2>&1 || true; done
        sleep 1
        for t in $("${c[@]}" tasks ls -q 2>/dev/null); do "${c[@]}" tasks delete -f "$t" >/dev/null 2>&1 || true; done
        for t in $("${c[@]}" containers ls -q 2>/dev/null); do "${c[@]}" containers delete "$t" >/dev/null 2>&1 || true; done
    fi
    for name in kube-scheduler kube-controller-manager kube-apiserver containerd etcd; do stop_pid "$name"; done
    # Shims of our containerd that outlived it (matched by our own socket path, killed by pid).
    for pid in $(ps -eo pid=,args= | awk -v s="$SOCK" 'index($0, "-address " s) {print $1}'); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    # Unmount everything mounted under our state, the kubelet's and containerd's dirs, and
    # the pods' network namespaces; deepest first.
    local mounts
    mounts=$(awk '{print $5}' /proc/self/mountinfo | grep -E "^($S|/run/containerd|/run/netns|/var/run/netns|/var/lib/kubelet)(/|$)" | sort -r || true)
    for m in $mounts; do umount -l "$m" 2>/dev/null || true; done
    for ns in /run/netns/cni-*; do [[ -e "$ns" ]] && rm -f "$ns"; done
    # Pod cgroups the kubelet made (cgroupfs driver), leaves first.
    for root in /sys/fs/cgroup/*/; do
        [[ -d "$root/kubepods" ]] && find "$root/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
    if [[ -f "$S/bridge.created" ]] && ip link show "$BRIDGE" >/dev/null 2>&1; then
        ip link delete "$BRIDGE"
    fi
    if [[ -f "$S/sysctl.saved" ]]; then
        while IFS== read -r k v; do
            [[ "$(sysctl -n "$k" 2>/dev/null)" == "$v" ]] || sysctl -qw "$k=$v" >/dev/null 2>&1 || true
        done <"$S/sysctl.saved"
    fi
    if [[ -f "$S/host-dirs.created" ]]; then
        while read -r d; do [[ -n "$d" && ! -L "$d" ]] && rm -rf "$d"; done <"$S/host-dirs.created"
    fi
    "$here/cluster/images.sh" cleanup
    rm -rf "$S"
    log "down"
}

status() {
    for name in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet; do
        if alive "$name"; then
            printf '%-24s pid %-7s rss %s MiB\n' "$name" "$(cat "$PIDS/$name.pid")" \
                $(( $(ps -o rss= -p "$(cat "$PIDS/$name.pid")") / 1024 ))
        else
            printf '%-24s not running\n' "$name"
        fi
    done
}

# One `up` or `down` at a time on this machine (another work tree's test run may be at it).
lock() {
    mkdir -p "$(dirname "$S")"
    exec 7>"$S.lock"
    flock 7
}

case "${1:-}" in
    up) lock; up ;;
    down) lock; down ;;
    images) mkdir -p "$S"; "$here/cluster/images.sh" load | tee "$S/images.env" ;;
    env) [[ -f "$KCFG" ]] && alive kube-apiserver || die "not up"
         echo "export KUBECONFIG=$KCFG"; echo "export CLUSTER_NODE_IP=$NODE_IP"
         echo "export CLUSTER_AUDIT_LOG=$LOGS/audit.log"
         sed 's/^/export /' "$S/images.env" 2>/dev/null || true ;;
    status) status ;;
    *) echo "usage: $0 up|down|images|env|status" >&2; exit 2 ;;
esac
