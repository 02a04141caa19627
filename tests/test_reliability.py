"""Kubernetes API faults: `apply` against the API test server while it misbehaves.

Every case starts from a working install (alice's Secret, a running `binder`
Deployment), then runs an upgrade with bob's credentials while the API server
answers 5xx/429, drops or stalls connections, loses replies, storms 409s or
refuses a verb (403).  For each: the outcome (retried to success, or exit 5 with
one line), the elapsed time against its bound, and, whenever the run fails
before its write, the previous Secret byte for byte.

The registry is one real `docker-registry` (htpasswd) for the module; the Kubernetes
side is tests/support/kubeapi.py with its fault switch (``api.inject``).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from binderhub_registry_hook import kube
from binderhub_registry_hook.cli import main
from tests.conftest import new_password
from tests.support import LocalRegistry
from tests.support.evidence import record
from tests.support.kubeapi import KubeApiServer, hook_role_rules
from tests.support.release import NS, SECRET, binder_deployment

FAST = {"connect": 1, "read": 5, "retryFor": 1}
API_TIMEOUT = (1, 0.5)  # connect, read seconds of each Kubernetes call in the stall cases (default (5, 30))


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    reg = LocalRegistry(tmp_path_factory.mktemp("kube-faults"), auth="htpasswd",
                        users={"alice": new_password(), "bob": new_password()})
    yield reg
    reg.stop()


@pytest.fixture
def api():
    with KubeApiServer(rules=hook_role_rules(SECRET, "binder")) as server:
        yield server


@pytest.fixture
def apply(tmp_path, registry, api, capsys, monkeypatch):
    """apply(user) -> (exit code, stdout, stderr, seconds), as the Job runs it."""
    monkeypatch.setattr(kube, "TIMEOUT", API_TIMEOUT)
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps({"registry": {
        "type": "generic", "url": registry.url, "imagePrefix": f"{registry.host}/binder/prod-", "timeouts": FAST}}))
    kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)

    def run(user="alice", command="apply", clock=None):
        creds = tmp_path / f"credentials-{user}"
        creds.mkdir(exist_ok=True)
        (creds / "username").write_text(user)
        (creds / "password").write_text(registry.users[user])
        capsys.readouterr()
        start = time.monotonic()
        rc = main([command, "-f", str(values), "--credentials", str(creds), "--kubeconfig", kubeconfig], clock=clock)
        elapsed = time.monotonic() - start
        out, err = capsys.readouterr()
        for secret in registry.users.values():
            for form in (secret, base64.b64encode(secret.encode()).decode()):
                assert form not in out + err, "a secret reached the output"
        assert "Traceback" not in out + err
        return rc, out, err.strip(), elapsed

    return run


def snapshot(api) -> str:
    return json.dumps(api.get("secrets", NS, SECRET), sort_keys=True)


def user_in_secret(api) -> str:
    config = json.loads(api.secret_data(NS, SECRET)["config.json"])
    [entry] = config["auths"].values()
    return base64.b64decode(entry["auth"]).decode().split(":")[0]


@pytest.fixture
def installed(apply, api):
    """A working install: alice's Secret and a Deployment already rolled to it."""
    api.put("deployments", NS, binder_deployment())
    assert apply("alice")[0] == 0
    return snapshot(api)


# -- transient faults: retried to success ---------------------------------------------------------------

# (case id, method, resource, action, times, what the run says, bound in seconds)
RECOVERING = [
    ("read-503x2", "GET", "secrets", ("status", 503), 2, "replaced", 5),
    ("read-429-retry-after", "GET", "secrets", ("status", 429, {"Retry-After": "1"}), 1, "replaced", 5),
    ("read-dropped", "GET", "secrets", ("drop",), 1, "replaced", 5),
    ("read-stalled", "GET", "secrets", ("stall", 1), 1, "replaced", 5),
    ("update-500", "PUT", "secrets", ("status", 500), 1, "replaced", 5),
    ("update-503x3", "PUT", "secrets", ("status", 503), 3, "replaced", 6),
    ("update-dropped", "PUT", "secrets", ("drop",), 1, "replaced", 5),
    # The stalled PUT lands after the client gave up: the retry reads it back (unchanged) or
    # conflicts with it and replaces again; either way bob's Secret, consistent.
    ("update-stalled", "PUT", "secrets", ("stall", 1), 1, "Secret", 5),
    ("update-reply-lost", "PUT", "secrets", ("lost",), 1, "unchanged", 5),
    ("update-409x3", "PUT", "secrets", ("status", 409), 3, "replaced", 6),
    ("deployment-read-503x2", "GET", "deployments", ("status", 503), 2, "rolled", 5),
    ("deployment-patch-503", "PATCH", "deployments", ("status", 503), 1, "rolled", 5),
    ("deployment-patch-dropped", "PATCH", "deployments", ("drop",), 1, "rolled", 5),
    ("event-503", "POST", "events", ("status", 503), 1, "replaced", 5),
]


