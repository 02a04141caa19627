"""After the install: what a check records on the output Secret, and what that record means.

Every ``apply`` and every scheduled ``refresh`` proves push again; the result is kept as
annotations of the output Secret, the one record that ``status``, ``kubectl describe``
and alerting read (never a secret in any of them)::

    binderhub-registry-hook/last-check     when a check last passed
    binderhub-registry-hook/last-error     the last failed check's one line, and
    binderhub-registry-hook/last-error-at  when it failed (kept after later successes)
    binderhub-registry-hook/expires-at     the login's own end (short-lived), or "never"
    binderhub-registry-hook/valid-until    the end of the credential behind it, or "never"
    binderhub-registry-hook/renew-at       from then on: provision renews, validate warns
    binderhub-registry-hook/origin         where the credentials came from
    binderhub-registry-hook/credential-ref which of ours is in use (a key id, a password slot)

Pure: the sink writes these, :func:`health` reads them back with a clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from binderhub_registry_hook.model import Credentials, Outputs

PREFIX = "binderhub-registry-hook/"
REGISTRY = PREFIX + "registry"
EXPIRES = PREFIX + "expires-at"
CHECKSUM = PREFIX + "checksum"
UPDATED = PREFIX + "updated-at"
LAST_CHECK = PREFIX + "last-check"
LAST_ERROR = PREFIX + "last-error"
LAST_ERROR_AT = PREFIX + "last-error-at"
VALID_UNTIL = PREFIX + "valid-until"
RENEW_AT = PREFIX + "renew-at"
ORIGIN = PREFIX + "origin"
REF = PREFIX + "credential-ref"
ROTATING = PREFIX + "rotating"  # "HOLDER UNTIL": one rotation at a time (see Cluster.claim)

NEVER = "never"
ERROR_CHARS = 512  # an annotation is no log: one line, cut
ROTATION_LEASE = timedelta(minutes=15)  # longer than a Job may run (job.activeDeadlineSeconds)

# What `status` says, and how it exits (a monitoring job alerts on the code).
HEALTHY, EXPIRING, FAILING, UNKNOWN = "healthy", "expiring", "failing", "unknown"


def iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: str | None) -> datetime | None:
    if not text or text == NEVER:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def renew_at(creds: Credentials, now: datetime) -> datetime | None:
    """When the record says "expiring": the provider's renewal time, or, for a short-lived
    login, half-way to its end (the refresher renews well before; past that it did not)."""
    times = [t for t in (creds.renew_at, creds.valid_until) if t is not None]
    if creds.expires_at is not None:
        times.append(now + (creds.expires_at - now) / 2)
    return min(times, default=None)


def passed(creds: Credentials, outputs: Outputs, now: datetime, previous: dict[str, str]) -> dict[str, str]:
    """Our annotations after a check that passed (the last error stays, for `status`)."""
    due = renew_at(creds, now)
    record = {
        REGISTRY: outputs.registry,
        EXPIRES: iso(outputs.expires_at) if outputs.expires_at else NEVER,
        VALID_UNTIL: iso(creds.valid_until) if creds.valid_until else NEVER,
        RENEW_AT: iso(due) if due else NEVER,
        ORIGIN: creds.origin or "the provider",
        REF: creds.ref,
        LAST_CHECK: iso(now),
    }
    for key in (LAST_ERROR, LAST_ERROR_AT):
        if previous.get(key):
            record[key] = previous[key]
    return record


def failed(message: str, now: datetime, previous: dict[str, str], holder: str) -> dict[str, str]:
    """Our annotations after a failed check: the previous record, plus the error.

    A rotation lease this run held is given back: its rotation did not happen.
    """
    record = {k: v for k, v in previous.items() if k.startswith(PREFIX)}
    if record.get(ROTATING, "").split(" ")[0] == holder:
        del record[ROTATING]
    record[LAST_ERROR] = " ".join(message.split())[:ERROR_CHARS]
    record[LAST_ERROR_AT] = iso(now)
    return record


def lease(holder: str, now: datetime) -> str:
    return f"{holder} {iso(now + ROTATION_LEASE)}"


def leased_by_other(annotations: dict[str, str], holder: str, now: datetime) -> bool:
    """Another run holds an unexpired rotation lease on this Secret."""
    owner, _, until = annotations.get(ROTATING, "").partition(" ")
    end = parse(until)
    return bool(owner) and owner != holder and end is not None and end > now


@dataclass(frozen=True)
class Health:
    """What the record on the output Secret says at ``now``; no secret in any field."""

    state: str
    reason: str
    registry: str | None
    username: str | None
    origin: str | None
    expires_at: str | None
    valid_until: str | None
    renew_at: str | None
    days_left: float | None
    last_check: str | None
    last_error: str | None
    last_error_at: str | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def health(
    annotations: dict[str, str], now: datetime, *, username: str | None = None, registry: str | None = None
) -> Health:
    """Read a record: failing when the last check failed or the credentials ended, expiring
    inside the renewal window, healthy otherwise; unknown when no check was ever recorded."""
    a = annotations
    last_check, error_at = parse(a.get(LAST_CHECK)), parse(a.get(LAST_ERROR_AT))
    ends = [t for t in (parse(a.get(EXPIRES)), parse(a.get(VALID_UNTIL))) if t is not None]
    end = min(ends, default=None)
    due = parse(a.get(RENEW_AT))
    days = round((end - now).total_seconds() / 86400, 1) if end else None
    if error_at is not None and (last_check is None or error_at >= last_check):
        state, reason = FAILING, f"the last check failed at {iso(error_at)}"
    elif end is not None and end <= now:
        state, reason = FAILING, f"the credentials ended at {iso(end)}"
    elif last_check is None:
        state, reason = UNKNOWN, "no check recorded on this Secret"
    elif due is not None and due <= now:
        state, reason = EXPIRING, f"inside the renewal window since {iso(due)}"
    else:
        state, reason = HEALTHY, f"the last check passed at {iso(last_check)}"
    return Health(
        state,
        reason,
        registry or a.get(REGISTRY),
        username,
        a.get(ORIGIN),
        a.get(EXPIRES),
        a.get(VALID_UNTIL),
        a.get(RENEW_AT),
        days,
        a.get(LAST_CHECK),
        a.get(LAST_ERROR) or None,
        a.get(LAST_ERROR_AT) or None,
    )
