"""Where the images go, in Artifact Registry's terms, read from the image prefix (pure).

Container Registry (``gcr.io``, ``us.gcr.io``, ``eu.gcr.io``, ``asia.gcr.io``) stopped
accepting writes on 2025-03-18.  A gcr.io host still takes pushes when the project serves it
from a gcr.io-hosted Artifact Registry repository (named after the host, in the ``us``,
``europe`` or ``asia`` multi-region), which ``registry.google.gcrHosted`` says; otherwise the
plan carries a warning that names the Artifact Registry equivalent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from binderhub_registry_hook.errors import SpecError
from binderhub_registry_hook.providers.google.options import GoogleOptions

AR_HOST_RE = re.compile(r"([a-z]+(?:-[a-z]+[0-9]*)?)-docker\.pkg\.dev")
# gcr.io host -> the Artifact Registry multi-region of its gcr.io-hosted repository
GCR_HOSTS = {"gcr.io": "us", "us.gcr.io": "us", "eu.gcr.io": "europe", "asia.gcr.io": "asia"}
GCR_SHUTDOWN = "2025-03-18"


@dataclass(frozen=True)
class Repository:
    """Where the images go, in Artifact Registry's terms."""

    project: str
    location: str | None  # None: unknown (registry.url points elsewhere and no location given)
    repository: str
    gcr: bool  # a gcr.io host (served by a gcr.io-hosted repository, or by the shut-down GCR)
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"projects/{self.project}/locations/{self.location}/repositories/{self.repository}"


def repository(prefix: str, options: GoogleOptions, mode: str) -> Repository:
    """The repository of ``prefix``; a SpecError names a value that cannot work."""
    o, path = options, "registry.imagePrefix"
    parts = prefix.split("/")
    host = parts[0]
    ar = AR_HOST_RE.fullmatch(host)
    gcr = host in GCR_HOSTS or (o.gcr_hosted and not ar)
    warnings: tuple[str, ...] = ()
    if o.gcr_hosted and ar:
        raise SpecError(
            "registry.google.gcrHosted",
            f"{host} is an Artifact Registry host, not gcr.io",
            fix="remove gcrHosted, or use the gcr.io host the repository serves",
        )
    if gcr:
        if len(parts) < 3:
            raise SpecError(
                path, f"{prefix!r} must be HOST/PROJECT/NAME-PREFIX on gcr.io", fix=f"e.g. {host}/my-project/binder-"
            )
        project, repo = parts[1], o.repository or (host if host in GCR_HOSTS else "gcr.io")
        location: str | None = o.location or GCR_HOSTS.get(host, "us")
        if not o.gcr_hosted:
            warnings = (_gcr_warning(host, project, parts[2:]),)
            if mode == "provision":
                raise SpecError(
                    "registry.google.gcrHosted",
                    f"{host} (Container Registry) stopped accepting "
                    f"writes on {GCR_SHUTDOWN}; there is nothing to provision there",
                    fix=f"set gcrHosted: true to create and use the gcr.io-hosted Artifact Registry "
                    f"repository {host} in {location}, or use "
                    f"{ar_host(location or 'us')}/{project}/REPOSITORY/...",
                )
    else:
        if len(parts) < 4:
            raise SpecError(
                path,
                f"{prefix!r} must be LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/NAME-PREFIX",
                fix=f"put the images inside a repository, e.g. {host}/{parts[1]}/binder/"
                f"{parts[-1] if len(parts) > 2 else 'prod-'}",
            )
        project, repo = parts[1], parts[2]
        location = ar.group(1) if ar else o.location
        if ar and o.location and o.location != location:
            raise SpecError(
                "registry.google.location",
                f"{o.location!r} but the image prefix's host {host} is in {location!r}",
                fix="make them agree",
            )
    for key, given, value in (("project", o.project, project), ("repository", o.repository, repo)):
        if given and given != value:
            raise SpecError(
                f"registry.google.{key}",
                f"{given!r} but registry.imagePrefix names {value!r}",
                fix="make them agree (or leave this value empty: it is read from the prefix)",
            )
    return Repository(project, location, repo, gcr, warnings)


def _gcr_warning(host: str, project: str, rest: list[str]) -> str:
    location = GCR_HOSTS.get(host, "us")
    return (
        f"{host} is Container Registry, which stopped accepting writes on {GCR_SHUTDOWN} "
        f"(pushes fail unless the project serves {host} from Artifact Registry). Use Artifact Registry: "
        f"imagePrefix {ar_host(location)}/{project}/REPOSITORY/{'/'.join(rest)}, or a gcr.io-hosted "
        f"repository ({host} in {location}) with registry.google.gcrHosted: true"
    )


def ar_host(location: str) -> str:
    return f"{location}-docker.pkg.dev"
