"""Registry providers: one module (or, for a cloud, one package) per registry behind
:class:`~binderhub_registry_hook.providers.base.Provider`.

Adding a registry means adding its module and one line here (CONTRIBUTING.md lists the
steps).  Modules are imported only when their type is chosen, so a generic registry
never pays for a cloud SDK.
"""

from __future__ import annotations

import importlib
from typing import Any

from binderhub_registry_hook.errors import SpecError
from binderhub_registry_hook.model import Target
from binderhub_registry_hook.providers.base import Provider
from binderhub_registry_hook.spec import RegistrySpec

__all__ = ["Provider", "TYPES", "load", "plan"]

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


# spec `registry.type` -> the extra (pyproject.toml) with the SDK its provider imports
EXTRAS = {"ecr": "aws", "google": "google", "azure": "azure"}


def load(spec: RegistrySpec) -> Provider[Any]:
    """The provider of ``spec.type``; refuses ``mode: provision`` where it cannot provision, and a
    type whose SDK (its extra) is not installed."""
    if spec.type not in TYPES:
        raise SpecError(
            "registry.type",
            f"{spec.type!r} is not available in this version",
            fix=f"use one of {', '.join(sorted(TYPES))}",
        )
    if spec.type in EXTRAS:
        from binderhub_registry_hook import extras  # reads the distribution's metadata: only here

        extras.require(EXTRAS[spec.type], f"registry.type {spec.type}")
    module, _, cls = TYPES[spec.type].partition(":")
    provider: Provider[Any] = getattr(importlib.import_module(module), cls)()
    if spec.mode == "provision" and not provider.can_provision:
        raise SpecError(
            "registry.mode",
            f"{spec.type} registries cannot be provisioned by the hook",
            fix="use mode: validate with existing credentials",
        )
    return provider


def plan(spec: RegistrySpec) -> Target:
    """Where BinderHub pushes for ``spec``: the provider's pure plan, with its own options."""
    provider = load(spec)
    return provider.plan(spec, provider.options(spec))
