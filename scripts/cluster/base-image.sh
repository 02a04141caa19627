#!/usr/bin/env bash
# Make the local stand-in for python:3.11-slim-bookworm: a Debian bookworm root file
# system with Debian's python3.11 (mmdebstrap, from Debian's packages only), as an
# image in buildah's store under $BASE_IMAGE. Cached: the rootfs tarball is made once
# per recipe, the image imported once per store.
#
# What python:3.11-slim-bookworm is made of, and so this: debian:bookworm-slim's package
# set (minbase: the Essential packages and apt; merged /usr by symlinks with usr-is-merged,
# as debootstrap makes it, not the usrmerge package, which pulls in the whole of perl,
# ~48 MiB), then ca-certificates, netbase and tzdata, then Python with its standard library's
# test directories and every .pyc deleted (python:3.11-slim deletes them, so the image's
# Dockerfile compiles what the hook imports).
# How it differs: Python is Debian's 3.11.2 in /usr/bin (not python.org's 3.11.x in
# /usr/local, with pip, setuptools and wheel installed), `python` comes from
# python-is-python3, and there is no pip outside a venv.
#
# Prints the image's name on stdout: $BASE_IMAGE tagged with the recipe's hash (this file's),
# so work trees on other recipes keep their own base in the shared store.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/common.sh"

packages="passwd,ca-certificates,netbase,tzdata,python3.11-venv,python-is-python3"
recipe="minbase, merged /usr, $packages; no .pyc or tests in the standard library"
key=$(sha256sum "$here/base-image.sh" | cut -c1-12)
tarball="$CLUSTER_CACHE/base/bookworm-python3.11-$key.tar"
name="$BASE_IMAGE-$key"

if [[ ! -f "$tarball" ]]; then
    need_apt mmdebstrap
    mkdir -p "$CLUSTER_CACHE/base"
    echo "base-image: mmdebstrap bookworm with python3.11 (a few minutes, once)" >&2
    start=$(date +%s)
    mmdebstrap --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --include="$packages" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --aptopt='Acquire::Languages "none"' \
        --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
        --customize-hook='find "$1"/usr/lib/python3* -depth \( \( -type d \( -name test -o -name tests -o -name idle_test \) \) -o \( -type f -name "*.py[co]" \) \) -exec rm -rf {} +' \
        --customize-hook='find "$1"/usr/lib/python3* -depth -type d -name __pycache__ -empty -delete' \
        --format=tar bookworm "$tarball.tmp" >"$CLUSTER_CACHE/base/mmdebstrap.log" 2>&1 \
        || { tail -n 30 "$CLUSTER_CACHE/base/mmdebstrap.log" >&2; exit 1; }
    mv "$tarball.tmp" "$tarball"
    echo "base-image: rootfs in $(( $(date +%s) - start )) s, $(du -m "$tarball" | cut -f1) MiB" >&2
fi

if ! bah inspect --type image "$name" >/dev/null 2>&1; then
    need_apt buildah
    ctr=$(bah from --pull-never scratch)
    bah add "$ctr" "$tarball" / >/dev/null
    bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env LANG=C.UTF-8 --cmd '["python3"]' \
        --label org.opencontainers.image.description="local stand-in for python:3.11-slim-bookworm ($recipe)" \
        "$ctr"
    bah commit --rm -q "$ctr" "$name" >/dev/null
    echo "base-image: $name" >&2
fi
echo "$name"
