"""Fixtures of the real-cluster layer: a one-node Kubernetes on this machine.

`bash scripts/cluster.sh up` starts it (scripts/test.sh does, and stops it at the end);
the session fixture `cluster` then builds the hook image from this work tree when it
changed (`cluster.sh images`) and loads it into the cluster's containerd.  Without a
cluster these tests skip, unless BINDERHUB_REGISTRY_HOOK_CLUSTER=required (set by
scripts/test.sh), where a missing cluster fails them.

The cluster, the registry on its bridge, the umbrella chart and a release of it are in
tests/support/cluster.py (benchmarks/cluster.py drives the same ones); here are the
fixtures over them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.support.cluster import (
    BridgeRegistry,
    Cluster,
    ImagesFailed,
    Release,
    build_umbrella,
    cluster_env,
    load_images,
)


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    env = cluster_env()
    if env is None:
        message = "no local cluster: run `bash scripts/cluster.sh up` (scripts/test.sh does)"
        if os.environ.get("BINDERHUB_REGISTRY_HOOK_CLUSTER") == "required":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        images = load_images()
    except ImagesFailed as e:
        pytest.fail(str(e), pytrace=False)
    return Cluster.connect(env, images)


@pytest.fixture
def namespace(cluster):
    """A fresh namespace, deleted afterwards (without waiting)."""
    name = f"e2e-{uuid.uuid4().hex[:8]}"
    cluster.kubectl("create", "namespace", name)
    yield name
    cluster.kubectl("delete", "namespace", name, "--wait=false", check=False)


@pytest.fixture
def bridge_registry(cluster, tmp_path):
    registry = BridgeRegistry(tmp_path / "registry", cluster.node_ip)
    yield registry
    registry.stop()


@pytest.fixture(scope="session")
def umbrella_chart(tmp_path_factory, helm3) -> Path:
    """examples/binderhub with the fixture chart as `binderhub`, dependencies built."""
    return build_umbrella(tmp_path_factory.mktemp("umbrella"), helm3, tmp_path_factory.mktemp("helm-home"))


@pytest.fixture
def release_factory(cluster, umbrella_chart, namespace, bridge_registry, tmp_path):
    def make(helm: Path) -> Release:
        release = Release(cluster, helm, umbrella_chart, namespace, bridge_registry, tmp_path)
        release.set_credentials()
        return release
    return make
