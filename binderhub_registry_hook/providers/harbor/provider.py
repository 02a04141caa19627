"""Harbor, and OVH Managed Private Registry (a managed Harbor: ``type: ovh``).

Validation: a robot account or a user logs in at Harbor's token service
(``/service/token?service=harbor-registry``); the token's claim on the project is a
hint and the push probe is the proof.  Harbor grants nothing on a project that does
not exist, and answers 401 for a wrong secret and for an expired or disabled robot
alike, so messages name every cause and where to fix it.

Provisioning (``registry.mode: provision``) uses Harbor admin credentials from the
credential source (keys ``registry.harbor.adminUsernameKey``/``adminPasswordKey``) and
the v2.0 API (:mod:`.api`): the project is created if missing, and one project robot per
release (``registry.harbor.robot.name``) holds push and pull.  Runs are idempotent: a
robot whose secret (from the previous output Secret) still works is reused as it is; an
existing robot whose secret is unknown gets a new secret (``PATCH /robots/{id}``)
instead of a second robot; one that expired, was disabled or lost its permissions is
repaired (``PUT /robots/{id}``).

Renewal, make-before-break: inside ``robot.renewBeforeDays`` of its end the robot is
extended by ``expiryDays`` (``PUT /robots/{id}`` with a longer duration). Its secret
stays, so BinderHub's running pods and build pods keep pushing and nothing is rolled; a
new secret (which Harbor makes valid at once and the old one invalid) is only made when
the one in use is unknown or already refused.  In ``mode: validate`` with admin
credentials the robot's end is read and the check warns inside ``robot.warnDays``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import ClassVar

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import CredentialsRejected, HookError, PushDenied, SpecError
from binderhub_registry_hook.model import Credentials, Target
from binderhub_registry_hook.providers.base import (
    Denied,
    Provider,
    check_prefix,
    push_claim,
    registry_answer,
    static_credentials,
)
from binderhub_registry_hook.providers.harbor.api import (
    DAY,
    PUSH_PULL,
    HarborAPI,
    Robot,
    days_left,
    expired,
    expires,
    when,
)
from binderhub_registry_hook.providers.harbor.options import HarborOptions, RobotOptions
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import RegistrySpec

SERVICE = "harbor-registry"
NAME_RE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")  # Harbor's rule for project and robot names


class HarborProvider(Provider[HarborOptions]):
    name = "harbor"
    options_type = HarborOptions
    can_provision = True
    vendor: ClassVar[str] = "Harbor"
    # Where an operator fixes things; OVH says it its own way.
    credentials_help: ClassVar[str] = (
        "a robot account with push and pull (Harbor UI: Projects > PROJECT > Robot Accounts) "
        "or a Harbor user with the Developer role"
    )
    project_help: ClassVar[str] = "create it in the Harbor UI (Projects > New Project)"

    # -- plan ---------------------------------------------------------------------

    def check_url(self, url: str) -> None:
        """Harbor runs anywhere; OVH checks its url form."""

    def plan(self, spec: RegistrySpec, options: HarborOptions) -> Target:
        url = (spec.url or "").rstrip("/")
        self.check_url(url)
        target = Target(
            url=url, auth_key=url, image_prefix=spec.image_prefix, token_url=f"{url}/service/token?service={SERVICE}"
        )
        check_prefix(target, spec.probe_name)
        project_of(target)
        return target

    # -- credentials ------------------------------------------------------------------

    def credentials(self, ctx: Context, target: Target, options: HarborOptions) -> Credentials:
        project = project_of(target)
        ctx.report.step("credentials", f"{self.vendor} project {project!r}; token service {target.token_url}")
        provision = ctx.spec.mode == "provision"
        api = self._api(ctx, target, options, required=provision)
        if provision:
            assert api is not None  # required: a missing admin key raised already
            creds = self._provision(ctx, api, target, project, options)
        else:
            creds = static_credentials(ctx)
            robot = self._check_existing(ctx, api, project, creds, options.robot) if api is not None else None
            if robot is not None:
                until, renew = lifetime(robot, options.robot.warn_days)
                creds = replace(creds, valid_until=until, renew_at=renew)
        try:
            actions = push_claim(ctx, target, creds, self.denied(api, project, creds))
        except CredentialsRejected as e:
            raise self.rejected(creds, e) from None
        claim = ",".join(actions) if actions is not None else "no access claim"
        ctx.report.step(
            "credentials",
            f"{creds.username} on project {project}: token claims {claim} (a hint; the push probe is the proof)",
        )
        return creds

    def rejected(self, creds: Credentials, e: HookError) -> HookError:
        """The token service's 401, in Harbor's terms."""
        who = "robot" if "+" in creds.username else "user"
        return CredentialsRejected(
            f"{self.vendor} token service refused {who} {creds.username!r} ({registry_answer(e)}): a wrong "
            "secret, or the robot account expired or is disabled (Harbor answers 401 for each)",
            fix=f"use {self.credentials_help}; or set registry.mode: provision with admin credentials "
            "so the hook keeps a robot working",
        )

    def denied(self, api: HarborAPI | None, project: str, creds: Credentials) -> Denied:
        """What a token without push on the project means, in Harbor's terms."""

        def denied(registry: Registry, actions: list[str]) -> HookError:
            if not actions:
                missing = api is not None and api.project_id(project) is None
                cause = (
                    f"project {project!r} does not exist"
                    if missing
                    else f"project {project!r} does not exist, or {creds.username!r} is not a member"
                )
                return PushDenied(
                    f"{self.vendor} grants {creds.username!r} nothing on {project}/: {cause}",
                    fix=f"{self.project_help} and give {creds.username!r} push, or set registry.mode: provision",
                )
            return PushDenied(
                f"{creds.username!r} may only {','.join(actions)} in {self.vendor} project {project!r}, not push",
                fix="give it push (robot: Projects > PROJECT > Robot Accounts > Edit > Push Repository; "
                "user: the Developer role), or set registry.mode: provision",
            )

        return denied

    def _check_existing(
        self, ctx: Context, api: HarborAPI, project: str, creds: Credentials, robot_options: RobotOptions
    ) -> Robot | None:
        """Validate mode with admin credentials: read the robot's expiry from the API."""
        if "+" not in creds.username:  # a user, not a robot: no expiry to read
            return None
        pid = api.project_id(project)
        robot = api.find_robot(pid, creds.username.partition("$")[2]) if pid else None
        if robot is None:
            return None
        if robot.get("disable"):
            raise CredentialsRejected(
                f"{self.vendor} robot {creds.username!r} is disabled",
                fix="enable it (Projects > PROJECT > Robot Accounts) or use mode: provision",
            )
        if expired(robot, ctx.now()):
            raise CredentialsRejected(
                f"{self.vendor} robot {creds.username!r} expired on {when(robot)}",
                fix="extend it and refresh its secret (Projects > PROJECT > Robot Accounts), "
                "or use registry.mode: provision",
            )
        self._warn_expiry(ctx, robot, robot_options.warn_days)
        return robot

    # -- provisioning -------------------------------------------------------------------

    def _provision(
        self, ctx: Context, api: HarborAPI, target: Target, project: str, options: HarborOptions
    ) -> Credentials:
        report, robot_options = ctx.report, options.robot
        name, days = robot_options.name, robot_options.expiry_days
        pid = api.project_id(project)
        if pid is None:
            pid = api.create_project(project, public=options.project.public)
            report.step("provision", f"created {self.vendor} project {project!r} (id {pid})")
        else:
            report.step("provision", f"project {project!r} exists (id {pid})")
        robot = api.find_robot(pid, f"{project}+{name}")
        if robot is None:
            robot = api.create_robot(project, pid, name, days)
            report.step(
                "provision", f"created robot {robot['name']} with push and pull on {project}, expires {when(robot)}"
            )
            secret = robot.pop("secret")
        else:
            repair = _needs_repair(robot, project, robot_options.renew_before_days, ctx.now())
            if repair:
                robot = api.repair_robot(robot, project, days, ctx.now())
                report.step("provision", f"repaired robot {robot['name']} ({repair}); expires {when(robot)}")
            secret = _previous_secret(ctx, target, robot["name"])
            if secret is not None:
                report.step(
                    "provision", f"reused robot {robot['name']}: its secret from the previous output Secret still works"
                )
            else:
                secret = api.refresh_secret(robot["id"])
                report.step(
                    "provision",
                    f"robot {robot['name']} exists; its secret was regenerated "
                    "(the previous one is unknown or no longer works)",
                )
        self._warn_expiry(ctx, robot, robot_options.warn_days)
        until, renew = lifetime(robot, robot_options.renew_before_days)
        return Credentials(
            robot["name"],
            secret,
            origin=f"{self.vendor} robot provisioned with {api.who}",
            ref=robot["name"],
            valid_until=until,
            renew_at=renew,
        )

    def _warn_expiry(self, ctx: Context, robot: Robot, warn_days: int) -> None:
        left = days_left(robot, ctx.now())
        if left is None:
            ctx.report.step("credentials", f"robot {robot['name']} never expires")
        elif left < warn_days:
            ctx.report.warn(
                f"{self.vendor} robot {robot['name']} expires {when(robot)} (in {left:.0f} days): "
                "BinderHub's builds will fail then; run the hook again (mode: provision renews it) "
                "or extend the robot"
            )
        else:
            ctx.report.step("credentials", f"robot {robot['name']} expires {when(robot)}")

    def _api(self, ctx: Context, target: Target, options: HarborOptions, *, required: bool) -> HarborAPI | None:
        """The admin API, when the credential source holds admin credentials."""
        where = f"registry.{self.name}"
        user = ctx.source.get(
            options.admin_username_key, required=required, secret=False, value_path=f"{where}.adminUsernameKey"
        )
        password = ctx.source.get(
            options.admin_password_key, required=required and user is not None, value_path=f"{where}.adminPasswordKey"
        )
        if not user or not password:
            return None
        return HarborAPI(
            ctx.registry(target.url), Credentials(user, password), self.vendor, f"{where}.adminUsernameKey"
        )


