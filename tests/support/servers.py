"""The one way the test servers run: 127.0.0.1, a free port, a daemon thread, a fast stop.

Every stand-in (token services, cloud APIs, the Kubernetes API, the fault proxy) serves
through :class:`LoopbackHTTPServer`, so none of them binds anything but loopback and
each stops within one poll interval.
"""

from __future__ import annotations

import ssl
import threading
from http.server import ThreadingHTTPServer


class LoopbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler, *, tls: ssl.SSLContext | None = None, quiet: bool = False,
                 name: str = "test-server"):
        super().__init__(("127.0.0.1", 0), handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.quiet = quiet  # clients that give up mid-answer are expected: no traceback
        # A short poll interval keeps stop() (which waits for one poll) fast.
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=name, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}"

    def handle_error(self, request, client_address) -> None:
        if not self.quiet:
            super().handle_error(request, client_address)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
