"""Helpers for chart tests: write values, render with a Helm runner, pick documents."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent.parent
CHART = ROOT / "chart"
EXAMPLE = ROOT / "examples" / "binderhub"
FIXTURE = ROOT / "tests" / "fixtures" / "binderhub-chart"
HELM3 = ROOT / ".tools" / "helm3" / "helm"

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


def marked(text: str, name: str) -> str:
    """The part of ``text`` between ``<!-- name -->`` and ``<!-- end of name -->``."""
    return text.split(f"<!-- {name} -->", 1)[1].split(f"<!-- end of {name} -->", 1)[0]


def uninstall_commands(release: str, namespace: str) -> list[list[str]]:
    """chart/README.md's uninstall commands, filled in: [helm uninstall, kubectl (keep), kubectl (secret)]."""
    block = marked((CHART / "README.md").read_text(), "uninstall commands")
    script = re.search(r"```sh\n(.*?)```", block, re.S).group(1).replace("\\\n", " ")
    commands = [shlex.split(line.replace("RELEASE", release).replace("NS", namespace))
                for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert [c[0] for c in commands] == ["helm", "kubectl", "kubectl"]
    return commands


# Provider tests that obtain real credentials ask `chart_expects_expiry` whether the chart, given
# the same values, schedules the refresh CronJob for expiring logins (every 6 h, 30 min for Google
# tokens) rather than daily, and compare it with whether those credentials expire: the chart's
# guess and what the code issues must agree for every provider and credential kind.
LONG_LIVED_SCHEDULE = "30 4 * * *"


def chart_expects_expiry(values: Path | dict, *, existing_secret: bool) -> bool:
    """True when the chart's default refresh schedule is the one for logins that expire.

    ``existing_secret``: the test read credentials from a file or directory, which in the
    cluster is the mounted ``registry.credentials.existingSecret``.
    """
    if isinstance(values, Path):
        values = YAML(typ="safe").load(values.read_text())
    block = dict(values["registry"])
    if existing_secret:
        block["credentials"] = {**block.get("credentials", {}), "existingSecret": "registry-credentials"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.json"
        path.write_text(json.dumps({"registry": block}))
        env = {"HOME": tmp, "PATH": "/usr/bin:/bin", "HELM_CONFIG_HOME": tmp, "HELM_CACHE_HOME": tmp,
               "HELM_DATA_HOME": tmp, "KUBECONFIG": str(Path(tmp) / "none")}
        done = subprocess.run([str(HELM3), "template", "binder", str(CHART), "-f", str(path)],
                              capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    docs = documents(done.stdout)
    [cron] = [d for d in docs if d["kind"] == "CronJob"]
    [job] = [d for d in docs if d["kind"] == "Job"]
    assert "--refresher-enabled" in job["spec"]["template"]["spec"]["containers"][0]["args"], \
        "the Job must be told that the CronJob runs"
    return bool(cron["spec"]["schedule"] != LONG_LIVED_SCHEDULE)
