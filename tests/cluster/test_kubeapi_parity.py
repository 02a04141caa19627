"""tests/support/kubeapi.py against the real API server (issue 12, test 7).

The API test server stays for faults a real server will not produce on demand (409
storms, 5xx, stalls); every semantic it emulates is checked here once: the same
requests go to both, and the answers (status, reason, message where it is one cause)
and the stored results must agree.
"""

from __future__ import annotations

import base64
import json

import pytest
import requests

from tests.support.kubeapi import KubeApiServer, hook_role_rules

pytestmark = pytest.mark.timeout(300)
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"


class Real:
    def __init__(self, cluster, token):
        self.cluster, self.token = cluster, token

    def __call__(self, method, path, body=None, ctype=None, token=None):
        return self.cluster.request(method, path, token=token or self.token, body=body,
                                    content_type=ctype or "application/json")


class StandIn:
    def __init__(self, server):
        self.server = server

    def __call__(self, method, path, body=None, ctype=None, token=None):
        headers = {"Authorization": f"Bearer {token or self.server.token}",
                   "Content-Type": ctype or "application/json"}
        return requests.request(method, self.server.url + path, headers=headers, timeout=10,
                                data=None if body is None else json.dumps(body))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(name, **extra):
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, **extra}


def deployment(name, labels=None, template_labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": 0, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": template_labels or labels},
                                  "spec": {"containers": [{"name": "c", "image": "localhost/none:1"}]}}}}


def scenario(api, ns):
    """The sink's semantics, as requests; returns comparable (what, outcome) pairs."""
    s = f"/api/v1/namespaces/{ns}/secrets"
    d = f"/apis/apps/v1/namespaces/{ns}/deployments"
    out = []

    def call(what, method, path, body=None, ctype=None, keep=None):
        r = api(method, path, body, ctype)
        doc = r.json() if r.content else {}
        outcome = {"code": r.status_code}
        if doc.get("kind") == "Status":
            outcome["reason"] = doc.get("reason")
            if r.status_code in (404, 409, 500) or (r.status_code == 422 and "," not in doc.get("message", "")):
                # Go's JSON error details ("invalid character 'o' in literal null ...") are not emulated.
                outcome["message"] = doc.get("message", "").split(": invalid character")[0]
        if keep:
            outcome.update(keep(doc))
        out.append((what, outcome))
        return doc

    data = lambda doc: {"data": doc.get("data"), "type": doc.get("type")}  # noqa: E731
    created = call("create with stringData", "POST", s, secret("a", type="Opaque", stringData={"k": "v"},
                                                                 data={"d": b64("x")}), keep=data)
    call("create again: AlreadyExists", "POST", s, secret("a"))
    call("create with a resourceVersion", "POST", s, {**secret("b"), "metadata": {"name": "b", "resourceVersion": "1"}})
    call("create without a name", "POST", s, {"apiVersion": "v1", "kind": "Secret", "metadata": {}})
    call("illegal base64", "POST", s, secret("c", data={"k": "not base64!"}))
    call("dockerconfigjson without its key", "POST", s, secret("d", type="kubernetes.io/dockerconfigjson",
                                                                 data={"config.json": b64("{}")}))
    call("dockerconfigjson that is not JSON", "POST", s, secret("e", type="kubernetes.io/dockerconfigjson",
                                                                  data={".dockerconfigjson": b64("nope")}))
    call("get missing: NotFound", "GET", f"{s}/missing")
    call("update missing: NotFound", "PUT", f"{s}/missing", secret("missing", data={}))
    rv = created["metadata"]["resourceVersion"]
    read_version = {"name": "a", "resourceVersion": rv}
    updated = call("update with the resourceVersion read", "PUT", f"{s}/a",
                   {**secret("a", type="Opaque", stringData={"k": "w"}), "metadata": read_version}, keep=data)
    call("update with a stale resourceVersion: Conflict", "PUT", f"{s}/a",
         {**secret("a", type="Opaque", data={}), "metadata": {"name": "a", "resourceVersion": rv}})
    call("update without a resourceVersion", "PUT", f"{s}/a", secret("a", type="Opaque", data={"k": b64("u")}),
         keep=data)
    call("type is immutable", "PUT", f"{s}/a", secret("a", type="example.com/other", data={}))
    call("merge patch", "PATCH", f"{s}/a", {"metadata": {"annotations": {"x": "1"}}}, MERGE,
         keep=lambda doc: {"annotations": doc["metadata"].get("annotations")})
    call("patch with a stale resourceVersion", "PATCH", f"{s}/a",
         {"metadata": {"resourceVersion": updated["metadata"]["resourceVersion"]}}, MERGE)
    call("an object sent as a JSON patch", "PATCH", f"{s}/a", {"metadata": {}}, "application/json-patch+json")
    call("unsupported patch type", "PATCH", f"{s}/a", {"metadata": {}}, "text/plain")
    call("list", "GET", s, keep=lambda doc: {"kind": doc.get("kind"),
                                              "names": sorted(i["metadata"]["name"] for i in doc["items"])})
    call("delete", "DELETE", f"{s}/a")
    call("delete missing", "DELETE", f"{s}/a")

    call("deployment: selector must match the template", "POST", d, deployment("x", {"app": "x"}, {"app": "y"}))
    dep = call("deployment create", "POST", d, deployment("binder"),
               keep=lambda doc: {"generation": doc["metadata"].get("generation")})
    call("deployment: metadata-only patch keeps generation", "PATCH", f"{d}/binder",
         {"metadata": {"annotations": {"a": "1"}}}, MERGE,
         keep=lambda doc: {"generation": doc["metadata"].get("generation")})
    call("deployment: pod template patch bumps generation", "PATCH", f"{d}/binder",
         {"spec": {"template": {"metadata": {"annotations": {"binderhub-registry-hook/checksum": "1"}}}}}, STRATEGIC,
         keep=lambda doc: {"generation": doc["metadata"].get("generation"),
                           "annotations": doc["spec"]["template"]["metadata"].get("annotations")})
    call("deployment: the same patch again keeps generation", "PATCH", f"{d}/binder",
         {"spec": {"template": {"metadata": {"annotations": {"binderhub-registry-hook/checksum": "1"}}}}}, STRATEGIC,
         keep=lambda doc: {"generation": doc["metadata"].get("generation")})
    assert dep
    event = {"apiVersion": "v1", "kind": "Event", "metadata": {"generateName": "binderhub-registry."},
             "involvedObject": {"kind": "Secret", "name": "binderhub-registry", "namespace": ns},
             "reason": "SecretUpdated", "message": "m", "type": "Normal", "source": {"component": "test"}}
    call("event with generateName", "POST", f"/api/v1/namespaces/{ns}/events", event,
         keep=lambda doc: {"named": doc["metadata"]["name"].startswith("binderhub-registry.")})
    call("unknown resource", "GET", f"/api/v1/namespaces/{ns}/nonsense")
    return out


