"""Harbor and OVH: a real registry behind a Harbor stand-in (token service, v2.0 API, /v2/ front).

See tests/support/harbor.py.  Validation runs the real CLI; provisioning runs
``resolve`` twice or three times with the previous outputs, as `apply` does.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from binderhub_registry_hook import providers
from binderhub_registry_hook.cli import build_parser, main, resolve
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.spec import RegistrySpec
from tests.support.harbor import DAY, block
from tests.support.inprocess import push_with_written_config
from tests.support.kubeapi import KubeApiServer


@pytest.fixture
def admin_env(harbor, monkeypatch):
    monkeypatch.setenv("REGISTRY_ADMINUSERNAME", "admin")
    monkeypatch.setenv("REGISTRY_ADMINPASSWORD", harbor.admins["admin"])


def no_secrets(harbor, text: str) -> None:
    assert not any(r["secret"] in text for r in harbor.robots.values())
    assert harbor.admins["admin"] not in text and not any(t in text for t in harbor.issued)


# -- validate -----------------------------------------------------------------------------


def test_robot_push_granted_settings_and_skopeo(run, harbor, tmp_path, oci_image):
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "ci")
    rc, out, err = run(block(harbor), username=name, password=secret)
    assert rc == 0, err
    assert out.startswith(f"ok: {name} on {harbor.host}: push and pull verified for {harbor.host}/binder/prod-*")

    rc, out, err = run(block(harbor), username=name, password=secret, command="explain")
    assert rc == 0, err
    settings = json.loads(out[out.index("BinderHub settings:\n") + 19:])
    assert settings["DockerRegistry"]["token_url"] == f"{harbor.url}/service/token?service=harbor-registry"
    assert settings["BinderHub"]["image_prefix"] == f"{harbor.host}/binder/prod-"
    no_secrets(harbor, out + err)

    push_with_written_config(tmp_path, f"{harbor.host}/binder/prod-demo:1", oci_image)


def test_pull_only_robot_refused(run, harbor):
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "reader", actions=("pull",))
    rc, _, err = run(block(harbor), username=name, password=secret)
    assert rc == 3, err
    assert err.startswith(f"error: no push permission: '{name}' may only pull in Harbor project 'binder'")
    assert "Push Repository" in err


def test_expired_robot_refused(run, harbor, monkeypatch):
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "old", days=30, created=time.time() - 31 * DAY)
    rc, _, err = run(block(harbor), username=name, password=secret)
    assert rc == 3, err
    assert "credentials rejected" in err and "HTTP 401" in err and "expired" in err
    # With admin credentials the hook reads the expiry and says exactly that.
    monkeypatch.setenv("REGISTRY_ADMINUSERNAME", "admin")
    monkeypatch.setenv("REGISTRY_ADMINPASSWORD", harbor.admins["admin"])
    rc, _, err = run(block(harbor), username=name, password=secret)
    assert rc == 3 and f"Harbor robot '{name}' expired on " in err, err


def test_wrong_secret_and_missing_project(run, harbor):
    harbor.add_project("binder")
    name, _ = harbor.add_robot("binder", "ci")
    rc, _, err = run(block(harbor), username=name, password="Wrong-secret-1")
    assert rc == 3 and err.startswith(f"error: credentials rejected: Harbor token service refused robot '{name}'")
    harbor.members["dev"], harbor.users["dev"] = {"binder": ["pull", "push"]}, "Dev-password-1"
    rc, _, err = run(block(harbor, project="nothere"), username="dev", password="Dev-password-1")
    assert rc == 3, err
    assert "grants 'dev' nothing on nothere/" in err and "does not exist" in err and "New Project" in err


def test_validate_warns_before_expiry(run, harbor, admin_env):
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "ci", days=10)
    rc, out, err = run(block(harbor), username=name, password=secret)
    assert rc == 0, err
    assert f"warning: Harbor robot {name} expires" in out and "(in 10 days)" in out


def test_prefix_needs_a_project(run, harbor):
    rc, _, err = run({**block(harbor), "imagePrefix": f"{harbor.host}/prod-"}, username="u", password="unused-pw")
    assert rc == 2 and "registry.imagePrefix" in err and "no Harbor project" in err, err


# -- provision -------------------------------------------------------------------------------


def provision(tmp_path, harbor, previous=None, clock=None, **robot):
    values = tmp_path / "provision.json"
    values.write_text(json.dumps({"registry": block(harbor, mode="provision", harbor={"robot": robot})}))
    report = Report()
    r = resolve(build_parser().parse_args(["validate", "-f", str(values)]), report, previous=previous,
                **({"clock": clock} if clock else {}))
    no_secrets(harbor, report.render())
    return r


def test_provision_creates_project_once_and_one_robot_per_release(tmp_path, harbor, admin_env):
    first = provision(tmp_path, harbor)
    assert [c for c in harbor.calls if c[:2] == ("POST", "/api/v2.0/projects")] == [
        ("POST", "/api/v2.0/projects", 201)]
    robot = harbor.robots_named("binder", "binderhub")
    assert len(robot) == 1 and first.credentials.username == "robot$binder+binderhub"
    assert {a["action"] for a in robot[0]["permissions"][0]["access"]} == {"push", "pull"}
    assert "created Harbor project 'binder'" in first.report.render()

    # Second run (helm upgrade): the previous Secret's robot still works and is reused as is.
    calls = len(harbor.calls)
    second = provision(tmp_path, harbor, previous=first.outputs.secret_data())
    assert second.credentials.password == first.credentials.password
    assert not [c for c in harbor.calls[calls:] if c[0] in ("POST", "PATCH", "PUT")]
    assert "reused robot robot$binder+binderhub" in second.report.render()

    # Previous outputs lost: the same robot gets a new secret; never a second robot.
    third = provision(tmp_path, harbor)
    assert len(harbor.robots_named("binder", "binderhub")) == 1
    assert third.credentials.password != first.credentials.password
    assert ("PATCH", f"/api/v2.0/robots/{robot[0]['id']}", 200) in harbor.calls
    assert len([c for c in harbor.calls if c[:2] == ("POST", "/api/v2.0/projects")]) == 1


STREAM = """\
kind: Secret
apiVersion: v1
metadata: {name: binder-secret}
stringData:
  values.yaml: |
    config: {BinderHub: {use_registry: true}}
