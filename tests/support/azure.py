"""Local stand-ins for Azure: Entra ID, ACR's oauth2 front, and Azure Resource Manager.

* :class:`EntraAuthority` — an HTTPS Microsoft Entra authority. ``azure-identity`` reads
  ``/{tenant}/v2.0/.well-known/openid-configuration`` (MSAL, for client secrets) and posts
  to ``/{tenant}/oauth2/v2.0/token``: client credentials with a secret, or a client
  assertion (workload identity's federated token file). Errors carry the real AADSTS codes.
* :class:`AcrAuthServer` — ACR's ``POST /oauth2/exchange`` (Entra access token -> ACR
  refresh token) and ``GET|POST /oauth2/token``, built on :class:`TokenServer`, so a real
  local registry configured with it trusts the tokens. Basic auth accepts what ACR does:
  the null-GUID user with a refresh token, a service principal's id and secret, or a
  repository-scoped ACR token and its password.
* :class:`ArmServer` — the management calls ``azure-mgmt-containerregistry`` makes for
  scope maps, tokens and ``generateCredentials``, with ARM's error bodies.

All listen on 127.0.0.1 with certificates from one :class:`TestCA`; each ``stop()``s.
Faults: ``server.fail(path_part, [503, 500], headers)`` (Entra, ARM) answers the next
matching requests with those statuses.
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization

from .pki import TestCA
from .registry import LocalRegistry, new_password
from .servers import LoopbackHTTPServer
from .tokenserver import TokenServer, _Handler

NULL_GUID = "00000000-0000-0000-0000-000000000000"
ACR_AUDIENCE = "https://containerregistry.azure.net"
ARM_AUDIENCE = "https://management.azure.com"
EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
REFRESH_LIFETIME = 3 * 3600  # what ACR gives a refresh token


# -- a small JSON-over-HTTPS server -------------------------------------------------------


class _JsonHandler(BaseHTTPRequestHandler):
    server_obj: "JsonHttpsServer"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle and the client's
    # delayed ACK hold every answer back 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - quiet tests
        pass

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        fault = self.server_obj._fault(url.path)
        if fault:
            status, payload, headers = fault
        else:
            status, payload, headers = self.server_obj.handle(self.command, url.path, query, self.headers, body)
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch


class JsonHttpsServer:
    """Threaded HTTPS server; subclasses implement ``handle``; ``requests`` logs calls (no secrets)."""

    def __init__(self, ca: TestCA):
        self.ca = ca
        self.requests: list[dict] = []
        self._faults: list[list] = []
        self._lock = threading.Lock()
        self._httpd: LoopbackHTTPServer | None = None

    def handle(self, method, path, query, headers, body) -> tuple[int, dict | None, dict | None]:
        raise NotImplementedError

    def fail(self, path_part: str, statuses: list[int], headers: dict | None = None) -> None:
        """Answer the next requests whose path contains ``path_part`` with these statuses (faults)."""
        with self._lock:
            self._faults.append([path_part, list(statuses), headers or {}])

    def _fault(self, path: str):
        with self._lock:
            for part, statuses, headers in self._faults:
                if part in path and statuses:
                    status = statuses.pop(0)
                    self.requests.append({"path": path, "status": status, "fault": True})
                    return status, {"error": {"code": "ServiceUnavailable", "message": "injected fault"}}, headers
        return None

    @property
    def url(self) -> str:
        return self._httpd.url

    @property
    def host(self) -> str:
        return self._httpd.host

    def start(self):
        handler = type("Handler", (_JsonHandler,), {"server_obj": self})
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.configure_server(ctx)
        self._httpd = LoopbackHTTPServer(handler, tls=ctx, name=type(self).__name__)
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.stop()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _record(self, **entry) -> None:
        with self._lock:
            self.requests.append(entry)


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


def _bearer(headers) -> str | None:
    scheme, _, value = (headers.get("Authorization") or "").partition(" ")
    return value if scheme.lower() == "bearer" and value else None


# -- Microsoft Entra ID -------------------------------------------------------------------


@dataclass
class App:
    """An app registration / service principal in the tenant."""

    client_id: str
    secret: str | None = None
    secret_expired: bool = False
    federated: list[tuple[str, str]] = field(default_factory=list)  # (issuer, subject)
    object_id: str = field(default_factory=lambda: str(uuid.uuid4()))


class EntraAuthority(JsonHttpsServer):
    def __init__(self, ca: TestCA, tenant_id: str | None = None):
        super().__init__(ca)
        self.tenant_id = tenant_id or str(uuid.uuid4())
        self.apps: dict[str, App] = {}
        self.issued: list[str] = []  # every access token signed: tests assert none leaks into output
        key_pem, _ = ca.signing_key("entra-token-signer")
        self._key = serialization.load_pem_private_key(key_pem, password=None)
        self.public_key = self._key.public_key()

    def add_app(self, client_id: str | None = None, *, secret: str | None = None, expired: bool = False,
                federated: list[tuple[str, str]] | None = None) -> App:
        app = App(client_id or str(uuid.uuid4()), secret, expired, list(federated or []))
        self.apps[app.client_id] = app
        return app

    def issue(self, app: App, audience: str, lifetime: int = 3600) -> str:
        now = int(time.time())
        claims = {"aud": audience, "iss": f"https://sts.windows.net/{self.tenant_id}/", "tid": self.tenant_id,
                  "appid": app.client_id, "azp": app.client_id, "oid": app.object_id, "sub": app.object_id,
                  "iat": now, "nbf": now - 1, "exp": now + lifetime}
        token = jwt.encode(claims, self._key, algorithm="RS256")
        self.issued.append(token)
        return token

    def verify(self, token: str, audiences: tuple[str, ...]) -> dict | None:
        """Claims of an access token this authority issued for one of ``audiences``."""
        try:
            return jwt.decode(token, self.public_key, algorithms=["RS256"], audience=list(audiences))
        except jwt.PyJWTError:
            return None

    def check_secret(self, client_id: str, secret: str) -> App | None:
        app = self.apps.get(client_id)
        if app and app.secret and not app.secret_expired and secrets.compare_digest(app.secret, secret):
            return app
        return None

    # -- HTTP ----------------------------------------------------------------------------

    @staticmethod
    def _error(status: int, error: str, code: int, text: str):
        trace = uuid.uuid4()
        return status, {
            "error": error,
            "error_description": f"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {uuid.uuid4()}"
                                 f"\r\nTimestamp: {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%SZ}",
            "error_codes": [code], "trace_id": str(trace),
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        }, None

    def handle(self, method, path, query, headers, body):
        parts = path.strip("/").split("/")
        tenant = parts[0] if parts else ""
        rest = "/".join(parts[1:])
        if tenant != self.tenant_id:
            self._record(method=method, path=path, status=400)
            return self._error(400, "invalid_tenant", 90002,
                               f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                               "and are signing into the correct cloud.")
        if method == "GET" and rest == "v2.0/.well-known/openid-configuration":
            base = f"{self.url}/{tenant}"
            self._record(method=method, path=path, status=200)
            return 200, {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "issuer": f"{self.url}/{tenant}/v2.0",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                          "client_secret_basic"],
                "tenant_region_scope": "EU",
            }, None
        if method == "POST" and rest == "oauth2/v2.0/token":
            return self._token(_form(body))
        return 404, {"error": "not_found"}, None

    def _token(self, form: dict):
        client_id = form.get("client_id", "")
        entry = {"method": "POST", "path": "token", "client_id": client_id, "scope": form.get("scope"),
                 "grant_type": form.get("grant_type"),
                 "assertion": "client_assertion" in form, "secret": "client_secret" in form}
        status, payload, _ = self._token_answer(form, client_id)
        self._record(**entry, status=status, error=(payload or {}).get("error_codes"))
        return status, payload, None

    def _token_answer(self, form: dict, client_id: str):
        if form.get("grant_type") != "client_credentials":
            return self._error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        app = self.apps.get(client_id)
        if app is None:
            return self._error(400, "unauthorized_client", 700016,
                               f"Application with identifier '{client_id}' was not found in the directory "
                               f"'{self.tenant_id}'.")
        if "client_assertion" in form:
            try:
                claims = jwt.decode(form["client_assertion"], options={"verify_signature": False,
                                                                       "verify_exp": False})
            except jwt.PyJWTError:
                return self._error(400, "invalid_client", 50027, "JWT token is invalid or malformed.")
            if claims.get("exp", 0) < time.time():
                return self._error(400, "invalid_client", 700024, "Client assertion is not within its valid "
                                                                  "time range.")
            aud = claims.get("aud")
            if EXCHANGE_AUDIENCE not in (aud if isinstance(aud, list) else [aud]):
                return self._error(400, "invalid_client", 700212, "No matching federated identity record found "
                                                                  f"for presented assertion audience '{aud}'.")
            if (claims.get("iss"), claims.get("sub")) not in app.federated:
                return self._error(400, "invalid_client", 700213, "No matching federated identity record found "
                                   f"for presented assertion subject '{claims.get('sub')}'.")
        elif "client_secret" in form:
            if app.secret_expired:
                return self._error(401, "invalid_client", 7000222,
                                   f"The provided client secret keys for app '{client_id}' are expired. Visit the "
                                   "Azure portal to create new keys for your app.")
            if not app.secret or not secrets.compare_digest(app.secret, form["client_secret"]):
                return self._error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the "
                                   "secret being sent in the request is the client secret value, not the client "
                                   f"secret ID, for a secret added to app '{client_id}'.")
        else:
            return self._error(401, "invalid_client", 7000218, "The request body must contain the following "
                               "parameter: 'client_assertion' or 'client_secret'.")
        scope = form.get("scope", "").split()
        resource = next((s[: -len("/.default")] for s in scope if s.endswith("/.default")), None)
        if resource is None:
            return self._error(400, "invalid_scope", 1002012, "The provided value for scope is not valid. "
                               "Client credential flows must have a scope value with /.default suffixed.")
        return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                     "access_token": self.issue(app, resource)}, None


def federated_token(issuer: str, subject: str, *, audience: str = EXCHANGE_AUDIENCE, lifetime: int = 3600) -> str:
    """What Kubernetes projects into a workload-identity pod (signed with a throwaway key)."""
    now = int(time.time())
    return jwt.encode({"iss": issuer, "sub": subject, "aud": [audience], "iat": now, "exp": now + lifetime},
                      secrets.token_hex(32), algorithm="HS256")


# -- ARM: the registry's management plane ----------------------------------------------------------


ACTION_GRANTS = {"content/read": "pull", "content/write": "push", "content/delete": "delete"}


@dataclass
class AcrState:
    """One registry's management objects, shared by ArmServer (writes) and AcrAuthServer (reads)."""

    name: str
    subscription_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    resource_group: str = "binder-rg"
    location: str = "westeurope"
    scope_maps: dict[str, dict] = field(default_factory=dict)  # name -> resource JSON
    tokens: dict[str, dict] = field(default_factory=dict)
    # token -> slot -> (value, expiry)
    passwords: dict[str, dict[str, tuple[str, datetime | None]]] = field(default_factory=dict)
    # While True, passwords generated are stored but not accepted yet (a replication delay the
    # real registry will not produce on demand); `pending` holds them.
    new_passwords_unusable: bool = False
    pending: set[str] = field(default_factory=set)

    @property
    def login_server(self) -> str:
        return f"{self.name.lower()}.azurecr.io"

    @property
    def id(self) -> str:
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
                f"/providers/Microsoft.ContainerRegistry/registries/{self.name}")

    def token_for_password(self, username: str, password: str) -> str | None:
        token = self.tokens.get(username)
        if token is None or token["properties"].get("status", "enabled") != "enabled":
            return None
        now = datetime.now(timezone.utc)
        for value, expiry in self.passwords.get(username, {}).values():
            if secrets.compare_digest(value, password) and (expiry is None or expiry > now) \
                    and value not in self.pending:
                return username
        return None

    def token_actions(self, username: str, repository: str) -> set[str]:
        token = self.tokens.get(username)
        scope_map_id = token["properties"].get("scopeMapId", "") if token else ""
        scope_map = self.scope_maps.get(scope_map_id.rsplit("/", 1)[-1])
        granted: set[str] = set()
        for action in (scope_map or {}).get("properties", {}).get("actions", []):
            _, _, rest = action.partition("repositories/")
            for suffix, grant in ACTION_GRANTS.items():
                if rest.endswith("/" + suffix):
                    pattern = rest[: -len(suffix) - 1]
                    if pattern == repository or pattern.endswith("/*") and repository.startswith(pattern[:-1]):
                        granted.add(grant)
        return granted


