"""The data that travels along the path, as plain frozen values.

    spec -> provider -> credentials -> probe -> outputs -> sink
            Target      Credentials    ProbeResult  Outputs

Everything above this module passes these around; nothing here does I/O or imports
upward (the layer contract in ``tests/test_layers.py`` checks it).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from binderhub_registry_hook.errors import InputError
from binderhub_registry_hook.oci import Challenge, image_basename
from binderhub_registry_hook.secrets import REDACTED, Secret

# Keys of the output Secret.
CONFIG_JSON = "config.json"
DOCKERCONFIGJSON = ".dockerconfigjson"
SETTINGS = "binderhub-settings.json"


@dataclass(frozen=True)
class Target:
    """Where BinderHub pushes: the values BinderHub's ``DockerRegistry`` needs.

    A provider's ``plan`` makes it without network or side effects, so what planning
    found for the operator travels here too (``notes`` for `explain`, ``warnings``).
    """

    url: str  # DockerRegistry.url: the v2 API base
    auth_key: str  # key under `auths` in config.json (DockerRegistry.auth_config_url)
    image_prefix: str  # BinderHub.image_prefix
    token_url: str | None = None  # None: discover from the challenge; "": basic auth
    registry_class: str | None = None  # BinderHub.registry_class, when not the default
    not_found_401: bool = False  # registry answers 401 for repositories that do not exist
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        return urlparse(self.url).netloc

    def probe_repository(self, name: str) -> str:
        """The repository BinderHub would use for an image called ``name``."""
        return image_basename(f"{self.image_prefix}{name}:tag")[0]


def utcnow() -> datetime:
    """The real clock; a run's clock is ``Context.clock`` so tests can move time without sleeping."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Credentials:
    """What a registry login needs: a username, a secret, and when it stops working.

    Two different ends: ``expires_at`` is the login's own short life (an ECR token, an
    access token, an ACR refresh token) that the refresh CronJob renews by asking again;
    ``valid_until`` is the end of the credential behind it (a Harbor robot, an ACR token
    password, a Google key) that only rotation or a person can push back. ``renew_at`` is
    when the provider wants that done: ``mode: provision`` renews at the first check after
    it, ``mode: validate`` warns. ``retire`` names older credentials of ours that these
    replace; the provider removes them only after these are written and BinderHub rolled
    (make-before-break). ``ref`` says which of ours these are (a key id, a password slot),
    recorded on the output Secret so the next run knows what BinderHub is using.
    """

    username: str
    password: Secret
    expires_at: datetime | None = None
    origin: str = ""  # said in `explain`: where these came from
    valid_until: datetime | None = None
    renew_at: datetime | None = None
    retire: tuple[str, ...] = ()
    ref: str = ""

    def __post_init__(self) -> None:
        # config.json's `auth` is base64 of user:password, split at the first colon; the
        # username is not echoed (a pasted `user:password` would be shown otherwise).
        if ":" in self.username or any(ord(c) < 32 or ord(c) == 127 for c in self.username):
            raise InputError(
                f"the username from {self.origin or 'the provider'} contains ':' or a control "
                "character, which docker config.json cannot hold",
                fix="fix the username in the credentials",
            )

    @property
    def short_lived(self) -> bool:
        return self.expires_at is not None

    def expires_in(self, now: datetime | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return (self.expires_at - (now or utcnow())).total_seconds()


@dataclass(frozen=True)
class PushResult:
    repository: str
    status: int
    cancelled: bool
    cancel_status: int | None


@dataclass(frozen=True)
class PullResult:
    repository: str
    status: int
    meaning: str  # "missing", "found", or "missing (401 read as not found)"
    not_found_401: bool = False


@dataclass(frozen=True)
class ProbeResult:
    challenge: Challenge
    token_url: str
    push: PushResult | None
    pull: PullResult | None

    @property
    def not_found_401(self) -> bool:
        return bool(self.pull and self.pull.not_found_401)


def settings_json(settings: dict[str, Any]) -> str:
    return json.dumps(settings, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Outputs:
    config_json: Secret  # the docker config.json text: holds the password
    settings: dict[str, Any]  # {"BinderHub": {...}, "DockerRegistry": {...}}
    expires_at: datetime | None
    registry: str
    # registry.tls.caBundle: key -> text of the CA files whoever talks to the registry must trust
    trust: dict[str, str] = field(default_factory=dict)

    def secret_data(self, *, dockerconfigjson: bool = True) -> dict[str, str]:
        """Key -> text of the output Secret (revealed: only sinks call this)."""
        data = {CONFIG_JSON: self.config_json.reveal(), SETTINGS: settings_json(self.settings)}
        if dockerconfigjson:
            data[DOCKERCONFIGJSON] = self.config_json.reveal()
        return {**data, **self.trust}

    def checksum(self) -> str:
        """Changes whenever any output changes; stored in an annotation, safe to show."""
        h = hashlib.sha256()
        h.update(self.config_json.reveal().encode())
        h.update(settings_json(self.settings).encode())
        for key in sorted(self.trust):
            h.update(f"{key}\0{self.trust[key]}".encode())
        return h.hexdigest()[:32]

    def redacted_config(self) -> str:
        doc = json.loads(self.config_json.reveal())
        for entry in doc.get("auths", {}).values():
            user = base64.b64decode(entry["auth"]).decode().split(":", 1)[0]
            entry["auth"] = f"base64({user}:{REDACTED})"
        return json.dumps(doc, indent=2)
