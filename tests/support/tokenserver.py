"""A real Docker registry token server, on 127.0.0.1, for tests.

Implements https://distribution.github.io/distribution/spec/auth/token/ and
the OAuth2 variant (spec/auth/oauth):

* ``GET  /token?service=S&scope=T:NAME:ACTIONS[&scope=...]`` with optional
  HTTP Basic auth.
* ``POST /token`` form, ``grant_type=password`` or ``refresh_token``.

Tokens are RS256 JWTs whose ``x5c`` header carries a certificate chaining to
``TestCA``; a registry started with that CA as ``rootcertbundle`` accepts them.

Meant to be reused as the auth front of cloud-registry stand-ins: subclass or
pass ``authenticate=`` / ``grant=`` callables to change who gets what.
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qs, urlsplit

import jwt

from .pki import TestCA
from .servers import LoopbackHTTPServer

# A grant rule, per subject:
#   "*" or ["*"]                    -> every requested action, everywhere
#   ["pull"]                        -> at most these actions, everywhere
#   {"team/": ["push", "pull"], "": ["pull"]}
#                                   -> by longest matching repository-name prefix
GrantRule = str | Iterable[str] | Mapping[str, Iterable[str]]


def parse_scope(scope: str) -> tuple[str, str, list[str]] | None:
    """'repository:a/b:push,pull' -> ('repository', 'a/b', ['push', 'pull'])."""
    type_, sep, rest = scope.partition(":")
    name, sep2, actions = rest.rpartition(":")
    if not (sep and sep2 and name):
        return None
    type_ = type_.split("(", 1)[0]  # drop a resource class: repository(plugin)
    return type_, name, [a for a in actions.split(",") if a]


def allowed_by_rule(rule: GrantRule | None, name: str, requested: list[str]) -> list[str]:
    if rule is None:
        return []
    if isinstance(rule, Mapping):
        prefixes = [p for p in rule if name.startswith(p)]
        if not prefixes:
            return []
        rule = rule[max(prefixes, key=len)]
    allowed = {rule} if isinstance(rule, str) else set(rule)
    if "*" in allowed:
        return list(requested)
    return [a for a in requested if a in allowed]


class TokenServer:
    """Threaded token server. Use as a context manager or call start()/stop()."""

    def __init__(
        self,
        ca: TestCA | None = None,
        *,
        users: Mapping[str, str] | None = None,
        grants: Mapping[str, GrantRule] | None = None,
        default_grant: GrantRule | None = "*",
        anonymous: GrantRule | None = None,
        service: str = "test-registry",
        issuer: str = "test-token-issuer",
        expires_in: int = 300,
        tls: bool = False,
        path: str = "/token",
        authenticate: Callable[[str, str], str | None] | None = None,
        grant: Callable[[str | None, str, str, list[str]], list[str]] | None = None,
    ) -> None:
        self.ca = ca or TestCA()
        self.users = dict(users or {})
        # Mutable on purpose: tests may change rules between requests.
        self.grants: dict[str, GrantRule] = dict(grants or {})
        self.default_grant = default_grant
        self.anonymous = anonymous
        self.service = service
        self.issuer = issuer
        self.expires_in = expires_in
        self.tls = tls
        self.path = path
        if authenticate is not None:
            self.authenticate = authenticate
        if grant is not None:
            self.grant = grant
        self.requests: list[dict] = []
        self.issued: list[str] = []  # every token signed: tests assert none leaks into output
        self._refresh_tokens: dict[str, str] = {}
        self._key_pem, self._x5c = self.ca.signing_key()
        self._httpd: LoopbackHTTPServer | None = None
        self._lock = threading.Lock()

    # -- policy hooks (override or pass as callables) --------------------------

    def authenticate(self, username: str, password: str) -> str | None:
        """Return the subject for valid credentials, else None."""
        expected = self.users.get(username)
        if expected is not None and secrets.compare_digest(expected, password):
            return username
        return None

    def grant(self, subject: str | None, type_: str, name: str, requested: list[str]) -> list[str]:
        """Actions granted to `subject` (None: anonymous) on resource `type_:name`."""
        if subject is None:
            rule = self.anonymous
        else:
            rule = self.grants.get(subject, self.default_grant)
        return allowed_by_rule(rule, name, requested)

    # -- tokens ---------------------------------------------------------------

    def issue_token(self, subject: str | None, access: list[dict], *, expires_in: int | None = None) -> str:
        """Sign a registry JWT; also handy for tests that need a crafted token."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": subject or "",
            # A string, not a list: distribution 2.8 only accepts a string `aud`.
            "aud": self.service,
            "exp": now + (self.expires_in if expires_in is None else expires_in),
            "nbf": now - 1,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        token = jwt.encode(claims, self._key_pem, algorithm="RS256", headers={"x5c": self._x5c})
        self.issued.append(token)
        return token

    def _access_for(self, subject: str | None, scopes: list[str]) -> list[dict]:
        access = []
        for scope in scopes:
            parsed = parse_scope(scope)
            if parsed is None:
                continue
            type_, name, requested = parsed
            granted = self.grant(subject, type_, name, requested)
            # Like real servers, keep the entry even when nothing was granted.
            access.append({"type": type_, "name": name, "actions": list(granted)})
        return access

    # -- server ---------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._httpd.url

    @property
    def realm(self) -> str:
        return self.url + self.path

    @property
    def root_cert_pem(self) -> bytes:
        """PEM of the CA the token-signing chain ends in (a registry's rootcertbundle)."""
        return self.ca.cert_pem

    def start(self) -> "TokenServer":
        # Subclasses may serve more paths with `handler_class` (a subclass of _Handler).
        base = getattr(self, "handler_class", None) or _Handler
        handler = type("Handler", (base,), {"token_server": self})
        ctx = None
        if self.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ca.configure_server(ctx)
        self._httpd = LoopbackHTTPServer(handler, tls=ctx, name="token-server")
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.stop()
            self._httpd = None

    def __enter__(self) -> "TokenServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _record(self, **entry) -> None:
        with self._lock:
            self.requests.append(entry)


