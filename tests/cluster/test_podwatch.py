"""benchmarks/podwatch.py on a real pod: what the in-cluster benchmark (benchmarks/cluster.py)
reads from the API's watches, containerd's task events and the pod's cgroup is there and
parses, on this cluster's layout (cgroup v1, the kubelet's cgroupfs driver).  No timing is
asserted: the benchmark reports timings, this checks that it can read them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from benchmarks.podwatch import Cgroups, TaskEvents, Watches, pod_cgroup

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(not Path("/sys/fs/cgroup/cpuacct").is_dir(), reason="cgroup v1 only (this machine's layout)"),
]

STATE = Path(os.environ.get("CLUSTER_STATE", "/var/lib/binderhub-registry-hook/cluster"))


def test_a_pods_cgroup_task_events_and_watch_events_are_read(cluster, namespace):
    cgroups = Cgroups(interval=0.01)
    tasks = TaskEvents(str(STATE / "containerd" / "containerd.sock"))

    def on_event(e):  # as the benchmark does: poll a pod's cgroup from its creation on
        if e.resource == "pods" and e.type == "ADDED":
            cgroups.track(e.obj["metadata"]["uid"])

    watches = Watches(cluster.kubeconfig, lambda ns: ns == namespace, on_event)
    try:
        watches.start()
        image, tag = cluster.hook_image.rsplit(":", 1)
        job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "probe"},
               "spec": {"backoffLimit": 0, "template": {"spec": {
                   "restartPolicy": "Never", "automountServiceAccountToken": False,
                   "securityContext": {"runAsNonRoot": True, "runAsUser": 10001},
                   "containers": [{"name": "hook", "image": f"{image}:{tag}", "imagePullPolicy": "Never",
                                   "args": ["--help"],
                                   "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                                                 "limits": {"memory": "128Mi"}}}]}}}}
        cluster.kubectl("create", "-n", namespace, "-f", "-", input=json.dumps(job))

        def terminated(e):
            statuses = e.obj.get("status", {}).get("containerStatuses") or [{}]
            return "terminated" in statuses[0].get("state", {})

        done = watches.wait_first(namespace, "pods", terminated, timeout=120)
        assert done is not None, watches.errors
        uid = done.obj["metadata"]["uid"]
        status = done.obj["status"]["containerStatuses"][0]
        assert status["state"]["terminated"]["exitCode"] == 0
        cid = status["containerID"].split("://", 1)[1]
        # Burstable (requests below limits): the kubelet's cgroupfs layout, read while the pod lived.
        seen = cluster.wait_for("a read of the pod's cgroup without the container's",
                                lambda: (p := cgroups.pods.get(uid)) and p.first and cid in p.containers
                                and (p.gone or cid not in p.present) and p, timeout=30, interval=0.05)
        usage = seen.usage(cid)
        assert usage.complete and usage.reads > 1
        assert 0 < usage.cpu_s < 60
        assert 0 < usage.rss_peak <= usage.container_peak <= usage.pod_peak < 128
        assert len(seen.containers) == 2  # the sandbox and the container
        # containerd stamped the container's start and exit; the sandbox started first.
        cluster.wait_for("the task's exit event", lambda: cid in tasks.exited, timeout=10, interval=0.05)
        assert tasks.started[cid] < tasks.exited[cid][0] and tasks.exited[cid][1] == 0
        [sandbox] = [c for c in seen.containers if c != cid]
        assert tasks.started[sandbox] < tasks.started[cid]
        assert pod_cgroup("memory", uid) is None or (pod_cgroup("memory", uid) / "memory.max_usage_in_bytes").exists()
        # The watch recorded the pod from its creation on, with arrival times in order.
        events = watches.of(namespace, "pods")
        assert events[0].type == "ADDED" and all(a.t <= b.t for a, b in zip(events, events[1:], strict=False))
    finally:
        watches.stop()
        tasks.stop()
        cgroups.stop()
