"""Service-account keys and Google access tokens (google-auth, imported only with this provider)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import google.auth
from google.auth import exceptions as gae
from google.auth.transport.requests import Request

from binderhub_registry_hook.errors import CredentialsMissing, CredentialsRejected, InputError, Unreachable
from binderhub_registry_hook.secrets import Secret, redact

SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
TOKEN_LIFETIME = timedelta(hours=1)  # Google access tokens, when the library does not say
KEY_FIELDS = ("project_id", "private_key_id", "private_key", "client_email")


def parse_key(secret: Secret, where: str) -> tuple[Secret, dict[str, Any]]:
    """A service-account key JSON (or base64 of it): its text and fields, or one clear error.

    Messages name what is wrong and where, never a byte of the key.
    """
    text = secret.reveal().strip()
    if text and not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode().strip()
        except (binascii.Error, ValueError):
            raise InputError(
                f"{where}: not a service-account key (neither JSON nor base64 of JSON)",
                fix="put the JSON key file as it was downloaded",
            ) from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{where}: the service-account key is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})",
            fix="put the JSON key file as it was downloaded",
        ) from None
    if not isinstance(info, dict):
        raise InputError(f"{where}: the service-account key must be a JSON object")
    kind = info.get("type")
    if kind == "external_account":
        raise InputError(
            f"{where}: holds a workload identity federation configuration, not a key",
            fix="use registry.google.auth: workloadIdentity with GOOGLE_APPLICATION_CREDENTIALS",
        )
    if kind != "service_account":
        raise InputError(
            f"{where}: not a service-account key (type {str(kind)[:30]!r})",
            fix="create a key with: gcloud iam service-accounts keys create",
        )
    missing = [f for f in KEY_FIELDS if not isinstance(info.get(f), str) or not info[f]]
    if missing:
        raise InputError(f"{where}: the service-account key has no {', '.join(missing)}")
    Secret(info["private_key"])  # so redaction also hides the key on its own
    if "PRIVATE KEY-----" not in info["private_key"]:
        raise InputError(f"{where}: the service-account key's private_key is not a PEM private key")
    return Secret(text), info


def default_credentials(scopes: list[str]) -> Any:
    """Application default credentials: workload identity, metadata server, or a key file."""
    try:
        creds, _project = google.auth.default(scopes=scopes)
    except gae.DefaultCredentialsError as e:
        raise CredentialsMissing(
            f"no Google identity found ({text_of(e)})",
            fix="on GKE annotate the hook's ServiceAccount with iam.gke.io/gcp-service-account "
            "(serviceAccount.annotations), or use registry.google.auth: "
            "serviceAccountKey",
        ) from None
    return creds


def refresh(creds: Any, what: str) -> tuple[Secret, datetime]:
    """Ask Google for an access token now; map google-auth's errors to ours."""
    try:
        creds.refresh(Request())
    except gae.RefreshError as e:
        raise CredentialsRejected(
            f"{what}: Google refused to issue an access token ({text_of(e)})",
            fix="check the key or the workload identity binding (roles/iam.workloadIdentityUser)",
        ) from None
    except gae.TransportError as e:
        raise Unreachable(f"{what}: cannot reach Google's token service ({text_of(e)})") from None
    if not creds.token:
        raise CredentialsRejected(f"{what}: Google answered without an access token")
    expiry = getattr(creds, "expiry", None)  # naive UTC in google-auth
    expires_at = (expiry.replace(tzinfo=timezone.utc) if expiry and expiry.tzinfo is None else expiry) or datetime.now(
        timezone.utc
    ) + TOKEN_LIFETIME
    return Secret(creds.token), expires_at


def identity(creds: Any) -> str | None:
    email = getattr(creds, "service_account_email", None)
    return email if isinstance(email, str) and "@" in email else None


def text_of(e: Any) -> str:
    """One short line of an SDK error, secrets redacted."""
    text = getattr(e, "message", None) or (
        e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], str) else str(e)
    )
    return redact(" ".join(str(text).split()))[:240]
