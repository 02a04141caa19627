"""RBAC on the real authorizer (issue 12, test 5): every rule the chart grants is used by
the hook, and every write it must not make is refused, with the hook's own
ServiceAccount token.  The Roles are read from what the chart renders, so a change of
the chart's RBAC is tested as it is."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "binderhub"

pytestmark = pytest.mark.timeout(600)


def rendered(release) -> list[dict]:
    values = release.workdir / "values-template.json"
    values.write_text(json.dumps(release.values()))
    proc = release.helm_run("template", release.name, release.chart, "-n", release.namespace,
                            "-f", EXAMPLE / "values.yaml", "-f", values,
                            "--api-versions", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy")
    assert proc.returncode == 0, proc.stderr
    return [d for d in YAML(typ="safe").load_all(proc.stdout) if d]


def audit_events(namespace: str) -> list[dict]:
    path = os.environ.get("CLUSTER_AUDIT_LOG") or _audit_log()
    events = []
    with open(path) as f:
        for line in f:
            if f'"namespace":"{namespace}"' in line or f'serviceaccount:{namespace}:' in line:
                events.append(json.loads(line))
    return events


def _audit_log() -> str:
    out = subprocess.run(["bash", str(ROOT / "scripts" / "cluster.sh"), "env"], capture_output=True, text=True).stdout
    return next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith("export CLUSTER_AUDIT_LOG="))


def rule_grants(rule: dict):
    for group in rule.get("apiGroups", [""]):
        for resource in rule["resources"]:
            for verb in rule["verbs"]:
                for name in rule.get("resourceNames") or [None]:
                    yield group, resource, verb, name


def test_every_granted_rule_is_used_and_forbidden_writes_are_refused(release_factory, helm3):
    release = release_factory(helm3)
    cluster, ns, reg = release.cluster, release.namespace, release.registry
    release.extra = {"registryHook": {**release.values()["registryHook"], "refresh": {"enabled": True}}}
    docs = rendered(release)

    # Every path through the hook: install (create), upgrade with rotated credentials
    # (update + roll), a refresh Job after another rotation, a failed run (Warning Event).
    assert release.install().returncode == 0
    release.set_credentials(reg.rotate())
    assert release.upgrade().returncode == 0
    release.set_credentials(reg.rotate())
    cluster.kubectl("create", "job", "refresh-rbac", "--from", "cronjob/binder-registry-hook-refresh", "-n", ns)
    cluster.wait_for("refresh job", lambda: cluster.get("job", "refresh-rbac", "-n", ns)["status"].get("succeeded"),
                     timeout=120)
    # The Secret deleted by someone: the refresh identity puts it back (its `create`).
    cluster.kubectl("delete", "secret", "binderhub-registry", "-n", ns)
    cluster.kubectl("create", "job", "refresh-rbac-2", "--from", "cronjob/binder-registry-hook-refresh", "-n", ns)
    cluster.wait_for("refresh job", lambda: cluster.get("job", "refresh-rbac-2", "-n", ns)["status"].get("succeeded")
                     or cluster.get("job", "refresh-rbac-2", "-n", ns)["status"].get("failed"), timeout=120)
    release.set_credentials("wrong-" + reg.password)
    assert release.upgrade().returncode != 0

    roles = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Role"}
    bindings = [d for d in docs if d["kind"] == "RoleBinding"]
    assert roles and not [d for d in docs if d["kind"] in ("ClusterRole", "ClusterRoleBinding")]
    events = audit_events(ns)
    unused, forbidden_by_hook = [], []
    for binding in bindings:
        role = roles[binding["roleRef"]["name"]]
        users = {f"system:serviceaccount:{ns}:{s['name']}" for s in binding["subjects"]}
        mine = [e for e in events if e["user"]["username"] in users]
        assert mine, f"no request of {users} in the audit log"
        forbidden_by_hook += [(e["verb"], e["objectRef"].get("resource"), e["objectRef"].get("name"))
                              for e in mine if e["annotations"].get("authorization.k8s.io/decision") != "allow"]
        for group, resource, verb, name in (g for rule in role["rules"] for g in rule_grants(rule)):
            used = any(e["verb"] == verb and e["objectRef"].get("resource") == resource
                       and e["objectRef"].get("apiGroup", "") == group
                       and (name is None or e["objectRef"].get("name") == name)
                       and e["annotations"].get("authorization.k8s.io/decision") == "allow" for e in mine)
            if not used:
                unused.append((role["metadata"]["name"], group, resource, verb, name))
    assert not forbidden_by_hook, f"the hook made requests its Role does not allow: {forbidden_by_hook}"

    # Writes the hook must not make, with its own ServiceAccount's token: all refused.  The
    # identity objects are applied as rendered (an install-time identity may be deleted as
    # soon as its Job is done), then each ServiceAccount gets a token, as its pods do.
    identity = [d for d in docs if d["kind"] in IDENTITY_KINDS]
    cluster_scoped = [d for d in identity if d["kind"].startswith("ValidatingAdmissionPolicy")]
    ordered = sorted(identity, key=lambda d: IDENTITY_KINDS.index(d["kind"]))
    manifest = {"apiVersion": "v1", "kind": "List", "items": ordered}
    try:
        cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(manifest))
        cluster.kubectl("create", "secret", "generic", "someone-elses", "-n", ns, "--from-literal", "k=v")
        cluster.kubectl("create", "deployment", "other", "-n", ns, "--image", cluster.binder_image, "--replicas", "0")
        for binding in bindings:
            for subject in binding["subjects"]:
                token = cluster.token(ns, subject["name"])
                refused = forbidden_writes(cluster, ns, token)
                allowed = [what for what, code in refused if code != 403]
                assert not allowed, f"{subject['name']} was not refused: {allowed}"
                if cluster_scoped:
                    # What RBAC cannot say (create takes no name; patch is any field), the
                    # chart's ValidatingAdmissionPolicy refuses on the API server.
                    refused = cluster.wait_for("the admission policy to apply",
                                               lambda t=token: admission_refusals(cluster, ns, t), timeout=30)
                    allowed = [what for what, code in refused if code != 403]
                    assert not allowed, f"{subject['name']} was not refused by admission: {allowed}"
    finally:
        for doc in cluster_scoped:
            cluster.kubectl("delete", doc["kind"].lower(), doc["metadata"]["name"], "--ignore-not-found", check=False)

    # Last, as it is a known finding: the chart grants `patch` on the hook's Secret, which
    # the hook never uses (it replaces the Secret with the resourceVersion it read).
    if {u[1:4] for u in unused} == {("", "secrets", "patch")}:
        pytest.xfail(f"granted but never used by the hook: {unused} (chart/templates/rbac.yaml, issue 13)")
    assert not unused, f"granted but never used by the hook: {unused}"


IDENTITY_KINDS = ["ServiceAccount", "Role", "RoleBinding", "ValidatingAdmissionPolicy",
                  "ValidatingAdmissionPolicyBinding"]


def admission_refusals(cluster, ns: str, token: str) -> list[tuple[str, int]] | None:
    """Writes RBAC lets through and the admission policy must refuse; None while a first
    probe still passes (the policy is not in force yet)."""
    strategic = "application/strategic-merge-patch+json"
    attempts = [
        ("create a Secret of another name", "POST", f"/api/v1/namespaces/{ns}/secrets",
         {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "planted-by-hook"},
          "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "e30="}}, None),
        ("create a service-account-token Secret", "POST", f"/api/v1/namespaces/{ns}/secrets",
         {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
          "metadata": {"name": "binderhub-registry-token",
                       "annotations": {"kubernetes.io/service-account.name": "default"}}}, None),
        ("swap binder's image", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/binder",
         {"spec": {"template": {"spec": {"containers": [{"name": "binder", "image": cluster.hook_image}]}}}},
         strategic),
        ("scale binder", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/binder",
         {"spec": {"replicas": 5}}, strategic),
        ("add another pod-template annotation", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/binder",
         {"spec": {"template": {"metadata": {"annotations": {"planted": "1"}}}}}, strategic),
    ]
    results = []
    for what, method, path, body, ctype in attempts:
        answer = cluster.request(method, path, token=token, body=body, content_type=ctype)
        if not results and answer.status_code != 403:
            if answer.status_code in (200, 201):  # not in force yet: undo and try again
                cluster.kubectl("delete", "secret", "planted-by-hook", "-n", ns, "--ignore-not-found")
            return None
        results.append((what, answer.status_code))
    return results


def forbidden_writes(cluster, ns: str, token: str) -> list[tuple[str, int]]:
    merge = "application/merge-patch+json"
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "binderhub-registry"}, "type": "Opaque"}
    attempts = [
        ("delete the hook's Secret", "DELETE", f"/api/v1/namespaces/{ns}/secrets/binderhub-registry", None, None),
        ("read another Secret", "GET", f"/api/v1/namespaces/{ns}/secrets/someone-elses", None, None),
        ("list Secrets", "GET", f"/api/v1/namespaces/{ns}/secrets", None, None),
        ("update another Secret", "PUT", f"/api/v1/namespaces/{ns}/secrets/someone-elses",
         {**secret, "metadata": {"name": "someone-elses"}}, None),
        ("patch another Secret", "PATCH", f"/api/v1/namespaces/{ns}/secrets/someone-elses",
         {"stringData": {"k": "x"}}, merge),
        ("delete another Secret", "DELETE", f"/api/v1/namespaces/{ns}/secrets/someone-elses", None, None),
        ("write a Secret in another namespace", "POST", "/api/v1/namespaces/default/secrets",
         {**secret, "metadata": {"name": "planted"}}, None),
        ("patch another Deployment", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/other",
         {"spec": {"replicas": 1}}, merge),
        ("update the binder Deployment", "PUT", f"/apis/apps/v1/namespaces/{ns}/deployments/binder",
         {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "binder"}}, None),
        ("delete the binder Deployment", "DELETE", f"/apis/apps/v1/namespaces/{ns}/deployments/binder", None, None),
        ("create a Deployment", "POST", f"/apis/apps/v1/namespaces/{ns}/deployments",
         {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "planted"}}, None),
        ("create a Pod", "POST", f"/api/v1/namespaces/{ns}/pods",
         {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "planted"}}, None),
        ("write a ConfigMap", "POST", f"/api/v1/namespaces/{ns}/configmaps",
         {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "planted"}}, None),
        ("grant itself a Role", "POST", f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
         {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "planted"},
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"},
          "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": ns}]}, None),
        ("widen its Role", "PATCH", f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles/binder-registry-hook",
         {"rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}, merge),
        ("delete Events", "DELETE", f"/api/v1/namespaces/{ns}/events", None, None),
        ("mint tokens", "POST", f"/api/v1/namespaces/{ns}/serviceaccounts/default/token",
         {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}}, None),
    ]
    results = []
    for what, method, path, body, ctype in attempts:
        answer = cluster.request(method, path, token=token, body=body, content_type=ctype)
        if answer.status_code == 403:
            assert answer.json()["reason"] == "Forbidden", answer.text
        results.append((what, answer.status_code))
    return results