class OvhProvider(HarborProvider):
    """OVH Managed Private Registry: Harbor at ``https://HASH.REGION.container-registry.ovh.net``."""

    name = "ovh"
    vendor = "OVH Managed Private Registry"
    URL_RE: ClassVar[re.Pattern[str]] = re.compile(r"https://[a-z0-9]+\.[a-z0-9-]+\.container-registry\.ovh\.net")
    credentials_help = (
        "the Harbor identification details (OVH Control Panel > Managed Private Registry > "
        "your registry > Generate the Harbor identification details) or a robot account "
        "of the project"
    )
    project_help = (
        "log in to the Harbor UI (its url: OVH Control Panel > Managed Private Registry > "
        "Harbor API) with the Harbor identification details and create a new project"
    )

    def check_url(self, url: str) -> None:
        if not self.URL_RE.fullmatch(url):
            raise SpecError(
                "registry.url",
                f"{url!r} is not an OVH Managed Private Registry url",
                fix="use https://HASH.REGION.container-registry.ovh.net, shown under OVH Control "
                "Panel > Managed Private Registry > your registry > Harbor API",
            )

    def credentials(self, ctx: Context, target: Target, options: HarborOptions) -> Credentials:
        ctx.report.step(
            "credentials",
            "OVH steps: Managed Private Registry > Create a private registry; "
            "Generate the Harbor identification details; create the project in "
            "the Harbor UI (or mode: provision creates it and a robot)",
        )
        return super().credentials(ctx, target, options)


