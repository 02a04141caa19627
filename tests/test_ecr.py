"""Amazon ECR: moto (STS, ECR) behind an HTTP front that adds creation templates and faults,
and a real registry that accepts ``AWS:<token>`` as moto issues it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest
import yaml

from binderhub_registry_hook import cli
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsMissing,
    RegistryUnavailable,
    RepositoryMissing,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers import ecr
from binderhub_registry_hook.report import Report
from tests.support import free_port
from tests.support.aws import ACCOUNT, REGION, write_values
from tests.support.charts import chart_expects_expiry
from tests.support.inprocess import ecr_resolve, resolve_args

PROBE_REPO = "binder/prod-binderhub-registry-hook-probe"


def failure(aws, values, **kw):
    with pytest.raises(Exception) as info:
        ecr_resolve(aws, values, **kw)
    return info.value


# -- provisioning ---------------------------------------------------------------------------


def test_provision_creates_template_and_probe_repository_then_changes_nothing(aws, ecr_registry, tmp_path):
    values = write_values(tmp_path, ecr_registry, repositoryCreationTemplate={
        "lifecycle": {"expireAfterDays": 30}, "tags": {"team": "binder", "env": "prod"}})
    r, report = ecr_resolve(aws, values)

    # The exact body the real API expects: lifecyclePolicy is a JSON string, tags Key/Value.
    (body,) = aws.calls_of("CreateRepositoryCreationTemplate")
    policy = json.loads(body.pop("lifecyclePolicy"))
    assert body == {"prefix": "binder", "description": ecr.TEMPLATE_DESCRIPTION, "appliedFor": ["CREATE_ON_PUSH"],
                    "resourceTags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "binder"}]}
    assert policy == {"rules": [{
        "rulePriority": 1, "description": "Expire images not pulled for 30 days", "action": {"type": "expire"},
        "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30},
    }]}
    repo = aws.client("ecr").describe_repositories(repositoryNames=[PROBE_REPO])["repositories"][0]
    tags = aws.client("ecr").list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "binder", "env": "prod"}

    # Credentials: user AWS, moto's token, 12 hours; outputs say basic auth, no token url.
    assert r.credentials.username == "AWS"
    assert r.credentials.password.reveal() == aws.ecr_password()
    assert timedelta(hours=11) < r.credentials.expires_at - datetime.now(timezone.utc) <= timedelta(hours=12)
    assert r.credentials.short_lived
    assert chart_expects_expiry(values, existing_secret=False) is r.credentials.short_lived
    config = json.loads(r.outputs.config_json.reveal())
    assert base64.b64decode(config["auths"][ecr_registry.host]["auth"]).decode() == f"AWS:{aws.ecr_password()}"
    assert r.outputs.settings["DockerRegistry"] == {"url": ecr_registry.url, "auth_config_url": ecr_registry.host,
                                                    "token_url": ""}
    assert r.probe.push.status == 202
    steps = dict(report.steps)
    assert f"arn:aws:sts::{ACCOUNT}:user/moto" in steps["identity"]

    # Second run: reads only.
    before = len(aws.writes())
    _, again = ecr_resolve(aws, values)
    assert aws.writes()[before:] == []
    assert "unchanged" in dict(again.steps)["template"]
    assert PROBE_REPO in dict(again.steps)["repositories"]


def test_provision_updates_only_what_differs(aws, ecr_registry, tmp_path):
    aws.seed_template("binder", appliedFor=["PULL_THROUGH_CACHE"], description="theirs",
                      lifecyclePolicy=json.dumps(ecr.lifecycle_policy(ecr.LifecycleOptions(7))),
                      resourceTags=[{"Key": "team", "Value": "binder"}])
    values = write_values(tmp_path, ecr_registry, repositoryCreationTemplate={
        "lifecycle": {"expireAfterDays": 30, "since": "pushed"}, "tags": {"team": "binder"}})
    ecr_resolve(aws, values)

    assert aws.calls_of("CreateRepositoryCreationTemplate") == []
    (body,) = aws.calls_of("UpdateRepositoryCreationTemplate")
    # Its other use and its description are kept; the tags already match and are not sent.
    assert set(body) == {"prefix", "appliedFor", "lifecyclePolicy"}
    assert body["appliedFor"] == ["CREATE_ON_PUSH", "PULL_THROUGH_CACHE"]
    assert json.loads(body["lifecyclePolicy"])["rules"][0]["selection"]["countType"] == "sinceImagePushed"
    assert aws.templates["binder"]["description"] == "theirs"

    ecr_resolve(aws, values)
    assert len(aws.calls_of("UpdateRepositoryCreationTemplate")) == 1


def test_provision_named_repositories_without_template(aws, ecr_registry, tmp_path):
    names = ["binder/prod-a", "binder/prod-b"]
    aws.client("ecr").create_repository(repositoryName="binder/prod-a")
    values = write_values(tmp_path, ecr_registry, repositoryCreationTemplate={"enabled": False},
                          repositories=names)
    _, report = ecr_resolve(aws, values)
    created = [b["repositoryName"] for b in aws.calls_of("CreateRepository")]
    assert sorted(created) == ["binder/prod-b", PROBE_REPO]
    assert not any(op.endswith("Template") or op.endswith("Templates") for op, _, _ in aws.calls)
    policy = r_policy(report)
    assert not any(s["Sid"] == "RepositoryCreationTemplate" for s in policy["Statement"])


def r_policy(report: Report) -> dict:
    text = dict(report.steps)["iam"]
    return json.loads(text[text.index("{"):])


# -- validation ---------------------------------------------------------------------------------


def test_validate_ok_reads_only_and_explain_prints_policy(aws, ecr_registry, tmp_path, monkeypatch, capsys):
    aws.seed_template("binder")
    values = write_values(tmp_path, ecr_registry, mode="validate")
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.url)  # the CLI's own client factory
    assert cli.main(["explain", "-f", str(values)]) == 0
    out, err = capsys.readouterr()
    assert aws.writes() == []
    assert f"identity     AWS identity arn:aws:sts::{ACCOUNT}:user/moto" in out
    assert "push: POST /v2/binder/prod-binderhub-registry-hook-probe/blobs/uploads/ answered 202" in out
    policy = json.loads(out[out.index("{", out.index("least-privilege")):out.index("\nidentity")])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["EcrLogin"] == {"Sid": "EcrLogin", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"],
                                  "Resource": "*"}
    assert by_sid["BinderHubPushPull"]["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/binder/prod-*"
    assert "ecr:PutImage" in by_sid["BinderHubPushPull"]["Action"]
    assert by_sid["CreateRepositories"]["Action"] == ["ecr:CreateRepository"]
    assert by_sid["RepositoryCreationTemplate"]["Action"] == ["ecr:DescribeRepositoryCreationTemplates"]
    assert aws.ecr_password() not in out + err


def test_validate_cli_subprocess(aws, ecr_registry, tmp_path):
    aws.seed_template("binder")
    values = write_values(tmp_path, ecr_registry, mode="validate")
    env = {**os.environ, "AWS_ENDPOINT_URL": aws.url}
    proc = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "validate", "-vv", "-f", str(values)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok: AWS on {ecr_registry.host}: push and pull verified")
    assert "ecr:GetAuthorizationToken as arn:aws:sts::" in proc.stderr  # the debug log ran
    token = base64.b64encode(f"AWS:{aws.ecr_password()}".encode()).decode()
    assert aws.ecr_password() not in proc.stdout + proc.stderr and token not in proc.stdout + proc.stderr


def test_validate_without_template_fails_and_names_the_fix(aws, ecr_registry, tmp_path):
    e = failure(aws, write_values(tmp_path, ecr_registry, mode="validate"))
    assert isinstance(e, RepositoryMissing) and e.exit_code == 3
    assert "no repository creation template 'binder'" in str(e) and "registry.mode: provision" in str(e)
    assert aws.writes() == []


def test_validate_template_not_for_create_on_push(aws, ecr_registry, tmp_path):
    aws.seed_template("binder", appliedFor=["PULL_THROUGH_CACHE"])
    e = failure(aws, write_values(tmp_path, ecr_registry, mode="validate"))
    assert isinstance(e, RepositoryMissing) and "not applied for CREATE_ON_PUSH" in str(e)


def test_validate_missing_named_repository(aws, ecr_registry, tmp_path):
    values = write_values(tmp_path, ecr_registry, mode="validate", repositoryCreationTemplate={"enabled": False},
                          repositories=["binder/prod-x"])
    e = failure(aws, values)
    assert isinstance(e, RepositoryMissing) and "binder/prod-x" in str(e)


# -- credentials ----------------------------------------------------------------------------


def test_access_keys_from_credential_source_and_assumed_role(aws, ecr_registry, tmp_path):
    aws.seed_template("binder")
    creds = tmp_path / "secret"
    creds.mkdir()
    (creds / "aws_access_key_id").write_text("AKIAFROMSECRET000001")
    (creds / "aws_secret_access_key").write_text("from-secret-key")
    role = f"arn:aws:iam::{ACCOUNT}:role/binder-push"
    values = write_values(tmp_path, ecr_registry, mode="validate", roleArn=role)
    r, report = ecr_resolve(aws, values, credentials=creds)
    (assume,) = [c for c in aws.calls if c[0] == "AssumeRole"]
    assert assume[1]["RoleArn"] == role and assume[2] == "AKIAFROMSECRET000001"
    # Every later call signs with the role's temporary key.
    token_call = [c for c in aws.calls if c[0] == "GetAuthorizationToken"][-1]
    assert token_call[2] not in ("AKIAFROMSECRET000001", "AKIAENVIRONMENTKEY00")
    steps = dict(report.steps)
    assert "assumed-role/binder-push/binderhub-registry-hook" in steps["identity"]
    assert f"access keys from credentials directory {creds}, as role {role}" in steps["identity"]


def test_no_aws_credentials(aws, ecr_registry, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    values = write_values(tmp_path, ecr_registry, mode="validate")
    e = failure(aws, values)
    assert isinstance(e, CredentialsMissing) and e.exit_code == 2
    assert "no AWS credentials found" in str(e) and "eks.amazonaws.com/role-arn" in str(e)
    assert aws.calls == []
    # explain still prints the policy the identity will need, then the failure.
    assert cli.main(["explain", "-f", str(values)]) == 2
    out = capsys.readouterr().out
    assert '"ecr:GetAuthorizationToken"' in out and "failed  missing credentials: no AWS credentials found" in out


def test_existing_secret_without_keys(aws, ecr_registry, tmp_path):
    values = write_values(tmp_path, ecr_registry, mode="validate")
    doc = yaml.safe_load(values.read_text())
    doc["registry"]["credentials"] = {"existingSecret": "aws-keys"}
    values.write_text(yaml.safe_dump(doc))
    empty = tmp_path / "mounted"
    empty.mkdir()
    e = failure(aws, values, credentials=empty)
    assert isinstance(e, CredentialsMissing) and "'aws_access_key_id'" in str(e)


@pytest.mark.parametrize("operation, mode, extra", [
    ("GetAuthorizationToken", "validate", {}),
    ("DescribeRepositoryCreationTemplates", "validate", {}),
    ("CreateRepositoryCreationTemplate", "provision", {}),
    ("CreateRepository", "provision", {}),
    ("AssumeRole", "validate", {"roleArn": f"arn:aws:iam::{ACCOUNT}:role/binder-push"}),
])
def test_denied_action_is_named(aws, ecr_registry, tmp_path, operation, mode, extra):
    if mode == "validate":
        aws.seed_template("binder")
    aws.deny[operation] = True
    e = failure(aws, write_values(tmp_path, ecr_registry, mode=mode, **extra))
    service = "sts" if operation == "AssumeRole" else "ecr"
    assert isinstance(e, CloudDenied) and e.exit_code == 3
    assert f"may not call {service}:{operation}" in str(e)
    assert f"allow {service}:{operation} in its IAM policy" in str(e)


def test_throttling_is_retried(aws, ecr_registry, tmp_path):
    aws.seed_template("binder")
    aws.throttle["GetAuthorizationToken"] = 1
    ecr_resolve(aws, write_values(tmp_path, ecr_registry, mode="validate"))
    assert len(aws.calls_of("GetAuthorizationToken")) == 2


def test_throttling_gives_up_after_bounded_attempts(aws, ecr_registry, tmp_path):
    aws.seed_template("binder")
    aws.throttle["DescribeRepositoryCreationTemplates"] = 100
    e = failure(aws, write_values(tmp_path, ecr_registry, mode="validate"), max_attempts=2)
    assert isinstance(e, RegistryUnavailable) and e.exit_code == 4
    assert "kept throttling ecr:DescribeRepositoryCreationTemplates (ThrottlingException) after 2 attempts" in str(e)
    assert len(aws.calls_of("DescribeRepositoryCreationTemplates")) == 2


def test_unreachable_aws_endpoint_names_the_region(aws, ecr_registry, tmp_path):
    values = write_values(tmp_path, ecr_registry, mode="validate")
    factory = partial(ecr.make_client, endpoint_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(Unreachable) as info:
        cli.resolve(resolve_args(values), Report(), clients={"aws": factory})
    assert "cannot reach the AWS API for sts:GetCallerIdentity" in str(info.value)
    assert "registry.ecr.region (us-east-1)" in str(info.value)


# -- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize("registry, ecr_block, path, words", [
    ({"imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-"}, {"region": "us-east-1"},
     "registry.ecr.region", "does not match the registry host"),
    ({"imagePrefix": "123456789012.dkr.ecr.us-east-1.amazonaws.com/prod-"}, {"region": "us-east-1"},
     "registry.imagePrefix", "has no namespace"),
    ({"imagePrefix": "123456789012.dkr.ecr.us-east-1.amazonaws.com/binder/prod-"},
     {"region": "us-east-1", "repositoryCreationTemplate": {"prefix": "other"}},
     "registry.ecr.repositoryCreationTemplate.prefix", "does not cover"),
    ({"imagePrefix": "123456789012.dkr.ecr.us-east-1.amazonaws.com/binder/prod-"},
     {"region": "us-east-1", "repositories": ["other/x"]}, "registry.ecr.repositories[0]", "does not start with"),
    ({"imagePrefix": "123456789012.dkr.ecr.us-east-1.amazonaws.com/binder/prod-"}, {"region": "Virginia"},
     "registry.ecr.region", "is not valid"),
    ({"imagePrefix": "123456789012.dkr.ecr.us-east-1.amazonaws.com/binder/prod-"}, None,
     "registry.ecr", "required value is missing"),
    ({"url": "https://ecr.internal.example", "imagePrefix": "ecr.internal.example/binder/prod-"},
     {"region": "us-east-1"}, "registry.ecr.accountId", "required value is missing"),
])
def test_bad_values_name_the_path(tmp_path, registry, ecr_block, path, words):
    values = {"registry": {"type": "ecr", **registry, **({"ecr": ecr_block} if ecr_block else {})}}
    file = tmp_path / "values.yaml"
    file.write_text(yaml.safe_dump(values))
    with pytest.raises(SpecError) as info:
        cli.resolve(resolve_args(file), Report())
    assert str(info.value).startswith(f"invalid value: {path}") and words in str(info.value)


def test_target_for_the_account_registry(tmp_path):
    """No network: the default url, auth key and settings of a real ECR registry."""
    from binderhub_registry_hook.providers import plan
    from binderhub_registry_hook.spec import RegistrySpec

    spec = RegistrySpec.from_values({"registry": {
        "type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-",
        "ecr": {"region": "eu-west-1"}}})
    target = plan(spec)
    assert target.url == "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    assert target.auth_key == "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    assert target.token_url == ""


def test_post_render_refuses_ecr_without_refresher(aws, ecr_registry, tmp_path, monkeypatch, capsys):
    aws.seed_template("binder")
    values = write_values(tmp_path, ecr_registry, mode="validate")
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.url)
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("apiVersion: v1\nkind: ConfigMap\n"))
    assert cli.main(["post-render", "-f", str(values)]) == 2
    err = capsys.readouterr().err
    assert "ecr credentials expire" in err and "--refresher-enabled" in err


def test_apply_writes_expiring_credentials_only_where_the_refresher_runs(aws, ecr_registry, tmp_path, monkeypatch,
                                                                         capsys):
    """The chart tells the Job --refresher-enabled exactly when it renders the CronJob; without it,
    12-hour credentials are refused before anything is written (one line, exit 2, Warning Event)."""
    from tests.support.kubeapi import KubeApiServer, hook_role_rules

    aws.seed_template("binder")
    values = write_values(tmp_path, ecr_registry, mode="validate")
    assert chart_expects_expiry(values, existing_secret=False)  # ECR: the chart's default runs the CronJob
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.url)
    with KubeApiServer(rules=hook_role_rules("binderhub-registry", "binder")) as api:
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace="binder")
        argv = ["apply", "-f", str(values), "--kubeconfig", kubeconfig]
        capsys.readouterr()
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "ecr credentials expire" in err and "refresh.enabled: true" in err
        assert ("secrets", "binder", "binderhub-registry") not in api.objects
        [event] = [o for (r, _, _), o in api.objects.items() if r == "events"]
        assert event["type"] == "Warning" and "left unchanged" in event["message"]

        assert cli.main([*argv, "--refresher-enabled"]) == 0
        written = api.objects[("secrets", "binder", "binderhub-registry")]
        assert written["metadata"]["annotations"]["binderhub-registry-hook/expires-at"] != "never"
        assert cli.main(["refresh", *argv[1:]]) == 0  # the CronJob itself needs no flag
