"""``mode: provision`` on Azure Resource Manager: a scope map on ``repositories/PROJECT/*`` and
an ACR token bound to it, and the token's password (reused while it is valid for longer
than ``renewBeforeDays``); and ARM's error table.

azure-mgmt-containerregistry is imported here, a module loaded only with this provider.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
)
from azure.mgmt.containerregistry import ContainerRegistryManagementClient

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsRejected,
    HookError,
    ProtocolError,
    RegistryUnavailable,
    RepositoryMissing,
    Unreachable,
)
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.providers.azure.entra import Entra, entra_fault, first_line, quiet_identity
from binderhub_registry_hook.providers.azure.options import AzureOptions
from binderhub_registry_hook.providers.cloud import CloudApi, Fault, with_fields
from binderhub_registry_hook.secrets import Secret, redact

SLOTS = ("password1", "password2")
SCOPE_ACTIONS = ("content/read", "content/write", "metadata/read")
# ARM codes of an item that is simply not there (read before create).
NOT_THERE = frozenset({"ResourceNotFound", "NotFound", ""})
DENIED = ("grant it a role with Microsoft.ContainerRegistry/registries/scopeMaps/* and tokens/* and "
          "generateCredentials/action on the registry, e.g. 'Container Registry Contributor and "
          "Data Access Configuration Administrator'")


class Arm(CloudApi):
    """The registry's management API as the Entra identity; every call signs in first."""

    def __init__(self, ctx: Context, options: AzureOptions, entra: Entra):
        self.ctx = ctx
        self.options = options
        self.entra = entra
        self.rg = options.resource_group or ""
        self.name = options.registry_name
        endpoint = options.resource_manager_endpoint.rstrip("/")
        t = ctx.spec.timeouts
        self.client = ctx.client(
            "azure.containerregistry", ContainerRegistryManagementClient, credential=entra.credential(),
            subscription_id=options.subscription_id, base_url=endpoint,
            credential_scopes=[f"{endpoint}/.default"], connection_verify=ctx.verify(),
            connection_timeout=t.connect, read_timeout=t.read, retry_total=3, polling_interval=1)

    def run(self, what: str, fn: Any, *args: Any, absent: frozenset[str] = frozenset()) -> Any:
        """``fn(*args)``, with azure-identity quiet (the first ARM call signs in)."""
        with quiet_identity():
            return self.call(what, fn, *args, absent=absent)

    # -- errors ---------------------------------------------------------------------------

    def fault(self, e: Exception, action: str) -> Fault | None:
        if isinstance(e, ResourceNotFoundError):
            return Fault(action, code=arm_code(e), status=404, reason="not_found")
        if isinstance(e, ClientAuthenticationError):
            if e.response is None or re.search(r"AADSTS|authority", str(e)):
                fault = entra_fault(e, action)
                return Fault(fault.action, fault.code, fault.message, fault.status, reason=fault.reason,
                             service=Entra.__name__)
            return Fault(action, code=arm_code(e), status=e.status_code, reason="unauthenticated")
        if isinstance(e, HttpResponseError):
            return Fault(action, code=arm_code(e), status=e.status_code, message=redact(arm_message(e))[:160],
                         reason="denied" if e.status_code == 403 else None)
        if isinstance(e, ServiceRequestError):
            return Fault(action, code=type(e).__name__, message=first_line(e)[:160], reason="unavailable")
        return None

    def error(self, fault: Fault, value_path: str | None) -> HookError:
        if fault.service == Entra.__name__:
            return self.entra.error(fault, value_path)
        return with_fields(self._error(fault), fault)

    def _error(self, f: Fault) -> HookError:
        what, code, status = f.action, f.code, f.status or 0
        if f.reason == "not_found":
            field, shown = {"ResourceGroupNotFound": ("resourceGroup", repr(self.rg)),
                            "SubscriptionNotFound": ("subscriptionId", str(self.options.subscription_id))}.get(
                code, ("registryName", f"{self.name!r} in resource group {self.rg!r}"))
            return RepositoryMissing(f"Azure has no {shown} ({what}: {code or 'HTTP 404'})",
                                     fix=f"check registry.azure.{field}")
        if f.reason == "unauthenticated":
            return CredentialsRejected(f"Azure Resource Manager refused the token of {self.entra.client_id} "
                                       f"({what}: HTTP {status} {code})",
                                       fix="check registry.azure.tenantId is the subscription's tenant")
        if f.reason == "unavailable" and not status:
            return Unreachable(f"Azure Resource Manager: {f.message}",
                               fix="check registry.azure.resourceManagerEndpoint and the network")
        if status == 403:
            return CloudDenied(f"{self.entra.client_id} may not {what} on registry {self.name} ({code})", fix=DENIED)
        if status >= 500 or status == 429:
            return RegistryUnavailable(f"Azure Resource Manager: {what} answered HTTP {status} {code} "
                                       f"(after azure-core retries): {f.message}", reason="unavailable")
        return ProtocolError(f"Azure Resource Manager: {what} answered HTTP {status} {code}: {f.message}")


# -- provisioning ----------------------------------------------------------------------------


