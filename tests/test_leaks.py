"""No secret leaks, enforced: every command, every provider stand-in, debug logging.

For each provider stand-in (its fixtures: tests/support/fixtures_*.py, pytest plugins),
every command runs at ``-vv``: validate, explain, post-render, apply and refresh with
working credentials (text logs, and json logs for explain and apply), then
validate, explain and apply with broken ones (both formats).  Afterwards every secret value the case used or that the
stand-ins issued (passwords, robot secrets, access and refresh tokens, registry tokens,
private keys, provisioned passwords and keys as read back from the written Secret)
is searched for, with its base64 forms and its JSON-escaped form, in:

* stdout and stderr of every run (the Job's and the CronJob's logs; explain's output);
* everything the Kubernetes API test server holds except the Secret itself (Events,
  the binder Deployment).

Zero hits.  post-render's stdout is scanned as well: the manifest carries the
credentials only base64-encoded inside ``config.json``, never any of the forms above.
Each run starts with the redaction registry empty, as a fresh process does, so a
value registered by an earlier test cannot mask a leak.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote, quote_plus

import pytest
import yaml

from binderhub_registry_hook import secrets as hook_secrets
from binderhub_registry_hook.cli import main
from tests.conftest import new_password
from tests.support import BINDERHUB_SECRETS
from tests.support.aws import write_values as ecr_values
from tests.support.dockerhub import block as hub_block
from tests.support.evidence import record
from tests.support.faults import FaultProxy
from tests.support.google import builder_key, provision_setup
from tests.support.google import write_credentials as google_credentials
from tests.support.google import write_values as google_values
from tests.support.harbor import block as harbor_block
from tests.support.kubeapi import KubeApiServer, hook_role_rules
from tests.support.release import NS, SECRET, binder_deployment

FAST = {"connect": 1, "read": 5, "retryFor": 1}
MANIFESTS = BINDERHUB_SECRETS.format(settings="stringData:\n  values.yaml: |\n    config:\n      BinderHub: {}\n") + """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: binder
spec:
  template:
    metadata:
      annotations:
        checksum/config: "0"
    spec:
      containers:
        - name: binder
          image: quay.io/jupyterhub/k8s-binderhub:1.0.0
"""


@dataclass
class Case:
    values: object  # Path of the values file
    creds: object | None  # credentials file or directory (None: environment / cloud chain)
    secrets: Callable[[], list[str]]  # every secret the case used or the stand-ins issued, read at the end
    breaks: Callable[[], object | None]  # make the next runs fail; returns their credentials
    extra: list[str] = field(default_factory=list)


def creds_file(tmp_path, name: str, **keys) -> object:
    path = tmp_path / f"creds-{name}.yaml"
    path.write_text(yaml.safe_dump(keys))
    return path


def values_file(tmp_path, block: dict) -> object:
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps({"registry": block}))
    return path


# -- one builder per provider stand-in: what a user of that registry gives the hook --------------------------


def generic_htpasswd(request, tmp_path, monkeypatch) -> Case:
    reg = request.getfixturevalue("registry_factory")("htpasswd")
    password, wrong = reg.users["alice"], "wrong-" + new_password()
    values = values_file(tmp_path, {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-",
                                    "timeouts": FAST})
    return Case(values, creds_file(tmp_path, "ok", username="alice", password=password),
                lambda: [password, wrong, f"alice:{password}"],
                lambda: creds_file(tmp_path, "bad", username="alice", password=wrong))


def generic_token(request, tmp_path, monkeypatch) -> Case:
    reg = request.getfixturevalue("token_registry")
    password, wrong = reg.users["alice"], "wrong-" + new_password()
    values = values_file(tmp_path, {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-",
                                    "timeouts": FAST})
    return Case(values, creds_file(tmp_path, "ok", username="alice", password=password),
                lambda: [password, wrong, reg.users["reader"], *reg.token_server.issued],
                lambda: creds_file(tmp_path, "bad", username="alice", password=wrong))


def _echo_proxy(request, upstream: str):
    """A proxy whose error answers quote every request header (Authorization included)."""
    proxy = FaultProxy(upstream)
    proxy.default = ("echo",)
    request.addfinalizer(proxy.stop)
    return proxy


def generic_htpasswd_echo(request, tmp_path, monkeypatch) -> Case:
    """Basic auth through a proxy that echoes the request's headers in every error body."""
    reg = request.getfixturevalue("registry_factory")("htpasswd")
    proxy = _echo_proxy(request, reg.url)
    password, wrong = reg.users["alice"], "wrong-" + new_password()
    values = values_file(tmp_path, {"type": "generic", "url": proxy.url, "imagePrefix": f"{proxy.host}/binder/prod-",
                                    "timeouts": FAST})
    return Case(values, creds_file(tmp_path, "ok", username="alice", password=password),
                lambda: [password, wrong, f"alice:{password}", f"alice:{wrong}"],
                lambda: creds_file(tmp_path, "bad", username="alice", password=wrong))


