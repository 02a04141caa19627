"""Google Artifact Registry (``LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/...``) and gcr.io.

Logins (all verified by the push probe, which runs against the registry's own challenge):

* ``serviceAccountKey``: a service-account key JSON from the credential source, written as
  ``_json_key`` (the JSON) or ``_json_key_base64``; long-lived.
* ``workloadIdentity``: an OAuth access token of the pod's Google identity
  (``google.auth.default()``: GKE Workload Identity, the metadata server, or
  ``GOOGLE_APPLICATION_CREDENTIALS``), written as ``oauth2accesstoken``; it lives about
  1 hour, so the refresh CronJob renews it.  ``binderhubRegistryClass`` additionally makes
  BinderHub's own manifest lookups fetch their token from the metadata server
  (``binderhub.registry.GoogleArtifactRegistry``), so a binder pod that read an expired
  token at start still finds the images it built.

``mode: provision`` (with the hook's identity, or the admin key named by ``adminKeyKey``)
creates what is missing: :mod:`.provision`.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

from google.oauth2 import service_account

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import CredentialsRejected, HookError, InputError, PushDenied, SpecError
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.providers.base import Denied, Provider, check_prefix, push_claim, registry_answer
from binderhub_registry_hook.providers.google import provision
from binderhub_registry_hook.providers.google.api import GoogleApi, artifact_registry_client, iam_client
from binderhub_registry_hook.providers.google.keys import SCOPES, default_credentials, identity, parse_key, refresh
from binderhub_registry_hook.providers.google.naming import Repository, repository
from binderhub_registry_hook.providers.google.options import GoogleOptions
from binderhub_registry_hook.providers.google.provision import WRITER
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import RegistrySpec

TOKEN_LOGIN = "oauth2accesstoken"
REGISTRY_CLASS = "binderhub.registry.GoogleArtifactRegistry"


class GoogleProvider(Provider[GoogleOptions]):
    name = "google"
    options_type = GoogleOptions
    can_provision = True

    def plan(self, spec: RegistrySpec, options: GoogleOptions) -> Target:
        prefix = spec.image_prefix
        host = prefix.split("/", 1)[0]
        url = (spec.url or f"https://{host}").rstrip("/")
        # docker, skopeo and `gcloud auth configure-docker` key config.json by host.
        target = Target(
            url=url,
            auth_key=urlparse(url).netloc,
            image_prefix=prefix,
            registry_class=REGISTRY_CLASS if options.binderhub_registry_class else None,
        )
        check_prefix(target, spec.probe_name)
        repo = repository(prefix, options, spec.mode)
        where = f"{repo.location or '(location not given)'}, project {repo.project}"
        note = f"Artifact Registry repository {repo.repository} in {where}" + (
            " (gcr.io-hosted)" if repo.gcr and options.gcr_hosted else ""
        )
        return replace(target, notes=(note,), warnings=repo.warnings)

    def credentials(self, ctx: Context, target: Target, options: GoogleOptions) -> Credentials:
        repo = repository(target.image_prefix, options, ctx.spec.mode)
        creds, email = self._login(ctx, target, repo, options)
        try:
            push_claim(ctx, target, creds, _push_denied(repo, email))
        except CredentialsRejected as e:
            token = creds.username == TOKEN_LOGIN
            what = f"the access token of {email}" if token else f"the key of {email}"
            fix = (
                "the identity needs roles/artifactregistry.writer on the repository, and the Artifact Registry "
                "API must be enabled"
                if token
                else f"the key may be deleted or disabled (gcloud iam service-accounts keys list --iam-account "
                f"{email}), or the Artifact Registry API is not enabled"
            )
            raise CredentialsRejected(f"{target.host} refused {what} ({registry_answer(e)})", fix=fix) from None
        return creds

    def retire(self, ctx: Context, target: Target, options: GoogleOptions, refs: tuple[str, ...]) -> list[str]:
        """Delete the keys of ours that the written key replaced."""
        repo = repository(target.image_prefix, options, ctx.spec.mode)
        api, iam, _ = _iam(ctx, repo, options)
        email = f"{options.service_account}@{repo.project}.iam.gserviceaccount.com"
        return provision.delete_keys(ctx, api, iam, repo, email, refs, "replaced by the key now in use")

    def _login(self, ctx: Context, target: Target, repo: Repository, options: GoogleOptions) -> tuple[Credentials, str]:
        """Docker credentials and the Google identity they belong to."""
        if ctx.spec.mode == "provision":
            return _provision(ctx, target, repo, options)
        key_name = options.key_key or _default_key_name(ctx.spec)
        auth = options.auth
        if auth == "auto":
            # As the chart decides about the refresh CronJob: a key where the credentials are
            # (the mounted existingSecret), else the pod's own Google identity.
            found = ctx.source.get(key_name, required=False) is not None
            auth = "serviceAccountKey" if found else "workloadIdentity"
            ctx.report.step(
                "credentials",
                f"auth: {auth} ({key_name!r} {'found' if found else 'not found'} in {ctx.source.describe()})",
            )
        if auth == "workloadIdentity":
            return _access_token(ctx, target)
        secret = ctx.source.get(key_name, value_path="registry.google.keyKey")
        text, info = parse_key(secret, ctx.source.where(key_name))
        _check_key_project(info, repo, options)
        return _key_login(ctx, text, info, ctx.source.where(key_name), options)


def _default_key_name(spec: RegistrySpec) -> str:
    # registry.credentials.passwordKey, when set to something other than its default.
    return spec.credentials.password_key if spec.credentials.password_key != "password" else "key.json"


def _push_denied(repo: Repository, email: str) -> Denied:
    def denied(registry: Registry, actions: list[str]) -> HookError:
        member = f"serviceAccount:{email}" if "@" in email else "MEMBER"
        return PushDenied(
            f"{email} may not push to repository {repo.repository} in project {repo.project} (the registry grants "
            f"{','.join(actions) or 'nothing'})",
            fix=f"grant {WRITER}: gcloud artifacts repositories add-iam-policy-binding {repo.repository} "
            f"--location {repo.location or 'LOCATION'} --project {repo.project} --member {member} --role {WRITER}",
        )

    return denied


def _key_login(
    ctx: Context,
    text: Secret,
    info: dict[str, Any],
    where: str,
    options: GoogleOptions,
    key: provision.KeyInfo | None = None,
    retire: tuple[str, ...] = (),
) -> tuple[Credentials, str]:
    """Docker credentials of a key; with its listing (provision), its end and rotation time."""
    login = options.login
    password = text if login == "_json_key" else Secret(base64.b64encode(text.reveal().encode()).decode())
    ctx.report.step(
        "credentials",
        f"service-account key {info['private_key_id'][:8]}... of "
        f"{info['client_email']} (project {info['project_id']}), login {login}",
    )
    life = {"valid_until": key.valid_before, "renew_at": provision.renew_at(key, options)} if key else {}
    return Credentials(login, password, origin=where, ref=info["private_key_id"], retire=retire, **life), info[
        "client_email"
    ]


def _check_key_project(info: dict[str, Any], repo: Repository, options: GoogleOptions) -> None:
    if info["project_id"] == repo.project or options.cross_project_key:
        return
    raise InputError(
        f"the service-account key is for project {info['project_id']} ({info['client_email']}), "
        f"but registry.imagePrefix pushes to project {repo.project}",
        fix=f"use a key of a service account of {repo.project}, or set registry.google.crossProjectKey: "
        f"true if {info['client_email']} was granted {WRITER} on the repository",
    )


def _access_token(ctx: Context, target: Target) -> tuple[Credentials, str]:
    creds = ctx.client("google.credentials", default_credentials, scopes=SCOPES)
    token, expires_at = refresh(creds, "workload identity")
    # Compute Engine credentials learn their email with the first token.
    who = identity(creds) or "the pod's Google identity"
    ctx.report.step("credentials", f"access token of {who} (workload identity), login {TOKEN_LOGIN}")
    if target.registry_class:
        ctx.report.step(
            "credentials",
            f"BinderHub's manifest lookups use {REGISTRY_CLASS}: tokens from the "
            "binder pod's metadata server, so that pod's identity needs "
            "roles/artifactregistry.reader on the repository",
        )
    return Credentials(TOKEN_LOGIN, token, expires_at, origin=f"workload identity ({who})"), who


def _provision(ctx: Context, target: Target, repo: Repository, options: GoogleOptions) -> tuple[Credentials, str]:
    if repo.location is None:
        raise SpecError(
            "registry.google.location",
            "required value is missing (registry.url does not name a LOCATION-docker.pkg.dev host)",
            fix="e.g. us-central1",
        )
    api, iam, admin = _iam(ctx, repo, options)
    registry = ctx.client(
        "google.artifactregistry",
        artifact_registry_client,
        credentials=admin,
        endpoint=options.endpoints.artifact_registry,
    )
    email = provision.ensure_service_account(ctx, api, iam, repo, options)
    provision.ensure_repository(ctx, api, registry, repo, options)
    provision.ensure_writer(ctx, api, registry, repo, email)
    text, info, where, key, retire = _provisioned_key(ctx, api, iam, target, repo, email, options)
    return _key_login(ctx, text, info, where, options, key, retire)


def _provisioned_key(
    ctx: Context, api: GoogleApi, iam: Any, target: Target, repo: Repository, email: str, options: GoogleOptions
) -> tuple[Secret, dict[str, Any], str, provision.KeyInfo | None, tuple[str, ...]]:
    """The key to write, its listing, and the keys of ours it replaces (retired after the write).

    Make-before-break: a key that is due is kept in use while a new one is created; the
    new one is probed, written and BinderHub rolled before the old one is deleted
    (``retire``). Leftovers (a rotation that died, a post-render run) are deleted first,
    so the account never holds more than two keys of ours.
    """
    report, now = ctx.report, ctx.now()
    live = provision.list_keys(api, iam, repo, email, now)
    current = provision.previous_key(ctx, target.auth_key, email, live)
    if current is not None:
        (text, info, where), key = current
        others = tuple(k.id for k in live if k.id != key.id)
        due = provision.renew_at(key, options)
        if due is None or due > now:
            report.step(
                "provision",
                f"reusing key {key.id[:8]}... of {email} from the output Secret"
                + (f" (rotation due {due:%Y-%m-%d})" if due else ""),
            )
            return text, info, where, key, others  # leftovers go once this one is written again
        if not ctx.claim(f"rotate the key of {email}"):
            report.warn(
                f"key {key.id[:8]}... of {email} is due for rotation ({due:%Y-%m-%d}); this run may not "
                "rotate it (another run is rotating it, or this command writes nothing): keeping it"
            )
            return text, info, where, key, ()
        report.step(
            "provision",
            f"key {key.id[:8]}... of {email} is due for rotation ({due:%Y-%m-%d}): "
            "creating its successor; the old key stays until the new one is written",
        )
        provision.delete_keys(ctx, api, iam, repo, email, others, "a leftover, not in the output Secret")
        retire: tuple[str, ...] = (key.id,)
    elif ctx.previous is not None:
        # The output Secret was read and holds no live key of ours: the others are not in use.
        # Keep at most one of them (the newest) while creating one; it goes after the write.
        spare = sorted(live, key=lambda k: k.created or now)[: -(provision.MAX_OURS - 1)]
        provision.delete_keys(ctx, api, iam, repo, email, [k.id for k in spare], "a leftover, not in use")
        retire = tuple(k.id for k in live if k not in spare)
    else:  # what is in use is unknown here (validate, explain): delete nothing
        retire = ()
    text, info, where = provision.create_key(ctx, api, iam, repo, email)
    return text, info, where, provision.KeyInfo(info["private_key_id"], now, None), retire


def _iam(ctx: Context, repo: Repository, options: GoogleOptions) -> tuple[GoogleApi, Any, Any]:
    """The provisioning identity's IAM client, with our error table."""
    admin = _admin_credentials(ctx, options)
    api = GoogleApi(identity(admin) or "the hook's Google identity", repo.project, ctx.spec.timeouts)
    return api, ctx.client("google.iam", iam_client, credentials=admin, endpoint=options.endpoints.iam), admin


def _admin_credentials(ctx: Context, options: GoogleOptions) -> Any:
    key_name = options.admin_key_key
    if not key_name:
        creds = ctx.client("google.credentials", default_credentials, scopes=SCOPES)
    else:
        where = ctx.source.where(key_name)
        _, info = parse_key(ctx.source.get(key_name, value_path="registry.google.adminKeyKey"), where)
        try:
            creds = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=SCOPES
            )
        except ValueError:
            raise InputError(f"{where}: the admin key's private_key is not a usable RSA key") from None
    # Fail here, in one line, rather than inside a gRPC call's auth plugin.
    refresh(creds, "provisioning identity")
    return creds
