"""Microsoft Entra ID: who the hook is (tenant, client), the azure-identity credential for
it, an access token, and the table of Entra's answers (AADSTS codes) as our errors.

azure-identity is imported here, a module loaded only when ``registry.type`` is ``azure``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from azure.core.exceptions import AzureError, ClientAuthenticationError
from azure.identity import ClientSecretCredential, CredentialUnavailableError, WorkloadIdentityCredential

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.errors import (
    CredentialsMissing,
    CredentialsRejected,
    HookError,
    RegistryUnavailable,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers.azure.options import AzureOptions
from binderhub_registry_hook.providers.cloud import CloudApi, Fault, with_fields
from binderhub_registry_hook.secrets import Secret, redact

log = logging.getLogger(__name__)

PUBLIC_AUTHORITY = "https://login.microsoftonline.com"
# Authorities MSAL knows; any other host skips instance discovery (which would ask the public cloud).
KNOWN_AUTHORITIES = {
    "login.microsoftonline.com",
    "login.chinacloudapi.cn",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
}
SERVICE = "entra"
UNREACHABLE = "unreachable"  # Fault.code: no answer from Entra
UNAVAILABLE_CODE = "unavailable"  # Fault.code: an outage answer (5xx, 429)
NO_IDENTITY = "CredentialUnavailable"
_NETWORK_RE = re.compile(
    r"Failed to establish|Name or service not known|NameResolution|timed out|"
    r"Connection refused|SSLError|CERTIFICATE_VERIFY_FAILED"
)

# AADSTS code -> (what it means, the value to fix); `{...}` filled from the identity.
AADSTS = {
    "90002": ("tenant {tenant!r} does not exist", "check registry.azure.tenantId and authorityHost"),
    "900023": ("tenant {tenant!r} is not a valid tenant id", "check registry.azure.tenantId"),
    "90072": ("the identity is not in tenant {tenant!r}", "check registry.azure.tenantId"),
    "700016": (
        "application {client} is not in tenant {tenant!r}",
        "check registry.azure.clientId and registry.azure.tenantId",
    ),
    "7000222": (
        "the client secret of application {client} has expired",
        "create a new secret (az ad app credential reset --id {client}) and update {secret_where}",
    ),
    "7000215": (
        "the client secret of application {client} is wrong",
        "{secret_where} must hold the secret's value, not its id",
    ),
    "7000218": ("no client secret or assertion was sent", "set {secret_where}"),
    "700024": (
        "the federated token is outside its valid time range",
        "check the token file registry.azure.federatedTokenFile and the pod's clock",
    ),
    "700211": (
        "no federated credential of application {client} matches the token's issuer",
        "add a federated credential for this cluster's OIDC issuer to application {client}",
    ),
    "700212": (
        "no federated credential of application {client} matches the token's audience",
        "the federated credential's audience must be api://AzureADTokenExchange",
    ),
    "700213": (
        "no federated credential of application {client} matches the token's subject",
        "add a federated credential for system:serviceaccount:NAMESPACE:SERVICEACCOUNT of the hook",
    ),
    "70021": (
        "no federated credential of application {client} matches the token",
        "add a federated credential for the hook's service account to application {client}",
    ),
}


class Entra(CloudApi):
    """The hook's Entra identity: tenant, client id and authority are read when it is made."""

    def __init__(self, ctx: Context, options: AzureOptions):
        self.ctx = ctx
        self.options = options
        self.tenant = _tenant_id(options)
        self.client_id = _client_id(ctx, options)
        self.authority = authority(options)

    def secret_key(self) -> str:
        return self.options.client_secret_key

    def client_secret(self) -> Secret:
        return self.ctx.source.get(self.secret_key(), value_path="registry.azure.clientSecretKey")

    def credential(self) -> Any:
        """An azure-identity credential for the configured identity (no network yet)."""
        ctx, spec = self.ctx, self.ctx.spec
        kw: dict[str, Any] = {
            "authority": self.authority,
            "connection_verify": ctx.verify(),
            "connection_timeout": spec.timeouts.connect,
            "read_timeout": spec.timeouts.read,
            "retry_total": 2,
        }
        if urlparse(self.authority).netloc not in KNOWN_AUTHORITIES:
            kw["disable_instance_discovery"] = True
        if self.options.auth == "workloadIdentity":
            path = self.options.federated_token_file or os.environ.get("AZURE_FEDERATED_TOKEN_FILE")
            if not path or not os.path.isfile(path):
                raise CredentialsMissing(
                    f"no federated token file{f' at {path}' if path else ''} for workload identity",
                    fix='label the hook\'s pods azure.workload.identity/use: "true" and annotate its '
                    "ServiceAccount with azure.workload.identity/client-id, or set "
                    "registry.azure.federatedTokenFile",
                )
            kw.pop("disable_instance_discovery", None)  # no MSAL discovery on this path
            ctx.report.step(
                "credentials", f"workload identity {self.client_id} in tenant {self.tenant} (token file {path})"
            )
            return ctx.client(
                "azure.workload_identity",
                WorkloadIdentityCredential,
                tenant_id=self.tenant,
                client_id=self.client_id,
                token_file_path=path,
                **kw,
            )
        secret = self.client_secret()
        ctx.report.step(
            "credentials",
            f"service principal {self.client_id} in tenant {self.tenant}, "
            f"secret from {ctx.source.where(self.secret_key())}",
        )
        return ctx.client(
            "azure.client_secret",
            ClientSecretCredential,
            tenant_id=self.tenant,
            client_id=self.client_id,
            client_secret=secret.reveal(),
            **kw,
        )

    def token(self, credential: Any, scope: str) -> Secret:
        with quiet_identity():
            token = self.must("Entra sign-in", credential.get_token, scope)
        self.ctx.report.step(
            "credentials",
            f"Entra ID issued a token for {scope.removesuffix('/.default')}, "
            f"valid until {utc(token.expires_on):%H:%M} UTC",
        )
        return Secret(token.token)

    # -- errors ---------------------------------------------------------------------------

    def fault(self, e: Exception, action: str) -> Fault | None:
        if isinstance(e, CredentialUnavailableError):
            return Fault(action, code=NO_IDENTITY, message=first_line(e), reason="unauthenticated")
        if isinstance(e, ClientAuthenticationError):
            return entra_fault(e, action)
        if isinstance(e, AzureError):
            return Fault(action, code=UNREACHABLE, message=first_line(e))
        return None

    def error(self, fault: Fault, value_path: str | None) -> HookError:
        return with_fields(self._error(fault), fault)

    def _error(self, f: Fault) -> HookError:
        if f.code == NO_IDENTITY:
            return CredentialsMissing(
                f"workload identity unavailable: {f.message}",
                fix="set registry.azure.tenantId, clientId and federatedTokenFile",
            )
        if f.code == UNREACHABLE:
            return Unreachable(
                f"Microsoft Entra ID at {self.authority}: {f.message}",
                fix="check registry.azure.authorityHost and the network",
            )
        if f.code == f"{UNREACHABLE}:auth":
            return Unreachable(
                f"Microsoft Entra ID at {self.authority}: {f.message[:160]}",
                fix="check registry.azure.authorityHost, the network and registry.tls.caBundle",
            )
        if f.code == UNAVAILABLE_CODE:  # an outage, not a wrong credential
            return RegistryUnavailable(
                f"Microsoft Entra ID at {self.authority} kept answering HTTP {f.status} "
                "(after azure-identity's retries)",
                fix="rerun when Entra ID recovers",
            )
        fields = {
            "tenant": self.tenant,
            "client": self.client_id,
            "secret_where": self.ctx.source.where(self.secret_key()),
        }
        number = f.code.removeprefix("AADSTS")
        if number in AADSTS:
            what, fix = AADSTS[number]
            return CredentialsRejected(
                f"Microsoft Entra ID: {what.format(**fields)} ({f.code})", fix=fix.format(**fields)
            )
        return CredentialsRejected(
            f"Microsoft Entra ID refused {self.client_id} in tenant {self.tenant}: {f.message[:200]}",
            fix="check registry.azure.tenantId, clientId and the secret",
        )


