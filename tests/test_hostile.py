"""Hostile and broken inputs: no leak, no hang, no unbounded memory, the right exit code.

Every case runs the real CLI against the real registry (Debian's docker-registry) and the
test token service, with :class:`tests.support.faults.FaultProxy` in front of either for
the answers no real server gives on demand (a trickle, a gzip bomb, an endless body, a
token that is a number).  Each case asserts exactly one ``error:`` line, its exit code,
no traceback, no secret, and the bound it must keep: seconds (``registry.timeouts.total``
and its alarm's grace) or megabytes (peak resident memory of the hook's process).
Cases are recorded for tests/SECURITY.md (``RELIABILITY_EVIDENCE=PATH``).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from binderhub_registry_hook import deadline
from binderhub_registry_hook.cli import main
from tests.conftest import new_password
from tests.support import BINDERHUB_SECRETS, LocalRegistry, TestCA, TokenServer
from tests.support.evidence import record
from tests.support.faults import FaultProxy

ROOT = Path(__file__).resolve().parent.parent
HOOK = Path(sys.executable).parent / "binderhub-registry-hook"
TOTAL = 4.0  # registry.timeouts.total in the time-bound cases
BOUND = TOTAL + deadline.GRACE + 1.5  # the alarm fires at TOTAL + GRACE; 1.5 s to print and exit
MEMORY_BOUND_MB = 120  # the Job's limit is 256 Mi; an idle `validate` peaks near 45 MB
FAST = {"connect": 1, "read": 2, "retryFor": 1, "total": TOTAL}


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def values_for(tmp_path, block: dict) -> str:
    path = tmp_path / "values.json"
    path.write_text(json.dumps({"registry": {"timeouts": FAST, **block}}))
    return str(path)


def generic(url_host: str, scheme: str = "http", **extra) -> dict:
    return {"type": "generic", "url": f"{scheme}://{url_host}", "imagePrefix": f"{url_host}/binder/prod-", **extra}


@pytest.fixture
def hook(monkeypatch, capsys):
    """hook(argv, password=...) -> (exit code, stdout, the one error line or "", seconds), in-process."""

    def run(argv: list[str], *, password: str | None = None, username: str = "alice"):
        monkeypatch.setenv("REGISTRY_USERNAME", username)
        if password is None:
            monkeypatch.delenv("REGISTRY_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("REGISTRY_PASSWORD", password)
        capsys.readouterr()
        start = time.monotonic()
        rc = main(argv)
        elapsed = time.monotonic() - start
        out, err = capsys.readouterr()
        if password:
            for form in (password, base64.b64encode(f"{username}:{password}".encode()).decode()):
                assert form not in out + err, "a secret reached the output"
        return rc, out, (one_line(err) if rc else ""), elapsed

    return run


def measured(argv: list[str], *, env: dict, stdin: str | None = None, limit: float = 60.0):
    """Run the hook as its own process: (exit code, stdout, stderr, seconds, peak RSS in MB).

    The peak comes from /usr/bin/time (GNU time), which forks a small process to exec the
    hook: a child forked from pytest itself would report pytest's own memory as its peak.
    """
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"hook-time-{os.getpid()}-{time.monotonic_ns()}"
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), str(HOOK), *argv],
                          input=(stdin or "").encode(), capture_output=True, env=env, timeout=limit)
    elapsed = time.monotonic() - start
    peak_kb = int(report.read_text().split()[-1])
    report.unlink()
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode(), elapsed, peak_kb / 1024


def hook_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    return {**env, **extra}


@pytest.fixture
def token_setup(tmp_path):
    """A real registry with token auth whose realm is the fault proxy in front of the token service."""
    password = new_password()
    with TokenServer(TestCA(), users={"alice": password}, service="test-registry").start() as ts, \
            FaultProxy(ts.url) as proxy, \
            LocalRegistry(tmp_path / "reg", auth="token", token_server=ts, realm=proxy.url + ts.path) as reg:
        yield reg, proxy, password


# -- time bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["body", "head"])
def test_registry_that_trickles_is_cut_off_at_the_deadline(part, htpasswd_registry, tmp_path, hook):
    """One byte every 0.5 s: each receive is within timeouts.read, the whole never ends."""
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.default = ("trickle", 0.5, part)
        rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, generic(proxy.host))],
                                    password=reg.users["alice"])
    record("time bounds", f"registry trickles its {'status line' if part == 'head' else 'body'}",
           f"exit {rc}", elapsed, BOUND, message=line)
    assert rc == 4 and line.startswith("error: timed out:"), line
    assert "registry.timeouts.total" in line
    assert elapsed < BOUND


def test_token_service_that_trickles_is_cut_off(token_setup, tmp_path, hook):
    reg, proxy, password = token_setup
    proxy.default = ("trickle", 0.5, "body")
    rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, generic(reg.host))], password=password)
    record("time bounds", "token service trickles its answer", f"exit {rc}", elapsed, BOUND, message=line)
    assert rc == 4 and "timed out" in line and "token from" in line, line
    assert elapsed < BOUND


def test_kubernetes_api_that_trickles_is_cut_off_by_the_alarm(htpasswd_registry, tmp_path, hook):
    """The Kubernetes client waits on its own terms: the deadline's alarm ends it all the same."""
    from tests.support.kubeapi import KubeApiServer, hook_role_rules

    reg = htpasswd_registry
    with KubeApiServer(rules=hook_role_rules("binderhub-registry", "binder")) as api, FaultProxy(api.url) as proxy:
        kubeconfig = Path(api.kubeconfig(tmp_path / "kubeconfig", namespace="binder"))
        kubeconfig.write_text(kubeconfig.read_text().replace(api.url, proxy.url))
        proxy.plan = [("pass",)]  # the Secret is read before the values set the deadline
        proxy.default = ("trickle", 0.5, "head")  # then the write trickles
        rc, _, line, elapsed = hook(["apply", "-f", values_for(tmp_path, generic(reg.host)), "--kubeconfig",
                                     str(kubeconfig)], password=reg.users["alice"])
        written = api.get("secrets", "binder", "binderhub-registry")
    record("time bounds", "Kubernetes API trickles its answer to the write", f"exit {rc}", elapsed, BOUND,
           message=line)
    assert rc == 4 and "timed out" in line and "registry.timeouts.total (4s)" in line, line
    assert elapsed < BOUND
    # The write reached the server before its answer trickled: whole, verified content or nothing.
    assert written is None or written["type"] == "kubernetes.io/dockerconfigjson"


