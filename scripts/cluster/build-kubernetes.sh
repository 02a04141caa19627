#!/usr/bin/env bash
# Build kube-apiserver, kube-controller-manager, kube-scheduler and kubelet from the
# k8s.io/kubernetes Go module, fetched through the Go module proxy only.
#
#   scripts/cluster/build-kubernetes.sh [VERSION]      (default: $KUBE_VERSION or v1.37.2)
#
# Output: $CLUSTER_CACHE/kubernetes-VERSION/bin/{kube-apiserver,...}; a finished build
# leaves bin/.complete and is never redone. `go install …@version` refuses a module with
# replace directives, so a scratch module requires k8s.io/kubernetes and replaces each
# staging module (k8s.io/api, k8s.io/apiserver, …) with its v0.MINOR.PATCH release.
# If the module lacks pkg/generated/openapi/zz_generated.openapi.go (it is generated at
# build time upstream), a writable copy of the module is made and the file generated with
# k8s.io/kube-openapi's openapi-gen (generate_openapi below). CHECK_OPENAPI=1 regenerates
# it for a version whose module ships it and compares (v1.37.2: identical).
set -euo pipefail

VERSION="${1:-${KUBE_VERSION:-v1.37.2}}"
CACHE="${CLUSTER_CACHE:-/var/cache/binderhub-registry-hook}"
ROOT="$CACHE/kubernetes-$VERSION"
BIN="$ROOT/bin"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet)

if [[ -f "$BIN/.complete" && -z "${CHECK_OPENAPI:-}" ]]; then
    echo "kubernetes $VERSION: cached in $BIN"
    exit 0
fi
# One build at a time per version; a second caller waits, then finds it cached.
mkdir -p "$ROOT"
exec 9>"$ROOT/.lock"
flock 9
[[ -f "$BIN/.complete" && -z "${CHECK_OPENAPI:-}" ]] && { echo "kubernetes $VERSION: cached in $BIN"; exit 0; }

command -v go >/dev/null || { echo "build-kubernetes: go not found" >&2; exit 1; }
major_minor_patch="${VERSION#v1.}"                  # 37.2
STAGING_VERSION="v0.$major_minor_patch"             # v0.37.2
MINOR="${major_minor_patch%%.*}"

mkdir -p "$ROOT/src" "$BIN"
cd "$ROOT/src"
export GOFLAGS="${GOFLAGS:--p=2} -buildvcs=false -mod=mod"
export GOTOOLCHAIN=local
start=$(date +%s)

echo "== download k8s.io/kubernetes@$VERSION"
dir=$(go mod download -json "k8s.io/kubernetes@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
[[ -d "$dir" ]] || { echo "build-kubernetes: module download failed" >&2; exit 1; }

# Staging modules: the ones kubernetes' own go.mod replaces with ./staging/src/...
mapfile -t staging < <(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$dir/go.mod")
go_directive=$(sed -n 's/^go \(.*\)/\1/p' "$dir/go.mod")

kube_module="k8s.io/kubernetes $VERSION"
if [[ ! -f "$dir/pkg/generated/openapi/zz_generated.openapi.go" ]]; then
    echo "== openapi definitions missing from the module: generating them"
    rm -rf "$ROOT/kubernetes"
    cp -r "$dir" "$ROOT/kubernetes"
    chmod -R u+w "$ROOT/kubernetes"
    kube_module="k8s.io/kubernetes => $ROOT/kubernetes"
    NEED_OPENAPI=1
fi

{
    echo "module localbuild/kubernetes"
    echo
    echo "go $go_directive"
    echo
    echo "require k8s.io/kubernetes $VERSION"
    echo
    echo "replace ("
    [[ "${NEED_OPENAPI:-}" ]] && echo "	$kube_module"
    for m in "${staging[@]}"; do echo "	$m => $m $STAGING_VERSION"; done
    echo ")"
} > go.mod
{
    echo "//go:build tools"
    echo
    echo "package tools"
    echo
    echo "import ("
    for b in "${BINARIES[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$b\""; done
    echo ")"
} > tools.go

echo "== go mod tidy (downloads every dependency through the proxy)"
go mod tidy

# openapi-gen at the version kubernetes pins, over every package with a +k8s:openapi tag in
# a file carrying +k8s: tags (kubernetes and its staging modules; not testdata, samples or
# code-generator), as upstream's codegen selects them. Writes OUTDIR/zz_generated.openapi.go.
generate_openapi() {
    local outdir="$1" openapi_version m mdir
    openapi_version=$(sed -n 's#^\s*k8s.io/kube-openapi \(v[^ ]*\)$#\1#p' "$dir/go.mod" | head -1)
    [[ -x "$ROOT/tools/openapi-gen" ]] ||
        GOBIN="$ROOT/tools" go install "k8s.io/kube-openapi/cmd/openapi-gen@$openapi_version"
    mapfile -t tagged < <(
        for m in k8s.io/kubernetes "${staging[@]}"; do
            mdir=$(go list -m -f '{{.Dir}}' "$m" 2>/dev/null) || continue  # samples: not required
            [[ -n "$mdir" ]] || continue
            grep -rlZ --include='*.go' -e '^// *+k8s:' "$mdir" 2>/dev/null \
                | xargs -0 -r grep -l -e '+k8s:openapi' \
                | grep -v '/testdata/\|/_codegenignore/\|/sample-apiserver/\|/sample-controller/\|/code-generator/' \
                | xargs -r -n1 dirname | sed "s#^$mdir#$m#" || true
        done | sort -u)
    echo "== openapi-gen $openapi_version over ${#tagged[@]} packages"
    "$ROOT/tools/openapi-gen" --output-file zz_generated.openapi.go --go-header-file /dev/null \
        --output-dir "$outdir" --output-pkg k8s.io/kubernetes/pkg/generated/openapi \
        --report-filename /dev/null "${tagged[@]}"
}

if [[ "${NEED_OPENAPI:-}" ]]; then
    generate_openapi "$ROOT/kubernetes/pkg/generated/openapi"
elif [[ "${CHECK_OPENAPI:-}" ]]; then
    # The module ships the file: regenerate it and show that the generator gives the same.
    out=$(mktemp -d)
    generate_openapi "$out"
    shipped="$dir/pkg/generated/openapi/zz_generated.openapi.go"
    if cmp -s <(sed '1,/^package openapi$/d' "$out/zz_generated.openapi.go") <(sed '1,/^package openapi$/d' "$shipped"); then
        echo "openapi: generated definitions are identical to the module's (past the license header)"
    else
        echo "openapi: generated definitions differ from the module's" >&2; exit 1
    fi
    rm -rf "$out"
    exit 0
fi

ldflags="-s -w"
for key in gitVersion:$VERSION gitMajor:1 gitMinor:$MINOR gitTreeState:clean \
           buildDate:$(date -u +%Y-%m-%dT%H:%M:%SZ); do
    for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
        ldflags+=" -X $pkg.${key%%:*}=${key#*:}"
    done
done

for b in "${BINARIES[@]}"; do
    [[ -x "$BIN/$b" ]] && continue
    echo "== go build $b ($(( $(date +%s) - start )) s so far)"
    CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$BIN/$b.tmp" "k8s.io/kubernetes/cmd/$b"
    mv "$BIN/$b.tmp" "$BIN/$b"
done
echo "$VERSION built in $(( $(date +%s) - start )) s" | tee "$BIN/.complete"
