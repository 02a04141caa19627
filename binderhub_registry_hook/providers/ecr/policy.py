"""What ECR should hold, as pure functions of the plan and the options: where the registry
is (:class:`Place`), the repository creation template and its lifecycle policy, the
changes an existing template needs, and the least-privilege IAM policy ``explain`` prints."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from binderhub_registry_hook.errors import SpecError
from binderhub_registry_hook.providers.ecr.options import EcrOptions, LifecycleOptions
from binderhub_registry_hook.spec import RegistrySpec

OPT = "registry.ecr"
CREATE_ON_PUSH = "CREATE_ON_PUSH"
ROOT = "ROOT"  # the template prefix that applies to every repository without its own
HOST_RE = re.compile(r"(?P<account>[0-9]{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?")

# What BinderHub's builds do with the token (docker push and BinderHub's manifest lookups).
PUSH_PULL_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:DescribeRepositories",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:ListImages",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]


def partition(region: str) -> tuple[str, str]:
    """(ARN partition, DNS suffix) of a region."""
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


@dataclass(frozen=True)
class Place:
    """Where BinderHub's repositories are in ECR, read from the spec (pure)."""

    account: str
    region: str
    repo_prefix: str  # the image prefix without its host
    template_prefix: str | None  # None: no creation template
    lifecycle: dict[str, Any] | None
    tags: dict[str, str]
    repositories: tuple[str, ...]

    @property
    def partition(self) -> str:
        return partition(self.region)[0]

    @property
    def host(self) -> str:
        return f"{self.account}.dkr.ecr.{self.region}.{partition(self.region)[1]}"


def account_and_region(spec: RegistrySpec, options: EcrOptions) -> tuple[str, str]:
    host = (spec.url or "").split("://", 1)[-1].split("/", 1)[0] or spec.image_prefix.split("/", 1)[0]
    m = HOST_RE.fullmatch(host)
    region = options.region or (m["region"] if m else "")
    account = options.account_id or (m["account"] if m else "")
    if not account:
        raise SpecError(
            f"{OPT}.accountId",
            "required value is missing",
            fix="give the 12-digit AWS account of the registry (it is not in registry.url)",
        )
    if m and (m["account"], m["region"]) != (account, region):
        raise SpecError(
            f"{OPT}.region" if m["account"] == account else f"{OPT}.accountId",
            f"does not match the registry host {host} (account {m['account']}, region {m['region']})",
        )
    return account, region


def place(spec: RegistrySpec, options: EcrOptions) -> Place:
    """The account, region and repository names; a SpecError names a value that cannot work."""
    account, region = account_and_region(spec, options)
    repo_prefix = spec.image_prefix.split("/", 1)[1]
    template_prefix = _template_prefix(spec, options, repo_prefix)
    for i, name in enumerate(options.repositories):
        if not name.startswith(repo_prefix):
            raise SpecError(
                f"{OPT}.repositories[{i}]",
                f"{name!r} does not start with {repo_prefix!r}, so BinderHub would never push there",
                fix="list names under registry.imagePrefix",
            )
    template = options.repository_creation_template
    return Place(
        account,
        region,
        repo_prefix,
        template_prefix,
        lifecycle_policy(template.lifecycle),
        dict(template.tags),
        options.repositories,
    )


def _template_prefix(spec: RegistrySpec, options: EcrOptions, repo_prefix: str) -> str | None:
    template = options.repository_creation_template
    if not template.enabled:
        return None
    namespace = repo_prefix.rpartition("/")[0]
    prefix = template.prefix or namespace
    path = f"{OPT}.repositoryCreationTemplate.prefix"
    if not prefix:
        raise SpecError(
            "registry.imagePrefix",
            f"{spec.image_prefix!r} has no namespace, and ECR "
            "creation templates apply to a namespace (NAMESPACE/...), not to a partial name",
            fix=f"use {spec.image_prefix.split('/')[0]}/binder/{repo_prefix}, set "
            f"{path}: ROOT (every new repository in the registry), or disable the template "
            f"and list {OPT}.repositories",
        )
    if prefix != ROOT and not (repo_prefix.startswith(prefix.rstrip("/") + "/")):
        raise SpecError(
            path,
            f"{prefix!r} does not cover the image prefix's repositories ({repo_prefix}...)",
            fix=f"use {namespace or ROOT!r}",
        )
    return prefix.rstrip("/")


