"""Google Artifact Registry: the provider against local stand-ins that speak Google's protocols.

A fake project (tests/support/google.py) serves the IAM Admin API over gRPC, Artifact
Registry's REST API and an OAuth token endpoint; a real registry sits behind an auth front
that accepts Google's registry logins and grants by the repositories' IAM policies.  The
clients are the real ones (google-cloud-iam, google-cloud-artifact-registry, google-auth).
"""

from __future__ import annotations

import argparse
import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from binderhub_registry_hook import cli
from binderhub_registry_hook.errors import CloudDenied, InputError, PushDenied, SpecError
from binderhub_registry_hook.providers import load
from binderhub_registry_hook.providers.google.naming import repository
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.spec import RegistrySpec
from tests.support import skopeo_push
from tests.support.charts import chart_expects_expiry
from tests.support.google import (
    API_AR,
    API_IAM,
    PROJECT,
    ROLE_READER,
    ROLE_WRITER,
    builder_key,
    provision_setup,
    start_registry,
    write_credentials,
    write_values,
)
from tests.support.inprocess import resolve_args


@pytest.fixture
def registry(google_registry):
    """This module's registry: the Artifact Registry stand-in."""
    return google_registry


@pytest.fixture
def nowhere():
    """Values for runs that must fail before any registry is contacted (nothing listens here)."""
    return argparse.Namespace(url="http://127.0.0.1:9", host="127.0.0.1:9")


def resolve(values, credentials=None, *, previous=None, clients=None, **lifecycle):
    report = Report()
    return cli.resolve(resolve_args(values, credentials), report, previous=previous, clients=clients,
                       **lifecycle), report


def run_cli(capsys, *argv):
    code = cli.main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


# -- service-account keys ---------------------------------------------------------------


def test_json_key_pushes_and_outputs_work_with_skopeo(cloud, registry, tmp_path, oci_image):
    key = builder_key(cloud)
    values = write_values(tmp_path, registry)
    r, report = resolve(values, write_credentials(tmp_path, key_json=key))

    assert r.credentials.username == "_json_key" and r.credentials.expires_at is None
    assert r.credentials.password.reveal() == key.strip()
    assert r.target.auth_key == registry.host
    ts = registry.token_server
    assert r.outputs.settings == {
        "BinderHub": {"image_prefix": f"{registry.host}/{PROJECT}/binder/prod-", "use_registry": True},
        "DockerRegistry": {"url": registry.url, "auth_config_url": registry.host,
                           "token_url": f"{ts.realm}?service={ts.service}"},
    }
    assert r.probe.push.status == 202
    assert any("binderhub-builder@" in s for _, s in report.steps)
    # A real client pushes with exactly the config.json the hook wrote.
    authfile = tmp_path / "config.json"
    authfile.write_text(r.outputs.config_json.reveal())
    push = skopeo_push(authfile, f"{registry.host}/{PROJECT}/binder/prod-image:v1", image=oci_image)
    assert push.returncode == 0, push.stderr


def test_json_key_base64_login_from_a_base64_stored_key(cloud, registry, tmp_path):
    key = builder_key(cloud)
    stored = base64.b64encode(key.encode()).decode()  # some keep the key base64-encoded
    values = write_values(tmp_path, registry, login="_json_key_base64", keyKey="sa")
    r, _ = resolve(values, write_credentials(tmp_path, sa=stored))
    assert r.credentials.username == "_json_key_base64"
    assert json.loads(base64.b64decode(r.credentials.password.reveal())) == json.loads(key)
    assert r.probe.push.status == 202


def test_key_with_only_reader_role_cannot_push(cloud, registry, tmp_path):
    values = write_values(tmp_path, registry)
    with pytest.raises(PushDenied) as e:
        resolve(values, write_credentials(tmp_path, key_json=builder_key(cloud, role=ROLE_READER)))
    msg = str(e.value)
    assert f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com may not push to repository binder" in msg
    assert "grants pull" in msg and "add-iam-policy-binding binder" in msg and ROLE_WRITER in msg


