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
from pathlib import Path
from typing import Any

from binderhub_registry_hook.errors import InputError
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
from binderhub_registry_hook.secrets import Secret, basic_auth

__all__ = [
    "CA_BUNDLE",
    "CA_CERT",
    "CONFIG_JSON",
    "DOCKERCONFIGJSON",
    "SETTINGS",
    "SYSTEM_BUNDLE",
    "Outputs",
    "build",
    "ca_consumers",
    "docker_config",
    "merge_config",
    "previous_login",
    "settings_json",
    "trust_files",
]

# With registry.tls.caBundle: the private CA alone (the layout of docker's and podman's
# certs.d/HOST/ca.crt), and the public CAs plus it, to mount over the binder pod's system
# bundle: BinderHub's HTTP client (tornado on libcurl) reads only that file, not SSL_CERT_FILE.
CA_CERT = "ca.crt"
CA_BUNDLE = "ca-certificates.crt"
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def docker_config(auth_key: str, creds: Credentials | None) -> Secret:
    auths: dict[str, dict[str, str]] = {}
    if creds is not None:
        auths[auth_key] = {"auth": basic_auth(creds.username, creds.password).reveal()}
    return Secret(json.dumps({"auths": auths}, indent=2, sort_keys=True) + "\n")


def _registry_host(auth_key: str) -> str:
    """The host an ``auths`` key names, as docker clients match keys (scheme and path dropped)."""
    host = auth_key.split("://", 1)[-1].split("/", 1)[0].lower()
    return "index.docker.io" if host in ("docker.io", "registry-1.docker.io") else host


def merge_config(base: str, ours: Secret, *, where: str) -> Secret:
    """``base`` (another docker config.json) with our ``auths`` entries in place of its entries for
    the same registry; every other key and every other registry's entry is kept.

    BinderHub's chart merges ``config.BinderHub.buildDockerConfig`` (other registries'
    ``auths``, ``proxies``, ...) into its ``config.json``; the hook replaces only the login it
    proved.  Entries keyed differently for the same host (``host`` and ``https://host``) go too:
    docker clients would pick either one.
    """
    mine = json.loads(ours.reveal())
    if not base.strip():
        return ours
    try:
        doc = json.loads(base)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{where}: {CONFIG_JSON} is not JSON ({e.msg} at line {e.lineno})",
            fix="check config.BinderHub.buildDockerConfig",
        ) from None
    auths = doc.get("auths") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not isinstance(auths if auths is not None else {}, dict):
        raise InputError(
            f"{where}: {CONFIG_JSON} must be an object whose `auths` is an object",
            fix="check config.BinderHub.buildDockerConfig",
        )
    hosts = {_registry_host(key) for key in mine["auths"]}
    kept = {key: entry for key, entry in (auths or {}).items() if _registry_host(key) not in hosts}
    doc["auths"] = {**kept, **mine["auths"]}
    return Secret(json.dumps(doc, indent=2, sort_keys=True) + "\n")


def previous_login(previous: dict[str, str] | None, auth_key: str) -> tuple[str, Secret] | None:
    """(username, password) of ``auth_key`` in a previous run's output Secret, for reuse."""
    try:
        entry = json.loads((previous or {})[CONFIG_JSON])["auths"][auth_key]
        user, sep, password = base64.b64decode(Secret(entry["auth"]).reveal()).decode().partition(":")
    except (KeyError, ValueError, TypeError, RecursionError):
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


def trust_files(ca: str | None) -> dict[str, str]:
    """``ca.crt`` and ``ca-certificates.crt`` (public CAs plus ``ca``) for a private CA, else nothing."""
    if not ca:
        return {}
    import certifi

    ca = ca.strip() + "\n"
    return {CA_CERT: ca, CA_BUNDLE: Path(certifi.where()).read_text().rstrip("\n") + "\n\n" + ca}


def build(
    target: Target, creds: Credentials | None, probe: ProbeResult, registry: str, *, ca: str | None = None
) -> Outputs:
    return Outputs(
        config_json=docker_config(target.auth_key, creds),
        settings=binderhub_settings(target, probe.token_url, probe.not_found_401),
        expires_at=creds.expires_at if creds else None,
        registry=registry,
        trust=trust_files(ca),
    )


def ca_consumers(host: str) -> tuple[str, str]:
    """(what the binder pod needs, what is left for the build pods) with a private CA.

    The binder pod can be given the CA by its own volumes; the build pods cannot: repo2docker
    hands the push to a container engine (the node's dockerd, or the dind/pink DaemonSet),
    which trusts a registry CA only from its own certs.d directory.
    """
    binder = (
        f"the binder pod must trust the registry's CA, or BinderHub's manifest lookups fail "
        f"(SSLCertVerificationError): key {CA_BUNDLE} of the written Secret (public CAs plus "
        f"registry.tls.caBundle) goes over {SYSTEM_BUNDLE} (subPath), the only file BinderHub's libcurl "
        "client reads; post-render mounts it itself, with the chart add to BinderHub's extraVolumeMounts "
        f"{{name: registry-hook, mountPath: {SYSTEM_BUNDLE}, subPath: {CA_BUNDLE}, readOnly: true}}"
    )
    build = (
        f"the build pods' container engine must trust the registry's CA too, and the hook cannot do that: "
        f"put key {CA_CERT} of the written Secret at /etc/docker/certs.d/{host}/ca.crt on every build node "
        f"(imageBuilderType: host), or mount it there in the dind DaemonSet (dind.daemonset.extraVolumes/"
        f"extraVolumeMounts), or at /etc/containers/certs.d/{host}/ca.crt for pink"
    )
    return binder, build
