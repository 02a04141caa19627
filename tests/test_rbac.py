"""What a compromised hook pod could do: RBAC and admission, rendered by real Helm, proven on a
real kube-apiserver.

* Template tests (Helm 3.17 and 4.1): two identities (install-time hooks deleted when the Job
  is done; refresh as ordinary release objects), the same least-privilege rules for both, the
  test pod without a Kubernetes token, a ValidatingAdmissionPolicy per identity when the API
  serves it.
* On a real API server (tests/support/apiserver.py: etcd and kube-apiserver, RBAC and every
  default admission plugin on), with the chart rendered by ``helm template --validate`` against
  it (so the policy is rendered because that server serves the API): each forbidden write is
  attempted with each identity's real ServiceAccount token (TokenRequest, as a pod gets it),
  and refused; then the hook's own ``apply`` and ``refresh``, with those tokens, against a
  real registry, still write their Secret and roll BinderHub.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from binderhub_registry_hook.cli import main
from tests.support import apiserver
from tests.support.evidence import record
from tests.support.kubeapi import hook_role_rules

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "chart"
KUBECTL = ROOT / ".tools" / "kubectl"
NS = "binder"
INSTALL_SA = "binder-binderhub-registry-hook"
REFRESH_SA = INSTALL_SA + "-refresh"
SECRET = "binderhub-registry"
VAP_API = "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy"
K8S_VERSION = "1.33.0"
DELETE_WHEN_DONE = "before-hook-creation,hook-succeeded,hook-failed"
ECR = {"registry": {"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-",
                    "ecr": {"region": "eu-west-1"}},
       "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/hook"}}}
GENERIC = {"registry": {"type": "generic", "url": "https://registry.example.org",
                        "imagePrefix": "registry.example.org/binder/prod-",
                        "credentials": {"existingSecret": "registry-credentials"}}}


@pytest.fixture(params=["helm3", "helm4"])
def helm(request, helm_env):
    binary = request.getfixturevalue(request.param)

    def run(*args) -> str:
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, env=helm_env,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    return run


def render(helm, tmp_path, values: dict, *extra) -> list[dict]:
    path = tmp_path / "values.json"
    path.write_text(json.dumps(values))
    return [d for d in YAML(typ="safe").load_all(helm("template", "binder", CHART, "-n", NS, "-f", path, *extra)) if d]


def named(docs, kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_spec(doc) -> dict:
    return {"Pod": lambda d: d["spec"], "Job": lambda d: d["spec"]["template"]["spec"],
            "CronJob": lambda d: d["spec"]["jobTemplate"]["spec"]["template"]["spec"]}[doc["kind"]](doc)


# -- rendered by real Helm -------------------------------------------------------------------------


def test_two_identities_install_time_deleted_when_done_refresh_ordinary(helm, tmp_path):
    docs = render(helm, tmp_path, ECR, "--api-versions", VAP_API)
    sas, roles, bindings = named(docs, "ServiceAccount"), named(docs, "Role"), named(docs, "RoleBinding")
    assert set(sas) == set(roles) == set(bindings) == {INSTALL_SA, REFRESH_SA}
    for name in (INSTALL_SA, REFRESH_SA):
        hook = name == INSTALL_SA
        for doc in (sas[name], roles[name], bindings[name]):
            ann = doc["metadata"].get("annotations") or {}
            if hook:  # made before the Job, deleted as soon as it is done, failed or not
                assert ann["helm.sh/hook"] == "pre-install,pre-upgrade"
                assert ann["helm.sh/hook-delete-policy"] == DELETE_WHEN_DONE
            else:  # an ordinary release object: `helm uninstall` removes it
                assert "helm.sh/hook" not in ann
        assert roles[name]["rules"] == hook_role_rules(SECRET, "binder")
        assert bindings[name]["subjects"] == [{"kind": "ServiceAccount", "name": name, "namespace": NS}]
        # Cloud identity (IRSA here) rides on both.
        assert sas[name]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/hook")

    [job], [cron], [test_pod] = (list(named(docs, k).values()) for k in ("Job", "CronJob", "Pod"))
    assert pod_spec(job)["serviceAccountName"] == INSTALL_SA and pod_spec(job)["automountServiceAccountToken"]
    assert pod_spec(cron)["serviceAccountName"] == REFRESH_SA and pod_spec(cron)["automountServiceAccountToken"]
    # The test pod talks to no Kubernetes API: no token in it (its cloud identity still comes from the SA).
    assert pod_spec(test_pod)["serviceAccountName"] == REFRESH_SA
    assert pod_spec(test_pod)["automountServiceAccountToken"] is False
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_without_refresh_the_refresh_identity_has_no_permissions(helm, tmp_path):
    docs = render(helm, tmp_path, {**GENERIC, "refresh": {"enabled": False}}, "--api-versions", VAP_API)
    assert set(named(docs, "ServiceAccount")) == {INSTALL_SA, REFRESH_SA}  # the test pod's
    assert set(named(docs, "Role")) == set(named(docs, "RoleBinding")) == {INSTALL_SA}
    assert set(named(docs, "ValidatingAdmissionPolicy")) == {f"{INSTALL_SA}-{NS}"}
    no_tests = render(helm, tmp_path, {**GENERIC, "refresh": {"enabled": False}, "tests": {"enabled": False}})
    assert set(named(no_tests, "ServiceAccount")) == {INSTALL_SA}


def test_admission_policy_only_where_the_api_is_served(helm, tmp_path):
    with_api = render(helm, tmp_path, ECR, "--api-versions", VAP_API)
    policies = named(with_api, "ValidatingAdmissionPolicy")
    vbindings = named(with_api, "ValidatingAdmissionPolicyBinding")
    assert set(policies) == set(vbindings) == {f"{INSTALL_SA}-{NS}", f"{INSTALL_SA}-{NS}-refresh"}
    for name, sa in ((f"{INSTALL_SA}-{NS}", INSTALL_SA), (f"{INSTALL_SA}-{NS}-refresh", REFRESH_SA)):
        spec = policies[name]["spec"]
        assert spec["failurePolicy"] == "Fail"
        assert spec["matchConditions"] == [{"name": "the-registry-hook", "expression":
                                            f"request.userInfo.username == 'system:serviceaccount:{NS}:{sa}'"}]
        assert f"object.metadata.name == '{SECRET}'" in spec["validations"][0]["expression"]
        assert "object.type == 'kubernetes.io/dockerconfigjson'" in spec["validations"][0]["expression"]
        assert "object.spec.template.spec == oldObject.spec.template.spec" in spec["validations"][1]["expression"]
        binding = vbindings[name]["spec"]
        assert binding["policyName"] == name and binding["validationActions"] == ["Deny"]
        assert binding["matchResources"]["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": NS}}
        hook = (policies[name]["metadata"].get("annotations") or {}).get("helm.sh/hook-delete-policy")
        assert hook == (DELETE_WHEN_DONE if sa == INSTALL_SA else None)
    # Helm's offline capabilities, like a cluster before 1.30, lack the API: nothing rendered.
    assert not named(render(helm, tmp_path, ECR), "ValidatingAdmissionPolicy")
    off = {**ECR, "rbac": {"create": True, "admissionPolicy": False}}
    assert not named(render(helm, tmp_path, off, "--api-versions", VAP_API), "ValidatingAdmissionPolicy")


def test_pre_created_secret_drops_create(helm, tmp_path):
    docs = render(helm, tmp_path, {**ECR, "output": {"preCreated": True}})
    for role in named(docs, "Role").values():
        assert role["rules"] == hook_role_rules(SECRET, "binder", create=False)
        assert not any("create" in r["verbs"] and r["resources"] == ["secrets"] for r in role["rules"])


# -- proven on a real API server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    why = apiserver.available()
    if why:
        pytest.skip(f"real-API-server proof skipped: {why}")
    with apiserver.KubeAPIServer(tmp_path_factory.mktemp("kube-apiserver")).start() as server:
        yield server


def kubectl(kubeconfig: str, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(KUBECTL), "--kubeconfig", kubeconfig, "-n", NS, *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


IMAGE = "quay.io/jupyterhub/k8s-binderhub:1.0.0"  # never pulled: no kubelet
DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "binder", "labels": {"app": "binder"}},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "binder"}},
             "template": {"metadata": {"labels": {"app": "binder"}, "annotations": {"keep": "me"}},
                          "spec": {"serviceAccountName": "binder",
                                   "containers": [{"name": "binder", "image": IMAGE}]}}},
}


def secret_doc(name: str, type_: str, **extra) -> str:
    data = {".dockerconfigjson": "eyJhdXRocyI6e319"} if type_ == "kubernetes.io/dockerconfigjson" else {}
    return json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, **extra},
                       "type": type_, "data": data})


def patch(spec: dict) -> tuple[str, ...]:
    return ("patch", "deployment", "binder", "-p", json.dumps({"spec": spec}))


# (case, kubectl arguments, stdin, who refuses)
FORBIDDEN = [
    ("create a service-account-token Secret named like the output",
     ("create", "-f", "-"), secret_doc(SECRET, "kubernetes.io/service-account-token",
                                       annotations={"kubernetes.io/service-account.name": "binder"}), "policy"),
    ("create an Opaque Secret named like the output", ("create", "-f", "-"), secret_doc(SECRET, "Opaque"), "policy"),
    ("create a dockerconfigjson Secret of another name", ("create", "-f", "-"),
     secret_doc("other", "kubernetes.io/dockerconfigjson"), "policy"),
    ("create a service-account-token Secret of another name", ("create", "-f", "-"),
     secret_doc("steal", "kubernetes.io/service-account-token",
                annotations={"kubernetes.io/service-account.name": "binder"}), "policy"),
    ("read another Secret", ("get", "secret", "registry-credentials"), None, "RBAC"),
    ("list Secrets", ("get", "secrets"), None, "RBAC"),
    ("delete the output Secret", ("delete", "secret", SECRET), None, "RBAC"),
    ("swap BinderHub's image", patch({"template": {"spec": {"containers": [{"name": "binder", "image": "evil:1"}]}}}),
     None, "policy"),
    ("swap BinderHub's command", patch({"template": {"spec": {"containers": [{"name": "binder", "command": ["sh"]}]}}}),
     None, "policy"),
    ("swap BinderHub's ServiceAccount", patch({"template": {"spec": {"serviceAccountName": "default"}}}), None,
     "policy"),
    ("mount a Secret into BinderHub", patch({"template": {"spec": {"volumes": [
        {"name": "x", "secret": {"secretName": "registry-credentials"}}]}}}), None, "policy"),
    ("add another pod-template annotation", patch({"template": {"metadata": {"annotations": {"x": "y"}}}}),
     None, "policy"),
    ("drop an existing pod-template annotation", patch({"template": {"metadata": {"annotations": {"keep": None}}}}),
     None, "policy"),
    ("change the pod labels", patch({"template": {"metadata": {"labels": {"app": "binder", "x": "y"}}}}),
     None, "policy"),
    ("scale BinderHub", patch({"replicas": 3}), None, "policy"),
    ("patch another Deployment", ("patch", "deployment", "other", "-p", '{"spec":{"replicas":2}}'), None, "RBAC"),
    ("create a Deployment", ("create", "-f", "-"), json.dumps({**DEPLOYMENT, "metadata": {"name": "mine"}}), "RBAC"),
    ("create a Pod", ("run", "evil", "--image=evil:1", "--restart=Never"), None, "RBAC"),
    ("create a Role", ("create", "role", "mine", "--verb=get", "--resource=secrets"), None, "RBAC"),
]


@pytest.fixture(scope="module")
def installed(cluster, tmp_path_factory, helm3, helm_env_module):
    """The chart, rendered by Helm against the real server, applied by the admin; plus the tokens."""
    work = tmp_path_factory.mktemp("installed")
    admin = cluster.kubeconfig(work / "admin.kubeconfig", namespace=NS)
    assert kubectl(admin, "create", "namespace", NS).returncode == 0
    values = work / "values.json"
    values.write_text(json.dumps({**ECR, "output": {"secretName": SECRET}}))
    proc = subprocess.run([str(helm3), "template", "binder", str(CHART), "-n", NS, "--validate", "-f", str(values)],
                          capture_output=True, text=True, timeout=60, env={**helm_env_module, "KUBECONFIG": admin})
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in YAML(typ="safe").load_all(proc.stdout) if d]
    kinds = {d["kind"] for d in docs}
    # Rendered because this server serves the API (no --api-versions given).
    assert {"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"} <= kinds
    wanted = [d for d in docs if d["kind"] in ("ServiceAccount", "Role", "RoleBinding", "ValidatingAdmissionPolicy",
                                               "ValidatingAdmissionPolicyBinding")]
    applied = kubectl(admin, "apply", "-f", "-", stdin="\n---\n".join(json.dumps(d) for d in wanted))
    assert applied.returncode == 0, applied.stderr
    assert kubectl(admin, "apply", "-f", "-", stdin=json.dumps(DEPLOYMENT)).returncode == 0
    assert kubectl(admin, "create", "secret", "generic", "registry-credentials",
                   "--from-literal=password=not-for-the-hook").returncode == 0
    tokens = {}
    for sa in (INSTALL_SA, REFRESH_SA):
        token = kubectl(admin, "create", "token", sa)
        assert token.returncode == 0, token.stderr
        tokens[sa] = cluster.kubeconfig(work / f"{sa}.kubeconfig", token=token.stdout.strip(), namespace=NS)
    # Policies take effect once the server has loaded them: wait until one refuses.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        probe = kubectl(tokens[INSTALL_SA], "create", "-f", "-", stdin=secret_doc("probe", "Opaque"))
        if "ValidatingAdmissionPolicy" in probe.stderr:
            break
        if probe.returncode == 0:  # too early: RBAC alone let it through; clean up and ask again
            kubectl(admin, "delete", "secret", "probe")
        time.sleep(0.5)
    else:
        pytest.fail("the admission policy never took effect")
    return admin, tokens


@pytest.fixture(scope="module")
def helm_env_module(tmp_path_factory) -> dict:
    import os

    home = tmp_path_factory.mktemp("helm")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    return {**env, **{f"HELM_{n}_HOME": str(home / n.lower()) for n in ("CONFIG", "CACHE", "DATA")}}


@pytest.mark.parametrize("sa", [INSTALL_SA, REFRESH_SA])
@pytest.mark.parametrize("case, args, stdin, refuser", FORBIDDEN, ids=[c[0] for c in FORBIDDEN])
def test_forbidden_write_with_the_hooks_real_token(case, args, stdin, refuser, sa, installed):
    admin, tokens = installed
    proc = kubectl(tokens[sa], *args, stdin=stdin)
    answer = " ".join(proc.stderr.split())
    record("RBAC/admission", f"{'install' if sa == INSTALL_SA else 'refresh'} identity: {case}",
           f"refused by {refuser}" if proc.returncode else "ALLOWED", None, None, message=answer[:300])
    assert proc.returncode != 0, f"{case} was allowed: {proc.stdout}"
    assert "forbidden" in answer.lower()
    if refuser == "policy":
        assert "ValidatingAdmissionPolicy" in answer and "denied request" in answer, answer
    else:
        assert f"User \"system:serviceaccount:{NS}:{sa}\" cannot" in answer, answer
    # Nothing changed: the Deployment still runs BinderHub as it was.
    deployment = json.loads(kubectl(admin, "get", "deployment", "binder", "-o", "json").stdout)
    template = deployment["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == IMAGE
    assert template["spec"]["serviceAccountName"] == "binder" and deployment["spec"]["replicas"] == 1
    assert {k: v for k, v in template["metadata"]["annotations"].items()
            if k != "binderhub-registry-hook/checksum"} == {"keep": "me"}


def test_the_hooks_own_writes_pass(installed, htpasswd_registry, tmp_path, monkeypatch, capsys):
    """`apply` (install-time token) and `refresh` (refresh token) write the Secret and roll BinderHub."""
    admin, tokens = installed
    reg = htpasswd_registry
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url,
                                               "imagePrefix": f"{reg.host}/binder/prod-",
                                               "timeouts": {"retryFor": 1}}}))
    monkeypatch.setenv("REGISTRY_USERNAME", "alice")
    checksums = []
    for command, sa, password in (("apply", INSTALL_SA, reg.users["alice"]),
                                  ("refresh", REFRESH_SA, reg.users["alice"])):
        monkeypatch.setenv("REGISTRY_PASSWORD", password)
        capsys.readouterr()
        rc = main([command, "-f", str(values), "--kubeconfig", tokens[sa], "--secret-name", SECRET,
                   "--binder-deployment", "binder"])
        out, err = capsys.readouterr()
        who = "install" if sa == INSTALL_SA else "refresh"
        record("RBAC/admission", f"{command} with the {who} identity's token", f"exit {rc}", None, None,
               message=out.strip().splitlines()[0] if out.strip() else err.strip())
        assert rc == 0, err
        secret = json.loads(kubectl(admin, "get", "secret", SECRET, "-o", "json").stdout)
        assert secret["type"] == "kubernetes.io/dockerconfigjson"
        template = json.loads(kubectl(admin, "get", "deployment", "binder", "-o", "json").stdout)["spec"]["template"]
        checksums.append(template["metadata"]["annotations"].get("binderhub-registry-hook/checksum"))
        assert template["metadata"]["annotations"]["keep"] == "me"
    assert checksums[0] and checksums[0] == checksums[1]  # rolled once; the refresh found nothing new


def test_pre_created_secret_needs_no_create_on_a_real_server(cluster, htpasswd_registry, helm3, helm_env_module,
                                                             tmp_path, monkeypatch, capsys):
    """output.preCreated: the Role has no `create`; the hook replaces the Secret the admin made."""
    ns = "precreated"
    admin = cluster.kubeconfig(tmp_path / "admin.kubeconfig", namespace=ns)
    kubectl_ns = lambda kc, *a, stdin=None: subprocess.run(  # noqa: E731
        [str(KUBECTL), "--kubeconfig", kc, "-n", ns, *a], input=stdin, capture_output=True, text=True, timeout=60)
    assert kubectl_ns(admin, "create", "namespace", ns).returncode == 0
    values = tmp_path / "values.json"
    values.write_text(json.dumps({**GENERIC, "output": {"preCreated": True}, "refresh": {"enabled": False}}))
    proc = subprocess.run([str(helm3), "template", "binder", str(CHART), "-n", ns, "--validate", "-f", str(values)],
                          capture_output=True, text=True, timeout=60, env={**helm_env_module, "KUBECONFIG": admin})
    assert proc.returncode == 0, proc.stderr
    wanted = [d for d in YAML(typ="safe").load_all(proc.stdout) if d and d["kind"] in ("ServiceAccount", "Role",
                                                                                     "RoleBinding")]
    assert kubectl_ns(admin, "apply", "-f", "-", stdin="\n---\n".join(json.dumps(d) for d in wanted)).returncode == 0
    token = kubectl_ns(admin, "create", "token", INSTALL_SA).stdout.strip()
    hook_kc = cluster.kubeconfig(tmp_path / "hook.kubeconfig", token=token, namespace=ns)

    refused = kubectl_ns(hook_kc, "create", "-f", "-", stdin=secret_doc(SECRET, "kubernetes.io/dockerconfigjson"))
    answer = " ".join(refused.stderr.split())
    record("RBAC/admission", "output.preCreated: create even the output Secret", "refused by RBAC"
           if refused.returncode else "ALLOWED", None, None, message=answer[:300])
    assert refused.returncode != 0 and f"system:serviceaccount:{ns}:{INSTALL_SA}\" cannot create" in answer

    assert kubectl_ns(admin, "create", "secret", "docker-registry", SECRET, "--docker-server=placeholder",
                      "--docker-username=placeholder", "--docker-password=placeholder").returncode == 0
    reg = htpasswd_registry
    hook_values = tmp_path / "hook-values.json"
    hook_values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url, "timeouts": {"retryFor": 1},
                                                    "imagePrefix": f"{reg.host}/binder/prod-"}}))
    monkeypatch.setenv("REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("REGISTRY_PASSWORD", reg.users["alice"])
    capsys.readouterr()
    rc = main(["apply", "-f", str(hook_values), "--kubeconfig", hook_kc, "--secret-name", SECRET,
               "--binder-deployment", ""])
    out, err = capsys.readouterr()
    record("RBAC/admission", "output.preCreated: apply replaces the pre-created Secret", f"exit {rc}", None, None,
           message=(out or err).strip().splitlines()[0])
    assert rc == 0 and "replaced" in out, err
