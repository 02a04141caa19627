"""Amazon ECR fixtures (a pytest plugin, registered in tests/conftest.py): moto, its front, the registry."""

from __future__ import annotations

import os

import pytest

from .aws import AwsFront, MotoServer


@pytest.fixture(scope="module")
def moto():
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def aws(moto, monkeypatch, tmp_path):
    """moto behind the front; the process has test keys and no other AWS configuration."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.startswith("REGISTRY_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTKEY00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret-key")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never wait for an instance role
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    with AwsFront(moto) as front:
        yield front


@pytest.fixture
def ecr_registry(aws, registry_factory):
    """The registry ECR stands for: htpasswd user AWS with the password moto's token carries."""
    return registry_factory("htpasswd", users={"AWS": aws.ecr_password()})