@pytest.mark.parametrize("status, retry_after, retry_for, words, attempts, bound", [
    # 31 s could never fit in 4: no wait at all, one request.
    (429, "31", 4, "it asks to retry after 31s, beyond registry.timeouts.retryFor (4s)", 1, 1.5),
    # waits of 1 s, none of which may end past 3 s.
    (503, "1", 3, "(gave up after 3s of retries)", 3, 3.0),
], ids=["retry-after-beyond-retry-for", "retry-after-within-retry-for"])
def test_retry_waits_stay_within_retry_for(status, retry_after, retry_for, words, attempts, bound,
                                           htpasswd_registry, tmp_path, hook):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        proxy.default = ("status", status, {"Retry-After": retry_after})
        block = generic(proxy.host, timeouts={**FAST, "retryFor": retry_for, "total": 60})
        rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, block)], password=reg.users["alice"])
    record("time bounds", f"{status} with Retry-After: {retry_after} for good, retryFor: {retry_for}", f"exit {rc}",
           elapsed, bound, message=line)
    assert rc == 4 and words in line, line
    assert elapsed < bound and len(proxy.seen) == attempts


def test_post_render_under_real_helm_ends_by_the_deadline(htpasswd_registry, tmp_path, helm3, helm_env):
    """As a Helm post-renderer, a trickling registry no longer hangs `helm upgrade`."""
    reg = htpasswd_registry
    chart = ROOT / "tests" / "fixtures" / "binderhub-chart"
    with FaultProxy(reg.url) as proxy:
        proxy.default = ("trickle", 0.5, "body")
        values = values_for(tmp_path, generic(proxy.host))
        env = {**helm_env, "BINDERHUB_REGISTRY_HOOK": str(HOOK), "REGISTRY_USERNAME": "alice",
               "REGISTRY_PASSWORD": reg.users["alice"]}
        start = time.monotonic()
        proc = subprocess.run([str(helm3), "template", "binder", str(chart), "--post-renderer",
                               str(ROOT / "helm-plugin" / "binderhub-registry-hook" / "post-render.sh"),
                               "--post-renderer-args=-f", f"--post-renderer-args={values}"],
                              capture_output=True, text=True, env=env, timeout=60)
        elapsed = time.monotonic() - start
    record("time bounds", "post-render under helm 3 with a trickling registry", f"helm exit {proc.returncode}",
           elapsed, BOUND + 2, message=proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "")
    assert proc.returncode != 0 and "timed out" in proc.stderr
    assert reg.users["alice"] not in proc.stdout + proc.stderr
    assert elapsed < BOUND + 2  # Helm's own start and exit on top


