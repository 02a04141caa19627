"""Google Artifact Registry (``LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/...``) and gcr.io.

Container Registry (``gcr.io``, ``us.gcr.io``, ``eu.gcr.io``, ``asia.gcr.io``) stopped
accepting writes on 2025-03-18.  A gcr.io host still takes pushes when the project serves it
from a gcr.io-hosted Artifact Registry repository (named after the host, in the ``us``,
``europe`` or ``asia`` multi-region), which ``registry.google.gcrHosted`` says; otherwise the
hook warns and names the Artifact Registry equivalent.

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
creates what is missing, each step idempotent: the service account (IAM Admin API over gRPC,
``google-cloud-iam``), the Docker repository (``google-cloud-artifact-registry``, REST), the
service account's ``roles/artifactregistry.writer`` binding on that repository, and a key,
unless the output Secret already holds a live key of that service account.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlparse

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsMissing,
    CredentialsRejected,
    HookError,
    InputError,
    PushDenied,
    RegistryRefused,
    RegistryUnavailable,
    RepositoryMissing,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers.base import Provider, Target, registry_answer
from binderhub_registry_hook.secrets import Secret, redact

AR_HOST_RE = re.compile(r"([a-z]+(?:-[a-z]+[0-9]*)?)-docker\.pkg\.dev")
# gcr.io host -> the Artifact Registry multi-region of its gcr.io-hosted repository
GCR_HOSTS = {"gcr.io": "us", "us.gcr.io": "us", "eu.gcr.io": "europe", "asia.gcr.io": "asia"}
GCR_SHUTDOWN = "2025-03-18"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
WRITER = "roles/artifactregistry.writer"
KEY_LOGINS = ("_json_key", "_json_key_base64")
TOKEN_LOGIN = "oauth2accesstoken"
REGISTRY_CLASS = "binderhub.registry.GoogleArtifactRegistry"
TOKEN_LIFETIME = timedelta(hours=1)  # Google access tokens, when the library does not say
KEY_FIELDS = ("project_id", "private_key_id", "private_key", "client_email")

# The predefined role that grants each permission the hook uses: named in errors.
ROLES = {
    "iam.serviceAccounts.get": "roles/iam.serviceAccountViewer",
    "iam.serviceAccounts.create": "roles/iam.serviceAccountCreator",
    "iam.serviceAccountKeys.create": "roles/iam.serviceAccountKeyAdmin",
    "iam.serviceAccountKeys.list": "roles/iam.serviceAccountKeyAdmin",
    "artifactregistry.repositories.get": "roles/artifactregistry.reader",
    "artifactregistry.repositories.create": "roles/artifactregistry.admin",
    "artifactregistry.repositories.getIamPolicy": "roles/artifactregistry.admin",
    "artifactregistry.repositories.setIamPolicy": "roles/artifactregistry.admin",
}


@dataclass(frozen=True)
class Repository:
    """Where the images go, in Artifact Registry's terms."""

    project: str
    location: str | None  # None: unknown (registry.url points elsewhere and no location given)
    repository: str
    gcr: bool  # a gcr.io host (served by a gcr.io-hosted repository, or by the shut-down GCR)

    @property
    def name(self) -> str:
        return f"projects/{self.project}/locations/{self.location}/repositories/{self.repository}"


