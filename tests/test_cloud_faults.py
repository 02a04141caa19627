"""Cloud API faults: the AWS front, Google's stand-ins, Azure's, and Harbor's API answer
500/503/429 for a while (retried to success) or for good (one clear error, bounded time).

The stand-ins and fixtures are the providers' own (tests/support/fixtures_*.py, pytest plugins);
each stand-in has a small fault switch: ``aws.fail[op]``, ``cloud.fail[permission]``,
``server.fail(path, statuses)`` (Azure) and ``harbor.api_fail``.
"""

from __future__ import annotations

import json
import time

import pytest

from binderhub_registry_hook.cli import main
from binderhub_registry_hook.errors import HookError
from tests.support.aws import write_values as ecr_values
from tests.support.evidence import record
from tests.support.google import provision_setup
from tests.support.harbor import block as harbor_block
from tests.support.inprocess import ecr_resolve

MARGIN = 4.0  # seconds beyond the configured retry budget: the last attempt's own time


def cli(capsys, *argv) -> tuple[int, str, str, float]:
    capsys.readouterr()
    start = time.monotonic()
    rc = main([str(a) for a in argv])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err.strip(), elapsed


def one_line_error(err: str, rc: int, exit_code: int) -> None:
    assert rc == exit_code, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err


# -- AWS (ECR, STS) --------------------------------------------------------------------------------------


@pytest.mark.parametrize("statuses", [[500], [503, 503], [429]], ids=["500", "503x2", "429"])
def test_aws_server_errors_then_ok(aws, ecr_registry, tmp_path, statuses):
    aws.seed_template("binder")
    aws.fail["GetAuthorizationToken"] = list(statuses)
    start = time.monotonic()
    r, _ = ecr_resolve(aws, ecr_values(tmp_path, ecr_registry, mode="validate"), max_attempts=3)
    elapsed = time.monotonic() - start
    record("cloud API, transient", f"AWS ecr:GetAuthorizationToken {statuses}", "ok (retried)", elapsed, 8)
    assert r.probe.push.status == 202
    assert len(aws.calls_of("GetAuthorizationToken")) == len(statuses) + 1
    assert elapsed < 8


@pytest.mark.parametrize("op, status", [("GetAuthorizationToken", 503), ("GetCallerIdentity", 500)])
def test_aws_server_errors_persist(aws, ecr_registry, tmp_path, op, status):
    aws.seed_template("binder")
    aws.fail[op] = [status] * 50
    start = time.monotonic()
    with pytest.raises(HookError) as info:
        ecr_resolve(aws, ecr_values(tmp_path, ecr_registry, mode="validate"), max_attempts=3)
    elapsed = time.monotonic() - start
    e = info.value
    record("cloud API, persistent", f"AWS {op} {status}", f"exit {e.exit_code}", elapsed, 8, message=str(e))
    assert e.exit_code == 4 and len(str(e).splitlines()) == 1, str(e)
    assert op in str(e) and str(status) in str(e) + repr(e), str(e)
    assert len(aws.calls_of(op)) == 3  # bounded attempts
    assert elapsed < 8


# -- Google (Artifact Registry REST, IAM gRPC) --------------------------------------------------------------


@pytest.mark.parametrize("permission, statuses", [
    ("artifactregistry.repositories.get", [503, 500]),
    ("artifactregistry.repositories.get", [429]),
    ("iam.serviceAccounts.get", [503]),
], ids=["ar-rest-503-500", "ar-rest-429", "iam-grpc-503"])
def test_google_api_errors_then_ok(cloud, google_registry, tmp_path, capsys, permission, statuses):
    values, creds = provision_setup(cloud, tmp_path, google_registry)
    cloud.fail[permission] = list(statuses)
    rc, out, err, elapsed = cli(capsys, "validate", "-f", values, "--credentials", creds)
    record("cloud API, transient", f"Google {permission} {statuses}", f"exit {rc}", elapsed, 2 + MARGIN)
    assert rc == 0, err
    assert cloud.fail[permission] == []  # every fault was met, and retried past
    assert elapsed < 2 + MARGIN


@pytest.mark.parametrize("permission, status", [
    ("artifactregistry.repositories.get", 503),
    ("iam.serviceAccounts.get", 500),
], ids=["ar-rest-503", "iam-grpc-500"])
def test_google_api_errors_persist(cloud, google_registry, tmp_path, capsys, permission, status):
    values, creds = provision_setup(cloud, tmp_path, google_registry)  # retryFor: 2
    cloud.fail[permission] = [status] * 100
    rc, out, err, elapsed = cli(capsys, "validate", "-f", values, "--credentials", creds)
    record("cloud API, persistent", f"Google {permission} {status}", f"exit {rc}", elapsed, 2 + MARGIN, message=err)
    one_line_error(err, rc, 4)
    assert "gave up after 2s of retries" in err, err
    assert 2 <= 100 - len(cloud.fail[permission]) <= 20  # retried, and bounded
    assert elapsed < 2 + MARGIN