def test_deleted_key_is_rejected_by_the_registry(cloud, registry, tmp_path, capsys):
    key = builder_key(cloud)
    cloud.keys.clear()
    values = write_values(tmp_path, registry)
    code, _, err = run_cli(capsys, "validate", "-f", values, "--credentials", write_credentials(tmp_path, key_json=key))
    assert code == 3 and "credentials rejected" in err and "refused the key of binderhub-builder@" in err
    assert "HTTP 401" in err and "keys list" in err
    assert json.loads(key)["private_key"].splitlines()[1] not in err


@pytest.mark.parametrize("broken, says", [
    (lambda k: k[: len(k) // 2], "not valid JSON"),
    (lambda k: json.dumps({**json.loads(k), "type": "authorized_user"}), "not a service-account key"),
    (lambda k: json.dumps({**json.loads(k), "private_key": ""}), "has no private_key"),
    (lambda k: "%%%" + k[:40], "neither JSON nor base64"),
])
def test_malformed_key_is_one_line_without_key_material(cloud, nowhere, tmp_path, capsys, broken, says):
    key = builder_key(cloud)
    values = write_values(tmp_path, nowhere)
    code, out, err = run_cli(capsys, "validate", "-f", values, "--credentials",
                             write_credentials(tmp_path, key_json=broken(key)))
    assert code == 2, err
    assert says in err and "key.json" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    private = json.loads(key)["private_key"]
    for line in private.splitlines()[1:-1]:
        assert line not in err and line not in out


def test_key_for_another_project(cloud, registry, tmp_path, capsys):
    key = builder_key(cloud, project="other-project")
    creds = write_credentials(tmp_path, key_json=key)
    code, _, err = run_cli(capsys, "validate", "-f", write_values(tmp_path, registry), "--credentials", creds)
    assert code == 2
    assert "project other-project" in err and f"pushes to project {PROJECT}" in err and "crossProjectKey" in err
    # Granted across projects on purpose: accepted when said so.
    r, _ = resolve(write_values(tmp_path, registry, crossProjectKey=True), creds)
    assert r.probe.push.status == 202


# -- workload identity --------------------------------------------------------------------


def workload_identity(cloud):
    """What google.auth.default() returns on GKE, as a real google-auth credential whose
    refresh goes to the fake project's token endpoint."""
    from google.oauth2 import service_account

    email = cloud.add_service_account("binderhub-wi")
    cloud.grant(cloud.add_repository("binder"), ROLE_WRITER, f"serviceAccount:{email}")
    info = json.loads(cloud.new_key(email))
    return lambda scopes: service_account.Credentials.from_service_account_info(info, scopes=scopes)


def test_workload_identity_access_token(cloud, registry, tmp_path):
    values = write_values(tmp_path, registry, auth="workloadIdentity")
    r, report = resolve(values, clients={"google.credentials": workload_identity(cloud)})
    assert r.credentials.username == "oauth2accesstoken"
    assert r.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=False)
    left = r.credentials.expires_at - datetime.now(timezone.utc)
    assert timedelta(minutes=55) < left <= timedelta(hours=1)
    assert r.credentials.password.reveal() in cloud.tokens
    assert r.probe.push.status == 202
    assert "token_url" in r.outputs.settings["DockerRegistry"]
    assert "registry_class" not in r.outputs.settings["BinderHub"]


def test_application_default_credentials_from_a_key_file(cloud, registry, tmp_path, monkeypatch, capsys):
    """No injected factory: google.auth.default() itself, as with GOOGLE_APPLICATION_CREDENTIALS."""
    email = cloud.add_service_account("binderhub-adc")
    cloud.grant(cloud.add_repository("binder"), ROLE_WRITER, f"serviceAccount:{email}")
    adc = tmp_path / "adc.json"
    adc.write_text(cloud.new_key(email))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    values = write_values(tmp_path, registry, auth="workloadIdentity")
    code, out, err = run_cli(capsys, "explain", "-f", values)
    assert code == 0, out + err
    assert f"access token of {email}" in out and "oauth2accesstoken:<redacted>" in out
    for token in cloud.tokens:
        assert token not in out + err

    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    code, _, err = run_cli(capsys, "validate", "-f", values)
    assert code == 2 and "no Google identity found" in err and "iam.gke.io/gcp-service-account" in err


def test_explain_shows_no_key_material(cloud, registry, tmp_path, capsys):
    key = builder_key(cloud)
    values = write_values(tmp_path, registry)
    code, out, err = run_cli(capsys, "explain", "-vv", "-f", values, "--credentials",
                             write_credentials(tmp_path, key_json=key))
    assert code == 0, out + err
    assert "_json_key:<redacted>" in out
    info = json.loads(key)
    for line in info["private_key"].splitlines()[1:-1]:
        assert line not in out and line not in err
    assert base64.b64encode(f"_json_key:{key.strip()}".encode()).decode()[:40] not in out + err


def test_auto_auth_uses_the_key_when_there_is_one(cloud, registry, tmp_path, monkeypatch):
    monkeypatch.delenv("REGISTRY_KEY_JSON", raising=False)
    # As the chart's users write it: the key under registry.credentials.passwordKey.
    values = write_values(tmp_path, registry, extra={"credentials": {"passwordKey": "gcp.json"}})
    r, report = resolve(values, write_credentials(tmp_path, gcp_json=builder_key(cloud)))
    assert r.credentials.username == "_json_key" and not r.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=True) is r.credentials.short_lived is False
    # Nothing where the credentials are: the pod's own identity, an access token.
    r, report = resolve(write_values(tmp_path, registry), None,
                        clients={"google.credentials": workload_identity(cloud)})
    assert r.credentials.username == "oauth2accesstoken" and r.credentials.short_lived
    assert chart_expects_expiry(write_values(tmp_path, registry), existing_secret=False) is r.credentials.short_lived
    assert any("auth: workloadIdentity" in s for _, s in report.steps)


