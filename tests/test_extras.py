"""`pip install binderhub-registry-hook` without extras: a cloud registry or the cluster sink
says which extra to install, in one line, exit 2 (not an internal error).

A fresh venv gets the project and its base dependencies only, offline from `.tools/wheels`
(the image's lock, which scripts/setup.sh downloads hash-checked), as a user's pip would.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELS = ROOT / ".tools" / "wheels"


@pytest.fixture(scope="module")
def bare_hook(tmp_path_factory) -> Path:
    if not any(WHEELS.glob("*.whl")):
        pytest.fail("no .tools/wheels: run scripts/setup.sh, which downloads the lock's packages", pytrace=False)
    env_dir = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "install", "-q",
           "--no-index", "--find-links", str(WHEELS)]
    for step in (["--upgrade", "setuptools"], ["--no-build-isolation", str(ROOT)]):  # the project with its base dependencies
        done = subprocess.run([*pip, *step], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    listed = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "list", "--format=json"],
                            capture_output=True, text=True, env=env, check=True).stdout
    installed = {p["name"].lower() for p in json.loads(listed)}
    assert "requests" in installed and not {"boto3", "google-auth", "azure-identity", "kubernetes"} & installed
    return env_dir / "bin" / "binderhub-registry-hook"


@pytest.mark.parametrize("block, extra", [
    ({"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-",
      "ecr": {"region": "eu-west-1"}}, "aws"),
    ({"type": "google", "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/prod-"}, "google"),
    ({"type": "azure", "imagePrefix": "myacr.azurecr.io/binder/prod-", "azure": {"registryName": "myacr"}}, "azure"),
])
def test_a_missing_extra_is_one_line_naming_it(bare_hook, tmp_path, block, extra):
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps({"registry": block}))
    for command in ("validate", "explain"):
        done = subprocess.run([str(bare_hook), command, "-f", str(values)], capture_output=True, text=True,
                              timeout=60, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
        out = done.stderr if command == "validate" else done.stdout
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"install binderhub-registry-hook[{extra}]" in out
        assert "Traceback" not in done.stdout + done.stderr and "internal error" not in done.stdout + done.stderr
    assert len(done.stdout.strip().splitlines()[-1:]) == 1
    validate_err = subprocess.run([str(bare_hook), "validate", "-f", str(values)], capture_output=True, text=True,
                                  timeout=60, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)}).stderr
    assert len(validate_err.strip().splitlines()) == 1 and validate_err.startswith("error: ")


def test_generic_needs_no_extra_and_the_cluster_sink_names_its_own(bare_hook, tmp_path, htpasswd_registry):
    reg = htpasswd_registry
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url,
                                               "imagePrefix": f"{reg.host}/binder/prod-"}}))
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "REGISTRY_USERNAME": "alice",
           "REGISTRY_PASSWORD": reg.users["alice"]}
    done = subprocess.run([str(bare_hook), "validate", "-f", str(values)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([str(bare_hook), "apply", "-f", str(values), "--kubeconfig", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "install binderhub-registry-hook[kubernetes]" in done.stderr