# -- Azure (Entra token endpoint, ARM) ----------------------------------------------------------------------


@pytest.fixture
def azure_faults(azure):
    """The Azure stand-ins are shared by the module: no fault outlives its test."""
    yield azure
    for server in (azure.authority, azure.arm):
        server._faults.clear()


def azure_sp(azure, contributor=False):
    sp = azure.service_principal(role=None if contributor else "AcrPush", contributor=contributor)
    return sp, azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)


@pytest.mark.parametrize("server, path, statuses, headers, mode", [
    ("authority", "/oauth2/v2.0/token", [503], {}, "validate"),
    ("authority", "/oauth2/v2.0/token", [500], {}, "validate"),
    ("arm", "/scopeMaps/", [503], {}, "provision"),
    ("arm", "/tokens/", [429], {"Retry-After": "1"}, "provision"),
], ids=["entra-503", "entra-500", "arm-503", "arm-429-retry-after"])
def test_azure_errors_then_ok(azure_faults, capsys, server, path, statuses, headers, mode):
    azure = azure_faults
    sp, creds = azure_sp(azure, contributor=mode == "provision")
    getattr(azure, server).fail(path, statuses, headers)
    rc, out, err, elapsed = cli(capsys, "validate", "-f", azure.values(mode=mode), "--credentials", creds)
    record("cloud API, transient", f"Azure {server} {path} {statuses}", f"exit {rc}", elapsed, 8)
    assert rc == 0, err
    assert [q for q in getattr(azure, server).requests if q.get("fault")], "the fault was not met"
    assert elapsed < 8


@pytest.mark.parametrize("server, path, status, mode, exit_code", [
    ("authority", "/oauth2/v2.0/token", 503, "validate", 4),
    ("arm", "/scopeMaps/", 500, "provision", 4),
], ids=["entra-503", "arm-500"])
def test_azure_errors_persist(azure_faults, capsys, server, path, status, mode, exit_code):
    azure = azure_faults
    sp, creds = azure_sp(azure, contributor=mode == "provision")
    getattr(azure, server).fail(path, [status] * 50)
    rc, out, err, elapsed = cli(capsys, "validate", "-f", azure.values(mode=mode), "--credentials", creds)
    faults = [q for q in getattr(azure, server).requests if q.get("fault")]
    record("cloud API, persistent", f"Azure {server} {path} {status}", f"exit {rc}", elapsed, 10,
           attempts=len(faults), message=err)
    one_line_error(err, rc, exit_code)
    assert err.startswith("error: registry error: ") and f"HTTP {status}" in err, err  # an outage, said so
    assert sp.secret not in out + err
    assert 2 <= len(faults) <= 5, faults  # retried, and bounded
    assert elapsed < 10


# -- Harbor API ----------------------------------------------------------------------------------------------


def harbor_provision(harbor, tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_ADMINUSERNAME", "admin")
    monkeypatch.setenv("REGISTRY_ADMINPASSWORD", harbor.admins["admin"])
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": harbor_block(harbor, mode="provision", harbor={"robot": {}},
                                                           timeouts={"connect": 1, "read": 5, "retryFor": 2})}))
    return values


@pytest.mark.parametrize("faults", [[(503,), (500,)], [(429, {"Retry-After": "1"})]], ids=["503-500", "429"])
def test_harbor_api_errors_then_ok(harbor, tmp_path, monkeypatch, capsys, faults):
    harbor.api_fail = list(faults)
    rc, out, err, elapsed = cli(capsys, "validate", "-f", harbor_provision(harbor, tmp_path, monkeypatch))
    record("cloud API, transient", f"Harbor API {[f[0] for f in faults]}", f"exit {rc}", elapsed, 2 + MARGIN)
    assert rc == 0, err
    assert [c[2] for c in harbor.calls[:len(faults) + 1]] == [f[0] for f in faults] + [404]  # then: no project
    assert elapsed < 2 + MARGIN


def test_harbor_api_errors_persist(harbor, tmp_path, monkeypatch, capsys):
    harbor.api_fail = [(503,)] * 100
    rc, out, err, elapsed = cli(capsys, "validate", "-f", harbor_provision(harbor, tmp_path, monkeypatch))
    record("cloud API, persistent", "Harbor API 503", f"exit {rc}", elapsed, 2 + MARGIN, message=err)
    one_line_error(err, rc, 4)
    assert "HTTP 503" in err and "gave up after 2s of retries" in err, err
    assert harbor.admins["admin"] not in out + err
    assert 2 <= 100 - len(harbor.api_fail) <= 20
    assert elapsed < 2 + MARGIN