# -- memory bounds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """2 GiB of JSON-ish zeros in ~2 MB of gzip."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"0" * (1 << 20)
    parts = [comp.compress(block) for _ in range(2048)]
    parts.append(comp.flush())
    return b"".join(parts)


@pytest.mark.parametrize("case", ["gzip-bomb", "endless-chunked", "huge-plain", "deflate-bomb"])
def test_answers_are_read_within_a_size_cap(case, gzip_bomb, htpasswd_registry, tmp_path):
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy:
        if case == "gzip-bomb":
            proxy.default = ("answer", 401, {"Content-Encoding": "gzip", "Content-Type": "application/json",
                                             "WWW-Authenticate": 'Basic realm="x"'}, gzip_bomb)
        elif case == "deflate-bomb":
            proxy.default = ("answer", 200, {"Content-Encoding": "deflate"},
                             zlib.compress(b"\0" * (64 << 20), 9))
        elif case == "endless-chunked":
            proxy.default = ("endless",)
        else:
            proxy.default = ("answer", 401, {"WWW-Authenticate": 'Basic realm="x"'}, b"x" * (8 << 20))
        rc, out, err, elapsed, peak = measured(
            ["validate", "-f", values_for(tmp_path, generic(proxy.host))],
            env=hook_env(REGISTRY_USERNAME="alice", REGISTRY_PASSWORD=reg.users["alice"]))
    line = one_line(err)
    record("memory bounds", case, f"exit {rc}", elapsed, TOTAL, peak_mb=round(peak, 1), message=line)
    assert rc == 4, line
    assert "KiB" in line and ("larger than 1024 KiB" in line or "decompresses to more than 1024 KiB" in line)
    assert peak < MEMORY_BOUND_MB, f"peak {peak:.0f} MB"
    assert elapsed < TOTAL


# -- exit codes: answers of the wrong shape, permanent errors at once ---------------------------------

TOKEN_ANSWERS = [
    ("token-number", b'{"token": 12345}', "not a string"),
    ("token-list", b'{"token": ["a", "b"]}', "not a string"),
    ("token-object", b'{"token": {"a": "b"}}', "not a string"),
    ("token-crlf", b'{"token": "abc\\r\\nX-Injected: 1"}', "characters a token cannot hold"),
    ("token-space", b'{"token": "abc def"}', "characters a token cannot hold"),
    ("token-deep-json", b'{"token": ' + b"[" * 100000 + b"]" * 100000 + b"}", "without a token"),
    ("token-not-json", b"<html>oops</html>", "without a token"),
    ("token-json-list", b"[1, 2]", "without a token"),
]


