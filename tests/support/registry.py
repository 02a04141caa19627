"""Run the real CNCF distribution registry (Debian `docker-registry`, 2.8) locally.

Each LocalRegistry gets its own directory (config, storage, log, certificates),
binds 127.0.0.1 on a free port and is killed on stop().
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Mapping

import requests

from .pki import TestCA
from .tokenserver import GrantRule, TokenServer

REGISTRY_BIN = shutil.which("docker-registry") or "/usr/bin/docker-registry"
HTPASSWD_BIN = shutil.which("htpasswd") or "/usr/bin/htpasswd"


def new_password() -> str:
    # Random per registry: no password is written in the test sources.
    return "s3cret-" + secrets.token_urlsafe(12)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def htpasswd_line(username: str, password: str) -> str:
    """A bcrypt htpasswd line (the only hash distribution accepts).

    The password goes through stdin (-i), never the command line.
    """
    out = subprocess.run(
        [HTPASSWD_BIN, "-niB", username], input=password, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


class RegistryError(RuntimeError):
    pass


class LocalRegistry:
    """A started `docker-registry serve` process.

    auth: "none", "htpasswd" (users) or "token" (a TokenServer, created here
    unless one is passed in; a created one is stopped with the registry).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        auth: str = "none",
        tls: bool = False,
        users: Mapping[str, str] | None = None,
        grants: Mapping[str, GrantRule] | None = None,
        anonymous: GrantRule | None = None,
        token_server: TokenServer | None = None,
        service: str = "test-registry",
        ca: TestCA | None = None,
        realm: str | None = None,
        startup_timeout: float = 15,
        bind: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if auth not in ("none", "htpasswd", "token"):
            raise ValueError(f"unknown auth mode {auth!r}")
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.auth = auth
        self.tls = tls
        self.users = dict(users or {})
        if ca is None and token_server is not None:
            ca = token_server.ca  # one CA for the token chain and TLS
        if ca is None and (tls or auth == "token"):
            ca = TestCA()
        self.ca = ca
        self.config_path = self.workdir / "config.yml"
        self.log_path = self.workdir / "registry.log"
        self.storage = self.workdir / "storage"
        self.ca_path: Path | None = None
        self.cert_dir: Path | None = None
        self.token_server = token_server
        self.realm = realm  # token auth: the realm clients are sent to (default: the token server's)
        self._owns_token_server = False
        self._proc: subprocess.Popen | None = None
        # bind: loopback, or the gateway address of a bridge the tests' cluster made (pods
        # reach it there). port: 0 for a free one; a fixed one to restart "the same" registry.
        self.bind = bind
        self._fixed_port = port
        self.port = port

        if auth == "token" and token_server is None:
            self.token_server = TokenServer(
                self.ca, users=self.users, grants=grants, anonymous=anonymous,
                service=service, tls=tls,
            ).start()
            self._owns_token_server = True
        try:
            self._start(startup_timeout)
        except BaseException:
            self.stop()
            raise

    # -- addresses --------------------------------------------------------------

    @property
    def host(self) -> str:
        """host:port, as used in image references and docker config.json keys."""
        return f"{self.bind}:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}"

    @property
    def verify(self) -> str | bool:
        """The `verify=` value for `requests` against this registry."""
        return str(self.ca_path) if self.tls else True

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # -- lifecycle --------------------------------------------------------------

    def _config(self) -> dict:
        config = {
            "version": 0.1,
            "log": {"level": "info", "formatter": "text"},
            "storage": {
                "filesystem": {"rootdirectory": str(self.storage)},
                "delete": {"enabled": True},
                # No background purge goroutine touching the tmp dir mid-test.
                "maintenance": {"uploadpurging": {"enabled": False}},
            },
            "http": {
                "addr": self.host,
                "secret": secrets.token_hex(16),
                "headers": {"X-Content-Type-Options": ["nosniff"]},
            },
        }
        if self.tls:
            cert, key = self.ca.server_cert(self.workdir)
            config["http"]["tls"] = {"certificate": str(cert), "key": str(key)}
        if self.auth == "htpasswd":
            path = self.workdir / "htpasswd"
            path.write_text("".join(htpasswd_line(u, p) + "\n" for u, p in self.users.items()))
            path.chmod(0o600)
            config["auth"] = {"htpasswd": {"realm": "test-registry", "path": str(path)}}
        elif self.auth == "token":
            bundle = self.workdir / "token-root.pem"
            bundle.write_bytes(self.token_server.root_cert_pem)
            ts = self.token_server
            config["auth"] = {
                "token": {
                    "realm": self.realm or ts.realm,
                    "service": ts.service,
                    "issuer": ts.issuer,
                    "rootcertbundle": str(bundle),
                }
            }
        return config

    def _start(self, timeout: float) -> None:
        if self.tls:
            # Clients: `requests` takes ca_path; skopeo takes a directory of *.crt.
            self.cert_dir = self.workdir / "certs.d"
            self.cert_dir.mkdir(exist_ok=True)
            self.ca_path = self.ca.write_ca(self.cert_dir / "ca.crt")
        # Registry env vars (REGISTRY_*) override the config file: drop them.
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
        for _attempt in range(3):  # another process may grab the free port first
            self.port = self._fixed_port or free_port(self.bind)
            # YAML is a superset of JSON, so no YAML writer is needed.
            self.config_path.write_text(json.dumps(self._config(), indent=2))
            with open(self.log_path, "ab") as log:
                self._proc = subprocess.Popen(
                    [REGISTRY_BIN, "serve", str(self.config_path)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=env, start_new_session=True,
                )
            if self._wait_ready(timeout):
                return
            if "address already in use" not in self.log():
                break
        raise RegistryError(f"registry did not start; log {self.log_path}:\n{self.log()[-2000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                r = requests.get(self.url + "/v2/", verify=self.verify, timeout=2)
                if r.status_code in (200, 401):
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self._kill()
        return False

    def _kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        self._proc = None

    def stop(self) -> None:
        self._kill()
        if self._owns_token_server and self.token_server is not None:
            self.token_server.stop()

    def __enter__(self) -> "LocalRegistry":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<LocalRegistry {self.url} auth={self.auth}>"
