"""Any registry that speaks the distribution protocol: htpasswd (Basic) or bearer tokens.

Nothing here is guessed: the auth scheme and the token url come from the
registry's own ``WWW-Authenticate`` challenge, read by the probe.
"""

from __future__ import annotations

from dataclasses import dataclass

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.providers.base import Provider, check_prefix, static_credentials
from binderhub_registry_hook.spec import RegistrySpec


@dataclass(frozen=True)
class GenericOptions:
    """A generic registry has no block of its own: everything is in ``registry``."""


class GenericProvider(Provider[GenericOptions]):
    name = "generic"
    options_type = GenericOptions

    def plan(self, spec: RegistrySpec, options: GenericOptions) -> Target:
        url = (spec.url or "").rstrip("/")
        # BinderHub looks the url up in config.json's auths first, so key it by the url.
        target = Target(url=url, auth_key=url, image_prefix=spec.image_prefix)
        check_prefix(target, spec.probe_name)
        return target

    def credentials(self, ctx: Context, target: Target, options: GenericOptions) -> Credentials:
        return static_credentials(ctx)
