"""Azure Container Registry: real azure-identity and azure-mgmt-containerregistry against local
HTTPS stand-ins (Entra authority, ACR's oauth2 front, ARM) in front of a real registry that
trusts the ACR tokens; skopeo pushes with the config.json the hook wrote."""

from __future__ import annotations

import base64
import io
import json
import sys
import uuid
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from binderhub_registry_hook import cli
from binderhub_registry_hook.errors import CredentialsRejected, SpecError
from binderhub_registry_hook.providers import plan
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.spec import RegistrySpec
from tests.support import skopeo_push
from tests.support.azure import (
    NULL_GUID,
    federated_token,
)
from tests.support.charts import chart_expects_expiry

OIDC_ISSUER = "https://oidc.aks.test/issuer"
HOOK_SUBJECT = "system:serviceaccount:binder:binderhub-registry-hook"


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def resolve(values, creds=None, previous=None, **lifecycle):
    args = cli.build_parser().parse_args(["validate", "-f", str(values)] +
                                         (["--credentials", str(creds)] if creds else []))
    return cli.resolve(args, Report(), previous=previous, **lifecycle)


def auth_of(outputs, key):
    entry = json.loads(outputs.config_json.reveal())["auths"][key]
    user, _, password = base64.b64decode(entry["auth"]).decode().partition(":")
    return user, password


def push_with(azure, outputs, repo, tmp_path, oci_image):
    """skopeo pushes with exactly the config.json the hook wrote."""
    config = tmp_path / f"config-{uuid.uuid4().hex[:6]}.json"
    config.write_text(outputs.config_json.reveal())
    return skopeo_push(config, f"{azure.registry.host}/{repo}:latest", image=oci_image,
                       cert_dir=azure.registry.cert_dir)


# -- validate: service principal, workload identity ------------------------------------------------


def test_service_principal_secret_written_directly(azure, capsys, tmp_path, oci_image):
    sp = azure.service_principal()
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    values = azure.values()
    code, out, err = run(["validate", "-f", str(values), "--credentials", str(creds)], capsys)
    assert code == 0, err
    assert f"ok: {sp.client_id} on {azure.registry.host}: push and pull verified" in out
    assert sp.secret not in out + err

    r = resolve(values, creds)
    assert r.credentials.username == sp.client_id and not r.credentials.short_lived
    assert auth_of(r.outputs, azure.registry.url) == (sp.client_id, sp.secret)
    assert r.outputs.settings["DockerRegistry"]["token_url"] == \
        f"{azure.acr.url}/oauth2/token?service=bindertestacr.azurecr.io"
    assert r.outputs.settings["BinderHub"]["image_prefix"] == f"{azure.registry.host}/binder/prod-"
    assert r.credentials.expires_at is None
    assert chart_expects_expiry(values, existing_secret=True) is r.credentials.short_lived
    # Entra proved tenant, id and secret first; no exchange in this mode.
    assert [q["status"] for q in azure.authority.requests if q["path"] == "token"] == [200, 200]
    assert azure.acr.exchanges == []
    # A real client pushes with the written config.json.
    push = push_with(azure, r.outputs, "binder/prod-repo", tmp_path, oci_image)
    assert push.returncode == 0, push.stderr


def test_workload_identity_exchanges_for_a_refresh_token(azure, capsys, tmp_path, oci_image, monkeypatch):
    app = azure.authority.add_app(federated=[(OIDC_ISSUER, HOOK_SUBJECT)])
    azure.acr.roles[app.client_id] = "AcrPush"
    token_file = tmp_path / "azure-identity-token"
    token_file.write_text(federated_token(OIDC_ISSUER, HOOK_SUBJECT))
    # As the AKS webhook injects them: values need neither client id nor token file.
    monkeypatch.setenv("AZURE_CLIENT_ID", app.client_id)
    monkeypatch.setenv("AZURE_FEDERATED_TOKEN_FILE", str(token_file))
    values = azure.values(auth="workloadIdentity")

    r = resolve(values)
    assert r.credentials.username == NULL_GUID
    assert r.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=False)
    lifetime = r.credentials.expires_in()
    assert timedelta(hours=2, minutes=55).total_seconds() < lifetime <= timedelta(hours=3).total_seconds()
    assert azure.acr.exchanges[-1] == {"grant_type": "access_token", "service": "bindertestacr.azurecr.io",
                                       "tenant": azure.authority.tenant_id, "status": 200}
    user, refresh = auth_of(r.outputs, azure.registry.url)
    assert user == NULL_GUID and jwt.decode(refresh, options={"verify_signature": False})["sub"] == app.client_id
    # The push scope was asked for at /oauth2/token, then the probe pushed.
    asked = [q for q in azure.acr.requests if q.get("status") == 200 and q["path"] == "/oauth2/token"]
    assert any(a["actions"] == ["push", "pull"] and a["name"] == "binder/prod-binderhub-registry-hook-probe"
               for q in asked for a in q["access"])
    assert any("exchange" in s and NULL_GUID in s for _, s in r.report.steps)
    push = push_with(azure, r.outputs, "binder/prod-wi", tmp_path, oci_image)
    assert push.returncode == 0, push.stderr

    # post-render refuses a 3-hour credential unless the refresher runs.
    monkeypatch.setattr(sys, "stdin", io.StringIO("kind: List\n"))
    code, out, err = run(["post-render", "-f", str(values)], capsys)
    assert code == 2 and "would die inside the Helm release" in err and refresh not in out + err


