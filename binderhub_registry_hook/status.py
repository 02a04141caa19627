"""`status`: what the output Secret's record says, for a person or a monitoring job.

The record is the annotations each check writes (:mod:`.lifecycle`). It is read from the
cluster (``get`` on the one output Secret, which the refresh identity may do) or from
local files: a Secret manifest as ``kubectl get secret -o json`` (or yaml) prints it, a
``config.json`` and a ``binderhub-settings.json``. Nothing secret is printed: the login's
user name, the registry, where the credentials came from, and times.

Exit codes: 0 healthy (or no record yet, said as "unknown"), 6 expiring (inside the
renewal window), 7 failing (the last check failed, or the credentials ended).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
from pathlib import Path
from typing import Any

from binderhub_registry_hook import lifecycle
from binderhub_registry_hook.errors import CheckFailed, CredentialsExpiring, InputError
from binderhub_registry_hook.model import CONFIG_JSON, SETTINGS
from binderhub_registry_hook.spec import MAX_VALUES_BYTES, parse_yaml

EXIT = {
    lifecycle.HEALTHY: 0,
    lifecycle.UNKNOWN: 0,
    lifecycle.EXPIRING: CredentialsExpiring.exit_code,
    lifecycle.FAILING: CheckFailed.exit_code,
}


def run(args: argparse.Namespace) -> int:
    if args.file:
        where = ", ".join(map(str, args.file))
        annotations, data = read_files(args.file)
    else:
        from binderhub_registry_hook.kube import Cluster

        cluster = Cluster.connect(kubeconfig=args.kubeconfig, context=args.context, namespace=args.namespace)
        existing = cluster.read_secret(args.secret_name)
        where = f"Secret {cluster.namespace}/{args.secret_name}"
        if existing is None:
            raise CheckFailed(
                f"{where} does not exist: the hook has not written it",
                fix="install the chart, or give --secret-name and --namespace",
            )
        annotations, data = existing.annotations, existing.data
    username, registry = login_of(data)
    health = lifecycle.health(annotations, args.clock(), username=username, registry=registry)
    if args.output == "json":
        print(json.dumps({"source": where, **health.as_dict()}, indent=2, sort_keys=True))
    else:
        print(render(health, where))
    return EXIT[health.state]


def render(h: lifecycle.Health, where: str) -> str:
    days = f" ({h.days_left:g} days left)" if h.days_left is not None else ""
    end = min((t for t in (h.expires_at, h.valid_until) if t and t != lifecycle.NEVER), default=None)
    rows = [
        ("state", f"{h.state}: {h.reason}"),
        ("source", where),
        ("registry", h.registry or "unknown"),
        ("user", h.username or "unknown"),
        ("origin", h.origin or "unknown"),
        ("expires", f"{end}{days}" if end else "never"),
        ("renew at", h.renew_at or "never"),
        ("last check", h.last_check or "never"),
        ("last error", f"{h.last_error_at}: {h.last_error}" if h.last_error else "none"),
    ]
    return "\n".join(f"{k:<11} {v}" for k, v in rows)


def login_of(data: dict[str, str]) -> tuple[str | None, str | None]:
    """The user name in config.json and the registry url of the settings; never the password."""
    user = registry = None
    try:
        auths = json.loads(data.get(CONFIG_JSON, "")).get("auths") or {}
        key, entry = next(iter(auths.items()))
        user = base64.b64decode(entry["auth"]).decode().partition(":")[0] or None
        registry = key
    except (ValueError, TypeError, KeyError, StopIteration, AttributeError, binascii.Error):
        pass
    try:
        registry = json.loads(data.get(SETTINGS, ""))["DockerRegistry"]["url"]
    except (ValueError, TypeError, KeyError):
        pass
    return user, registry


def read_files(paths: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """(annotations, data) from a Secret manifest and/or a config.json and a settings file."""
    annotations: dict[str, str] = {}
    data: dict[str, str] = {}
    for path in paths:
        doc = _load(path)
        if doc.get("kind") == "Secret":
            meta = doc.get("metadata") or {}
            annotations.update({str(k): str(v) for k, v in (meta.get("annotations") or {}).items()})
            data.update(_secret_data(doc, path))
        elif "auths" in doc:
            data[CONFIG_JSON] = json.dumps(doc)
        elif "DockerRegistry" in doc or "BinderHub" in doc:
            data[SETTINGS] = json.dumps(doc)
        else:
            raise InputError(f"--file {path}: neither a Secret manifest, a config.json nor a binderhub-settings.json")
    return annotations, data


def _load(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_VALUES_BYTES:
            raise InputError(f"--file {path}: larger than {MAX_VALUES_BYTES} bytes")
        text = path.read_text()
    except OSError as e:
        raise InputError(f"--file {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"--file {path}: not UTF-8 text") from None
    doc = parse_yaml(text, f"--file {path}")  # YAML is a superset of JSON
    if not isinstance(doc, dict):
        raise InputError(f"--file {path}: not a JSON or YAML mapping")
    return doc


def _secret_data(doc: dict[str, Any], path: Path) -> dict[str, str]:
    out = {str(k): str(v) for k, v in (doc.get("stringData") or {}).items()}
    for key, value in (doc.get("data") or {}).items():
        try:
            out[str(key)] = base64.b64decode(str(value), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise InputError(f"--file {path}: data.{key} is not base64 of UTF-8 text") from None
    return out
