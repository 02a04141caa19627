"""A Docker Hub-style token service (``auth.docker.io``) for a real local registry.

It grants the way Hub does, as far as BinderHub can tell:

* Docker IDs log in with a password or a personal access token (``read`` or ``write``);
  an organization logs in with its name and an organization access token;
* push (with pull) in the account's own namespace and in organizations it belongs to,
  when the credential may write; a new repository may be pushed to;
* pull only on repositories that exist: Hub grants nothing on a missing one, so the
  registry answers 401 where others answer 404 (BinderHub's ``not_found_401``).

Start it, then a ``LocalRegistry(auth="token", token_server=hub)``, then set
``hub.storage = registry.storage`` so it can tell which repositories exist.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from . import FAST
from .tokenserver import TokenServer

SERVICE = "registry.docker.io"
WRITE = {"write", "admin"}


def block(hub, prefix="binderbot/binder-", **kw) -> dict:
    """A registry block for Docker Hub, with its registry and token url pointed at this stand-in."""
    return {"type": "dockerhub", "url": hub.registry.url, "imagePrefix": prefix, "timeouts": FAST,
            "dockerhub": {"authUrl": f"{hub.realm}?service=registry.docker.io"}, **kw}


class DockerHubTokenService(TokenServer):
    def __init__(self, ca=None, **kw):
        super().__init__(ca, service=SERVICE, default_grant=None, **kw)
        self.passwords: dict[str, str] = {}  # Docker ID -> password
        self.tokens: dict[str, tuple[str, str]] = {}  # token -> (Docker ID or organization, access)
        self.orgs: dict[str, set[str]] = {}  # organization -> member Docker IDs
        self.storage: Path | None = None  # the registry's storage directory

    # -- accounts ----------------------------------------------------------------------

    def add_account(self, name: str) -> str:
        self.passwords[name] = "pw-" + secrets.token_urlsafe(12)
        return self.passwords[name]

    def add_token(self, owner: str, access: str = "write") -> str:
        """A personal access token (owner: a Docker ID) or an organization access token."""
        token = "dckr_pat_" + secrets.token_urlsafe(18)
        self.tokens[token] = (owner, access)
        return token

    def add_org(self, org: str, members=()) -> None:
        self.orgs[org] = set(members)

    # -- policy -----------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> str | None:
        if secrets.compare_digest(self.passwords.get(username, "\0"), password):
            return f"{username}:admin"
        owner, access = self.tokens.get(password, (None, None))
        return f"{owner}:{access}" if owner == username else None

    def exists(self, name: str) -> bool:
        return self.storage is not None and (
            self.storage / "docker/registry/v2/repositories" / name / "_manifests").is_dir()

    def grant(self, subject, type_, name, requested):
        if subject is None or type_ != "repository":
            return []
        user, access = subject.split(":")
        namespace = name.split("/", 1)[0]
        member = namespace == user or user in self.orgs.get(namespace, ())
        granted = []
        if "push" in requested and member and access in WRITE:
            granted.append("push")
        if "pull" in requested and (granted or member and self.exists(name)):
            granted.append("pull")
        if "delete" in requested and member and access == "admin":
            granted.append("delete")
        return granted
