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

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlparse

import requests
import tenacity

from binderhub_registry_hook.errors import (
    CredentialsRejected,
    ProtocolError,
    PullDenied,
    PushDenied,
    RegistryUnavailable,
    RepositoryMissing,
    Unreachable,
)
from binderhub_registry_hook.model import Credentials, PullResult, PushResult
from binderhub_registry_hook.oci import Challenge, basic_header, grant_hint, jwt_access
from binderhub_registry_hook.secrets import Secret, redact
from binderhub_registry_hook.spec import Timeouts

log = logging.getLogger(__name__)

MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json"
BINDERHUB_SERVICE = "container_registry"  # what BinderHub sends with its token_url
RETRY_AFTER_CAP = 30.0


@dataclass
class Login:
    """Headers that authenticate requests, and what the token said it grants (a hint only)."""

    headers: dict[str, str]
    scheme: str
    granted: list[Any] | None = None


# -- the client -------------------------------------------------------------------------


class _Transient(Exception):
    def __init__(self, what: str, retry_after: float | None = None, *, connect: bool = False,
                 reason: str | None = None):
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after
        self.connect = connect  # no answer at all, as opposed to an error answer
        self.reason = reason


class Registry:
    """One registry's v2 API at ``url``; ``verify`` is True or a CA bundle path."""

    def __init__(self, url: str, *, verify: bool | str = True, timeouts: Timeouts | None = None,
                 session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.host = urlparse(self.url).netloc
        self.timeouts = timeouts or Timeouts()
        self.session = session or requests.Session()
        # Passed per request: requests lets $REQUESTS_CA_BUNDLE override a session's verify.
        self.verify = verify
        self.session.headers["User-Agent"] = "binderhub-registry-hook"
        self._challenge: Challenge | None = None

    # -- transport ---------------------------------------------------------------

    def request(self, method: str, url: str, *, what: str, **kw: Any) -> requests.Response:
        """Send with bounded retries of transient failures; map the rest to our errors."""
        url = url if "://" in url else self.url + url
        kw.setdefault("timeout", (self.timeouts.connect, self.timeouts.read))
        kw.setdefault("allow_redirects", False)
        kw.setdefault("verify", self.verify)

        def once() -> requests.Response:
            try:
                r = self.session.request(method, url, **kw)
            except requests.exceptions.SSLError as e:
                raise _tls_error(url, e) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as e:
                raise _Transient(_connect_reason(url, e), connect=True,
                                 reason="dns" if _unresolved(e) else None) from None
            except requests.exceptions.RequestException as e:  # e.g. an answer cut off mid-body
                raise _Transient(f"{what}: the answer was cut off ({type(e).__name__})") from None
            if r.status_code == 429 or r.status_code >= 500:
                raise _Transient(f"{what}: {http_answer(r)}", _retry_after(r))
            return r

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Transient),
            stop=tenacity.stop_after_delay(self.timeouts.retry_for),
            wait=_wait,
            # str() of a _Transient is its `what`
            before_sleep=lambda s: log.info("retrying %s after: %s", what, s.outcome and s.outcome.exception()),
            reraise=True,
        )
        try:
            return retrying(once)
        except _Transient as e:
            if e.connect:
                raise Unreachable(e.what, fix="check registry.url and that the registry is up",
                                  reason=e.reason) from None
            raise RegistryUnavailable(f"{e.what} (gave up after {self.timeouts.retry_for:g}s of retries)") from None

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
                raise ProtocolError(f"{self.url}/v2/ answered 404: not a registry API",
                                    fix="registry.url must be the registry's API endpoint")
            else:
                raise ProtocolError(f"{self.url}/v2/ answered {http_answer(r)}")
        return self._challenge

    def login(self, creds: Credentials | None, scope: str | None) -> Login:
        """Authenticate as BinderHub's builds will, and prove the credentials are accepted."""
        ch = self.challenge()
        if ch.scheme == "none":
            return Login({}, "none")
        if creds is None:
            raise CredentialsRejected(f"{self.url} requires {ch.scheme} auth and no credentials were given",
                                      fix="set registry.credentials")
        if ch.scheme == "basic":
            headers = {"Authorization": basic_header(creds.username, creds.password)}
            r = self.request("GET", "/v2/", what="login", headers=headers)
            if r.status_code in (401, 403):
                said = http_answer(r)
                raise CredentialsRejected(f"{self.url} refused user {creds.username!r} ({said})",
                                          fix="check the username and password in registry.credentials", answer=said)
            if r.status_code != 200:
                raise ProtocolError(f"login at {self.url}/v2/ answered {http_answer(r)}")
            return Login(headers, "basic")
        token, granted = self.fetch_token(ch.realm, creds, service=ch.service, scope=scope)
        return Login({"Authorization": f"Bearer {token.reveal()}"}, "bearer", granted)

    def fetch_token(self, realm: str, creds: Credentials | None, *, service: str | None,
                    scope: str | None, extra: dict[str, str] | None = None) -> tuple[Secret, list[Any] | None]:
        """The token protocol: ``GET realm?service=&scope=`` with Basic credentials."""
        query = [(k, v) for k, v in (("service", service), ("scope", scope)) if v]
        query += list((extra or {}).items())
        sep = "&" if "?" in realm else "?"
        url = realm + (sep + urlencode(query) if query else "")
        headers = {"Authorization": basic_header(creds.username, creds.password)} if creds else {}
        r = self.request("GET", url, what=f"token from {realm}", headers=headers)
        if r.status_code in (401, 403):
            who = f"user {creds.username!r}" if creds else "anonymous access"
            said = http_answer(r)
            raise CredentialsRejected(f"token service {realm} refused {who} ({said})",
                                      fix="check the username and password in registry.credentials", answer=said)
        if r.status_code != 200:
            raise ProtocolError(f"token service {realm} answered {http_answer(r)}")
        try:
            body = r.json()
            token = body.get("token") or body.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not token:
            raise ProtocolError(f"token service {realm} answered 200 without a token")
        return Secret(token), jwt_access(token)

    # -- probes -------------------------------------------------------------------------

    def probe_push(self, repository: str, creds: Credentials | None) -> PushResult:
        """Start a blob upload in ``repository`` (202 proves push rights), then cancel it."""
        login = self.login(creds, f"repository:{repository}:push,pull")
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
                f"{self.host}/{repository} does not exist and the registry will not create it on push"
                f"{_errors_text(r)}",
                fix="create the repository or namespace, or use registry.mode: provision",
            )
        if r.status_code == 405:
            raise ProtocolError(f"{self.url} does not accept pushes (HTTP 405): read-only or a pull-through cache")
        raise ProtocolError(f"push probe to {repository} answered {http_answer(r)}")

    def _cancel_upload(self, r: requests.Response, login: Login) -> int | None:
        """Best effort: the reference registry wants the `delete` action for this."""
        location = r.headers.get("Location")
        if not location:
            return None
        try:
            d = self.request("DELETE", urljoin(self.url + "/", location), what="cancel upload",
                             headers=login.headers)
        except Exception as e:  # never fail a good probe on its clean-up
            log.debug("cancelling the probe upload failed: %s", e)
            return None
        log.debug("cancel of probe upload answered %s", d.status_code)
        return d.status_code

    def check_pull(self, repository: str, tag: str, creds: Credentials | None, *,
                   token_url: str, not_found_401: bool) -> PullResult:
        """BinderHub's ``DockerRegistry.get_image_manifest``, step for step."""
        url = f"/v2/{repository}/manifests/{tag}"
        headers = {"Accept": MANIFEST_ACCEPT}
        token = None
        if token_url:
            scope = f"repository:{repository}:pull"
            # BinderHub appends scope and service=container_registry to token_url as it is.
            token, _ = self.fetch_token(token_url, creds, service=None, scope=scope,
                                        extra={"service": BINDERHUB_SERVICE})
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
                f"{_errors_text(r)}: every launch would fail or rebuild",
                fix="grant pull to the same credentials, or check the token url",
            )
        raise ProtocolError(f"manifest lookup of {repository} answered {http_answer(r)}")


