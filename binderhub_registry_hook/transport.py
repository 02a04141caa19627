"""HTTP for the registry protocol and the registry APIs (Harbor's, ACR's oauth2 front).

One client, on urllib3, with every bound in one place, whatever the server does:

* an answer is read as a stream, one receive at a time: at most ``MAX_BODY`` bytes on
  the wire and at most ``MAX_BODY`` once decompressed (gzip, deflate), else one error;
  the largest legitimate answer is a token response or an error document;
* a receive waits at most ``timeouts.read`` and never past the run's deadline
  (``timeouts.total``), which is checked between receives, so a server that trickles one
  byte a second is cut off at the deadline (a trickle inside the status line or headers
  is cut off by the deadline's alarm, :mod:`binderhub_registry_hook.deadline`);
* transient failures (no answer, an answer cut off, 429, 5xx) are retried with backoff
  within ``timeouts.retryFor``: a wait that would end past it, ``Retry-After`` included,
  is not started;
* what retrying cannot mend (a URL that is not http(s) or has no valid port, a header
  value with a line break) is one error at once.
"""

from __future__ import annotations

import json
import logging
import os
import re
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import tenacity
import urllib3
from tenacity.stop import stop_base
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from binderhub_registry_hook.errors import (
    DeadlineExceeded,
    ProtocolError,
    RegistryUnavailable,
    Unreachable,
)
from binderhub_registry_hook.secrets import redact
from binderhub_registry_hook.spec import Timeouts

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # 1 MiB
CHUNK = 64 * 1024
RETRY_AFTER_CAP = 30.0
USER_AGENT = "binderhub-registry-hook"
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # what http.client may send: no CR, LF, NUL


@dataclass(frozen=True)
class Answer:
    """A complete answer, read within every bound."""

    status_code: int
    headers: urllib3.HTTPHeaderDict
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not (deep nesting included)."""
        try:
            return json.loads(self.content)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


class _Transient(Exception):
    def __init__(
        self, what: str, retry_after: float | None = None, *, connect: bool = False, reason: str | None = None
    ):
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after
        self.connect = connect  # no answer at all, as opposed to an error answer
        self.reason = reason  # errors.REASONS: "dns" when the host name does not resolve


class _StopBeforeDeadline(stop_base):
    """No wait that would end past the run's deadline."""

    def __init__(self, timeouts: Timeouts):
        self.timeouts = timeouts

    def __call__(self, state: tenacity.RetryCallState) -> bool:
        return bool(state.upcoming_sleep >= self.timeouts.remaining())


