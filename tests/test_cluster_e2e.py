"""Against a real Kubernetes cluster: only when one is configured.

Set ``BINDERHUB_REGISTRY_HOOK_E2E_KUBECONFIG`` to a kubeconfig whose user may create
and delete namespaces.  The test makes a throw-away namespace, runs `apply` (from this
machine, against the local registry) twice and `refresh` once, checks the Secret a
real API server stored, and deletes the namespace.  scripts/test.sh points the variable
at the local cluster (scripts/cluster.sh); without it every test here is skipped and
says so.  The in-cluster runs (the image, under `helm install`) are in tests/cluster/.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid

import pytest

KUBECONFIG = os.environ.get("BINDERHUB_REGISTRY_HOOK_E2E_KUBECONFIG")

pytestmark = pytest.mark.skipif(
    not KUBECONFIG,
    reason="no cluster configured: set BINDERHUB_REGISTRY_HOOK_E2E_KUBECONFIG to run against a real one",
)


@pytest.fixture
def namespace():
    from kubernetes import client, config

    api = client.CoreV1Api(config.new_client_from_config(config_file=KUBECONFIG))
    name = f"registry-hook-e2e-{uuid.uuid4().hex[:8]}"
    api.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    yield api, name
    api.delete_namespace(name)


def hook(command: str, values, namespace: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "binderhub_registry_hook", command, "-f", str(values),
                           "--kubeconfig", KUBECONFIG, "-n", namespace, "--binder-deployment", ""],
                          capture_output=True, text=True, env=env, timeout=120)


def test_apply_then_upgrade_on_a_real_api_server(namespace, htpasswd_registry, tmp_path):
    api, ns = namespace
    reg = htpasswd_registry
    password = reg.users["alice"]
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url,
                                               "imagePrefix": f"{reg.host}/binder/e2e-"}}))
    env = {**os.environ, "REGISTRY_USERNAME": "alice", "REGISTRY_PASSWORD": password}

    first = hook("apply", values, ns, env)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout and password not in first.stdout + first.stderr
    secret = api.read_namespaced_secret("binderhub-registry", ns)
    assert secret.type == "kubernetes.io/dockerconfigjson"
    config = json.loads(base64.b64decode(secret.data["config.json"]))
    assert config["auths"][reg.url]["auth"] == base64.b64encode(f"alice:{password}".encode()).decode()
    # Later runs record their check in the hook's own annotations; the credentials stay byte for byte.
    data = secret.data

    again = hook("refresh", values, ns, env)
    assert again.returncode == 0, again.stderr
    assert api.read_namespaced_secret("binderhub-registry", ns).data == data

    bad = hook("apply", values, ns, {**env, "REGISTRY_PASSWORD": "wrong-password"})
    assert bad.returncode == 3 and bad.stderr.startswith("error: credentials rejected")
    assert api.read_namespaced_secret("binderhub-registry", ns).data == data


def test_readme_uninstall_commands_on_a_real_api_server(namespace, htpasswd_registry, tmp_path):
    """chart/README.md's clean-up after `helm uninstall`, run with a real kubectl: the first
    command removes the hook objects and the helm-test pod and keeps the Secret; the second
    deletes the Secret (no NotFound)."""
    from tests.support.charts import CHART, documents, pod_spec, uninstall_commands

    api, ns = namespace
    root = CHART.parent
    kubectl = [str(root / ".tools" / "kubectl"), "--kubeconfig", KUBECONFIG]
    reg = htpasswd_registry
    block = {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/e2e-"}
    chart_values = tmp_path / "chart-values.json"
    # No image is pulled on a cluster with a kubelet: an image that is not there, never pulled.
    chart_values.write_text(json.dumps({"registry": block, "image": {"repository": "localhost/absent",
                                                                     "tag": "none", "pullPolicy": "Never"}}))
    rendered = subprocess.run([str(root / ".tools" / "helm3" / "helm"), "template", "binder", str(CHART), "-n", ns,
                               "-f", str(chart_values)], capture_output=True, text=True, timeout=60, check=True)
    docs = documents(rendered.stdout)
    # What `helm uninstall` leaves: the hook objects (applied here as Helm would have created them,
    # less the install-time identity Helm deletes when the hook Job is done) ...
    hooks = [d for d in docs if "helm.sh/hook" in (ann := d["metadata"].get("annotations", {}))
             and "hook-succeeded" not in ann.get("helm.sh/hook-delete-policy", "")]
    # The helm-test pod runs as the refresh identity, an ordinary release object that exists
    # while Helm creates the hooks and that `helm uninstall` deletes: there first, gone after.
    accounts = [d for d in docs if d["kind"] == "ServiceAccount" and "helm.sh/hook" not in d["metadata"].get(
        "annotations", {})]
    manifest = tmp_path / "hooks.json"
    manifest.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": accounts + hooks}))
    applied = subprocess.run([*kubectl, "-n", ns, "apply", "-f", str(manifest)], capture_output=True, text=True,
                             timeout=60)
    assert applied.returncode == 0, applied.stderr
    for account in accounts:
        subprocess.run([*kubectl, "-n", ns, "delete", "serviceaccount", account["metadata"]["name"]],
                       capture_output=True, text=True, timeout=60, check=True)
    # ... and the Secret, written by the hook with the arguments the Job passes it.
    [job] = [d for d in hooks if d["kind"] == "Job"]
    args = pod_spec(job)["containers"][0]["args"]
    labels = []
    for i, arg in enumerate(args):
        if arg == "--label":
            labels += ["--label", args[i + 1]]
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": block}))
    env = {**os.environ, "REGISTRY_USERNAME": "alice", "REGISTRY_PASSWORD": reg.users["alice"]}
    applied = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "apply", "-f", str(values),
                              "--kubeconfig", KUBECONFIG, "-n", ns, "--binder-deployment", "", *labels],
                             capture_output=True, text=True, env=env, timeout=120)
    assert applied.returncode == 0, applied.stderr

    _, keep, delete_secret = uninstall_commands("binder", ns)
    for command in (keep, delete_secret):
        proc = subprocess.run([*kubectl, *command[1:]], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        if command is keep:
            # The Job's own pods go with the Job (in the background); the test pod is deleted directly.
            subprocess.run([*kubectl, "-n", ns, "wait", "--for=delete", "pod", "-l",
                            f"job-name={job['metadata']['name']}", "--timeout=60s"],
                           capture_output=True, text=True, timeout=90)
            left = subprocess.run([*kubectl, "-n", ns, "get", "configmap,serviceaccount,role,rolebinding,job,pod",
                                   "-l", "app.kubernetes.io/instance=binder", "-o", "name"],
                                  capture_output=True, text=True, timeout=60, check=True).stdout.split()
            assert left == []
            assert api.read_namespaced_secret("binderhub-registry", ns).type == "kubernetes.io/dockerconfigjson"
    assert "secret/binderhub-registry" not in subprocess.run(
        [*kubectl, "-n", ns, "get", "secret", "-o", "name"], capture_output=True, text=True, timeout=60).stdout
