"""The small contract every registry provider implements, and the checks they share.

A provider knows one registry's rules and holds no state: everything a step needs is
passed in, and what it finds is returned.

* :meth:`Provider.plan` (pure: no network, no report): where BinderHub pushes and how it
  finds its credentials there: the API url, the ``config.json`` auth key, the image
  prefix (checked against the registry's naming rules), the token url when it is known;
  what it noticed travels in ``Target.notes`` and ``Target.warnings``.
* :meth:`Provider.credentials` (may call the registry's or cloud's API): push
  credentials, read from the credential source, exchanged, or provisioned when
  ``registry.mode`` is ``provision``; their expiry is ``Credentials.expires_at``.

Options are a frozen dataclass per provider (``options_type``), built from the
provider's values block; the probe, the outputs and the sinks are the same for every
registry.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Generic, TypeVar, cast

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import HookError, PushDenied, SpecError
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.oci import HUB_LIKE_RE, REPOSITORY_RE, granted_actions
from binderhub_registry_hook.options import from_values
from binderhub_registry_hook.spec import RegistrySpec

_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-/")
MAX_NAME = 255  # distribution's limit on a repository name; BinderHub also cuts at 255

OptionsT = TypeVar("OptionsT")

#: What a provider says when the token service grants no push: (registry, granted actions) -> error.
Denied = Callable[[Registry, list[str]], HookError]


class Provider(Generic[OptionsT]):
    """Base class: subclasses set ``name`` and ``options_type`` and implement both steps."""

    name: ClassVar[str]
    #: The frozen dataclass of this provider's values block (``registry.<type>``).
    options_type: ClassVar[type[Any]]
    #: True when ``registry.mode: provision`` can create what is missing.
    can_provision: ClassVar[bool] = False

    def options(self, spec: RegistrySpec) -> OptionsT:
        return cast(OptionsT, from_values(self.options_type, spec.options))

    def plan(self, spec: RegistrySpec, options: OptionsT) -> Target:
        raise NotImplementedError

    def credentials(self, ctx: Context, target: Target, options: OptionsT) -> Credentials:
        raise NotImplementedError

    def retire(self, ctx: Context, target: Target, options: OptionsT, refs: tuple[str, ...]) -> list[str]:
        """Remove our older credentials ``refs`` (``Credentials.retire``); what was removed.

        Called only after their successor is written and BinderHub rolled, never by
        post-render (Helm writes later): the next run finds them again and retires them.
        """
        return []


# -- shared steps ---------------------------------------------------------------------


def static_credentials(ctx: Context) -> Credentials:
    """Username and password from the credential source, as the spec names them."""
    ref = ctx.spec.credentials
    username = ctx.source.get(ref.username_key, value_path="registry.credentials.usernameKey", secret=False)
    password = ctx.source.get(ref.password_key, value_path="registry.credentials.passwordKey")
    return Credentials(username, password, origin=ctx.source.describe())


def push_claim(ctx: Context, target: Target, creds: Credentials, denied: Denied) -> list[str] | None:
    """What the token service grants on the probe repository: a hint, confirmed by a push probe.

    Logs in as the probe will, so wrong credentials fail here, where the provider can
    say why in its registry's words.  When the token's ``access`` claim lacks push, the
    push probe runs at once and a refusal raises ``denied(registry, actions)``; a probe
    that passes anyway wins (the claim is only a hint).  None: no claim to read.
    """
    spec = ctx.spec
    registry = ctx.registry(target.url)
    repository = target.probe_repository(spec.probe_name)
    login = registry.login(creds, f"repository:{repository}:push,pull")
    actions = granted_actions(login.granted, repository)
    if actions is None or "push" in actions:
        return actions
    if not spec.probe_push:  # nothing to confirm it with: say it, do not fail on a hint
        ctx.report.warn(f"{denied(registry, actions).message} (from the token's claim; the push probe is off)")
        return actions
    try:
        registry.probe_push(repository, creds)
    except PushDenied:
        raise denied(registry, actions) from None
    ctx.report.warn(
        f"the token for {repository} claims only {','.join(actions) or 'nothing'}, yet the push probe was accepted"
    )
    return actions


def check_prefix(target: Target, probe_name: str, *, docker_hub: bool = False) -> None:
    """The image prefix must name repositories on this registry that BinderHub can use.

    ``docker_hub``: the prefix may omit the registry host (``NAMESPACE/NAME-``).
    """
    prefix, path = target.image_prefix, "registry.imagePrefix"
    if prefix != prefix.lower():
        raise SpecError(
            path, f"{prefix!r} has upper-case letters; BinderHub lower-cases image names", fix=f"use {prefix.lower()!r}"
        )
    if "@" in prefix or ":" in prefix.split("/", 1)[-1] or "/" not in prefix and not docker_hub:
        raise SpecError(path, f"{prefix!r} must be HOST/PATH/NAME-PREFIX without a tag or digest")
    first = prefix.split("/", 1)[0]
    if not docker_hub and first != target.host:
        raise SpecError(
            path,
            f"starts with {first!r} but the registry is {target.host!r}",
            fix=f"start the prefix with {target.host}/",
        )
    name = target.probe_repository(probe_name)
    if not docker_hub and HUB_LIKE_RE.fullmatch(f"{prefix}{probe_name}"):
        raise SpecError(
            path,
            f"{prefix!r} looks like a Docker Hub name to BinderHub",
            fix="give the registry host with a dot or a port, e.g. registry.example.org/",
        )
    if not name or not REPOSITORY_RE.fullmatch(name):
        bad = sorted(set(c for c in name if c not in _NAME_CHARS))
        detail = (
            f"character {bad[0]!r} is not allowed"
            if bad
            else "repository names are lowercase "
            "letters and digits, separated by '.', '_', '-' or '/', starting with a letter or digit"
        )
        raise SpecError(path, f"{prefix!r} makes invalid repository names: {detail}")
    if len(name) > MAX_NAME - 64:
        raise SpecError(
            path,
            "leaves too little room for BinderHub's image names "
            f"(repository part {len(name)} characters; keep it under {MAX_NAME - 64})",
        )


def registry_answer(error: HookError) -> str:
    """The registry's answer carried by one of our errors, for re-wording it."""
    return error.answer or "refused"
