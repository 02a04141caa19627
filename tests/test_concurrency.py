"""Two `apply` runs at once: an upgrade racing the refresh CronJob.

Both are real processes (`python -m binderhub_registry_hook apply`, as the Job and the CronJob's pod run
it) against one Kubernetes API test server and one real registry.  The server holds
the first write until both runs have read the Secret, so they really race: both
replace the same resourceVersion, one gets 409 Conflict, reads again and writes.
The end state must be one run's outputs, whole: config.json, .dockerconfigjson and
the BinderHub settings from the same run, the checksum annotation matching them,
and BinderHub rolled after the last write.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time

from binderhub_registry_hook import kube
from binderhub_registry_hook.dockerconfig import settings_json
from tests.conftest import ROOT, new_password
from tests.support import LocalRegistry
from tests.support.evidence import record
from tests.support.kubeapi import KubeApiServer, hook_role_rules
from tests.support.release import NS, SECRET, binder_deployment

FAST = {"connect": 1, "read": 5, "retryFor": 1}


def checksum_of(data: dict[str, str]) -> str:
    import hashlib

    h = hashlib.sha256()
    h.update(data["config.json"].encode())
    h.update(settings_json(json.loads(data["binderhub-settings.json"])).encode())
    return h.hexdigest()[:32]


def test_upgrade_racing_the_refresh_cronjob_ends_with_one_consistent_secret(tmp_path):
    users = {"alice": new_password(), "bob": new_password()}
    with LocalRegistry(tmp_path / "reg", auth="htpasswd", users=users) as reg, \
            KubeApiServer(rules=hook_role_rules(SECRET, "binder")) as api:
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig", namespace=NS)

        def job(name: str, user: str, prefix: str, command: str) -> list[str]:
            values = tmp_path / f"values-{name}.json"
            values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url, "timeouts": FAST,
                                                       "imagePrefix": f"{reg.host}/binder/{prefix}"}}))
            creds = tmp_path / f"credentials-{name}"
            creds.mkdir()
            (creds / "username").write_text(user)
            (creds / "password").write_text(users[user])
            return [sys.executable, "-m", "binderhub_registry_hook", command, "-vv", "-f", str(values), "--credentials", str(creds),
                    "--kubeconfig", kubeconfig]

        # A working install (alice, prod-) and BinderHub running with it.
        api.put("deployments", NS, binder_deployment())
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        first = subprocess.run(job("install", "alice", "prod-", "apply"), capture_output=True, text=True, env=env)
        assert first.returncode == 0, first.stderr

        # Hold the first Secret write until both runs have read the Secret.
        reads, lock, both_read = [], threading.Lock(), threading.Event()

        def barrier(method, resource, ns, name):
            if resource != "secrets":
                return
            with lock:
                if method == "GET":
                    reads.append(time.monotonic())
                    if len(reads) >= 2:
                        both_read.set()
            if method == "PUT":
                both_read.wait(timeout=20)

        api.before.append(barrier)
        mark = len(api.requests)
        runs = {
            "upgrade": subprocess.Popen(job("upgrade", "alice", "next-", "apply"), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env),
            "refresh": subprocess.Popen(job("refresh", "bob", "prod-", "refresh"), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env),
        }
        start = time.monotonic()
        results = {name: (p.wait(timeout=60), *p.communicate()) for name, p in runs.items()}
        elapsed = time.monotonic() - start

        for name, (rc, out, err) in results.items():
            assert rc == 0, f"{name}: {err}"
            assert "Traceback" not in out + err
            for secret in users.values():
                for form in (secret, base64.b64encode(secret.encode()).decode()):
                    assert form not in out + err
        later = api.requests[mark:]
        puts = [code for method, path, code in later if method == "PUT" and "/secrets/" in path]
        assert sorted(puts) == [200, 200, 409], later  # they raced; the loser read again and wrote

        # One run's outputs, whole: the last writer's.
        data = api.secret_data(NS, SECRET)
        obj = api.get("secrets", NS, SECRET)
        config = json.loads(data["config.json"])
        [entry] = config["auths"].values()
        user = base64.b64decode(entry["auth"]).decode().split(":")[0]
        prefix = json.loads(data["binderhub-settings.json"])["BinderHub"]["image_prefix"]
        winner = {"alice": "upgrade", "bob": "refresh"}[user]
        assert prefix == f"{reg.host}/binder/{'next-' if winner == 'upgrade' else 'prod-'}", (user, prefix)
        assert data[".dockerconfigjson"] == data["config.json"]
        assert obj["metadata"]["annotations"][kube.ANN_CHECKSUM] == checksum_of(data)
        # The run whose first write lost the race read again and wrote last: its outputs stand.
        assert all(f"Secret {NS}/{SECRET} replaced" in out for _, out, _ in results.values())
        # BinderHub restarts after the last write, so its pods read this Secret.
        last_put = max(i for i, (m, p, c) in enumerate(later) if m == "PUT" and "/secrets/" in p and c == 200)
        patches = [i for i, (m, p, c) in enumerate(later) if m == "PATCH" and "/deployments/" in p and c == 200]
        assert patches and max(patches) > last_put

        # Running the winner again changes nothing: the state is a fixed point of that run.
        api.before.clear()
        again = subprocess.run(job(f"{winner}-again", user, prefix.rsplit("/", 1)[1], "apply"),
                               capture_output=True, text=True, env=env)
        # "recorded" (the check's time moved on) or "unchanged" (the same second): the data stays either way.
        assert again.returncode == 0 and any(f"Secret {NS}/{SECRET} {word}" in again.stdout
                                             for word in ("recorded", "unchanged")), again.stderr
        assert api.secret_data(NS, SECRET) == data  # only the check's record was written
        record("concurrency", "upgrade (apply) racing refresh, 2 processes",
               f"both exit 0, PUTs {sorted(puts)}, final Secret = {winner}'s outputs, checksum matches",
               elapsed, 60)
