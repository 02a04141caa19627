"""Harbor, and OVH Managed Private Registry (a managed Harbor): :mod:`.provider`."""

from binderhub_registry_hook.providers.harbor.provider import HarborProvider, OvhProvider

__all__ = ["HarborProvider", "OvhProvider"]