def generic_token_echo(request, tmp_path, monkeypatch) -> Case:
    """Token auth whose token service echoes the request's headers (the Basic value) when it refuses."""
    from tests.support import LocalRegistry, TestCA, TokenServer

    password, wrong = new_password(), "wrong-" + new_password()
    ts = TokenServer(TestCA(), users={"alice": password}, service="test-registry").start()
    request.addfinalizer(ts.stop)
    proxy = _echo_proxy(request, ts.url)
    reg = LocalRegistry(tmp_path / "reg", auth="token", token_server=ts, realm=proxy.url + ts.path)
    request.addfinalizer(reg.stop)
    values = values_file(tmp_path, {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-",
                                    "timeouts": FAST})
    return Case(values, creds_file(tmp_path, "ok", username="alice", password=password),
                lambda: [password, wrong, f"alice:{password}", f"alice:{wrong}", *ts.issued],
                lambda: creds_file(tmp_path, "bad", username="alice", password=wrong))


def dockerhub(request, tmp_path, monkeypatch) -> Case:
    hub = request.getfixturevalue("hub")
    password = hub.add_account("binderbot")
    token = hub.add_token("binderbot", "write")
    values = values_file(tmp_path, hub_block(hub))
    return Case(values, creds_file(tmp_path, "ok", username="binderbot", password=token),
                lambda: [password, token, *hub.issued],
                lambda: creds_file(tmp_path, "bad", username="binderbot", password=password[::-1]))


def harbor_robot(request, tmp_path, monkeypatch) -> Case:
    harbor = request.getfixturevalue("harbor")
    harbor.add_project("binder")
    name, secret = harbor.add_robot("binder", "ci")
    values = values_file(tmp_path, harbor_block(harbor))
    return Case(values, creds_file(tmp_path, "ok", username=name, password=secret),
                lambda: [secret, *harbor.admins.values(), *harbor.issued],
                lambda: creds_file(tmp_path, "bad", username=name, password="Wrong1" + secret))


def harbor_provision(request, tmp_path, monkeypatch) -> Case:
    harbor = request.getfixturevalue("harbor")
    values = values_file(tmp_path, harbor_block(harbor, mode="provision", harbor={"robot": {}}))
    admin = harbor.admins["admin"]
    return Case(values, creds_file(tmp_path, "ok", adminUsername="admin", adminPassword=admin),
                lambda: [admin, *(r["secret"] for r in harbor.robots.values()), *harbor.issued],
                lambda: creds_file(tmp_path, "bad", adminUsername="admin", adminPassword=admin + "x"))


def ecr(request, tmp_path, monkeypatch) -> Case:
    aws = request.getfixturevalue("aws")  # sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the default chain
    reg = request.getfixturevalue("ecr_registry")
    aws.seed_template("binder")
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.url)  # the CLI's own client factory
    values = ecr_values(tmp_path, reg, mode="validate")
    ecr_password = aws.ecr_password()

    def breaks():
        aws.deny["GetAuthorizationToken"] = True
        return None

    return Case(values, None, lambda: ["env-secret-key", ecr_password, f"AWS:{ecr_password}"], breaks,
                extra=["--refresher-enabled"])


def google_key(request, tmp_path, monkeypatch) -> Case:
    cloud, reg = request.getfixturevalue("cloud"), request.getfixturevalue("google_registry")
    key = builder_key(cloud)
    values = google_values(tmp_path, reg)
    creds = google_credentials(tmp_path, key_json=key)

    def breaks():
        cloud.keys.clear()  # the key was deleted in the console
        return creds

    return Case(values, creds, lambda: [key, json.loads(key)["private_key"], *reg.token_server.issued,
                                        *cloud.tokens], breaks)


