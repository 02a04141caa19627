"""The scheduled check on the real cluster (issue 18): on by default, it proves push again,
records the result on the Secret, fails without touching the credentials, and `status`
reads the record.

Written against the real-cluster fixtures of issue 12 (tests/cluster/conftest.py:
``release_factory``, ``cluster``, the bridge registry); skipped where they are absent.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(not (Path(__file__).parent / "conftest.py").exists(),
                       reason="needs the real-cluster fixtures (tests/cluster/conftest.py, issue 12)"),
    pytest.mark.timeout(600),
]

ANN = "binderhub-registry-hook/"


def run_job(release, name: str) -> tuple[bool, str]:
    """A Job from the CronJob, as the schedule would start it; (succeeded, log)."""
    cluster, ns = release.cluster, release.namespace
    cluster.kubectl("create", "job", name, "--from", "cronjob/binder-registry-hook-refresh", "-n", ns)
    cluster.wait_for(f"job {name}", lambda: cluster.get("job", name, "-n", ns)["status"].get("succeeded")
                     or cluster.get("job", name, "-n", ns)["status"].get("failed"), timeout=120)
    job = cluster.get("job", name, "-n", ns)
    log = cluster.kubectl("logs", f"job/{name}", "-n", ns, check=False).stdout
    return job["status"].get("succeeded") == 1, log


def status(release, *argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "status", "-n", release.namespace,
                           "--kubeconfig", release.cluster.kubeconfig, *argv],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "KUBECONFIG": ""})


def test_scheduled_check_records_fails_safely_and_status_reads_it(release_factory, helm4):
    release = release_factory(helm4)
    cluster, ns, reg = release.cluster, release.namespace, release.registry
    assert release.install().returncode == 0
    # On by default for long-lived credentials too, daily.
    cron = cluster.get("cronjob", "binder-registry-hook-refresh", "-n", ns)
    assert cron["spec"]["schedule"] == "30 4 * * *"
    first = release.secret()

    ok, log = run_job(release, "check-1")
    assert ok, log
    checked = release.secret()
    assert checked["data"] == first["data"] and ANN + "last-check" in checked["metadata"]["annotations"]
    assert len(release.replicasets()) == 1  # nothing changed: not rolled
    proc = status(release)
    assert proc.returncode == 0 and proc.stdout.startswith("state       healthy"), proc.stdout + proc.stderr

    # Someone changed the registry's password: the check fails; the Secret's data stays as it was.
    new_password = reg.rotate()
    ok, log = run_job(release, "check-2")
    assert not ok and "credentials rejected" in log
    failed = release.secret()
    assert failed["data"] == first["data"]
    assert "credentials rejected" in failed["metadata"]["annotations"][ANN + "last-error"]
    assert release.events("RegistryCheckFailed")
    proc = status(release, "--output", "json")
    assert proc.returncode == 7 and json.loads(proc.stdout)["state"] == "failing", proc.stdout + proc.stderr
    assert new_password not in proc.stdout + proc.stderr

    # The operator puts the new password where the hook reads it: the next check writes and rolls.
    release.set_credentials(new_password)
    ok, log = run_job(release, "check-3")
    assert ok, log
    config = json.loads(base64.b64decode(release.secret()["data"]["config.json"]))
    assert base64.b64decode(config["auths"][reg.url]["auth"]).decode() == f"alice:{new_password}"
    cluster.wait_for("binder rolled", lambda: len(release.replicasets()) == 2)
    assert status(release).returncode == 0
