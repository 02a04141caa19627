"""HTTP for the registry protocol and the registry APIs (Harbor's, ACR's oauth2 front).

One client, on the standard library's ``http.client``, with every bound in one place,
whatever the server does:

* an answer is read as a stream, one receive at a time: at most ``MAX_BODY`` bytes on
  the wire and at most ``MAX_BODY`` once decompressed (gzip, deflate), else one error;
  the largest legitimate answer is a token response or an error document;
* a receive waits at most ``timeouts.read`` and never past the run's deadline
  (``timeouts.total``), which is checked between receives, so a server that trickles one
  byte a second is cut off at the deadline (a trickle inside the status line or headers
  is cut off by the deadline's alarm, :mod:`binderhub_registry_hook.deadline`);
* transient failures (no answer, an answer cut off, 429, 5xx) are retried with backoff
  (tenacity, imported only when a first attempt failed) within ``timeouts.retryFor``: a
  wait that would end past it, ``Retry-After`` included, is not started;
* what retrying cannot mend (a URL that is not http(s) or has no valid port, a header
  value with a line break) is one error at once.

Why not urllib3 (which the cloud SDKs and the Kubernetes client bring anyway): a hook run
sends half a dozen requests to one or two hosts, one after the other, which is what
``http.client`` does; importing urllib3 on top of it cost more than the requests
themselves (benchmarks/README.md).  What urllib3 added is here, and small: one kept-alive
connection per origin (checked before reuse), proxies from the environment (CONNECT for
https), and TLS verified against the system's CAs or ``registry.tls.caBundle``.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import select
import socket
import ssl
import time
import zlib
from base64 import b64encode
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from binderhub_registry_hook.errors import (
    DeadlineExceeded,
    ProtocolError,
    RegistryUnavailable,
    Unreachable,
)
from binderhub_registry_hook.secrets import redact
from binderhub_registry_hook.spec import Timeouts

if TYPE_CHECKING:
    import tenacity

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # 1 MiB
CHUNK = 64 * 1024
RETRY_AFTER_CAP = 30.0
USER_AGENT = "binderhub-registry-hook"
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # what http.client may send: no CR, LF, NUL


class Headers(Mapping[str, str]):
    """An answer's headers: names in any case; a repeated header reads as its values joined
    by ", " (RFC 9110, 5.3), as urllib3 and requests give them."""

    def __init__(self, items: list[tuple[str, str]]):
        self._items = items
        self._joined: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            self._joined[key] = f"{self._joined[key]}, {value}" if key in self._joined else value

    def __getitem__(self, name: str) -> str:
        return self._joined[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._joined

    def __iter__(self) -> Iterator[str]:
        return iter(self._joined)

    def __len__(self) -> int:
        return len(self._joined)


@dataclass(frozen=True)
class Answer:
    """A complete answer, read within every bound."""

    status_code: int
    headers: Headers
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
        self.fix = "check registry.url and that the registry is up"


class _Connect(Exception):
    """No connection: raised by :meth:`Transport._connection`, mapped to a _Transient or a TLS error."""


@dataclass(frozen=True)
class _Route:
    """Where a request goes: the origin, and the proxy (if any) it goes through."""

    scheme: str
    host: str
    port: int
    proxy: tuple[str, str, int, str | None] | None  # (scheme, host, port, Proxy-Authorization)

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"


class Transport:
    """Sends requests for one run: ``verify`` is True (the system's CAs) or a CA bundle path."""

    def __init__(self, *, verify: bool | str = True, timeouts: Timeouts | None = None):
        self.verify = verify
        self.timeouts = timeouts or Timeouts()
        self._connections: dict[_Route, http.client.HTTPConnection] = {}
        self._tls: ssl.SSLContext | None = None

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
        started = time.monotonic()
        try:
            try:
                return self._once(method, url, what, headers, body)
            except _Transient as first:
                return self._retry(first, started, lambda: self._once(method, url, what, headers, body), what)
        except _Transient as e:
            t = self.timeouts
            if e.retry_after is not None and e.retry_after > t.retry_for:
                raise RegistryUnavailable(
                    f"{e.what}; it asks to retry after {e.retry_after:g}s, beyond "
                    f"registry.timeouts.retryFor ({t.retry_for:g}s)"
                ) from None
            if t.remaining() <= 0:
                raise self._expired(what) from None
            if e.connect:
                raise Unreachable(e.what, fix=e.fix, reason=e.reason) from None
            raise RegistryUnavailable(f"{e.what} (gave up after {t.retry_for:g}s of retries)") from None

    def close(self) -> None:
        for conn in self._connections.values():
            conn.close()
        self._connections.clear()

    # -- one attempt --------------------------------------------------------------------

    def _once(self, method: str, url: str, what: str, headers: dict[str, str], body: bytes | None) -> Answer:
        t = self.timeouts
        route = self._route(url)
        conn = self._connection(route, what)
        sock = conn.sock  # kept: http.client lets go of it when the answer says Connection: close
        if route.proxy and route.scheme == "http":
            target = url  # a plain-http proxy takes the whole URL
            if route.proxy[3]:
                headers = {**headers, "Proxy-Authorization": route.proxy[3]}
        else:
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        resp, content = None, None
        try:
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            content = self._read(sock, resp, what)
        except TimeoutError:
            self._left(what)  # the deadline, if that is what cut the wait short
            if resp is None:
                raise _Transient(
                    f"cannot reach {route.netloc}: timed out (no answer within registry.timeouts.read, {t.read:g}s)",
                    connect=True,
                ) from None
            raise _Transient(f"{what}: the answer stalled for registry.timeouts.read ({t.read:g}s)") from None
        except (http.client.HTTPException, OSError) as e:  # reset, cut off mid-body, a bad status line
            raise _Transient(f"{what}: the answer was cut off ({type(e).__name__})", connect=resp is None) from None
        finally:
            if resp is not None:  # done with this answer (else http.client refuses the next request)
                resp.close()
            if content is None or resp is None or resp.will_close:  # this connection cannot be reused
                self._drop(route)
        answer = Answer(resp.status, Headers(resp.getheaders()), content)
        if answer.status_code == 429 or answer.status_code >= 500:
            raise _Transient(f"{what}: {http_answer(answer)}", _retry_after(answer))
        return answer

    def _retry(self, first: _Transient, started: float, again: Callable[[], Answer], what: str) -> Answer:
        """After a first attempt failed: wait and try again, within retryFor and the deadline."""
        import tenacity

        t = self.timeouts
        replay: list[_Transient] = [first]

        def attempt() -> Answer:
            if replay:  # the first attempt, already made: its failure decides the first wait
                raise replay.pop()
            return again()

        def stop(state: tenacity.RetryCallState) -> bool:
            # Decided before each wait: no wait may end past retryFor or past the deadline.
            upcoming = state.upcoming_sleep
            return time.monotonic() - started + upcoming >= t.retry_for or upcoming >= t.remaining()

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Transient),
            stop=stop,
            wait=_wait(tenacity),
            # str() of a _Transient is its `what`
            before_sleep=lambda s: log.info("retrying %s after: %s", what, s.outcome and s.outcome.exception()),
            reraise=True,
        )
        return retrying(attempt)

    # -- connections --------------------------------------------------------------------

    def _route(self, url: str) -> _Route:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
        host = parts.hostname or ""
        proxy = _proxy_for(url)
        if not proxy:
            return _Route(scheme, host, port, None)
        p = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        auth = None
        if p.username is not None:
            pair = f"{unquote(p.username)}:{unquote(p.password or '')}".encode()
            auth = "Basic " + b64encode(pair).decode()
        pscheme = p.scheme.lower()
        if pscheme not in ("http", "https") or not p.hostname:
            raise ProtocolError(f"the proxy {_mask(proxy)} (from the environment) is not an http(s) URL")
        return _Route(scheme, host, port, (pscheme, p.hostname, p.port or (443 if pscheme == "https" else 80), auth))

    def _connection(self, route: _Route, what: str) -> http.client.HTTPConnection:
        """The origin's kept-alive connection if the server has not closed it, else a new one."""
        conn = self._connections.get(route)
        if conn is not None and not _dropped(conn):
            conn.sock.settimeout(min(self.timeouts.read, self._left(what)))
            return conn
        self._drop(route)
        t = self.timeouts
        timeout = min(t.connect, self._left(what))
        if route.proxy:
            pscheme, phost, pport, auth = route.proxy
            if route.scheme == "https":  # a tunnel: CONNECT, then TLS to the origin through it
                conn = http.client.HTTPSConnection(phost, pport, timeout=timeout, context=self._context())
                conn.set_tunnel(route.host, route.port, headers={"Proxy-Authorization": auth} if auth else None)
            elif pscheme == "https":
                conn = http.client.HTTPSConnection(phost, pport, timeout=timeout, context=self._context())
            else:
                conn = http.client.HTTPConnection(phost, pport, timeout=timeout)
        elif route.scheme == "https":
            conn = http.client.HTTPSConnection(route.host, route.port, timeout=timeout, context=self._context())
        else:
            conn = http.client.HTTPConnection(route.host, route.port, timeout=timeout)
        try:
            conn.connect()
        except ssl.SSLError as e:
            conn.close()
            raise _tls_error(route.netloc, e) from None
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            self._left(what)
            where = route.netloc if route.proxy is None else f"{route.netloc} through the proxy {route.proxy[1]}"
            failure = _Transient(
                _connect_reason(where, e), connect=True, reason="dns" if isinstance(e, socket.gaierror) else None
            )
            if route.proxy is not None:
                failure.fix = (
                    "check the proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and its credentials"
                )
            raise failure from None
        assert conn.sock is not None
        conn.sock.settimeout(min(t.read, self._left(what)))
        self._connections[route] = conn
        return conn

    def _drop(self, route: _Route) -> None:
        conn = self._connections.pop(route, None)
        if conn is not None:
            conn.close()

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context(cafile=_ca_bundle(self.verify))
        return self._tls

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

    def _read(self, sock: socket.socket | None, resp: http.client.HTTPResponse, what: str) -> bytes:
        """The body, one receive at a time, within MAX_BODY (before and after decompression)."""
        if resp.length is not None and resp.length > MAX_BODY:
            raise ProtocolError(f"{what}: the answer is larger than {MAX_BODY >> 10} KiB")
        decoder = _decoder(resp.getheader("Content-Encoding", "") or "", what)
        parts, wire, size = [], 0, 0
        while True:
            left = self._left(what)
            if sock is not None:  # each receive ends by the deadline too, not only by timeouts.read
                sock.settimeout(min(self.timeouts.read, left))
            chunk = resp.read1(CHUNK)
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
        if resp.length:  # http.client ends a body cut short by the server without a word
            raise http.client.IncompleteRead(b"", resp.length)
        if decoder is not None:
            parts.append(decoder.flush())
        return b"".join(parts)


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """A kept-alive connection the server closed (or wrote to unasked) since its last answer."""
    if conn.sock is None:
        return True
    try:
        readable, _, _ = select.select([conn.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


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

    parts = urlsplit(url)
    host = parts.hostname or ""
    proxies = getproxies()  # NO_PROXY is its "no" entry, read by the same rules as the others
    if proxy_bypass(host) or _in_ranges(host, proxies.get("no", "")):
        return ""
    return proxies.get(parts.scheme) or proxies.get("all") or ""


def _in_ranges(host: str, no_proxy: str) -> bool:
    """An IP host inside one of NO_PROXY's CIDR ranges (``10.0.0.0/8``), which urllib's
    ``proxy_bypass`` does not read (requests and boto3 do)."""
    ranges = [e.strip() for e in no_proxy.split(",") if "/" in e]
    if not ranges:
        return False
    import ipaddress

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: urllib's rules are the only ones
    for entry in ranges:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # not a range after all
    return False


def _retry_after(r: Answer) -> float | None:
    try:
        value = float(r.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return max(value, 0.0) if value == value else None  # NaN: no advice


def _wait(tenacity: Any) -> Callable[[tenacity.RetryCallState], float]:
    """Exponential backoff from 0.25 s to 8 s, or the server's Retry-After (capped)."""
    backoff = tenacity.wait_exponential(multiplier=0.25, max=8)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, RETRY_AFTER_CAP)
        return float(backoff(state))

    return wait


def _connect_reason(where: str, e: BaseException) -> str:
    """``where`` names the host, and the proxy when the connection goes through one."""
    if isinstance(e, socket.gaierror):
        return f"cannot resolve host {where} (DNS)"
    if isinstance(e, TimeoutError):
        return f"cannot reach {where}: timed out"
    if isinstance(e, ConnectionRefusedError):
        return f"cannot connect to {where}: connection refused"
    if str(e).startswith("Tunnel connection failed"):  # the proxy refused CONNECT: its status line
        return f"cannot connect to {where}: {redact(str(e))[:120]}"
    return f"cannot connect to {where}: {type(e).__name__}"


def _tls_error(host: str, e: Exception) -> Unreachable:
    text = str(e)
    m = re.search(r"certificate verify failed: ([^(')\"]+)", text)
    reason = m.group(1).strip() if m else ("TLS handshake failed" if "SSL" in text else text[:120])
    return Unreachable(
        f"TLS to {host} failed: {reason}",
        fix="set registry.tls.caBundle to the CA that signed the registry's certificate, or fix the certificate",
    )