def google_provision(request, tmp_path, monkeypatch) -> Case:
    cloud, reg = request.getfixturevalue("cloud"), request.getfixturevalue("google_registry")
    values, creds = provision_setup(cloud, tmp_path, reg)
    admin = (creds / "admin.json").read_text()

    def breaks():
        cloud.keys.clear()
        return creds

    return Case(values, creds, lambda: [admin, json.loads(admin)["private_key"], *reg.token_server.issued,
                                        *cloud.tokens], breaks)


def azure_refresh_token(request, tmp_path, monkeypatch) -> Case:
    az = request.getfixturevalue("azure")
    sp = az.service_principal()
    values = az.values(dockerLogin="refreshToken", clientId=sp.client_id)
    return Case(values, az.creds_file(clientSecret=sp.secret),
                lambda: [sp.secret, *az.authority.issued, *az.acr._refresh_tokens, *az.acr.issued],
                lambda: az.creds_file(clientSecret="wrong-" + sp.secret), extra=["--refresher-enabled"])


def azure_provision(request, tmp_path, monkeypatch) -> Case:
    az = request.getfixturevalue("azure")
    sp = az.service_principal(role=None, contributor=True)
    values = az.values(mode="provision", passwordExpiryDays=90)
    return Case(values, az.creds_file(clientId=sp.client_id, clientSecret=sp.secret),
                lambda: [sp.secret, *az.authority.issued, *az.acr.issued,
                         *(v for slots in az.state.passwords.values() for v, _ in slots.values())],
                lambda: az.creds_file(clientId=sp.client_id, clientSecret="wrong-" + sp.secret))


CASES = [generic_htpasswd, generic_token, generic_htpasswd_echo, generic_token_echo, dockerhub, harbor_robot, harbor_provision, ecr, google_key,
         google_provision, azure_refresh_token, azure_provision]


# -- the scan --------------------------------------------------------------------------------------------


