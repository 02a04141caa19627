"""What the chart decides for a registry block, rendered with the real Helm 3.

Provider tests that obtain real credentials ask :func:`renders_refresher` whether the
chart, given the same values, runs the refresh CronJob (and tells the hook Job
``--refresher-enabled``), and compare it with whether those credentials expire: the
chart's guess and what the code issues must agree for every provider and credential kind.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent.parent
CHART = ROOT / "chart"
HELM3 = ROOT / ".tools" / "helm3" / "helm"


def renders_refresher(values: Path | dict, *, existing_secret: bool) -> bool:
    """True when the chart renders the refresh CronJob for these values' ``registry`` block.

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
    docs = [d for d in YAML(typ="safe").load_all(done.stdout) if d]
    cron = any(d["kind"] == "CronJob" for d in docs)
    [job] = [d for d in docs if d["kind"] == "Job"]
    told = "--refresher-enabled" in job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert told == cron, "the Job must be told exactly when the CronJob runs"
    return cron