def test_workload_identity_with_binderhub_registry_class(cloud, registry, tmp_path):
    values = write_values(tmp_path, registry, auth="workloadIdentity", binderhubRegistryClass=True)
    r, report = resolve(values, clients={"google.credentials": workload_identity(cloud)})
    assert r.outputs.settings["BinderHub"]["registry_class"] == "binderhub.registry.GoogleArtifactRegistry"
    # The class gets its tokens from the metadata server: its own token_url default must stand.
    assert "token_url" not in r.outputs.settings["DockerRegistry"]
    assert r.probe.pull.status == 404  # the lookup was still proven with the challenge's token url
    assert any("roles/artifactregistry.reader" in s for _, s in report.steps)


# -- provisioning --------------------------------------------------------------------------


def test_provision_creates_everything_then_reuses_it(cloud, registry, tmp_path):
    values, creds = provision_setup(cloud, tmp_path, registry)
    r, report = resolve(values, creds)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    repo = cloud.repository_name("binder")
    assert email in cloud.service_accounts and repo in cloud.repositories
    assert cloud.roles_of(email, repo) == {ROLE_WRITER}
    assert len(cloud.live_keys(email)) == 1
    assert r.credentials.username == "_json_key"
    assert json.loads(r.credentials.password.reveal())["client_email"] == email
    assert chart_expects_expiry(values, existing_secret=True) is r.credentials.short_lived is False
    assert r.probe.push.status == 202
    steps = " | ".join(s for _, s in report.steps)
    assert "created service account" in steps and "created Docker repository" in steps and "granted" in steps

    # Re-run with what the output Secret now holds: nothing new, the same key.
    before = {m: cloud.count(m) for m in ("CreateServiceAccount", "CreateRepository", "setIamPolicy",
                                          "CreateServiceAccountKey")}
    again, report = resolve(values, creds, previous=r.outputs.secret_data())
    assert {m: cloud.count(m) for m in before} == before
    assert len(cloud.live_keys(email)) == 1
    assert again.outputs.config_json == r.outputs.config_json
    assert any("reusing key" in s for _, s in report.steps)

    # The key was deleted meanwhile: exactly one new key.
    [old] = cloud.live_keys(email)
    del cloud.keys[old.id]
    third, report = resolve(values, creds, previous=again.outputs.secret_data())
    assert cloud.count("CreateServiceAccountKey") == before["CreateServiceAccountKey"] + 1
    assert third.outputs.config_json != r.outputs.config_json
    assert third.probe.push.status == 202


