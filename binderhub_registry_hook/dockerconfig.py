"""The outputs: docker ``config.json`` and BinderHub's registry settings.

``config.json`` is keyed exactly as BinderHub's ``DockerRegistry`` looks it up
(``auths[auth_config_url].auth`` = base64 of ``username:password``); the same
document serves build pods (``push_secret``), the binder pod and, as
``.dockerconfigjson``, JupyterHub's image pulls.  The settings fragment holds the
traitlets BinderHub needs (``BinderHub.image_prefix``, ``DockerRegistry.*``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from binderhub_registry_hook.model import (
    CONFIG_JSON,
    DOCKERCONFIGJSON,
    SETTINGS,
    Credentials,
    Outputs,
    ProbeResult,
    Target,
    settings_json,
)
from binderhub_registry_hook.secrets import Secret

__all__ = ["CONFIG_JSON", "DOCKERCONFIGJSON", "SETTINGS", "Outputs", "build", "docker_config", "previous_login",
           "settings_json"]


def docker_config(auth_key: str, creds: Credentials | None) -> Secret:
    auths: dict[str, dict[str, str]] = {}
    if creds is not None:
        raw = f"{creds.username}:{creds.password.reveal()}".encode()
        auths[auth_key] = {"auth": base64.b64encode(raw).decode()}
    return Secret(json.dumps({"auths": auths}, indent=2, sort_keys=True) + "\n")


def previous_login(previous: dict[str, str] | None, auth_key: str) -> tuple[str, Secret] | None:
    """(username, password) of ``auth_key`` in a previous run's output Secret, for reuse."""
    try:
        entry = json.loads((previous or {})[CONFIG_JSON])["auths"][auth_key]
        user, sep, password = base64.b64decode(entry["auth"]).decode().partition(":")
    except (KeyError, ValueError, TypeError):
        return None
    return (user, Secret(password)) if sep and password else None


def binderhub_settings(target: Target, token_url: str, not_found_401: bool) -> dict[str, Any]:
    registry: dict[str, Any] = {"url": target.url, "auth_config_url": target.auth_key, "token_url": token_url}
    if not_found_401 or target.not_found_401:
        registry["not_found_401"] = True
    binderhub: dict[str, Any] = {"image_prefix": target.image_prefix, "use_registry": True}
    if target.registry_class:
        binderhub["registry_class"] = target.registry_class
        # A registry class fetches its own tokens (GoogleArtifactRegistry: from the metadata
        # server, its token_url default); the challenge's url would override that default.
        del registry["token_url"]
    return {"BinderHub": binderhub, "DockerRegistry": registry}


def build(target: Target, creds: Credentials | None, probe: ProbeResult, registry: str) -> Outputs:
    return Outputs(
        config_json=docker_config(target.auth_key, creds),
        settings=binderhub_settings(target, probe.token_url, probe.not_found_401),
        expires_at=creds.expires_at if creds else None,
        registry=registry,
    )
