"""Amazon Elastic Container Registry (``ACCOUNT.dkr.ecr.REGION.amazonaws.com``).

ECR has no long-lived docker password: ``GetAuthorizationToken`` gives a 12-hour
token for user ``AWS``, which the refresh CronJob renews.  The IAM identity comes
from the default AWS chain (IRSA, EKS Pod Identity, the node's instance role) or
from access keys in the credential source, optionally through an assumed role.

A push to an ECR repository that does not exist fails, and BinderHub pushes one
repository per built image.  ``mode: provision`` therefore puts a repository
creation template with ``appliedFor: [CREATE_ON_PUSH]`` on the image prefix's
namespace (templates apply to ``NAMESPACE/...``, never to a partial name), with an
optional lifecycle policy and tags, or creates named repositories.  Each write is
preceded by a read and happens only when something differs.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.errors import RegistryRefused, RepositoryMissing, SpecError
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.providers.base import Provider, check_prefix
from binderhub_registry_hook.providers.ecr.api import AwsApi
from binderhub_registry_hook.providers.ecr.options import EcrOptions
from binderhub_registry_hook.providers.ecr.policy import (
    CREATE_ON_PUSH,
    OPT,
    Place,
    account_and_region,
    describe_template,
    desired_template,
    iam_policy,
    partition,
    place,
    template_changes,
)
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import RegistrySpec

USERNAME = "AWS"


class ECRProvider(Provider[EcrOptions]):
    name = "ecr"
    options_type = EcrOptions
    can_provision = True

    def plan(self, spec: RegistrySpec, options: EcrOptions) -> Target:
        account, region = account_and_region(spec, options)
        url = (spec.url or f"https://{account}.dkr.ecr.{region}.{partition(region)[1]}").rstrip("/")
        target = Target(
            url=url, auth_key=url.split("://", 1)[-1], image_prefix=spec.image_prefix, token_url=""
        )  # ECR speaks Basic auth: BinderHub must not ask for a token
        check_prefix(target, spec.probe_name)
        place(spec, options)  # the repository names must work too
        return target

    def credentials(self, ctx: Context, target: Target, options: EcrOptions) -> Credentials:
        spec, report = ctx.spec, ctx.report
        where = place(spec, options)
        provision = spec.mode == "provision"
        policy = json.dumps(iam_policy(where, provision, spec.probe_push), indent=2)
        report.step(
            "iam",
            f"least-privilege IAM policy for the hook's AWS identity (BinderHub pushes with its token):\n{policy}",
        )
        api = AwsApi(ctx, where.region, options.role_arn)
        _check_identity(ctx, api, where, provision)
        if where.template_prefix:
            _ensure_template(ctx, api, where, options.repository_creation_template.description, provision)
        _ensure_repositories(ctx, api, where, target.probe_repository(spec.probe_name), provision)
        return _token(api)


def _check_identity(ctx: Context, api: AwsApi, where: Place, provision: bool) -> None:
    ident = api.sts("GetCallerIdentity")
    api.identity = ident
    ctx.report.step("identity", f"AWS identity {ident.get('Arn')} (account {ident.get('Account')}) from {api.origin}")
    if ident.get("Account") != where.account:
        msg = (
            f"the AWS identity is in account {ident.get('Account')} but the registry is in {where.account}: "
            "the registry's repository policies must allow it"
        )
        if provision and where.template_prefix:
            raise SpecError(
                f"{OPT}.accountId",
                f"{msg}, and creation templates can only be managed in the caller's own registry",
                fix=f"use an identity in account {where.account} (e.g. {OPT}.roleArn)",
            )
        ctx.report.warn(msg)


def _token(api: AwsApi) -> Credentials:
    answer = api.ecr("GetAuthorizationToken") or {}
    data = answer["authorizationData"][0]
    token = Secret(data["authorizationToken"])  # base64 of AWS:PASSWORD; registered for redaction at once
    try:
        username, _, password = base64.b64decode(token.reveal(), validate=True).decode().partition(":")
    except ValueError:
        raise RegistryRefused(
            "ecr:GetAuthorizationToken answered a token that is not base64 of user:password"
        ) from None
    expires = data["expiresAt"]  # botocore parses it into an aware datetime
    if expires <= datetime.now(timezone.utc):
        raise RegistryRefused(
            f"ecr:GetAuthorizationToken answered a token that expired at {expires:%Y-%m-%d %H:%M} UTC"
        )
    return Credentials(
        username or USERNAME, Secret(password), expires, origin=f"ecr:GetAuthorizationToken as {api.who()}"
    )


def _ensure_template(ctx: Context, api: AwsApi, where: Place, description: str, provision: bool) -> None:
    report, prefix = ctx.report, where.template_prefix
    path = f"{OPT}.repositoryCreationTemplate"
    found = api.ecr(
        "DescribeRepositoryCreationTemplates", prefixes=[prefix], absent={"TemplateNotFoundException"}, value_path=path
    )
    current = next((t for t in (found or {}).get("repositoryCreationTemplates", []) if t.get("prefix") == prefix), None)
    what = f"repository creation template {prefix!r}"
    if current is None:
        if not provision:
            raise RepositoryMissing(
                f"no {what} in registry {where.account} ({where.region}): a push of a new BinderHub image "
                "to a repository that does not exist would fail",
                fix=f"use registry.mode: provision, create the template with appliedFor CREATE_ON_PUSH, or set "
                f"{path}.enabled: false and create the repositories yourself",
            )
        desired = desired_template(where, description)
        api.ecr("CreateRepositoryCreationTemplate", value_path=path, **desired)
        report.step("provision", f"created {what} ({describe_template(where, desired)})")
        return
    changes = template_changes(where, current)
    if not changes:
        report.step(
            "template",
            f"{what} exists with {CREATE_ON_PUSH}"
            + (", lifecycle policy and tags as configured" if where.lifecycle or where.tags else "")
            + "; unchanged",
        )
        return
    if not provision:
        report.warn(
            f"{what} differs from the values ({', '.join(sorted(changes))}); registry.mode: provision would update it"
        )
        if "appliedFor" in changes:
            raise RepositoryMissing(
                f"{what} is not applied for {CREATE_ON_PUSH}: pushes of new BinderHub images would fail",
                fix=f"use registry.mode: provision, or add {CREATE_ON_PUSH} to the template's appliedFor",
            )
        return
    api.ecr("UpdateRepositoryCreationTemplate", value_path=path, prefix=prefix, **changes)
    report.step("provision", f"updated {what}: {', '.join(sorted(changes))}")


def _ensure_repositories(ctx: Context, api: AwsApi, where: Place, probe_repo: str, provision: bool) -> None:
    """The listed repositories, and (when provisioning) the probe's, must exist.

    The probe's repository is created when provisioning because whether ECR creates a
    repository at a blob upload (rather than at the manifest push) is not documented.
    """
    names = list(dict.fromkeys([*where.repositories, *([probe_repo] if provision else [])]))
    if not names:
        return
    missing = [n for n in names if not _repository_exists(api, where, n)]
    listed = [n for n in missing if n in where.repositories]
    if not provision:
        if listed:
            raise RepositoryMissing(
                f"ECR repositories missing in {where.account} ({where.region}): {', '.join(listed)}",
                fix="use registry.mode: provision or create them",
            )
        return
    for name in missing:
        params: dict[str, object] = {"repositoryName": name, "registryId": where.account}
        if where.tags:
            params["tags"] = [{"Key": k, "Value": v} for k, v in sorted(where.tags.items())]
        api.ecr(
            "CreateRepository", absent={"RepositoryAlreadyExistsException"}, value_path=f"{OPT}.repositories", **params
        )
        ctx.report.step("provision", f"created ECR repository {name}")
    present = [n for n in names if n not in missing]
    if present:
        ctx.report.step("repositories", f"exist, unchanged: {', '.join(present)}")


def _repository_exists(api: AwsApi, where: Place, name: str) -> bool:
    found = api.ecr(
        "DescribeRepositories", registryId=where.account, repositoryNames=[name], absent={"RepositoryNotFoundException"}
    )
    return bool(found and found.get("repositories"))
