"""The OCI distribution (registry v2) protocol, as far as the hook needs it.

* :meth:`Registry.challenge` reads the ``WWW-Authenticate`` answer of ``GET /v2/``.
* :meth:`Registry.login` turns credentials into request headers (Basic, or a Bearer
  token from the realm the challenge named) and proves the credentials are accepted.
* :meth:`Registry.probe_push` is the only real proof of push rights: it starts a blob
  upload (``POST /v2/NAME/blobs/uploads/`` must answer 202) and cancels it.
* :meth:`Registry.check_pull` repeats BinderHub's own manifest lookup
  (``binderhub/registry.py``: same token url, scope, ``service`` and 401 rules), so a
  passing hook means BinderHub finds the images it built instead of rebuilding them.

Every failure becomes one :mod:`binderhub_registry_hook.errors` error of a known kind.  Transient
failures (connect errors, timeouts, 429, 5xx) are retried with backoff, bounded by
``Timeouts.retry_for``; 401 and 403 never are.
"""

from __future__ import annotations

import json as _json
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlencode, urljoin, urlparse

from binderhub_registry_hook.errors import (
    CredentialsRejected,
    HookError,
    ProtocolError,
    PullDenied,
    PushDenied,
    RepositoryMissing,
)
from binderhub_registry_hook.model import Credentials, PullResult, PushResult
from binderhub_registry_hook.oci import Challenge, basic_header, grant_hint, jwt_access
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import Timeouts
from binderhub_registry_hook.transport import Answer, Transport, errors_text, http_answer

__all__ = ["Answer", "Login", "Registry", "http_answer"]

log = logging.getLogger(__name__)

MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json"
BINDERHUB_SERVICE = "container_registry"  # what BinderHub sends with its token_url
# RFC 6750 b64token, plus what JWTs and vendors' opaque tokens use; never whitespace.
TOKEN_RE = re.compile(r"[A-Za-z0-9._~+/=:-]+")


@dataclass
class Login:
    """Headers that authenticate requests, and what the token said it grants (a hint only)."""

    headers: dict[str, str]
    scheme: str
    granted: list[Any] | None = None


# -- the client -------------------------------------------------------------------------