class GoogleProvider(Provider):
    name = "google"
    can_provision = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self.options = self.spec.options
        self.auth = self.options.get("auth", "auto")
        # Access tokens live an hour; keys do not expire.
        self.short_lived = self.auth == "workloadIdentity"
        self.repo: Repository | None = None
        self._target: Target | None = None

    # -- where --------------------------------------------------------------------------

    def target(self) -> Target:
        prefix = self.spec.image_prefix
        host = prefix.split("/", 1)[0]
        url = (self.spec.url or f"https://{host}").rstrip("/")
        # docker, skopeo and `gcloud auth configure-docker` key config.json by host.
        target = Target(url=url, auth_key=urlparse(url).netloc, image_prefix=prefix)
        self.check_prefix(target)
        self.repo = self._repository(prefix)
        if self.options.get("binderhubRegistryClass"):
            target.registry_class = REGISTRY_CLASS
        where = f"{self.repo.location or '(location not given)'}, project {self.repo.project}"
        self.report.step("provider", f"Artifact Registry repository {self.repo.repository} in {where}"
                                     + (" (gcr.io-hosted)" if self.repo.gcr and self._gcr_hosted else ""))
        self._target = target
        return target

    @property
    def _gcr_hosted(self) -> bool:
        return bool(self.options.get("gcrHosted"))

    def _repository(self, prefix: str) -> Repository:
        o, path = self.options, "registry.imagePrefix"
        parts = prefix.split("/")
        host = parts[0]
        ar = AR_HOST_RE.fullmatch(host)
        gcr = host in GCR_HOSTS or (self._gcr_hosted and not ar)
        if self._gcr_hosted and ar:
            raise SpecError("registry.google.gcrHosted", f"{host} is an Artifact Registry host, not gcr.io",
                            fix="remove gcrHosted, or use the gcr.io host the repository serves")
        if gcr:
            if len(parts) < 3:
                raise SpecError(path, f"{prefix!r} must be HOST/PROJECT/NAME-PREFIX on gcr.io",
                                fix=f"e.g. {host}/my-project/binder-")
            project, repository = parts[1], o.get("repository") or (host if host in GCR_HOSTS else "gcr.io")
            location = o.get("location") or GCR_HOSTS.get(host, "us")
            if not self._gcr_hosted:
                self._gcr_warning(host, project, parts[2:])
                if self.spec.mode == "provision":
                    raise SpecError("registry.google.gcrHosted", f"{host} (Container Registry) stopped accepting "
                                    f"writes on {GCR_SHUTDOWN}; there is nothing to provision there",
                                    fix=f"set gcrHosted: true to create and use the gcr.io-hosted Artifact Registry "
                                        f"repository {host} in {location}, or use "
                                        f"{_ar_host(location)}/{project}/REPOSITORY/...")
        else:
            if len(parts) < 4:
                raise SpecError(path, f"{prefix!r} must be LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/NAME-PREFIX",
                                fix=f"put the images inside a repository, e.g. {host}/{parts[1]}/binder/"
                                    f"{parts[-1] if len(parts) > 2 else 'prod-'}")
            project, repository = parts[1], parts[2]
            location = ar.group(1) if ar else o.get("location")
            if ar and o.get("location") and o["location"] != location:
                raise SpecError("registry.google.location", f"{o['location']!r} but the image prefix's host "
                                f"{host} is in {location!r}", fix="make them agree")
        for key, value in (("project", project), ("repository", repository)):
            if o.get(key) and o[key] != value:
                raise SpecError(f"registry.google.{key}", f"{o[key]!r} but registry.imagePrefix names {value!r}",
                                fix="make them agree (or leave this value empty: it is read from the prefix)")
        return Repository(project, location, repository, gcr)

    def _gcr_warning(self, host: str, project: str, rest: list[str]) -> None:
        location = GCR_HOSTS.get(host, "us")
        self.report.warn(
            f"{host} is Container Registry, which stopped accepting writes on {GCR_SHUTDOWN} "
            f"(pushes fail unless the project serves {host} from Artifact Registry). Use Artifact Registry: "
            f"imagePrefix {_ar_host(location)}/{project}/REPOSITORY/{'/'.join(rest)}, or a gcr.io-hosted "
            f"repository ({host} in {location}) with registry.google.gcrHosted: true")

    # -- credentials ----------------------------------------------------------------------

    def credentials(self) -> Credentials:
        if self._target is None:
            self.target()
        creds = self._credentials()
        self._login(creds)
        return creds

    def _login(self, creds: Credentials) -> None:
        """Log in as the probe will, to say in Google's terms what a refusal means."""
        email = self._login_identity
        try:
            self.push_claim(self._target, creds, self._push_denied)
        except CredentialsRejected as e:
            what = f"the access token of {email}" if creds.username == TOKEN_LOGIN else f"the key of {email}"
            fix = ("the identity needs roles/artifactregistry.writer on the repository, and the Artifact Registry "
                   "API must be enabled" if creds.username == TOKEN_LOGIN else
                   f"the key may be deleted or disabled (gcloud iam service-accounts keys list --iam-account "
                   f"{email}), or the Artifact Registry API is not enabled")
            raise CredentialsRejected(f"{self._target.host} refused {what} ({registry_answer(e)})", fix=fix) from None

    def _push_denied(self, registry, actions: list[str]) -> HookError:
        repo, email = self.repo, self._login_identity
        member = f"serviceAccount:{email}" if "@" in email else "MEMBER"
        return PushDenied(
            f"{email} may not push to repository {repo.repository} in project {repo.project} (the registry grants "
            f"{','.join(actions) or 'nothing'})",
            fix=f"grant {WRITER}: gcloud artifacts repositories add-iam-policy-binding {repo.repository} "
                f"--location {repo.location or 'LOCATION'} --project {repo.project} --member {member} --role {WRITER}")

    def _credentials(self) -> Credentials:
        if self.spec.mode == "provision":
            return self._provision()
        key_name = self._key_name()
        if self.auth == "auto":
            # As the chart decides about the refresh CronJob: a key where the credentials are
            # (the mounted existingSecret), else the pod's own Google identity.
            found = self.ctx.source.get(key_name, required=False) is not None
            self.auth = "serviceAccountKey" if found else "workloadIdentity"
            self.short_lived = not found
            self.report.step("credentials", f"auth: {self.auth} ({key_name!r} {'found' if found else 'not found'} "
                                            f"in {self.ctx.source.describe()})")
        if self.auth == "workloadIdentity":
            return self._access_token()
        secret = self.ctx.source.get(key_name, value_path="registry.google.keyKey")
        text, info = parse_key(secret, self.ctx.source.where(key_name))
        self._check_key_project(info)
        return self._key_login(text, info, f"{self.ctx.source.where(key_name)}")

    def _key_name(self) -> str:
        if self.options.get("keyKey"):
            return self.options["keyKey"]
        # registry.credentials.passwordKey, when set to something other than its default.
        return self.spec.credentials.password_key if self.spec.credentials.password_key != "password" else "key.json"

    def _key_login(self, text: Secret, info: dict, where: str) -> Credentials:
        login = self.options.get("login", "_json_key")
        password = text if login == "_json_key" else Secret(base64.b64encode(text.reveal().encode()).decode())
        self._login_identity = info["client_email"]
        self.report.step("credentials", f"service-account key {info['private_key_id'][:8]}... of "
                                        f"{info['client_email']} (project {info['project_id']}), login {login}")
        return Credentials(login, password, origin=where)

    def _check_key_project(self, info: dict) -> None:
        if info["project_id"] == self.repo.project or self.options.get("crossProjectKey"):
            return
        raise InputError(
            f"the service-account key is for project {info['project_id']} ({info['client_email']}), "
            f"but registry.imagePrefix pushes to project {self.repo.project}",
            fix=f"use a key of a service account of {self.repo.project}, or set registry.google.crossProjectKey: "
                f"true if {info['client_email']} was granted {WRITER} on the repository")

    def _access_token(self) -> Credentials:
        creds = self.ctx.client("google.credentials", default_credentials, scopes=SCOPES)
        token, expires_at = refresh(creds, "workload identity")
        # Compute Engine credentials learn their email with the first token.
        who = identity(creds) or "the pod's Google identity"
        self._login_identity = who
        self.report.step("credentials", f"access token of {who} (workload identity), login {TOKEN_LOGIN}")
        if self._target.registry_class:
            self.report.step("credentials", f"BinderHub's manifest lookups use {REGISTRY_CLASS}: tokens from the "
                                            "binder pod's metadata server, so that pod's identity needs "
                                            "roles/artifactregistry.reader on the repository")
        return Credentials(TOKEN_LOGIN, token, expires_at, origin=f"workload identity ({who})")

    # -- provision ------------------------------------------------------------------------

    def _provision(self) -> Credentials:
        repo = self.repo
        if repo.location is None:
            raise SpecError("registry.google.location", "required value is missing (registry.url does not "
                            "name a LOCATION-docker.pkg.dev host)", fix="e.g. us-central1")
        self.admin = self._admin_credentials()
        self.admin_who = identity(self.admin) or "the hook's Google identity"
        endpoints = self.options.get("endpoints") or {}
        iam = self.ctx.client("google.iam", iam_client, credentials=self.admin, endpoint=endpoints.get("iam"))
        registry = self.ctx.client("google.artifactregistry", artifact_registry_client, credentials=self.admin,
                                   endpoint=endpoints.get("artifactRegistry"))
        email = self._ensure_service_account(iam)
        self._ensure_repository(registry)
        self._ensure_writer(registry, email)
        found = self._previous_key(iam, email)
        if found is None:
            found = self._create_key(iam, email)
        text, info, where = found
        return self._key_login(text, info, where)

    def _admin_credentials(self):
        key_name = self.options.get("adminKeyKey")
        if not key_name:
            creds = self.ctx.client("google.credentials", default_credentials, scopes=SCOPES)
        else:
            from google.oauth2 import service_account

            where = self.ctx.source.where(key_name)
            _, info = parse_key(self.ctx.source.get(key_name, value_path="registry.google.adminKeyKey"), where)
            try:
                creds = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
            except ValueError:
                raise InputError(f"{where}: the admin key's private_key is not a usable RSA key") from None
        # Fail here, in one line, rather than inside a gRPC call's auth plugin.
        refresh(creds, "provisioning identity")
        return creds

    def _call(self, action: str, permission: str, fn, *args, passthrough: tuple = (), **kw):
        """Call the SDK with bounded retries; its errors become ours, but for ``passthrough``
        (NotFound, Conflict) that the caller decides about."""
        from google.api_core import exceptions as gexc
        from google.api_core import retry as gretry

        transient = gretry.if_exception_type(gexc.ServiceUnavailable, gexc.InternalServerError,
                                             gexc.TooManyRequests, gexc.DeadlineExceeded)
        kw.setdefault("retry", gretry.Retry(predicate=transient, initial=0.25, maximum=8,
                                            timeout=self.spec.timeouts.retry_for))
        kw.setdefault("timeout", self.spec.timeouts.read)
        try:
            return fn(*args, **kw)
        except gexc.GoogleAPICallError as e:
            if isinstance(e, passthrough):
                raise
            raise self._error(e, action, permission) from None
        except gexc.RetryError as e:
            raise RegistryUnavailable(f"{action}: {_text(e.cause or e)} (gave up after "
                                      f"{self.spec.timeouts.retry_for:g}s of retries)") from None

    def _error(self, e, action: str, permission: str) -> HookError:
        from google.api_core import exceptions as gexc

        project, meta = self.repo.project, dict(getattr(e, "metadata", None) or {})
        if getattr(e, "reason", None) == "SERVICE_DISABLED" or "SERVICE_DISABLED" in str(e):
            service = meta.get("service") or permission.split(".")[0] + ".googleapis.com"
            return CloudDenied(f"{action}: the {service} API is not enabled in project {project}",
                               fix=f"enable it (gcloud services enable {service} --project {project}), "
                                   "wait a few minutes, and rerun")
        if isinstance(e, (gexc.PermissionDenied, gexc.Forbidden)):
            permission = meta.get("permission") or permission
            role = ROLES.get(permission, "a role with it")
            return CloudDenied(f"{action}: {self.admin_who} lacks {permission} ({_text(e)})",
                               fix=f"grant {role} to {self.admin_who} in project {project}")
        if isinstance(e, (gexc.Unauthenticated, gexc.Unauthorized)):
            return CredentialsRejected(f"{action}: Google did not accept {self.admin_who} ({_text(e)})")
        if isinstance(e, (gexc.ServiceUnavailable, gexc.DeadlineExceeded)):
            return Unreachable(f"{action}: {_text(e)}")
        return RegistryRefused(f"{action}: {_text(e)}")

    def _ensure_service_account(self, iam) -> str:
        from google.api_core import exceptions as gexc
        from google.cloud import iam_admin_v1

        account_id = self.options.get("serviceAccount", "binderhub-builder")
        project = self.repo.project
        email = f"{account_id}@{project}.iam.gserviceaccount.com"
        name = f"projects/{project}/serviceAccounts/{email}"
        try:
            self._call(f"reading service account {email}", "iam.serviceAccounts.get", iam.get_service_account,
                       name=name, passthrough=(gexc.NotFound,))
            self.report.step("provision", f"service account {email} exists")
            return email
        except gexc.NotFound:
            pass
        account = iam_admin_v1.ServiceAccount(display_name="BinderHub image pushes",
                                              description="Created by binderhub-registry-hook")
        try:
            self._call(f"creating service account {email}", "iam.serviceAccounts.create",
                       iam.create_service_account, name=f"projects/{project}", account_id=account_id,
                       service_account=account, passthrough=(gexc.NotFound, gexc.Conflict))
        except gexc.NotFound:
            raise CloudDenied(f"creating service account {email}: project {project} was not found",
                              fix="check the project in registry.imagePrefix") from None
        except gexc.Conflict:  # created meanwhile: fine
            pass
        self.report.step("provision", f"created service account {email}")
        return email

    def _ensure_repository(self, registry) -> None:
        from google.api_core import exceptions as gexc
        from google.cloud import artifactregistry_v1 as ar

        repo = self.repo
        try:
            found = self._call(f"reading repository {repo.name}", "artifactregistry.repositories.get",
                               registry.get_repository, name=repo.name, passthrough=(gexc.NotFound,))
        except gexc.NotFound:
            found = None
        if found is not None:
            if found.format_ != ar.Repository.Format.DOCKER:
                raise SpecError("registry.imagePrefix", f"Artifact Registry repository {repo.repository} holds "
                                f"{found.format_.name} packages, not Docker images",
                                fix="use a Docker-format repository")
            self.report.step("provision", f"repository {repo.repository} exists in {repo.location}")
            return
        if self.options.get("createRepository", True) is False:
            raise RepositoryMissing(f"Artifact Registry repository {repo.name} does not exist",
                                    fix="create it, or set registry.google.createRepository: true")
        parent = f"projects/{repo.project}/locations/{repo.location}"
        desc = "BinderHub images (created by binderhub-registry-hook)"
        try:
            op = self._call(f"creating repository {repo.name}", "artifactregistry.repositories.create",
                            registry.create_repository, parent=parent, repository_id=repo.repository,
                            repository=ar.Repository(format_=ar.Repository.Format.DOCKER, description=desc),
                            passthrough=(gexc.NotFound, gexc.Conflict))
            op.result(timeout=self.spec.timeouts.retry_for or self.spec.timeouts.read)
        except gexc.NotFound:
            raise CloudDenied(f"creating repository {repo.name}: project {repo.project} or location "
                              f"{repo.location} was not found", fix="check registry.imagePrefix") from None
        except gexc.Conflict:  # created meanwhile: fine
            pass
        except gexc.GoogleAPICallError as e:  # the operation itself failed
            raise self._error(e, f"creating repository {repo.name}", "artifactregistry.repositories.create") from None
        self.report.step("provision", f"created Docker repository {repo.repository} in {repo.location}")

    def _ensure_writer(self, registry, email: str) -> None:
        from google.api_core import exceptions as gexc
        from google.iam.v1 import iam_policy_pb2

        member, resource = f"serviceAccount:{email}", self.repo.name
        for _attempt in range(3):  # setIamPolicy answers ABORTED when the etag moved meanwhile
            policy = self._call(f"reading the IAM policy of {resource}", "artifactregistry.repositories.getIamPolicy",
                                registry.get_iam_policy,
                                request=iam_policy_pb2.GetIamPolicyRequest(resource=resource))
            binding = next((b for b in policy.bindings if b.role == WRITER and not b.HasField("condition")), None)
            if binding is not None and member in binding.members:
                self.report.step("provision", f"{email} already has {WRITER} on {self.repo.repository}")
                return
            if binding is None:
                binding = policy.bindings.add(role=WRITER)
            binding.members.append(member)
            try:
                self._call(f"granting {WRITER} on {resource}", "artifactregistry.repositories.setIamPolicy",
                           registry.set_iam_policy,
                           request=iam_policy_pb2.SetIamPolicyRequest(resource=resource, policy=policy),
                           passthrough=(gexc.Conflict,))
            except gexc.Conflict:  # ABORTED: the etag moved meanwhile; read it again
                continue
            self.report.step("provision", f"granted {WRITER} on {self.repo.repository} to {email}")
            return
        raise RegistryUnavailable(f"granting {WRITER} on {resource}: the policy kept changing meanwhile")

    def _previous_key(self, iam, email: str) -> tuple[Secret, dict, str] | None:
        """The key in the output Secret, when it belongs to ``email`` and is still live."""
        from binderhub_registry_hook.dockerconfig import previous_login

        found = previous_login(self.ctx.previous, self._target.auth_key)
        if found is None or found[0] not in KEY_LOGINS:
            return None
        user, password = found
        try:
            text, info = parse_key(password, "the output Secret")
        except InputError:
            self.report.step("provision", "the output Secret holds no readable key; creating one")
            return None
        if info["client_email"] != email:
            self.report.step("provision", f"the key in the output Secret is of {info['client_email']}, not {email}")
            return None
        from google.cloud import iam_admin_v1

        keys = self._call(f"listing the keys of {email}", "iam.serviceAccountKeys.list",
                          iam.list_service_account_keys, name=f"projects/{self.repo.project}/serviceAccounts/{email}",
                          key_types=[iam_admin_v1.ListServiceAccountKeysRequest.KeyType.USER_MANAGED])
        now = datetime.now(timezone.utc)
        for key in keys.keys:
            if key.name.rsplit("/", 1)[-1] != info["private_key_id"]:
                continue
            until = key.valid_before_time
            if key.disabled or (until and until.replace(tzinfo=until.tzinfo or timezone.utc) <= now):
                break
            self.report.step("provision", f"reusing key {info['private_key_id'][:8]}... of {email} from the "
                                          "output Secret (no new key created)")
            return text, info, "the output Secret (previous run)"
        self.report.step("provision", f"the key in the output Secret ({info['private_key_id'][:8]}...) was "
                                      "deleted, disabled or expired")
        return None

    def _create_key(self, iam, email: str) -> tuple[Secret, dict, str]:
        from google.api_core import exceptions as gexc
        from google.cloud import iam_admin_v1

        name = f"projects/{self.repo.project}/serviceAccounts/{email}"
        try:
            key = self._call(f"creating a key for {email}", "iam.serviceAccountKeys.create",
                             iam.create_service_account_key, name=name,
                             private_key_type=iam_admin_v1.ServiceAccountPrivateKeyType.TYPE_GOOGLE_CREDENTIALS_FILE,
                             key_algorithm=iam_admin_v1.ServiceAccountKeyAlgorithm.KEY_ALG_RSA_2048,
                             passthrough=(gexc.NotFound,))
        except RegistryRefused as e:
            if "precondition" in e.message.lower():
                raise CloudDenied(f"Google refused a new key for {email} ({e.message}): the account may have "
                                  "10 keys already, or the organization policy "
                                  "iam.disableServiceAccountKeyCreation forbids keys",
                                  fix="delete unused keys, or use registry.google.auth: workloadIdentity") from None
            raise
        except gexc.NotFound:
            raise CloudDenied(f"creating a key for {email}: the service account is not visible yet",
                              fix="rerun in a minute (IAM is eventually consistent)") from None
        text = Secret(key.private_key_data.decode())
        text, info = parse_key(text, "the key Google returned")
        self.report.step("provision", f"created key {info['private_key_id'][:8]}... for {email}")
        return text, info, f"a new key of {email}"


