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

boto3 is imported only here, inside functions.  Every botocore exception is mapped
to :mod:`binderhub_registry_hook.errors`; an AccessDenied names the IAM action that was refused.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from typing import Any

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsMissing,
    CredentialsRejected,
    HookError,
    RegistryRefused,
    RegistryUnavailable,
    RepositoryMissing,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers.base import Provider, Target
from binderhub_registry_hook.secrets import Secret, redact

OPT = "registry.ecr"
USERNAME = "AWS"
CREATE_ON_PUSH = "CREATE_ON_PUSH"
ROOT = "ROOT"  # the template prefix that applies to every repository without its own
SESSION_NAME = "binderhub-registry-hook"
TEMPLATE_DESCRIPTION = "BinderHub images (managed by binderhub-registry-hook)"
MAX_ATTEMPTS = 5  # in all, first try included (botocore standard mode retries throttling and 5xx)
KEY_ID, SECRET_KEY, SESSION_TOKEN = "aws_access_key_id", "aws_secret_access_key", "aws_session_token"

HOST_RE = re.compile(r"(?P<account>[0-9]{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?")

# Error codes, by what they mean for the operator.
DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"}
BAD_KEYS = {"UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature", "AuthFailure", "InvalidAccessKeyId"}
EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
             "ProvisionedThroughputExceededException", "LimitExceededException"}
BAD_INPUT = {"InvalidParameterException", "ValidationException", "InvalidParameterValue",
             "InvalidTagParameterException", "LifecyclePolicyNotFoundException"}

# What BinderHub's builds do with the token (docker push and BinderHub's manifest lookups).
PUSH_PULL_ACTIONS = [
    "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
    "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload", "ecr:ListImages", "ecr:PutImage", "ecr:UploadLayerPart",
]


def partition(region: str) -> tuple[str, str]:
    """(ARN partition, DNS suffix) of a region."""
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


def make_client(service: str, *, session, region: str, config, endpoint_url: str | None = None):
    """The default client factory (``ctx.clients["aws"]`` replaces it in tests).

    Without ``endpoint_url`` botocore honours ``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_<SERVICE>``
    (VPC endpoints without private DNS) and ``AWS_USE_FIPS_ENDPOINT``.
    """
    return session.client(service, region_name=region, config=config, endpoint_url=endpoint_url)


def lifecycle_policy(options: dict) -> dict | None:
    """The lifecycle policy document for ``repositoryCreationTemplate.lifecycle``."""
    if not options or not options.get("expireAfterDays"):
        return None
    days = int(options["expireAfterDays"])
    since = options.get("since", "pulled")
    count_type, what = ("sinceImagePulled", "not pulled") if since == "pulled" else ("sinceImagePushed", "pushed")
    return {"rules": [{
        "rulePriority": 1,
        "description": f"Expire images {what} for {days} days",
        "selection": {"tagStatus": "any", "countType": count_type, "countUnit": "days", "countNumber": days},
        "action": {"type": "expire"},
    }]}


