"""Docker Hub: a Docker ID (or organization) with a password or an access token.

Hub's rules, as BinderHub applies them (``binderhub/registry.py``):

* the registry API is ``registry-1.docker.io``, but ``config.json`` keys the login by the
  old v1 index url ``https://index.docker.io/v1/``; tokens come from ``auth.docker.io``;
* an image prefix may omit the host (``NAMESPACE/NAME-``): BinderHub reads
  ``word/name`` as a Hub name, so the namespace must look like a Docker ID;
* Hub answers 401, not 404, for a repository that does not exist yet, even to its owner:
  BinderHub's ``DockerRegistry.not_found_401`` reads that as "not built yet".

``registry.url`` and ``registry.dockerhub.authUrl`` replace the endpoints for mirrors
and tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import CredentialsRejected, HookError, PushDenied, SpecError
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.oci import granted_actions
from binderhub_registry_hook.providers.base import (
    Denied,
    Provider,
    check_prefix,
    push_claim,
    registry_answer,
    static_credentials,
)
from binderhub_registry_hook.spec import RegistrySpec

REGISTRY_URL = "https://registry-1.docker.io"
AUTH_KEY = "https://index.docker.io/v1/"
HOST_PREFIX = "docker.io/"
NAMESPACE_RE = re.compile(r"[a-z0-9]{4,30}")  # Docker IDs and organization names
PAT_HELP = (
    "hub.docker.com > Account settings > Personal access tokens, access Read & Write; "
    "or an organization access token with push on the repositories"
)


@dataclass(frozen=True)
class DockerHubOptions:
    """``registry.dockerhub``."""

    auth_url: str = "https://auth.docker.io/token?service=registry.docker.io"


class DockerHubProvider(Provider[DockerHubOptions]):
    name = "dockerhub"
    options_type = DockerHubOptions

    def plan(self, spec: RegistrySpec, options: DockerHubOptions) -> Target:
        url = (spec.url or REGISTRY_URL).rstrip("/")
        target = Target(
            url=url,
            # A mirror is looked up by its own url, as BinderHub's auth_config_url default does.
            auth_key=AUTH_KEY if url == REGISTRY_URL else url,
            image_prefix=spec.image_prefix,
            token_url=options.auth_url,
            not_found_401=True,
        )
        check_prefix(target, spec.probe_name, docker_hub=True)
        _check_hub_name(target, spec.probe_name)
        return target

    def credentials(self, ctx: Context, target: Target, options: DockerHubOptions) -> Credentials:
        creds = static_credentials(ctx)
        repository = target.probe_repository(ctx.spec.probe_name)
        try:
            actions = push_claim(ctx, target, creds, _denied(creds, repository, ctx.spec.probe_name))
        except CredentialsRejected as e:
            raise CredentialsRejected(
                f"Docker Hub refused {creds.username!r}: wrong password or access token, a revoked or "
                f"expired token, or an unknown Docker ID ({registry_answer(e)})",
                fix="set the Docker ID (not the e-mail) and a password or access token in "
                f"registry.credentials; with two-factor authentication use an access token ({PAT_HELP})",
            ) from None
        claim = ",".join(actions) if actions is not None else "no access claim"
        ctx.report.step(
            "credentials", f"Docker Hub token for {repository}: {claim} (a hint; the push probe is the proof)"
        )
        ctx.report.step(
            "credentials",
            "Docker Hub answers 401, not 404, for repositories that do not exist "
            "yet: DockerRegistry.not_found_401 makes BinderHub read that as "
            "'not built yet' instead of failing",
        )
        return creds


def _check_hub_name(target: Target, probe_name: str) -> None:
    prefix, path = target.image_prefix, "registry.imagePrefix"
    name = prefix[len(HOST_PREFIX) :] if prefix.startswith(HOST_PREFIX) else prefix
    namespace, _, rest = name.partition("/")
    if "." in namespace or ":" in namespace:
        raise SpecError(
            path,
            f"{prefix!r} names the registry {namespace!r}, not Docker Hub",
            fix="use NAMESPACE/NAME- or docker.io/NAMESPACE/NAME-, or registry.type: generic",
        )
    if not rest or "/" in rest:
        raise SpecError(
            path,
            f"{prefix!r}: Docker Hub repositories are NAMESPACE/NAME, one level",
            fix="use NAMESPACE/NAME- (e.g. mybinder/binder-), no deeper path",
        )
    if not NAMESPACE_RE.fullmatch(namespace):
        raise SpecError(
            path,
            f"namespace {namespace!r} is not a Docker ID or organization "
            "(4-30 lowercase letters and digits); BinderHub would not read it as a Hub name",
        )
    if target.probe_repository(probe_name) != f"{name}{probe_name}":
        raise SpecError(path, f"{prefix!r}: BinderHub would not read this as a Docker Hub name")


def _denied(creds: Credentials, repository: str, probe_name: str) -> Denied:
    namespace = repository.split("/", 1)[0]

    def denied(registry: Registry, actions: list[str]) -> HookError:
        got = ",".join(actions) or "nothing"
        if namespace != creds.username.lower() and _can_push_own(registry, creds, probe_name):
            return PushDenied(
                f"{creds.username!r} may not push to the Docker Hub namespace {namespace!r} "
                f"(the token grants {got} on {repository})",
                fix=f"make {creds.username!r} a member of organization {namespace!r} with write "
                f"access, or change registry.imagePrefix to {creds.username}/...",
            )
        return PushDenied(
            f"the access token of {creds.username!r} is read-only for {namespace!r} "
            f"(Docker Hub grants {got} on {repository})",
            fix=f"create a token with Read & Write access ({PAT_HELP}) and put it in registry.credentials",
        )

    return denied


def _can_push_own(registry: Registry, creds: Credentials, probe_name: str) -> bool:
    """Does the token service grant push in the user's own namespace?  Tells a read-only
    token from a namespace the account may not write to."""
    own = f"{creds.username.lower()}/{probe_name}"
    ch = registry.challenge()
    _, granted = registry.fetch_token(ch.realm, creds, service=ch.service, scope=f"repository:{own}:push,pull")
    return "push" in (granted_actions(granted, own) or [])