def test_service_principal_refresh_token_login(azure):
    sp = azure.service_principal()
    values = azure.values(dockerLogin="refreshToken", clientId=sp.client_id)
    r = resolve(values, azure.creds_file(clientSecret=sp.secret))
    assert r.credentials.username == NULL_GUID and r.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=True)
    assert sp.secret not in r.outputs.config_json.reveal()
    assert azure.acr.exchanges[-1]["status"] == 200


def test_prefix_gains_the_project_level(azure):
    spec = RegistrySpec.from_values(json.loads(azure.values(prefix="prod-").read_text()))
    target = plan(spec)
    assert target.image_prefix == f"{azure.registry.host}/binderhub/prod-"
    assert any("BinderHub issue 800" in w for w in target.warnings)
    assert target.token_url == f"{azure.acr.url}/oauth2/token?service=bindertestacr.azurecr.io"
    # Real ACR: everything derives from the registry name.
    spec = RegistrySpec.from_values({"registry": {"type": "azure", "imagePrefix": "myacr42.azurecr.io/b/p-",
                                                  "azure": {"registryName": "MyAcr42"}}})
    target = plan(spec)
    assert (target.url, target.token_url) == (
        "https://myacr42.azurecr.io", "https://myacr42.azurecr.io/oauth2/token?service=myacr42.azurecr.io")
    with pytest.raises(SpecError, match="registry.imagePrefix: starts with 'other.azurecr.io'"):
        spec = RegistrySpec.from_values({"registry": {"type": "azure", "imagePrefix": "other.azurecr.io/b/p-",
                                                      "azure": {"registryName": "MyAcr42"}}})
        plan(spec)


# -- errors: one line, the value to fix, no secret ------------------------------------------------------


def _fail(azure, capsys, values, creds=None):
    argv = ["validate", "-f", str(values)] + (["--credentials", str(creds)] if creds else [])
    code, out, err = run(argv, capsys)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return code, lines[0]


def test_wrong_tenant(azure, capsys):
    sp = azure.service_principal()
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    code, line = _fail(azure, capsys, azure.values(tenantId=str(uuid.uuid4())), creds)
    assert code == 3 and "AADSTS90002" in line and "registry.azure.tenantId" in line
    assert sp.secret not in line


def test_expired_and_wrong_secret(azure, capsys):
    sp = azure.service_principal(expired=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    code, line = _fail(azure, capsys, azure.values(), creds)
    assert code == 3 and "has expired (AADSTS7000222)" in line and "az ad app credential reset" in line
    assert sp.secret not in line
    sp = azure.service_principal()
    code, line = _fail(azure, capsys, azure.values(),
                       azure.creds_file(clientId=sp.client_id, clientSecret="not-" + sp.secret))
    assert code == 3 and "AADSTS7000215" in line and "key 'clientSecret'" in line and sp.secret not in line
    code, line = _fail(azure, capsys, azure.values(), azure.creds_file(clientId=sp.client_id))
    assert code == 2 and "no 'clientSecret'" in line


def test_missing_acrpush_role(azure, capsys):
    sp = azure.service_principal(role="AcrPull")
    code, line = _fail(azure, capsys, azure.values(),
                       azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret))
    assert code == 3 and "no push permission" in line and "AcrPush" in line and sp.secret not in line
    assert "ACR grants pull" in line


def test_registry_name_not_found(azure, capsys):
    sp = azure.service_principal()
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    # ACR names that do not exist do not resolve (.invalid never does).
    values = azure.values(dockerLogin="refreshToken", oauth2Url="https://nosuchacr.invalid")
    code, line = _fail(azure, capsys, values, creds)
    assert code == 4 and "no Azure container registry 'BinderTestAcr'" in line
    assert "registry.azure.registryName" in line