@pytest.mark.parametrize("id_, body, words", TOKEN_ANSWERS, ids=[c[0] for c in TOKEN_ANSWERS])
def test_token_answers_of_the_wrong_shape(id_, body, words, token_setup, tmp_path, hook):
    reg, proxy, password = token_setup
    proxy.default = ("answer", 200, {"Content-Type": "application/json"}, body)
    rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, generic(reg.host))], password=password)
    record("exit codes", id_, f"exit {rc}", elapsed, 1.0, message=line)
    assert rc == 4 and line.startswith("error: unexpected registry answer:") and words in line, line
    assert elapsed < 1.0 and len(proxy.seen) == 1  # at once, never retried


@pytest.mark.parametrize("realm, words", [
    ("file:///etc/passwd", "not an http(s) URL"),
    ("http://127.0.0.1:70000/token", "not a valid URL"),
    ("gopher://127.0.0.1/token", "not an http(s) URL"),
])
def test_permanent_realm_errors_are_not_retried(realm, words, tmp_path, hook):
    password = new_password()
    with TokenServer(TestCA(), users={"alice": password}, service="test-registry").start() as ts, \
            LocalRegistry(tmp_path / "reg", auth="token", token_server=ts, realm=realm) as reg:
        rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, generic(reg.host))], password=password)
        asked = len(ts.requests)
    record("exit codes", f"realm {realm.split(':')[0]}:", f"exit {rc}", elapsed, 1.0, message=line)
    assert rc == 4 and words in line, line
    assert elapsed < 1.0 and asked == 0


@pytest.mark.parametrize("id_, values, words", [
    ("url-port-above-65535", {"url": "http://127.0.0.1:70000"}, "registry.url"),
    ("timeouts-connect-nan", {"timeouts": {"connect": float("nan")}}, "registry.timeouts.connect: nan is not a finite"),
    ("timeouts-total-inf", {"timeouts": {"total": float("inf")}}, "registry.timeouts.total: inf is not a finite"),
    ("azure-authority-port", {"type": "azure", "imagePrefix": "myacr1.azurecr.io/binder/x-",
                              "azure": {"registryName": "myacr1", "authorityHost": "https://login.example:99999"}},
     "has no valid port"),
    ("azure-authority-userinfo", {"type": "azure", "imagePrefix": "myacr1.azurecr.io/binder/x-",
                                  "azure": {"registryName": "myacr1", "authorityHost": "https://u:pw-Zq81@login.example"}},
     "holds credentials"),
    ("image-prefix-userinfo", {"imagePrefix": "admin:pw-Zq81@127.0.0.1:1/binder/prod-"}, "holds credentials"),
])
def test_values_the_schema_lets_through(id_, values, words, tmp_path, hook):
    block = {"type": "generic", "url": "http://127.0.0.1:1", "imagePrefix": "127.0.0.1:1/binder/prod-", **values}
    path = tmp_path / "values.yaml"
    # YAML, not JSON: .nan and .inf are what an operator writes.
    text = json.dumps({"registry": block}).replace("NaN", ".nan").replace("Infinity", ".inf")
    path.write_text(text)
    rc, _, line, elapsed = hook(["validate", "-f", str(path)], password="pw-Zq81")
    record("exit codes", id_, f"exit {rc}", elapsed, 1.0, message=line)
    assert rc == 2 and words in line, line
    assert "pw-Zq81" not in line and "admin:" not in line


def deep_yaml(levels: int) -> str:
    return "registry: " + "[" * levels + "]" * levels + "\n"


@pytest.mark.parametrize("where", ["values", "credentials"])
def test_deep_nesting_is_bad_input(where, tmp_path, hook):
    deep = tmp_path / "deep.yaml"
    deep.write_text(deep_yaml(10000) if where == "values" else "password: " + "[" * 10000 + "]" * 10000 + "\n")
    values = deep if where == "values" else values_for(tmp_path, generic("127.0.0.1:1"))
    argv = ["validate", "-f", str(values)] + (["--credentials", str(deep)] if where == "credentials" else [])
    rc, _, line, elapsed = hook(argv, password="x" * 8)
    record("exit codes", f"10,000-deep YAML ({where})", f"exit {rc}", elapsed, 1.0, message=line)
    assert rc == 2 and "nested deeper than 64 levels" in line, line
    assert elapsed < 1.0  # refused before the (quadratic) parser sees it


