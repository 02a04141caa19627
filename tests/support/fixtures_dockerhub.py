"""Docker Hub fixtures (a pytest plugin, registered in tests/conftest.py)."""

from __future__ import annotations

import pytest

from .dockerhub import DockerHubTokenService
from .registry import LocalRegistry


@pytest.fixture
def hub(tmp_path):
    """A Hub-style token service in front of a real registry (``hub.registry``)."""
    service = DockerHubTokenService().start()
    registry = LocalRegistry(tmp_path / "hub", auth="token", token_server=service)
    service.storage = registry.storage
    service.registry = registry
    yield service
    registry.stop()
    service.stop()