def test_provision_keeps_existing_bindings_and_adds_the_writer(cloud, registry, tmp_path):
    repo = cloud.add_repository("binder")
    cloud.grant(repo, ROLE_READER, "group:people@example.org")
    values, creds = provision_setup(cloud, tmp_path, registry)
    resolve(values, creds)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    assert cloud.count("CreateRepository") == 0
    assert cloud.roles_of(email, repo) == {ROLE_WRITER}
    assert {"role": ROLE_READER, "members": ["group:people@example.org"]} in cloud.policies[repo]["bindings"]


def test_provision_retries_a_policy_changed_meanwhile(cloud, registry, tmp_path):
    cloud.policy_races = 1
    values, creds = provision_setup(cloud, tmp_path, registry)
    r, _ = resolve(values, creds)
    assert cloud.count("setIamPolicy") == 2 and cloud.policy_races == 0
    assert r.probe.push.status == 202


@pytest.mark.parametrize("api, call", [(API_AR, "reading repository"), (API_IAM, "reading service account")])
def test_provision_api_not_enabled(cloud, nowhere, tmp_path, capsys, api, call):
    cloud.disabled_apis.add(api)
    values, creds = provision_setup(cloud, tmp_path, nowhere)
    code, _, err = run_cli(capsys, "validate", "-f", values, "--credentials", creds)
    assert code == 3
    assert f"the {api} API is not enabled in project {PROJECT}" in err
    assert f"gcloud services enable {api}" in err and call in err


def test_provision_permission_denied_names_the_role(cloud, nowhere, tmp_path):
    cloud.denied.add("iam.serviceAccountKeys.create")
    values, creds = provision_setup(cloud, tmp_path, nowhere)
    with pytest.raises(CloudDenied) as e:
        resolve(values, creds)
    msg = str(e.value)
    assert "hook-admin@" in msg and "iam.serviceAccountKeys.create" in msg
    assert "roles/iam.serviceAccountKeyAdmin" in msg


def test_provision_without_repository_creation(cloud, nowhere, tmp_path, capsys):
    values, creds = provision_setup(cloud, tmp_path, nowhere, createRepository=False)
    code, _, err = run_cli(capsys, "validate", "-f", values, "--credentials", creds)
    assert code == 3 and "does not exist" in err and cloud.count("CreateRepository") == 0


# -- gcr.io ---------------------------------------------------------------------------------


def target_of(block: dict):
    """The pure plan: (the Artifact Registry repository, the target, its warnings)."""
    spec = RegistrySpec.from_values({"registry": {"type": "google", **block}})
    provider = load(spec)
    options = provider.options(spec)
    target = provider.plan(spec, options)
    return repository(target.image_prefix, options, spec.mode), target, list(target.warnings)


@pytest.mark.parametrize("host, ar_host", [("gcr.io", "us-docker.pkg.dev"), ("eu.gcr.io", "europe-docker.pkg.dev")])
def test_gcr_io_warns_about_the_shutdown(host, ar_host):
    _, target, warnings = target_of({"imagePrefix": f"{host}/my-project/binder-"})
    assert target.url == f"https://{host}" and target.token_url is None
    [warning] = warnings
    assert "2025-03-18" in warning and f"{ar_host}/my-project/REPOSITORY/binder-" in warning
    assert "gcrHosted" in warning


def test_gcr_hosted_repository_is_accepted_without_warning():
    repo, target, warnings = target_of({"imagePrefix": "eu.gcr.io/my-project/binder-",
                                        "google": {"gcrHosted": True}})
    assert warnings == []
    assert repo.name == "projects/my-project/locations/europe/repositories/eu.gcr.io"


