"""Google's APIs for provisioning: the IAM Admin API (gRPC, ``google-cloud-iam``) and the
Artifact Registry API (REST), their client factories, and Google's error table.

The SDKs are imported here, a module loaded only when ``registry.type`` is ``google``.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import grpc
from google.api_core import exceptions as gexc
from google.api_core import retry as gretry
from google.cloud import artifactregistry_v1, iam_admin_v1
from google.cloud.iam_admin_v1.services.iam.transports import IAMGrpcTransport

from binderhub_registry_hook.errors import (
    CloudDenied,
    CredentialsRejected,
    HookError,
    RegistryRefused,
    RegistryUnavailable,
    Unreachable,
)
from binderhub_registry_hook.providers.cloud import CloudApi, Fault, with_fields
from binderhub_registry_hook.providers.google.keys import text_of
from binderhub_registry_hook.spec import Timeouts

T = TypeVar("T")

# The predefined role that grants each permission the hook uses: named in errors.
ROLES = {
    "iam.serviceAccounts.get": "roles/iam.serviceAccountViewer",
    "iam.serviceAccounts.create": "roles/iam.serviceAccountCreator",
    "iam.serviceAccountKeys.create": "roles/iam.serviceAccountKeyAdmin",
    "iam.serviceAccountKeys.list": "roles/iam.serviceAccountKeyAdmin",
    "iam.serviceAccountKeys.delete": "roles/iam.serviceAccountKeyAdmin",
    "artifactregistry.repositories.get": "roles/artifactregistry.reader",
    "artifactregistry.repositories.create": "roles/artifactregistry.admin",
    "artifactregistry.repositories.getIamPolicy": "roles/artifactregistry.admin",
    "artifactregistry.repositories.setIamPolicy": "roles/artifactregistry.admin",
}
# api_core exception classes -> our reasons
REASONS: dict[type[Exception], str] = {
    gexc.NotFound: "not_found",
    gexc.Conflict: "conflict",  # also ALREADY_EXISTS and ABORTED (an etag that moved)
    gexc.FailedPrecondition: "precondition",
    gexc.PermissionDenied: "denied",
    gexc.Forbidden: "denied",
    gexc.Unauthenticated: "unauthenticated",
    gexc.Unauthorized: "unauthenticated",
    gexc.ServiceUnavailable: "unavailable",
    gexc.DeadlineExceeded: "unavailable",
}
TRANSIENT = gretry.if_exception_type(
    gexc.ServiceUnavailable, gexc.InternalServerError, gexc.TooManyRequests, gexc.DeadlineExceeded
)


class GoogleApi(CloudApi):
    """Calls as the provisioning identity ``who``, in ``project``, with bounded retries."""

    def __init__(self, who: str, project: str, timeouts: Timeouts):
        self.who = who
        self.project = project
        self.timeouts = timeouts

    def run(
        self, action: str, permission: str, fn: Callable[..., T], *args: Any, absent: tuple[str, ...] = (), **kw: Any
    ) -> T | None:
        """``fn`` with Google's retry of transient errors; ``permission`` is what it needs."""
        kw.setdefault(
            "retry", gretry.Retry(predicate=TRANSIENT, initial=0.25, maximum=8, timeout=self.timeouts.retry_for)
        )
        kw.setdefault("timeout", self.timeouts.read)
        return self.call(action, fn, *args, absent=absent, value_path=permission, **kw)

    def must_run(self, action: str, permission: str, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        result = self.run(action, permission, fn, *args, **kw)
        if result is None:  # only `absent` answers None
            raise RegistryRefused(f"{action}: no answer")
        return result

    def fault(self, e: Exception, action: str) -> Fault | None:
        if isinstance(e, gexc.RetryError):
            return Fault(action, code="RetryError", message=text_of(e.cause or e), reason="unavailable")
        if not isinstance(e, gexc.GoogleAPICallError):
            return None
        meta = dict(getattr(e, "metadata", None) or {})
        status = e.code if isinstance(e.code, int) else None
        if getattr(e, "reason", None) == "SERVICE_DISABLED" or "SERVICE_DISABLED" in str(e):
            # The permission field names the API to enable here, as Google's ErrorInfo does.
            return Fault(
                action,
                code=type(e).__name__,
                message=text_of(e),
                status=status,
                permission=meta.get("service"),
                reason="service_disabled",
            )
        reason = next((r for cls, r in REASONS.items() if isinstance(e, cls)), None)
        return Fault(
            action,
            code=type(e).__name__,
            message=text_of(e),
            status=status,
            permission=meta.get("permission"),
            reason=reason,
        )

    def error(self, fault: Fault, value_path: str | None) -> HookError:
        return with_fields(self._error(fault, value_path or ""), fault)

    def _error(self, f: Fault, permission: str) -> HookError:
        """``permission``: the one the call needs (the API may name it more exactly)."""
        action, project = f.action, self.project
        if f.code == "RetryError":
            return RegistryUnavailable(f"{action}: {f.message} (gave up after {self.timeouts.retry_for:g}s of retries)")
        if f.reason == "service_disabled":
            service = f.permission or permission.split(".")[0] + ".googleapis.com"
            return CloudDenied(
                f"{action}: the {service} API is not enabled in project {project}",
                fix=f"enable it (gcloud services enable {service} --project {project}), wait a few minutes, and rerun",
            )
        if f.reason == "denied":
            needed = f.permission or permission
            role = ROLES.get(needed, "a role with it")
            return CloudDenied(
                f"{action}: {self.who} lacks {needed} ({f.message})",
                permission=needed,
                fix=f"grant {role} to {self.who} in project {project}",
            )
        if f.reason == "unauthenticated":
            return CredentialsRejected(f"{action}: Google did not accept {self.who} ({f.message})")
        if f.reason == "unavailable":
            return Unreachable(f"{action}: {f.message}")
        return RegistryRefused(f"{action}: {f.message}")


# -- clients (replaceable: Context.clients["google.iam"], ["google.artifactregistry"]) ----------


def iam_client(credentials: Any, endpoint: str | None = None) -> Any:
    """IAM Admin API client (gRPC only).  ``http://HOST:PORT``: plaintext to a loopback server (tests)."""
    if endpoint and endpoint.startswith("http://"):
        # Local TCP credentials refuse any peer but loopback, yet carry the bearer token.
        transport = IAMGrpcTransport(
            host=endpoint.removeprefix("http://"),
            credentials=credentials,
            ssl_channel_credentials=grpc.local_channel_credentials(),
        )
        return iam_admin_v1.IAMClient(transport=transport)
    options = {"api_endpoint": endpoint.removeprefix("https://")} if endpoint else None
    return iam_admin_v1.IAMClient(credentials=credentials, client_options=options)


def artifact_registry_client(credentials: Any, endpoint: str | None = None) -> Any:
    """Artifact Registry client over REST; ``endpoint`` may be ``http://127.0.0.1:PORT`` (tests)."""
    options = {"api_endpoint": endpoint} if endpoint else None
    return artifactregistry_v1.ArtifactRegistryClient(credentials=credentials, transport="rest", client_options=options)
