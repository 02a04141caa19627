"""Harbor, and OVH Managed Private Registry (a managed Harbor: ``type: ovh``).

Validation: a robot account or a user logs in at Harbor's token service
(``/service/token?service=harbor-registry``); the token's claim on the project is a
hint and the push probe is the proof.  Harbor grants nothing on a project that does
not exist, and answers 401 for a wrong secret and for an expired or disabled robot
alike, so messages name every cause and where to fix it.

Provisioning (``registry.mode: provision``) uses Harbor admin credentials from the
credential source (keys ``registry.harbor.adminUsernameKey``/``adminPasswordKey``) and
the v2.0 API: the project is created if missing, and one project robot per release
(``registry.harbor.robot.name``) holds push and pull.  Runs are idempotent: a robot
whose secret (from the previous output Secret) still works is reused as it is; an
existing robot whose secret is unknown gets a new secret (``PATCH /robots/{id}``)
instead of a second robot; one that expired, was disabled or lost its permissions is
repaired (``PUT /robots/{id}``).
"""

from __future__ import annotations

import math
import re
import secrets
import string
from datetime import datetime, timezone

from binderhub_registry_hook.credentials import Credentials
from binderhub_registry_hook.distribution import Registry, basic_header, http_answer
from binderhub_registry_hook.errors import CloudDenied, CredentialsRejected, HookError, ProtocolError, PushDenied, SpecError
from binderhub_registry_hook.providers.base import Provider, Target, registry_answer
from binderhub_registry_hook.secrets import Secret

API = "/api/v2.0"
SERVICE = "harbor-registry"
NAME_RE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")  # Harbor's rule for project and robot names
PUSH_PULL = [{"resource": "repository", "action": "push"}, {"resource": "repository", "action": "pull"}]
DAY = 86400
PAGE = 100


