"""Azure Container Registry: Entra sign-in, ACR's token exchange, repository-scoped ACR tokens.

Three ways to docker credentials, chosen by ``registry.azure.auth`` and ``registry.mode``:

* a service principal (AcrPush) writes its client id and secret directly (long-lived),
  after an Entra sign-in proves tenant, id and secret, so a wrong one is named;
* an Entra access token (workload identity, or a service principal with
  ``dockerLogin: refreshToken``) is exchanged at ``POST /oauth2/exchange`` for an ACR
  refresh token: user ``00000000-0000-0000-0000-000000000000``, about 3 hours;
* ``mode: provision`` creates (or reuses) a scope map on ``repositories/PROJECT/*`` and an
  ACR token bound to it, and writes the token's password, reusing a previous run's
  password while it is valid for longer than ``renewBeforeDays``.

Each path then asks ``/oauth2/token`` for ``repository:…:push,pull`` (a missing AcrPush
is named there) before the common push probe.  The Azure SDKs are imported inside the
functions that use them.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.distribution import Registry, jwt_claims
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsMissing,
    CredentialsRejected,
    HookError,
    ProtocolError,
    PushDenied,
    RegistryUnavailable,
    RepositoryMissing,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers.base import Provider, Target
from binderhub_registry_hook.secrets import Secret, redact

log = logging.getLogger(__name__)

NULL_USER = "00000000-0000-0000-0000-000000000000"  # ACR's docker user for refresh tokens
ACR_SCOPE = "https://containerregistry.azure.net/.default"
PUBLIC_AUTHORITY = "https://login.microsoftonline.com"
PUBLIC_ARM = "https://management.azure.com"
# Authorities MSAL knows; any other host skips instance discovery (which would ask the public cloud).
KNOWN_AUTHORITIES = {"login.microsoftonline.com", "login.chinacloudapi.cn", "login.microsoftonline.us",
                     "login.partner.microsoftonline.cn"}
REFRESH_LIFETIME = timedelta(hours=3)
DEFAULT_PROJECT = "binderhub"
DEFAULT_NAME = "binderhub-registry-hook"
SLOTS = ("password1", "password2")
SCOPE_ACTIONS = ("content/read", "content/write", "metadata/read")

# AADSTS code -> (what it means, the value to fix); `{...}` filled from the provider.
AADSTS = {
    "90002": ("tenant {tenant!r} does not exist", "check registry.azure.tenantId and authorityHost"),
    "900023": ("tenant {tenant!r} is not a valid tenant id", "check registry.azure.tenantId"),
    "90072": ("the identity is not in tenant {tenant!r}", "check registry.azure.tenantId"),
    "700016": ("application {client} is not in tenant {tenant!r}",
               "check registry.azure.clientId and registry.azure.tenantId"),
    "7000222": ("the client secret of application {client} has expired",
                "create a new secret (az ad app credential reset --id {client}) and update {secret_where}"),
    "7000215": ("the client secret of application {client} is wrong",
                "{secret_where} must hold the secret's value, not its id"),
    "7000218": ("no client secret or assertion was sent", "set {secret_where}"),
    "700024": ("the federated token is outside its valid time range",
               "check the token file registry.azure.federatedTokenFile and the pod's clock"),
    "700211": ("no federated credential of application {client} matches the token's issuer",
               "add a federated credential for this cluster's OIDC issuer to application {client}"),
    "700212": ("no federated credential of application {client} matches the token's audience",
               "the federated credential's audience must be api://AzureADTokenExchange"),
    "700213": ("no federated credential of application {client} matches the token's subject",
               "add a federated credential for system:serviceaccount:NAMESPACE:SERVICEACCOUNT of the hook"),
    "70021": ("no federated credential of application {client} matches the token",
              "add a federated credential for the hook's service account to application {client}"),
}


class AzureProvider(Provider):
    name = "azure"
    short_lived = True  # refresh tokens; set per instance below
    can_provision = True

    def __init__(self, ctx):
        super().__init__(ctx)
        o = self.spec.options
        self.registry_name = o["registryName"]
        self.login_server = f"{self.registry_name.lower()}.azurecr.io"
        self.auth = o.get("auth", "servicePrincipal")
        self.exchange = self.auth == "workloadIdentity" or o.get("dockerLogin") == "refreshToken"
        self.short_lived = self.spec.mode != "provision" and self.auth != "acrToken" and self.exchange
        self._verify = None
        self._target: Target | None = None
        self._client_id: str | None = None
        self._tenant: str | None = None

    # -- where -------------------------------------------------------------------------

    def target(self) -> Target:
        url = (self.spec.url or f"https://{self.login_server}").rstrip("/")
        oauth = (self.spec.options.get("oauth2Url") or url).rstrip("/")
        target = Target(url=url, auth_key=url, image_prefix=self._prefix(urlparse(url).netloc),
                        token_url=f"{oauth}/oauth2/token?service={self.login_server}")
        self.check_prefix(target)
        self._target = target
        return target

    def _prefix(self, host: str) -> str:
        """BinderHub needs ``HOST/PROJECT/PREFIX-`` on ACR (BinderHub issue 800): add the level."""
        prefix = self.spec.image_prefix
        first, sep, rest = prefix.partition("/")
        if first != host or not rest or "/" in rest:
            return prefix
        fixed = f"{host}/{DEFAULT_PROJECT}/{rest}"
        self.report.warn(f"registry.imagePrefix: ACR needs a project level in the prefix (BinderHub issue 800); "
                         f"using {fixed} (set it in the values to choose the project)")
        return fixed

    @property
    def project(self) -> str:
        """The repository path BinderHub pushes under, e.g. ``binder`` of ``HOST/binder/prod-``."""
        repository = self._target.image_prefix.split("/", 1)[1]
        return repository.rsplit("/", 1)[0]

    # -- credentials -----------------------------------------------------------------------

    def credentials(self) -> Credentials:
        target = self._target or self.target()
        if self.spec.mode == "provision":
            creds = self._provision(target)
        elif self.auth == "acrToken":
            creds = self.static_credentials()
        else:
            credential = self._entra_credential()
            token = self._entra_token(credential, ACR_SCOPE)
            if self.exchange:
                creds = self._exchange(target, token)
            else:
                secret = self._client_secret()
                creds = Credentials(self._client_id, secret, origin=f"service principal {self._client_id} "
                                                                   f"({self.ctx.source.describe()})")
        actions = self.push_claim(target, creds, self._push_denied)
        if actions is not None:
            self.report.step("credentials", f"ACR grants {','.join(actions) or 'nothing'} on "
                                            f"{target.probe_repository(self.spec.probe_name)} to {creds.username}")
        return creds

    def _push_denied(self, registry: Registry, actions: list[str]) -> HookError:
        who = {"servicePrincipal": f"service principal {self._client_id}",
               "workloadIdentity": f"workload identity {self._client_id}"}.get(self.auth, "the ACR token")
        if self.spec.mode == "provision" or self.auth == "acrToken":
            fix = f"the token's scope map must allow content/write on repositories/{self.project}/*"
        else:
            fix = (f"assign the AcrPush role on registry {self.registry_name}: az role assignment create "
                   f"--role AcrPush --assignee {self._client_id} --scope ACR_ID")
        granted = ",".join(actions) or "nothing"
        return PushDenied(f"{who} may not push to {registry.host}/{self.project}/ (ACR grants {granted})", fix=fix)

    # -- Microsoft Entra ID -------------------------------------------------------------------

    def verify(self) -> bool | str:
        if self._verify is None:
            self._verify = self.ctx.verify()
        return self._verify

    def _authority(self) -> str:
        host = self.spec.options.get("authorityHost") or os.environ.get("AZURE_AUTHORITY_HOST") or PUBLIC_AUTHORITY
        return host.rstrip("/")

    def _tenant_id(self) -> str:
        tenant = self.spec.options.get("tenantId") or os.environ.get("AZURE_TENANT_ID")
        if not tenant:
            raise SpecError("registry.azure.tenantId", "required value is missing",
                            fix="set it, or AZURE_TENANT_ID in the hook's environment")
        return tenant

    def _client_id_value(self) -> str:
        o = self.spec.options
        client = o.get("clientId")
        if not client and self.auth == "servicePrincipal":
            client = self.ctx.source.get(o.get("clientIdKey", "clientId"), secret=False, required=False)
        client = client or os.environ.get("AZURE_CLIENT_ID")
        if not client:
            key = o.get("clientIdKey", "clientId")
            raise SpecError("registry.azure.clientId", "required value is missing",
                            fix=f"set it, or {self.ctx.source.where(key)}, or AZURE_CLIENT_ID in the hook's "
                                "environment")
        return client

    def _secret_key(self) -> str:
        return self.spec.options.get("clientSecretKey", "clientSecret")

    def _client_secret(self) -> Secret:
        return self.ctx.source.get(self._secret_key(), value_path="registry.azure.clientSecretKey")

    def _entra_credential(self):
        """An azure-identity credential for the configured identity (no network yet)."""
        self._tenant = self._tenant_id()
        self._client_id = self._client_id_value()
        authority = self._authority()
        kw = {"authority": authority, "connection_verify": self.verify(),
              "connection_timeout": self.spec.timeouts.connect, "read_timeout": self.spec.timeouts.read,
              "retry_total": 2}
        if urlparse(authority).netloc not in KNOWN_AUTHORITIES:
            kw["disable_instance_discovery"] = True
        if self.auth == "workloadIdentity":
            from azure.identity import WorkloadIdentityCredential

            path = self.spec.options.get("federatedTokenFile") or os.environ.get("AZURE_FEDERATED_TOKEN_FILE")
            if not path or not os.path.isfile(path):
                raise CredentialsMissing(
                    f"no federated token file{f' at {path}' if path else ''} for workload identity",
                    fix="label the hook's pods azure.workload.identity/use: \"true\" and annotate its "
                        "ServiceAccount with azure.workload.identity/client-id, or set "
                        "registry.azure.federatedTokenFile")
            kw.pop("disable_instance_discovery", None)  # no MSAL discovery on this path
            self.report.step("credentials", f"workload identity {self._client_id} in tenant {self._tenant} "
                                            f"(token file {path})")
            return self.ctx.client("azure.workload_identity", WorkloadIdentityCredential, tenant_id=self._tenant,
                                   client_id=self._client_id, token_file_path=path, **kw)
        from azure.identity import ClientSecretCredential

        secret = self._client_secret()
        self.report.step("credentials", f"service principal {self._client_id} in tenant {self._tenant}, "
                                        f"secret from {self.ctx.source.where(self._secret_key())}")
        return self.ctx.client("azure.client_secret", ClientSecretCredential, tenant_id=self._tenant,
                               client_id=self._client_id, client_secret=secret.reveal(), **kw)

    def _entra_token(self, credential, scope: str) -> Secret:
        from azure.core.exceptions import AzureError, ClientAuthenticationError
        from azure.identity import CredentialUnavailableError

        with _quiet_identity():
            try:
                token = credential.get_token(scope)
            except CredentialUnavailableError as e:
                raise CredentialsMissing(f"workload identity unavailable: {_first_line(e)}",
                                         fix="set registry.azure.tenantId, clientId and federatedTokenFile") from None
            except ClientAuthenticationError as e:
                raise self._entra_error(e) from None
            except AzureError as e:
                raise Unreachable(f"Microsoft Entra ID at {self._authority()}: {_first_line(e)}",
                                  fix="check registry.azure.authorityHost and the network") from None
        self.report.step("credentials", f"Entra ID issued a token for {scope.removesuffix('/.default')}, "
                                        f"valid until {_utc(token.expires_on):%H:%M} UTC")
        return Secret(token.token)

    def _entra_error(self, e: Exception) -> HookError:
        text = _first_line(e)
        authority = self._authority()
        if re.search(r"Failed to establish|Name or service not known|NameResolution|timed out|"
                     r"Connection refused|SSLError|CERTIFICATE_VERIFY_FAILED", text):
            return Unreachable(f"Microsoft Entra ID at {authority}: {text[:160]}",
                               fix="check registry.azure.authorityHost, the network and registry.tls.caBundle")
        status = getattr(getattr(e, "response", None), "status_code", None)
        m = re.search(r"HTTP Error: (\d{3})", text)
        status = status or (int(m.group(1)) if m else None)
        if status and (status >= 500 or status == 429):  # an outage, not a wrong credential
            return RegistryUnavailable(f"Microsoft Entra ID at {authority} kept answering HTTP {status} "
                                       "(after azure-identity's retries)", fix="rerun when Entra ID recovers")
        if "Unable to get authority configuration" in text:  # MSAL's answer to an unknown tenant
            code = "90002"
        else:
            m = re.search(r"AADSTS(\d+)", text)
            code = m.group(1) if m else ""
        fields = {"tenant": self._tenant, "client": self._client_id,
                  "secret_where": self.ctx.source.where(self._secret_key())}
        if code in AADSTS:
            what, fix = AADSTS[code]
            return CredentialsRejected(f"Microsoft Entra ID: {what.format(**fields)} (AADSTS{code})",
                                       fix=fix.format(**fields))
        return CredentialsRejected(f"Microsoft Entra ID refused {self._client_id} in tenant {self._tenant}: "
                                   f"{text[:200]}", fix="check registry.azure.tenantId, clientId and the secret")

    # -- ACR's oauth2 front ------------------------------------------------------------------

    def _exchange(self, target: Target, access_token: Secret) -> Credentials:
        """Entra access token -> ACR refresh token (``POST /oauth2/exchange``)."""
        oauth = target.token_url.split("/oauth2/", 1)[0]
        registry = Registry(oauth, verify=self.verify(), timeouts=self.spec.timeouts)
        with self._registry_errors():
            r = registry.request("POST", f"{oauth}/oauth2/exchange", what="ACR token exchange", data={
                "grant_type": "access_token", "service": self.login_server, "tenant": self._tenant,
                "access_token": access_token.reveal()})
        if r.status_code in (401, 403):
            raise CredentialsRejected(
                f"registry {self.registry_name} refused the Entra token of {self._client_id} in "
                f"tenant {self._tenant} (HTTP {r.status_code})",
                fix=f"assign the AcrPush role on the registry to {self._client_id}, and check "
                    "registry.azure.tenantId is the registry's tenant")
        if r.status_code == 404:
            raise RepositoryMissing(f"{oauth}/oauth2/exchange answered 404: no registry {self.registry_name}",
                                    fix="check registry.azure.registryName")
        try:
            refresh = r.json().get("refresh_token") if r.status_code == 200 else None
        except ValueError:
            refresh = None
        if not refresh:
            raise ProtocolError(f"ACR token exchange at {oauth} answered HTTP {r.status_code} without a "
                                "refresh token")
        refresh = Secret(refresh)
        exp = (jwt_claims(refresh.reveal()) or {}).get("exp")
        expires = _utc(exp) if isinstance(exp, (int, float)) else datetime.now(timezone.utc) + REFRESH_LIFETIME
        self.report.step("credentials", f"POST {oauth}/oauth2/exchange: ACR refresh token for "
                                        f"{self._client_id}, user {NULL_USER}")
        return Credentials(NULL_USER, refresh, expires_at=expires,
                           origin=f"ACR refresh token of {self.auth} {self._client_id}")

    @contextmanager
    def _registry_errors(self):
        """A registry name that does not exist does not resolve: say which value that is."""
        try:
            yield
        except Unreachable as e:
            if "resolve" in e.message:
                raise Unreachable(f"no Azure container registry {self.registry_name!r}: {e.message}",
                                  fix="check registry.azure.registryName") from None
            raise

    def push_claim(self, target, creds, denied):
        with self._registry_errors():
            return super().push_claim(target, creds, denied)

    # -- provisioning ------------------------------------------------------------------------

    def _provision(self, target: Target) -> Credentials:
        o = self.spec.options
        rg, name = o["resourceGroup"], self.registry_name
        client = self._mgmt_client(self._entra_credential())
        token_name = o.get("tokenName", DEFAULT_NAME)
        map_name = o.get("scopeMapName", DEFAULT_NAME)

        with self._arm_errors(f"read registry {name}"):
            registry = client.registries.get(rg, name)
        sku = getattr(registry.sku, "name", None)
        self.report.step("provision", f"registry {registry.name} in resource group {rg} "
                                      f"({registry.login_server}, {getattr(sku, 'value', sku)} tier)")
        scope_map = self._ensure_scope_map(client, rg, map_name)
        token = self._ensure_token(client, rg, token_name, scope_map.id)
        creds = self._reuse_password(target, token) or self._new_password(client, rg, token)
        return creds

    def _mgmt_client(self, credential):
        from azure.mgmt.containerregistry import ContainerRegistryManagementClient

        endpoint = (self.spec.options.get("resourceManagerEndpoint") or PUBLIC_ARM).rstrip("/")
        return self.ctx.client(
            "azure.containerregistry", ContainerRegistryManagementClient, credential=credential,
            subscription_id=self.spec.options["subscriptionId"], base_url=endpoint,
            credential_scopes=[f"{endpoint}/.default"], connection_verify=self.verify(),
            connection_timeout=self.spec.timeouts.connect, read_timeout=self.spec.timeouts.read,
            retry_total=3, polling_interval=1)

    def _ensure_scope_map(self, client, rg: str, map_name: str):
        actions = sorted(f"repositories/{self.project}/*/{a}" for a in SCOPE_ACTIONS)
        name = self.registry_name
        existing = self._get(client.scope_maps, rg, map_name, f"read scope map {map_name}")
        if existing is None:
            with self._arm_errors(f"create scope map {map_name}"):
                scope_map = client.scope_maps.begin_create(rg, name, map_name, {"properties": {
                    "description": "BinderHub pushes and pulls (binderhub-registry-hook)",
                    "actions": actions}}).result()
            self.report.step("provision", f"created scope map {map_name}: {', '.join(actions)}")
        elif sorted(existing.actions or []) != actions:
            with self._arm_errors(f"update scope map {map_name}"):
                scope_map = client.scope_maps.begin_update(rg, name, map_name, {"properties": {
                    "actions": actions}}).result()
            self.report.step("provision", f"updated scope map {map_name} to {', '.join(actions)}")
        else:
            scope_map = existing
            self.report.step("provision", f"scope map {map_name} is up to date")
        return scope_map

    def _ensure_token(self, client, rg: str, token_name: str, scope_map_id: str):
        name = self.registry_name
        existing = self._get(client.tokens, rg, token_name, f"read token {token_name}")
        wanted = {"scopeMapId": scope_map_id, "status": "enabled"}
        if existing is None:
            with self._arm_errors(f"create token {token_name}"):
                token = client.tokens.begin_create(rg, name, token_name, {"properties": wanted}).result()
            self.report.step("provision", f"created ACR token {token_name} with scope map "
                                          f"{scope_map_id.rsplit('/', 1)[-1]}")
        elif (existing.scope_map_id or "").lower() != scope_map_id.lower() or existing.status != "enabled":
            with self._arm_errors(f"update token {token_name}"):
                token = client.tokens.begin_update(rg, name, token_name, {"properties": wanted}).result()
            self.report.step("provision", f"updated ACR token {token_name} (scope map, enabled)")
        else:
            token = existing
            self.report.step("provision", f"ACR token {token_name} is up to date")
        return token

    def _get(self, operations, rg: str, item: str, what: str):
        try:
            with self._arm_errors(what):
                return operations.get(rg, self.registry_name, item)
        except _NotFound:
            return None

    def _passwords(self, token) -> dict[str, datetime | None]:
        creds = token.credentials
        return {p.name: p.expiry for p in (getattr(creds, "passwords", None) or []) if p.name}

    def _reuse_password(self, target: Target, token) -> Credentials | None:
        """The previous run's password, while the newest slot has more than renewBeforeDays left."""
        from binderhub_registry_hook.dockerconfig import previous_login

        previous = previous_login(self.ctx.previous, target.auth_key)
        if previous is None or previous[0] != token.name:
            return None
        slots = self._passwords(token)
        newest = max(slots.values(), default=None, key=lambda e: e or datetime.max.replace(tzinfo=timezone.utc))
        renew = timedelta(days=self.spec.options.get("renewBeforeDays", 30))
        if not slots or newest is not None and newest - datetime.now(timezone.utc) <= renew:
            return None
        creds = Credentials(token.name, previous[1], origin=f"ACR token {token.name} (previous run)")
        registry = Registry(target.url, verify=self.verify(), timeouts=self.spec.timeouts)
        try:
            registry.login(creds, None)
        except CredentialsRejected:
            self.report.step("provision", f"the previous password of {token.name} is no longer accepted")
            return None
        until = f"until {newest:%Y-%m-%d}" if newest else "without expiry"
        self.report.step("provision", f"reusing the previous password of ACR token {token.name} (valid {until})")
        return creds

    def _new_password(self, client, rg: str, token) -> Credentials:
        slots = self._passwords(token)
        # Write the older (or empty) slot: the password BinderHub runs with keeps working.
        slot = next((s for s in SLOTS if s not in slots), None) or min(
            SLOTS, key=lambda s: slots[s] or datetime.max.replace(tzinfo=timezone.utc))
        days = self.spec.options.get("passwordExpiryDays", 365)
        expiry = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)
        with self._arm_errors(f"generate a password for token {token.name}"):
            result = client.registries.begin_generate_credentials(rg, self.registry_name, {
                "tokenId": token.id, "name": slot, "expiry": expiry.isoformat().replace("+00:00", "Z")}).result()
        value = next((p.value for p in result.passwords or [] if p.value), None)
        if not value:
            raise ProtocolError(f"generateCredentials for token {token.name} returned no password")
        secret = Secret(value)
        self.report.step("provision", f"generated {slot} of ACR token {token.name}, expires {expiry:%Y-%m-%d}")
        return Credentials(result.username or token.name, secret, origin=f"ACR token {token.name} ({slot})")

    @contextmanager
    def _arm_errors(self, what: str):
        """Azure Resource Manager answers -> our errors, each naming the value or role to fix."""
        from azure.core.exceptions import (
            ClientAuthenticationError,
            HttpResponseError,
            ResourceNotFoundError,
            ServiceRequestError,
        )

        o = self.spec.options
        try:
            with _quiet_identity():  # the first ARM call signs in
                yield
        except ResourceNotFoundError as e:
            code = _arm_code(e)
            if what.startswith("read ") and not what.startswith("read registry") and code in (
                    "ResourceNotFound", "NotFound", ""):
                raise _NotFound() from None
            value = {"ResourceGroupNotFound": f"resourceGroup {o['resourceGroup']!r}",
                     "SubscriptionNotFound": f"subscriptionId {o['subscriptionId']}"}.get(
                code, f"registryName {self.registry_name!r} in resource group {o['resourceGroup']!r}")
            field_ = value.split(" ", 1)[0]
            raise RepositoryMissing(f"Azure has no {value.split(' ', 1)[1]} ({what}: {code or 'HTTP 404'})",
                                    fix=f"check registry.azure.{field_}") from None
        except ClientAuthenticationError as e:
            if e.response is None or re.search(r"AADSTS|authority", str(e)):
                raise self._entra_error(e) from None
            raise CredentialsRejected(f"Azure Resource Manager refused the token of {self._client_id} "
                                      f"({what}: HTTP {e.status_code} {_arm_code(e)})",
                                      fix="check registry.azure.tenantId is the subscription's tenant") from None
        except HttpResponseError as e:
            code = _arm_code(e)
            if e.status_code == 403:
                raise CloudDenied(
                    f"{self._client_id} may not {what} on registry {self.registry_name} ({code})",
                    fix="grant it a role with Microsoft.ContainerRegistry/registries/scopeMaps/* and tokens/* and "
                        "generateCredentials/action on the registry, e.g. 'Container Registry Contributor and "
                        "Data Access Configuration Administrator'") from None
            kind = RegistryUnavailable if e.status_code >= 500 or e.status_code == 429 else ProtocolError
            raise kind(f"Azure Resource Manager: {what} answered HTTP {e.status_code} {code}"
                       f"{' (after azure-core retries)' if kind is RegistryUnavailable else ''}: "
                       f"{redact(_arm_message(e))[:160]}") from None
        except ServiceRequestError as e:
            raise Unreachable(f"Azure Resource Manager: {_first_line(e)[:160]}",
                              fix="check registry.azure.resourceManagerEndpoint and the network") from None


class _NotFound(Exception):
    pass


# -- helpers ----------------------------------------------------------------------------------


def _first_line(e: Exception) -> str:
    text = getattr(e, "message", None) or str(e)
    text = text.split("Trace ID:", 1)[0]
    return redact(" ".join(text.split()))


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def _arm_code(e) -> str:
    error = getattr(e, "error", None)
    code = getattr(error, "code", None)
    if code:
        return str(code)
    try:
        return str(e.response.json()["error"]["code"])
    except Exception:  # noqa: BLE001 - any body at all
        return ""


def _arm_message(e) -> str:
    error = getattr(e, "error", None)
    return getattr(error, "message", None) or _first_line(e)


@contextmanager
def _quiet_identity():
    """azure-identity logs each failure at WARNING; we raise one line instead."""
    logger = logging.getLogger("azure.identity")
    old = logger.level
    if not log.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)
