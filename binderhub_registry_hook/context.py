"""What a provider step and the probe may use besides their arguments.

One :class:`Context` per run: the spec, the credential source, the report, what the
output Secret held before (for idempotent provisioning), the TLS trust, and the SDK
client factories that tests replace instead of monkeypatching a library.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from binderhub_registry_hook.credentials import CredentialSource
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.dockerconfig import previous_login
from binderhub_registry_hook.model import utcnow
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import RegistrySpec


@dataclass
class Context:
    """What a provider may use: the spec, the credential source, a report, client factories."""

    spec: RegistrySpec
    source: CredentialSource
    report: Report = field(default_factory=Report)
    # name -> factory; tests replace a factory instead of monkeypatching an SDK.
    clients: dict[str, Callable[..., Any]] = field(default_factory=dict)
    # What the output Secret held before this run (key -> text), for idempotent provisioning.
    previous: dict[str, str] | None = None
    # Which of our credentials the output Secret holds (its credential-ref annotation), if known.
    previous_ref: str | None = None
    # The run's clock: tests move time instead of sleeping.
    clock: Callable[[], datetime] = utcnow
    # Asks the sink for the right to rotate (one rotation at a time per output Secret);
    # with no shared sink to coordinate through (validate, post-render) it is always granted.
    claim: Callable[[str], bool] = lambda what: True
    _bundle: str | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def client(self, name: str, default: Callable[..., Any], **kw: Any) -> Any:
        return self.clients.get(name, default)(**kw)

    def registry(self, url: str) -> Registry:
        """A client of the registry API at ``url`` with this run's TLS trust and timeouts."""
        return Registry(url, verify=self.verify(), timeouts=self.spec.timeouts)

    def previous_login(self, auth_key: str) -> tuple[str, Secret] | None:
        """(username, password) that the previous run wrote for ``auth_key``, if any."""
        return previous_login(self.previous, auth_key)

    def verify(self) -> bool | str:
        """``requests``' verify: the system CAs, plus registry.tls.caBundle when set.

        The combined bundle is written once per run (to a temp file removed at exit):
        probes and providers ask for it several times.
        """
        if not self.spec.ca_bundle:
            return True
        if self._bundle is None:
            import certifi  # only with a caBundle: the system CAs come first in the combined file

            system = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or certifi.where()
            with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as bundle, open(system) as trusted:
                bundle.write(trusted.read())
                bundle.write("\n" + self.spec.ca_bundle)
            atexit.register(_remove, bundle.name)
            self._bundle = bundle.name
        return self._bundle


def _remove(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