class HarborProvider(Provider):
    name = "harbor"
    can_provision = True
    vendor = "Harbor"
    # Where an operator fixes things; OVH says it its own way.
    credentials_help = ("a robot account with push and pull (Harbor UI: Projects > PROJECT > Robot Accounts) "
                        "or a Harbor user with the Developer role")
    project_help = "create it in the Harbor UI (Projects > New Project)"

    # -- target -------------------------------------------------------------------

    def check_url(self, url: str) -> None:
        """Harbor runs anywhere; OVH checks its url form."""

    def target(self) -> Target:
        url = self.spec.url.rstrip("/")
        self.check_url(url)
        target = Target(url=url, auth_key=url, image_prefix=self.spec.image_prefix,
                        token_url=f"{url}/service/token?service={SERVICE}")
        self.check_prefix(target)
        self.project(target)
        return target

    def project(self, target: Target) -> str:
        parts = target.image_prefix.split("/")
        if len(parts) < 3 or not parts[1]:
            raise SpecError("registry.imagePrefix", f"{target.image_prefix!r} has no Harbor project",
                            fix=f"use {target.host}/PROJECT/NAME-PREFIX (or {target.host}/PROJECT/)")
        if not NAME_RE.fullmatch(parts[1]):
            raise SpecError("registry.imagePrefix", f"project {parts[1]!r} is not a valid Harbor project name")
        return parts[1]

    # -- credentials ------------------------------------------------------------------

    def credentials(self) -> Credentials:
        target = self.target()
        project = self.project(target)
        self.report.step("credentials", f"{self.vendor} project {project!r}; token service {target.token_url}")
        api = self._api(target, required=self.spec.mode == "provision")
        if self.spec.mode == "provision":
            creds = self._provision(api, target, project)
        else:
            creds = self.static_credentials()
            if api is not None:
                self._check_existing(api, project, creds)
        try:
            actions = self.push_claim(target, creds, self._denied(api, project, creds))
        except CredentialsRejected as e:
            raise self._rejected(creds, e) from None
        claim = ",".join(actions) if actions is not None else "no access claim"
        self.report.step("credentials", f"{creds.username} on project {project}: token claims {claim} "
                                        "(a hint; the push probe is the proof)")
        return creds

    def _rejected(self, creds: Credentials, e: HookError) -> HookError:
        who = "robot" if "+" in creds.username else "user"
        return CredentialsRejected(
            f"{self.vendor} token service refused {who} {creds.username!r} ({registry_answer(e)}): a wrong secret, "
            "or the robot account expired or is disabled (Harbor answers 401 for each)",
            fix=f"use {self.credentials_help}; or set registry.mode: provision with admin credentials "
                "so the hook keeps a robot working",
        )

    def _denied(self, api: "HarborAPI | None", project: str, creds: Credentials):
        def denied(registry: Registry, actions: list[str]) -> HookError:
            if not actions:
                missing = api is not None and api.project_id(project) is None
                cause = (f"project {project!r} does not exist" if missing else
                         f"project {project!r} does not exist, or {creds.username!r} is not a member")
                return PushDenied(f"{self.vendor} grants {creds.username!r} nothing on {project}/: {cause}",
                                  fix=f"{self.project_help} and give {creds.username!r} push, "
                                      "or set registry.mode: provision")
            return PushDenied(
                f"{creds.username!r} may only {','.join(actions)} in {self.vendor} project {project!r}, not push",
                fix="give it push (robot: Projects > PROJECT > Robot Accounts > Edit > Push Repository; "
                    "user: the Developer role), or set registry.mode: provision",
            )

        return denied

    def _check_existing(self, api: "HarborAPI", project: str, creds: Credentials) -> None:
        """Validate mode with admin credentials: read the robot's expiry from the API."""
        if "+" not in creds.username:  # a user, not a robot: no expiry to read
            return
        pid = api.project_id(project)
        robot = api.find_robot(pid, creds.username.partition("$")[2]) if pid else None
        if robot is None:
            return
        if robot.get("disable"):
            raise CredentialsRejected(f"{self.vendor} robot {creds.username!r} is disabled",
                                      fix="enable it (Projects > PROJECT > Robot Accounts) or use mode: provision")
        if _expired(robot):
            raise CredentialsRejected(f"{self.vendor} robot {creds.username!r} expired on {_when(robot)}",
                                      fix="extend it and refresh its secret (Projects > PROJECT > Robot Accounts), "
                                          "or use registry.mode: provision")
        self._warn_expiry(robot)

    # -- provisioning -------------------------------------------------------------------

    def _provision(self, api: "HarborAPI", target: Target, project: str) -> Credentials:
        opts = self.spec.options.get("robot") or {}
        name = opts.get("name", "binderhub")
        days = int(opts.get("expiryDays", 365))
        pid = api.project_id(project)
        if pid is None:
            pid = api.create_project(project, public=bool((self.spec.options.get("project") or {}).get("public")))
            self.report.step("provision", f"created {self.vendor} project {project!r} (id {pid})")
        else:
            self.report.step("provision", f"project {project!r} exists (id {pid})")
        robot = api.find_robot(pid, f"{project}+{name}")
        if robot is None:
            robot = api.create_robot(project, pid, name, days)
            self.report.step("provision", f"created robot {robot['name']} with push and pull on {project}, "
                                          f"expires {_when(robot)}")
            secret = robot.pop("secret")
        else:
            repair = self._needs_repair(robot, project)
            if repair:
                robot = api.repair_robot(robot, project, days)
                self.report.step("provision", f"repaired robot {robot['name']} ({repair}); expires {_when(robot)}")
            secret = self._previous_secret(target, robot["name"])
            if secret is not None:
                self.report.step("provision", f"reused robot {robot['name']}: its secret from the previous "
                                              "output Secret still works")
            else:
                secret = api.refresh_secret(robot["id"])
                self.report.step("provision", f"robot {robot['name']} exists; its secret was regenerated "
                                              "(the previous one is unknown or no longer works)")
        self._warn_expiry(robot)
        return Credentials(robot["name"], secret, origin=f"{self.vendor} robot provisioned with {api.who}")

    def _needs_repair(self, robot: dict, project: str) -> str:
        reasons = []
        if robot.get("disable"):
            reasons.append("was disabled")
        if _expired(robot):
            reasons.append(f"expired {_when(robot)}")
        elif _days_left(robot) is not None and _days_left(robot) < self._warn_days():
            reasons.append(f"expires {_when(robot)}")
        granted = {(a.get("resource"), a.get("action")) for p in robot.get("permissions") or []
                   if p.get("namespace") == project for a in p.get("access") or []}
        if not {(a["resource"], a["action"]) for a in PUSH_PULL} <= granted:
            reasons.append("lacked push or pull")
        return ", ".join(reasons)

    def _previous_secret(self, target: Target, username: str) -> Secret | None:
        """The robot's secret from the previous output Secret, if it still logs in."""
        from binderhub_registry_hook.dockerconfig import previous_login

        login = previous_login(self.ctx.previous, target.auth_key)
        if login is None or login[0] != username:
            return None
        user, secret = login
        registry = Registry(target.url, verify=self.ctx.verify(), timeouts=self.spec.timeouts)
        try:
            registry.login(Credentials(user, secret), None)
        except CredentialsRejected:
            return None
        return secret

    # -- expiry ------------------------------------------------------------------------

    def _warn_days(self) -> int:
        return int((self.spec.options.get("robot") or {}).get("warnDays", 30))

    def _warn_expiry(self, robot: dict) -> None:
        left = _days_left(robot)
        if left is None:
            self.report.step("credentials", f"robot {robot['name']} never expires")
        elif left < self._warn_days():
            self.report.warn(f"{self.vendor} robot {robot['name']} expires {_when(robot)} (in {left:.0f} days): "
                             "BinderHub's builds will fail then; run the hook again (mode: provision renews it) "
                             "or extend the robot")
        else:
            self.report.step("credentials", f"robot {robot['name']} expires {_when(robot)}")

    # -- the admin API ----------------------------------------------------------------

    def _api(self, target: Target, *, required: bool) -> "HarborAPI | None":
        keys = (self.spec.options.get("adminUsernameKey", "adminUsername"),
                self.spec.options.get("adminPasswordKey", "adminPassword"))
        where = "registry.harbor" if self.name == "harbor" else f"registry.{self.name}"
        user = self.ctx.source.get(keys[0], required=required, secret=False,
                                   value_path=f"{where}.adminUsernameKey")
        password = self.ctx.source.get(keys[1], required=required and user is not None,
                                       value_path=f"{where}.adminPasswordKey")
        if not user or not password:
            return None
        registry = Registry(target.url, verify=self.ctx.verify(), timeouts=self.spec.timeouts)
        return HarborAPI(registry, Credentials(user, password), self.vendor, f"{where}.adminUsernameKey")


