"""Harbor fixtures (a pytest plugin, registered in tests/conftest.py)."""

from __future__ import annotations

import pytest

from .harbor import HarborServer
from .registry import LocalRegistry


@pytest.fixture
def harbor(tmp_path):
    """A Harbor host (token service, v2.0 API, /v2/ front) in front of a real registry."""
    server = HarborServer().start()
    registry = LocalRegistry(tmp_path / "harbor", auth="token", token_server=server)
    server.upstream = registry.host
    server.host = server.url.split("://", 1)[1]
    yield server
    registry.stop()
    server.stop()