def provision(ctx: Context, arm: Arm, target: Target, project: str) -> Credentials:
    options, report = arm.options, ctx.report
    registry = arm.run(f"read registry {arm.name}", arm.client.registries.get, arm.rg, arm.name)
    sku = getattr(registry.sku, "name", None)
    report.step("provision", f"registry {registry.name} in resource group {arm.rg} "
                             f"({registry.login_server}, {getattr(sku, 'value', sku)} tier)")
    scope_map = _ensure_scope_map(ctx, arm, options.scope_map_name, project)
    token = _ensure_token(ctx, arm, options.token_name, scope_map.id)
    return _reuse_password(ctx, target, token, options) or _new_password(ctx, arm, token, options)


def _ensure_scope_map(ctx: Context, arm: Arm, map_name: str, project: str) -> Any:
    actions = sorted(f"repositories/{project}/*/{a}" for a in SCOPE_ACTIONS)
    maps = arm.client.scope_maps
    existing = arm.run(f"read scope map {map_name}", maps.get, arm.rg, arm.name, map_name, absent=NOT_THERE)
    if existing is None:
        scope_map = arm.run(f"create scope map {map_name}", lambda: maps.begin_create(
            arm.rg, arm.name, map_name, {"properties": {
                "description": "BinderHub pushes and pulls (binderhub-registry-hook)", "actions": actions}}).result())
        ctx.report.step("provision", f"created scope map {map_name}: {', '.join(actions)}")
    elif sorted(existing.actions or []) != actions:
        scope_map = arm.run(f"update scope map {map_name}", lambda: maps.begin_update(
            arm.rg, arm.name, map_name, {"properties": {"actions": actions}}).result())
        ctx.report.step("provision", f"updated scope map {map_name} to {', '.join(actions)}")
    else:
        scope_map = existing
        ctx.report.step("provision", f"scope map {map_name} is up to date")
    return scope_map


def _ensure_token(ctx: Context, arm: Arm, token_name: str, scope_map_id: str) -> Any:
    tokens = arm.client.tokens
    existing = arm.run(f"read token {token_name}", tokens.get, arm.rg, arm.name, token_name, absent=NOT_THERE)
    wanted = {"scopeMapId": scope_map_id, "status": "enabled"}
    if existing is None:
        token = arm.run(f"create token {token_name}", lambda: tokens.begin_create(
            arm.rg, arm.name, token_name, {"properties": wanted}).result())
        ctx.report.step("provision", f"created ACR token {token_name} with scope map "
                                     f"{scope_map_id.rsplit('/', 1)[-1]}")
    elif (existing.scope_map_id or "").lower() != scope_map_id.lower() or existing.status != "enabled":
        token = arm.run(f"update token {token_name}", lambda: tokens.begin_update(
            arm.rg, arm.name, token_name, {"properties": wanted}).result())
        ctx.report.step("provision", f"updated ACR token {token_name} (scope map, enabled)")
    else:
        token = existing
        ctx.report.step("provision", f"ACR token {token_name} is up to date")
    return token


def _passwords(token: Any) -> dict[str, datetime | None]:
    creds = token.credentials
    return {p.name: p.expiry for p in (getattr(creds, "passwords", None) or []) if p.name}


def _latest(expiry: datetime | None) -> datetime:
    return expiry or datetime.max.replace(tzinfo=timezone.utc)


def _reuse_password(ctx: Context, target: Target, token: Any, options: AzureOptions) -> Credentials | None:
    """The previous run's password, while the newest slot has more than renewBeforeDays left."""
    previous = ctx.previous_login(target.auth_key)
    if previous is None or previous[0] != token.name:
        return None
    slots = _passwords(token)
    newest = max(slots.values(), default=None, key=_latest)
    renew = timedelta(days=options.renew_before_days)
    if not slots or newest is not None and newest - datetime.now(timezone.utc) <= renew:
        return None
    creds = Credentials(token.name, previous[1], origin=f"ACR token {token.name} (previous run)")
    try:
        ctx.registry(target.url).login(creds, None)
    except CredentialsRejected:
        ctx.report.step("provision", f"the previous password of {token.name} is no longer accepted")
        return None
    until = f"until {newest:%Y-%m-%d}" if newest else "without expiry"
    ctx.report.step("provision", f"reusing the previous password of ACR token {token.name} (valid {until})")
    return creds


def _new_password(ctx: Context, arm: Arm, token: Any, options: AzureOptions) -> Credentials:
    slots = _passwords(token)
    # Write the older (or empty) slot: the password BinderHub runs with keeps working.
    slot = next((s for s in SLOTS if s not in slots), None) or min(SLOTS, key=lambda s: _latest(slots[s]))
    expiry = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=options.password_expiry_days)
    body = {"tokenId": token.id, "name": slot, "expiry": expiry.isoformat().replace("+00:00", "Z")}
    result = arm.run(f"generate a password for token {token.name}",
                     lambda: arm.client.registries.begin_generate_credentials(arm.rg, arm.name, body).result())
    value = next((p.value for p in result.passwords or [] if p.value), None)
    if not value:
        raise ProtocolError(f"generateCredentials for token {token.name} returned no password")
    secret = Secret(value)
    ctx.report.step("provision", f"generated {slot} of ACR token {token.name}, expires {expiry:%Y-%m-%d}")
    return Credentials(result.username or token.name, secret, origin=f"ACR token {token.name} ({slot})")


def arm_code(e: Exception) -> str:
    error = getattr(e, "error", None)
    code = getattr(error, "code", None)
    if code:
        return str(code)
    try:
        return str(e.response.json()["error"]["code"])  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any body at all
        return ""


def arm_message(e: Exception) -> str:
    error = getattr(e, "error", None)
    return getattr(error, "message", None) or first_line(e)
