"""Azure fixtures (a pytest plugin, registered in tests/conftest.py): one ACR and its cloud per module."""

from __future__ import annotations

import pytest

from .azure import AcrAuthServer, AcrState, ArmServer, Azure, EntraAuthority
from .pki import TestCA
from .registry import LocalRegistry


@pytest.fixture(scope="module")
def azure_servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("azure")
    ca = TestCA()
    authority = EntraAuthority(ca).start()
    state = AcrState("BinderTestAcr")
    acr = AcrAuthServer(ca, authority, state).start()
    arm = ArmServer(ca, authority, state).start()
    try:
        registry = LocalRegistry(tmp / "registry", auth="token", tls=True, token_server=acr)
    except BaseException:
        for server in (arm, acr, authority):
            server.stop()
        raise
    yield Azure(ca, authority, state, acr, arm, registry, tmp)
    registry.stop()
    for server in (arm, acr, authority):
        server.stop()


@pytest.fixture
def azure(azure_servers, tmp_path):
    """The module's ACR, reset to a clean cloud for this test."""
    return azure_servers.reset(tmp_path)