def entra_fault(e: ClientAuthenticationError, action: str) -> Fault:
    """Entra's refusal, read from azure-identity's exception (it names the AADSTS code only in
    its text)."""
    text = first_line(e)
    if _NETWORK_RE.search(text):
        return Fault(action, code=f"{UNREACHABLE}:auth", message=text, reason="unavailable")
    status = getattr(getattr(e, "response", None), "status_code", None)
    m = re.search(r"HTTP Error: (\d{3})", text)
    status = status or (int(m.group(1)) if m else None)
    if status and (status >= 500 or status == 429):
        return Fault(action, code=UNAVAILABLE_CODE, message=text, status=status, reason="unavailable")
    if "Unable to get authority configuration" in text:  # MSAL's answer to an unknown tenant
        code = "AADSTS90002"
    else:
        m = re.search(r"AADSTS(\d+)", text)
        code = f"AADSTS{m.group(1)}" if m else ""
    return Fault(action, code=code, message=text, status=status, reason="unauthenticated")


# -- who the hook is ----------------------------------------------------------------------


def authority(options: AzureOptions) -> str:
    host = options.authority_host or os.environ.get("AZURE_AUTHORITY_HOST") or PUBLIC_AUTHORITY
    return host.rstrip("/")


def _tenant_id(options: AzureOptions) -> str:
    tenant = options.tenant_id or os.environ.get("AZURE_TENANT_ID")
    if not tenant:
        raise SpecError(
            "registry.azure.tenantId",
            "required value is missing",
            fix="set it, or AZURE_TENANT_ID in the hook's environment",
        )
    return tenant


def _client_id(ctx: Context, options: AzureOptions) -> str:
    client = options.client_id
    if not client and options.auth == "servicePrincipal":
        client = ctx.source.get(options.client_id_key, secret=False, required=False)
    client = client or os.environ.get("AZURE_CLIENT_ID")
    if not client:
        raise SpecError(
            "registry.azure.clientId",
            "required value is missing",
            fix=f"set it, or {ctx.source.where(options.client_id_key)}, or AZURE_CLIENT_ID in the hook's environment",
        )
    return client


# -- helpers ----------------------------------------------------------------------------------


def first_line(e: Exception) -> str:
    text = getattr(e, "message", None) or str(e)
    text = text.split("Trace ID:", 1)[0]
    return redact(" ".join(text.split()))


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


@contextmanager
def quiet_identity() -> Iterator[None]:
    """azure-identity logs each failure at WARNING; we raise one line instead."""
    logger = logging.getLogger("azure.identity")
    old = logger.level
    if not log.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)