class ArmServer(JsonHttpsServer):
    """``management.azure.com`` for one registry; ``contributors`` are the client ids allowed to write."""

    def __init__(self, ca: TestCA, authority: EntraAuthority, state: AcrState):
        super().__init__(ca)
        self.authority = authority
        self.state = state
        self.contributors: set[str] = set()
        self.readers: set[str] = set()

    def _error(self, status, code, message):
        return status, {"error": {"code": code, "message": message}}, None

    def handle(self, method, path, query, headers, body):
        st = self.state
        claims = self.authority.verify(_bearer(headers) or "", (ARM_AUDIENCE, self.url))
        entry = {"method": method, "path": path, "api_version": query.get("api-version")}
        if claims is None:
            self._record(**entry, status=401)
            return self._error(401, "InvalidAuthenticationToken", "The access token is invalid.")
        client = claims["appid"]
        if not path.lower().startswith(f"/subscriptions/{st.subscription_id}/".lower()):
            self._record(**entry, status=404)
            return self._error(404, "SubscriptionNotFound", f"The subscription '{path.split('/')[2]}' could not "
                                                            "be found.")
        prefix = f"/subscriptions/{st.subscription_id}/resourceGroups/{st.resource_group}/".lower()
        if not path.lower().startswith(prefix):
            rg = path.split("/")[4] if len(path.split("/")) > 4 else ""
            self._record(**entry, status=404)
            return self._error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
        base = st.id.lower()
        if not path.lower().startswith(base):
            name = path.split("/")[8] if len(path.split("/")) > 8 else ""
            self._record(**entry, status=404)
            return self._error(404, "ResourceNotFound", f"The Resource 'Microsoft.ContainerRegistry/registries/"
                               f"{name}' under resource group '{st.resource_group}' was not found.")
        sub = path[len(base):].strip("/")
        write = method in ("PUT", "PATCH", "POST", "DELETE")
        if client not in self.contributors and (write or client not in self.readers):
            action = "Microsoft.ContainerRegistry/registries/" + (sub.split("/")[0] + "/" if sub else "") + \
                ("write" if write else "read")
            self._record(**entry, status=403)
            return self._error(403, "AuthorizationFailed", f"The client '{client}' with object id "
                               f"'{claims['oid']}' does not have authorization to perform action '{action}' over "
                               f"scope '{st.id}' or the scope is invalid.")
        data = json.loads(body) if body else {}
        status, payload, hdrs = self._route(method, sub, data)
        self._record(**entry, status=status, client=client)
        return status, payload, hdrs

    def _route(self, method, sub, data):
        st = self.state
        parts = sub.split("/") if sub else []
        if not parts and method == "GET":
            return 200, {"id": st.id, "name": st.name, "type": "Microsoft.ContainerRegistry/registries",
                         "location": st.location, "sku": {"name": "Basic", "tier": "Basic"},
                         "properties": {"loginServer": st.login_server, "provisioningState": "Succeeded",
                                        "adminUserEnabled": False}}, None
        if len(parts) == 2 and parts[0] in ("scopeMaps", "tokens"):
            store = st.scope_maps if parts[0] == "scopeMaps" else st.tokens
            name = parts[1]
            if method == "GET":
                if name not in store:
                    return self._error(404, "ResourceNotFound", f"The Resource 'Microsoft.ContainerRegistry/"
                                       f"registries/{st.name}/{parts[0]}/{name}' was not found.")
                return 200, self._view(parts[0], store[name]), None
            if method in ("PUT", "PATCH"):
                if method == "PATCH" and name not in store:
                    return self._error(404, "ResourceNotFound", f"{parts[0]}/{name} was not found.")
                created = name not in store
                resource = store.get(name) or {
                    "id": f"{st.id}/{parts[0]}/{name}", "name": name,
                    "type": f"Microsoft.ContainerRegistry/registries/{parts[0]}", "properties": {
                        "creationDate": datetime.now(timezone.utc).isoformat()}}
                props = dict(resource["properties"])
                incoming = dict(data.get("properties") or {})
                # Passwords come only from generateCredentials; an update that lists passwords by
                # name keeps only those (how `az acr token credential delete` removes one).
                listed = (incoming.pop("credentials", None) or {}).get("passwords")
                if parts[0] == "tokens" and listed is not None:
                    keep = {p.get("name") for p in listed}
                    st.passwords[name] = {k: v for k, v in st.passwords.get(name, {}).items() if k in keep}
                props.update(incoming)
                props["provisioningState"] = "Succeeded"
                if parts[0] == "tokens":
                    props.setdefault("status", "enabled")
                    if props.get("scopeMapId", "").rsplit("/", 1)[-1] not in st.scope_maps:
                        return self._error(400, "ScopeMapNotFound", "The scope map does not exist.")
                resource["properties"] = props
                store[name] = resource
                return (201 if created else 200), self._view(parts[0], resource), None
        if parts == ["generateCredentials"] and method == "POST":
            token_name = (data.get("tokenId") or "").rsplit("/", 1)[-1]
            if token_name not in st.tokens:
                return self._error(404, "TokenNotFound", "The token does not exist.")
            slots = [data["name"]] if data.get("name") else ["password1", "password2"]
            expiry = datetime.fromisoformat(data["expiry"].replace("Z", "+00:00")) if data.get("expiry") else None
            out = []
            for slot in slots:
                value = secrets.token_urlsafe(32)
                if st.new_passwords_unusable:
                    st.pending.add(value)
                st.passwords.setdefault(token_name, {})[slot] = (value, expiry)
                out.append({"name": slot, "value": value, "creationTime": datetime.now(timezone.utc).isoformat(),
                            **({"expiry": expiry.isoformat()} if expiry else {})})
            return 200, {"username": token_name, "passwords": out}, None
        return self._error(404, "NotFound", f"no route {method} {sub}")

    def _view(self, kind: str, resource: dict) -> dict:
        view = json.loads(json.dumps(resource))
        if kind == "tokens":
            view["properties"]["credentials"] = {"passwords": [
                {"name": slot, **({"expiry": exp.isoformat()} if exp else {})}
                for slot, (_, exp) in sorted(self.state.passwords.get(resource["name"], {}).items())]}
        return view