---
kind: Secret
apiVersion: v1
metadata: {name: binder-build-docker-config}
data: {config.json: e30=}
---
kind: Deployment
apiVersion: apps/v1
metadata: {name: binder}
spec:
  template:
    metadata:
      annotations:
        checksum/config: "0"
    spec: {containers: [{name: binder, image: quay.io/jupyterhub/k8s-binderhub}]}
"""


def test_post_render_provisioning_reuses_the_previous_config(tmp_path, harbor, admin_env, monkeypatch, capsys):
    """`helm upgrade --post-renderer` has no output Secret to read: --previous-config stands in for it."""
    import base64
    import io

    from ruamel.yaml import YAML

    from binderhub_registry_hook.cli import main

    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": block(harbor, mode="provision")}))

    def post_render(*extra) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(STREAM))
        rc = main(["post-render", "-f", str(values), *extra])
        out, err = capsys.readouterr()
        no_secrets(harbor, err)
        return rc, out, err

    rc, out, err = post_render()
    assert rc == 0, err
    assert "post-render has no previous outputs" in err and "--previous-config" in err
    secret = [d for d in YAML(typ="safe").load_all(out) if d["metadata"]["name"] == "binder-build-docker-config"][0]
    previous = tmp_path / "previous-config.json"
    previous.write_bytes(base64.b64decode(secret["data"]["config.json"]))

    writes = len([c for c in harbor.calls if c[0] in ("POST", "PATCH", "PUT")])
    rc, out2, err = post_render("--previous-config", str(previous))
    assert rc == 0, err
    assert "no previous outputs" not in err
    assert len([c for c in harbor.calls if c[0] in ("POST", "PATCH", "PUT")]) == writes  # robot reused
    assert out2 == out

    rc, _, err = post_render("--previous-config", str(tmp_path / "missing.json"))
    assert rc == 2 and "--previous-config" in err and "missing.json" in err


def test_provision_repairs_expired_robot_and_warns(tmp_path, harbor, admin_env):
    harbor.add_project("binder")
    name, old_secret = harbor.add_robot("binder", "binderhub", actions=("pull",), days=30,
                                        created=time.time() - 40 * DAY)
    r = provision(tmp_path, harbor, expiryDays=10, warnDays=30)
    robot = harbor.robots_named("binder", "binderhub")
    assert len(robot) == 1 and robot[0]["expires_at"] > time.time() + 9 * DAY
    assert "repaired robot" in r.report.render() and "lacked push or pull" in r.report.render()
    assert any(w.startswith(f"Harbor robot {name} expires") for w in r.report.warnings)
    assert r.credentials.password.reveal() != old_secret


def test_provision_admin_errors(run, harbor, monkeypatch):
    harbor.users["dev"] = "Dev-password-1"
    monkeypatch.setenv("REGISTRY_ADMINUSERNAME", "admin")
    monkeypatch.setenv("REGISTRY_ADMINPASSWORD", "Wrong-admin-1")
    rc, _, err = run(block(harbor, mode="provision"), password="Wrong-admin-1")
    assert rc == 3 and "Harbor API refused admin user 'admin' (HTTP 401" in err, err
    assert "registry.harbor.adminUsernameKey" in err
    monkeypatch.setenv("REGISTRY_ADMINUSERNAME", "dev")
    monkeypatch.setenv("REGISTRY_ADMINPASSWORD", "Dev-password-1")
    rc, _, err = run(block(harbor, mode="provision"), password="Dev-password-1")
    assert rc == 3 and "permission denied" in err and "'dev' may not create project binder" in err, err
    monkeypatch.delenv("REGISTRY_ADMINUSERNAME")
    rc, _, err = run(block(harbor, mode="provision"))
    assert rc == 2 and "adminUsername" in err, err


# -- OVH ---------------------------------------------------------------------------------------


def ovh_spec(url):
    return RegistrySpec.from_values({"registry": {"type": "ovh", "url": url,
                                                  "imagePrefix": f"{url.split('//')[1]}/binder/prod-"}})


def test_ovh_url_form_and_steps(run, tmp_path):
    rc, _, err = run({"type": "ovh", "url": "https://registry.example.org",
                      "imagePrefix": "registry.example.org/binder/prod-"}, username="u", password="unused-pw")
    assert rc == 2 and "registry.url" in err and "not an OVH Managed Private Registry url" in err, err
    assert "HASH.REGION.container-registry.ovh.net" in err

    spec = ovh_spec("https://abc12xyz.gra7.container-registry.ovh.net")
    provider = providers.load(spec)
    target = providers.plan(spec)
    assert target.token_url == ("https://abc12xyz.gra7.container-registry.ovh.net/service/token"
                                "?service=harbor-registry")
    from binderhub_registry_hook.errors import CredentialsRejected
    from binderhub_registry_hook.model import Credentials
    from binderhub_registry_hook.secrets import Secret

    creds = Credentials("binder-user", Secret("unused-secret"))
    rejected = provider.rejected(creds, CredentialsRejected("token service refused (HTTP 401: x)",
                                                             answer="HTTP 401: x"))
    assert "Generate the Harbor identification details" in str(rejected) and "(HTTP 401: x)" in str(rejected)
    missing = provider.denied(None, "binder", creds)(None, [])
    assert "create a new project" in str(missing) and "OVH Managed Private Registry" in str(missing)


# -- after the install: renewal and the validate-mode warning, time moved by the injected clock ---------


def at(days: float):
    when = datetime.now(timezone.utc) + timedelta(days=days)
    return lambda: when


def test_renewal_extends_the_robot_and_keeps_its_secret(tmp_path, harbor, admin_env):
    first = provision(tmp_path, harbor, expiryDays=365, renewBeforeDays=30)
    [robot] = harbor.robots_named("binder", "binderhub")
    assert first.credentials.valid_until is not None
    assert first.credentials.renew_at == first.credentials.valid_until - timedelta(days=30)

    # Day 300: outside renewBeforeDays; nothing is written to Harbor.
    calls = len(harbor.calls)
    r = provision(tmp_path, harbor, previous=first.outputs.secret_data(), clock=at(300),
                  expiryDays=365, renewBeforeDays=30)
    assert not [c for c in harbor.calls[calls:] if c[0] in ("POST", "PATCH", "PUT")]
    assert r.credentials.valid_until == first.credentials.valid_until

    # Day 340: 25 days left. The robot is extended by expiryDays from the clock's now; its secret
    # stays, so the Secret's content (and every running pod's copy) is unchanged: nothing breaks.
    r = provision(tmp_path, harbor, previous=first.outputs.secret_data(), clock=at(340),
                  expiryDays=365, renewBeforeDays=30)
    changes = [c for c in harbor.calls[calls:] if c[0] in ("POST", "PATCH", "PUT")]
    assert changes == [("PUT", f"/api/v2.0/robots/{robot['id']}", 200)], changes  # no new secret (PATCH)
    assert r.outputs.config_json == first.outputs.config_json
    assert r.credentials.valid_until > first.credentials.valid_until + timedelta(days=330)
    assert r.credentials.renew_at > at(340)()
    assert "inside renewBeforeDays (30): extended, secret kept" in r.report.render()
    assert harbor.authenticate(first.credentials.username, first.credentials.password.reveal())


def validate_with_admin(tmp_path, harbor, name, secret, clock, **robot):
    values = tmp_path / "validate.json"
    values.write_text(json.dumps({"registry": block(harbor, harbor={"robot": robot})}))
    (tmp_path / "creds.json").write_text(json.dumps({
        "username": name, "password": secret, "adminUsername": "admin", "adminPassword": harbor.admins["admin"]}))
    report = Report()
    args = build_parser().parse_args(["validate", "-f", str(values), "--credentials", str(tmp_path / "creds.json")])
    return resolve(args, report, clock=clock)


@pytest.mark.parametrize("day, warned", [(300, False), (340, True)])
def test_validate_reads_the_robot_end_and_warns_inside_the_window(tmp_path, harbor, day, warned):
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "ci", days=365)
    r = validate_with_admin(tmp_path, harbor, name, secret, at(day), warnDays=30)
    assert r.credentials.valid_until is not None
    assert r.credentials.renew_at == r.credentials.valid_until - timedelta(days=30)
    assert any(f"Harbor robot {name} expires" in w for w in r.report.warnings) == warned
    assert (r.credentials.renew_at <= at(day)()) == warned


def test_scheduled_check_in_validate_mode_fails_inside_the_window_and_status_says_expiring(
        tmp_path, harbor, capsys):
    """refresh writes (the robot still works), warns with an Event, exits 6; status agrees."""
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "ci", days=365)
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": block(harbor, harbor={"robot": {"warnDays": 30}})}))
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps({"username": name, "password": secret, "adminUsername": "admin",
                                 "adminPassword": harbor.admins["admin"]}))
    with KubeApiServer() as api:
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace="binder")

        def hook(command, days, *argv):
            path = ["-f", str(values), "--credentials", str(creds)] if command != "status" else []
            rc = main([command, *path, "--kubeconfig", kubeconfig, *argv], clock=at(days))
            out, err = capsys.readouterr()
            no_secrets(harbor, out + err)
            return rc, out, err

        assert hook("refresh", 300)[0] == 0  # 65 days left: outside warnDays
        assert hook("status", 300)[0] == 0
        rc, out, err = hook("refresh", 340)  # 25 days left
        assert rc == 6, err
        assert f"warning: Harbor robot {name} expires" in out and "error: credentials expiring:" in err
        assert api.secret_data("binder", "binderhub-registry")  # written: the robot still works
        event = [o for (r, _, _), o in api.objects.items() if r == "events"][-1]
        assert event["reason"] == "CredentialsExpiring" and event["type"] == "Warning"
        rc, out, _ = hook("status", 341)
        assert rc == 6 and out.startswith("state       expiring: inside the renewal window since")
        assert f"user        {name}" in out and "days left" in out
        rc, out, _ = hook("status", 341, "--output", "json")
        doc = json.loads(out)
        assert rc == 6 and doc["state"] == "expiring" and 23 < doc["days_left"] < 25
        if os.environ.get("LIFECYCLE_EVIDENCE"):
            with open(os.environ["LIFECYCLE_EVIDENCE"], "a") as f:
                f.write(f"### status: expiring (text)\n```\n{hook('status', 341)[1].rstrip()}\n```\n"
                        f"### status: expiring (json)\n```\n{out.rstrip()}\n```\n")