def test_gcr_hosted_repository_push(cloud, tmp_path):
    email = cloud.add_service_account("binderhub-builder")
    cloud.grant(cloud.add_repository("gcr.io", "us"), ROLE_WRITER, f"serviceAccount:{email}")
    reg, auth = start_registry(cloud, tmp_path / "gcr", gcr_repository="gcr.io", location="us")
    try:
        values = write_values(tmp_path, reg, prefix=f"{PROJECT}/binder-", gcrHosted=True)
        r, report = resolve(values, write_credentials(tmp_path, key_json=cloud.new_key(email)))
        assert r.probe.push.status == 202 and report.warnings == []
    finally:
        reg.stop()
        auth.stop()


def test_artifact_registry_names_from_the_prefix():
    repo, target, _ = target_of({"imagePrefix": "us-central1-docker.pkg.dev/my-project/binder/prod-"})
    assert target.url == "https://us-central1-docker.pkg.dev"
    assert target.auth_key == "us-central1-docker.pkg.dev"
    assert repo.name == "projects/my-project/locations/us-central1/repositories/binder"


@pytest.mark.parametrize("block, path, says", [
    ({"imagePrefix": "us-docker.pkg.dev/my-project/prod-"}, "registry.imagePrefix", "REPOSITORY"),
    ({"imagePrefix": "us-docker.pkg.dev/my-project/binder/x-", "google": {"project": "other-proj"}},
     "registry.google.project", "names 'my-project'"),
    ({"imagePrefix": "us-docker.pkg.dev/my-project/binder/x-", "google": {"location": "europe"}},
     "registry.google.location", "'us'"),
    ({"imagePrefix": "gcr.io/my-project/x-", "mode": "provision"}, "registry.google.gcrHosted", "2025-03-18"),
    ({"imagePrefix": "us-docker.pkg.dev/p-1234/b/x-", "google": {"gcrHosted": True}}, "registry.google.gcrHosted",
     "not gcr.io"),
    ({"imagePrefix": "us-docker.pkg.dev/my-project/b/x-", "mode": "provision",
      "google": {"auth": "workloadIdentity"}}, "registry.google.auth", "serviceAccountKey"),
    ({"imagePrefix": "us-docker.pkg.dev/my-project/b/x-", "google": {"binderhubRegistryClass": True}},
     "registry.google.auth", "missing"),
    ({"imagePrefix": "us-docker.pkg.dev/my-project/b/x-", "google": {"project": "My_Project"}},
     "registry.google.project", "not valid"),
])
def test_bad_values(block, path, says):
    with pytest.raises(SpecError) as e:
        target_of(block)
    assert e.value.path == path and says in str(e.value)


def test_google_block_only_with_type_google():
    with pytest.raises(SpecError) as e:
        RegistrySpec.from_values({"registry": {"type": "generic", "url": "https://r.example.org",
                                               "imagePrefix": "r.example.org/a/b-", "google": {}}})
    assert e.value.path == "registry.type"


def test_key_errors_are_input_errors():
    from binderhub_registry_hook.providers.google import parse_key
    from binderhub_registry_hook.secrets import Secret

    with pytest.raises(InputError) as e:
        parse_key(Secret(json.dumps({"type": "external_account", "audience": "x"})), "file k")
    assert "workload identity federation" in str(e.value) and "workloadIdentity" in str(e.value)


# -- rotation (mode: provision), make-before-break; time moves by the injected clock ----------


def at(days: float):
    """A clock ``days`` from now (no sleeping: the run reads this clock)."""
    when = datetime.now(timezone.utc) + timedelta(days=days)
    return lambda: when


def works(cloud, creds) -> bool:
    return cloud.verify_key_json(creds.password.reveal()) is not None


