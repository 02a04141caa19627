"""Any registry that speaks the distribution protocol: htpasswd (Basic) or bearer tokens.

Nothing here is guessed: the auth scheme and the token url come from the
registry's own ``WWW-Authenticate`` challenge, read by the probe.
"""

from __future__ import annotations

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.providers.base import Provider, Target


class GenericProvider(Provider):
    name = "generic"

    def target(self) -> Target:
        url = self.spec.url.rstrip("/")
        # BinderHub looks the url up in config.json's auths first, so key it by the url.
        target = Target(url=url, auth_key=url, image_prefix=self.spec.image_prefix)
        self.check_prefix(target)
        return target

    def credentials(self) -> Credentials:
        return self.static_credentials()