class Registry:
    """One registry's v2 API at ``url``; ``verify`` is True or a CA bundle path."""

    def __init__(self, url: str, *, verify: bool | str = True, timeouts: Timeouts | None = None):
        self.url = url.rstrip("/")
        self.host = urlparse(self.url).netloc
        self.timeouts = timeouts or Timeouts()
        self.transport = Transport(verify=verify, timeouts=self.timeouts)
        self._challenge: Challenge | None = None

    # -- transport ---------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        json: Any = None,
    ) -> Answer:
        """Send (a path is relative to the registry) within every bound of :mod:`transport`."""
        url = url if "://" in url else self.url + url
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        headers, body = dict(headers or {}), None
        if data is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            body = urlencode(data).encode()
        elif json is not None:
            headers.setdefault("Content-Type", "application/json")
            body = _json.dumps(json).encode()
        return self.transport.send(method, url, what=what, headers=headers, body=body)

    # -- auth ------------------------------------------------------------------------

    def challenge(self) -> Challenge:
        """``GET /v2/`` without credentials: which auth does this registry want?"""
        if self._challenge is None:
            r = self.request("GET", "/v2/", what=f"GET {self.url}/v2/")
            if r.status_code == 200:
                self._challenge = Challenge("none")
            elif r.status_code == 401:
                self._challenge = Challenge.parse(r.headers.get("WWW-Authenticate"))
            elif r.status_code == 404:
                raise ProtocolError(
                    f"{self.url}/v2/ answered 404: not a registry API",
                    fix="registry.url must be the registry's API endpoint",
                )
            else:
                raise ProtocolError(f"{self.url}/v2/ answered {http_answer(r)}")
        return self._challenge

    def login(self, creds: Credentials | None, scope: str | None) -> Login:
        """Authenticate as BinderHub's builds will, and prove the credentials are accepted."""
        ch = self.challenge()
        if ch.scheme == "none":
            return Login({}, "none")
        if creds is None:
            raise CredentialsRejected(
                f"{self.url} requires {ch.scheme} auth and no credentials were given", fix="set registry.credentials"
            )
        if ch.scheme == "basic":
            headers = {"Authorization": basic_header(creds.username, creds.password)}
            r = self.request("GET", "/v2/", what="login", headers=headers)
            if r.status_code in (401, 403):
                raise _rejected(r, self.url, f"user {creds.username!r}")
            if r.status_code != 200:
                raise ProtocolError(f"login at {self.url}/v2/ answered {http_answer(r)}")
            return Login(headers, "basic")
        token, granted = self.fetch_token(ch.realm, creds, service=ch.service, scope=scope)
        return Login({"Authorization": f"Bearer {token.reveal()}"}, "bearer", granted)

    def fetch_token(
        self,
        realm: str,
        creds: Credentials | None,
        *,
        service: str | None,
        scope: str | None,
        extra: dict[str, str] | None = None,
    ) -> tuple[Secret, list[Any] | None]:
        """The token protocol: ``GET realm?service=&scope=`` with Basic credentials."""
        self.check_realm(realm)
        query = [(k, v) for k, v in (("service", service), ("scope", scope)) if v]
        query += list((extra or {}).items())
        sep = "&" if "?" in realm else "?"
        url = realm + (sep + urlencode(query) if query else "")
        headers = {"Authorization": basic_header(creds.username, creds.password)} if creds else {}
        r = self.request("GET", url, what=f"token from {realm}", headers=headers)
        if r.status_code in (401, 403):
            raise _rejected(r, f"token service {realm}", f"user {creds.username!r}" if creds else "anonymous access")
        if r.status_code != 200:
            raise ProtocolError(f"token service {realm} answered {http_answer(r)}")
        try:
            body = r.json()
            token = body.get("token") or body.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not token:
            raise ProtocolError(f"token service {realm} answered 200 without a token")
        if not isinstance(token, str):
            raise ProtocolError(
                f"token service {realm} answered a token that is not a string (a JSON {type(token).__name__})"
            )
        secret = Secret(token)
        if not TOKEN_RE.fullmatch(token):
            raise ProtocolError(
                f"token service {realm} answered a token with spaces, line breaks or "
                "other characters a token cannot hold"
            )
        return secret, jwt_access(token)

    def check_realm(self, realm: str) -> None:
        """Credentials go to the realm the registry names, on any host (as Docker and containerd
        send them), but never over plain http when the registry itself is https."""
        scheme = urlparse(realm).scheme.lower()
        if scheme not in ("http", "https"):
            raise ProtocolError(f"the registry names a token service at {realm[:120]!r}, which is not an http(s) URL")
        if scheme == "http" and urlparse(self.url).scheme == "https":
            raise ProtocolError(
                f"the https registry {self.host} names a plain-http token service "
                f"{realm[:120]}: credentials would travel unencrypted",
                fix="fix the registry's token realm (auth.token.realm) to use https",
            )

    # -- probes -------------------------------------------------------------------------

    def probe_push(
        self, repository: str, creds: Credentials | None, *, accepted: Callable[[], None] | None = None
    ) -> PushResult:
        """Start a blob upload in ``repository`` (202 proves push rights), then cancel it.

        ``accepted`` is called once the login succeeded, before the upload starts (the probe
        starts BinderHub's lookup beside it then, never with credentials known to be wrong)."""
        login = self.login(creds, f"repository:{repository}:push,pull")
        if accepted is not None:
            accepted()
        r = self.request("POST", f"/v2/{repository}/blobs/uploads/", what="push probe", headers=login.headers)
        if r.status_code == 202:
            cancel = self._cancel_upload(r, login)
            return PushResult(repository, 202, cancel is not None and cancel < 300, cancel)
        who = f"user {creds.username!r}" if creds else "anonymous"
        if r.status_code in (401, 403):
            hint = grant_hint(login.granted, repository)
            said = http_answer(r)
            raise PushDenied(
                f"{who} is authenticated but may not push to {self.host}/{repository} ({said}){hint}",
                fix="grant push on this repository, or change registry.imagePrefix to a namespace it may push to",
                answer=said,
            )
        if r.status_code == 404:
            raise RepositoryMissing(
                f"{self.host}/{repository} does not exist and the registry will not create it on push{errors_text(r)}",
                fix="create the repository or namespace, or use registry.mode: provision",
            )
        if r.status_code == 405:
            raise ProtocolError(f"{self.url} does not accept pushes (HTTP 405): read-only or a pull-through cache")
        raise ProtocolError(f"push probe to {repository} answered {http_answer(r)}")

    def _cancel_upload(self, r: Answer, login: Login) -> int | None:
        """Best effort: the reference registry wants the `delete` action for this."""
        location = r.headers.get("Location")
        if not location:
            return None
        url = urljoin(self.url + "/", location)
        here, there = urlparse(self.url), urlparse(url)
        if (there.scheme, there.netloc) != (here.scheme, here.netloc):
            # The credentials go to the registry itself only: an upload elsewhere is left to expire.
            log.debug("not cancelling the probe upload at another origin: %s://%s", there.scheme, there.netloc)
            return None
        try:
            d = self.request("DELETE", url, what="cancel upload", headers=login.headers)
        except (HookError, ValueError) as e:  # never fail a good probe on its clean-up
            log.debug("cancelling the probe upload failed: %s", e)
            return None
        log.debug("cancel of probe upload answered %s", d.status_code)
        return d.status_code

    def check_pull(
        self, repository: str, tag: str, creds: Credentials | None, *, token_url: str, not_found_401: bool
    ) -> PullResult:
        """BinderHub's ``DockerRegistry.get_image_manifest``, step for step."""
        url = f"/v2/{repository}/manifests/{tag}"
        headers = {"Accept": MANIFEST_ACCEPT}
        token = None
        if token_url:
            scope = f"repository:{repository}:pull"
            # BinderHub appends scope and service=container_registry to token_url as it is.
            token, _ = self.fetch_token(
                token_url, creds, service=None, scope=scope, extra={"service": BINDERHUB_SERVICE}
            )
            headers["Authorization"] = f"Bearer {token.reveal()}"
        elif creds is not None:
            headers["Authorization"] = basic_header(creds.username, creds.password)
        r = self.request("GET", url, what="manifest lookup", headers=headers)
        if r.status_code == 401 and token is None and "WWW-Authenticate" in r.headers:
            ch = Challenge.parse(r.headers["WWW-Authenticate"])
            if ch.scheme != "bearer":
                raise PullDenied(f"{self.host} refused BinderHub's manifest lookup for {repository} (HTTP 401)")
            token, _ = self.fetch_token(ch.realm, creds, service=ch.service or "", scope=ch.params.get("scope", ""))
            headers["Authorization"] = f"Bearer {token.reveal()}"
            r = self.request("GET", url, what="manifest lookup", headers=headers)
        if r.status_code == 200:
            return PullResult(repository, 200, "found")
        if r.status_code == 404:
            return PullResult(repository, 404, "missing")
        if r.status_code == 401 and token is not None and not_found_401:
            return PullResult(repository, 401, "missing (401 read as not found)", True)
        if r.status_code in (401, 403):
            raise PullDenied(
                f"BinderHub's manifest lookup of {self.host}/{repository} gets HTTP {r.status_code}"
                f"{errors_text(r)}: every launch would fail or rebuild",
                fix="grant pull to the same credentials, or check the token url",
            )
        raise ProtocolError(f"manifest lookup of {repository} answered {http_answer(r)}")


def _rejected(r: Answer, where: str, who: str) -> CredentialsRejected:
    """A 401/403 to a login: one wording for the registry and its token service."""
    said = http_answer(r)
    return CredentialsRejected(
        f"{where} refused {who} ({said})", fix="check the username and password in registry.credentials", answer=said
    )
