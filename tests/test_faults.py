"""Fault injection in front of the real registry and its token service.

Each case: what the fault is, what the hook must do (retry to success, or one clear
error of the right kind), and how long it may take (``retryFor`` + a margin).  The
elapsed time is checked against the bound the spec sets, not against a benchmark.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest
import trustme

from binderhub_registry_hook.cli import main
from tests.support.faults import FaultProxy, TLSServer

MARGIN = 6.0  # seconds on top of retryFor: connect/read timeouts of the last attempt


@pytest.fixture
def validate(tmp_path, monkeypatch, capsys):
    def _validate(block: dict, password: str, retry_for: float = 3.0, read: float = 2.0):
        block = {**block, "timeouts": {"connect": 1, "read": read, "retryFor": retry_for}}
        values = tmp_path / "values.json"
        values.write_text(json.dumps({"registry": block}))
        monkeypatch.setenv("REGISTRY_USERNAME", "alice")
        monkeypatch.setenv("REGISTRY_PASSWORD", password)
        capsys.readouterr()
        start = time.monotonic()
        rc = main(["validate", "-q", "-f", str(values)])
        elapsed = time.monotonic() - start
        out, err = capsys.readouterr()
        assert password not in out + err and "Traceback" not in err
        assert elapsed < retry_for + MARGIN, f"took {elapsed:.1f}s, bound {retry_for + MARGIN}s"
        return rc, out, err.strip()

    return _validate


def behind(proxy, reg) -> dict:
    return {"type": "generic", "url": proxy.url, "imagePrefix": f"{proxy.host}/binder/prod-"}


# -- registry API faults -----------------------------------------------------------------------

def test_healthy_registry_each_request_once_on_one_connection(htpasswd_registry, validate):
    """No fault: challenge, login, push probe and BinderHub's manifest lookup go out once each,
    over kept-alive connections (a request sent twice, or a connection per request, costs a
    round trip or a backoff on every run).  The upload's Location names the registry behind
    the proxy, another origin, so the probe leaves it to expire instead of cancelling it."""
    with FaultProxy(htpasswd_registry.url) as proxy:
        rc, _, err = validate(behind(proxy, htpasswd_registry), htpasswd_registry.users["alice"])
        assert rc == 0, err
        sent = [(m, p.rstrip("/").rsplit("/", 1)[-1]) for m, p, _ in proxy.seen]
        assert sent[:2] == [("GET", "v2"), ("GET", "v2")], sent  # the challenge, the login
        # Then, side by side (probe.py): the push probe, and BinderHub's lookup on its own connection.
        assert sorted(sent[2:]) == [("GET", "binderhub-registry-hook-check"), ("POST", "uploads")], sent
        assert proxy.connections == 2


RECOVERING = [
    ("500-then-ok", [("status", 500)]),
    ("502-503-then-ok", [("status", 502), ("status", 503)]),
    ("429-retry-after-then-ok", [("status", 429, {"Retry-After": "1"})]),
    ("429-no-retry-after-then-ok", [("status", 429)]),
    ("dropped-connection-then-ok", [("drop",)]),
    ("stall-past-read-timeout-then-ok", [("stall", 2.5)]),
]


@pytest.mark.parametrize("plan", [p for _, p in RECOVERING], ids=[i for i, _ in RECOVERING])
def test_registry_fault_then_recovery(plan, htpasswd_registry, validate):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.plan = list(plan)
        rc, out, err = validate(behind(proxy, reg), reg.users["alice"], retry_for=8)
    assert rc == 0, err
    assert out.startswith("ok:")
    assert len(proxy.seen) > len(plan)  # the faulty request was retried


PERSISTENT = [
    ("always-503", ("status", 503), 4, "registry error", "HTTP 503"),
    ("always-429", ("status", 429, {"Retry-After": "1"}), 4, "registry error", "HTTP 429"),
    ("always-dropped", ("drop",), 4, "cannot connect", ""),
    ("always-stalled", ("stall", 3), 4, "cannot connect", "timed out"),
]


@pytest.mark.parametrize("action, code, kind, detail", [p[1:] for p in PERSISTENT], ids=[p[0] for p in PERSISTENT])
def test_registry_fault_persists(action, code, kind, detail, htpasswd_registry, validate):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.plan = [action] * 50
        rc, _, err = validate(behind(proxy, reg), reg.users["alice"], retry_for=2, read=1)
    assert rc == code
    assert err.startswith(f"error: {kind}") and detail in err
    assert len(err.splitlines()) == 1


def test_truncated_body_from_token_service(token_registry, validate):
    """A token answer cut off mid-body is retried, then one clear error; no secret in it."""
    reg = token_registry
    ts = reg.token_server
    with FaultProxy(ts.url) as proxy:
        # Point the registry's clients at the proxy by overriding the realm the challenge names.
        proxy.plan = [("truncate",)] * 10
        from binderhub_registry_hook.distribution import Registry
        from binderhub_registry_hook.errors import HookError
        from binderhub_registry_hook.model import Credentials
        from binderhub_registry_hook.secrets import Secret
        from binderhub_registry_hook.spec import Timeouts

        r = Registry(reg.url, timeouts=Timeouts(connect=1, read=2, retry_for=2))
        creds = Credentials("alice", Secret(reg.users["alice"]))
        with pytest.raises(HookError) as e:
            r.fetch_token(proxy.url + ts.path, creds, service=ts.service, scope="repository:x:pull")
    assert e.value.exit_code == 4
    assert "the answer was cut off" in str(e.value) and reg.users["alice"] not in str(e.value)
    assert len(proxy.seen) >= 2


# -- token service faults, through the whole CLI ----------------------------------------------


def test_token_service_faults_then_ok(tmp_path, validate):
    """The registry sends clients to a realm behind the fault proxy."""
    from tests.conftest import new_password
    from tests.support import LocalRegistry, TestCA, TokenServer

    password = new_password()
    ca = TestCA()
    with TokenServer(ca, users={"alice": password}, service="test-registry").start() as ts, \
            FaultProxy(ts.url) as proxy, \
            LocalRegistry(tmp_path / "reg", auth="token", token_server=ts, realm=proxy.url + ts.path) as reg:
        proxy.plan = [("status", 503), ("drop",), ("status", 429, {"Retry-After": "0"})]
        block = {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-"}
        rc, out, err = validate(block, password, retry_for=8)
        assert rc == 0, err
        assert [a for _, _, a in proxy.seen][:4] == ["status", "drop", "status", "pass"]


# -- TLS faults ------------------------------------------------------------------------------------


def tls_case(kind: str):
    ca = trustme.CA()
    now = datetime.datetime.now(datetime.timezone.utc)
    if kind == "expired":
        cert = ca.issue_cert("127.0.0.1", not_before=now - datetime.timedelta(days=30),
                             not_after=now - datetime.timedelta(days=1))
    elif kind == "wrong-host":
        cert = ca.issue_cert("registry.other.example")
    else:  # untrusted: signed by a CA the hook is not told about
        cert = trustme.CA().issue_cert("127.0.0.1")
    return ca, cert


@pytest.mark.parametrize("kind, words", [
    ("expired", "certificate has expired"),
    ("wrong-host", "127.0.0.1"),
    ("untrusted", "unable to get local issuer certificate"),
])
def test_tls_faults(kind, words, validate):
    ca, cert = tls_case(kind)
    with TLSServer(cert) as server:
        block = {"type": "generic", "url": server.url, "imagePrefix": f"{server.host}/binder/prod-",
                 "tls": {"caBundle": ca.cert_pem.bytes().decode()}}
        start = time.monotonic()
        rc, _, err = validate(block, "tls-case-password", retry_for=5)
        elapsed = time.monotonic() - start
    assert rc == 4
    assert err.startswith(f"error: cannot connect: TLS to {server.host} failed") and words in err, err
    assert "registry.tls.caBundle" in err
    assert elapsed < 2.0  # a certificate problem is not retried