# -- local inputs ----------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def local_cases(tmp_path, fifo) -> list[tuple[str, list[str], str]]:
    good = values_for(tmp_path, generic("127.0.0.1:1"))
    creds_dir = tmp_path / "creds"
    creds_dir.mkdir()
    (creds_dir / "username").write_text("alice")
    (creds_dir / "password").symlink_to("/proc/self/environ")
    fifo_dir = tmp_path / "creds-fifo"
    fifo_dir.mkdir()
    (fifo_dir / "username").write_text("alice")
    os.mkfifo(fifo_dir / "password")
    big = tmp_path / "big.yaml"
    big.write_text("password: '" + "x" * (2 << 20) + "'\n")
    bad_utf8 = tmp_path / "latin1.yaml"
    bad_utf8.write_bytes(b"username: alice\npassword: caf\xe9\n")
    bad_dir = tmp_path / "creds-latin1"
    bad_dir.mkdir()
    (bad_dir / "username").write_text("alice")
    (bad_dir / "password").write_bytes(b"caf\xe9-caf\xe9")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("username: alice\npassword: {a: b}\n")
    number = tmp_path / "number.yaml"
    number.write_text("username: alice\npassword: 0123\n")
    colon = tmp_path / "colon.yaml"
    colon.write_text("username: 'alice:pw-Zq81'\npassword: pw-Zq81\n")
    return [
        ("-f /dev/zero", ["-f", "/dev/zero"], "not a regular file (a character device)"),
        ("-f FIFO", ["-f", str(fifo)], "not a regular file (a FIFO)"),
        ("-f a directory", ["-f", str(tmp_path)], "not a regular file (a directory)"),
        ("--credentials FIFO", ["-f", good, "--credentials", str(fifo)], "not a regular file (a FIFO)"),
        ("--credentials /dev/zero", ["-f", good, "--credentials", "/dev/zero"], "not a regular file"),
        ("--credentials file of 2 MiB", ["-f", good, "--credentials", str(big)], "larger than 262144 bytes"),
        ("credentials dir entry -> /proc/self/environ", ["-f", good, "--credentials", str(creds_dir)],
         "pseudo-file"),
        ("credentials dir entry is a FIFO", ["-f", good, "--credentials", str(fifo_dir)], "a FIFO"),
        ("--credentials not UTF-8", ["-f", good, "--credentials", str(bad_utf8)], "not valid UTF-8"),
        ("credentials dir entry not UTF-8", ["-f", good, "--credentials", str(bad_dir)], "not valid UTF-8"),
        ("password: {a: b}", ["-f", good, "--credentials", str(mapping)], "'password' is not a string"),
        ("password: 0123 (a YAML number)", ["-f", good, "--credentials", str(number)], "'password' is not a string"),
        ("username with ':'", ["-f", good, "--credentials", str(colon)], "contains ':'"),
    ]


def test_local_inputs_are_refused_before_reading(tmp_path, fifo, hook, monkeypatch):
    monkeypatch.setenv("SECRET_IN_THE_ENVIRONMENT", "env-secret-Zq81")
    for name, argv, words in local_cases(tmp_path, fifo):
        rc, _, line, elapsed = hook(["validate", *argv])
        record("local inputs", name, f"exit {rc}", elapsed, 1.0, message=line)
        assert rc == 2 and words in line, (name, line)
        assert elapsed < 1.0, name
        assert "env-secret-Zq81" not in line and "pw-Zq81" not in line and "caf" not in line


