"""The image as the Dockerfile builds it, without a Docker engine.

No Docker engine runs here, so this installs requirements/image.lock into a fresh
venv exactly as the Dockerfile does (`--require-hashes --no-deps`, then the project
with `--no-deps --no-build-isolation`) and runs the entrypoint with the network
variables of a pod that has none.  The packages come from `.tools/wheels`,
which scripts/setup.sh downloads (hash-checked), so the test itself needs no network.
Installing ~60 packages takes ~40 s, so it runs only with RUN_SLOW=1 (scripts/test.sh
sets it); the checks that the Dockerfile and the lock agree always run.
"""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest

from binderhub_registry_hook import __version__

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "image.lock"
WHEELS = ROOT / ".tools" / "wheels"  # scripts/setup.sh downloads the lock here (hash-checked)
DOCKERFILE = ROOT / "Dockerfile"


def pins() -> dict[str, str]:
    return dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^\s\\]+)", LOCK.read_text()))


def test_lock_is_pinned_hashed_and_compatible():
    text = LOCK.read_text()
    found = pins()
    assert found["kubernetes"].startswith("36."), "kubernetes 37 conflicts with botocore on python-dateutil"
    assert int(found["python-dateutil"].split(".")[0]) < 3
    found = {name.lower().replace("_", "-"): v for name, v in found.items()}
    for name in ("requests", "ruamel-yaml", "jsonschema", "tenacity", "boto3", "google-cloud-iam",
                 "azure-identity", "azure-mgmt-containerregistry", "setuptools"):
        assert name in found, f"{name} missing from the lock"
    # Every requirement carries hashes, nothing points at a machine-local index.
    blocks = re.split(r"(?m)^(?=[A-Za-z0-9_.-]+==)", text)[1:]
    assert len(blocks) == len(found) and all("--hash=sha256:" in b for b in blocks)
    assert "--find-links" not in text and "--index-url" not in text
    # No test-only package in the image.
    assert not {"pytest", "moto", "trustme", "kubernetes-validate"} & set(found)


def test_dockerfile_installs_the_lock_as_non_root():
    text = DOCKERFILE.read_text()
    assert "pip install --require-hashes --no-deps -r /tmp/image.lock" in text
    assert re.search(r"(?m)^USER 10001", text)
    assert 'ENTRYPOINT ["binderhub-registry-hook"]' in text
    # The base is a build argument (a mirror, or the local base scripts/cluster builds on).
    assert re.search(r"(?m)^ARG BASE=python:3\.11-slim-bookworm$", text)
    assert re.findall(r"(?m)^FROM (\S+)", text) == ["${BASE}", "${BASE}"]
    # Behind a TLS-intercepting proxy or a private index: a CA as a build secret (never in a
    # layer), the index as a build argument; the hashes stay enforced either way.
    assert "--mount=type=secret,id=pip-ca" in text and "PIP_CERT=/run/secrets/pip-ca" in text
    assert re.search(r"(?m)^ARG PIP_INDEX_URL", text)
    # The final image carries neither pip nor setuptools, and compiled bytecode.
    assert "pip uninstall -q -y pip setuptools" in text and "compileall" in text
    # HOME: one place in the image (the user's passwd entry), none in ENV.
    assert not re.search(r"(?m)^\s*HOME=", text) and "--home-dir /tmp" in text
    ignore = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert ignore[0] == "*" and "!binderhub_registry_hook/" in ignore and "!requirements/image.lock" in ignore
    # The chart's default user is the image's user.
    values = (ROOT / "chart" / "values.yaml").read_text()
    assert re.search(r"(?m)^  runAsUser: 10001$", values)


@pytest.mark.skipif(os.environ.get("RUN_SLOW") != "1", reason="installs ~60 packages: set RUN_SLOW=1")
@pytest.mark.timeout(900)
def test_fresh_venv_from_the_lock_runs_the_entrypoint(tmp_path):
    if not any(WHEELS.glob("*.whl")):
        pytest.fail("no .tools/wheels: run scripts/setup.sh, which downloads the lock's packages", pytrace=False)
    env_dir = tmp_path / "image"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    # Offline, from what setup downloaded: the same pins and hashes as the Dockerfile's install.
    step = subprocess.run([*pip, "install", "-q", "--no-index", "--find-links", str(WHEELS),
                           "--require-hashes", "--no-deps", "-r", str(LOCK)],
                          capture_output=True, text=True, env=env, timeout=840)
    assert step.returncode == 0, step.stderr[-2000:]
    step = subprocess.run([*pip, "install", "-q", "--no-deps", "--no-build-isolation", str(ROOT)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert step.returncode == 0, step.stderr[-2000:]
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout

    # Run as the image would: entrypoint on PATH, HOME=/tmp, no proxy, no network to reach.
    run_env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1",
               "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    entry = str(env_dir / "bin" / "binderhub-registry-hook")
    version = subprocess.run([entry, "--version"], capture_output=True, text=True, env=run_env, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"binderhub-registry-hook {__version__}"
    for command in ("--help", "apply --help", "refresh --help", "validate --help"):
        proc = subprocess.run([entry, *command.split()], capture_output=True, text=True, env=run_env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "usage: binderhub-registry-hook" in proc.stdout
    # Every provider and the Kubernetes sink import from the installed venv (not the work tree).
    probe = ("import binderhub_registry_hook, binderhub_registry_hook.kube, kubernetes, boto3, google.cloud.iam_admin_v1, azure.identity, "
             "azure.mgmt.containerregistry; print(binderhub_registry_hook.__file__)")
    proc = subprocess.run([str(env_dir / "bin" / "python"), "-c", probe], capture_output=True, text=True,
                          env=run_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert str(env_dir) in proc.stdout
    # A bad invocation is one line and exit 2, as in the Job's log.
    proc = subprocess.run([entry, "validate", "-f", str(tmp_path / "missing.yaml")], capture_output=True,
                          text=True, env=run_env, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: invalid input:")
