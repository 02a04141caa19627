"""Google fixtures (a pytest plugin, registered in tests/conftest.py): a fake project and its Artifact Registry."""

from __future__ import annotations

import pytest

from .google import PROJECT, GoogleCloud, start_registry


@pytest.fixture
def cloud():
    """The fake Google project (IAM over gRPC, Artifact Registry REST, OAuth token endpoint)."""
    with GoogleCloud(PROJECT) as c:
        yield c


@pytest.fixture
def google_registry(cloud, tmp_path_factory):
    """A real registry standing in for LOCATION-docker.pkg.dev, behind Google's logins."""
    reg, auth = start_registry(cloud, tmp_path_factory.mktemp("ar"))
    yield reg
    reg.stop()
    auth.stop()
