#!/usr/bin/env bash
# Make the local stand-in for python:3.11-slim-bookworm: a Debian bookworm root file
# system with Debian's python3.11 (mmdebstrap, from Debian's packages only), as an
# image in buildah's store under $BASE_IMAGE. Cached: the rootfs tarball is made once
# per recipe, the image imported once per store.
#
# How it differs from python:3.11-slim-bookworm: Python is Debian's 3.11.2 in /usr/bin
# (not python.org's 3.11.x in /usr/local), the standard library comes with its .pyc
# files, `python` comes from python-is-python3, and there is no pip outside a venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/common.sh"

recipe="essential+passwd,ca-certificates,python3.11-venv,python-is-python3"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
tarball="$CLUSTER_CACHE/base/bookworm-python3.11-$key.tar"

if [[ ! -f "$tarball" ]]; then
    need_apt mmdebstrap
    mkdir -p "$CLUSTER_CACHE/base"
    echo "base-image: mmdebstrap bookworm with python3.11 (a few minutes, once)"
    start=$(date +%s)
    mmdebstrap --variant=essential \
        --include=passwd,ca-certificates,python3.11-venv,python-is-python3 \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --aptopt='Acquire::Languages "none"' \
        --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
        --format=tar bookworm "$tarball.tmp" >"$CLUSTER_CACHE/base/mmdebstrap.log" 2>&1 \
        || { tail -n 30 "$CLUSTER_CACHE/base/mmdebstrap.log" >&2; exit 1; }
    mv "$tarball.tmp" "$tarball"
    echo "base-image: rootfs in $(( $(date +%s) - start )) s, $(du -m "$tarball" | cut -f1) MiB"
fi

if ! bah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
    need_apt buildah
    ctr=$(bah from --pull-never scratch)
    bah add "$ctr" "$tarball" / >/dev/null
    bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env LANG=C.UTF-8 --cmd '["python3"]' \
        --label org.opencontainers.image.description="local stand-in for python:3.11-slim-bookworm ($recipe)" \
        "$ctr"
    bah commit --rm -q "$ctr" "$BASE_IMAGE" >/dev/null
    echo "base-image: $BASE_IMAGE"
fi