# -- keys and tokens -------------------------------------------------------------------------


def parse_key(secret: Secret, where: str) -> tuple[Secret, dict]:
    """A service-account key JSON (or base64 of it): its text and fields, or one clear error.

    Messages name what is wrong and where, never a byte of the key.
    """
    text = secret.reveal().strip()
    if text and not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode().strip()
        except (binascii.Error, ValueError):
            raise InputError(f"{where}: not a service-account key (neither JSON nor base64 of JSON)",
                             fix="put the JSON key file as it was downloaded") from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: the service-account key is not valid JSON ({e.msg} at line {e.lineno} "
                         f"column {e.colno})", fix="put the JSON key file as it was downloaded") from None
    if not isinstance(info, dict):
        raise InputError(f"{where}: the service-account key must be a JSON object")
    kind = info.get("type")
    if kind == "external_account":
        raise InputError(f"{where}: holds a workload identity federation configuration, not a key",
                         fix="use registry.google.auth: workloadIdentity with GOOGLE_APPLICATION_CREDENTIALS")
    if kind != "service_account":
        raise InputError(f"{where}: not a service-account key (type {str(kind)[:30]!r})",
                         fix="create a key with: gcloud iam service-accounts keys create")
    missing = [f for f in KEY_FIELDS if not isinstance(info.get(f), str) or not info[f]]
    if missing:
        raise InputError(f"{where}: the service-account key has no {', '.join(missing)}")
    Secret(info["private_key"])  # so redaction also hides the key on its own
    if "PRIVATE KEY-----" not in info["private_key"]:
        raise InputError(f"{where}: the service-account key's private_key is not a PEM private key")
    return Secret(text), info