class Transport:
    """Sends requests for one run: ``verify`` is True (the system's CAs) or a CA bundle path."""

    def __init__(self, *, verify: bool | str = True, timeouts: Timeouts | None = None):
        self.verify = verify
        self.timeouts = timeouts or Timeouts()
        self._pools: dict[str, urllib3.PoolManager] = {}

    def send(
        self, method: str, url: str, *, what: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> Answer:
        """One request, retried while transient; every other failure is one of our errors."""
        _check_url(url, what)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **(headers or {})}
        for name, value in headers.items():
            if not _HEADER_VALUE.fullmatch(value):
                raise ProtocolError(
                    f"{what}: the {name} header would hold a line break or a character HTTP "
                    "cannot carry (from a token or credential?)"
                )
        t = self.timeouts

        def once() -> Answer:
            left = self._left(what)
            timeout = urllib3.Timeout(connect=min(t.connect, left), read=min(t.read, left))
            resp, content = None, None
            try:
                resp = self._pool(url).urlopen(
                    method,
                    url,
                    body=body,
                    headers=headers,
                    timeout=timeout,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=False,
                )
                content = self._read(resp, what)
            except SSLError as e:
                raise _tls_error(url, e) from None
            except (NewConnectionError, ConnectTimeoutError) as e:
                raise _Transient(
                    _connect_reason(url, e), connect=True, reason="dns" if isinstance(e, NameResolutionError) else None
                ) from None
            except ReadTimeoutError:
                self._left(what)  # the deadline, if that is what cut the wait short
                if resp is None:
                    raise _Transient(
                        f"cannot reach {urlsplit(url).netloc}: timed out (no answer within "
                        f"registry.timeouts.read, {t.read:g}s)",
                        connect=True,
                    ) from None
                raise _Transient(f"{what}: the answer stalled for registry.timeouts.read ({t.read:g}s)") from None
            except HTTPError as e:  # connection reset, an answer cut off mid-body, a bad status line
                if resp is None and "Connection refused" in str(e):
                    raise _Transient(
                        f"cannot connect to {urlsplit(url).netloc}: connection refused", connect=True
                    ) from None
                raise _Transient(f"{what}: the answer was cut off ({type(e).__name__})", connect=resp is None) from None
            finally:
                if resp is not None:
                    if content is None:  # stopped mid-answer: this connection cannot be reused
                        resp.close()
                    resp.release_conn()
            answer = Answer(resp.status, resp.headers, content)
            if answer.status_code == 429 or answer.status_code >= 500:
                raise _Transient(f"{what}: {http_answer(answer)}", _retry_after(answer))
            return answer

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Transient),
            # Decided before each wait: no wait may end past retryFor or past the deadline.
            stop=tenacity.stop_before_delay(t.retry_for) | _StopBeforeDeadline(t),
            wait=_wait,
            # str() of a _Transient is its `what`
            before_sleep=lambda s: log.info("retrying %s after: %s", what, s.outcome and s.outcome.exception()),
            reraise=True,
        )
        try:
            return retrying(once)
        except _Transient as e:
            if e.retry_after is not None and e.retry_after > t.retry_for:
                raise RegistryUnavailable(
                    f"{e.what}; it asks to retry after {e.retry_after:g}s, beyond "
                    f"registry.timeouts.retryFor ({t.retry_for:g}s)"
                ) from None
            if t.remaining() <= 0:
                raise self._expired(what) from None
            if e.connect:
                raise Unreachable(
                    e.what, fix="check registry.url and that the registry is up", reason=e.reason
                ) from None
            raise RegistryUnavailable(f"{e.what} (gave up after {t.retry_for:g}s of retries)") from None

    # -- bounds -----------------------------------------------------------------------

    def _left(self, what: str) -> float:
        left = self.timeouts.remaining()
        if left <= 0:
            raise self._expired(what)
        return left

    def _expired(self, what: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"{what}: no complete answer before registry.timeouts.total ({self.timeouts.total:g}s) ran out",
            fix="the registry or its token service is too slow; raise registry.timeouts.total "
            "only if it is known to be",
        )

    def _read(self, resp: urllib3.BaseHTTPResponse, what: str) -> bytes:
        """The body, one receive at a time, within MAX_BODY (before and after decompression)."""
        decoder = _decoder(resp.headers.get("Content-Encoding", ""), what)
        parts, wire, size = [], 0, 0
        while True:
            left = self._left(what)
            sock = getattr(resp.connection, "sock", None)
            if sock is not None:  # each receive ends by the deadline too, not only by timeouts.read
                sock.settimeout(min(self.timeouts.read, left))
            chunk = resp.read1(CHUNK, decode_content=False)
            if not chunk:
                break
            wire += len(chunk)
            if wire > MAX_BODY:
                raise ProtocolError(f"{what}: the answer is larger than {MAX_BODY >> 10} KiB")
            data = _inflate(decoder, chunk, MAX_BODY + 1 - size, what) if decoder else chunk
            size += len(data)
            if size > MAX_BODY or (decoder is not None and decoder.unconsumed_tail):
                raise ProtocolError(f"{what}: the answer decompresses to more than {MAX_BODY >> 10} KiB")
            parts.append(data)
        if decoder is not None:
            parts.append(decoder.flush())
        return b"".join(parts)

    def _pool(self, url: str) -> urllib3.PoolManager:
        proxy = _proxy_for(url)
        pool = self._pools.get(proxy)
        if pool is None:
            ca = _ca_bundle(self.verify)
            pool = (
                urllib3.ProxyManager(proxy, num_pools=4, cert_reqs="CERT_REQUIRED", ca_certs=ca)
                if proxy
                else urllib3.PoolManager(num_pools=4, cert_reqs="CERT_REQUIRED", ca_certs=ca)
            )
            self._pools[proxy] = pool
        return pool


