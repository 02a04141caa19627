"""The AWS APIs the ECR provider calls (STS, ECR) through boto3, and AWS's error table.

boto3 is imported here, a module loaded only when ``registry.type`` is ``ecr``.  Every
botocore exception becomes a :class:`~binderhub_registry_hook.providers.cloud.Fault`, and
the table in :meth:`AwsApi.error` turns it into our error; an AccessDenied names the IAM
action that was refused.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
from botocore import exceptions as bx
from botocore import xform_name
from botocore.config import Config

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsMissing,
    CredentialsRejected,
    HookError,
    RegistryRefused,
    RegistryUnavailable,
    SpecError,
    Unreachable,
)
from binderhub_registry_hook.providers.cloud import CloudApi, Fault, with_fields
from binderhub_registry_hook.secrets import Secret, redact

OPT = "registry.ecr"
SESSION_NAME = "binderhub-registry-hook"
MAX_ATTEMPTS = 5  # in all, first try included (botocore standard mode retries throttling and 5xx)
KEY_ID, SECRET_KEY, SESSION_TOKEN = "aws_access_key_id", "aws_secret_access_key", "aws_session_token"

# Error codes, by what they mean for the operator.
DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"}
BAD_KEYS = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "AuthFailure",
    "InvalidAccessKeyId",
}
EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
THROTTLED = {
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "LimitExceededException",
}
BAD_INPUT = {
    "InvalidParameterException",
    "ValidationException",
    "InvalidParameterValue",
    "InvalidTagParameterException",
    "LifecyclePolicyNotFoundException",
}
# botocore's own exceptions (no answer from AWS), by class name.
NO_CREDENTIALS = "NoCredentialsError"
BAD_CREDENTIALS = {"PartialCredentialsError", "CredentialRetrievalError"}
NO_CONNECTION = {"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"}
BAD_REGION = "InvalidRegionError"
BAD_PARAMETERS = "ParamValidationError"


def make_client(service: str, *, session: Any, region: str, config: Any, endpoint_url: str | None = None) -> Any:
    """The default client factory (``ctx.clients["aws"]`` replaces it in tests).

    Without ``endpoint_url`` botocore honours ``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_<SERVICE>``
    (VPC endpoints without private DNS) and ``AWS_USE_FIPS_ENDPOINT``.
    """
    return session.client(service, region_name=region, config=config, endpoint_url=endpoint_url)


class AwsApi(CloudApi):
    """STS and ECR as the hook's AWS identity: the default chain or keys, optionally a role."""

    def __init__(self, ctx: Context, region: str, role_arn: str | None):
        self.ctx = ctx
        self.region = region
        self.role_arn = role_arn
        self.identity: dict[str, Any] | None = None  # GetCallerIdentity's answer, once asked
        self._session: Any = None
        self._clients: dict[str, Any] = {}

    @property
    def origin(self) -> str:
        origin = (
            f"access keys from {self.ctx.source.describe()}" if self._keys() else "the default AWS credential chain"
        )
        return origin + (f", as role {self.role_arn}" if self.role_arn else "")

    def who(self) -> str:
        return (self.identity or {}).get("Arn") or "the AWS identity"

    def ecr(
        self,
        operation: str,
        *,
        absent: set[str] | frozenset[str] = frozenset(),
        value_path: str | None = None,
        **params: Any,
    ) -> dict[str, Any] | None:
        """One ECR call; ``absent``: error codes that mean "not there", answered with None."""
        return self.call(
            f"ecr:{operation}", self._operation, "ecr", operation, absent=absent, value_path=value_path, **params
        )

    def sts(self, operation: str, *, value_path: str | None = None, **params: Any) -> dict[str, Any]:
        return self.must(f"sts:{operation}", self._operation, "sts", operation, value_path=value_path, **params)

    def _operation(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        result: dict[str, Any] = getattr(self._client(service), xform_name(operation))(**params)
        return result

    # -- session and clients ------------------------------------------------------------

    def _keys(self) -> tuple[str, Secret, Secret | None] | None:
        """Access keys from the credential source, or None for the default chain."""
        src = self.ctx.source
        key_id = src.get(
            KEY_ID,
            required=bool(self.ctx.spec.credentials.existing_secret),
            secret=False,
            value_path="registry.credentials.existingSecret",
        )
        if not key_id:
            return None
        return key_id, src.get(SECRET_KEY), src.get(SESSION_TOKEN, required=False)

    def _session_now(self) -> Any:
        if self._session is None:
            keys = self._keys()
            if keys:
                key_id, secret, token = keys
                session = boto3.Session(
                    aws_access_key_id=key_id,
                    aws_secret_access_key=secret.reveal(),
                    aws_session_token=token.reveal() if token else None,
                    region_name=self.region,
                )
            else:
                session = boto3.Session(region_name=self.region)
            if session.get_credentials() is None:
                raise no_credentials()
            self._session = session
            if self.role_arn:
                creds = self.sts(
                    "AssumeRole", RoleArn=self.role_arn, RoleSessionName=SESSION_NAME, value_path=f"{OPT}.roleArn"
                )["Credentials"]
                secret = Secret(creds["SecretAccessKey"])
                token = Secret(creds["SessionToken"])
                self._session = boto3.Session(
                    aws_access_key_id=creds["AccessKeyId"],
                    aws_secret_access_key=secret.reveal(),
                    aws_session_token=token.reveal(),
                    region_name=self.region,
                )
                self._clients.clear()
        return self._session

    def _client(self, service: str) -> Any:
        if service not in self._clients:
            t = self.ctx.spec.timeouts
            config = Config(
                retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
                connect_timeout=t.connect,
                read_timeout=t.read,
                user_agent_extra="binderhub-registry-hook",
            )
            session = self._session_now()
            self._clients[service] = self.ctx.client(
                "aws", make_client, service=service, session=session, region=self.region, config=config
            )
        return self._clients[service]

    # -- errors ---------------------------------------------------------------------------

    def fault(self, e: Exception, action: str) -> Fault | None:
        if isinstance(e, bx.ClientError):
            err = e.response.get("Error", {})
            meta = e.response.get("ResponseMetadata", {})
            return Fault(
                action,
                code=str(err.get("Code", "")),
                message=redact(" ".join(str(err.get("Message", "")).split()))[:300],
                status=int(meta.get("HTTPStatusCode", 0)),
                attempts=meta.get("RetryAttempts", 0) + 1,
            )
        if isinstance(e, bx.EndpointConnectionError | bx.ConnectTimeoutError | bx.ReadTimeoutError):
            endpoint = getattr(e, "kwargs", {}).get("endpoint_url", "") or ""
            return Fault(action, code=type(e).__name__, message=endpoint)
        if isinstance(e, bx.ParamValidationError):
            return Fault(action, code=BAD_PARAMETERS, message=" ".join(str(e).split())[:200])
        if isinstance(e, bx.BotoCoreError):
            return Fault(action, code=type(e).__name__, message=redact(str(e))[:200])
        return None

    def error(self, fault: Fault, value_path: str | None) -> HookError:
        return with_fields(self._error(fault, value_path), fault)

    def _error(self, f: Fault, value_path: str | None) -> HookError:
        code, action, message = f.code, f.action, f.message
        if code == NO_CREDENTIALS:
            return no_credentials()
        if code in BAD_CREDENTIALS:
            return CredentialsRejected(
                f"cannot load AWS credentials: {message}", fix="check the ServiceAccount's IAM role or the access keys"
            )
        if code == BAD_REGION:
            return SpecError(f"{OPT}.region", f"{self.region!r} is not a valid AWS region name")
        if code in NO_CONNECTION:
            return Unreachable(
                f"cannot reach the AWS API for {action}{' at ' + message if message else ''}",
                fix=f"check {OPT}.region ({self.region}) and the pod's network egress "
                "(a VPC endpoint needs AWS_ENDPOINT_URL_ECR)",
            )
        if code == BAD_PARAMETERS:
            return SpecError(value_path or OPT, f"AWS refused the request for {action}: {message}")
        if f.status is None:  # another botocore failure: no answer from AWS
            return RegistryUnavailable(f"{action} failed: {code}: {message}")
        if code in DENIED:
            # AWS says "User: ARN is not authorized to perform: ACTION on resource: R because ...".
            m = re.search(r"on resource: (\S+)(?: because (.+))?", message)
            detail = f" on {m[1]} ({code}{': ' + m[2] if m[2] else ''})" if m else f" ({code}: {message})"
            return CloudDenied(
                f"{self.who()} may not call {action}{detail}",
                reason="denied",
                permission=action,
                fix=f"allow {action} in its IAM policy; `explain` prints the least-privilege policy",
            )
        if code in BAD_KEYS:
            return CredentialsRejected(
                f"AWS does not accept the credentials ({code} on {action})",
                reason="unauthenticated",
                fix=f"check {KEY_ID}/{SECRET_KEY} in {self.ctx.source.describe()}, or the "
                "IAM role the pod gets (IRSA / Pod Identity)",
            )
        if code in EXPIRED:
            return CredentialsRejected(
                f"the AWS credentials have expired ({code} on {action})",
                reason="unauthenticated",
                fix="renew the session token or use the default credential chain",
            )
        if code in THROTTLED:
            return RegistryUnavailable(
                f"AWS kept throttling {action} ({code}) after {f.attempts} attempts",
                reason="unavailable",
                fix="try again later; check for other clients calling ECR in this account",
            )
        if code in BAD_INPUT:
            return SpecError(value_path or OPT, f"AWS refused {action}: {code}: {message}")
        if f.status >= 500:
            return RegistryUnavailable(f"{action} answered HTTP {f.status} ({code}: {message})", reason="unavailable")
        return RegistryRefused(f"{action} failed: {code}: {message}")


def no_credentials() -> CredentialsMissing:
    return CredentialsMissing(
        "no AWS credentials found (default chain: environment, IRSA web identity, EKS Pod Identity, instance role)",
        fix=f"annotate the hook's ServiceAccount with eks.amazonaws.com/role-arn, use EKS Pod Identity, or put "
        f"{KEY_ID} and {SECRET_KEY} in registry.credentials.existingSecret",
    )