def default_credentials(scopes: list[str]):
    """Application default credentials: workload identity, metadata server, or a key file."""
    import google.auth
    from google.auth import exceptions as gae

    try:
        creds, _project = google.auth.default(scopes=scopes)
    except gae.DefaultCredentialsError as e:
        raise CredentialsMissing(f"no Google identity found ({_text(e)})",
                                 fix="on GKE annotate the hook's ServiceAccount with iam.gke.io/gcp-service-account "
                                     "(serviceAccount.annotations), or use registry.google.auth: serviceAccountKey") from None
    return creds


def refresh(creds, what: str) -> tuple[Secret, datetime]:
    """Ask Google for an access token now; map google-auth's errors to ours."""
    from google.auth import exceptions as gae
    from google.auth.transport.requests import Request

    try:
        creds.refresh(Request())
    except gae.RefreshError as e:
        raise CredentialsRejected(f"{what}: Google refused to issue an access token ({_text(e)})",
                                  fix="check the key or the workload identity binding "
                                      "(roles/iam.workloadIdentityUser)") from None
    except gae.TransportError as e:
        raise Unreachable(f"{what}: cannot reach Google's token service ({_text(e)})") from None
    if not creds.token:
        raise CredentialsRejected(f"{what}: Google answered without an access token")
    expiry = getattr(creds, "expiry", None)  # naive UTC in google-auth
    expires_at = (expiry.replace(tzinfo=timezone.utc) if expiry and expiry.tzinfo is None else expiry) \
        or datetime.now(timezone.utc) + TOKEN_LIFETIME
    return Secret(creds.token), expires_at


