"""The outputs: docker ``config.json`` and BinderHub's registry settings.

``config.json`` is keyed exactly as BinderHub's ``DockerRegistry`` looks it up
(``auths[auth_config_url].auth`` = base64 of ``username:password``); the same
document serves build pods (``push_secret``), the binder pod and, as
``.dockerconfigjson``, JupyterHub's image pulls.  The settings fragment holds the
traitlets BinderHub needs (``BinderHub.image_prefix``, ``DockerRegistry.*``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.providers.base import Target
from binderhub_registry_hook.secrets import REDACTED, Secret

CONFIG_JSON = "config.json"
DOCKERCONFIGJSON = ".dockerconfigjson"
SETTINGS = "binderhub-settings.json"


@dataclass(frozen=True)
class Outputs:
    config_json: Secret  # the docker config.json text: holds the password
    settings: dict  # {"BinderHub": {...}, "DockerRegistry": {...}}
    expires_at: datetime | None
    registry: str

    def secret_data(self, *, dockerconfigjson: bool = True) -> dict[str, str]:
        """Key -> text of the output Secret (revealed: only sinks call this)."""
        data = {CONFIG_JSON: self.config_json.reveal(), SETTINGS: settings_json(self.settings)}
        if dockerconfigjson:
            data[DOCKERCONFIGJSON] = self.config_json.reveal()
        return data

    def checksum(self) -> str:
        """Changes whenever any output changes; stored in an annotation, safe to show."""
        h = hashlib.sha256()
        h.update(self.config_json.reveal().encode())
        h.update(settings_json(self.settings).encode())
        return h.hexdigest()[:32]

    def redacted_config(self) -> str:
        doc = json.loads(self.config_json.reveal())
        for entry in doc.get("auths", {}).values():
            user = base64.b64decode(entry["auth"]).decode().split(":", 1)[0]
            entry["auth"] = f"base64({user}:{REDACTED})"
        return json.dumps(doc, indent=2)


def docker_config(auth_key: str, creds: Credentials | None) -> Secret:
    auths = {}
    if creds is not None:
        raw = f"{creds.username}:{creds.password.reveal()}".encode()
        auths[auth_key] = {"auth": base64.b64encode(raw).decode()}
    return Secret(json.dumps({"auths": auths}, indent=2, sort_keys=True) + "\n")


def previous_login(previous: dict | None, auth_key: str) -> tuple[str, Secret] | None:
    """(username, password) of ``auth_key`` in a previous run's output Secret, for reuse."""
    try:
        entry = json.loads((previous or {})[CONFIG_JSON])["auths"][auth_key]
        user, sep, password = base64.b64decode(entry["auth"]).decode().partition(":")
    except (KeyError, ValueError, TypeError):
        return None
    return (user, Secret(password)) if sep and password else None


def binderhub_settings(target: Target, token_url: str, not_found_401: bool) -> dict:
    registry = {"url": target.url, "auth_config_url": target.auth_key, "token_url": token_url}
    if not_found_401 or target.not_found_401:
        registry["not_found_401"] = True
    binderhub = {"image_prefix": target.image_prefix, "use_registry": True}
    if target.registry_class:
        binderhub["registry_class"] = target.registry_class
        # A registry class fetches its own tokens (GoogleArtifactRegistry: from the metadata
        # server, its token_url default); the challenge's url would override that default.
        del registry["token_url"]
    return {"BinderHub": binderhub, "DockerRegistry": registry}


def settings_json(settings: dict) -> str:
    return json.dumps(settings, indent=2, sort_keys=True) + "\n"


def build(target: Target, creds: Credentials | None, token_url: str, not_found_401: bool,
          registry: str) -> Outputs:
    return Outputs(
        config_json=docker_config(target.auth_key, creds),
        settings=binderhub_settings(target, token_url, not_found_401),
        expires_at=creds.expires_at if creds else None,
        registry=registry,
    )