def forms(secret: str) -> set[str]:
    """The secret as it could leak: raw, base64 (standard, url-safe, unpadded), JSON-escaped,
    percent-encoded; and for a PEM private key each line of its body, so a partial leak is found too.
    (A ``user:password`` pair among the secrets covers the Basic header and config.json's ``auth``.)"""
    raw = secret.encode()
    found = {secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        enc = encode(raw).decode()
        found.update({enc, enc.rstrip("=")})
    if "PRIVATE KEY-----" in secret:
        found.update(line for line in secret.splitlines() if len(line) >= 32 and "-----" not in line)
    return {f for f in found if len(f) >= 8}


def written_login(api) -> list[str]:
    """The password the hook wrote (provisioned robot secret, key, token password...), and the
    ``user:password`` pair it wrote with it."""
    obj = api.secret_data(NS, SECRET)
    if not obj:
        return []
    [entry] = json.loads(obj["config.json"])["auths"].values()
    pair = base64.b64decode(entry["auth"]).decode()
    return [pair.partition(":")[2], pair]


# Every command with text logs; json logs (the same redaction, another formatter: JSON-escaped
# text) for the commands that log the most.  Then the failing runs, in both formats.
WORKING = [("validate", "text"), ("explain", "text"), ("post-render", "text"), ("apply", "text"),
           ("refresh", "text"), ("explain", "json"), ("apply", "json")]
BROKEN = [("validate", "text"), ("explain", "json"), ("apply", "text"), ("apply", "json")]


@pytest.mark.parametrize("build", CASES, ids=[c.__name__ for c in CASES])
def test_no_secret_in_any_output_event_or_explain(build, request, tmp_path, monkeypatch, capsys):
    case = build(request, tmp_path, monkeypatch)
    outputs: list[tuple[str, str]] = []  # (where, text)
    written: set[str] = set()
    debug_seen = False

    with KubeApiServer(rules=hook_role_rules(SECRET, "binder")) as api:
        api.put("deployments", NS, binder_deployment())
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)

        def run(command: str, fmt: str, creds, expect_ok: bool) -> None:
            nonlocal debug_seen
            argv = [command, "-vv", "--log-format", fmt, "-f", str(case.values)]
            if creds is not None:
                argv += ["--credentials", str(creds)]
            if command in ("apply", "refresh"):
                argv += ["--kubeconfig", kubeconfig]
            if command in ("post-render", "apply"):  # as the chart tells the Job when the CronJob runs
                argv += [a for a in case.extra if a == "--refresher-enabled"]
            monkeypatch.setattr(sys, "stdin", io.StringIO(MANIFESTS))
            monkeypatch.setattr(hook_secrets, "_known", set())  # as in a fresh process
            capsys.readouterr()
            rc = main(argv)
            out, err = capsys.readouterr()
            label = f"{command} ({fmt} logs, {'working' if expect_ok else 'broken'} credentials)"
            assert (rc == 0) == expect_ok, f"{label}: exit {rc}: {err}"
            assert "Traceback" not in out + err, label
            debug_seen = debug_seen or ("DEBUG " in err if fmt == "text" else '"level": "debug"' in err)
            outputs.extend([(f"{label} stdout", out), (f"{label} stderr", err)])
            if command in ("apply", "refresh") and expect_ok:
                written.update(written_login(api))

        for command, fmt in WORKING:
            run(command, fmt, case.creds, True)
        bad = case.breaks()
        for command, fmt in BROKEN:
            run(command, fmt, bad, False)

        state = {k: v for k, v in api.objects.items() if k[0] != "secrets"}
        events = [o for (r, _, _), o in state.items() if r == "events"]
        outputs.append(("Kubernetes Events and Deployment", json.dumps(list(state.values()))))

    secrets = [s for s in {*case.secrets(), *written} if s]
    hits = [(where, f"secret #{i}") for i, s in enumerate(secrets) for f in forms(s)
            for where, text in outputs if f in text]
    runs = (len(outputs) - 1) // 2
    record("secret leaks", build.__name__, f"{runs} runs ({len(WORKING)} working, {len(BROKEN)} failing), "
           f"{len(events)} Events, {len(secrets)} secret values x their forms", None, None, leaks=len(hits))
    if build in (generic_htpasswd_echo, generic_token_echo):
        # The echo reached the outputs (error line, explain, Event), the credentials in it redacted.
        assert any("Authorization: Basic <redacted>" in text for _, text in outputs)
    assert debug_seen, "debug logging did not run"
    assert len(events) == 5 and sum(e["type"] == "Warning" for e in events) >= 2  # 3 working runs, 2 failed
    assert len(secrets) >= 2
    assert hits == []


def test_the_scan_finds_each_form():
    """The scan itself can fail: each form of a secret is found where it would leak."""
    secret = "s3cret-" + "x" * 20
    pem = "-----BEGIN PRIVATE KEY-----\n" + "A" * 64 + "\n" + "B" * 40 + "\n-----END PRIVATE KEY-----\n"
    for text in (f"password={secret}", base64.b64encode(secret.encode()).decode(),
                 json.dumps({"key": pem}), "line: " + "B" * 40):
        assert any(f in text for s in (secret, pem) for f in forms(s)), text
    assert not any(f in "nothing to see" for f in forms(secret))


def test_every_derived_form_is_redacted(monkeypatch):
    """What a registry may echo back: each form of user:password and of the token, made where it is made."""
    from binderhub_registry_hook.distribution import basic_header
    from binderhub_registry_hook.secrets import Secret, redact

    monkeypatch.setattr(hook_secrets, "_known", set())
    password = 'p"ss/w+rd é-' + new_password()
    header = basic_header("alice", Secret(password))
    token = Secret("eyJ" + new_password())
    pair = f"alice:{password}"
    leaked = [header, header.split()[1].rstrip("="), json.dumps({"auth": header.split()[1]}),
              json.dumps({"p": password}), quote_plus(password), f"Bearer {token.reveal()}", pair,
              base64.urlsafe_b64encode(pair.encode()).decode(), json.dumps(pair)]
    for text in leaked:
        cleaned = redact(f"the answer was: {text}")
        assert not any(f in cleaned for s in (password, pair, token.reveal()) for f in forms(s)), (text, cleaned)
        assert "<redacted>" in cleaned
