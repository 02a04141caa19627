"""``registry.google``: the one home of its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Endpoints:
    iam: str | None = None  # None: Google's (iam.googleapis.com)
    artifact_registry: str | None = None  # None: Google's (artifactregistry.googleapis.com)


@dataclass(frozen=True)
class GoogleOptions:
    auth: str = "auto"  # auto | serviceAccountKey | workloadIdentity
    key_key: str | None = None  # None: registry.credentials.passwordKey when set, else key.json
    login: str = "_json_key"  # or _json_key_base64
    project: str | None = None  # None: read from the image prefix
    location: str | None = None  # None: read from the image prefix's host
    repository: str | None = None  # None: read from the image prefix
    gcr_hosted: bool = False
    cross_project_key: bool = False
    binderhub_registry_class: bool = False
    service_account: str = "binderhub-builder"
    create_repository: bool = True
    admin_key_key: str | None = None  # None: the pod's own Google identity
    key_rotation_days: int = 90  # mode: provision rotates its key this many days after creation; 0: never
    renew_before_days: int = 30  # ... and this many days before an expiry an organization policy set
    endpoints: Endpoints = field(default_factory=Endpoints)
