"""Helpers for chart tests: write values, render with a Helm runner, pick documents."""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent.parent
CHART = ROOT / "chart"

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