class ECRProvider(Provider):
    name = "ecr"
    short_lived = True
    can_provision = True

    def __init__(self, ctx):
        super().__init__(ctx)
        o = self.spec.options
        host = (self.spec.url or "").split("://", 1)[-1].split("/", 1)[0] or self.spec.image_prefix.split("/", 1)[0]
        m = HOST_RE.fullmatch(host)
        self.region = o.get("region") or (m and m["region"])
        self.account = o.get("accountId") or (m and m["account"])
        if not self.account:
            raise SpecError(f"{OPT}.accountId", "required value is missing",
                            fix="give the 12-digit AWS account of the registry (it is not in registry.url)")
        if m and (m["account"], m["region"]) != (self.account, self.region):
            raise SpecError(f"{OPT}.region" if m["account"] == self.account else f"{OPT}.accountId",
                            f"does not match the registry host {host} (account {m['account']}, region {m['region']})")
        self.partition, self.dns_suffix = partition(self.region)
        self.role_arn = o.get("roleArn")
        t = o.get("repositoryCreationTemplate") or {}
        self.template_enabled = t.get("enabled", True)
        self.template_options = t
        self.lifecycle = lifecycle_policy(t.get("lifecycle") or {})
        self.tags = dict(t.get("tags") or {})
        self.repositories = list(o.get("repositories") or [])
        self._identity: dict | None = None
        self._session_obj = None
        self._clients: dict[str, Any] = {}

    # -- where BinderHub pushes (no network) --------------------------------------

    def target(self) -> Target:
        host = f"{self.account}.dkr.ecr.{self.region}.{self.dns_suffix}"
        url = (self.spec.url or f"https://{host}").rstrip("/")
        target = Target(url=url, auth_key=url.split("://", 1)[-1], image_prefix=self.spec.image_prefix,
                        token_url="")  # ECR speaks Basic auth: BinderHub must not ask for a token
        self.check_prefix(target)
        self.repo_prefix = self.spec.image_prefix.split("/", 1)[1]
        self.probe_repo = target.probe_repository(self.spec.probe_name)
        self.template_prefix = self._template_prefix()
        for i, name in enumerate(self.repositories):
            if not name.startswith(self.repo_prefix):
                raise SpecError(f"{OPT}.repositories[{i}]", f"{name!r} does not start with {self.repo_prefix!r}, "
                                "so BinderHub would never push there", fix="list names under registry.imagePrefix")
        return target

    def _template_prefix(self) -> str | None:
        if not self.template_enabled:
            return None
        namespace = self.repo_prefix.rpartition("/")[0]
        prefix = self.template_options.get("prefix") or namespace
        path = f"{OPT}.repositoryCreationTemplate.prefix"
        if not prefix:
            raise SpecError("registry.imagePrefix", f"{self.spec.image_prefix!r} has no namespace, and ECR "
                            "creation templates apply to a namespace (NAMESPACE/...), not to a partial name",
                            fix=f"use {self.spec.image_prefix.split('/')[0]}/binder/{self.repo_prefix}, set "
                                f"{path}: ROOT (every new repository in the registry), or disable the template "
                                f"and list {OPT}.repositories")
        if prefix != ROOT and not (self.repo_prefix.startswith(prefix.rstrip("/") + "/")):
            raise SpecError(path, f"{prefix!r} does not cover the image prefix's repositories "
                            f"({self.repo_prefix}...)", fix=f"use {namespace or ROOT!r}")
        return prefix.rstrip("/")

    # -- credentials (and provisioning) ---------------------------------------------

    def credentials(self) -> Credentials:
        if not hasattr(self, "repo_prefix"):
            self.target()  # the repository names below come from the checked image prefix
        provision = self.spec.mode == "provision"
        policy = json.dumps(self.iam_policy(provision), indent=2)
        self.report.step("iam", f"least-privilege IAM policy for the hook's AWS identity (BinderHub pushes with "
                                f"its token):\n{policy}")
        self._check_identity(provision)
        if self.template_prefix:
            self._ensure_template(provision)
        self._ensure_repositories(provision)
        return self._token()

    def _check_identity(self, provision: bool) -> None:
        ident = self._call("sts", "GetCallerIdentity")
        self._identity = ident
        self.report.step("identity", f"AWS identity {ident.get('Arn')} (account {ident.get('Account')}) "
                                     f"from {self._origin}")
        if ident.get("Account") != self.account:
            msg = (f"the AWS identity is in account {ident.get('Account')} but the registry is in {self.account}: "
                   "the registry's repository policies must allow it")
            if provision and self.template_prefix:
                raise SpecError(f"{OPT}.accountId", f"{msg}, and creation templates can only be managed in "
                                "the caller's own registry", fix=f"use an identity in account {self.account} "
                                f"(e.g. {OPT}.roleArn)")
            self.report.warn(msg)

    def _token(self) -> Credentials:
        data = self._call("ecr", "GetAuthorizationToken")["authorizationData"][0]
        token = Secret(data["authorizationToken"])  # base64 of AWS:PASSWORD; registered for redaction at once
        try:
            username, _, password = base64.b64decode(token.reveal(), validate=True).decode().partition(":")
        except ValueError:
            raise RegistryRefused("ecr:GetAuthorizationToken answered a token that is not base64 of user:password") \
                from None
        expires = data["expiresAt"]  # botocore parses it into an aware datetime
        if expires <= datetime.now(timezone.utc):
            raise RegistryRefused(f"ecr:GetAuthorizationToken answered a token that expired at "
                                  f"{expires:%Y-%m-%d %H:%M} UTC")
        who = (self._identity or {}).get("Arn", "the AWS identity")
        return Credentials(username or USERNAME, Secret(password), expires,
                           origin=f"ecr:GetAuthorizationToken as {who}")

    # -- repository creation template -----------------------------------------------

    def desired_template(self) -> dict:
        t = {"prefix": self.template_prefix, "description": self.template_options.get("description")
             or TEMPLATE_DESCRIPTION, "appliedFor": [CREATE_ON_PUSH]}
        if self.lifecycle:
            t["lifecyclePolicy"] = json.dumps(self.lifecycle, sort_keys=True)
        if self.tags:
            t["resourceTags"] = [{"Key": k, "Value": v} for k, v in sorted(self.tags.items())]
        return t

    def template_changes(self, current: dict) -> dict:
        """The fields of ``current`` to update; empty when it already does what is asked."""
        changes = {}
        applied = set(current.get("appliedFor") or [])
        if CREATE_ON_PUSH not in applied:
            changes["appliedFor"] = sorted(applied | {CREATE_ON_PUSH})  # keep its other uses
        if self.lifecycle and _json_or_none(current.get("lifecyclePolicy")) != self.lifecycle:
            changes["lifecyclePolicy"] = json.dumps(self.lifecycle, sort_keys=True)
        have_tags = {t.get("Key"): t.get("Value") for t in current.get("resourceTags") or []}
        if self.tags and have_tags != self.tags:
            changes["resourceTags"] = [{"Key": k, "Value": v} for k, v in sorted(self.tags.items())]
        return changes

    def _ensure_template(self, provision: bool) -> None:
        prefix = self.template_prefix
        path = f"{OPT}.repositoryCreationTemplate"
        found = self._call("ecr", "DescribeRepositoryCreationTemplates", prefixes=[prefix],
                           missing={"TemplateNotFoundException"}, value_path=path)
        current = next((t for t in (found or {}).get("repositoryCreationTemplates", [])
                        if t.get("prefix") == prefix), None)
        what = f"repository creation template {prefix!r}"
        if current is None:
            if not provision:
                raise RepositoryMissing(
                    f"no {what} in registry {self.account} ({self.region}): a push of a new BinderHub image "
                    "to a repository that does not exist would fail",
                    fix=f"use registry.mode: provision, create the template with appliedFor CREATE_ON_PUSH, or set "
                        f"{path}.enabled: false and create the repositories yourself")
            desired = self.desired_template()
            self._call("ecr", "CreateRepositoryCreationTemplate", value_path=path, **desired)
            self.report.step("provision", f"created {what} ({self._describe(desired)})")
            return
        changes = self.template_changes(current)
        if not changes:
            self.report.step("template", f"{what} exists with {CREATE_ON_PUSH}"
                                         + (", lifecycle policy and tags as configured" if self.lifecycle or self.tags
                                            else "") + "; unchanged")
            return
        if not provision:
            self.report.warn(f"{what} differs from the values ({', '.join(sorted(changes))}); "
                             "registry.mode: provision would update it")
            if "appliedFor" in changes:
                raise RepositoryMissing(f"{what} is not applied for {CREATE_ON_PUSH}: pushes of new BinderHub "
                                        "images would fail", fix="use registry.mode: provision, or add "
                                        f"{CREATE_ON_PUSH} to the template's appliedFor")
            return
        self._call("ecr", "UpdateRepositoryCreationTemplate", value_path=path, prefix=prefix, **changes)
        self.report.step("provision", f"updated {what}: {', '.join(sorted(changes))}")

    def _describe(self, t: dict) -> str:
        parts = [", ".join(t["appliedFor"])]
        if self.lifecycle:
            parts.append(self.lifecycle["rules"][0]["description"].lower())
        if self.tags:
            parts.append(f"tags {', '.join(f'{k}={v}' for k, v in sorted(self.tags.items()))}")
        return "; ".join(parts)

    # -- named repositories ----------------------------------------------------------

    def _ensure_repositories(self, provision: bool) -> None:
        """The listed repositories, and (when provisioning) the probe's, must exist.

        The probe's repository is created when provisioning because whether ECR creates a
        repository at a blob upload (rather than at the manifest push) is not documented.
        """
        names = list(dict.fromkeys(self.repositories + ([self.probe_repo] if provision else [])))
        if not names:
            return
        missing = [n for n in names if not self._repository_exists(n)]
        listed = [n for n in missing if n in self.repositories]
        if not provision:
            if listed:
                raise RepositoryMissing(f"ECR repositories missing in {self.account} ({self.region}): "
                                        f"{', '.join(listed)}", fix="use registry.mode: provision or create them")
            return
        for name in missing:
            params: dict = {"repositoryName": name, "registryId": self.account}
            if self.tags:
                params["tags"] = [{"Key": k, "Value": v} for k, v in sorted(self.tags.items())]
            self._call("ecr", "CreateRepository", missing={"RepositoryAlreadyExistsException"},
                       value_path=f"{OPT}.repositories", **params)
            self.report.step("provision", f"created ECR repository {name}")
        present = [n for n in names if n not in missing]
        if present:
            self.report.step("repositories", f"exist, unchanged: {', '.join(present)}")

    def _repository_exists(self, name: str) -> bool:
        found = self._call("ecr", "DescribeRepositories", registryId=self.account, repositoryNames=[name],
                           missing={"RepositoryNotFoundException"})
        return bool(found and found.get("repositories"))

    # -- the IAM policy `explain` prints ---------------------------------------------

    def iam_policy(self, provision: bool) -> dict:
        arn = f"arn:{self.partition}:ecr:{self.region}:{self.account}"
        repos = f"{arn}:repository/{self.repo_prefix}*"
        statements = [
            {"Sid": "EcrLogin", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"},
            {"Sid": "BinderHubPushPull", "Effect": "Allow", "Action": list(PUSH_PULL_ACTIONS), "Resource": repos},
        ]
        create = []
        if self.template_prefix or (provision and (self.repositories or self.spec.probe_push)):
            create.append("ecr:CreateRepository")  # create on push is authorized as the pusher
            if self.tags:
                create.append("ecr:TagResource")  # tags on create are authorized separately
        if create:
            statements.append({"Sid": "CreateRepositories", "Effect": "Allow", "Action": create, "Resource": repos})
        if self.template_prefix:
            actions = ["ecr:DescribeRepositoryCreationTemplates"]
            if provision:
                actions += ["ecr:CreateRepositoryCreationTemplate", "ecr:UpdateRepositoryCreationTemplate"]
                if self.lifecycle:
                    actions.append("ecr:PutLifecyclePolicy")
            statements.append({"Sid": "RepositoryCreationTemplate", "Effect": "Allow", "Action": actions,
                               "Resource": "*"})
        return {"Version": "2012-10-17", "Statement": statements}

    # -- AWS plumbing -------------------------------------------------------------------

    @property
    def _origin(self) -> str:
        origin = (f"access keys from {self.ctx.source.describe()}" if self._keys()
                  else "the default AWS credential chain")
        return origin + (f", as role {self.role_arn}" if self.role_arn else "")

    def _keys(self) -> tuple | None:
        """Access keys from the credential source, or None for the default chain."""
        src = self.ctx.source
        key_id = src.get(KEY_ID, required=bool(self.spec.credentials.existing_secret), secret=False,
                         value_path="registry.credentials.existingSecret")
        if not key_id:
            return None
        return key_id, src.get(SECRET_KEY), src.get(SESSION_TOKEN, required=False)

    def _session(self):
        if self._session_obj is None:
            import boto3

            keys = self._keys()
            if keys:
                key_id, secret, token = keys
                session = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret.reveal(),
                                        aws_session_token=token.reveal() if token else None,
                                        region_name=self.region)
            else:
                session = boto3.Session(region_name=self.region)
            if session.get_credentials() is None:
                raise _no_credentials()
            self._session_obj = session
            if self.role_arn:
                creds = self._call("sts", "AssumeRole", RoleArn=self.role_arn, RoleSessionName=SESSION_NAME,
                                   value_path=f"{OPT}.roleArn")["Credentials"]
                secret = Secret(creds["SecretAccessKey"])
                token = Secret(creds["SessionToken"])
                self._session_obj = boto3.Session(
                    aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=secret.reveal(),
                    aws_session_token=token.reveal(), region_name=self.region)
                self._clients.clear()
        return self._session_obj

    def _client(self, service: str):
        if service not in self._clients:
            from botocore.config import Config

            t = self.spec.timeouts
            config = Config(retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
                            connect_timeout=t.connect, read_timeout=t.read,
                            user_agent_extra="binderhub-registry-hook")
            session = self._session()
            self._clients[service] = self.ctx.client("aws", make_client, service=service, session=session,
                                                     region=self.region, config=config)
        return self._clients[service]

    def _call(self, service: str, operation: str, *, missing: set | frozenset = frozenset(),
              value_path: str | None = None, **params) -> dict | None:
        """One AWS API call; botocore retries throttling; every failure becomes our error.

        ``missing``: error codes that mean "not there", answered with None.
        """
        from botocore import exceptions as bx
        from botocore import xform_name

        action = f"{service}:{operation}"
        try:
            client = self._client(service)
            return getattr(client, xform_name(operation))(**params)
        except bx.ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code in missing:
                return None
            raise self._client_error(e, action, value_path) from None
        except bx.NoCredentialsError:
            raise _no_credentials() from None
        except (bx.PartialCredentialsError, bx.CredentialRetrievalError) as e:
            raise CredentialsRejected(f"cannot load AWS credentials: {redact(str(e))[:200]}",
                                      fix="check the ServiceAccount's IAM role or the access keys") from None
        except bx.InvalidRegionError:
            raise SpecError(f"{OPT}.region", f"{self.region!r} is not a valid AWS region name") from None
        except (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError) as e:
            endpoint = getattr(e, "kwargs", {}).get("endpoint_url", "") or ""
            raise Unreachable(f"cannot reach the AWS API for {action}{' at ' + endpoint if endpoint else ''}",
                              fix=f"check {OPT}.region ({self.region}) and the pod's network egress "
                                  "(a VPC endpoint needs AWS_ENDPOINT_URL_ECR)") from None
        except bx.ParamValidationError as e:
            raise SpecError(value_path or OPT, f"AWS refused the request for {action}: "
                            f"{' '.join(str(e).split())[:200]}") from None
        except bx.BotoCoreError as e:
            raise RegistryUnavailable(f"{action} failed: {type(e).__name__}: {redact(str(e))[:200]}") from None

    def _client_error(self, e, action: str, value_path: str | None) -> HookError:
        err = e.response.get("Error", {})
        code, message = err.get("Code", ""), redact(" ".join(str(err.get("Message", "")).split()))[:300]
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        who = (self._identity or {}).get("Arn") or "the AWS identity"
        if code in DENIED:
            # AWS says "User: ARN is not authorized to perform: ACTION on resource: R because ...".
            m = re.search(r"on resource: (\S+)(?: because (.+))?", message)
            detail = f" on {m[1]} ({code}{': ' + m[2] if m[2] else ''})" if m else f" ({code}: {message})"
            return CloudDenied(f"{who} may not call {action}{detail}",
                               fix=f"allow {action} in its IAM policy; `explain` prints the least-privilege policy")
        if code in BAD_KEYS:
            return CredentialsRejected(f"AWS does not accept the credentials ({code} on {action})",
                                       fix=f"check {KEY_ID}/{SECRET_KEY} in {self.ctx.source.describe()}, or the "
                                           "IAM role the pod gets (IRSA / Pod Identity)")
        if code in EXPIRED:
            return CredentialsRejected(f"the AWS credentials have expired ({code} on {action})",
                                       fix="renew the session token or use the default credential chain")
        if code in THROTTLED:
            attempts = e.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
            return RegistryUnavailable(f"AWS kept throttling {action} ({code}) after {attempts} attempts",
                                       fix="try again later; check for other clients calling ECR in this account")
        if code in BAD_INPUT:
            return SpecError(value_path or OPT, f"AWS refused {action}: {code}: {message}")
        if status >= 500:
            return RegistryUnavailable(f"{action} answered HTTP {status} ({code}: {message})")
        return RegistryRefused(f"{action} failed: {code}: {message}")


def _no_credentials() -> CredentialsMissing:
    return CredentialsMissing(
        "no AWS credentials found (default chain: environment, IRSA web identity, EKS Pod Identity, "
        "instance role)",
        fix=f"annotate the hook's ServiceAccount with eks.amazonaws.com/role-arn, use EKS Pod Identity, or put "
            f"{KEY_ID} and {SECRET_KEY} in registry.credentials.existingSecret")


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None