class OvhProvider(HarborProvider):
    """OVH Managed Private Registry: Harbor at ``https://HASH.REGION.container-registry.ovh.net``."""

    name = "ovh"
    vendor = "OVH Managed Private Registry"
    URL_RE = re.compile(r"https://[a-z0-9]+\.[a-z0-9-]+\.container-registry\.ovh\.net")
    credentials_help = ("the Harbor identification details (OVH Control Panel > Managed Private Registry > "
                        "your registry > Generate the Harbor identification details) or a robot account "
                        "of the project")
    project_help = ("log in to the Harbor UI (its url: OVH Control Panel > Managed Private Registry > "
                    "Harbor API) with the Harbor identification details and create a new project")

    def check_url(self, url: str) -> None:
        if not self.URL_RE.fullmatch(url):
            raise SpecError("registry.url", f"{url!r} is not an OVH Managed Private Registry url",
                            fix="use https://HASH.REGION.container-registry.ovh.net, shown under OVH Control "
                                "Panel > Managed Private Registry > your registry > Harbor API")

    def credentials(self) -> Credentials:
        self.report.step("credentials", "OVH steps: Managed Private Registry > Create a private registry; "
                                        "Generate the Harbor identification details; create the project in "
                                        "the Harbor UI (or mode: provision creates it and a robot)")
        return super().credentials()


