#!/usr/bin/env bash
# Images for the local cluster, made without an image registry:
#   pause     a static C binary (gcc -static) in an image of its own
#   hook      the project's Dockerfile, built by buildah on the local base (base-image.sh)
#   binder    a stand-in for BinderHub's pod (tests/cluster/binder_standin.py) on the hook image
# Each is built only when its inputs changed (tags carry a content hash), exported as a
# docker archive and imported into the cluster's containerd (`k8s.io` namespace) if it is
# not there yet. Prints shell assignments (HOOK_IMAGE=..., BINDER_IMAGE=...) on stdout.
#
#   scripts/cluster/images.sh pause     (no containerd needed: only builds)
#   scripts/cluster/images.sh build     (build what changed, in buildah's store only)
#   scripts/cluster/images.sh load      (build what changed, import into containerd)
#   scripts/cluster/images.sh sizes     (build what changed; the hook image's size per layer
#                                        and its venv's biggest packages, as Markdown)
# A build of the hook image prints its uncompressed size per layer (scripts/cluster/image-sizes.py
# over the exported archive) and keeps the table next to the archive (*.sizes.md).
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
. "$here/common.sh"
archives="$CLUSTER_CACHE/images"
mkdir -p "$archives"
# One run at a time on the shared store: cleanup() below removes every working container,
# which would be another work tree's build in progress.
exec 9>"$CLUSTER_CACHE/images.lock"
flock 9

log() { echo "images: $*" >&2; }

# The archive of the pause image, built once per pause.c.
pause_archive() {
    local key out
    key=$(sha256sum "$here/pause.c" | cut -c1-12)
    out="$archives/pause-$key.tar"
    if [[ ! -f "$out" ]]; then
        need_apt buildah libc6-dev >&2
        local work ctr
        work=$(mktemp -d)
        gcc -static -Os -s -o "$work/pause" "$here/pause.c"
        ctr=$(bah from --pull-never scratch)
        bah copy --chmod 0755 "$ctr" "$work/pause" /pause >/dev/null
        bah config --entrypoint '["/pause"]' --user 65535:65535 "$ctr"
        bah commit --rm -q "$ctr" "$PAUSE_IMAGE" >/dev/null
        bah push -q "$PAUSE_IMAGE" "docker-archive:$out.tmp:$PAUSE_IMAGE" >&2
        mv "$out.tmp" "$out"
        rm -rf "$work"
        log "pause image $PAUSE_IMAGE"
    fi
    echo "$out"
}

# The hook image from the Dockerfile: tag = hash of the base's name and everything the
# Dockerfile copies or mounts.
hook_image() {
    local key name base
    base=$("$here/base-image.sh")
    key=$(cd "$repo" && { echo "$base"; sha256sum Dockerfile pyproject.toml README.md requirements/image.lock;
        find binderhub_registry_hook scripts/image -type f ! -name '*.pyc' | LC_ALL=C sort | xargs sha256sum; } \
        | sha256sum | cut -c1-12)
    name="docker.io/library/binderhub-registry-hook:local-$key"
    if ! bah inspect --type image "$name" >/dev/null 2>&1; then
        log "building $name from the Dockerfile (BASE=$base)"
        local start=$(date +%s) secret=()
        # pip in the build trusts what pip trusts here (a TLS-intercepting proxy's CA, say):
        # $PIP_CA, else pip's own setting, else the system bundle, as the Dockerfile's secret.
        local ca="${PIP_CA:-${PIP_CERT:-$(pip3 config get global.cert 2>/dev/null || true)}}"
        [[ -z "$ca" && -f /etc/ssl/certs/ca-certificates.crt ]] && ca=/etc/ssl/certs/ca-certificates.crt
        [[ -n "$ca" ]] && secret=(--secret "id=pip-ca,src=$ca")
        (cd "$repo" && bah bud -q --layers --pull-never --isolation chroot \
            --build-arg "BASE=$base" ${PIP_INDEX_URL:+--build-arg "PIP_INDEX_URL=$PIP_INDEX_URL"} \
            "${secret[@]}" -t "$name" -f Dockerfile . >&2)
        log "built in $(( $(date +%s) - start )) s"
        sizes "$name" >&2
    fi
    echo "$name"
}

