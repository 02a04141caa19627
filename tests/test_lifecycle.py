"""After the install: the check's record on the output Secret, `status`, and the rotation lease.

`apply`/`refresh` run the real CLI against a real registry (Debian's docker-registry,
htpasswd) and the Kubernetes API test server (tests/support/kubeapi.py) through the
official client; time is moved with the CLI's injected clock, never by sleeping.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from binderhub_registry_hook import lifecycle
from binderhub_registry_hook.cli import main
from binderhub_registry_hook.kube import Cluster
from tests.conftest import new_password
from tests.support import FAST
from tests.support.kubeapi import KubeApiServer, hook_role_rules

NS, SECRET = "binder", "binderhub-registry"
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def clock(hours: float = 0):
    return lambda: T0 + timedelta(hours=hours)


# -- the record and what it means (pure) ---------------------------------------------------------


def record(**kw) -> dict[str, str]:
    base = {lifecycle.LAST_CHECK: "2026-12-01T12:00:00Z", lifecycle.EXPIRES: "never",
            lifecycle.VALID_UNTIL: "2027-12-01T12:00:00Z", lifecycle.RENEW_AT: "2027-11-01T12:00:00Z"}
    return {**base, **{getattr(lifecycle, k.upper()): v for k, v in kw.items()}}


@pytest.mark.parametrize("now, state", [
    (T0, lifecycle.HEALTHY),
    (datetime(2027, 10, 31, tzinfo=timezone.utc), lifecycle.HEALTHY),  # a day before the window
    (datetime(2027, 11, 2, tzinfo=timezone.utc), lifecycle.EXPIRING),  # inside the renewal window
    (datetime(2027, 12, 2, tzinfo=timezone.utc), lifecycle.FAILING),  # ended
])
def test_expiry_inside_and_outside_the_window(now, state):
    h = lifecycle.health(record(), now)
    assert h.state == state, h.reason


def test_a_failed_check_after_the_last_success_is_failing_and_a_later_success_heals():
    failed = record(last_error="credentials rejected: ...", last_error_at="2026-12-01T18:00:00Z")
    assert lifecycle.health(failed, T0).state == lifecycle.FAILING
    healed = {**failed, lifecycle.LAST_CHECK: "2026-12-02T00:00:00Z"}
    h = lifecycle.health(healed, T0)
    assert h.state == lifecycle.HEALTHY and h.last_error == "credentials rejected: ..."  # kept, for people
    assert lifecycle.health({}, T0).state == lifecycle.UNKNOWN


def test_a_short_lived_login_is_expiring_past_half_its_life():
    from binderhub_registry_hook.model import Credentials
    from binderhub_registry_hook.secrets import Secret

    creds = Credentials("AWS", Secret("token-value-1"), expires_at=T0 + timedelta(hours=12))
    assert lifecycle.renew_at(creds, T0) == T0 + timedelta(hours=6)  # the refresher renews before that


# -- apply, refresh and status on the API test server -------------------------------------------


@pytest.fixture
def evidence():
    """evidence(title, text): appended to $LIFECYCLE_EVIDENCE when set (the outputs shown in the report)."""
    path = os.environ.get("LIFECYCLE_EVIDENCE")

    def add(title: str, text: str) -> None:
        if path:
            with open(path, "a") as f:
                f.write(f"### {title}\n```\n{text.rstrip()}\n```\n")

    return add


@pytest.fixture
def registry(registry_factory):
    return registry_factory("htpasswd", users={"alice": new_password()})


@pytest.fixture
def api():
    with KubeApiServer(rules=hook_role_rules(SECRET, "binder")) as server:
        yield server


@pytest.fixture
def hook(tmp_path, registry, api, capsys):
    """hook(command, *argv, password=None, clock=...) -> (exit code, stdout, stderr), as the Jobs run it."""
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps({"registry": {
        "type": "generic", "url": registry.url, "imagePrefix": f"{registry.host}/binder/prod-", "timeouts": FAST}}))
    kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)

    def run(command, *argv, password=None, at=None):
        creds = tmp_path / "credentials"
        creds.mkdir(exist_ok=True)
        (creds / "username").write_text("alice")
        (creds / "password").write_text(password or registry.users["alice"])
        sink = ["--kubeconfig", kubeconfig]
        path = ["-f", str(values), "--credentials", str(creds)] if command != "status" else []
        capsys.readouterr()
        rc = main([command, *path, *sink, *argv], clock=at or clock())
        out, err = capsys.readouterr()
        for secret in (registry.users["alice"], base64.b64encode(f"alice:{registry.users['alice']}".encode()).decode()):
            assert secret not in out + err, "a secret reached the output"
        assert "Traceback" not in out + err
        return rc, out, err

    return run


def test_status_healthy_then_failing_then_healed(hook, api, registry, evidence):
    assert hook("apply")[0] == 0
    rc, out, err = hook("status")
    assert rc == 0, err
    assert out.splitlines()[0] == "state       healthy: the last check passed at 2026-12-01T12:00:00Z"
    assert "user        alice" in out and f"registry    {registry.url}" in out and "last error  none" in out
    evidence("status: healthy (text)", out)

    # The password was changed by someone else: the scheduled check fails; the data stays.
    before = api.secret_data(NS, SECRET)
    rc, _, err = hook("refresh", password="wrong-" + new_password(), at=clock(6))
    assert rc == 3, err
    assert api.secret_data(NS, SECRET) == before
    rc, out, _ = hook("status", "-o", "json", at=clock(7))
    doc = json.loads(out)
    assert rc == 7 and doc["state"] == "failing" and doc["last_error_at"] == "2026-12-01T18:00:00Z"
    assert doc["last_check"] == "2026-12-01T12:00:00Z" and "credentials rejected" in doc["last_error"]
    assert doc["source"] == f"Secret {NS}/{SECRET}" and doc["username"] == "alice"
    evidence("status: failing (json)", out)
    rc, out, _ = hook("status", at=clock(7))
    assert rc == 7 and out.startswith("state       failing: the last check failed at 2026-12-01T18:00:00Z")
    evidence("status: failing (text)", out)

    # The next check passes again: healthy, the last error kept for people.
    assert hook("refresh", at=clock(12))[0] == 0
    rc, out, _ = hook("status", "-o", "json", at=clock(13))
    doc = json.loads(out)
    assert rc == 0 and doc["state"] == "healthy" and doc["last_error"]


def test_status_from_local_files(hook, api, tmp_path):
    assert hook("apply")[0] == 0
    manifest = tmp_path / "secret.json"
    manifest.write_text(json.dumps(api.get("secrets", NS, SECRET)))
    rc, out, _ = hook("status", "--file", str(manifest))
    assert rc == 0 and "healthy" in out.splitlines()[0] and "user        alice" in out
    # config.json and settings alone: no record, so the state is unknown (exit 0), the login is named.
    data = api.secret_data(NS, SECRET)
    (tmp_path / "config.json").write_text(data["config.json"])
    (tmp_path / "settings.json").write_text(data["binderhub-settings.json"])
    rc, out, _ = hook("status", "--file", str(tmp_path / "config.json"), "--file", str(tmp_path / "settings.json"))
    assert rc == 0 and out.startswith("state       unknown: no check recorded") and "user        alice" in out


@pytest.mark.parametrize("content, says", [
    ("[1, 2]", "not a JSON or YAML mapping"),
    ('{"kind": "Secret", "data": {"config.json": "%%%"}}', "data.config.json is not base64"),
    ('{"hello": 1}', "neither a Secret manifest"),
])
def test_status_bad_files_are_one_line(hook, tmp_path, content, says):
    path = tmp_path / "bad.json"
    path.write_text(content)
    rc, out, err = hook("status", "--file", str(path))
    assert rc == 2 and says in err and len(err.strip().splitlines()) == 1


def test_status_without_the_secret(hook):
    rc, _, err = hook("status")
    assert rc == 7 and f"Secret {NS}/{SECRET} does not exist" in err


# -- two checks racing for a rotation ---------------------------------------------------------------


def test_two_checks_racing_one_rotates_the_other_keeps_and_never_overwrites(hook, api, tmp_path):
    assert hook("apply")[0] == 0
    kubeconfig = str(tmp_path / "kubeconfig")
    a, b = (Cluster.connect(kubeconfig=kubeconfig) for _ in range(2))
    seen_a, seen_b = a.read_secret(SECRET), b.read_secret(SECRET)  # both runs read the Secret first

    # Both ask for the rotation lease at the same time: one compare-and-swap wins.
    assert a.claim(SECRET, seen_a, "run-a", T0) is True
    assert b.claim(SECRET, seen_b, "run-b", T0) is False
    # B reads again: the lease is A's and current, so B still may not.
    assert b.claim(SECRET, b.read_secret(SECRET), "run-b", T0 + timedelta(minutes=5)) is False
    # A lease whose holder died lapses.
    assert b.claim(SECRET, b.read_secret(SECRET), "run-b", T0 + lifecycle.ROTATION_LEASE * 2) is True

    # A (rotated) writes new content; B, which changed nothing, must not put back what it read.
    from binderhub_registry_hook.model import Outputs
    from binderhub_registry_hook.secrets import Secret

    current = b.read_secret(SECRET)
    rotated = Outputs(Secret(json.dumps({"auths": {"x": {"auth": base64.b64encode(b"alice:rotated-pw-1").decode()}}})),
                      json.loads(current.data["binderhub-settings.json"]), None, "generic")
    assert a.write_secret(SECRET, rotated, a.read_secret(SECRET), record={}).action == "replaced"
    stale = Outputs(Secret(current.data["config.json"]), json.loads(current.data["binderhub-settings.json"]),
                    None, "generic")
    applied = b.write_secret(SECRET, stale, current, record={lifecycle.LAST_CHECK: "2026-12-01T12:05:00Z"})
    assert applied.action == "superseded"
    assert "rotated-pw-1" in base64.b64decode(json.loads(api.secret_data(NS, SECRET)["config.json"])["auths"]["x"]
                                              ["auth"]).decode()
