"""What happened along the path, step by step, for `explain`, logs and NOTES.

Providers and the probe record steps and warnings here instead of printing, so
`validate` can print a summary, `explain` every step, and the in-cluster hook can
turn the same lines into a Kubernetes Event.  Every line passes through
:func:`binderhub_registry_hook.secrets.redact` on the way in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from binderhub_registry_hook.secrets import redact

log = logging.getLogger("hook")


@dataclass
class Report:
    steps: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def step(self, stage: str, text: str) -> None:
        text = redact(text)
        self.steps.append((stage, text))
        log.info("%s: %s", stage, text)

    def warn(self, text: str) -> None:
        text = redact(text)
        self.warnings.append(text)
        log.warning("%s", text)

    def render(self) -> str:
        width = max((len(s) for s, _ in self.steps), default=0)
        lines = [f"{stage:<{width}}  {text}" for stage, text in self.steps]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)
