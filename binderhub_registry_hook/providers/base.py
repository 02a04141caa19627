"""The small interface every registry provider implements.

A provider knows one registry's rules.  It answers two questions:

* :meth:`Provider.target` (no network): where BinderHub pushes and how it finds its
  credentials there: the API url, the ``config.json`` auth key, the image prefix
  (checked against the registry's naming rules), the token url when it is known.
* :meth:`Provider.credentials` (may call the registry's or cloud's API): push
  credentials, read from the credential source, exchanged, or provisioned when
  ``registry.mode`` is ``provision``.

The probe, the outputs and the sinks are the same for every registry.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar
from urllib.parse import urlparse

from binderhub_registry_hook.credentials import CredentialSource, Credentials
from binderhub_registry_hook.distribution import HUB_LIKE_RE, REPOSITORY_RE, Registry, granted_actions, image_basename
from binderhub_registry_hook.errors import HookError, PushDenied, SpecError
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.spec import RegistrySpec

_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-/")
MAX_NAME = 255  # distribution's limit on a repository name; BinderHub also cuts at 255


@dataclass
class Target:
    """Where BinderHub pushes: the values BinderHub's ``DockerRegistry`` needs."""

    url: str  # DockerRegistry.url: the v2 API base
    auth_key: str  # key under `auths` in config.json (DockerRegistry.auth_config_url)
    image_prefix: str  # BinderHub.image_prefix
    token_url: str | None = None  # None: discover from the challenge; "": basic auth
    registry_class: str | None = None  # BinderHub.registry_class, when not the default
    not_found_401: bool = False  # registry answers 401 for repositories that do not exist

    @property
    def host(self) -> str:
        return urlparse(self.url).netloc

    def probe_repository(self, name: str) -> str:
        """The repository BinderHub would use for an image called ``name``."""
        return image_basename(f"{self.image_prefix}{name}:tag")[0]


@dataclass
class Context:
    """What a provider may use: the spec, the credential source, a report, client factories."""

    spec: RegistrySpec
    source: CredentialSource
    report: Report = field(default_factory=Report)
    # name -> factory; tests replace a factory instead of monkeypatching an SDK.
    clients: dict[str, Callable[..., Any]] = field(default_factory=dict)
    # What the output Secret held before this run (key -> text), for idempotent provisioning.
    previous: dict[str, str] | None = None
    _bundle: str | None = field(default=None, repr=False)

    def client(self, name: str, default: Callable[..., Any], **kw) -> Any:
        return self.clients.get(name, default)(**kw)

    def verify(self) -> bool | str:
        """``requests``' verify: the system CAs, plus registry.tls.caBundle when set.

        The combined bundle is written once per run (to a temp file removed at exit):
        probes and providers ask for it several times.
        """
        if not self.spec.ca_bundle:
            return True
        if self._bundle is None:
            import atexit
            import os

            import certifi

            system = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or certifi.where()
            with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as bundle:
                bundle.write(open(system).read())
                bundle.write("\n" + self.spec.ca_bundle)
            atexit.register(lambda path=bundle.name: os.path.exists(path) and os.unlink(path))
            self._bundle = bundle.name
        return self._bundle


class Provider:
    """Base class: subclasses set ``name`` and implement ``target`` and ``credentials``."""

    name: ClassVar[str]
    #: True when this registry's credentials expire within hours (refresh CronJob needed).
    short_lived: ClassVar[bool] = False
    #: True when ``registry.mode: provision`` can create what is missing.
    can_provision: ClassVar[bool] = False
    #: Docker Hub prefixes may omit the registry host (``NAMESPACE/NAME-``).
    docker_hub: ClassVar[bool] = False

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.spec = ctx.spec
        self.report = ctx.report

    def target(self) -> Target:
        raise NotImplementedError

    def credentials(self) -> Credentials:
        raise NotImplementedError

    # -- shared helpers -----------------------------------------------------------

    def static_credentials(self) -> Credentials:
        """Username and password from the credential source, as the spec names them."""
        ref = self.spec.credentials
        username = self.ctx.source.get(ref.username_key, value_path="registry.credentials.usernameKey",
                                       secret=False)
        password = self.ctx.source.get(ref.password_key, value_path="registry.credentials.passwordKey")
        return Credentials(username, password, origin=self.ctx.source.describe())

    def push_claim(self, target: Target, creds: Credentials,
                   denied: Callable[[Registry, list[str]], HookError]) -> list[str] | None:
        """What the token service grants on the probe repository: a hint, confirmed by a push probe.

        Logs in as the probe will, so wrong credentials fail here, where the provider can
        say why in its registry's words.  When the token's ``access`` claim lacks push, the
        push probe runs at once and a refusal raises ``denied(registry, actions)``; a probe
        that passes anyway wins (the claim is only a hint).  None: no claim to read.
        """
        registry = Registry(target.url, verify=self.ctx.verify(), timeouts=self.spec.timeouts)
        repository = target.probe_repository(self.spec.probe_name)
        login = registry.login(creds, f"repository:{repository}:push,pull")
        actions = granted_actions(login.granted, repository)
        if actions is None or "push" in actions:
            return actions
        if not self.spec.probe_push:  # nothing to confirm it with: say it, do not fail on a hint
            self.report.warn(f"{denied(registry, actions).message} (from the token's claim; "
                             "the push probe is off)")
            return actions
        try:
            registry.probe_push(repository, creds)
        except PushDenied:
            raise denied(registry, actions) from None
        self.report.warn(f"the token for {repository} claims only {','.join(actions) or 'nothing'}, "
                         "yet the push probe was accepted")
        return actions

    def check_prefix(self, target: Target) -> None:
        """The image prefix must name repositories on this registry that BinderHub can use."""
        prefix, path = target.image_prefix, "registry.imagePrefix"
        if prefix != prefix.lower():
            raise SpecError(path, f"{prefix!r} has upper-case letters; BinderHub lower-cases image names",
                            fix=f"use {prefix.lower()!r}")
        if "@" in prefix or ":" in prefix.split("/", 1)[-1] or "/" not in prefix and not self.docker_hub:
            raise SpecError(path, f"{prefix!r} must be HOST/PATH/NAME-PREFIX without a tag or digest")
        first = prefix.split("/", 1)[0]
        if not self.docker_hub and first != target.host:
            raise SpecError(path, f"starts with {first!r} but the registry is {target.host!r}",
                            fix=f"start the prefix with {target.host}/")
        name = target.probe_repository(self.spec.probe_name)
        if not self.docker_hub and HUB_LIKE_RE.fullmatch(f"{prefix}{self.spec.probe_name}"):
            raise SpecError(path, f"{prefix!r} looks like a Docker Hub name to BinderHub",
                            fix="give the registry host with a dot or a port, e.g. registry.example.org/")
        if not name or not REPOSITORY_RE.fullmatch(name):
            bad = sorted(set(c for c in name if c not in _NAME_CHARS))
            detail = f"character {bad[0]!r} is not allowed" if bad else "repository names are lowercase " \
                "letters and digits, separated by '.', '_', '-' or '/', starting with a letter or digit"
            raise SpecError(path, f"{prefix!r} makes invalid repository names: {detail}")
        if len(name) > MAX_NAME - 64:
            raise SpecError(path, "leaves too little room for BinderHub's image names "
                            f"(repository part {len(name)} characters; keep it under {MAX_NAME - 64})")


def registry_answer(error: HookError) -> str:
    """The registry's answer carried by one of our errors, for re-wording it."""
    return error.answer or "refused"