class HarborAPI:
    """The few Harbor v2.0 API calls provisioning needs, as an admin, errors mapped to ours."""

    def __init__(self, registry: Registry, admin: Credentials, vendor: str, key_path: str):
        self.registry = registry
        self.admin = admin
        self.vendor = vendor
        self.key_path = key_path
        self.who = f"admin user {admin.username!r}"

    def call(self, method: str, path: str, *, what: str, ok=(200,), **kw):
        headers = {"Authorization": basic_header(self.admin.username, self.admin.password),
                   "Accept": "application/json", "X-Is-Resource-Name": "true"}
        r = self.registry.request(method, API + path, what=f"{self.vendor} API: {what}", headers=headers, **kw)
        if r.status_code in ok:
            return r
        if r.status_code == 401:
            raise CredentialsRejected(f"{self.vendor} API refused {self.who} ({http_answer(r)})",
                                      fix=f"check the admin username and password ({self.key_path})")
        if r.status_code == 403:
            raise CloudDenied(f"{self.vendor} API: {self.who} may not {what} ({http_answer(r)})",
                              fix="use a Harbor system administrator (or the project's administrator "
                                  "when the project exists)")
        raise ProtocolError(f"{self.vendor} API: {what} answered {http_answer(r)}")

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

    def find_robot(self, project_id: int, suffix: str) -> dict | None:
        """The project robot whose name ends in ``PROJECT+NAME`` (Harbor prefixes ``robot$``)."""
        for page in range(1, 50):
            r = self.call("GET", "/robots", what="list robot accounts",
                          params={"q": f"Level=project,ProjectID={project_id}", "page": page, "page_size": PAGE})
            robots = _json(r, "robot list")
            for robot in robots:
                if robot.get("name", "").endswith(suffix) and robot["name"][: -len(suffix)].endswith("$"):
                    return robot
            if len(robots) < PAGE:
                return None
        return None

    def create_robot(self, project: str, project_id: int, name: str, days: int) -> dict:
        body = {"name": name, "description": "BinderHub image builds (binderhub-registry-hook)",
                "level": "project", "disable": False, "duration": days if days > 0 else -1,
                "permissions": [{"kind": "project", "namespace": project, "access": PUSH_PULL}]}
        r = self.call("POST", "/robots", what=f"create a robot in project {project}", ok=(201, 409), json=body)
        if r.status_code == 409:  # made by a run that died before writing its Secret
            robot = self.find_robot(project_id, f"{project}+{name}")
            if robot is None:
                raise ProtocolError(f"{self.vendor} API: robot {name} exists (409) but is not listed")
            return {**robot, "secret": self.refresh_secret(robot["id"])}
        robot = _json(r, "created robot")
        robot["secret"] = Secret(robot.get("secret") or "")
        if not robot["secret"]:
            raise ProtocolError(f"{self.vendor} API created robot {robot.get('name')} without a secret")
        return robot

    def repair_robot(self, robot: dict, project: str, days: int) -> dict:
        """Enable it, give it push and pull, and make it expire ``days`` from now."""
        body = {k: v for k, v in robot.items() if k not in ("secret", "expires_at")}
        body.update(disable=False, permissions=[{"kind": "project", "namespace": project, "access": PUSH_PULL}])
        if days > 0:
            # Harbor counts a robot's duration from its creation.
            created = _parse_time(robot.get("creation_time"))
            age = (datetime.now(timezone.utc) - created).total_seconds() / DAY if created else 0
            body["duration"] = math.ceil(age) + days
        else:
            body["duration"] = -1
        self.call("PUT", f"/robots/{robot['id']}", what=f"update robot {robot['name']}", json=body)
        r = self.call("GET", f"/robots/{robot['id']}", what=f"read robot {robot['name']}")
        return _json(r, "robot")

    def refresh_secret(self, robot_id: int) -> Secret:
        secret = Secret(_new_secret())
        r = self.call("PATCH", f"/robots/{robot_id}", what="refresh a robot secret", json={"secret": secret.reveal()})
        try:
            given = (r.json() or {}).get("secret")
        except ValueError:
            given = None
        return Secret(given) if given else secret


# -- helpers -----------------------------------------------------------------------------


def _new_secret() -> str:
    """Harbor wants 8-128 characters with an upper-case letter, a lower-case letter and a digit."""
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(40))
        if any(c.islower() for c in value) and any(c.isupper() for c in value) and any(c.isdigit() for c in value):
            return value


def _json(r, what: str):
    try:
        return r.json()
    except ValueError:
        raise ProtocolError(f"Harbor API: the {what} answer is not JSON") from None


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _expires(robot: dict) -> datetime | None:
    at = robot.get("expires_at")
    return None if at is None or int(at) < 0 else datetime.fromtimestamp(int(at), timezone.utc)


def _days_left(robot: dict) -> float | None:
    at = _expires(robot)
    return None if at is None else (at - datetime.now(timezone.utc)).total_seconds() / DAY


def _expired(robot: dict) -> bool:
    left = _days_left(robot)
    return left is not None and left <= 0


def _when(robot: dict) -> str:
    at = _expires(robot)
    return "never" if at is None else f"{at:%Y-%m-%d %H:%M} UTC"
