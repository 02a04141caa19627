#!/usr/bin/env python3
"""The release's one source of truth and everything derived from it.

The version is typed in one place, ``__version__`` in binderhub_registry_hook/__init__.py
(pyproject.toml reads it too). The published image's repository is typed in one place,
``image.repository`` in chart/values.yaml. The release notes are the CHANGELOG.md section.
This script writes what is derived from them and checks that nothing drifted:

  scripts/release.py sync             write the derived fields (below)
  scripts/release.py check            exit 1 naming each field that drifted (tests run this)
  scripts/release.py check --tag vX.Y.Z
                                      also: the tag is this version and its CHANGELOG section
                                      is dated (the release workflow runs this first)
  scripts/release.py notes            print this version's CHANGELOG section (release notes)
  scripts/release.py version          print the version
  scripts/release.py image            print the image reference the chart pulls by default
  scripts/release.py chart-repository print the OCI repository the chart is pushed to

Derived fields: chart/Chart.yaml `version`, `appVersion`, `artifacthub.io/changes` (from
the CHANGELOG section) and `artifacthub.io/images`; the Helm plugin's `version`; the
umbrella example's dependency (version and repository). The image tag is the chart's appVersion at render
time (chart/templates/_helpers.tpl), so it is not written anywhere.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_INIT = ROOT / "binderhub_registry_hook" / "__init__.py"
CHANGELOG = ROOT / "CHANGELOG.md"
CHART = ROOT / "chart" / "Chart.yaml"
VALUES = ROOT / "chart" / "values.yaml"
PLUGIN = ROOT / "helm-plugin" / "binderhub-registry-hook" / "plugin.yaml"
EXAMPLE = ROOT / "examples" / "binderhub" / "Chart.yaml"
CHART_NAME = "binderhub-registry-hook"
# Where the release workflow pushes the chart (`helm push` appends the chart's name).
CHART_REPOSITORY = "oci://ghcr.io/binderhub-registry-hook/charts"
# The platforms the release workflow builds; Artifact Hub shows them.
PLATFORMS = ["linux/amd64", "linux/arm64"]
# Keep a Changelog's kinds, which are also Artifact Hub's `changes` kinds.
KINDS = ("added", "changed", "deprecated", "removed", "fixed", "security")
HEADING = re.compile(r"^## (?P<version>\S+) - (?P<date>unreleased|\d{4}-\d{2}-\d{2})$", re.M)


class Drift(Exception):
    pass


def version() -> str:
    match = re.search(r'^__version__ = "([^"]+)"$', PACKAGE_INIT.read_text(), re.M)
    if not match:
        raise Drift(f"{PACKAGE_INIT.relative_to(ROOT)}: no __version__ line")
    return match.group(1)


def changelog_section(ver: str) -> tuple[str, str]:
    """(date or 'unreleased', body) of ``ver``'s section; the newest section must be it."""
    text = CHANGELOG.read_text()
    headings = list(HEADING.finditer(text))
    if not headings:
        raise Drift("CHANGELOG.md: no '## VERSION - DATE' heading")
    if headings[0]["version"] != ver:
        raise Drift(f"CHANGELOG.md: the newest section is {headings[0]['version']}, the version is {ver}")
    end = headings[1].start() if len(headings) > 1 else len(text)
    return headings[0]["date"], text[headings[0].end():end].strip() + "\n"


def changes(body: str) -> list[dict[str, str]]:
    """Artifact Hub's `changes`: one entry per bullet, kind from its `### Kind` heading."""
    out, kind = [], None
    for line in body.splitlines():
        if line.startswith("### "):
            kind = line[4:].strip().lower()
            if kind not in KINDS:
                kinds = ", ".join(k.title() for k in KINDS)
                raise Drift(f"CHANGELOG.md: '### {line[4:].strip()}' is not one of {kinds}")
        elif line.startswith("- "):
            if kind is None:
                raise Drift("CHANGELOG.md: an entry before any '### Kind' heading")
            out.append({"kind": kind, "description": line[2:].strip()})
        elif line.strip() and not line.startswith("  "):
            raise Drift(f"CHANGELOG.md: unexpected line in the section: {line[:60]!r}")
    return out


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments and layout survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data, *, flow: bool = False) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    yaml.width = 4096
    yaml.sort_base_mapping_type_on_output = False
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def image_repository() -> str:
    values = _yaml().load(VALUES.read_text())
    return values["image"]["repository"]


