"""``registry.ecr``: the one home of its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATE_DESCRIPTION = "BinderHub images (managed by binderhub-registry-hook)"


@dataclass(frozen=True)
class LifecycleOptions:
    expire_after_days: int
    since: str = "pulled"  # or "pushed"


@dataclass(frozen=True)
class TemplateOptions:
    enabled: bool = True
    prefix: str | None = None  # None: the namespace of the image prefix
    description: str = TEMPLATE_DESCRIPTION
    lifecycle: LifecycleOptions | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EcrOptions:
    region: str
    account_id: str | None = None  # None: the account of the registry host
    role_arn: str | None = None
    repository_creation_template: TemplateOptions = field(default_factory=TemplateOptions)
    repositories: tuple[str, ...] = ()
