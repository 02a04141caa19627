"""``registry.harbor`` (and ``registry.ovh``): the one home of their defaults."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProjectOptions:
    public: bool = False


@dataclass(frozen=True)
class RobotOptions:
    name: str = "binderhub"
    expiry_days: int = 365  # -1 or 0: never expires
    warn_days: int = 30  # mode: validate warns this many days before the robot ends
    renew_before_days: int = 30  # mode: provision extends the robot this many days before its end


@dataclass(frozen=True)
class HarborOptions:
    admin_username_key: str = "adminUsername"
    admin_password_key: str = "adminPassword"
    project: ProjectOptions = field(default_factory=ProjectOptions)
    robot: RobotOptions = field(default_factory=RobotOptions)
