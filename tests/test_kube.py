"""`apply` and `refresh` end to end: real registry, real `kubernetes` client, real HTTP.

The Kubernetes side is tests/support/kubeapi.py (resourceVersion, 409, 404, 403 with
the Role the chart grants); the registry is the Debian `docker-registry` with htpasswd.
Each case runs the CLI (`binderhub_registry_hook.cli.main`) as the Job does and checks the Secret, the
Deployment, the Events, the one output line and that no secret leaks.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from binderhub_registry_hook import kube
from binderhub_registry_hook.cli import main
from tests.conftest import new_password
from tests.support import TestCA
from tests.support.kubeapi import KubeApiServer, hook_role_rules
from tests.support.release import NS, SECRET, binder_deployment

FAST = {"connect": 1, "read": 5, "retryFor": 1}


@pytest.fixture
def registry(registry_factory):
    return registry_factory("htpasswd", users={"alice": new_password(), "bob": new_password()})


@pytest.fixture
def api():
    with KubeApiServer(rules=hook_role_rules(SECRET, "binder")) as server:
        yield server


@pytest.fixture
def apply(tmp_path, registry, api, capsys):
    """apply(user=, command=, password=) -> (exit code, stdout, stderr), as the Job runs it."""
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps({"registry": {
        "type": "generic", "url": registry.url, "imagePrefix": f"{registry.host}/binder/prod-", "timeouts": FAST}}))
    kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)

    def run(user="alice", *, command="apply", password=None, extra=(), clock=None):
        creds = tmp_path / f"credentials-{user}"  # a mounted Secret: one file per key
        creds.mkdir(exist_ok=True)
        (creds / "username").write_text(user)
        password = registry.users[user] if password is None else password
        (creds / "password").write_text(password)
        capsys.readouterr()
        rc = main([command, "-f", str(values), "--credentials", str(creds), "--kubeconfig", kubeconfig,
                   "--label", "app.kubernetes.io/instance=binder", *extra], clock=clock)
        out, err = capsys.readouterr()
        for secret in (password, base64.b64encode(f"{user}:{password}".encode()).decode()):
            assert secret not in out + err, "a secret reached the output"
        assert "Traceback" not in out + err
        return rc, out, err

    return run


def auth_of(api) -> str:
    data = api.secret_data(NS, SECRET)
    return base64.b64decode(json.loads(data["config.json"])["auths"][next(iter(
        json.loads(data["config.json"])["auths"]))]["auth"]).decode().split(":")[0]


def events(api) -> list[dict]:
    return [o for (r, _, _), o in api.objects.items() if r == "events"]


# -- the cases of the issue ------------------------------------------------------------


def test_first_install_writes_secret_and_event(apply, api, registry):
    rc, out, err = apply()
    assert rc == 0, err
    assert out.startswith(f"ok: Secret {NS}/{SECRET} created for {registry.host}/binder/prod-* ")
    assert "Deployment 'binder' not found (first install" in out

    obj = api.get("secrets", NS, SECRET)
    assert obj["type"] == "kubernetes.io/dockerconfigjson"
    data = api.secret_data(NS, SECRET)
    assert set(data) == {"config.json", ".dockerconfigjson", "binderhub-settings.json"}
    assert data["config.json"] == data[".dockerconfigjson"]
    assert json.loads(data["config.json"])["auths"][registry.url]["auth"] == base64.b64encode(
        f"alice:{registry.users['alice']}".encode()).decode()
    settings = json.loads(data["binderhub-settings.json"])
    assert settings["BinderHub"]["image_prefix"] == f"{registry.host}/binder/prod-"
    assert settings["DockerRegistry"] == {"url": registry.url, "auth_config_url": registry.url, "token_url": ""}

    ann = obj["metadata"]["annotations"]
    assert ann[kube.ANN_REGISTRY] == "generic" and ann[kube.ANN_EXPIRES] == "never"
    assert len(ann[kube.ANN_CHECKSUM]) == 32
    assert obj["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "binderhub-registry-hook",
                                         "app.kubernetes.io/instance": "binder"}
    [event] = events(api)
    assert event["reason"] == "SecretCreated" and event["type"] == "Normal"
    assert event["involvedObject"] == {"apiVersion": "v1", "kind": "Secret", "name": SECRET,
                                       "namespace": NS, "uid": obj["metadata"]["uid"]}
    assert registry.users["alice"] not in json.dumps(event)


def test_upgrade_with_unchanged_credentials_writes_nothing(apply, api):
    api.put("deployments", NS, binder_deployment())
    at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    assert apply(clock=lambda: at)[0] == 0  # created, and the existing Deployment rolled once
    rv = api.get("secrets", NS, SECRET)["metadata"]["resourceVersion"]
    generation = api.get("deployments", NS, "binder")["metadata"]["generation"]
    before = len(api.requests)

    rc, out, err = apply(clock=lambda: at)  # the same check again: its record is already there
    assert rc == 0, err
    assert f"Secret {NS}/{SECRET} unchanged" in out and "already runs with this content: not rolled" in out
    later = api.requests[before:]
    assert not [r for r in later if r[0] in ("POST", "PUT", "PATCH") and "/events" not in r[1]], later
    assert api.get("secrets", NS, SECRET)["metadata"]["resourceVersion"] == rv
    assert api.get("deployments", NS, "binder")["metadata"]["generation"] == generation
    assert events(api)[-1]["reason"] == "Unchanged"


def test_a_later_check_records_itself_without_touching_the_data_or_rolling(apply, api):
    api.put("deployments", NS, binder_deployment())
    at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    assert apply(clock=lambda: at)[0] == 0
    first = api.get("secrets", NS, SECRET)
    generation = api.get("deployments", NS, "binder")["metadata"]["generation"]

    rc, out, err = apply(command="refresh", clock=lambda: at + timedelta(hours=6))
    assert rc == 0, err
    assert f"Secret {NS}/{SECRET} recorded" in out and "not rolled" in out
    later = api.get("secrets", NS, SECRET)
    assert later["data"] == first["data"]
    ann = later["metadata"]["annotations"]
    assert ann["binderhub-registry-hook/last-check"] == "2026-12-01T18:00:00Z"
    assert ann[kube.ANN_UPDATED] == first["metadata"]["annotations"][kube.ANN_UPDATED]  # content unchanged
    assert ann["binderhub-registry-hook/origin"] and "binderhub-registry-hook/last-error" not in ann
    assert api.get("deployments", NS, "binder")["metadata"]["generation"] == generation
    assert events(api)[-1]["reason"] == "CheckPassed"


def test_rotated_credentials_replace_secret_and_roll_binder(apply, api):
    assert apply("alice")[0] == 0
    api.put("deployments", NS, binder_deployment())  # BinderHub started after the first install
    old = api.get("secrets", NS, SECRET)

    rc, out, err = apply("bob", command="refresh")
    assert rc == 0, err
    assert f"Secret {NS}/{SECRET} replaced" in out and "Deployment 'binder' rolled" in out
    new = api.get("secrets", NS, SECRET)
    assert new["metadata"]["uid"] == old["metadata"]["uid"]  # replaced in place, not recreated
    assert auth_of(api) == "bob"
    checksum = new["metadata"]["annotations"][kube.ANN_CHECKSUM]
    assert checksum != old["metadata"]["annotations"][kube.ANN_CHECKSUM]
    dep = api.get("deployments", NS, "binder")
    assert dep["spec"]["template"]["metadata"]["annotations"] == {"checksum/config": "abc",
                                                                  kube.ANN_CHECKSUM: checksum}
    assert dep["metadata"]["generation"] == 2
    assert ("PATCH", f"/apis/apps/v1/namespaces/{NS}/deployments/binder", 200) in api.requests
    assert events(api)[-1]["reason"] == "SecretUpdated"
    assert events(api)[-1]["message"].startswith("refresh: ")


def test_concurrent_write_conflict_is_retried(apply, api):
    assert apply("alice")[0] == 0
    interfered = []

    def other_writer(method, resource, ns, name):
        # Between our read and our PUT, someone else updates the Secret once.
        if method == "PUT" and resource == "secrets" and not interfered:
            obj = api.get("secrets", ns, name)
            obj["metadata"]["annotations"]["example.org/touched"] = "yes"
            api.put("secrets", ns, obj)
            interfered.append(obj["metadata"]["resourceVersion"])

    api.before.append(other_writer)
    rc, out, err = apply("bob")
    assert rc == 0, err
    puts = [r for r in api.requests if r[0] == "PUT"]
    assert [r[2] for r in puts] == [409, 200]
    assert auth_of(api) == "bob"
    # The other writer's annotation survives our replace.
    assert api.get("secrets", NS, SECRET)["metadata"]["annotations"]["example.org/touched"] == "yes"


def test_concurrent_create_is_retried_as_replace(apply, api, registry):
    def other_creator(method, resource, ns, name):
        if method == "POST" and resource == "secrets" and not api.get("secrets", ns, SECRET):
            api.put("secrets", ns, {"metadata": {"name": SECRET}, "type": kube.SECRET_TYPE,
                                    "stringData": {".dockerconfigjson": '{"auths": {}}'}})

    api.before.append(other_creator)
    rc, out, err = apply("alice")
    assert rc == 0, err
    assert [r[2] for r in api.requests if r[0] in ("POST", "PUT") and "/secrets" in r[1]] == [409, 200]
    assert "replaced" in out and auth_of(api) == "alice"


def test_conflicts_are_bounded(apply, api):
    assert apply("alice")[0] == 0

    def always(method, resource, ns, name):
        if method == "PUT" and resource == "secrets":
            api.put("secrets", ns, api.get("secrets", ns, name))

    api.before.append(always)
    rc, _, err = apply("bob")
    assert rc == 5
    assert f"Secret '{SECRET}' kept changing under the hook ({kube.CONFLICT_ATTEMPTS} conflicting writes)" in err
    assert len([r for r in api.requests if r[0] == "PUT"]) == kube.CONFLICT_ATTEMPTS


@pytest.mark.parametrize("drop, words", [
    (0, f"the hook may not get secrets '{SECRET}' in namespace '{NS}' (its Role needs the rule: apiGroups "
        f"[''], resources [secrets], verbs [get], resourceNames [{SECRET}])"),
    (1, f"the hook may not create secrets in namespace '{NS}' (its Role needs the rule: apiGroups [''], "
        "resources [secrets], verbs [create])"),
    (2, "the hook may not get deployments 'binder' in namespace 'binder' (its Role needs the rule: "
        "apiGroups ['apps'], resources [deployments], verbs [get], resourceNames [binder])"),
])
def test_forbidden_names_the_missing_rule(apply, api, drop, words):
    api.rules = [r for i, r in enumerate(hook_role_rules(SECRET, "binder")) if i != drop]
    rc, _, err = apply()
    assert rc == 5
    assert err.strip() == f"error: kubernetes RBAC: {words}"
    assert len(err.strip().splitlines()) == 1


def test_forbidden_roll_names_patch_rule(apply, api):
    api.put("deployments", NS, binder_deployment())
    api.rules = [r if r.get("resources") != ["deployments"] else {**r, "verbs": ["get"]}
                 for r in hook_role_rules(SECRET, "binder")]
    rc, _, err = apply()
    assert rc == 5
    assert "may not patch deployments 'binder'" in err and "verbs [patch], resourceNames [binder]" in err


def test_events_forbidden_is_only_a_warning(apply, api):
    api.rules = hook_role_rules(SECRET, "binder")[:3]
    rc, out, err = apply()
    assert rc == 0, err
    assert "could not record an Event" in err and "verbs [create]" in err
    assert api.get("secrets", NS, SECRET) is not None


def test_failed_probe_leaves_old_secret_byte_identical(apply, api):
    api.put("deployments", NS, binder_deployment())
    assert apply("alice")[0] == 0
    old_secret = json.dumps(api.get("secrets", NS, SECRET), sort_keys=True)
    old_deploy = json.dumps(api.get("deployments", NS, "binder"), sort_keys=True)
    before = len(api.requests)

    rc, out, err = apply("alice", password="wrong-" + new_password())
    assert rc == 3
    assert err.startswith("error: credentials rejected:") and len(err.strip().splitlines()) == 1
    now = api.get("secrets", NS, SECRET)
    old = json.loads(old_secret)
    assert (now["data"], now["type"]) == (old["data"], old["type"])  # the credentials, byte for byte
    # Only the check's record changed: the last error, and when.
    added = {k: v for k, v in now["metadata"]["annotations"].items() if old["metadata"]["annotations"].get(k) != v}
    assert set(added) == {"binderhub-registry-hook/last-error", "binderhub-registry-hook/last-error-at"}
    assert "credentials rejected" in added["binderhub-registry-hook/last-error"]
    assert json.dumps(api.get("deployments", NS, "binder"), sort_keys=True) == old_deploy
    later = api.requests[before:]
    # read the Secret; record the failure on it (read, replace); the Warning Event
    assert [r[0] for r in later] == ["GET", "GET", "PUT", "POST"]
    warning = events(api)[-1]
    assert warning["type"] == "Warning" and warning["reason"] == "RegistryCheckFailed"
    assert "Secret data left unchanged" in warning["message"]


def test_bad_values_fail_before_any_write(apply, api, tmp_path):
    (tmp_path / "values.yaml").write_text(json.dumps({"registry": {"type": "generic", "imagePrefix": "x/y-"}}))
    rc, _, err = apply()
    assert rc == 2 and err.strip() == "error: invalid value: registry.url: required value is missing"
    assert api.writes("secrets") == []


def test_secret_of_another_type_is_not_overwritten(apply, api):
    api.put("secrets", NS, {"metadata": {"name": SECRET}, "type": "Opaque", "stringData": {"a": "b"}})
    rc, _, err = apply()
    assert rc == 5
    assert "has type 'Opaque'" in err and f"kubectl -n {NS} delete secret {SECRET}" in err
    assert api.secret_data(NS, SECRET) == {"a": "b"}


def test_api_server_unreachable(apply, api):
    api.stop()
    rc, _, err = apply()
    assert rc == 5
    assert "cannot get secrets at http://127.0.0.1:" in err and len(err.strip().splitlines()) == 1


def test_wrong_token_is_401(apply, api):
    api.token = "something-else"
    rc, _, err = apply()
    assert rc == 5 and "refused the hook's credentials (HTTP 401)" in err


def test_test_server_rejects_dict_as_json_patch(api):
    """The official client sends a dict PATCH as json-patch unless told: the sink must say which."""
    import requests

    api.put("deployments", NS, binder_deployment())
    r = requests.patch(f"{api.url}/apis/apps/v1/namespaces/{NS}/deployments/binder", json={"spec": {}},
                       headers={"Authorization": f"Bearer {api.token}",
                                "Content-Type": "application/json-patch+json"}, timeout=5)
    assert r.status_code == 400 and r.json()["kind"] == "Status"


def test_validate_with_the_written_config_as_helm_test_does(apply, api, tmp_path, capsys):
    assert apply("alice")[0] == 0
    written = tmp_path / "output" / "config.json"  # the test pod mounts the Secret's config.json
    written.parent.mkdir()
    written.write_text(api.secret_data(NS, SECRET)["config.json"])
    args = ["validate", "-f", str(tmp_path / "values.yaml"), "--credentials", str(tmp_path / "credentials-alice"),
            "--docker-config", str(written)]
    capsys.readouterr()
    assert main(args) == 0, capsys.readouterr().err

    doc = json.loads(written.read_text())
    [key] = doc["auths"]
    doc["auths"][key]["auth"] = base64.b64encode(b"alice:stale-password").decode()
    written.write_text(json.dumps(doc))
    assert main(args) == 3
    assert capsys.readouterr().err.startswith("error: credentials rejected:")

    written.write_text('{"auths": {}}')
    assert main(args) == 2
    assert "no usable auths[" in capsys.readouterr().err


def test_private_ca_goes_into_the_secret_and_a_new_ca_rolls_binder(registry_factory, api, tmp_path, capsys):
    """registry.tls.caBundle: the Secret carries ca.crt and the bundle the binder pod mounts; the CA
    is part of the checksum, so replacing it restarts BinderHub."""
    reg = registry_factory("htpasswd", tls=True)
    api.put("deployments", NS, binder_deployment())
    kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)
    creds = tmp_path / "credentials"
    creds.mkdir()
    (creds / "username").write_text("alice")
    (creds / "password").write_text(reg.users["alice"])

    def apply(extra_ca: str = ""):
        values = tmp_path / "values.yaml"
        values.write_text(json.dumps({"registry": {
            "type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-", "timeouts": FAST,
            "tls": {"caBundle": reg.ca.cert_pem.decode() + extra_ca}}}))
        rc = main(["apply", "-f", str(values), "--credentials", str(creds), "--kubeconfig", kubeconfig])
        out, err = capsys.readouterr()
        assert rc == 0, err
        return out

    out = apply()
    assert "warning: the build pods' container engine must trust the registry's CA" in out
    data = api.secret_data(NS, SECRET)
    assert data["ca.crt"].strip() == reg.ca.cert_pem.decode().strip()
    assert data["ca-certificates.crt"].rstrip().endswith(data["ca.crt"].strip())
    assert data["ca-certificates.crt"].count("BEGIN CERTIFICATE") > 50  # the public CAs too
    first = api.get("deployments", NS, "binder")["spec"]["template"]["metadata"]["annotations"][kube.ANN_CHECKSUM]
    other_ca = TestCA().cert_pem.decode()
    apply(other_ca)  # a second CA (e.g. during a CA rotation)
    assert api.secret_data(NS, SECRET)["ca.crt"].count("BEGIN CERTIFICATE") == 2
    second = api.get("deployments", NS, "binder")["spec"]["template"]["metadata"]["annotations"][kube.ANN_CHECKSUM]
    assert second != first