# The image's uncompressed size per layer, from its docker archive (exported once).
sizes() {
    local name="$1" archive
    archive=$(archive_of "$name")
    python3 "$here/image-sizes.py" "$archive" --top "${2:-0}" | tee "${archive%.tar}.sizes.md"
}

# BinderHub's stand-in: the hook image (Python, ruamel.yaml) with the stand-in as entrypoint.
binder_image() {
    local hook="$1" key name ctr
    key=$( { echo "$hook"; sha256sum "$repo/tests/cluster/binder_standin.py"; } | sha256sum | cut -c1-12)
    name="docker.io/library/binderhub-standin:local-$key"
    if ! bah inspect --type image "$name" >/dev/null 2>&1; then
        ctr=$(bah from --pull-never "$hook")
        bah copy --chmod 0644 "$ctr" "$repo/tests/cluster/binder_standin.py" /opt/binder_standin.py >/dev/null
        bah config --entrypoint '["python", "/opt/binder_standin.py"]' --cmd '[]' "$ctr"
        bah commit --rm -q "$ctr" "$name" >/dev/null
        log "binder stand-in $name"
    fi
    echo "$name"
}

archive_of() {  # image name -> docker archive path (exported once)
    local name="$1" out
    out="$archives/$(echo "$name" | tr '/:' '__').tar"
    if [[ ! -f "$out" ]]; then
        bah push -q "$name" "docker-archive:$out.tmp:$name" >&2
        mv "$out.tmp" "$out"
    fi
    echo "$out"
}

ctr_() { ctr --address "$CLUSTER_STATE/containerd/containerd.sock" -n k8s.io "$@"; }

import() {  # name archive
    if ! ctr_ images ls -q | grep -qxF "$1"; then
        ctr_ images import --no-unpack=false "$2" >/dev/null
        log "imported $1 into containerd"
    fi
}

# Builds of older work trees: their archives and tags leave the cache after an hour (the
# containerd of a running cluster keeps what it imported: another work tree may use it),
# then their tags leave buildah's store (the build steps' layer cache stays).
prune() {
    local keep=("$@") name
    find "$archives" -name 'docker.io_library_binderhub-*.tar' -mmin +60 -delete
    for name in $(bah images --format '{{.Name}}:{{.Tag}}' | grep -E '/(binderhub-registry-hook|binderhub-standin):local-'); do
        printf '%s\n' "${keep[@]}" | grep -qxF "$name" && continue
        ls "$archives/$(echo "$name" | tr '/:' '__').tar" >/dev/null 2>&1 || bah rmi "$name" >/dev/null 2>&1 || true
    done
}

# buildah's leftovers in its private store: working containers (a failed build leaves
# one, mounted) and the overlay driver's own bind mount of its directory.
cleanup() {
    [[ -d "$CLUSTER_CACHE/buildah/storage" ]] || return 0
    bah rm --all >/dev/null 2>&1 || true
    bah umount --all >/dev/null 2>&1 || true
    local m
    for m in $(awk '{print $5}' /proc/self/mountinfo | grep "^$CLUSTER_CACHE/buildah/" | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
}
trap cleanup EXIT

case "${1:-}" in
    pause)
        pause_archive >/dev/null ;;
    build)
        hook=$(hook_image)
        echo "HOOK_IMAGE=$hook"
        echo "BINDER_IMAGE=$(binder_image "$hook")" ;;
    load)
        import "$PAUSE_IMAGE" "$(pause_archive)"
        hook=$(hook_image)
        binder=$(binder_image "$hook")
        import "$hook" "$(archive_of "$hook")"
        import "$binder" "$(archive_of "$binder")"
        prune "$hook" "$binder"
        echo "HOOK_IMAGE=$hook"
        echo "BINDER_IMAGE=$binder" ;;
    sizes)
        sizes "$(hook_image)" 12 ;;
    cleanup) ;;
    *)
        echo "usage: $0 pause|build|load|sizes|cleanup" >&2; exit 2 ;;
esac
