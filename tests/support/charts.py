"""Helpers for chart tests: write values, render with a Helm runner, pick documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent.parent
CHART = ROOT / "chart"
EXAMPLE = ROOT / "examples" / "binderhub"
FIXTURE = ROOT / "tests" / "fixtures" / "binderhub-chart"

# The smallest complete values: a generic registry with credentials from a Secret.
GENERIC_VALUES = {"registry": {"type": "generic", "url": "https://registry.example.org",
                               "imagePrefix": "registry.example.org/binder/prod-",
                               "credentials": {"existingSecret": "registry-credentials"}}}


def values_file(tmp_path, values: dict, name="values.yaml") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(values))  # JSON is YAML
    return path


def documents(text: str) -> list[dict]:
    return [d for d in YAML(typ="safe").load_all(text) if d]


def render(helm, tmp_path, values: dict, chart=CHART, release="binder", extra=()) -> list[dict]:
    """``helm template`` in namespace binder; ``helm`` is the conftest fixture's runner."""
    proc = helm("template", release, chart, "-n", "binder", "-f", values_file(tmp_path, values), *extra)
    return documents(proc.stdout)


def by_kind(docs) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in docs:
        out.setdefault(d["kind"], []).append(d)
    return out


def pod_spec(doc) -> dict:
    if doc["kind"] == "Pod":
        return doc["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def umbrella_chart(tmp_path, hook_repository: str) -> Path:
    """A copy of examples/binderhub with the BinderHub-shaped fixture chart as `binderhub`
    (no network) and the hook's chart from ``hook_repository`` (file://... or oci://...)."""
    chart = tmp_path / "umbrella"
    shutil.copytree(EXAMPLE, chart)
    meta = YAML(typ="safe").load((chart / "Chart.yaml").read_text())
    deps = {d["name"]: d for d in meta["dependencies"]}
    assert deps["binderhub"]["repository"] == "https://jupyterhub.github.io/helm-chart/"
    fixture_version = YAML(typ="safe").load((FIXTURE / "Chart.yaml").read_text())["version"]
    deps["binderhub"].update(repository=f"file://{FIXTURE}", version=fixture_version)
    deps["binderhub-registry-hook"]["repository"] = hook_repository
    (chart / "Chart.yaml").write_text(json.dumps(meta))
    return chart