def lifecycle_policy(options: LifecycleOptions | None) -> dict[str, Any] | None:
    """The lifecycle policy document for ``repositoryCreationTemplate.lifecycle``."""
    if options is None or not options.expire_after_days:
        return None
    days = options.expire_after_days
    count_type, what = (
        ("sinceImagePulled", "not pulled") if options.since == "pulled" else ("sinceImagePushed", "pushed")
    )
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Expire images {what} for {days} days",
                "selection": {"tagStatus": "any", "countType": count_type, "countUnit": "days", "countNumber": days},
                "action": {"type": "expire"},
            }
        ]
    }


# -- the repository creation template -------------------------------------------------


def desired_template(p: Place, description: str) -> dict[str, Any]:
    t: dict[str, Any] = {"prefix": p.template_prefix, "description": description, "appliedFor": [CREATE_ON_PUSH]}
    if p.lifecycle:
        t["lifecyclePolicy"] = json.dumps(p.lifecycle, sort_keys=True)
    if p.tags:
        t["resourceTags"] = [{"Key": k, "Value": v} for k, v in sorted(p.tags.items())]
    return t


def template_changes(p: Place, current: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``current`` to update; empty when it already does what is asked."""
    changes: dict[str, Any] = {}
    applied = set(current.get("appliedFor") or [])
    if CREATE_ON_PUSH not in applied:
        changes["appliedFor"] = sorted(applied | {CREATE_ON_PUSH})  # keep its other uses
    if p.lifecycle and _json_or_none(current.get("lifecyclePolicy")) != p.lifecycle:
        changes["lifecyclePolicy"] = json.dumps(p.lifecycle, sort_keys=True)
    have_tags = {t.get("Key"): t.get("Value") for t in current.get("resourceTags") or []}
    if p.tags and have_tags != p.tags:
        changes["resourceTags"] = [{"Key": k, "Value": v} for k, v in sorted(p.tags.items())]
    return changes


def describe_template(p: Place, t: dict[str, Any]) -> str:
    parts = [", ".join(t["appliedFor"])]
    if p.lifecycle:
        parts.append(p.lifecycle["rules"][0]["description"].lower())
    if p.tags:
        parts.append(f"tags {', '.join(f'{k}={v}' for k, v in sorted(p.tags.items()))}")
    return "; ".join(parts)


# -- the IAM policy `explain` prints --------------------------------------------------------


def iam_policy(p: Place, provision: bool, probe_push: bool) -> dict[str, Any]:
    arn = f"arn:{p.partition}:ecr:{p.region}:{p.account}"
    repos = f"{arn}:repository/{p.repo_prefix}*"
    statements: list[dict[str, Any]] = [
        {"Sid": "EcrLogin", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"},
        {"Sid": "BinderHubPushPull", "Effect": "Allow", "Action": list(PUSH_PULL_ACTIONS), "Resource": repos},
    ]
    create = []
    if p.template_prefix or (provision and (p.repositories or probe_push)):
        create.append("ecr:CreateRepository")  # create on push is authorized as the pusher
        if p.tags:
            create.append("ecr:TagResource")  # tags on create are authorized separately
    if create:
        statements.append({"Sid": "CreateRepositories", "Effect": "Allow", "Action": create, "Resource": repos})
    if p.template_prefix:
        actions = ["ecr:DescribeRepositoryCreationTemplates"]
        if provision:
            actions += ["ecr:CreateRepositoryCreationTemplate", "ecr:UpdateRepositoryCreationTemplate"]
            if p.lifecycle:
                actions.append("ecr:PutLifecyclePolicy")
        statements.append({"Sid": "RepositoryCreationTemplate", "Effect": "Allow", "Action": actions, "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None
