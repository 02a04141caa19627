"""Shared fixtures: real registries, token servers, Helm binaries, an OCI image.

Everything listens on 127.0.0.1 only and is stopped at fixture teardown.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `tests.support` must import the same way whether pytest runs as
# `python -m pytest` (cwd on sys.path) or as the `pytest` script (it is not).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from binderhub_registry_hook.cli import main  # noqa: E402
from tests.support import LocalRegistry, build_oci_layout, new_password  # noqa: E402

# Each registry's stand-in fixtures, for its own test module and for the cross-registry ones
# (faults, leaks).  pytest reads pytest_plugins only in the rootdir conftest: this file.
pytest_plugins = [
    "tests.support.fixtures_azure",
    "tests.support.fixtures_dockerhub",
    "tests.support.fixtures_ecr",
    "tests.support.fixtures_google",
    "tests.support.fixtures_harbor",
]

# Loopback only: boto3 and google-auth look for instance metadata (169.254.169.254,
# metadata.google.internal) when they find no credentials (the Azure provider uses
# explicit credential types only, never managed identity).  Point every such lookup at
# a closed loopback port, for this process and every subprocess the tests start.
for _name, _value in {
    "AWS_EC2_METADATA_DISABLED": "true",
    "NO_GCE_CHECK": "True",
    "GCE_METADATA_HOST": "127.0.0.1:9",
    "GCE_METADATA_IP": "127.0.0.1:9",
}.items():
    os.environ.setdefault(_name, _value)

TOOLS = ROOT / ".tools"


@pytest.fixture
def registry_factory(tmp_path_factory):
    """Start real registries: ``registry_factory(auth=..., tls=..., users=..., grants=...)``.

    auth: "htpasswd" (default), "token" or "none". users: {name: password};
    default one user, alice, with a random password. grants (token auth):
    {user: rule} as in TokenServer; users without a rule get what they ask.
    anonymous: the grant rule for requests without credentials (default none).
    """
    started: list[LocalRegistry] = []

    def make(auth="htpasswd", *, tls=False, users=None, grants=None, anonymous=None,
             service="test-registry") -> LocalRegistry:
        if users is None:
            users = {"alice": new_password()}
        registry = LocalRegistry(
            tmp_path_factory.mktemp(f"registry-{auth}"),
            auth=auth, tls=tls, users=users if auth != "none" else {},
            grants=grants, anonymous=anonymous, service=service,
        )
        started.append(registry)
        return registry

    yield make
    for registry in reversed(started):
        registry.stop()


@pytest.fixture
def htpasswd_registry(registry_factory):
    """Plain-HTTP registry with basic auth; user alice (see ``.users``)."""
    return registry_factory("htpasswd")


@pytest.fixture
def token_registry(registry_factory):
    """Plain-HTTP registry with token auth: alice may push+pull anywhere, reader only pull."""
    return registry_factory(
        "token",
        users={"alice": new_password(), "reader": new_password()},
        grants={"reader": ["pull"]},
    )


def _helm(name: str) -> Path:
    path = TOOLS / name / "helm"
    if not path.is_file():
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "fetch-helm.py")],
            capture_output=True, text=True,
        )
        if proc.returncode != 0 or not path.is_file():
            pytest.fail(f"scripts/fetch-helm.py failed: {proc.stderr.strip()}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def helm3() -> Path:
    """Path to the Helm 3.17.2 binary (.tools/helm3/helm)."""
    return _helm("helm3")


@pytest.fixture(scope="session")
def helm4() -> Path:
    """Path to the Helm 4.1.4 binary (.tools/helm4/helm)."""
    return _helm("helm4")


@pytest.fixture(scope="session")
def oci_image(tmp_path_factory):
    """A tiny OCI image layout (``OciImage``: .path, .ref, .manifest_digest, ...)."""
    return build_oci_layout(tmp_path_factory.mktemp("oci") / "image")


@pytest.fixture
def helm_env(tmp_path) -> dict:
    """Environment for running helm with config, cache and plugins in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    for name in ("CONFIG", "CACHE", "DATA"):
        env[f"HELM_{name}_HOME"] = str(tmp_path / "helm" / name.lower())
    env["KUBECONFIG"] = str(tmp_path / "helm" / "kubeconfig")  # absent: no cluster
    return env


@pytest.fixture(params=["helm3", "helm4"])
def helm(request, helm_env):
    """A runner for each real Helm: ``helm(*args, check=True, input=None)``; ``helm.name`` says which."""
    binary = request.getfixturevalue(request.param)

    def run(*args, check=True, input=None):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, env=helm_env,
                              input=input, timeout=60)
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    run.name = request.param
    return run


# -- the CLI, run in-process ---------------------------------------------------------

@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """run(registry_block, username=, password=) -> (exit code, stdout, stderr)."""

    def _run(block: dict, *, username=None, password=None, command="validate", extra=()):
        values = tmp_path / "values.json"  # JSON is YAML: no writer needed
        values.write_text(json.dumps({"registry": block}))
        for key, value in (("REGISTRY_USERNAME", username), ("REGISTRY_PASSWORD", password)):
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        capsys.readouterr()
        rc = main([command, "-f", str(values), *extra])
        out, err = capsys.readouterr()
        secrets = [p for p in (password,) if p]
        for s in secrets:
            assert s not in out + err, "a secret reached the output"
            assert base64.b64encode(s.encode()).decode() not in out + err
        assert "Traceback" not in out + err
        return rc, out, err

    return _run