# -- ACR's oauth2 endpoints ------------------------------------------------------------------------


class _AcrHandler(_Handler):
    disable_nagle_algorithm = True  # as in _JsonHandler
    def do_POST(self) -> None:  # noqa: N802
        ts: AcrAuthServer = self.token_server
        if urlsplit(self.path).path != "/oauth2/exchange":
            return super().do_POST()
        length = int(self.headers.get("Content-Length") or 0)
        form = _form(self.rfile.read(length))
        status, body = ts.exchange(form)
        self._json(status, body)


class AcrAuthServer(TokenServer):
    """ACR's ``/oauth2/exchange`` and ``/oauth2/token`` for one registry.

    ``roles`` maps a service principal's client id to ``AcrPush`` or ``AcrPull``
    (role assignments on the registry); ``state`` holds the registry's ACR tokens.
    """

    handler_class = _AcrHandler

    def __init__(self, ca: TestCA, authority: EntraAuthority, state: AcrState):
        super().__init__(ca, service=state.login_server, issuer="Azure Container Registry", tls=True,
                         path="/oauth2/token", default_grant=None)
        self.authority = authority
        self.state = state
        self.roles: dict[str, str] = {}
        self.exchanges: list[dict] = []

    def exchange(self, form: dict) -> tuple[int, dict]:
        entry = {"grant_type": form.get("grant_type"), "service": form.get("service"), "tenant": form.get("tenant")}

        def answer(status, body):
            self.exchanges.append({**entry, "status": status})
            return status, body

        if form.get("grant_type") != "access_token":
            return answer(400, {"errors": [{"code": "UNSUPPORTED", "message": "grant_type must be access_token"}]})
        if form.get("service") != self.service:
            return answer(400, {"errors": [{"code": "INVALID_SERVICE",
                                            "message": f"service must be {self.service}"}]})
        claims = self.authority.verify(form.get("access_token", ""), (ACR_AUDIENCE, ARM_AUDIENCE))
        if claims is None or (form.get("tenant") and form["tenant"] != claims.get("tid")):
            return answer(401, {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]})
        now = int(time.time())
        refresh = jwt.encode({"jti": uuid.uuid4().hex, "sub": claims["appid"], "tenant": claims["tid"],
                              "grant_type": "refresh_token", "aud": self.service, "iss": self.issuer,
                              "iat": now, "nbf": now - 1, "exp": now + REFRESH_LIFETIME, "version": "1.0"},
                             secrets.token_hex(32), algorithm="HS256")
        with self._lock:
            self._refresh_tokens[refresh] = claims["appid"]
        return answer(200, {"refresh_token": refresh})

    def authenticate(self, username: str, password: str) -> str | None:
        if username == NULL_GUID:
            return self._refresh_tokens.get(password)
        if self.authority.check_secret(username, password):
            return username
        return self.state.token_for_password(username, password)

    def grant(self, subject, type_, name, requested):
        if subject is None or type_ != "repository":
            return []
        if subject in self.state.tokens:
            allowed = self.state.token_actions(subject, name)
        else:
            allowed = {"AcrPush": {"push", "pull"}, "AcrPull": {"pull"}}.get(self.roles.get(subject, ""), set())
        return [a for a in requested if a in allowed]


