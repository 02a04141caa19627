"""One shape for calling a cloud SDK and translating its errors, shared by the three clouds.

Each cloud's API client subclasses :class:`CloudApi` and supplies two functions:

* ``fault(exception, action)``: read the SDK's exception into a :class:`Fault` of plain
  fields (code, status, message, permission, reason); the only code that looks inside an
  SDK's exception, and the only place its text may be parsed;
* ``error(fault, value_path)``: the error table: a Fault to one of our errors, chosen by
  its fields.

Callers then decide on our errors' fields (``reason``, ``code``, ``status``), never on
message text; ``absent`` names the codes or reasons that mean "not there" (answered None).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Callable, TypeVar, cast

from binderhub_registry_hook.errors import HookError

T = TypeVar("T")


@dataclass(frozen=True)
class Fault:
    """A cloud SDK's exception, as fields."""

    action: str  # what was called, e.g. "ecr:CreateRepository" or "creating repository X"
    code: str  # the service's (or SDK's) error code
    message: str = ""  # one line, secrets redacted, shortened
    status: int | None = None  # HTTP status, when there was an answer
    permission: str | None = None  # the permission the service named as missing
    reason: str | None = None  # one of binderhub_registry_hook.errors.REASONS
    attempts: int | None = None  # tries made, retries included
    service: str = ""  # which of a cloud's services answered, when a client talks to two


class CloudApi:
    """Base of a cloud's API client: ``call`` an SDK function, errors become ours."""

    def fault(self, e: Exception, action: str) -> Fault | None:
        """The SDK exception ``e`` as a Fault; None for an exception that is not the SDK's."""
        raise NotImplementedError

    def error(self, fault: Fault, value_path: str | None) -> HookError:
        """The error table of this cloud."""
        raise NotImplementedError

    def call(
        self,
        action: str,
        fn: Callable[..., T],
        *args: Any,
        absent: Collection[str] = (),
        value_path: str | None = None,
        **kw: Any,
    ) -> T | None:
        """``fn(*args, **kw)``; None when the service answers one of ``absent`` (codes or reasons)."""
        try:
            return fn(*args, **kw)
        except HookError:
            raise
        except Exception as e:
            fault = self.fault(e, action)
            if fault is None:
                raise
            if fault.code in absent or (fault.reason is not None and fault.reason in absent):
                return None
            raise self.error(fault, value_path) from None

    def must(self, action: str, fn: Callable[..., T], *args: Any, value_path: str | None = None, **kw: Any) -> T:
        """Like :meth:`call` for a call whose answer must be there."""
        return cast(T, self.call(action, fn, *args, value_path=value_path, **kw))  # no `absent`: never None


def with_fields(error: HookError, fault: Fault) -> HookError:
    """``error`` carrying the fault's fields (reason, status, code, permission) for callers."""
    error.reason = error.reason or fault.reason
    error.status = error.status or fault.status
    error.code = error.code or fault.code
    error.permission = error.permission or fault.permission
    return error
