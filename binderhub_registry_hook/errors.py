"""One error tree for the whole hook.

Every error carries one line for the operator: what failed, what the registry (or
cluster) answered, and which value to fix.  The CLI prints ``str(error)`` and exits
with ``error.exit_code``; nothing below the CLI prints tracebacks for these.
Messages must never contain a secret: callers pass registry answers through
:func:`binderhub_registry_hook.secrets.redact` before building an error.
"""

from __future__ import annotations

# The words of `HookError.reason`: causes that code branches on.
REASONS = frozenset(
    {
        "dns",  # a host name does not resolve
        "not_found",  # the thing asked for does not exist (HTTP 404, NotFound codes)
        "conflict",  # it exists already, or changed meanwhile (HTTP 409, ABORTED)
        "precondition",  # the service refused for a state it is in (FAILED_PRECONDITION)
        "denied",  # the identity lacks a permission
        "unauthenticated",  # the identity itself was not accepted
        "service_disabled",  # the cloud API is not enabled in the project
        "unavailable",  # an outage or throttling that outlived the retries
    }
)


class HookError(Exception):
    """Base class; ``exit_code`` tells the CLI how to exit.

    Besides the one line for the operator, an error carries what it is about as fields,
    so code that decides on an error reads these, never the message text:

    * ``answer``: what the registry or API said (e.g. "HTTP 401: UNAUTHORIZED ..."), already
      in the message; kept apart so a provider can re-word the error in its registry's terms;
    * ``reason``: one word of our own for the cause (see :data:`REASONS`);
    * ``status``: the HTTP status of the answer, when there was one;
    * ``code``: the service's own error code (``AccessDeniedException``, ``AADSTS7000215``,
      ``FailedPrecondition``, ``ResourceGroupNotFound``);
    * ``permission``: the permission or IAM action that was missing.
    """

    exit_code = 1
    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        fix: str | None = None,
        answer: str | None = None,
        reason: str | None = None,
        status: int | None = None,
        code: str | None = None,
        permission: str | None = None,
    ):
        self.message = message
        self.fix = fix
        self.answer = answer
        self.reason = reason
        self.status = status
        self.code = code
        self.permission = permission
        super().__init__(message)

    def __str__(self) -> str:
        line = f"{self.kind}: {self.message}"
        if self.fix:
            line += f" ({self.fix})"
        # One line, always: registry answers sometimes carry newlines.
        return " ".join(line.split())


# -- bad input (exit 2) -------------------------------------------------------


class SpecError(HookError):
    """A value in the registry spec (Helm values) is wrong.  ``path`` names it."""

    exit_code = 2
    kind = "invalid value"

    def __init__(self, path: str, message: str, *, fix: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}", fix=fix)


class CredentialsMissing(HookError):
    """No credentials where the spec says they are."""

    exit_code = 2
    kind = "missing credentials"


class InputError(HookError):
    """Bad command-line input or manifest stream."""

    exit_code = 2
    kind = "invalid input"


# -- the registry said no (exit 3) --------------------------------------------


class RegistryRefused(HookError):
    exit_code = 3


class CredentialsRejected(RegistryRefused):
    kind = "credentials rejected"


class PushDenied(RegistryRefused):
    kind = "no push permission"


class PullDenied(RegistryRefused):
    kind = "no pull permission"


class RepositoryMissing(RegistryRefused):
    kind = "repository or namespace missing"


class CloudDenied(RegistryRefused):
    """A cloud API refused a call; the message names the missing permission."""

    kind = "permission denied"


# -- could not talk to it (exit 4) ---------------------------------------------


class Unreachable(HookError):
    """Cannot connect: DNS, refused connection, TLS or timeout."""

    exit_code = 4
    kind = "cannot connect"


class RegistryUnavailable(HookError):
    """The registry kept answering errors after bounded retries."""

    exit_code = 4
    kind = "registry error"


class ProtocolError(HookError):
    """The registry answered something the distribution protocol does not allow."""

    exit_code = 4
    kind = "unexpected registry answer"


class DeadlineExceeded(HookError):
    """The run reached ``registry.timeouts.total`` (a registry or API that answers too slowly)."""

    exit_code = 4
    kind = "timed out"


# -- the Kubernetes sink (exit 5) -----------------------------------------------


class ClusterError(HookError):
    exit_code = 5
    kind = "kubernetes"


class ClusterForbidden(ClusterError):
    kind = "kubernetes RBAC"


# -- after the install: what a scheduled check and `status` report (exit 6, 7) -----


class CredentialsExpiring(HookError):
    """The credentials work, but their end is inside the renewal window and nothing renews them."""

    exit_code = 6
    kind = "credentials expiring"


class CheckFailed(HookError):
    """The last recorded check failed, or the credentials it recorded have ended."""

    exit_code = 7
    kind = "check failed"