@pytest.mark.parametrize("method, resource, action, times, says, bound", [c[1:] for c in RECOVERING],
                         ids=[c[0] for c in RECOVERING])
def test_transient_fault_is_retried(installed, apply, api, method, resource, action, times, says, bound):
    before = len(api.requests)
    api.inject(method, resource, action, times)
    rc, out, err, elapsed = apply("bob")
    record("kubernetes API, transient", f"{method} {resource} {action[0]} {action[1:2]} x{times}",
           f"exit {rc}", elapsed, bound)
    assert rc == 0, err
    assert says in out
    assert elapsed < bound, f"took {elapsed:.1f}s, bound {bound}s"
    assert user_in_secret(api) == "bob"
    # The Secret is consistent (checksum of what it holds) and BinderHub was rolled to it.
    obj = api.get("secrets", NS, SECRET)
    checksum = obj["metadata"]["annotations"][kube.ANN_CHECKSUM]
    dep = api.get("deployments", NS, "binder")
    assert dep["spec"]["template"]["metadata"]["annotations"][kube.ANN_CHECKSUM] == checksum
    if action[0] != "stall":  # a stalled request is served late, and logged then
        tries = [r[2] for r in api.requests[before:] if r[0] == method and f"/{resource}" in r[1]]
        assert tries[:times] == [action[1] if action[0] == "status" else 0] * times, tries


def test_first_install_create_retried_after_a_lost_reply(apply, api):
    """POST applied but its answer lost: the retry finds the Secret and does not create it twice."""
    api.inject("POST", "secrets", ("lost",))
    rc, out, err, elapsed = apply("alice")
    record("kubernetes API, transient", "POST secrets lost reply (first install)", f"exit {rc}", elapsed, 5)
    assert rc == 0, err
    assert f"Secret {NS}/{SECRET} unchanged" in out  # it was written by the lost request
    assert user_in_secret(api) == "alice"
    assert [r[2] for r in api.requests if r[0] == "POST" and "/secrets" in r[1]] == [0]


def test_first_install_create_503_is_retried(apply, api):
    api.inject("POST", "secrets", ("status", 503), 2)
    rc, out, err, elapsed = apply("alice")
    record("kubernetes API, transient", "POST secrets 503 x2 (first install)", f"exit {rc}", elapsed, 5)
    assert rc == 0 and "created" in out, err
    assert [r[2] for r in api.requests if r[0] == "POST" and "/secrets" in r[1]] == [503, 503, 201]


# -- persistent faults: one line, exit 5, bounded, the previous Secret untouched ----------------------------

# (case id, method, resource, action, words in the error, bound in seconds)
PERSISTENT = [
    ("read-503", "GET", "secrets", ("status", 503), "cannot get secrets at http://127.0.0.1:", 5),
    ("read-429", "GET", "secrets", ("status", 429, {"Retry-After": "1"}), "HTTP 429", 5),
    ("read-stalled", "GET", "secrets", ("stall", 1), "no answer within 0.5s (read timeout)", 5),
    ("update-500", "PUT", "secrets", ("status", 500), "kept failing: HTTP 500", 6),
    ("update-dropped", "PUT", "secrets", ("drop",), "kept failing", 6),
    ("update-409-storm", "PUT", "secrets", ("status", 409),
     f"kept changing under the hook ({kube.CONFLICT_ATTEMPTS} conflicting writes)", 6),
]


@pytest.mark.parametrize("method, resource, action, words, bound", [c[1:] for c in PERSISTENT],
                         ids=[c[0] for c in PERSISTENT])
def test_persistent_fault_fails_closed(installed, apply, api, method, resource, action, words, bound):
    before = len(api.requests)
    api.inject(method, resource, action, times=None)
    rc, out, err, elapsed = apply("bob")
    record("kubernetes API, persistent", f"{method} {resource} {action[0]} {action[1:2]}",
           f"exit {rc}, Secret identical: {snapshot(api) == installed}", elapsed, bound, message=err)
    assert rc == 5, err
    assert err.startswith("error: kubernetes: ") and words in err, err
    assert len(err.splitlines()) == 1 and out == ""
    assert elapsed < bound, f"took {elapsed:.1f}s, bound {bound}s"
    if action[0] != "stall":  # a stalled write may still land after the client gave up
        assert snapshot(api) == installed
        tries = [r for r in api.requests[before:] if r[0] == method and f"/{resource}" in r[1]]
        assert 2 <= len(tries) <= kube.CONFLICT_ATTEMPTS, tries  # retried, and bounded


