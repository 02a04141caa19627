"""Registry providers: one module per registry behind :class:`~binderhub_registry_hook.providers.base.Provider`.

Adding a registry means adding one module and one line here.  Modules are imported
only when their type is chosen, so a generic registry never pays for a cloud SDK.
"""

from __future__ import annotations

import importlib

from binderhub_registry_hook.providers.base import Context, Provider, Target

__all__ = ["Context", "Provider", "Target", "load", "TYPES"]

# spec `registry.type` -> "module:Class"
TYPES = {
    "generic": "binderhub_registry_hook.providers.generic:GenericProvider",
    "google": "binderhub_registry_hook.providers.google:GoogleProvider",
    "azure": "binderhub_registry_hook.providers.azure:AzureProvider",
    "dockerhub": "binderhub_registry_hook.providers.dockerhub:DockerHubProvider",
    "harbor": "binderhub_registry_hook.providers.harbor:HarborProvider",
    "ovh": "binderhub_registry_hook.providers.harbor:OvhProvider",
    "ecr": "binderhub_registry_hook.providers.ecr:ECRProvider",
}


def load(ctx: Context) -> Provider:
    from binderhub_registry_hook.errors import SpecError

    if ctx.spec.type not in TYPES:
        raise SpecError("registry.type", f"{ctx.spec.type!r} is not available in this version",
                        fix=f"use one of {', '.join(sorted(TYPES))}")
    module, _, cls = TYPES[ctx.spec.type].partition(":")
    provider = getattr(importlib.import_module(module), cls)(ctx)
    if ctx.spec.mode == "provision" and not provider.can_provision:
        raise SpecError("registry.mode", f"{ctx.spec.type} registries cannot be provisioned by the hook",
                        fix="use mode: validate with existing credentials")
    return provider