# -- helpers --------------------------------------------------------------------------


def http_answer(r: requests.Response) -> str:
    """``HTTP 401: UNAUTHORIZED authentication required``: a registry's answer, for messages."""
    return f"HTTP {r.status_code}{_errors_text(r)}"


def _errors_text(r: requests.Response) -> str:
    """The registry's own error codes (``{"errors": [{"code", "message"}]}``), shortened."""
    try:
        errors = r.json().get("errors") or []
        text = "; ".join(f"{e.get('code', '')} {e.get('message', '')}".strip() for e in errors[:2])
    except (ValueError, AttributeError):
        text = (r.text or "").strip().splitlines()[0] if r.text and r.text.strip() else ""
    text = redact(" ".join(text.split()))[:200]
    return f": {text}" if text else ""


def _retry_after(r: requests.Response) -> float | None:
    value = r.headers.get("Retry-After", "")
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_CAP)
    except ValueError:
        return None


_backoff = tenacity.wait_exponential(multiplier=0.25, max=8)


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Transient) and exc.retry_after is not None:
        return exc.retry_after
    return _backoff(state)


def _unresolved(e: Exception) -> bool:
    """Did the host name not resolve?  requests only says so in its text."""
    text = str(e)
    return "NameResolution" in text or "Name or service not known" in text or "nodename nor servname" in text


def _connect_reason(url: str, e: Exception) -> str:
    host = urlparse(url).netloc
    text = str(e)
    if _unresolved(e):
        return f"cannot resolve host {host} (DNS)"
    if isinstance(e, requests.exceptions.Timeout):
        return f"cannot reach {host}: timed out"
    if "Connection refused" in text:
        return f"cannot connect to {host}: connection refused"
    return f"cannot connect to {host}: {type(e).__name__}"


def _tls_error(url: str, e: Exception) -> Unreachable:
    host = urlparse(url).netloc
    text = str(e)
    m = re.search(r"certificate verify failed: ([^(')\"]+)", text)
    reason = m.group(1).strip() if m else ("TLS handshake failed" if "SSL" in text else text[:120])
    return Unreachable(f"TLS to {host} failed: {reason}",
                       fix="set registry.tls.caBundle to the CA that signed the registry's certificate, "
                           "or fix the certificate")