@pytest.mark.parametrize("flag", ["--previous-config", "-f"])
def test_previous_config_and_values_from_devices_as_a_process(flag, tmp_path, fifo):
    """As an operator would run it: bounded time and memory, one line."""
    good = values_for(tmp_path, generic("127.0.0.1:1"))
    for source in ("/dev/zero", str(fifo)):
        argv = ["post-render", "-f", good, flag, source] if flag != "-f" else ["validate", "-f", source]
        rc, _, err, elapsed, peak = measured(argv, env=hook_env(REGISTRY_USERNAME="a", REGISTRY_PASSWORD="p" * 8),
                                             stdin="kind: Secret\n", limit=20)
        line = one_line(err)
        record("local inputs", f"{flag} {'FIFO' if source != '/dev/zero' else source} (process)", f"exit {rc}",
               elapsed, 2.0, peak_mb=round(peak, 1), message=line)
        assert rc == 2 and "not a regular file" in line, line
        assert elapsed < 2.0 and peak < MEMORY_BOUND_MB


# -- realm: where credentials may go -------------------------------------------------------------------


def test_https_registry_never_sends_credentials_to_a_plain_http_realm(tmp_path, hook):
    password = new_password()
    with TokenServer(TestCA(), users={"alice": password}, service="test-registry").start() as ts, \
            LocalRegistry(tmp_path / "reg", auth="token", tls=True, token_server=ts,
                          realm=ts.url + ts.path) as reg:
        assert reg.url.startswith("https://") and ts.url.startswith("http://")
        block = generic(reg.host, scheme="https", tls={"caBundle": open(reg.ca_path).read()})
        rc, _, line, elapsed = hook(["validate", "-f", values_for(tmp_path, block)], password=password)
        asked, realm = len(ts.requests), ts.url + ts.path
    record("realm", "https registry, http realm", f"exit {rc}", elapsed, 1.0, message=line)
    assert rc == 4 and "plain-http token service" in line and realm in line, line
    assert asked == 0  # the password never left


def test_upload_location_on_another_origin_gets_no_credentials(htpasswd_registry, tmp_path, hook):
    """The probe's clean-up (DELETE of the upload) carries credentials: only to the registry itself."""
    reg = htpasswd_registry
    with FaultProxy(reg.url) as proxy, FaultProxy(reg.url) as elsewhere:
        # challenge, login, then the upload answered with a Location on another origin (no
        # manifest lookup beside it, which might take the planned answer instead)
        location = f"{elsewhere.url}/v2/binder/x/blobs/uploads/1"
        proxy.plan = [("pass",), ("pass",), ("answer", 202, {"Location": location}, b"")]
        block = generic(proxy.host, probe={"pull": False})
        rc, out, line, elapsed = hook(["validate", "-f", values_for(tmp_path, block)], password=reg.users["alice"])
    record("realm", "upload Location on another origin", f"exit {rc}, requests there: {len(elsewhere.seen)}",
           elapsed, None, message=out.strip())
    assert rc == 0, line
    assert [m for m, _, _ in proxy.seen[:3]] == ["GET", "GET", "POST"]
    assert elsewhere.seen == []  # never sent the Authorization header there


def test_realm_on_another_host_is_used_as_docker_does(tmp_path, hook):
    """127.0.0.2 is another host to the hook: credentials go there, as Docker and containerd send them."""
    password = new_password()
    with TokenServer(TestCA(), users={"alice": password}, service="test-registry").start() as ts, \
            LocalRegistry(tmp_path / "reg", auth="token", token_server=ts,
                          realm=ts.url.replace("127.0.0.1", "localhost") + ts.path) as reg:
        rc, out, line, elapsed = hook(["validate", "-f", values_for(tmp_path, generic(reg.host))], password=password)
    record("realm", "realm on another host name (http registry)", f"exit {rc}", elapsed, None, message=out.strip())
    assert rc == 0, line


# -- leaks ----------------------------------------------------------------------------------------


GITHUB_TOKEN = "ghp_" + "Zq81" * 9


def b64(text: bytes) -> str:
    return base64.b64encode(text).decode()


