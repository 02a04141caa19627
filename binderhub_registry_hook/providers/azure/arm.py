"""``mode: provision`` on Azure Resource Manager: a scope map on ``repositories/PROJECT/*`` and
an ACR token bound to it, and the token's password (reused while it is valid for longer
than ``renewBeforeDays``); and ARM's error table.

Rotation, make-before-break: an ACR token has two password slots. When the password in use
is inside ``renewBeforeDays`` of its expiry, the *other* slot gets a new password, which is
probed and written and BinderHub rolled; only then is the old slot's password removed
(:func:`remove_passwords`, as ``az acr token credential delete`` does). Which slot is in
use is recorded on the output Secret (``Credentials.ref``).

azure-mgmt-containerregistry is imported here, a module loaded only with this provider.
"""

from __future__ import annotations

import re
from dataclasses import replace
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
DENIED = (
    "grant it a role with Microsoft.ContainerRegistry/registries/scopeMaps/* and tokens/* and "
    "generateCredentials/action on the registry, e.g. 'Container Registry Contributor and "
    "Data Access Configuration Administrator'"
)


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
            "azure.containerregistry",
            ContainerRegistryManagementClient,
            credential=entra.credential(),
            subscription_id=options.subscription_id,
            base_url=endpoint,
            credential_scopes=[f"{endpoint}/.default"],
            connection_verify=ctx.verify(),
            connection_timeout=t.connect,
            read_timeout=t.read,
            retry_total=3,
            polling_interval=1,
        )

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
                return Fault(
                    fault.action, fault.code, fault.message, fault.status, reason=fault.reason, service=Entra.__name__
                )
            return Fault(action, code=arm_code(e), status=e.status_code, reason="unauthenticated")
        if isinstance(e, HttpResponseError):
            return Fault(
                action,
                code=arm_code(e),
                status=e.status_code,
                message=redact(arm_message(e))[:160],
                reason="denied" if e.status_code == 403 else None,
            )
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
            field, shown = {
                "ResourceGroupNotFound": ("resourceGroup", repr(self.rg)),
                "SubscriptionNotFound": ("subscriptionId", str(self.options.subscription_id)),
            }.get(code, ("registryName", f"{self.name!r} in resource group {self.rg!r}"))
            return RepositoryMissing(
                f"Azure has no {shown} ({what}: {code or 'HTTP 404'})", fix=f"check registry.azure.{field}"
            )
        if f.reason == "unauthenticated":
            return CredentialsRejected(
                f"Azure Resource Manager refused the token of {self.entra.client_id} ({what}: HTTP {status} {code})",
                fix="check registry.azure.tenantId is the subscription's tenant",
            )
        if f.reason == "unavailable" and not status:
            return Unreachable(
                f"Azure Resource Manager: {f.message}",
                fix="check registry.azure.resourceManagerEndpoint and the network",
            )
        if status == 403:
            return CloudDenied(f"{self.entra.client_id} may not {what} on registry {self.name} ({code})", fix=DENIED)
        if status >= 500 or status == 429:
            return RegistryUnavailable(
                f"Azure Resource Manager: {what} answered HTTP {status} {code} (after azure-core retries): {f.message}",
                reason="unavailable",
            )
        return ProtocolError(f"Azure Resource Manager: {what} answered HTTP {status} {code}: {f.message}")


# -- provisioning ----------------------------------------------------------------------------


def provision(ctx: Context, arm: Arm, target: Target, project: str) -> Credentials:
    options, report = arm.options, ctx.report
    registry = arm.run(f"read registry {arm.name}", arm.client.registries.get, arm.rg, arm.name)
    sku = getattr(registry.sku, "name", None)
    report.step(
        "provision",
        f"registry {registry.name} in resource group {arm.rg} "
        f"({registry.login_server}, {getattr(sku, 'value', sku)} tier)",
    )
    scope_map = _ensure_scope_map(ctx, arm, options.scope_map_name, project)
    token = _ensure_token(ctx, arm, options.token_name, scope_map.id)
    return _password(ctx, arm, target, token, options)


def _ensure_scope_map(ctx: Context, arm: Arm, map_name: str, project: str) -> Any:
    actions = sorted(f"repositories/{project}/*/{a}" for a in SCOPE_ACTIONS)
    maps = arm.client.scope_maps
    existing = arm.run(f"read scope map {map_name}", maps.get, arm.rg, arm.name, map_name, absent=NOT_THERE)
    if existing is None:
        scope_map = arm.run(
            f"create scope map {map_name}",
            lambda: maps.begin_create(
                arm.rg,
                arm.name,
                map_name,
                {
                    "properties": {
                        "description": "BinderHub pushes and pulls (binderhub-registry-hook)",
                        "actions": actions,
                    }
                },
            ).result(),
        )
        ctx.report.step("provision", f"created scope map {map_name}: {', '.join(actions)}")
    elif sorted(existing.actions or []) != actions:
        scope_map = arm.run(
            f"update scope map {map_name}",
            lambda: maps.begin_update(arm.rg, arm.name, map_name, {"properties": {"actions": actions}}).result(),
        )
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
        token = arm.run(
            f"create token {token_name}",
            lambda: tokens.begin_create(arm.rg, arm.name, token_name, {"properties": wanted}).result(),
        )
        ctx.report.step("provision", f"created ACR token {token_name} with scope map {scope_map_id.rsplit('/', 1)[-1]}")
    elif (existing.scope_map_id or "").lower() != scope_map_id.lower() or existing.status != "enabled":
        token = arm.run(
            f"update token {token_name}",
            lambda: tokens.begin_update(arm.rg, arm.name, token_name, {"properties": wanted}).result(),
        )
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