@dataclass
class Azure:
    """One ACR and its cloud: the stand-ins above in front of a real registry, and values that point at them."""

    ca: TestCA
    authority: EntraAuthority
    state: AcrState
    acr: AcrAuthServer
    arm: ArmServer
    registry: LocalRegistry
    tmp: Path

    def service_principal(self, role="AcrPush", *, contributor=False, expired=False):
        app = self.authority.add_app(secret=new_password(), expired=expired)
        if role:
            self.acr.roles[app.client_id] = role
        if contributor:
            self.arm.contributors.add(app.client_id)
        return app

    def values(self, prefix="binder/prod-", mode="validate", **azure) -> Path:
        block = {"registryName": self.state.name, "tenantId": self.authority.tenant_id,
                 "authorityHost": self.authority.url, "oauth2Url": self.acr.url,
                 "resourceManagerEndpoint": self.arm.url, "subscriptionId": self.state.subscription_id,
                 "resourceGroup": self.state.resource_group}
        block.update({k: v for k, v in azure.items() if v is not None})
        for k in [k for k, v in azure.items() if v is None]:
            block.pop(k, None)
        values = {"registry": {
            "type": "azure", "mode": mode, "url": self.registry.url,
            "imagePrefix": f"{self.registry.host}/{prefix}",
            "tls": {"caBundle": self.ca.cert_pem.decode()},
            "timeouts": {"retryFor": 0, "connect": 2, "read": 10},
            "azure": block,
        }}
        path = self.tmp / f"values-{uuid.uuid4().hex[:8]}.yaml"
        path.write_text(json.dumps(values))
        return path

    def creds_file(self, **keys) -> Path:
        path = self.tmp / f"creds-{uuid.uuid4().hex[:8]}.yaml"
        path.write_text(json.dumps(keys))
        return path

    def reset(self, tmp: Path) -> "Azure":
        """A clean cloud for the next test, on the same servers (starting them costs seconds)."""
        self.tmp = tmp
        self.authority.apps.clear()
        self.acr.roles.clear()
        self.arm.contributors.clear()
        self.arm.readers.clear()
        for log in (self.authority.requests, self.acr.requests, self.acr.exchanges, self.arm.requests):
            log.clear()
        for store in (self.state.scope_maps, self.state.tokens, self.state.passwords, self.acr._refresh_tokens):
            store.clear()
        return self
