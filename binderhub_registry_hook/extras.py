"""Optional dependencies: each cloud SDK and the Kubernetes client come with an extra.

``pip install binderhub-registry-hook`` brings only what a generic registry needs; a
provider or sink whose extra is missing is refused before anything runs, in one line
that says what to install (the image installs every extra).  The extras and their
packages are read from this distribution's own metadata, so ``pyproject.toml`` stays
their one source.
"""

from __future__ import annotations

import re
from importlib import metadata

from binderhub_registry_hook.errors import InputError

DISTRIBUTION = "binderhub-registry-hook"
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def missing(extra: str) -> list[str]:
    """The packages of ``extra`` that are not installed (none when this is not an installed distribution)."""
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    marker = re.compile(rf"""extra\s*==\s*["']{re.escape(extra)}["']""")
    absent = []
    for requirement in requirements:
        name, _, markers = requirement.partition(";")
        if not marker.search(markers):
            continue
        match = _NAME.match(name)
        if match is None:
            continue
        package = match.group(1)
        try:
            metadata.distribution(package)
        except metadata.PackageNotFoundError:
            absent.append(package)
    return absent


def require(extra: str, what: str) -> None:
    """Refuse ``what`` in one line when the packages of ``extra`` are not installed."""
    absent = missing(extra)
    if absent:
        verb = "is" if len(absent) == 1 else "are"
        raise InputError(
            f"{what} needs {', '.join(absent)}, which {verb} not installed",
            fix=f"install {DISTRIBUTION}[{extra}]: pip install '{DISTRIBUTION}[{extra}]'",
        )
