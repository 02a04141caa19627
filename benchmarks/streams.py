"""Manifest streams for the post-render benchmark, and the kustomize-based peer.

* :func:`chart_stream` renders ``tests/fixtures/binderhub-chart`` with Helm 3.
* :func:`synthetic_stream` wraps that chart's documents in filler documents of the
  kinds a large release holds (ConfigMaps, Services, Deployments, ServiceAccounts,
  other Secrets) up to ``n`` documents, Helm-style (``---`` + ``# Source:`` line).
* :class:`KustomizePeer` is the post-renderer operators write without the hook: the
  stream goes to a directory with a ``kustomization.yaml`` whose patches set the two
  BinderHub Secrets and the ``binder`` Deployment's restart annotation, and
  ``kubectl kustomize`` prints the result.
* :func:`check_hook_output` verifies, independently of ``binderhub_registry_hook.postrender``, that only
  the two Secrets and the ``binder`` Deployment changed and every other document is byte-identical.
"""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "tests" / "fixtures" / "binderhub-chart"
HELM3 = ROOT / ".tools" / "helm3" / "helm"
KUBECTL = ROOT / ".tools" / "kubectl"
SECRETS = ("binder-build-docker-config", "binder-secret")
DEPLOYMENT = "binder"
RESTART_ANNOTATION = "binderhub-registry-hook/checksum"

_DOC = re.compile(r"(?m)^(?=---[ \t]*$)")
_NAME = re.compile(r"(?m)^  name: (\S+)$")
_KIND = re.compile(r"(?m)^kind: (\S+)$")


def chart_stream() -> str:
    proc = subprocess.run([str(HELM3), "template", "binder", str(CHART)], capture_output=True, text=True,
                          check=True, env={"HOME": "/nonexistent", "PATH": "/usr/bin:/bin",
                                           "HELM_CACHE_HOME": "/tmp/helm-bench-cache",
                                           "HELM_CONFIG_HOME": "/tmp/helm-bench-config",
                                           "HELM_DATA_HOME": "/tmp/helm-bench-data"})
    return proc.stdout


def documents(stream: str) -> list[str]:
    """Cut at ``---`` lines (our own cut, not ``binderhub_registry_hook.postrender.split``)."""
    return [d for d in _DOC.split(stream) if d]


_FILLERS = {
    "configmap": """\
---
# Source: filler/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{i}
  labels:
    app.kubernetes.io/name: filler
    app.kubernetes.io/instance: binder
    helm.sh/chart: filler-1.2.3
data:
  settings.yaml: |
    # settings of component {i}
    logLevel: info
    replicas: {r}
    endpoints:
      - http://svc-{i}.binder.svc:8080/
  flag: "true"
""",
    "service": """\
---
# Source: filler/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  labels:
    app.kubernetes.io/name: filler
    app.kubernetes.io/instance: binder
  annotations:
    prometheus.io/scrape: "true"
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: filler
    component: c-{i}
  ports:
    - name: http
      port: 80
      targetPort: 8080
      protocol: TCP
""",
    "deployment": """\
---
# Source: filler/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-{i}
  labels:
    app.kubernetes.io/name: filler
    app.kubernetes.io/instance: binder
spec:
  replicas: {r}
  selector:
    matchLabels:
      component: c-{i}
  template:
    metadata:
      labels:
        component: c-{i}
      annotations:
        checksum/config: {checksum}
    spec:
      serviceAccountName: sa-{i}
      containers:
        - name: worker
          image: "quay.io/example/worker:1.{r}.0"
          args: ["--port", "8080", "--name", "worker-{i}"]
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: token-{i}
                  key: token
          resources:
            requests: {{cpu: 10m, memory: 32Mi}}
          volumeMounts:
            - name: settings
              mountPath: /etc/settings
      volumes:
        - name: settings
          configMap:
            name: settings-{i}
""",
    "serviceaccount": """\
---
# Source: filler/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-{i}
  labels:
    app.kubernetes.io/name: filler
""",
    "secret": """\
---
# Source: filler/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: token-{i}
  labels:
    app.kubernetes.io/name: filler
type: Opaque
data:
  token: {token}
""",
}


def synthetic_stream(n: int, chart: str) -> str:
    """``n`` documents: the chart's own in the middle, fillers around them."""
    own = documents(chart)
    out: list[str] = []
    kinds = list(_FILLERS)
    for i in range(n - len(own)):
        if i == (n - len(own)) // 2:
            out.extend(own)
        out.append(_FILLERS[kinds[i % len(kinds)]].format(
            i=i, r=i % 5 + 1, checksum=f"{i:064x}", token=base64.b64encode(f"token-{i}".encode()).decode()))
    if len(out) < n:
        out.extend(own)
    return "".join(out)