def _password(ctx: Context, arm: Arm, target: Target, token: Any, options: AzureOptions) -> Credentials:
    """The password to write: the one in use while it is not due, else a new one in the other slot."""
    slots, now = _passwords(token), ctx.now()
    renew = timedelta(days=options.renew_before_days)
    in_use = _in_use(ctx, target, token, slots)
    if in_use is not None:
        slot, secret = in_use
        expiry = slots.get(slot) if slot else max(slots.values(), default=None, key=_latest)
        due = expiry - renew if expiry else None
        current = Credentials(
            token.name,
            secret,
            origin=f"ACR token {token.name} (previous run)",
            valid_until=expiry,
            renew_at=due,
            ref=slot or "",
        )
        if due is None or due > now:
            until = f"until {expiry:%Y-%m-%d}" if expiry else "without expiry"
            ctx.report.step(
                "provision",
                f"reusing the previous password of ACR token {token.name} ({slot or 'slot unknown'}, valid {until})",
            )
            # The other slot is a leftover (a rotation that died, a post-render run): removed after the write.
            return replace(current, retire=tuple(s for s in slots if slot and s != slot))
        if not ctx.claim(f"rotate the password of ACR token {token.name}"):
            ctx.report.warn(
                f"the password of ACR token {token.name} is due for renewal ({due:%Y-%m-%d}); this run "
                "may not renew it (another run is renewing it, or this command writes nothing): keeping it"
            )
            return current
        ctx.report.step(
            "provision",
            f"the password of ACR token {token.name} expires {expiry:%Y-%m-%d}, inside "
            "renewBeforeDays: a new password in the other slot; the old one is removed "
            "once the new one is written",
        )
    # The slot not in use: empty, else the one that expires first.
    busy = in_use[0] if in_use else None
    free = [s for s in SLOTS if s != busy]
    slot = next((s for s in free if s not in slots), None) or min(free, key=lambda s: _latest(slots.get(s)))
    creds = _new_password(ctx, arm, token, slot, options)
    return replace(creds, retire=(busy,) if busy else ())


def _in_use(ctx: Context, target: Target, token: Any, slots: dict[str, datetime | None]) -> tuple[str, Secret] | None:
    """(slot, password) the output Secret holds for this token, when the registry still accepts it.

    The slot comes from the output Secret's record; "" when it is not known (post-render)."""
    previous = ctx.previous_login(target.auth_key)
    if previous is None or previous[0] != token.name or not slots:
        return None
    try:
        ctx.registry(target.url).login(Credentials(token.name, previous[1]), None)
    except CredentialsRejected:
        ctx.report.step("provision", f"the previous password of {token.name} is no longer accepted")
        return None
    slot = ctx.previous_ref if ctx.previous_ref in slots else ""
    return slot, previous[1]


def _new_password(ctx: Context, arm: Arm, token: Any, slot: str, options: AzureOptions) -> Credentials:
    now = ctx.now()
    expiry = now.replace(microsecond=0) + timedelta(days=options.password_expiry_days)
    body = {"tokenId": token.id, "name": slot, "expiry": expiry.isoformat().replace("+00:00", "Z")}
    result = arm.run(
        f"generate a password for token {token.name}",
        lambda: arm.client.registries.begin_generate_credentials(arm.rg, arm.name, body).result(),
    )
    value = next((p.value for p in result.passwords or [] if p.value), None)
    if not value:
        raise ProtocolError(f"generateCredentials for token {token.name} returned no password")
    secret = Secret(value)
    ctx.report.step("provision", f"generated {slot} of ACR token {token.name}, expires {expiry:%Y-%m-%d}")
    return Credentials(
        result.username or token.name,
        secret,
        origin=f"ACR token {token.name} ({slot})",
        valid_until=expiry,
        renew_at=expiry - timedelta(days=options.renew_before_days),
        ref=slot,
    )


def remove_passwords(ctx: Context, arm: Arm, slots: tuple[str, ...]) -> list[str]:
    """Remove the passwords in ``slots`` from our ACR token: the token keeps the others."""
    name = arm.options.token_name
    token = arm.run(f"read token {name}", arm.client.tokens.get, arm.rg, arm.name, name)
    kept = [{"name": s} for s in _passwords(token) if s not in slots]
    gone = [s for s in _passwords(token) if s in slots]
    if gone:
        arm.run(
            f"remove {', '.join(gone)} of token {name}",
            lambda: arm.client.tokens.begin_update(
                arm.rg, arm.name, name, {"properties": {"credentials": {"passwords": kept}}}
            ).result(),
        )
        ctx.report.step(
            "provision", f"removed {', '.join(gone)} of ACR token {name} (replaced by the password now in use)"
        )
    return gone


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