# -- helpers ----------------------------------------------------------------------------


def http_answer(r: Answer) -> str:
    """``HTTP 401: UNAUTHORIZED authentication required``: a registry's answer, for messages."""
    return f"HTTP {r.status_code}{errors_text(r)}"


def errors_text(r: Answer) -> str:
    """The registry's own error codes (``{"errors": [{"code", "message"}]}``), shortened, redacted."""
    try:
        errors = r.json().get("errors") or []
        text = "; ".join(f"{e.get('code', '')} {e.get('message', '')}".strip() for e in errors[:2])
    except (ValueError, AttributeError, TypeError):
        body = r.text.strip()
        text = body.splitlines()[0] if body else ""
    text = redact(" ".join(text.split()))[:200]
    return f": {text}" if text else ""


def _check_url(url: str, what: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError when out of range
    except ValueError:
        raise ProtocolError(f"{what}: {_mask(url)} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProtocolError(f"{what}: {_mask(url)} is not an http(s) URL")


def _mask(url: str) -> str:
    return re.sub(r"(?<=://)[^/@\s]*@", "***@", url)[:120]


def _decoder(encoding: str, what: str) -> Any:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise ProtocolError(f"{what}: the answer is encoded as {encoding[:40]!r}, which was not asked for")


def _inflate(decoder: Any, chunk: bytes, limit: int, what: str) -> bytes:
    try:
        return bytes(decoder.decompress(chunk, limit))
    except zlib.error:
        raise ProtocolError(f"{what}: the compressed answer is corrupt") from None


def _ca_bundle(verify: bool | str) -> str:
    if isinstance(verify, str):
        return verify
    import certifi

    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or certifi.where()


def _proxy_for(url: str) -> str:
    """The proxy the environment names for ``url`` (HTTPS_PROXY, NO_PROXY...), or ""."""
    if not any(k.lower() in ("http_proxy", "https_proxy", "all_proxy") for k in os.environ):
        return ""
    from urllib.request import getproxies, proxy_bypass

    host = urlsplit(url).hostname or ""
    if proxy_bypass(host):
        return ""
    proxies = getproxies()
    return proxies.get(urlsplit(url).scheme) or proxies.get("all") or ""


def _retry_after(r: Answer) -> float | None:
    try:
        value = float(r.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return max(value, 0.0) if value == value else None  # NaN: no advice


_backoff = tenacity.wait_exponential(multiplier=0.25, max=8)


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Transient) and exc.retry_after is not None:
        return min(exc.retry_after, RETRY_AFTER_CAP)
    return _backoff(state)


def _connect_reason(url: str, e: Exception) -> str:
    host = urlsplit(url).netloc
    text = str(e)
    if isinstance(e, NameResolutionError) or "Name or service not known" in text or "nodename nor servname" in text:
        return f"cannot resolve host {host} (DNS)"
    if isinstance(e, ConnectTimeoutError) and not isinstance(e, NewConnectionError):
        return f"cannot reach {host}: timed out"
    if "Connection refused" in text:
        return f"cannot connect to {host}: connection refused"
    return f"cannot connect to {host}: {type(e).__name__}"


def _tls_error(url: str, e: Exception) -> Unreachable:
    host = urlsplit(url).netloc
    text = str(e)
    m = re.search(r"certificate verify failed: ([^(')\"]+)", text)
    reason = m.group(1).strip() if m else ("TLS handshake failed" if "SSL" in text else text[:120])
    return Unreachable(
        f"TLS to {host} failed: {reason}",
        fix="set registry.tls.caBundle to the CA that signed the registry's certificate, or fix the certificate",
    )
