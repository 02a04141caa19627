"""The pure rules of the OCI distribution protocol and of BinderHub's image names: no I/O.

* repository names (``REPOSITORY_RE``) and how BinderHub splits an image name into
  repository and tag (:func:`image_basename`);
* the ``WWW-Authenticate`` challenge of ``GET /v2/`` (:class:`Challenge`);
* a bearer token's claims, read unverified: hints for messages, never a proof.

:mod:`binderhub_registry_hook.distribution` speaks the protocol over HTTP with these.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from binderhub_registry_hook.errors import ProtocolError
from binderhub_registry_hook.secrets import Secret, basic_auth

# -- names ---------------------------------------------------------------------

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
HUB_LIKE_RE = re.compile(r"[a-z0-9]{4,40}/[a-z0-9._-]{2,255}")


def image_basename(full_name: str) -> tuple[str, str]:
    """Split ``host/name:tag`` the way BinderHub does (``builder._get_image_basename_and_tag``).

    BinderHub treats ``word/name`` as a Docker Hub name and otherwise drops the first
    path part as the registry host, so the hook must name repositories the same way.
    """
    name, sep, tag = full_name.rpartition(":")
    if not sep or "/" in tag:
        name, tag = full_name, "latest"
    if HUB_LIKE_RE.fullmatch(name):
        return name, tag
    return "/".join(name.split("/")[1:]), tag


# -- challenge ---------------------------------------------------------------------

_PARAM_RE = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


@dataclass(frozen=True)
class Challenge:
    """What ``GET /v2/`` asked for: ``none``, ``basic`` or ``bearer`` (with its realm)."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def realm(self) -> str:
        """The token service of a bearer challenge ("" for the other schemes)."""
        return self.params.get("realm", "")

    @property
    def service(self) -> str | None:
        return self.params.get("service")

    @property
    def token_url(self) -> str:
        """BinderHub's ``DockerRegistry.token_url``: the realm, with the service when named."""
        if self.scheme != "bearer":
            return ""
        if not self.service:
            return self.realm
        sep = "&" if "?" in self.realm else "?"
        return f"{self.realm}{sep}{urlencode({'service': self.service})}"

    @classmethod
    def parse(cls, header: str | None) -> Challenge:
        if not header:
            raise ProtocolError("the registry answered 401 without a WWW-Authenticate header")
        scheme, _, rest = header.strip().partition(" ")
        params = {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _PARAM_RE.finditer(rest)}
        scheme = scheme.lower()
        if scheme not in ("basic", "bearer"):
            raise ProtocolError(f"unsupported auth scheme {scheme!r} in WWW-Authenticate")
        if scheme == "bearer" and not params.get("realm"):
            raise ProtocolError("Bearer challenge without a realm")
        return cls(scheme, params)


# -- credentials on the wire and token claims ------------------------------------------


def basic_header(username: str, password: Secret) -> str:
    # basic_auth registers user:password and its base64 for redaction where they are made.
    return "Basic " + basic_auth(username, password).reveal()


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWT, unverified: hints (grants, expiry), never a proof."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError, binascii.Error):
        return None
    return payload if isinstance(payload, dict) else None


def jwt_access(token: str) -> list[Any] | None:
    """The ``access`` claim of a JWT, unverified: a hint for messages, never a proof."""
    access = (jwt_claims(token) or {}).get("access")
    return access if isinstance(access, list) else None


def granted_actions(granted: list[Any] | None, repository: str) -> list[str] | None:
    """The actions a token's ``access`` claim lists for ``repository`` (None: no claim to read)."""
    if granted is None:
        return None
    for entry in granted:
        if isinstance(entry, dict) and entry.get("name") == repository:
            return [str(a) for a in entry.get("actions") or []]
    return []


def grant_hint(granted: list[Any] | None, repository: str) -> str:
    """What the claim grants, as a clause for a refusal message ("" when there is no claim)."""
    actions = granted_actions(granted, repository)
    if actions is None:
        return ""
    if not actions:
        return "; the token grants nothing on it"
    return f"; the token grants only {','.join(actions)} on it"