class _Handler(BaseHTTPRequestHandler):
    token_server: TokenServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def _json(self, status: int, body: dict, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _unauthorized(self, message: str) -> None:
        ts = self.token_server
        self._json(
            401,
            {"errors": [{"code": "UNAUTHORIZED", "message": message}], "details": message},
            {"WWW-Authenticate": f'Basic realm="{ts.realm}"'},
        )

    def _basic_auth(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username, _, password = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return username, password

    def _scopes(self, query: dict[str, list[str]]) -> list[str]:
        # Several `scope` params, and OAuth2 style space-separated lists in one.
        return [s for value in query.get("scope", []) for s in value.split()]

    def do_GET(self) -> None:  # noqa: N802
        ts = self.token_server
        url = urlsplit(self.path)
        if url.path != ts.path:
            self._json(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
            return
        query = parse_qs(url.query, keep_blank_values=True)
        query.pop("password", None)  # never keep a secret someone put in a URL
        creds = self._basic_auth()
        username = creds[0] if creds else None
        entry = {"method": "GET", "path": url.path, "query": query, "user": username}
        if self.headers.get("Authorization") and creds is None:
            ts._record(**entry, status=401)
            self._unauthorized("unsupported authorization")
            return
        subject = ts.authenticate(*creds) if creds else None
        if creds and subject is None:
            ts._record(**entry, status=401)
            self._unauthorized("incorrect username or password")
            return
        scopes = self._scopes(query)
        access = ts._access_for(subject, scopes)
        ts._record(**entry, subject=subject, scopes=scopes, access=access, status=200)
        self._token_response(subject, access, scopes, refresh=query.get("offline_token") == ["true"])

    def do_POST(self) -> None:  # noqa: N802
        ts = self.token_server
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        if url.path != ts.path:
            self._json(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
            return
        field = lambda k: (form.get(k) or [""])[0]  # noqa: E731
        grant_type = field("grant_type")
        # Record everything but secrets.
        safe = {k: v for k, v in form.items() if k not in ("password", "refresh_token")}
        entry = {"method": "POST", "path": url.path, "query": safe, "user": field("username") or None}
        if grant_type == "password":
            subject = ts.authenticate(field("username"), field("password"))
        elif grant_type == "refresh_token":
            subject = ts._refresh_tokens.get(field("refresh_token"))
        else:
            ts._record(**entry, status=400)
            self._json(400, {"error": "unsupported_grant_type"})
            return
        if subject is None:
            ts._record(**entry, status=401)
            self._json(401, {"error": "invalid_grant", "error_description": "invalid credentials"})
            return
        scopes = self._scopes(form)
        access = ts._access_for(subject, scopes)
        ts._record(**entry, subject=subject, scopes=scopes, access=access, status=200)
        refresh = grant_type == "password" and field("access_type") == "offline"
        self._token_response(subject, access, scopes, refresh=refresh)

    def _token_response(self, subject, access, scopes, *, refresh: bool) -> None:
        ts = self.token_server
        token = ts.issue_token(subject, access)
        body = {
            "token": token,
            "access_token": token,
            "expires_in": ts.expires_in,
            "issued_at": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "scope": " ".join(scopes),
        }
        if refresh and subject is not None:
            rt = secrets.token_urlsafe(24)
            ts._refresh_tokens[rt] = subject
            body["refresh_token"] = rt
        self._json(200, body)
