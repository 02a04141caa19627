"""``mode: provision`` on Google Cloud, each step idempotent: the service account (IAM Admin
API over gRPC), the Docker repository (Artifact Registry, REST), the account's
``roles/artifactregistry.writer`` binding on that repository, and a key, unless the output
Secret already holds a live key of that service account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from google.cloud import artifactregistry_v1 as ar
from google.cloud import iam_admin_v1
from google.iam.v1 import iam_policy_pb2

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.errors import (
    CloudDenied,
    HookError,
    InputError,
    RegistryUnavailable,
    RepositoryMissing,
    SpecError,
)
from binderhub_registry_hook.providers.google.api import GoogleApi
from binderhub_registry_hook.providers.google.keys import parse_key
from binderhub_registry_hook.providers.google.naming import Repository
from binderhub_registry_hook.providers.google.options import GoogleOptions
from binderhub_registry_hook.secrets import Secret

WRITER = "roles/artifactregistry.writer"
KEY_LOGINS = ("_json_key", "_json_key_base64")
NO_EXPIRY_YEAR = 9999  # IAM's valid_before_time of a key that does not expire
MAX_OURS = 2  # keys of our account at once: the one in use and its successor (Google allows 10)

Key = tuple[Secret, dict[str, Any], str]  # key JSON, its fields, where it came from


def ensure_service_account(ctx: Context, api: GoogleApi, iam: Any, repo: Repository, options: GoogleOptions) -> str:
    account_id, project = options.service_account, repo.project
    email = f"{account_id}@{project}.iam.gserviceaccount.com"
    name = f"projects/{project}/serviceAccounts/{email}"
    if (
        api.run(
            f"reading service account {email}",
            "iam.serviceAccounts.get",
            iam.get_service_account,
            name=name,
            absent=("not_found",),
        )
        is not None
    ):
        ctx.report.step("provision", f"service account {email} exists")
        return email
    account = iam_admin_v1.ServiceAccount(
        display_name="BinderHub image pushes", description="Created by binderhub-registry-hook"
    )
    try:
        api.run(
            f"creating service account {email}",
            "iam.serviceAccounts.create",
            iam.create_service_account,
            name=f"projects/{project}",
            account_id=account_id,
            service_account=account,
            absent=("conflict",),
        )  # created meanwhile: fine
    except HookError as e:
        if e.reason != "not_found":
            raise
        raise CloudDenied(
            f"creating service account {email}: project {project} was not found",
            fix="check the project in registry.imagePrefix",
        ) from None
    ctx.report.step("provision", f"created service account {email}")
    return email


def ensure_repository(ctx: Context, api: GoogleApi, registry: Any, repo: Repository, options: GoogleOptions) -> None:
    found = api.run(
        f"reading repository {repo.name}",
        "artifactregistry.repositories.get",
        registry.get_repository,
        name=repo.name,
        absent=("not_found",),
    )
    if found is not None:
        if found.format_ != ar.Repository.Format.DOCKER:
            raise SpecError(
                "registry.imagePrefix",
                f"Artifact Registry repository {repo.repository} holds "
                f"{found.format_.name} packages, not Docker images",
                fix="use a Docker-format repository",
            )
        ctx.report.step("provision", f"repository {repo.repository} exists in {repo.location}")
        return
    if not options.create_repository:
        raise RepositoryMissing(
            f"Artifact Registry repository {repo.name} does not exist",
            fix="create it, or set registry.google.createRepository: true",
        )
    parent = f"projects/{repo.project}/locations/{repo.location}"
    desc = "BinderHub images (created by binderhub-registry-hook)"
    action, permission = f"creating repository {repo.name}", "artifactregistry.repositories.create"
    timeouts = ctx.spec.timeouts
    try:
        op = api.run(
            action,
            permission,
            registry.create_repository,
            parent=parent,
            repository_id=repo.repository,
            repository=ar.Repository(format_=ar.Repository.Format.DOCKER, description=desc),
            absent=("conflict",),
        )  # created meanwhile: fine
        if op is not None:  # the operation itself may fail
            api.call(
                action,
                op.result,
                timeout=timeouts.retry_for or timeouts.read,
                absent=("conflict",),
                value_path=permission,
            )
    except HookError as e:
        if e.reason != "not_found":
            raise
        raise CloudDenied(
            f"creating repository {repo.name}: project {repo.project} or location {repo.location} was not found",
            fix="check registry.imagePrefix",
        ) from None
    ctx.report.step("provision", f"created Docker repository {repo.repository} in {repo.location}")


def ensure_writer(ctx: Context, api: GoogleApi, registry: Any, repo: Repository, email: str) -> None:
    member, resource = f"serviceAccount:{email}", repo.name
    for _attempt in range(3):  # setIamPolicy answers ABORTED when the etag moved meanwhile
        policy = api.must_run(
            f"reading the IAM policy of {resource}",
            "artifactregistry.repositories.getIamPolicy",
            registry.get_iam_policy,
            request=iam_policy_pb2.GetIamPolicyRequest(resource=resource),
        )
        binding = next((b for b in policy.bindings if b.role == WRITER and not b.HasField("condition")), None)
        if binding is not None and member in binding.members:
            ctx.report.step("provision", f"{email} already has {WRITER} on {repo.repository}")
            return
        if binding is None:
            binding = policy.bindings.add(role=WRITER)
        binding.members.append(member)
        granted = api.run(
            f"granting {WRITER} on {resource}",
            "artifactregistry.repositories.setIamPolicy",
            registry.set_iam_policy,
            request=iam_policy_pb2.SetIamPolicyRequest(resource=resource, policy=policy),
            absent=("conflict",),
        )
        if granted is None:  # ABORTED: the etag moved meanwhile; read it again
            continue
        ctx.report.step("provision", f"granted {WRITER} on {repo.repository} to {email}")
        return
    raise RegistryUnavailable(f"granting {WRITER} on {resource}: the policy kept changing meanwhile")


@dataclass(frozen=True)
class KeyInfo:
    """One user-managed key of our service account, as IAM lists it (no key material)."""

    id: str
    created: datetime | None
    valid_before: datetime | None  # None: no expiry (Google answers 9999-12-31)


def list_keys(api: GoogleApi, iam: Any, repo: Repository, email: str, now: datetime) -> list[KeyInfo]:
    """The live (enabled, unexpired) user-managed keys of ``email``."""
    keys = api.must_run(
        f"listing the keys of {email}",
        "iam.serviceAccountKeys.list",
        iam.list_service_account_keys,
        name=f"projects/{repo.project}/serviceAccounts/{email}",
        key_types=[iam_admin_v1.ListServiceAccountKeysRequest.KeyType.USER_MANAGED],
    )
    found = []
    for key in keys.keys:
        until = _utc(key.valid_before_time)
        if key.disabled or (until is not None and until <= now):
            continue
        found.append(KeyInfo(key.name.rsplit("/", 1)[-1], _utc(key.valid_after_time), until))
    return found


def _utc(when: Any) -> datetime | None:
    if not isinstance(when, datetime) or when.year >= NO_EXPIRY_YEAR:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def previous_key(ctx: Context, auth_key: str, email: str, live: list[KeyInfo]) -> tuple[Key, KeyInfo] | None:
    """The key in the output Secret, when it belongs to ``email`` and is still live."""
    report = ctx.report
    found = ctx.previous_login(auth_key)
    if found is None or found[0] not in KEY_LOGINS:
        return None
    _user, password = found
    try:
        text, info = parse_key(password, "the output Secret")
    except InputError:
        report.step("provision", "the output Secret holds no readable key; creating one")
        return None
    if info["client_email"] != email:
        report.step("provision", f"the key in the output Secret is of {info['client_email']}, not {email}")
        return None
    key = next((k for k in live if k.id == info["private_key_id"]), None)
    if key is None:
        report.step(
            "provision",
            f"the key in the output Secret ({info['private_key_id'][:8]}...) was deleted, disabled or expired",
        )
        return None
    return (text, info, "the output Secret (previous run)"), key


def renew_at(key: KeyInfo, options: GoogleOptions) -> datetime | None:
    """When a key is due: ``keyRotationDays`` after its creation, or ``renewBeforeDays``
    before an expiry that an organization policy set."""
    due = []
    if options.key_rotation_days > 0 and key.created is not None:
        due.append(key.created + timedelta(days=options.key_rotation_days))
    if key.valid_before is not None:
        due.append(key.valid_before - timedelta(days=options.renew_before_days))
    return min(due, default=None)


def delete_keys(
    ctx: Context, api: GoogleApi, iam: Any, repo: Repository, email: str, ids: list[str] | tuple[str, ...], why: str
) -> list[str]:
    """Delete keys of ours by id (gone already: fine); what was deleted."""
    deleted = []
    for key_id in ids:
        api.run(
            f"deleting key {key_id[:8]}... of {email}",
            "iam.serviceAccountKeys.delete",
            iam.delete_service_account_key,
            absent=("not_found",),
            name=f"projects/{repo.project}/serviceAccounts/{email}/keys/{key_id}",
        )
        ctx.report.step("provision", f"deleted key {key_id[:8]}... of {email} ({why})")
        deleted.append(key_id)
    return deleted


def create_key(ctx: Context, api: GoogleApi, iam: Any, repo: Repository, email: str) -> Key:
    name = f"projects/{repo.project}/serviceAccounts/{email}"
    try:
        key = api.must_run(
            f"creating a key for {email}",
            "iam.serviceAccountKeys.create",
            iam.create_service_account_key,
            name=name,
            private_key_type=iam_admin_v1.ServiceAccountPrivateKeyType.TYPE_GOOGLE_CREDENTIALS_FILE,
            key_algorithm=iam_admin_v1.ServiceAccountKeyAlgorithm.KEY_ALG_RSA_2048,
        )
    except HookError as e:
        if e.reason == "precondition":
            raise CloudDenied(
                f"Google refused a new key for {email} ({e.message}): the account may have "
                "10 keys already, or the organization policy "
                "iam.disableServiceAccountKeyCreation forbids keys",
                fix="delete unused keys, or use registry.google.auth: workloadIdentity",
            ) from None
        if e.reason == "not_found":
            raise CloudDenied(
                f"creating a key for {email}: the service account is not visible yet",
                fix="rerun in a minute (IAM is eventually consistent)",
            ) from None
        raise
    text, info = parse_key(Secret(key.private_key_data.decode()), "the key Google returned")
    ctx.report.step("provision", f"created key {info['private_key_id'][:8]}... for {email}")
    return text, info, f"a new key of {email}"