# -- pure rules ----------------------------------------------------------------------------


def project_of(target: Target) -> str:
    """The Harbor project of the image prefix (``HOST/PROJECT/...``)."""
    parts = target.image_prefix.split("/")
    if len(parts) < 3 or not parts[1]:
        raise SpecError(
            "registry.imagePrefix",
            f"{target.image_prefix!r} has no Harbor project",
            fix=f"use {target.host}/PROJECT/NAME-PREFIX (or {target.host}/PROJECT/)",
        )
    if not NAME_RE.fullmatch(parts[1]):
        raise SpecError("registry.imagePrefix", f"project {parts[1]!r} is not a valid Harbor project name")
    return parts[1]


def lifetime(robot: Robot, window_days: int) -> tuple[datetime | None, datetime | None]:
    """The robot's end and when to renew it (``Credentials.valid_until``, ``renew_at``)."""
    end = expires(robot)
    return end, end - timedelta(seconds=window_days * DAY) if end else None


def _needs_repair(robot: Robot, project: str, renew_days: int, now: datetime) -> str:
    reasons = []
    if robot.get("disable"):
        reasons.append("was disabled")
    left = days_left(robot, now)
    if expired(robot, now):
        reasons.append(f"expired {when(robot)}")
    elif left is not None and left < renew_days:
        reasons.append(f"expires {when(robot)}, inside renewBeforeDays ({renew_days}): extended, secret kept")
    granted = {
        (a.get("resource"), a.get("action"))
        for p in robot.get("permissions") or []
        if p.get("namespace") == project
        for a in p.get("access") or []
    }
    if not {(a["resource"], a["action"]) for a in PUSH_PULL} <= granted:
        reasons.append("lacked push or pull")
    return ", ".join(reasons)


def _previous_secret(ctx: Context, target: Target, username: str) -> Secret | None:
    """The robot's secret from the previous output Secret, if it still logs in."""
    login = ctx.previous_login(target.auth_key)
    if login is None or login[0] != username:
        return None
    user, secret = login
    try:
        ctx.registry(target.url).login(Credentials(user, secret), None)
    except CredentialsRejected:
        return None
    return secret