def test_federated_subject_mismatch(azure, capsys, tmp_path):
    app = azure.authority.add_app(federated=[(OIDC_ISSUER, HOOK_SUBJECT)])
    token_file = tmp_path / "token"
    token_file.write_text(federated_token(OIDC_ISSUER, "system:serviceaccount:other:default"))
    code, line = _fail(azure, capsys, azure.values(auth="workloadIdentity", clientId=app.client_id,
                                                   federatedTokenFile=str(token_file)))
    assert code == 3 and "AADSTS700213" in line and "federated credential" in line
    code, line = _fail(azure, capsys, azure.values(auth="workloadIdentity", clientId=app.client_id,
                                                   federatedTokenFile=str(tmp_path / "absent")))
    assert code == 2 and "azure.workload.identity/use" in line


def test_provision_needs_subscription_and_resource_group(azure, capsys):
    code, line = _fail(azure, capsys, azure.values(mode="provision", subscriptionId=None))
    assert code == 2 and line == "error: invalid value: registry.azure.subscriptionId: required value is missing"


# -- provisioning ---------------------------------------------------------------------------------------


def test_provision_creates_token_then_reuses_it(azure, capsys, tmp_path, oci_image):
    sp = azure.service_principal(role=None, contributor=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    values = azure.values(mode="provision", passwordExpiryDays=90)

    first = resolve(values, creds)
    user, password = auth_of(first.outputs, azure.registry.url)
    assert user == "binderhub-registry-hook" and not first.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=True) is False
    assert azure.state.scope_maps["binderhub-registry-hook"]["properties"]["actions"] == [
        "repositories/binder/*/content/read", "repositories/binder/*/content/write",
        "repositories/binder/*/metadata/read"]
    assert list(azure.state.passwords[user]) == ["password1"]
    value, expiry = azure.state.passwords[user]["password1"]
    assert value == password and timedelta(days=89) < expiry - datetime.now(timezone.utc) <= timedelta(days=90)
    writes = [q["method"] for q in azure.arm.requests if q["method"] != "GET"]
    assert writes == ["PUT", "PUT", "POST"]  # scope map, token, generateCredentials
    assert all(q["api_version"] for q in azure.arm.requests)
    # The token pushes under the project, and nowhere else.
    assert push_with(azure, first.outputs, "binder/prod-built", tmp_path, oci_image).returncode == 0
    other = push_with(azure, first.outputs, "other/prod-built", tmp_path, oci_image)
    assert other.returncode != 0

    # The refresh run sees the old Secret: nothing is written, the password is reused.
    n = len(azure.arm.requests)
    again = resolve(values, creds, previous=first.outputs.secret_data())
    assert auth_of(again.outputs, azure.registry.url) == (user, password)
    assert [q["method"] for q in azure.arm.requests[n:]] == ["GET", "GET", "GET"]
    assert any("reusing the previous password" in s for _, s in again.report.steps)

    # Close to expiry: a new password in the other slot; the running one keeps working.
    renew = azure.values(mode="provision", passwordExpiryDays=90, renewBeforeDays=120)
    rotated = resolve(renew, creds, previous=first.outputs.secret_data())
    new_user, new_password_ = auth_of(rotated.outputs, azure.registry.url)
    assert new_user == user and new_password_ != password
    assert sorted(azure.state.passwords[user]) == ["password1", "password2"]
    assert azure.state.token_for_password(user, password) == user

    # The provisioned token also validates on its own (auth: acrToken).
    token_creds = azure.creds_file(username=user, password=new_password_)
    assert resolve(azure.values(auth="acrToken"), token_creds).credentials.username == user

    # explain shows every step and no password.
    code, out, err = run(["explain", "-f", str(values), "--credentials", str(creds)], capsys)
    assert code == 0, out + err
    assert "scope map binderhub-registry-hook is up to date" in out
    for secret in (password, new_password_, sp.secret):
        assert secret not in out + err