def test_key_rotation_is_make_before_break_and_keeps_at_most_two_keys(cloud, registry, tmp_path):
    values, admin = provision_setup(cloud, tmp_path, registry, keyRotationDays=90)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    first, _ = resolve(values, admin)
    [old] = cloud.live_keys(email)
    assert first.credentials.renew_at is not None and first.credentials.retire == ()

    # Day 89: not due; the key is reused and nothing is created.
    r, report = resolve(values, admin, previous=first.outputs.secret_data(), clock=at(89))
    assert r.outputs.config_json == first.outputs.config_json and len(cloud.live_keys(email)) == 1

    # Day 91: due. A new key is made and probed while the old one stays live and working.
    r, report = resolve(values, admin, previous=first.outputs.secret_data(), clock=at(91))
    new = json.loads(r.credentials.password.reveal())["private_key_id"]
    assert new != old.id and r.probe.push.status == 202
    assert {k.id for k in cloud.live_keys(email)} == {old.id, new}  # two, never more
    assert works(cloud, first.credentials), "the old key was broken before the new one was written"
    assert r.credentials.retire == (old.id,) and r.credentials.ref == new
    assert "due for rotation" in report.render()

    # Only after the write and the roll (the sink calls this) does the old key go.
    assert r.retire() == [old.id]
    assert [k.id for k in cloud.live_keys(email)] == [new] and not works(cloud, first.credentials)


def test_rotation_whose_probe_fails_leaves_the_old_key_in_place_and_working(cloud, registry, tmp_path):
    values, admin = provision_setup(cloud, tmp_path, registry)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    first, _ = resolve(values, admin)
    previous = first.outputs.secret_data()

    cloud.new_keys_unusable = True  # the new key is made, but the registry refuses it
    with pytest.raises(Exception) as failed:
        resolve(values, admin, previous=previous, clock=at(91))
    assert "refused the key" in str(failed.value)
    assert works(cloud, first.credentials) and len(cloud.live_keys(email)) == 2
    # The old key still proves push, as the output Secret (left unchanged) holds it.
    again, _ = resolve(values, admin, previous=previous)
    assert again.outputs.config_json == first.outputs.config_json and again.probe.push.status == 202

    # The next due check deletes the leftover before creating: still never more than two.
    cloud.new_keys_unusable = False
    r, report = resolve(values, admin, previous=previous, clock=at(91))
    assert len(cloud.live_keys(email)) == 2 and works(cloud, first.credentials)
    assert "a leftover, not in the output Secret" in report.render()
    r.retire()
    assert len(cloud.live_keys(email)) == 1 and works(cloud, r.credentials)


def test_rotation_claimed_by_another_run_keeps_the_key(cloud, registry, tmp_path):
    values, admin = provision_setup(cloud, tmp_path, registry)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    first, _ = resolve(values, admin)
    asked = []
    r, report = resolve(values, admin, previous=first.outputs.secret_data(), clock=at(91),
                        claim=lambda what: asked.append(what) or False)
    assert asked == [f"rotate the key of {email}"]
    assert r.outputs.config_json == first.outputs.config_json and len(cloud.live_keys(email)) == 1
    assert r.credentials.retire == () and "another run is rotating it" in report.render()


def test_runs_that_do_not_know_the_key_in_use_delete_no_key(cloud, registry, tmp_path, capsys):
    """validate and explain read no output Secret: they may create a key, never delete one."""
    values, admin = provision_setup(cloud, tmp_path, registry, keyRotationDays=90)
    first, _ = resolve(values, admin)
    for command in ("validate", "explain", "validate"):
        code = cli.main([command, "-f", str(values), "--credentials", str(admin)], clock=at(91))
        out, err = capsys.readouterr()
        assert code == 0, out + err
    assert works(cloud, first.credentials) and cloud.count("DeleteServiceAccountKey") == 0


def test_leftover_keys_are_retired_once_the_key_in_use_is_written_again(cloud, registry, tmp_path):
    values, admin = provision_setup(cloud, tmp_path, registry)
    email = f"binderhub-builder@{PROJECT}.iam.gserviceaccount.com"
    first, _ = resolve(values, admin)
    stray = json.loads(cloud.new_key(email))["private_key_id"]  # e.g. a rotation that died after creating
    r, _ = resolve(values, admin, previous=first.outputs.secret_data())
    assert r.credentials.retire == (stray,)
    r.retire()
    assert len(cloud.live_keys(email)) == 1 and works(cloud, first.credentials)
