"""The core path against real registries: validate, explain, errors, retries, TLS, skopeo.

Each case runs the real CLI (`binderhub_registry_hook.cli.main`) against the Debian `docker-registry`
on 127.0.0.1, and checks the one error line, the exit code, and that no secret
reaches stdout or stderr.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support import FAST, skopeo_push
from tests.support.faults import FaultProxy


def generic(registry, **kw) -> dict:
    return {"type": "generic", "url": registry.url, "imagePrefix": f"{registry.host}/binder/prod-",
            "timeouts": FAST, **kw}


# -- success ------------------------------------------------------------------------


def test_htpasswd_validate_and_skopeo_push_with_written_config(run, htpasswd_registry, tmp_path, oci_image):
    reg = htpasswd_registry
    rc, out, err = run(generic(reg), username="alice", password=reg.users["alice"])
    assert rc == 0, err
    assert out.startswith(f"ok: alice on {reg.host}: push and pull verified")

    # The post-render/apply outputs are what skopeo (standing in for the build pod) uses.
    rc, out, _ = run(generic(reg), username="alice", password=reg.users["alice"], command="explain")
    assert rc == 0
    assert "basic auth" in out and '"token_url": ""' in out
    assert "<redacted>" in out

    from binderhub_registry_hook.cli import build_parser, resolve
    from binderhub_registry_hook.report import Report

    args = build_parser().parse_args(["validate", "-f", str(tmp_path / "values.json")])
    outputs = resolve(args, Report()).outputs
    authfile = tmp_path / "config.json"
    authfile.write_text(outputs.config_json.reveal())
    proc = skopeo_push(authfile, f"{reg.host}/binder/prod-demo:1", image=oci_image)
    assert proc.returncode == 0, proc.stderr


def test_token_registry_discovers_token_url_and_pushes(run, token_registry, tmp_path, oci_image):
    reg = token_registry
    rc, out, err = run(generic(reg), username="alice", password=reg.users["alice"], command="explain")
    assert rc == 0, out + err
    expected = f"{reg.token_server.realm}?service={reg.token_server.service}"
    assert f"token url discovered from the challenge: {expected}" in out
    assert f'"token_url": "{expected}"' in out
    # The pull check repeated BinderHub's own request: scope pull, service=container_registry.
    binderhub_like = [r for r in reg.token_server.requests
                      if "container_registry" in r["query"].get("service", [])]
    assert binderhub_like and binderhub_like[-1]["scopes"] == ["repository:binder/prod-binderhub-registry-hook-probe:pull"]

    from binderhub_registry_hook.cli import build_parser, resolve
    from binderhub_registry_hook.report import Report

    args = build_parser().parse_args(["validate", "-f", str(tmp_path / "values.json")])
    authfile = tmp_path / "config.json"
    authfile.write_text(resolve(args, Report()).outputs.config_json.reveal())
    proc = skopeo_push(authfile, f"{reg.host}/binder/prod-demo:1", image=oci_image)
    assert proc.returncode == 0, proc.stderr


def test_503_then_ok_is_retried(run, htpasswd_registry):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.plan = [("status", 503), ("status", 502), ("status", 429, {"Retry-After": "0"})]
        block = {**generic(reg), "url": proxy.url, "imagePrefix": f"{proxy.host}/binder/prod-",
                 "timeouts": {"connect": 1, "read": 5, "retryFor": 20}}
        rc, out, err = run(block, username="alice", password=reg.users["alice"])
    assert rc == 0, err
    assert [a for _, _, a in proxy.seen[:4]] == ["status", "status", "status", "pass"]


def test_tls_with_ca_bundle(run, registry_factory):
    reg = registry_factory("htpasswd", tls=True)
    block = {**generic(reg), "tls": {"caBundle": open(reg.ca_path).read()}}
    rc, out, err = run(block, username="alice", password=reg.users["alice"])
    assert rc == 0, err


# -- failures: one line, the right kind, the value to fix ----------------------------------------


def one_line(err: str) -> str:
    lines = [l for l in err.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_wrong_password(run, htpasswd_registry):
    rc, _, err = run(generic(htpasswd_registry), username="alice", password="not-the-password")
    assert rc == 3
    assert "credentials rejected" in one_line(err) and "'alice'" in err


def test_wrong_password_token_auth(run, token_registry):
    rc, _, err = run(generic(token_registry), username="alice", password="not-the-password")
    assert rc == 3
    assert "credentials rejected: token service" in one_line(err)


def test_wrong_password_asks_the_token_service_once(run, token_registry):
    """BinderHub's lookup starts beside the push probe only after the login is accepted: a
    wrong password is tried once, not once per check (a registry may lock an account out)."""
    reg = token_registry
    before = len(reg.token_server.requests)
    rc, _, err = run(generic(reg), username="alice", password="not-the-password")
    assert rc == 3, err
    assert [r["status"] for r in reg.token_server.requests[before:]] == [401]


def test_pull_only_user_cannot_push(run, token_registry):
    reg = token_registry
    before = len(reg.token_server.requests)
    rc, _, err = run(generic(reg), username="reader", password=reg.users["reader"])
    assert rc == 3
    line = one_line(err)
    assert "no push permission" in line and "'reader'" in line
    assert "the token grants only pull" in line
    assert "registry.imagePrefix" in line
    # BinderHub's lookup ran beside the refused push (the login was good) and had ended when the
    # run did; the push probe's error is the run's.
    services = sorted(r["query"].get("service") for r in reg.token_server.requests[before:])
    assert services == [["test-registry"], ["test-registry", "container_registry"]], services


def test_registry_down(run, htpasswd_registry):
    reg = htpasswd_registry
    reg.stop()
    rc, _, err = run(generic(reg), username="alice", password=reg.users["alice"])
    assert rc == 4
    assert f"cannot connect: cannot connect to {reg.host}: connection refused" in one_line(err)


def test_registry_keeps_failing(run, htpasswd_registry):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.plan = [("status", 503)] * 100
        block = {**generic(reg), "url": proxy.url, "imagePrefix": f"{proxy.host}/binder/prod-"}
        rc, _, err = run(block, username="alice", password=reg.users["alice"])
    assert rc == 4
    assert "registry error" in one_line(err) and "HTTP 503" in err and "gave up after 1s" in err
    assert len(proxy.seen) >= 2  # retried, and bounded


def test_self_signed_tls_without_trust(run, registry_factory):
    reg = registry_factory("htpasswd", tls=True)
    rc, _, err = run(generic(reg), username="alice", password=reg.users["alice"])
    assert rc == 4
    line = one_line(err)
    assert f"TLS to {reg.host} failed" in line and "registry.tls.caBundle" in line


@pytest.mark.parametrize("block, path, words", [
    ({"type": "quay"}, "registry.type", "'quay' is not one of generic | dockerhub"),
    ({"url": "registry.example.org"}, "registry.url", "is not valid"),
    ({"url": "https://exa mple.org"}, "registry.url", "is not valid"),
    ({"imagePrefix": "127.0.0.1:1/binder/Prod-"}, "registry.imagePrefix", "upper-case"),
    ({"imagePrefix": "127.0.0.1:1/binder/prod!-"}, "registry.imagePrefix", "character '!' is not allowed"),
    ({"imagePrefix": "other.example.org/binder/prod-"}, "registry.imagePrefix", "but the registry is"),
    ({"imagePrefix": "127.0.0.1:1/binder/prod-:tag"}, "registry.imagePrefix", "without a tag"),
    ({"mode": "provision"}, "registry.mode", "cannot be provisioned"),
    ({"extra": 1}, "registry.extra", "unknown key"),
    ({"timeouts": {"read": "x"}}, "registry.timeouts.read", "expected number, got string"),
    ({"url": None}, "registry.url", "expected string, got null"),
])
def test_bad_values(run, block, path, words):
    base = {"type": "generic", "url": "http://127.0.0.1:1", "imagePrefix": "127.0.0.1:1/binder/prod-"}
    rc, _, err = run({**base, **block}, username="alice", password="irrelevant-pw")
    assert rc == 2, err
    line = one_line(err)
    assert f"{path}:" in line and words in line


def test_missing_url_for_generic(run):
    rc, _, err = run({"type": "generic", "imagePrefix": "r.example.org/x-"}, username="a", password="irrelevant-pw")
    assert rc == 2 and "registry.url: required value is missing" in one_line(err)


def test_missing_credentials(run, htpasswd_registry):
    rc, _, err = run(generic(htpasswd_registry), username="alice", password=None)
    assert rc == 2
    line = one_line(err)
    assert "missing credentials" in line and "REGISTRY_PASSWORD" in line


def test_credentials_file_and_directory(run, htpasswd_registry, tmp_path):
    reg = htpasswd_registry
    as_file = tmp_path / "creds.yaml"
    as_file.write_text(json.dumps({"username": "alice", "password": reg.users["alice"]}))
    rc, _, err = run(generic(reg), extra=["--credentials", str(as_file)])
    assert rc == 0, err
    # A mounted Secret: one file per key (custom key names from the spec).
    d = tmp_path / "secret"
    d.mkdir()
    (d / "user").write_text("alice")
    (d / "token").write_text(reg.users["alice"])
    block = {**generic(reg), "credentials": {"usernameKey": "user", "passwordKey": "token"}}
    rc, _, err = run(block, extra=["--credentials", str(d)])
    assert rc == 0, err


def test_console_script_exit_codes_without_traceback(tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text("registry:\n  type: generic\n  url: 'http://127.0.0.1:1'\n  imagePrefix: [1]\n")
    proc = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "validate", "-f", str(values)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: invalid value: registry.imagePrefix: expected string, got list"
    proc = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "validate", "-f", str(tmp_path / "nope.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "cannot read values file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_debug_logging_and_explain_leak_nothing(run, token_registry):
    reg = token_registry
    for command, extra in (("validate", ["-vv"]), ("explain", ["-vv"]), ("validate", ["-vv", "--log-format", "json"])):
        rc, out, err = run(generic(reg), username="alice", password=reg.users["alice"], command=command,
                           extra=extra)
        assert rc == 0, err
        assert "probe" in err  # debug logging did run
        # Tokens the token server issued are secrets too (they are bearer credentials).
        assert reg.token_server.issued
        for token in reg.token_server.issued:
            assert token not in out + err


def test_explain_shows_steps_up_to_the_failure(run, token_registry):
    reg = token_registry
    rc, out, _ = run(generic(reg), username="reader", password=reg.users["reader"], command="explain")
    assert rc == 3
    assert "asks for bearer auth" in out
    assert out.strip().splitlines()[-1].startswith("failed  no push permission")