def test_provision_existing_scope_map_is_corrected(azure):
    sp = azure.service_principal(role=None, contributor=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    azure.state.scope_maps["binderhub-registry-hook"] = {
        "id": f"{azure.state.id}/scopeMaps/binderhub-registry-hook", "name": "binderhub-registry-hook",
        "properties": {"actions": ["repositories/old/*/content/read"]}}
    r = resolve(azure.values(mode="provision"), creds)
    assert azure.state.scope_maps["binderhub-registry-hook"]["properties"]["actions"][0] == \
        "repositories/binder/*/content/read"
    assert any("updated scope map" in s for _, s in r.report.steps)
    assert [q["method"] for q in azure.arm.requests if q["method"] != "GET"] == ["PATCH", "PUT", "POST"]


def test_provision_errors(azure, capsys):
    sp = azure.service_principal(role="AcrPush")  # may push, may not manage the registry
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    azure.arm.readers.add(sp.client_id)
    code, line = _fail(azure, capsys, azure.values(mode="provision"), creds)
    assert code == 3 and "permission denied" in line and "may not create scope map" in line
    assert "AuthorizationFailed" in line and "Container Registry Contributor" in line

    azure.arm.contributors.add(sp.client_id)
    wrong = azure.creds_file(clientId=sp.client_id, clientSecret="not-" + sp.secret)
    code, line = _fail(azure, capsys, azure.values(mode="provision"), wrong)
    assert code == 3 and "AADSTS7000215" in line
    code, line = _fail(azure, capsys, azure.values(mode="provision", resourceGroup="no-such-rg"), creds)
    assert code == 3 and "registry.azure.resourceGroup" in line and "ResourceGroupNotFound" in line
    code, line = _fail(azure, capsys, azure.values(mode="provision", registryName="NoSuchAcr1",
                                                   prefix="binder/p-"), creds)
    assert code == 3 and "registry.azure.registryName" in line and "ResourceNotFound" in line
    assert sp.secret not in line


# -- rotation (mode: provision): the other password slot, then the old one removed ---------------


def at(days: float):
    when = datetime.now(timezone.utc) + timedelta(days=days)
    return lambda: when


def test_password_rotation_uses_the_other_slot_and_removes_the_old_after_the_write(azure):
    sp = azure.service_principal(role=None, contributor=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    values = azure.values(mode="provision", passwordExpiryDays=365, renewBeforeDays=30)
    first = resolve(values, creds)
    user, old = auth_of(first.outputs, azure.registry.url)
    assert first.credentials.ref == "password1" and first.credentials.renew_at is not None

    # Day 300: not due; reused as it is.
    again = resolve(values, creds, previous=first.outputs.secret_data(), previous_ref="password1", clock=at(300))
    assert auth_of(again.outputs, azure.registry.url) == (user, old) and again.credentials.retire == ()

    # Day 340: due. password2 gets a new password; password1 still works until the write and the roll.
    r = resolve(values, creds, previous=first.outputs.secret_data(), previous_ref="password1", clock=at(340))
    _, new = auth_of(r.outputs, azure.registry.url)
    assert new != old and r.credentials.ref == "password2" and r.credentials.retire == ("password1",)
    assert r.probe.push.status == 202
    assert azure.state.token_for_password(user, old) == user, "the old password broke before the write"
    assert r.credentials.valid_until > at(340)() + timedelta(days=364)

    assert r.retire() == ["password1"]  # the sink calls this after writing and rolling
    assert list(azure.state.passwords[user]) == ["password2"]
    assert azure.state.token_for_password(user, old) is None and azure.state.token_for_password(user, new) == user

    # The next rotation goes back to password1, and never touches the slot in use.
    r2 = resolve(values, creds, previous=r.outputs.secret_data(), previous_ref="password2", clock=at(700))
    assert r2.credentials.ref == "password1" and r2.credentials.retire == ("password2",)
    assert azure.state.token_for_password(user, new) == user


def test_password_rotation_whose_probe_fails_leaves_the_old_password_working(azure):
    sp = azure.service_principal(role=None, contributor=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    values = azure.values(mode="provision", passwordExpiryDays=365, renewBeforeDays=30)
    first = resolve(values, creds)
    user, old = auth_of(first.outputs, azure.registry.url)
    azure.state.new_passwords_unusable = True  # the new password exists but is refused
    with pytest.raises(CredentialsRejected):
        resolve(values, creds, previous=first.outputs.secret_data(), previous_ref="password1", clock=at(340))
    assert azure.state.token_for_password(user, old) == user  # still in place and accepted
    assert sorted(azure.state.passwords[user]) == ["password1", "password2"]
    # The output Secret keeps the old password, which still proves push.
    again = resolve(values, creds, previous=first.outputs.secret_data(), previous_ref="password1")
    assert auth_of(again.outputs, azure.registry.url) == (user, old) and again.probe.push.status == 202
    # The next due check writes password2 again, never password1 (in use).
    azure.state.new_passwords_unusable = False
    r = resolve(values, creds, previous=first.outputs.secret_data(), previous_ref="password1", clock=at(340))
    assert r.credentials.ref == "password2" and azure.state.token_for_password(user, old) == user
