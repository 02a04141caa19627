"""A reverse proxy on 127.0.0.1 that injects faults in front of a real server.

``FaultProxy(upstream_url)`` forwards every request unchanged, except that each
request first takes the next action of ``proxy.plan`` (a list; empty means pass):

* ``("status", 503)`` or ``("status", 429, {"Retry-After": "1"})``: answer that instead;
* ``("drop",)``: close the connection without an answer;
* ``("stall", seconds)``: wait, then forward;
* ``("truncate",)``: forward, but send half of the answer's body and close.

Hostile answers (what no real registry does on demand, but an attacker or a broken
proxy may):

* ``("answer", status, headers, body)``: answer exactly that (a token that is a number,
  a gzip bomb with ``Content-Encoding: gzip``...);
* ``("trickle", interval, part)``: forward, then send the answer one byte every
  ``interval`` seconds, from the status line (``part="head"``) or after the headers
  (``part="body"``);
* ``("endless",)``: a chunked 200 answer that never ends;
* ``("echo",)``: forward, but an error answer (>= 400) gets a body that quotes every
  request header, as a misconfigured proxy or token service does.

A trickle or endless answer stops when the client hangs up, or after ``HOSTILE_LIMIT``
seconds, so the server always stops by itself.  ``proxy.default`` is the action taken
when the plan is empty (``("pass",)``).

``proxy.seen`` records (method, path, action) for assertions.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlparse

from .servers import LoopbackHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}
HOSTILE_LIMIT = 60.0  # seconds a trickle or endless answer may last at most


class _Served:
    """``url``/``host``/``port`` of the server, and stop as a context manager."""

    server: LoopbackHTTPServer

    url = property(lambda self: self.server.url)
    host = property(lambda self: self.server.host)
    port = property(lambda self: self.server.port)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class FaultProxy(_Served):
    def __init__(self, upstream: str):
        up = urlparse(upstream)
        self.upstream_host, self.upstream_port = up.hostname, up.port
        self.plan: list[tuple] = []
        self.default: tuple = ("pass",)
        self.seen: list[tuple] = []
        self.connections = 0  # TCP connections accepted: a kept-alive client opens one per origin
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

            def log_message(self, *a):  # quiet
                pass

            def setup(self):
                super().setup()
                with proxy._lock:
                    proxy.connections += 1

            def _handle(self):
                with proxy._lock:
                    action = proxy.plan.pop(0) if proxy.plan else proxy.default
                    proxy.seen.append((self.command, self.path, action[0]))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if action[0] == "answer":
                    status, headers, payload = action[1:]
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if action[0] == "endless":
                    self._endless()
                    return
                if action[0] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if action[0] == "status":
                    status, headers = action[1], action[2] if len(action) > 2 else {}
                    payload = b'{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}'
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if action[0] == "stall":
                    time.sleep(action[1])
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Host"] = f"{proxy.upstream_host}:{proxy.upstream_port}"
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if action[0] == "echo" and resp.status >= 400:
                    quoted = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                    data = json.dumps({"errors": [{"code": "DENIED", "message": f"request was {quoted}"}]}).encode()
                if action[0] == "trickle":
                    self._trickle(resp, data, action[1], action[2])
                    conn.close()
                    return
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if action[0] == "truncate":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                else:
                    self.wfile.write(data)
                conn.close()

            def _trickle(self, resp, data: bytes, interval: float, part: str) -> None:
                head = f"HTTP/1.1 {resp.status} {resp.reason}\r\n"
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        head += f"{k}: {v}\r\n"
                head += f"Content-Length: {len(data)}\r\n\r\n"
                raw = head.encode("latin-1") + data
                if part == "body":
                    self.wfile.write(head.encode("latin-1"))
                    raw = data
                self.close_connection = True
                end = time.monotonic() + HOSTILE_LIMIT
                try:
                    for i in range(len(raw)):
                        if time.monotonic() > end:
                            break
                        self.wfile.write(raw[i:i + 1])
                        self.wfile.flush()
                        time.sleep(interval)
                except OSError:  # the client hung up: what the hook should do
                    pass

            def _endless(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.close_connection = True
                chunk = b"[" * 65536
                end = time.monotonic() + HOSTILE_LIMIT
                try:
                    while time.monotonic() < end:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        # A client that gave up mid-answer is expected here: quiet, no traceback on stderr.
        self.server = LoopbackHTTPServer(Handler, quiet=True, name="fault-proxy")


class TLSServer(_Served):
    """A TLS endpoint on 127.0.0.1 with a chosen certificate (expired, wrong host...).

    It answers every request with 200 ``{}`` once the handshake succeeds, which it
    never should for the hook: the point is the handshake failure.
    """

    def __init__(self, cert):
        import ssl
        import tempfile

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as d:
            chain = f"{d}/chain.pem"
            cert.private_key_and_cert_chain_pem.write_to_path(chain)
            ctx.load_cert_chain(chain)
        # Handshakes the client refuses are the point here: quiet.
        self.server = LoopbackHTTPServer(Handler, tls=ctx, quiet=True, name="tls-server")