def image() -> str:
    return f"{image_repository()}:{version()}"


def expected() -> dict[Path, dict[tuple, object]]:
    """File -> {key path: value} of every derived field."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    ver = version()
    _, body = changelog_section(ver)
    images = [{"name": CHART_NAME, "image": image(), "platforms": PLATFORMS}]
    return {
        CHART: {
            ("version",): ver,
            ("appVersion",): ver,
            ("annotations", "artifacthub.io/changes"): LiteralScalarString(_dump(changes(body))),
            ("annotations", "artifacthub.io/images"): LiteralScalarString(_dump(images)),
        },
        PLUGIN: {("version",): ver},
        EXAMPLE: {("dependencies", CHART_NAME, "version"): ver,
                  ("dependencies", CHART_NAME, "repository"): CHART_REPOSITORY},
    }


def _locate(doc, path: tuple):
    """(container, key) of ``path``; a name inside `dependencies` picks that entry."""
    node = doc
    for key in path[:-1]:
        if isinstance(node, list):
            matches = [d for d in node if d.get("name") == key]
            if len(matches) != 1:
                raise Drift(f"no single dependency named {key}")
            node = matches[0]
        else:
            node = node[key]
    return node, path[-1]


def drift() -> list[str]:
    problems = []
    yaml = _yaml()
    for path, fields in expected().items():
        doc = yaml.load(path.read_text())
        for keys, want in fields.items():
            try:
                node, key = _locate(doc, keys)
                have = node.get(key)
            except (KeyError, TypeError, Drift):
                have = None
            if str(have) != str(want):
                problems.append(f"{path.relative_to(ROOT)}: {'.'.join(keys)} is {have!r}, expected {str(want)!r}")
    return problems


def sync() -> list[Path]:
    yaml = _yaml()
    written = []
    for path, fields in expected().items():
        doc = yaml.load(path.read_text())
        for keys, want in fields.items():
            node, key = _locate(doc, keys)
            node[key] = want
        buf = io.StringIO()
        yaml.dump(doc, buf)
        if buf.getvalue() != path.read_text():
            path.write_text(buf.getvalue())
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync", help="write the fields derived from the version and the CHANGELOG")
    check = sub.add_parser("check", help="exit 1 when a derived field drifted")
    check.add_argument("--tag", help="a release tag (vX.Y.Z): it must be this version, and its section dated")
    sub.add_parser("notes", help="print this version's CHANGELOG section")
    sub.add_parser("version", help="print the version")
    sub.add_parser("image", help="print the image reference the chart pulls by default")
    sub.add_parser("chart-repository", help="print the OCI repository the chart is pushed to")
    args = parser.parse_args(argv)
    try:
        if args.command == "sync":
            for path in sync():
                print(f"wrote {path.relative_to(ROOT)}")
        elif args.command == "check":
            problems = [f"{p} (run scripts/release.py sync)" for p in drift()]
            if args.tag is not None:
                ver = version()
                if args.tag != f"v{ver}":
                    problems.append(f"the tag is {args.tag}, the version is {ver} (expected tag v{ver})")
                elif changelog_section(ver)[0] == "unreleased":
                    problems.append(f"CHANGELOG.md: the {ver} section is still 'unreleased': date it before tagging")
            for problem in problems:
                print(f"error: {problem}", file=sys.stderr)
            return 1 if problems else 0
        elif args.command == "notes":
            print(changelog_section(version())[1], end="")
        elif args.command == "version":
            print(version())
        elif args.command == "image":
            print(image())
        elif args.command == "chart-repository":
            print(CHART_REPOSITORY)
    except Drift as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
