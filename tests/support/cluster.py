"""The local one-node Kubernetes (scripts/cluster.sh) as the cluster tests and the in-cluster
benchmark (benchmarks/cluster.py) drive it: the cluster, the registry on its bridge, the
umbrella chart and one release of it.  The pytest fixtures over these are in
tests/cluster/conftest.py.

Network: the registries here listen on the gateway address of the bridge that
cluster.sh made (the node's address), where pods reach them; the API server listens on
the same address.  Nothing else is contacted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from ruamel.yaml import YAML

from .registry import LocalRegistry, new_password

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SH = ROOT / "scripts" / "cluster.sh"
EXAMPLE = ROOT / "examples" / "binderhub"
CHART = ROOT / "chart"
FIXTURE_CHART = ROOT / "tests" / "fixtures" / "binderhub-chart"
KUBECTL = ROOT / ".tools" / "kubectl"


def cluster_env() -> dict[str, str] | None:
    """What `cluster.sh env` exports, or None when the cluster is not up."""
    proc = subprocess.run(["bash", str(CLUSTER_SH), "env"], capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    env = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return env


class ImagesFailed(RuntimeError):
    pass


def load_images() -> dict[str, str]:
    """The hook image from this work tree, rebuilt and loaded only when its inputs changed
    (`cluster.sh images`); returns HOOK_IMAGE and BINDER_IMAGE."""
    proc = subprocess.run(["bash", str(CLUSTER_SH), "images"], capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise ImagesFailed(f"cluster.sh images failed:\n{proc.stderr[-3000:]}")
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


@dataclass
class Cluster:
    kubeconfig: str
    node_ip: str
    api: str
    ca: str
    hook_image: str
    binder_image: str

    @classmethod
    def connect(cls, env: dict[str, str], images: dict[str, str]) -> Cluster:
        kubeconfig = env["KUBECONFIG"]
        doc = YAML(typ="safe").load(Path(kubeconfig).read_text())
        cluster = doc["clusters"][0]["cluster"]
        return cls(kubeconfig=kubeconfig, node_ip=env["CLUSTER_NODE_IP"], api=cluster["server"],
                   ca=cluster["certificate-authority"],
                   hook_image=images["HOOK_IMAGE"], binder_image=images["BINDER_IMAGE"])

    def kubectl(self, *args, check: bool = True, timeout: float = 120, input: str | None = None):
        proc = subprocess.run([str(KUBECTL), "--kubeconfig", self.kubeconfig, *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, input=input)
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(map(str, args))}: {proc.stderr.strip()}")
        return proc

    def get(self, *args) -> dict:
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def exists(self, *args) -> bool:
        return self.kubectl("get", *args, "--ignore-not-found", "-o", "name", check=False).stdout.strip() != ""

    def wait_for(self, what: str, predicate, timeout: float = 90, interval: float = 0.5):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            time.sleep(interval)

    def token(self, namespace: str, service_account: str) -> str:
        """A token of that ServiceAccount (TokenRequest), as its pods get."""
        return self.kubectl("create", "token", service_account, "-n", namespace, "--duration", "10m").stdout.strip()

    def request(self, method: str, path: str, *, token: str, body=None, content_type=None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        if content_type:
            headers["Content-Type"] = content_type
        return requests.request(method, self.api + path, headers=headers, verify=self.ca, timeout=30,
                                data=None if body is None else json.dumps(body))


class BridgeRegistry:
    """The real registry (htpasswd) on the bridge's gateway address; `rotate()` restarts it
    on the same port with a new password for the same user (distribution 2.8 reads its
    htpasswd file only at start)."""

    def __init__(self, workdir: Path, bind: str):
        self.workdir, self.bind = workdir, bind
        self.user = "alice"
        self.password = new_password()
        self.registry = LocalRegistry(workdir / "0", auth="htpasswd", users={self.user: self.password}, bind=bind)
        self.generation = 0

    @property
    def url(self) -> str:
        return self.registry.url

    @property
    def host(self) -> str:
        return self.registry.host

    def rotate(self) -> str:
        port = self.registry.port
        self.registry.stop()
        self.generation += 1
        self.password = new_password()
        self.registry = LocalRegistry(self.workdir / str(self.generation), auth="htpasswd",
                                      users={self.user: self.password}, bind=self.bind, port=port)
        return self.password

    def stop(self) -> None:
        self.registry.stop()


def build_umbrella(dest: Path, helm: Path, helm_home: Path) -> Path:
    """examples/binderhub copied to ``dest`` with the fixture chart as `binderhub` and this
    checkout's chart as the hook's, dependencies built; returns the chart directory."""
    chart = dest / "binderhub"
    shutil.copytree(EXAMPLE, chart)
    meta = YAML(typ="safe").load((chart / "Chart.yaml").read_text())
    fixture_version = YAML(typ="safe").load((FIXTURE_CHART / "Chart.yaml").read_text())["version"]
    for dep in meta["dependencies"]:
        if dep["name"] == "binderhub":
            dep.update(repository=f"file://{FIXTURE_CHART}", version=fixture_version)
        else:
            dep["repository"] = f"file://{CHART}"
    (chart / "Chart.yaml").write_text(json.dumps(meta))
    env = {**os.environ, **{f"HELM_{n}_HOME": str(helm_home / n.lower()) for n in ("CONFIG", "CACHE", "DATA")}}
    subprocess.run([str(helm), "dependency", "build", str(chart)], check=True, capture_output=True, env=env)
    return chart


class Release:
    """One release of the umbrella chart in one namespace, driven by one Helm binary."""

    def __init__(self, cluster: Cluster, helm: Path, chart: Path, namespace: str, registry: BridgeRegistry,
                 workdir: Path, name: str = "binder"):
        self.cluster, self.helm, self.chart, self.namespace = cluster, helm, chart, namespace
        self.registry, self.workdir, self.name = registry, workdir, name
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
        for n in ("CONFIG", "CACHE", "DATA"):
            self.env[f"HELM_{n}_HOME"] = str(workdir / "helm" / n.lower())
        self.env["KUBECONFIG"] = cluster.kubeconfig
        self.extra: dict = {}

    def set_credentials(self, password: str | None = None) -> None:
        """The Secret the hook reads (existingSecret), as an operator creates it."""
        doc = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "registry-credentials"},
               "type": "Opaque", "stringData": {"username": self.registry.user,
                                                "password": password or self.registry.password}}
        self.cluster.kubectl("apply", "-n", self.namespace, "-f", "-", input=json.dumps(doc))

    def values(self) -> dict:
        hook_name, hook_tag = self.cluster.hook_image.rsplit(":", 1)
        binder_name, binder_tag = self.cluster.binder_image.rsplit(":", 1)
        values = {
            "registryHook": {
                "image": {"repository": hook_name, "tag": hook_tag, "pullPolicy": "Never"},
                "registry": {"type": "generic", "url": self.registry.url,
                             "imagePrefix": f"{self.registry.host}/binder/e2e-",
                             "credentials": {"existingSecret": "registry-credentials"}},
                "job": {"activeDeadlineSeconds": 120, "backoffLimit": 0},
            },
            "binderhub": {"image": {"name": binder_name, "tag": binder_tag}},
        }
        for key, value in self.extra.items():
            values[key] = {**values.get(key, {}), **value}
        return values

    def helm_run(self, *args, timeout: float = 240) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.helm), *map(str, args)], capture_output=True, text=True,
                              env=self.env, timeout=timeout)

    def _install_or_upgrade(self, verb: str) -> subprocess.CompletedProcess:
        return self.helm_run(*self.command(verb))

    def command(self, verb: str) -> list:
        """Helm's arguments for `install` or `upgrade` of this release (a new values file each call)."""
        values = self.workdir / f"values-{verb}-{time.monotonic_ns()}.json"
        values.write_text(json.dumps(self.values()))
        return [verb, self.name, self.chart, "-n", self.namespace, "-f", EXAMPLE / "values.yaml",
                "-f", values, "--wait", "--timeout", "180s"]

    def install(self) -> subprocess.CompletedProcess:
        return self._install_or_upgrade("install")

    def upgrade(self) -> subprocess.CompletedProcess:
        return self._install_or_upgrade("upgrade")

    # -- what the cluster holds ---------------------------------------------------------

    def secret(self) -> dict | None:
        if not self.cluster.exists("secret", "binderhub-registry", "-n", self.namespace):
            return None
        return self.cluster.get("secret", "binderhub-registry", "-n", self.namespace)

    def replicasets(self) -> list[dict]:
        items = self.cluster.get("replicasets", "-n", self.namespace, "-l", "component=binder")["items"]
        return sorted(items, key=lambda rs: rs["metadata"]["creationTimestamp"])

    def binder_ready(self) -> bool:
        dep = self.cluster.get("deployment", "binder", "-n", self.namespace)
        st = dep.get("status", {})
        return (st.get("observedGeneration") == dep["metadata"]["generation"]
                and st.get("updatedReplicas") == st.get("replicas") == st.get("availableReplicas") == 1)

    def binder_log(self) -> str:
        return self.cluster.kubectl("logs", "deployment/binder", "-n", self.namespace, check=False).stdout

    def events(self, reason: str | None = None) -> list[dict]:
        items = self.cluster.get("events", "-n", self.namespace)["items"]
        return [e for e in items if reason is None or e.get("reason") == reason]