def secret_chunks(stream: str) -> dict[str, int]:
    """Name -> index of the two BinderHub Secrets and the binder Deployment among ``documents(stream)``."""
    found = {}
    for i, doc in enumerate(documents(stream)):
        kind, name = _KIND.search(doc), _NAME.search(doc)
        if kind and name and (kind[1] == "Secret" and name[1] in SECRETS
                              or kind[1] == "Deployment" and name[1] == DEPLOYMENT):
            found[name[1]] = i
    return found


def restart_annotation(stream: str) -> str:
    """The value of the binder Deployment's restart annotation in a post-rendered stream."""
    doc = documents(stream)[secret_chunks(stream)[DEPLOYMENT]]
    return re.search(rf"(?m)^ +{re.escape(RESTART_ANNOTATION)}: \"?([0-9a-f]+)", doc)[1]


def check_hook_output(before: str, after: str) -> tuple[bool, str]:
    """Only the two Secrets and the binder Deployment changed; every other document byte-identical."""
    b, a = documents(before), documents(after)
    if len(a) != len(b):
        return False, f"{len(b)} documents in, {len(a)} out"
    changed = {i for i, (x, y) in enumerate(zip(b, a)) if x != y}
    expected = set(secret_chunks(before).values())
    if changed != expected:
        return False, f"changed documents {sorted(changed)[:5]}, expected {sorted(expected)}"
    return True, f"{len(b) - len(changed)}/{len(b) - len(changed)}"


def secret_texts(stream: str) -> tuple[bytes | None, str | None]:
    """(config.json bytes, values.yaml text) of the two Secrets in a stream."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    config = values = None
    for doc in documents(stream):
        name, kind = _NAME.search(doc), _KIND.search(doc)
        if not (name and kind and name[1] in SECRETS and kind[1] == "Secret"):
            continue
        body = yaml.load(doc.split("\n", 1)[1] if doc.startswith("---") else doc)
        if name[1] == SECRETS[0]:
            config = base64.b64decode(body["data"]["config.json"])
        else:
            values = body["stringData"]["values.yaml"]
    return config, values


def secret_values(stream: str) -> tuple[bytes | None, dict | None]:
    """(config.json bytes, parsed values.yaml): what the two Secrets mean, format aside."""
    from ruamel.yaml import YAML

    config, values = secret_texts(stream)
    return config, (YAML(typ="safe").load(values) if values is not None else None)


def identical_documents(before: str, after: str) -> int:
    """How many documents of ``after`` appear byte-for-byte in ``before`` (separator aside)."""
    strip = lambda d: d.split("\n", 1)[1] if d.startswith("---") else d  # noqa: E731
    seen = {strip(d) for d in documents(before)}
    return sum(1 for d in documents(after) if strip(d) in seen)


class KustomizePeer:
    """A post-renderer script that patches the two Secrets with ``kubectl kustomize``.

    The patches carry the same config.json and values.yaml the hook wrote (taken from
    the hook's output on the chart), so both produce the same two Secrets.
    """

    def __init__(self, workdir: Path, config_json: bytes, values_yaml: str, checksum: str):
        self.dir = workdir / "kustomize-peer"
        self.dir.mkdir(parents=True, exist_ok=True)
        b64 = base64.b64encode(config_json).decode()
        (self.dir / "docker-config.yaml").write_text(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: binder-build-docker-config\n"
            f"data:\n  config.json: {b64}\n")
        indented = "".join("    " + line if line.strip() else line for line in values_yaml.splitlines(True))
        (self.dir / "binder-secret.yaml").write_text(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: binder-secret\n"
            f"stringData:\n  values.yaml: |\n{indented}")
        (self.dir / "deployment.yaml").write_text(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {DEPLOYMENT}\nspec:\n  template:\n"
            f"    metadata:\n      annotations:\n        {RESTART_ANNOTATION}: \"{checksum}\"\n")
        (self.dir / "kustomization.yaml").write_text(
            "resources:\n  - all.yaml\npatches:\n  - path: docker-config.yaml\n  - path: binder-secret.yaml\n"
            "  - path: deployment.yaml\n")
        self.script = self.dir / "post-render.sh"
        self.script.write_text(f"""#!/bin/sh
# Helm post-renderer: stream in, kustomized stream out.
set -e
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/all.yaml"
cp {self.dir}/kustomization.yaml {self.dir}/docker-config.yaml {self.dir}/binder-secret.yaml \\
   {self.dir}/deployment.yaml "$dir/"
{KUBECTL} kustomize "$dir"
""")
        self.script.chmod(0o755)

    @property
    def command(self) -> list:
        return [self.script]
