"""The BinderHub release the hook writes into, as the Kubernetes tests set it up."""

from __future__ import annotations

NS = "binder"  # the release's namespace
SECRET = "binderhub-registry"  # the hook's Secret (the chart's default name)


def binder_deployment() -> dict:
    """The BinderHub chart's ``binder`` Deployment, as far as the hook reads and rolls it."""
    return {
        "metadata": {"name": "binder"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "binder"}},
            "template": {
                "metadata": {"labels": {"app": "binder"}, "annotations": {"checksum/config": "abc"}},
                "spec": {"containers": [{"name": "binder", "image": "quay.io/jupyterhub/k8s-binderhub:1.0.0"}]},
            },
        },
    }