def test_create_conflict_storm_is_bounded(apply, api):
    """409 AlreadyExists on every create while no Secret is ever there: bounded, then one line."""
    api.inject("POST", "secrets", ("status", 409), times=None)
    rc, _, err, elapsed = apply("alice")
    record("kubernetes API, persistent", "POST secrets 409 storm (first install)", f"exit {rc}", elapsed, 6)
    assert rc == 5 and "kept changing under the hook" in err and len(err.splitlines()) == 1
    assert elapsed < 6
    assert len([r for r in api.requests if r[0] == "POST" and "/secrets" in r[1]]) == kube.CONFLICT_ATTEMPTS
    assert api.get("secrets", NS, SECRET) is None


@pytest.mark.parametrize("method, resource, action", [
    ("GET", "deployments", ("status", 503)),
    ("PATCH", "deployments", ("status", 500)),
])
def test_roll_failure_after_the_write_is_completed_by_the_next_run(installed, apply, api, method, resource, action):
    """The Secret is written (verified content) before the roll; when the roll keeps failing the
    run exits 5 and says so, and the next run rolls BinderHub to what the Secret holds."""
    api.inject(method, resource, action, times=None)
    rc, out, err, elapsed = apply("bob")
    record("kubernetes API, persistent", f"{method} {resource} {action[0]} {action[1]} (roll)",
           f"exit {rc}, Secret has the new verified content", elapsed, 6)
    assert rc == 5 and len(err.splitlines()) == 1 and "deployments" in err, err
    assert elapsed < 6
    assert user_in_secret(api) == "bob"
    api.faults.clear()
    # A minute later (the record's time has second resolution: a run in the same second records nothing new).
    rc, out, err, _ = apply("bob", clock=lambda: datetime.now(timezone.utc) + timedelta(minutes=1))
    assert rc == 0 and "recorded" in out and "Deployment 'binder' rolled" in out, out + err  # data unchanged; the check recorded
    checksum = api.get("secrets", NS, SECRET)["metadata"]["annotations"][kube.ANN_CHECKSUM]
    assert api.get("deployments", NS, "binder")["spec"]["template"]["metadata"]["annotations"][
        kube.ANN_CHECKSUM] == checksum


# -- 403 on each verb: never retried, names the rule ----------------------------------------------------

VERBS = [
    ("get", "secrets", 0, "get secrets 'binderhub-registry'", True),
    ("update", "secrets", 0, "update secrets 'binderhub-registry'", True),
    ("get", "deployments", 2, "get deployments 'binder'", False),
    ("patch", "deployments", 2, "patch deployments 'binder'", False),
]


@pytest.mark.parametrize("verb, resource, rule, words, untouched", VERBS, ids=[f"{v[0]}-{v[1]}" for v in VERBS])
def test_forbidden_verb_is_one_line_and_not_retried(installed, apply, api, verb, resource, rule, words, untouched):
    rules = hook_role_rules(SECRET, "binder")
    rules[rule] = {**rules[rule], "verbs": [v for v in rules[rule]["verbs"] if v != verb]}
    api.rules = rules
    before = len(api.requests)
    rc, _, err, elapsed = apply("bob")
    record("kubernetes API, 403", f"{verb} {resource}", f"exit {rc}", elapsed, 3)
    assert rc == 5 and err.startswith("error: kubernetes RBAC: the hook may not " + words), err
    assert f"verbs [{verb}]" in err and len(err.splitlines()) == 1
    assert elapsed < 3
    assert len([r for r in api.requests[before:] if r[2] == 403]) == 1  # not retried
    if untouched:
        assert snapshot(api) == installed


def test_forbidden_create_on_first_install(apply, api):
    api.rules = [r for r in hook_role_rules(SECRET, "binder") if r["verbs"] != ["create"] or
                 r["resources"] != ["secrets"]]
    rc, _, err, elapsed = apply("alice")
    record("kubernetes API, 403", "create secrets", f"exit {rc}", elapsed, 3)
    assert rc == 5 and "may not create secrets" in err and "verbs [create]" in err
    assert api.get("secrets", NS, SECRET) is None


def test_forbidden_events_only_warn(installed, apply, api):
    api.rules = hook_role_rules(SECRET, "binder")[:3]
    rc, out, err, elapsed = apply("bob")
    record("kubernetes API, 403", "create events", f"exit {rc} (warning)", elapsed, 3)
    assert rc == 0 and "could not record an Event" in err and user_in_secret(api) == "bob"