def identity(creds) -> str | None:
    email = getattr(creds, "service_account_email", None)
    return email if isinstance(email, str) and "@" in email else None


# -- clients (replaceable: Context.clients["google.iam"], ["google.artifactregistry"]) ----------


def iam_client(credentials, endpoint: str | None = None):
    """IAM Admin API client (gRPC only).  ``http://HOST:PORT``: plaintext to a loopback server (tests)."""
    from google.cloud import iam_admin_v1

    if endpoint and endpoint.startswith("http://"):
        import grpc
        from google.cloud.iam_admin_v1.services.iam.transports import IAMGrpcTransport

        # Local TCP credentials refuse any peer but loopback, yet carry the bearer token.
        transport = IAMGrpcTransport(host=endpoint.removeprefix("http://"), credentials=credentials,
                                     ssl_channel_credentials=grpc.local_channel_credentials())
        return iam_admin_v1.IAMClient(transport=transport)
    options = {"api_endpoint": endpoint.removeprefix("https://")} if endpoint else None
    return iam_admin_v1.IAMClient(credentials=credentials, client_options=options)


def artifact_registry_client(credentials, endpoint: str | None = None):
    """Artifact Registry client over REST; ``endpoint`` may be ``http://127.0.0.1:PORT`` (tests)."""
    from google.cloud import artifactregistry_v1

    options = {"api_endpoint": endpoint} if endpoint else None
    return artifactregistry_v1.ArtifactRegistryClient(credentials=credentials, transport="rest",
                                                      client_options=options)


# -- helpers ----------------------------------------------------------------------------------


def _ar_host(location: str) -> str:
    return f"{location}-docker.pkg.dev"


def _text(e: Any) -> str:
    """One short line of an SDK error, secrets redacted."""
    text = getattr(e, "message", None) or (e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], str)
                                           else str(e))
    return redact(" ".join(str(text).split()))[:240]