BROKEN_VALUES = [
    ("not-yaml", f"stringData:\n  values.yaml: |\n    config: {{GitHubRepoProvider: {{access_token: {GITHUB_TOKEN}\n",
     "not valid YAML"),
    ("not-yaml-in-data", f"data:\n  values.yaml: {b64(f'config: [{GITHUB_TOKEN}'.encode())}\n", "not valid YAML"),
    ("bad-base64", f"data:\n  values.yaml: '{GITHUB_TOKEN}!!'\n", "not base64 of UTF-8"),
    ("not-utf8", f"data:\n  values.yaml: {b64(GITHUB_TOKEN.encode() + bytes([0xff, 0xfe]))}\n", "not base64 of UTF-8"),
    ("data-a-list", f"data:\n  - {GITHUB_TOKEN}\n", "data and stringData must be mappings"),
    ("stringdata-a-list", f"stringData:\n  - {GITHUB_TOKEN}\n", "data and stringData must be mappings"),
    ("values-a-number", "stringData:\n  values.yaml: 12\n", "not a string"),
    # Deep enough to exhaust the parser's recursion (it then reports either way, never exit 70).
    ("deep", "stringData:\n  values.yaml: |\n    config: " + "[" * 5000 + "]" * 5000 + "\n",
     "key values.yaml: n"),
]


@pytest.mark.parametrize("id_, body, words", BROKEN_VALUES, ids=[c[0] for c in BROKEN_VALUES])
def test_broken_binder_secret_is_one_line_quoting_none_of_it(id_, body, words, htpasswd_registry, tmp_path):
    reg = htpasswd_registry
    rc, out, err, elapsed, _ = measured(
        ["post-render", "-f", values_for(tmp_path, generic(reg.host))], stdin=BINDERHUB_SECRETS.format(settings=body),
        env=hook_env(REGISTRY_USERNAME="alice", REGISTRY_PASSWORD=reg.users["alice"]))
    line = one_line(err)
    record("leaks", f"post-render, binder-secret {id_}", f"exit {rc}", elapsed, None, message=line)
    assert rc == 2 and "Secret binder-secret" in line and words in line, line
    assert "values.yaml" in line or "stringData" in line
    assert GITHUB_TOKEN not in err and "Zq81" not in err and out == ""


DOCKER_CONFIG_SECRET = """\
---
apiVersion: v1
kind: Secret
metadata:
  name: binder-build-docker-config
type: Opaque
{body}---
apiVersion: v1
kind: Secret
metadata:
  name: binder-secret
type: Opaque
stringData:
  values.yaml: |
    config:
      BinderHub: {{}}
"""

BROKEN_DOCKER_CONFIG = [
    ("data-a-list", f"data:\n  - {GITHUB_TOKEN}\n", "data and stringData must be mappings"),
    ("stringdata-a-list", f"stringData:\n  - {GITHUB_TOKEN}\n", "data and stringData must be mappings"),
    ("bad-base64", f"data:\n  config.json: '{GITHUB_TOKEN}!!'\n", "is not base64 of text"),
]


@pytest.mark.parametrize("id_, body, words", BROKEN_DOCKER_CONFIG, ids=[c[0] for c in BROKEN_DOCKER_CONFIG])
def test_broken_build_docker_config_is_one_line_quoting_none_of_it(id_, body, words, htpasswd_registry, tmp_path):
    reg = htpasswd_registry
    rc, out, err, elapsed, _ = measured(
        ["post-render", "--binder-deployment", "", "-f", values_for(tmp_path, generic(reg.host))],
        stdin=DOCKER_CONFIG_SECRET.format(body=body),
        env=hook_env(REGISTRY_USERNAME="alice", REGISTRY_PASSWORD=reg.users["alice"]))
    line = one_line(err)
    record("leaks", f"post-render, binder-build-docker-config {id_}", f"exit {rc}", elapsed, None, message=line)
    assert rc == 2 and "Secret binder-build-docker-config" in line and words in line, line
    assert GITHUB_TOKEN not in err and "Zq81" not in err and out == ""
