"""A real kube-apiserver on its own (no kubelet, no controllers), for RBAC and admission proofs.

``KubeAPIServer.start(workdir)`` runs Debian's etcd and the kube-apiserver that
scripts/cluster builds from the ``k8s.io/kubernetes`` module (cached under
``$CLUSTER_CACHE``, default /var/cache/binderhub-registry-hook, or named by
``$KUBE_APISERVER``), both on 127.0.0.1 and free ports, with RBAC authorization, every
default admission plugin (ValidatingAdmissionPolicy included), TLS from a test CA and an
admin token.  ServiceAccount tokens come from the TokenRequest API, as a pod's would.
Everything is stopped, and its directory removed, on ``stop()``.

``available()`` says why not when a binary is missing: the caller skips with that reason.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import requests

from .registry import free_port

CACHE = os.environ.get("CLUSTER_CACHE", "/var/cache/binderhub-registry-hook")
START_TIMEOUT = 60.0


def apiserver_binary() -> str | None:
    named = os.environ.get("KUBE_APISERVER")
    if named:
        return named if os.access(named, os.X_OK) else None
    found = sorted(glob.glob(f"{CACHE}/kubernetes-v*/bin/kube-apiserver"))
    return found[-1] if found else None


def available() -> str | None:
    """None when a kube-apiserver can start here, else why not."""
    if apiserver_binary() is None:
        return (f"no kube-apiserver binary (build it with scripts/cluster/build-kubernetes.sh into {CACHE}, "
                "or set KUBE_APISERVER)")
    if shutil.which("etcd") is None:
        return "no etcd (Debian: apt-get install etcd-server)"
    return None


class KubeAPIServer:
    def __init__(self, workdir: Path):
        self.dir = Path(workdir)
        self.admin_token = secrets.token_urlsafe(24)
        self.port = 0
        self._procs: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> "KubeAPIServer":
        import trustme

        self.dir.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        cert.cert_chain_pems[0].write_to_path(self.dir / "tls.crt")
        cert.private_key_pem.write_to_path(self.dir / "tls.key")
        ca.cert_pem.write_to_path(self.dir / "ca.crt")
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                        str(self.dir / "sa.key")], check=True, capture_output=True)
        subprocess.run(["openssl", "ec", "-in", str(self.dir / "sa.key"), "-pubout", "-out",
                        str(self.dir / "sa.pub")], check=True, capture_output=True)
        (self.dir / "tokens.csv").write_text(f'{self.admin_token},admin,admin,"system:masters"\n')
        (self.dir / "tokens.csv").chmod(0o600)

        client, peer, metrics = free_port(), free_port(), free_port()
        etcd = f"http://127.0.0.1:{client}"
        self._spawn("etcd", ["etcd", "--name", "test", "--data-dir", str(self.dir / "etcd"),
                             "--listen-client-urls", etcd, "--advertise-client-urls", etcd,
                             "--listen-peer-urls", f"http://127.0.0.1:{peer}",
                             "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                             "--initial-cluster", f"test=http://127.0.0.1:{peer}",
                             "--listen-metrics-urls", f"http://127.0.0.1:{metrics}"])
        self.port = free_port()
        self._spawn("kube-apiserver", [
            apiserver_binary(), "--etcd-servers", etcd, "--bind-address", "127.0.0.1",
            "--advertise-address", "127.0.0.1", "--secure-port", str(self.port),
            "--tls-cert-file", str(self.dir / "tls.crt"), "--tls-private-key-file", str(self.dir / "tls.key"),
            "--token-auth-file", str(self.dir / "tokens.csv"), "--authorization-mode", "RBAC",
            "--service-account-issuer", "https://kubernetes.default.svc",
            "--service-account-key-file", str(self.dir / "sa.pub"),
            "--service-account-signing-key-file", str(self.dir / "sa.key"),
            # Addresses the server only allocates from (no traffic goes there): no Service is used.
            "--service-cluster-ip-range", "10.96.0.0/28", "--endpoint-reconciler-type", "none"])
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            for name, proc in zip(("etcd", "kube-apiserver"), self._procs, strict=True):
                if proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} exited: {self.log(name)[-2000:]}")
            try:
                r = requests.get(f"{self.url}/readyz", headers={"Authorization": f"Bearer {self.admin_token}"},
                                 verify=str(self.dir / "ca.crt"), timeout=2)
                if r.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"kube-apiserver not ready in {START_TIMEOUT:.0f}s")

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.dir / f"{name}.log", "wb")
        self._procs.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        log.close()

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kubeconfig(self, path: Path, *, token: str | None = None, namespace: str = "default") -> str:
        """A kubeconfig for the admin, or for whoever ``token`` belongs to."""
        ca = self.dir / "ca.crt"
        path.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters: [{{name: test, cluster: {{server: '{self.url}', certificate-authority: '{ca}'}}}}]\n"
            f"users: [{{name: user, user: {{token: '{token or self.admin_token}'}}}}]\n"
            f"contexts: [{{name: test, context: {{cluster: test, user: user, namespace: '{namespace}'}}}}]\n"
            "current-context: test\n")
        path.chmod(0o600)
        return str(path)

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)
        self._procs.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
