"""The few Harbor v2.0 API calls provisioning needs, as an admin, errors mapped to ours;
and what a robot account's fields mean (expiry, permissions)."""

from __future__ import annotations

import math
import secrets
import string
from datetime import datetime, timezone
from typing import Any

from binderhub_registry_hook.distribution import Answer, Registry, http_answer
from binderhub_registry_hook.errors import CloudDenied, CredentialsRejected, ProtocolError
from binderhub_registry_hook.model import Credentials
from binderhub_registry_hook.oci import basic_header
from binderhub_registry_hook.secrets import Secret

API = "/api/v2.0"
PUSH_PULL = [{"resource": "repository", "action": "push"}, {"resource": "repository", "action": "pull"}]
DAY = 86400
PAGE = 100

Robot = dict[str, Any]  # Harbor's robot JSON, as the API answers it


class HarborAPI:
    """The few Harbor v2.0 API calls provisioning needs, as an admin, errors mapped to ours."""

    def __init__(self, registry: Registry, admin: Credentials, vendor: str, key_path: str):
        self.registry = registry
        self.admin = admin
        self.vendor = vendor
        self.key_path = key_path
        self.who = f"admin user {admin.username!r}"

    def call(self, method: str, path: str, *, what: str, ok: tuple[int, ...] = (200,), **kw: Any) -> Answer:
        headers = {
            "Authorization": basic_header(self.admin.username, self.admin.password),
            "Accept": "application/json",
            "X-Is-Resource-Name": "true",
        }
        r = self.registry.request(method, API + path, what=f"{self.vendor} API: {what}", headers=headers, **kw)
        if r.status_code in ok:
            return r
        if r.status_code == 401:
            raise CredentialsRejected(
                f"{self.vendor} API refused {self.who} ({http_answer(r)})",
                fix=f"check the admin username and password ({self.key_path})",
                status=401,
                reason="unauthenticated",
            )
        if r.status_code == 403:
            raise CloudDenied(
                f"{self.vendor} API: {self.who} may not {what} ({http_answer(r)})",
                fix="use a Harbor system administrator (or the project's administrator when the project exists)",
                status=403,
                reason="denied",
            )
        raise ProtocolError(f"{self.vendor} API: {what} answered {http_answer(r)}", status=r.status_code)

    def project_id(self, project: str) -> int | None:
        r = self.call("GET", f"/projects/{project}", what=f"read project {project}", ok=(200, 404))
        return None if r.status_code == 404 else int(_json(r, "project")["project_id"])

    def create_project(self, project: str, *, public: bool) -> int:
        body = {"project_name": project, "metadata": {"public": str(public).lower()}}
        self.call("POST", "/projects", what=f"create project {project}", ok=(201, 409), json=body)
        pid = self.project_id(project)
        if pid is None:
            raise ProtocolError(f"{self.vendor} API: project {project} is missing right after its creation")
        return pid

    def find_robot(self, project_id: int, suffix: str) -> Robot | None:
        """The project robot whose name ends in ``PROJECT+NAME`` (Harbor prefixes ``robot$``)."""
        for page in range(1, 50):
            r = self.call(
                "GET",
                "/robots",
                what="list robot accounts",
                params={"q": f"Level=project,ProjectID={project_id}", "page": page, "page_size": PAGE},
            )
            robots = _json(r, "robot list")
            for robot in robots:
                if robot.get("name", "").endswith(suffix) and robot["name"][: -len(suffix)].endswith("$"):
                    return dict(robot)
            if len(robots) < PAGE:
                return None
        return None

    def create_robot(self, project: str, project_id: int, name: str, days: int) -> Robot:
        body = {
            "name": name,
            "description": "BinderHub image builds (binderhub-registry-hook)",
            "level": "project",
            "disable": False,
            "duration": days if days > 0 else -1,
            "permissions": [{"kind": "project", "namespace": project, "access": PUSH_PULL}],
        }
        r = self.call("POST", "/robots", what=f"create a robot in project {project}", ok=(201, 409), json=body)
        if r.status_code == 409:  # made by a run that died before writing its Secret
            robot = self.find_robot(project_id, f"{project}+{name}")
            if robot is None:
                raise ProtocolError(f"{self.vendor} API: robot {name} exists (409) but is not listed")
            return {**robot, "secret": self.refresh_secret(robot["id"])}
        robot = dict(_json(r, "created robot"))
        robot["secret"] = Secret(robot.get("secret") or "")
        if not robot["secret"]:
            raise ProtocolError(f"{self.vendor} API created robot {robot.get('name')} without a secret")
        return robot

    def repair_robot(self, robot: Robot, project: str, days: int, now: datetime) -> Robot:
        """Enable it, give it push and pull, and make it expire ``days`` from ``now``.

        Its secret stays: a renewal this way breaks nothing that uses the robot."""
        body = {k: v for k, v in robot.items() if k not in ("secret", "expires_at")}
        body.update(disable=False, permissions=[{"kind": "project", "namespace": project, "access": PUSH_PULL}])
        if days > 0:
            # Harbor counts a robot's duration from its creation.
            created = _parse_time(robot.get("creation_time"))
            age = (now - created).total_seconds() / DAY if created else 0
            body["duration"] = math.ceil(age) + days
        else:
            body["duration"] = -1
        self.call("PUT", f"/robots/{robot['id']}", what=f"update robot {robot['name']}", json=body)
        r = self.call("GET", f"/robots/{robot['id']}", what=f"read robot {robot['name']}")
        return dict(_json(r, "robot"))

    def refresh_secret(self, robot_id: int) -> Secret:
        secret = Secret(_new_secret())
        r = self.call("PATCH", f"/robots/{robot_id}", what="refresh a robot secret", json={"secret": secret.reveal()})
        try:
            given = (r.json() or {}).get("secret")
        except (ValueError, AttributeError):
            given = None
        return Secret(given) if given and isinstance(given, str) else secret


# -- robots and helpers -----------------------------------------------------------------------------


def _new_secret() -> str:
    """Harbor wants 8-128 characters with an upper-case letter, a lower-case letter and a digit."""
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(40))
        if any(c.islower() for c in value) and any(c.isupper() for c in value) and any(c.isdigit() for c in value):
            return value


def _json(r: Answer, what: str) -> Any:
    try:
        return r.json()
    except ValueError:
        raise ProtocolError(f"Harbor API: the {what} answer is not JSON") from None


def _parse_time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def expires(robot: Robot) -> datetime | None:
    at = robot.get("expires_at")
    return None if at is None or int(at) < 0 else datetime.fromtimestamp(int(at), timezone.utc)


def days_left(robot: Robot, now: datetime) -> float | None:
    at = expires(robot)
    return None if at is None else (at - now).total_seconds() / DAY


def expired(robot: Robot, now: datetime) -> bool:
    left = days_left(robot, now)
    return left is not None and left <= 0


def when(robot: Robot) -> str:
    at = expires(robot)
    return "never" if at is None else f"{at:%Y-%m-%d %H:%M} UTC"
