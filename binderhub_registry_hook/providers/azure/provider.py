"""Azure Container Registry: Entra sign-in, ACR's token exchange, repository-scoped ACR tokens.

Three ways to docker credentials, chosen by ``registry.azure.auth`` and ``registry.mode``:

* a service principal (AcrPush) writes its client id and secret directly (long-lived),
  after an Entra sign-in (:mod:`.entra`) proves tenant, id and secret, so a wrong one is named;
* an Entra access token (workload identity, or a service principal with
  ``dockerLogin: refreshToken``) is exchanged at ``POST /oauth2/exchange`` for an ACR
  refresh token: user ``00000000-0000-0000-0000-000000000000``, about 3 hours;
* ``mode: provision`` creates (or reuses) a scope map on ``repositories/PROJECT/*`` and an
  ACR token bound to it, and writes the token's password (:mod:`.arm`).

Each path then asks ``/oauth2/token`` for ``repository:…:push,pull`` (a missing AcrPush
is named there) before the common push probe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import (
    CredentialsRejected,
    HookError,
    ProtocolError,
    PushDenied,
    RepositoryMissing,
    Unreachable,
)
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.oci import jwt_claims
from binderhub_registry_hook.providers.azure import arm
from binderhub_registry_hook.providers.azure.entra import Entra, utc
from binderhub_registry_hook.providers.azure.options import AzureOptions
from binderhub_registry_hook.providers.base import Denied, Provider, check_prefix, push_claim, static_credentials
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import RegistrySpec

NULL_USER = "00000000-0000-0000-0000-000000000000"  # ACR's docker user for refresh tokens
ACR_SCOPE = "https://containerregistry.azure.net/.default"
REFRESH_LIFETIME = timedelta(hours=3)
DEFAULT_PROJECT = "binderhub"


class AzureProvider(Provider[AzureOptions]):
    name = "azure"
    options_type = AzureOptions
    can_provision = True

    def plan(self, spec: RegistrySpec, options: AzureOptions) -> Target:
        login_server = _login_server(options)
        url = (spec.url or f"https://{login_server}").rstrip("/")
        oauth = (options.oauth2_url or url).rstrip("/")
        prefix, warnings = _prefix(spec.image_prefix, urlparse(url).netloc)
        target = Target(
            url=url, auth_key=url, image_prefix=prefix, token_url=f"{oauth}/oauth2/token?service={login_server}"
        )
        check_prefix(target, spec.probe_name)
        return replace(target, warnings=warnings)

    def credentials(self, ctx: Context, target: Target, options: AzureOptions) -> Credentials:
        project = project_of(target)
        entra: Entra | None = None
        if ctx.spec.mode == "provision":
            entra = Entra(ctx, options)
            creds = arm.provision(ctx, arm.Arm(ctx, options, entra), target, project)
        elif options.auth == "acrToken":
            creds = static_credentials(ctx)
        else:
            entra = Entra(ctx, options)
            token = entra.token(entra.credential(), ACR_SCOPE)
            if options.exchange:
                creds = _exchange(ctx, target, token, entra, options)
            else:
                creds = Credentials(
                    entra.client_id,
                    entra.client_secret(),
                    origin=f"service principal {entra.client_id} ({ctx.source.describe()})",
                )
        with _registry_errors(options):
            actions = push_claim(ctx, target, creds, _push_denied(ctx, options, entra, project))
        if actions is not None:
            ctx.report.step(
                "credentials",
                f"ACR grants {','.join(actions) or 'nothing'} on "
                f"{target.probe_repository(ctx.spec.probe_name)} to {creds.username}",
            )
        return creds

    def retire(self, ctx: Context, target: Target, options: AzureOptions, refs: tuple[str, ...]) -> list[str]:
        """Remove the password slots that the written password replaced."""
        return arm.remove_passwords(ctx, arm.Arm(ctx, options, Entra(ctx, options)), refs)


def _login_server(options: AzureOptions) -> str:
    return f"{options.registry_name.lower()}.azurecr.io"


def _prefix(prefix: str, host: str) -> tuple[str, tuple[str, ...]]:
    """BinderHub needs ``HOST/PROJECT/PREFIX-`` on ACR (BinderHub issue 800): add the level."""
    first, _, rest = prefix.partition("/")
    if first != host or not rest or "/" in rest:
        return prefix, ()
    fixed = f"{host}/{DEFAULT_PROJECT}/{rest}"
    return fixed, (
        f"registry.imagePrefix: ACR needs a project level in the prefix (BinderHub issue 800); "
        f"using {fixed} (set it in the values to choose the project)",
    )


def project_of(target: Target) -> str:
    """The repository path BinderHub pushes under, e.g. ``binder`` of ``HOST/binder/prod-``."""
    repository = target.image_prefix.split("/", 1)[1]
    return repository.rsplit("/", 1)[0]


def _push_denied(ctx: Context, options: AzureOptions, entra: Entra | None, project: str) -> Denied:
    def denied(registry: Registry, actions: list[str]) -> HookError:
        client = entra.client_id if entra else None
        who = {
            "servicePrincipal": f"service principal {client}",
            "workloadIdentity": f"workload identity {client}",
        }.get(options.auth, "the ACR token")
        if ctx.spec.mode == "provision" or options.auth == "acrToken":
            fix = f"the token's scope map must allow content/write on repositories/{project}/*"
        else:
            fix = (
                f"assign the AcrPush role on registry {options.registry_name}: az role assignment create "
                f"--role AcrPush --assignee {client} --scope ACR_ID"
            )
        granted = ",".join(actions) or "nothing"
        return PushDenied(f"{who} may not push to {registry.host}/{project}/ (ACR grants {granted})", fix=fix)

    return denied


def _exchange(ctx: Context, target: Target, access_token: Secret, entra: Entra, options: AzureOptions) -> Credentials:
    """Entra access token -> ACR refresh token (``POST /oauth2/exchange``)."""
    oauth = (target.token_url or "").split("/oauth2/", 1)[0]
    name = options.registry_name
    with _registry_errors(options):
        r = ctx.registry(oauth).request(
            "POST",
            f"{oauth}/oauth2/exchange",
            what="ACR token exchange",
            data={
                "grant_type": "access_token",
                "service": _login_server(options),
                "tenant": entra.tenant,
                "access_token": access_token.reveal(),
            },
        )
    if r.status_code in (401, 403):
        raise CredentialsRejected(
            f"registry {name} refused the Entra token of {entra.client_id} in "
            f"tenant {entra.tenant} (HTTP {r.status_code})",
            status=r.status_code,
            fix=f"assign the AcrPush role on the registry to {entra.client_id}, and check "
            "registry.azure.tenantId is the registry's tenant",
        )
    if r.status_code == 404:
        raise RepositoryMissing(
            f"{oauth}/oauth2/exchange answered 404: no registry {name}",
            fix="check registry.azure.registryName",
            status=404,
            reason="not_found",
        )
    try:
        refresh = r.json().get("refresh_token") if r.status_code == 200 else None
    except (ValueError, AttributeError):
        refresh = None
    if not refresh or not isinstance(refresh, str):
        raise ProtocolError(
            f"ACR token exchange at {oauth} answered HTTP {r.status_code} without a refresh token", status=r.status_code
        )
    secret = Secret(refresh)
    exp = (jwt_claims(secret.reveal()) or {}).get("exp")
    expires = utc(exp) if isinstance(exp, (int, float)) else datetime.now(timezone.utc) + REFRESH_LIFETIME
    ctx.report.step(
        "credentials", f"POST {oauth}/oauth2/exchange: ACR refresh token for {entra.client_id}, user {NULL_USER}"
    )
    return Credentials(
        NULL_USER, secret, expires_at=expires, origin=f"ACR refresh token of {options.auth} {entra.client_id}"
    )


@contextmanager
def _registry_errors(options: AzureOptions) -> Iterator[None]:
    """A registry name that does not exist does not resolve: say which value that is."""
    try:
        yield
    except Unreachable as e:
        if e.reason != "dns":
            raise
        raise Unreachable(
            f"no Azure container registry {options.registry_name!r}: {e.message}",
            fix="check registry.azure.registryName",
            reason="dns",
        ) from None
