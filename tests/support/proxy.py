"""A real forward proxy: Debian's tinyproxy, as a site's HTTPS_PROXY would be.

It listens on 127.0.0.1, or with ``listen=`` on an address the test itself made (the
cluster's bridge, so that pods reach it).

It forwards plain-http requests (absolute URLs) and tunnels https with CONNECT; with
``auth=(user, password)`` it demands Proxy-Authorization (407 otherwise).  Its log
(LogLevel Connect) records every request and tunnel, so a test can prove the traffic
went through it.  The process stops with the context manager.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from .registry import free_port

TINYPROXY_BIN = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"


class TinyProxy:
    def __init__(self, workdir: Path, *, auth: tuple[str, str] | None = None, listen: str = "127.0.0.1"):
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port(listen)
        self.log = workdir / "tinyproxy.log"
        self.log.touch()
        lines = [
            f"Port {self.port}",
            f"Listen {listen}",
            "Timeout 30",
            "LogLevel Connect",
            f"LogFile \"{self.log}\"",
            f"PidFile \"{workdir / 'tinyproxy.pid'}\"",
            "MaxClients 20",
            "DisableViaHeader Yes",
        ]
        if listen == "127.0.0.1":
            lines.append("Allow 127.0.0.1")  # elsewhere: no Allow line, every client (the pods)
        if auth:
            lines.append(f"BasicAuth {auth[0]} {auth[1]}")
        # No ConnectPort line: CONNECT to any port (the test registries listen on free ports).
        self.host = listen
        self.config = workdir / "tinyproxy.conf"
        self.config.write_text("\n".join(lines) + "\n")
        self.config.chmod(0o600)
        self._proc = subprocess.Popen([TINYPROXY_BIN, "-d", "-c", str(self.config)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"tinyproxy exited with {self._proc.returncode}: {self.log.read_text()[-500:]}")
            try:
                socket.create_connection((listen, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("tinyproxy did not listen within 10 s")

    def url(self, auth: tuple[str, str] | None = None) -> str:
        where = f"{self.host}:{self.port}"
        return f"http://{auth[0]}:{auth[1]}@{where}" if auth else f"http://{where}"

    def logged(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> "TinyProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
