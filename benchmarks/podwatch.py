"""What the hook's pod did, seen from outside it, for benchmarks/cluster.py.

Three sources, each with its resolution:

* **API watches** (`Watches`): every ADDED/MODIFIED/DELETED of pods, Jobs, Deployments,
  ServiceAccounts, ConfigMaps and Helm's release records in the namespaces we ask about, stamped
  with the time the event *arrived* here (the API server runs on this machine: same clock, ~ms
  behind the write).  The objects' own timestamps (creationTimestamp, startTime, completionTime,
  a container's startedAt/finishedAt) have one-second resolution and are kept for comparison.
* **containerd's task events** (`TaskEvents`, `ctr events`): /tasks/start and /tasks/exit of every
  container, stamped by containerd to the nanosecond: when the hook's process was exec'd and when
  it exited, and when the pod's sandbox started.
* **the pod's cgroup** (`Cgroups`, cgroup v1, the kubelet's cgroupfs driver:
  /sys/fs/cgroup/{cpuacct,memory}/kubepods/{burstable,besteffort,}/pod<uid>/<container id>),
  polled every few milliseconds while the pod lives.  The pod's cgroup is hierarchical and
  outlives its containers (runc removes a container's cgroup when the container is deleted):
  a read of the pod's `cpuacct.usage` after the hook container's directory is gone holds the
  container's whole CPU time exactly (less the sandbox's, read from its own directory);
  `memory.max_usage_in_bytes` is the kernel's high-water mark (anonymous memory and the page
  cache charged to the pod, which includes the sandbox's few hundred KiB).  The polled
  `memory.stat` gives the anonymous memory (`total_rss`) at each sample: its maximum misses at
  most what the process allocated in the last interval before it exited.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

CGROUP_ROOT = Path("/sys/fs/cgroup")
QOS_CLASSES = ("burstable", "besteffort", "")  # "": Guaranteed pods sit directly under kubepods

# -- API watches ---------------------------------------------------------------------------


@dataclass
class Event:
    t: float  # arrival, time.time()
    resource: str
    type: str  # ADDED, MODIFIED, DELETED
    obj: dict

    @property
    def name(self) -> str:
        return self.obj["metadata"]["name"]

    @property
    def namespace(self) -> str:
        return self.obj["metadata"].get("namespace", "")


class Watches:
    """Cluster-wide watches of a few resources; events of namespaces that ``keep`` accepts are
    recorded with their arrival time.  Secrets are watched only for Helm's release records
    (label owner=helm), and their payload is dropped on arrival."""

    RESOURCES = {
        "pods": "/api/v1/pods",
        "jobs": "/apis/batch/v1/jobs",
        "deployments": "/apis/apps/v1/deployments",
        "serviceaccounts": "/api/v1/serviceaccounts",
        "configmaps": "/api/v1/configmaps",
        "releases": "/api/v1/secrets?labelSelector=owner%3Dhelm",
    }

    def __init__(self, kubeconfig: str, keep: Callable[[str], bool], on_event: Callable[[Event], None] | None = None):
        from kubernetes import config

        self.client = config.new_client_from_config(config_file=kubeconfig)
        self.host = self.client.configuration.host
        self.keep, self.on_event = keep, on_event
        self.events: list[Event] = []
        self.errors: list[str] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._responses: list = []
        self._watching: set[str] = set()
        self._threads = [threading.Thread(target=self._run, args=(name, path), name=f"watch-{name}", daemon=True)
                         for name, path in self.RESOURCES.items()]

    def _get(self, path: str, **query: str):
        import urllib3

        headers = {"Accept": "application/json"}
        token = self.client.configuration.get_api_key_with_prefix("authorization")
        if token:
            headers["Authorization"] = token
        sep = "&" if "?" in path else "?"
        url = self.host + path + (sep + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        return self.client.rest_client.pool_manager.request(
            "GET", url, headers=headers, preload_content=False, timeout=urllib3.Timeout(connect=10, read=None))

    def start(self) -> Watches:
        for thread in self._threads:
            thread.start()
        deadline = time.monotonic() + 30
        with self._cond:
            while len(self._watching) < len(self._threads):
                if self.errors or time.monotonic() > deadline:
                    raise RuntimeError(f"watches did not start: {self.errors or 'timed out'}")
                self._cond.wait(0.1)
        return self

    def _run(self, name: str, path: str) -> None:
        version = ""
        while not self._stopping:
            try:
                if not version:  # list once for a resourceVersion: the watch then starts from now
                    listing = self._get(path)
                    version = json.loads(listing.read())["metadata"]["resourceVersion"]
                    listing.release_conn()
                resp = self._get(path, watch="1", resourceVersion=version, allowWatchBookmarks="true")
                if resp.status != 200:
                    raise RuntimeError(f"watch {name}: HTTP {resp.status}")
                self._responses.append(resp)
                with self._cond:
                    self._watching.add(name)
                    self._cond.notify_all()
                buffer = b""
                for chunk in resp.stream(2**16):
                    t = time.time()
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for line in lines:
                        if line.strip():
                            version = self._record(t, name, json.loads(line)) or version
            except Exception as e:  # noqa: BLE001 - recorded, the watch restarts from its version
                if self._stopping:
                    return
                if "410" in str(e) or "Expired" in str(e):
                    version = ""  # too old: list again (events in between are lost, and the run fails)
                with self._cond:
                    self.errors.append(f"{name}: {type(e).__name__}: {str(e)[:200]}")
                    self._cond.notify_all()
                time.sleep(0.5)

    def _record(self, t: float, resource: str, event: dict) -> str | None:
        kind, obj = event.get("type"), event.get("object", {})
        if kind == "ERROR":
            raise RuntimeError(f"{obj.get('code')} {obj.get('reason')}: {obj.get('message', '')[:200]}")
        meta = obj.get("metadata", {})
        if kind == "BOOKMARK":
            return meta.get("resourceVersion")
        if self.keep(meta.get("namespace", "")):
            if resource == "releases":
                obj = {"metadata": meta}  # the release record itself is of no use here
            event = Event(t, resource, kind, obj)
            if self.on_event:
                self.on_event(event)
            with self._cond:
                self.events.append(event)
                self._cond.notify_all()
        return meta.get("resourceVersion")

    def of(self, namespace: str, resource: str | None = None, name: str | None = None) -> list[Event]:
        with self._cond:
            return [e for e in self.events if e.namespace == namespace and (resource is None or e.resource == resource)
                    and (name is None or e.name == name)]

    def first(self, namespace: str, resource: str, predicate: Callable[[Event], bool]) -> Event | None:
        return next((e for e in self.of(namespace, resource) if predicate(e)), None)

    def wait_first(self, namespace: str, resource: str, predicate: Callable[[Event], bool],
                   timeout: float) -> Event | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while (found := self.first(namespace, resource, predicate)) is None and time.monotonic() < deadline:
                self._cond.wait(0.2)
        return found

    def stop(self) -> None:
        self._stopping = True
        for resp in self._responses:
            try:
                resp.shutdown() if hasattr(resp, "shutdown") else resp.release_conn()
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        for resp in self._responses:
            try:
                resp.close()
            except Exception:  # noqa: BLE001
                pass


# -- containerd's task events ------------------------------------------------------------------

# `ctr events`: "2026-12-07 06:01:02.123456789 +0000 UTC k8s.io /tasks/start {...}" (Go's time format,
# trailing zeros of the fraction dropped).
_CTR_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d+))? ([+-]\d{4}) \S+ (\S+) (/\S+) (\{.*\})\s*$")


def parse_ctr_event(line: str) -> tuple[float, str, str, dict] | None:
    """(epoch seconds, namespace, topic, payload) of one `ctr events` line, or None."""
    m = _CTR_LINE.match(line)
    if not m:
        return None
    whole = datetime.strptime(f"{m[1]} {m[3]}", "%Y-%m-%d %H:%M:%S %z").timestamp()
    fraction = float("0." + m[2]) if m[2] else 0.0
    try:
        payload = json.loads(m[6])
    except ValueError:
        return None
    return whole + fraction, m[4], m[5], payload


class TaskEvents:
    """`ctr events` on the cluster's containerd: start and exit of every task, by container id."""

    def __init__(self, socket: str):
        self.started: dict[str, float] = {}
        self.exited: dict[str, tuple[float, int]] = {}
        self._proc = subprocess.Popen(["ctr", "--address", socket, "events"], stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
        self._thread = threading.Thread(target=self._read, name="ctr-events", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            event = parse_ctr_event(line)
            if event is None or event[1] != "k8s.io":
                continue
            t, _, topic, payload = event
            cid = payload.get("container_id", "")
            if topic == "/tasks/start":
                self.started.setdefault(cid, t)
            elif topic == "/tasks/exit" and payload.get("id", cid) == cid:  # the task's own process, not an exec
                self.exited.setdefault(cid, (t, int(payload.get("exit_status", 0))))

    def alive(self) -> bool:
        return self._proc.poll() is None

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)


# -- the pod's cgroup --------------------------------------------------------------------------


def pod_cgroup(controller: str, uid: str, root: Path = CGROUP_ROOT) -> Path | None:
    """The pod's cgroup directory under the kubelet's cgroupfs layout, or None (not yet, or gone)."""
    for qos in QOS_CLASSES:
        path = root / controller / "kubepods" / qos / f"pod{uid}"
        if path.is_dir():
            return path
    return None


def read_int(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return None


def read_stat(path: Path) -> dict[str, int]:
    try:
        text = path.read_text()
    except OSError:
        return {}
    return {k: int(v) for k, _, v in (line.partition(" ") for line in text.splitlines()) if v.isdigit()}


@dataclass
class ContainerSeen:
    first: float
    last: float = 0.0
    cpu_ns: int = 0  # cpuacct.usage at the last read
    max_usage: int = 0  # memory.max_usage_in_bytes at the last read
    rss_max: int = 0  # the largest total_rss read
    cache_max: int = 0


@dataclass
class PodSeen:
    uid: str
    first: float | None = None  # the pod's cgroup appeared
    gone: float | None = None  # and disappeared
    cpu_ns: int = 0  # the pod's cpuacct.usage at the last read
    max_usage: int = 0  # the pod's memory.max_usage_in_bytes at the last read
    last: float = 0.0
    reads: int = 0
    containers: dict[str, ContainerSeen] = field(default_factory=dict)
    # Each container's directory as of the pod's last read: a read without it holds its whole usage.
    present: set[str] = field(default_factory=set)

    def usage(self, container_id: str) -> Usage:
        """The container's CPU time and memory peaks (see the module's docstring)."""
        seen = self.containers.get(container_id)
        if seen is None:
            return Usage(float("nan"), float("nan"), float("nan"), float("nan"), complete=False, reads=self.reads)
        others = sum(c.cpu_ns for cid, c in self.containers.items() if cid != container_id)
        complete = self.first is not None and container_id not in self.present and self.cpu_ns > 0
        cpu_ns = self.cpu_ns - others if complete else seen.cpu_ns
        return Usage(cpu_s=cpu_ns / 1e9, pod_peak=self.max_usage / 2**20, container_peak=seen.max_usage / 2**20,
                     rss_peak=seen.rss_max / 2**20, complete=complete, reads=self.reads)


@dataclass
class Usage:
    cpu_s: float
    pod_peak: float  # MiB: the pod's high-water mark (sandbox included)
    container_peak: float  # MiB: the container's own high-water mark at its last read
    rss_peak: float  # MiB: the largest anonymous memory read
    complete: bool  # the pod was read after the container's cgroup was gone: CPU is exact
    reads: int


class Cgroups:
    """Polls the cgroups of the pods it is told to track, every ``interval`` seconds."""

    def __init__(self, interval: float = 0.01, root: Path = CGROUP_ROOT):
        self.interval, self.root = interval, root
        self.pods: dict[str, PodSeen] = {}
        self._active: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cgroups", daemon=True)
        self._thread.start()

    def track(self, uid: str) -> None:
        with self._lock:
            if uid not in self.pods:
                self.pods[uid] = PodSeen(uid)
                self._active.add(uid)

    def untrack(self, uid: str) -> PodSeen | None:
        with self._lock:
            self._active.discard(uid)
            return self.pods.get(uid)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            with self._lock:
                active = [self.pods[u] for u in self._active]
            for pod in active:
                self.read(pod)
                if pod.gone is not None:
                    with self._lock:
                        self._active.discard(pod.uid)

    def read(self, pod: PodSeen) -> None:
        t = time.time()
        cpu_dir = pod_cgroup("cpuacct", pod.uid, self.root)
        mem_dir = pod_cgroup("memory", pod.uid, self.root)
        if cpu_dir is None or mem_dir is None:
            if pod.first is not None and pod.gone is None:
                pod.gone = t
            return
        # Which containers are there, then their figures, then the pod's: a container whose
        # directory was already gone when listed is wholly in the pod's counters read after.
        present = {p.name for p in cpu_dir.iterdir() if p.is_dir()}
        for cid in present:
            cpu = read_int(cpu_dir / cid / "cpuacct.usage")
            if cpu is None:
                continue
            seen = pod.containers.setdefault(cid, ContainerSeen(first=t))
            seen.last, seen.cpu_ns = t, cpu
            peak = read_int(mem_dir / cid / "memory.max_usage_in_bytes")
            stat = read_stat(mem_dir / cid / "memory.stat")
            seen.max_usage = max(seen.max_usage, peak or 0)
            seen.rss_max = max(seen.rss_max, stat.get("total_rss", 0))
            seen.cache_max = max(seen.cache_max, stat.get("total_cache", 0))
        cpu = read_int(cpu_dir / "cpuacct.usage")
        peak = read_int(mem_dir / "memory.max_usage_in_bytes")
        if cpu is None or peak is None:
            return
        pod.present = present
        pod.first = pod.first or t
        pod.cpu_ns, pod.max_usage, pod.last = cpu, max(pod.max_usage, peak), t
        pod.reads += 1

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