def rbac_scenario(api, ns, bad_token):
    s = f"/api/v1/namespaces/{ns}/secrets"
    out = []
    for what, method, path, body, ctype in [
        ("create any Secret", "POST", s, secret("planted", data={}), None),
        ("get the output Secret", "GET", f"{s}/binderhub-registry", None, None),
        ("get another Secret", "GET", f"{s}/planted", None, None),
        ("list Secrets", "GET", s, None, None),
        ("delete the output Secret", "DELETE", f"{s}/binderhub-registry", None, None),
        ("patch binder", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/binder", {"metadata": {}}, MERGE),
        ("patch another Deployment", "PATCH", f"/apis/apps/v1/namespaces/{ns}/deployments/other", {}, MERGE),
    ]:
        r = api(method, path, body, ctype)
        doc = r.json()
        outcome = {"code": r.status_code, "reason": doc.get("reason")}
        if r.status_code in (403, 404):
            outcome["message"] = doc.get("message")
        out.append((what, outcome))
    r = api("GET", f"{s}/binderhub-registry", token=bad_token)
    out.append(("a bad token", {"code": r.status_code, "reason": r.json().get("reason")}))
    return out


def compare(real, stand_in):
    diffs = [(what, r, f) for (what, r), (_, f) in zip(real, stand_in, strict=True) if r != f]
    assert not diffs, "the API test server differs from the real one:\n" + "\n".join(
        f"  {what}:\n    real:     {r}\n    stand-in: {f}" for what, r, f in diffs)


def admin_token(cluster, ns, name="parity-admin"):
    cluster.kubectl("create", "serviceaccount", name, "-n", ns)
    cluster.kubectl("create", "rolebinding", name, "-n", ns, "--clusterrole", "cluster-admin",
                    "--serviceaccount", f"{ns}:{name}")
    return cluster.token(ns, name)


def test_the_api_test_server_answers_as_the_real_one(cluster, namespace):
    real = scenario(Real(cluster, admin_token(cluster, namespace)), namespace)
    server = KubeApiServer()
    try:
        stand_in = scenario(StandIn(server), namespace)
    finally:
        server.stop()
    compare(real, stand_in)


def test_the_api_test_servers_rbac_answers_as_the_real_authorizer(cluster, namespace):
    ns = namespace
    user = f"system:serviceaccount:{ns}:hook"
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "hook"},
            "rules": hook_role_rules()}
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(role))
    cluster.kubectl("create", "serviceaccount", "hook", "-n", ns)
    cluster.kubectl("create", "rolebinding", "hook", "-n", ns, "--role", "hook", "--serviceaccount", f"{ns}:hook")
    admin = Real(cluster, admin_token(cluster, ns))
    admin("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", deployment("binder"))
    admin("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", deployment("other"))
    token = cluster.token(ns, "hook")
    cluster.wait_for("the RoleBinding to apply", lambda: Real(cluster, token)(
        "GET", f"/apis/apps/v1/namespaces/{ns}/deployments/binder").status_code == 200, timeout=30)
    real = rbac_scenario(Real(cluster, token), ns, "not-a-token")

    server = KubeApiServer(rules=hook_role_rules(), user=user)
    try:
        server.put("deployments", ns, deployment("binder"))
        server.put("deployments", ns, deployment("other"))
        stand_in = rbac_scenario(StandIn(server), ns, "not-a-token")
    finally:
        server.stop()
    compare(real, stand_in)
