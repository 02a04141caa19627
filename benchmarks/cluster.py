"""The hook inside `helm install`, on the real one-node cluster (scripts/cluster.sh).

    bash scripts/cluster.sh up                          # if it is not up (scripts/test.sh brings it up too)
    .venv/bin/python benchmarks/cluster.py              # 10 installs with the hook, 10 without, alternating
    .venv/bin/python benchmarks/cluster.py --runs 3 --json /tmp/cluster.json

Each run installs the umbrella chart of the cluster tests (examples/binderhub with the
BinderHub-shaped fixture chart and this checkout's chart, the real registry on the bridge, the
hook image built from this work tree and already on the node) into a fresh namespace with Helm 3
(`--wait`), then uninstalls it and deletes the namespace.  "With the hook": the hook Job runs
`apply` and writes `binderhub-registry`.  "Without": `registryHook.enabled=false` and the same
Secret created beforehand (the operator's step, not timed), as a BinderHub without the hook is
installed.  The two alternate in one loop after one untimed pair.  After each timed install with
the hook, a Job from the refresh CronJob runs (its container's CPU and memory), and one more
with PYTHONPROFILEIMPORTTIME=1 (`-X importtime` inside the container).

What is measured and how: benchmarks/README.md, "Inside helm install (the real cluster)", and
benchmarks/podwatch.py.  Exit status 1 when an install fails, a hook Job does not complete, or
a figure cannot be measured; namespaces and releases are removed on every exit, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import measure  # noqa: E402
from benchmarks.measure import parse_importtime  # noqa: E402
from benchmarks.podwatch import Cgroups, Event, TaskEvents, Usage, Watches  # noqa: E402
from tests.support.cluster import BridgeRegistry, Cluster, Release, build_umbrella, cluster_env, load_images  # noqa: E402

STATE = Path(os.environ.get("CLUSTER_STATE", "/var/lib/binderhub-registry-hook/cluster"))
HELM3 = ROOT / ".tools" / "helm3" / "helm"
HOOK = "binder-registry-hook"  # the hook's objects in the umbrella chart's release "binder"
LABEL = "binderhub-registry-hook/benchmark"


# Run in the hook's image by the provider Jobs: every module of the hook (the Kubernetes sink
# included) and every module of one provider package, none of another's; the module count out.
IMPORT_ALL = """
import importlib, pkgutil, sys
import binderhub_registry_hook as hook, binderhub_registry_hook.providers as providers
import kubernetes.client, kubernetes.config, tenacity  # what kube.py imports when it writes
for m in pkgutil.iter_modules(hook.__path__, hook.__name__ + "."):
    if m.name.rsplit(".", 1)[1] not in ("__main__", "providers"):
        importlib.import_module(m.name)
for m in pkgutil.iter_modules(providers.__path__, providers.__name__ + "."):
    if not m.ispkg and m.name.rsplit(".", 1)[1] in ("base", "cloud"):
        importlib.import_module(m.name)
mine = importlib.import_module(providers.__name__ + "." + sys.argv[1])
for m in pkgutil.walk_packages(getattr(mine, "__path__", []), mine.__name__ + "."):
    importlib.import_module(m.name)
print(len(sys.modules), "modules")
"""


class Failed(RuntimeError):
    """An install, a Job or a measurement failed: the benchmark exits 1."""


class JobFailed(Failed):
    def __init__(self, message: str, log: str):
        super().__init__(message)
        self.log = log


# -- figures -----------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 10 runs is the largest)."""
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def p50(values: list[float]) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def fmt(seconds: float, unit: str = "s") -> str:
    if seconds != seconds:
        return "-"
    return f"{seconds:.2f} s" if unit == "s" else f"{seconds * 1000:.0f} ms"


@dataclass
class Run:
    """One timed install; times are seconds since `helm install` was started."""

    variant: str  # "hook" or "plain"
    index: int
    namespace: str
    helm_s: float = float("nan")
    load: float = float("nan")
    marks: dict[str, float] = field(default_factory=dict)
    api: dict[str, float] = field(default_factory=dict)  # the same spans from the objects' 1 s timestamps
    usage: dict[str, dict] = field(default_factory=dict)  # "apply", "refresh": Usage as a dict
    log: dict[str, float] = field(default_factory=dict)  # the hook's log lines (CRI timestamps)
    importtime: dict = field(default_factory=dict)
    timeline: list[str] = field(default_factory=list)  # the hook Job's and its pod's watch events
    providers: dict[str, dict] = field(default_factory=dict)  # provider module -> usage of its imports


# -- one install ---------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args, self.workdir = args, workdir
        self.run_id = secrets.token_hex(3)
        self.namespaces: list[str] = []  # created and not yet deleted
        self.releases: list[Release] = []  # installed and not yet uninstalled
        self.cluster: Cluster | None = None
        self.chart = workdir / "binderhub"  # the umbrella chart, built by setup()
        self.registry: BridgeRegistry | None = None
        self.watches: Watches | None = None
        self.tasks: TaskEvents | None = None
        self.cgroups: Cgroups | None = None
        self.secret_data: dict | None = None  # the hook's Secret, given directly to the installs without it

    # -- set-up and clean-up -------------------------------------------------------------------

    def setup(self) -> None:
        env = cluster_env()
        if env is None:
            raise Failed("no local cluster: run `bash scripts/cluster.sh up` first")
        print("cluster.sh images (the hook image from this work tree, built if it changed) ...", file=sys.stderr)
        self.cluster = Cluster.connect(env, load_images())
        self.registry = BridgeRegistry(self.workdir / "registry", self.cluster.node_ip)
        self.chart = build_umbrella(self.workdir, self.args.helm, self.workdir / "helm-home")
        prefix = f"bench-{self.run_id}-"
        self.cgroups = Cgroups(interval=self.args.interval)
        self.tasks = TaskEvents(str(STATE / "containerd" / "containerd.sock"))
        self.watches = Watches(self.cluster.kubeconfig, lambda ns: ns.startswith(prefix), self.on_event).start()

    def on_event(self, event: Event) -> None:
        """A Job's pod is created: poll its cgroup from now on (the watch thread calls this)."""
        if (event.resource == "pods" and event.type == "ADDED" and self.cgroups is not None
                and "job-name" in event.obj["metadata"].get("labels", {})):
            self.cgroups.track(event.obj["metadata"]["uid"])

    def cleanup(self) -> list[str]:
        """Uninstall what is installed, delete our namespaces (by their label), stop what we
        started; every step is tried. Returns what failed."""
        failed = []
        for release in list(self.releases):
            try:
                release.helm_run("uninstall", release.name, "-n", release.namespace, "--wait", "--timeout", "60s",
                                 timeout=90)
            except Exception as e:  # noqa: BLE001 - the namespace goes next anyway
                failed.append(f"helm uninstall -n {release.namespace}: {e}")
        if self.cluster is not None and self.namespaces:
            try:
                proc = self.cluster.kubectl("delete", "namespace", "-l", f"{LABEL}={self.run_id}", "--wait=true",
                                            "--timeout=120s", check=False, timeout=150)
                if proc.returncode != 0:
                    failed.append(f"kubectl delete namespace -l {LABEL}={self.run_id}: {proc.stderr.strip()}")
            except Exception as e:  # noqa: BLE001
                failed.append(f"kubectl delete namespace -l {LABEL}={self.run_id}: {e}")
        for part in (self.cgroups, self.tasks, self.watches, self.registry):
            if part is not None:
                try:
                    part.stop()
                except Exception as e:  # noqa: BLE001
                    failed.append(f"stopping {type(part).__name__}: {e}")
        return failed

    # -- a run -----------------------------------------------------------------------------------

    def namespace(self, variant: str, index: int) -> str:
        assert self.cluster is not None
        name = f"bench-{self.run_id}-{index:02d}-{variant}"
        doc = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {LABEL: self.run_id}}}
        self.namespaces.append(name)
        self.cluster.kubectl("create", "-f", "-", input=json.dumps(doc))
        return name

    def run(self, variant: str, index: int) -> Run:
        assert self.cluster and self.registry and self.watches
        ns = self.namespace(variant, index)
        (self.workdir / ns).mkdir()
        release = Release(self.cluster, self.args.helm, self.chart, ns, self.registry, self.workdir / ns)
        if variant == "hook":
            release.set_credentials()
        else:
            if self.secret_data is None:
                raise Failed("no Secret of the hook to give the install without it (the first run is one with it)")
            release.extra = {"registryHook": {"enabled": False}}
            doc = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
                   "metadata": {"name": "binderhub-registry"}, "data": self.secret_data}
            self.cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(doc))
        run = Run(variant, index, ns, load=os.getloadavg()[0])
        command = release.command("install")
        self.releases.append(release)
        t0 = time.time()
        proc = release.helm_run(*command)
        run.helm_s = time.time() - t0
        if proc.returncode != 0:
            raise Failed(f"{ns}: helm install failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
        if variant == "hook":
            self.hook_figures(run, release, t0)
            if self.args.extras:
                run.usage["refresh"] = asdict(self.refresh_job(ns, "bench-refresh")[0])
                run.importtime = self.importtime_job(ns)
            if self.args.providers and index == self.args.runs:
                run.providers = self.provider_imports(ns)
        self.spans(run, t0)
        self.remove(release)
        return run

    def remove(self, release: Release) -> None:
        assert self.cluster is not None
        proc = release.helm_run("uninstall", release.name, "-n", release.namespace, "--wait", "--timeout", "120s")
        if proc.returncode != 0:
            raise Failed(f"{release.namespace}: helm uninstall failed: {proc.stderr.strip()[-400:]}")
        self.releases.remove(release)
        self.cluster.kubectl("delete", "namespace", release.namespace, "--wait=true", "--timeout=120s", timeout=150)
        self.namespaces.remove(release.namespace)

    # -- what the watches, containerd and the cgroups saw -----------------------------------------

    def pod_of(self, ns: str, job: str, timeout: float = 30) -> Event:
        assert self.watches
        pod = self.watches.wait_first(ns, "pods", lambda e: e.type == "ADDED"
                                      and e.obj["metadata"].get("labels", {}).get("job-name") == job, timeout)
        if pod is None:
            raise Failed(f"{ns}: no pod of Job {job} was seen")
        return pod

    def finished_pod(self, ns: str, job: str, uid: str, timeout: float = 30) -> dict:
        """The pod's last state with its container terminated."""
        assert self.watches

        def terminated(e: Event) -> bool:
            statuses = e.obj.get("status", {}).get("containerStatuses") or [{}]
            return e.obj["metadata"]["uid"] == uid and "terminated" in statuses[0].get("state", {})

        event = self.watches.wait_first(ns, "pods", terminated, timeout)
        if event is None:
            raise Failed(f"{ns}: the pod of Job {job} was not seen terminated")
        return event.obj

    def container_usage(self, ns: str, job: str, uid: str, pod: dict) -> tuple[str, Usage]:
        assert self.cgroups and self.tasks
        status = pod["status"]["containerStatuses"][0]
        terminated = status["state"]["terminated"]
        if terminated.get("exitCode") != 0:
            raise Failed(f"{ns}: Job {job}'s container exited {terminated.get('exitCode')}")
        cid = status["containerID"].split("://", 1)[1]
        # The pod's cgroup stays a little after the container's is gone: wait for a read without it.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            seen = self.cgroups.pods.get(uid)
            if seen is not None and (seen.gone or (seen.first and cid not in seen.present and cid in seen.containers)):
                break
            time.sleep(0.05)
        seen = self.cgroups.untrack(uid)
        if seen is None or cid not in seen.containers:
            raise Failed(f"{ns}: the cgroup of Job {job}'s container was never read (interval {self.args.interval}s)")
        return cid, seen.usage(cid)

    def hook_figures(self, run: Run, release: Release, t0: float) -> None:
        assert self.cluster and self.watches and self.tasks and self.cgroups
        ns = run.namespace
        job = self.cluster.get("job", HOOK, "-n", ns)
        if job["status"].get("succeeded") != 1:
            raise Failed(f"{ns}: the hook Job did not complete: {job['status']}")
        pod_event = self.pod_of(ns, HOOK)
        uid = pod_event.obj["metadata"]["uid"]
        pod = self.finished_pod(ns, HOOK, uid)
        cid, usage = self.container_usage(ns, HOOK, uid, pod)
        run.usage["apply"] = asdict(usage)
        seen = self.cgroups.pods[uid]
        sandbox = [c for c in seen.containers if c != cid]
        rel = lambda t: t - t0  # noqa: E731
        if sandbox and sandbox[0] in self.tasks.started:
            run.marks["sandbox started"] = rel(self.tasks.started[sandbox[0]])
        if cid in self.tasks.started:
            run.marks["container started"] = rel(self.tasks.started[cid])
        if cid in self.tasks.exited:
            run.marks["container exited"] = rel(self.tasks.exited[cid][0])
        if seen.first:
            run.marks["pod cgroup"] = rel(seen.first)
        # The hook's own log lines, as containerd stamped them when written.
        logs = self.cluster.kubectl("logs", "--timestamps", "-n", ns, pod["metadata"]["name"], check=False).stdout
        stamps = [parse_rfc3339(line.split(" ", 1)[0]) for line in logs.splitlines() if line.strip()]
        stamps = [s for s in stamps if s == s]
        if stamps:
            run.log = {"first line": rel(stamps[0]), "last line": rel(stamps[-1]), "lines": len(stamps)}
        # The objects' own (one-second) timestamps of the same spans.
        status = pod["status"]["containerStatuses"][0]["state"]["terminated"]
        created = parse_rfc3339(job["metadata"]["creationTimestamp"])
        run.api = {"job created → completed": parse_rfc3339(job["status"]["completionTime"]) - created,
                   "container started → finished": parse_rfc3339(status["finishedAt"])
                   - parse_rfc3339(status["startedAt"])}
        self.secret_data = self.cluster.get("secret", "binderhub-registry", "-n", ns)["data"]

    def refresh_job(self, ns: str, name: str, env: dict | None = None, command: list | None = None
                    ) -> tuple[Usage, str]:
        """A Job from the refresh CronJob (as its schedule starts one), run to completion: its
        container's usage and its log.  ``env`` is added, ``command`` replaces what it runs."""
        assert self.cluster and self.cgroups
        cron = self.cluster.get("cronjob", f"{HOOK}-refresh", "-n", ns)
        template = cron["spec"]["jobTemplate"]
        container = template["spec"]["template"]["spec"]["containers"][0]
        if env:
            container["env"] = [*container.get("env", []), *({"name": k, "value": v} for k, v in env.items())]
        if command:
            container["command"], container["args"] = command, []
        doc = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, **template.get("metadata", {})},
               "spec": template["spec"]}
        self.cluster.kubectl("create", "-n", ns, "-f", "-", input=json.dumps(doc))
        uid = self.pod_of(ns, name).obj["metadata"]["uid"]

        def outcome() -> str | None:
            st = self.cluster.get("job", name, "-n", ns)["status"]
            return "succeeded" if st.get("succeeded") else "failed" if st.get("failed") else None

        if self.cluster.wait_for(f"Job {name}", outcome, timeout=120, interval=0.2) != "succeeded":
            log = self.cluster.kubectl("logs", f"job/{name}", "-n", ns, check=False).stdout
            raise JobFailed(f"{ns}: Job {name} failed: {log.strip()[-600:]}", log)
        pod = self.finished_pod(ns, name, uid)
        _, usage = self.container_usage(ns, name, uid, pod)
        return usage, self.cluster.kubectl("logs", "-n", ns, pod["metadata"]["name"]).stdout

    def importtime_job(self, ns: str) -> dict:
        _, log = self.refresh_job(ns, "bench-importtime", {"PYTHONPROFILEIMPORTTIME": "1"})
        imports = parse_importtime(log)
        if not imports.modules:
            raise Failed(f"{ns}: no -X importtime lines in the importtime Job's log")
        kube = imports.package_us("kubernetes")
        return {"total_ms": imports.total_us / 1000, "modules": len(imports.modules),
                "packages": [(name, us / 1000) for name, us in imports.packages()[:8]], "kubernetes_ms": kube / 1000}

    def provider_imports(self, ns: str) -> dict[str, dict]:
        """Each provider's imports in the hook's image (the pod spec of the refresh Job): its
        container's usage.  What `apply` with that provider imports, without its network calls."""
        from binderhub_registry_hook.providers import TYPES

        found: dict[str, dict] = {}
        for module in sorted({path.split(":")[0].rsplit(".", 1)[1] for path in TYPES.values()}):
            try:
                usage, log = self.refresh_job(ns, f"bench-imports-{module}",
                                              command=["python", "-c", IMPORT_ALL, module])
            except JobFailed as e:  # reported, and the benchmark exits 1 at the end
                found[module] = {"error": e.log.strip().splitlines()[-1] if e.log.strip() else str(e)}
                print(f"    imports of {module} FAILED: {found[module]['error']}", file=sys.stderr)
                continue
            found[module] = asdict(usage) | {"modules": int(log.split()[0])}
            print(f"    imports of {module}: CPU {usage.cpu_s:.2f} s, peak {usage.pod_peak:.0f} MiB "
                  f"(rss {usage.rss_peak:.0f} MiB), {found[module]['modules']} modules", file=sys.stderr)
        # The same imports here, in the development venv (peak RSS from wait4): google's figure where
        # the image cannot import it, as generic's in the image plus the difference measured here.
        for module in found:
            sample = measure.run([sys.executable, "-c", IMPORT_ALL, module]).check(f"imports of {module} here")
            found[module]["here_rss"] = sample.rss_mb
        return found

    def spans(self, run: Run, t0: float) -> None:
        """The marks that every install has, from the watches (arrival times)."""
        assert self.watches
        ns = run.namespace
        rel = lambda e: e.t - t0 if e else float("nan")  # noqa: E731

        def first(resource, predicate):
            return self.watches.first(ns, resource, predicate)

        run.marks["release record"] = rel(first("releases", lambda e: e.type == "ADDED"))
        run.marks["binder Deployment created"] = rel(first("deployments", lambda e: e.type == "ADDED"
                                                           and e.name == "binder"))
        run.marks["binder available"] = rel(first("deployments", lambda e: e.name == "binder"
                                                  and (e.obj.get("status", {}).get("availableReplicas") or 0) >= 1))
        if run.variant == "hook":
            run.marks["hook ConfigMap created"] = rel(first("configmaps", lambda e: e.type == "ADDED"
                                                            and e.name == HOOK))
            run.marks["Job created"] = rel(first("jobs", lambda e: e.type == "ADDED" and e.name == HOOK))
            run.marks["pod created"] = rel(first("pods", lambda e: e.type == "ADDED"
                                                 and e.obj["metadata"].get("labels", {}).get("job-name") == HOOK))
            run.marks["pod scheduled"] = rel(first("pods", lambda e: e.obj["spec"].get("nodeName")
                                                   and e.obj["metadata"].get("labels", {}).get("job-name") == HOOK))
            run.marks["pod terminated (kubelet)"] = rel(first("pods", lambda e: e.obj["metadata"].get(
                "labels", {}).get("job-name") == HOOK and terminated(e.obj)))
            run.marks["pod Succeeded (kubelet)"] = rel(first("pods", lambda e: e.obj["metadata"].get(
                "labels", {}).get("job-name") == HOOK and e.obj.get("status", {}).get("phase") == "Succeeded"))
            run.marks["Job counts the pod"] = rel(first("jobs", lambda e: e.name == HOOK and counted(e.obj)))
            run.marks["Job complete"] = rel(first("jobs", lambda e: e.name == HOOK and complete(e.obj)))
            run.timeline = [f"{e.t - t0:7.3f} {e.resource} {e.type} {e.name}: {summary(e)}"
                            for e in self.watches.of(ns) if e.resource in ("jobs", "pods") and (
                                e.name == HOOK or e.obj["metadata"].get("labels", {}).get("job-name") == HOOK)]
            run.marks["hook identity deleted"] = rel(first("serviceaccounts", lambda e: e.type == "DELETED"
                                                           and e.name == HOOK))
        missing = [k for k, v in run.marks.items() if v != v]
        if missing:
            raise Failed(f"{ns}: not seen by the watches: {', '.join(missing)} (watch errors: {self.watches.errors})")


def terminated(pod: dict) -> bool:
    statuses = pod.get("status", {}).get("containerStatuses") or [{}]
    return "terminated" in statuses[0].get("state", {})


def counted(job: dict) -> bool:
    """The job controller has seen its pod succeed (counted, or about to be)."""
    status = job.get("status", {})
    return bool(status.get("succeeded") or status.get("uncountedTerminatedPods", {}).get("succeeded"))


def summary(e: Event) -> str:
    """One line of what changed, for the run's timeline (--json)."""
    st = e.obj.get("status", {})
    if e.resource == "jobs":
        conditions = [c["type"] for c in st.get("conditions", []) if c.get("status") == "True"]
        return (f"active={st.get('active', 0)} ready={st.get('ready', 0)} succeeded={st.get('succeeded', 0)} "
                f"uncounted={bool(st.get('uncountedTerminatedPods', {}).get('succeeded'))} "
                f"conditions={','.join(conditions)} finalizers={len(e.obj['metadata'].get('finalizers', []))}")
    states = [next(iter(c.get("state", {})), "-") for c in st.get("containerStatuses", [])]
    return (f"phase={st.get('phase')} node={bool(e.obj['spec'].get('nodeName'))} containers={','.join(states)} "
            f"finalizers={','.join(e.obj['metadata'].get('finalizers', []))}")


def complete(job: dict) -> bool:
    return any(c["type"] == "Complete" and c["status"] == "True" for c in job.get("status", {}).get("conditions", []))


def parse_rfc3339(text: str) -> float:
    """Seconds since the epoch of '2026-12-07T06:01:02Z' or '...02.123456789Z'."""
    from datetime import datetime, timezone

    try:
        whole, _, fraction = text.rstrip("Z").partition(".")
        base = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
        return base + (float("0." + fraction) if fraction else 0.0)
    except ValueError:
        return float("nan")


# -- the report ----------------------------------------------------------------------------------

# (label, from mark, to mark, variants): consecutive spans that add up to the whole install.
SPANS = [
    ("Helm: load, render, checks, release record", "start", "release record", ("hook", "plain")),
    ("Helm: → first hook object (ConfigMap)", "release record", "hook ConfigMap created", ("hook",)),
    ("Helm: ServiceAccount, policy, Role, RoleBinding → Job", "hook ConfigMap created", "Job created", ("hook",)),
    ("job controller: Job → pod", "Job created", "pod created", ("hook",)),
    ("scheduler: pod → bound to the node", "pod created", "pod scheduled", ("hook",)),
    ("kubelet: cgroup, network, sandbox started", "pod scheduled", "sandbox started", ("hook",)),
    ("kubelet: volumes, container created and started", "sandbox started", "container started", ("hook",)),
    ("the hook's process (exec → exit)", "container started", "container exited", ("hook",)),
    ("kubelet: exit seen (PLEG relist), container status written", "container exited", "pod terminated (kubelet)",
     ("hook",)),
    ("kubelet: sandbox stopped, pod phase Succeeded written", "pod terminated (kubelet)", "pod Succeeded (kubelet)",
     ("hook",)),
    ("job controller: pod counted (1 s batch period)", "pod Succeeded (kubelet)", "Job counts the pod", ("hook",)),
    ("job controller: → Job Complete", "Job counts the pod", "Job complete", ("hook",)),
    ("Helm sees the Job done, deletes the hook identity", "Job complete", "hook identity deleted", ("hook",)),
    ("Helm: → release objects (binder Deployment)", "hook identity deleted", "binder Deployment created", ("hook",)),
    ("Helm: release record → release objects", "release record", "binder Deployment created", ("plain",)),
    ("binder Deployment → available", "binder Deployment created", "binder available", ("hook", "plain")),
    ("Helm --wait notices, records, exits", "binder available", "end", ("hook", "plain")),
]


def mark(run: Run, name: str) -> float:
    return 0.0 if name == "start" else run.helm_s if name == "end" else run.marks.get(name, float("nan"))


def chart_resources() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "chart" / "values.yaml").read_text())["job"]["resources"]


def report(runs: list[Run], info: dict) -> str:
    hook = [r for r in runs if r.variant == "hook"]
    plain = [r for r in runs if r.variant == "plain"]
    out = []
    add = out.append
    w, wo = [r.helm_s for r in hook], [r.helm_s for r in plain]
    paired = [a.helm_s - b.helm_s for a, b in zip(hook, plain, strict=False)]
    diff = p50(w) - p50(wo)
    add(f"{len(hook)} installs with the hook and {len(plain)} without, alternating (after one untimed pair); "
        f"{info['helm']}; load average (1 min) {info['load_start']:.2f} at start, {info['load_end']:.2f} at the end "
        f"(per run {min(r.load for r in runs):.2f}–{max(r.load for r in runs):.2f}); 2 CPUs; cgroup poll every "
        f"{info['interval'] * 1000:.0f} ms.\n")
    add("| `helm install --wait` | p50 | p95 | min | max |")
    add("|---|---|---|---|---|")
    for label, values in (("with the hook", w), ("without the hook (Secret given directly)", wo)):
        add(f"| {label} | {fmt(p50(values))} | {fmt(pct(values, 95))} | {fmt(min(values))} | {fmt(max(values))} |")
    add(f"| **the hook adds** (p50 − p50; p95 − p95) | **{fmt(diff)}** | {fmt(pct(w, 95) - pct(wo, 95))} | | |")
    add(f"| the hook adds, run by run (with − the next without) | {fmt(p50(paired))} | {fmt(pct(paired, 95))} | "
        f"{fmt(min(paired))} | {fmt(max(paired))} |")
    add(f"\nTarget: the hook adds ≤ 3 s p50: **{'met' if diff <= 3 else 'MISSED'}** ({fmt(diff)}).\n")

    job = [mark(r, "Job complete") - mark(r, "Job created") for r in hook]
    proc = [mark(r, "container exited") - mark(r, "container started") for r in hook]
    api_job = [r.api.get("job created → completed", float("nan")) for r in hook]
    api_proc = [r.api.get("container started → finished", float("nan")) for r in hook]
    add("| the hook Job | p50 | p95 | how |")
    add("|---|---|---|---|")
    add(f"| Job created → Complete | {fmt(p50(job))} | {fmt(pct(job, 95))} | watch events' arrival |")
    add(f"| Job creationTimestamp → status.completionTime | {fmt(p50(api_job))} | {fmt(pct(api_job, 95))} | "
        "the Job's own timestamps (1 s resolution) |")
    add(f"| the hook's process: exec → exit | {fmt(p50(proc))} | {fmt(pct(proc, 95))} | "
        "containerd's task events (ns) |")
    add(f"| container startedAt → finishedAt | {fmt(p50(api_proc))} | {fmt(pct(api_proc, 95))} | "
        "the pod's container state (1 s resolution) |")

    add("\nWhere the seconds go (medians of each span, run by run; the spans of a column add up to its install):\n")
    add("| span | with the hook p50 | p95 | without p50 | p95 |")
    add("|---|---|---|---|---|")
    for label, a, b, variants in SPANS:
        cells = []
        for variant, group in (("hook", hook), ("plain", plain)):
            if variant in variants:
                values = [mark(r, b) - mark(r, a) for r in group]
                cells += [fmt(p50(values)), fmt(pct(values, 95))]
            else:
                cells += ["", ""]
        add(f"| {label} | " + " | ".join(cells) + " |")
    first = [r.log.get("first line", float("nan")) - mark(r, "container started") for r in hook]
    last = [mark(r, "container exited") - r.log.get("last line", float("nan")) for r in hook]
    add(f"| … of the process: exec → its first log line | {fmt(p50(first))} | {fmt(pct(first, 95))} | | |")
    add(f"| … of the process: its last log line → exit | {fmt(p50(last))} | {fmt(pct(last, 95))} | | |")

    res = chart_resources()
    req, lim = res.get("requests", {}), res.get("limits", {})
    add(f"\nThe hook's container, from its pod's cgroup; the chart's job.resources: requests {json.dumps(req)}, "
        f"limits {json.dumps(lim)}:\n")
    add("| container | runs | CPU s p50 | CPU s max | peak MiB p50 (pod high-water) | max | anon. (rss) MiB p50 | max |"
        " exact CPU |")
    add("|---|---|---|---|---|---|---|---|---|")
    for what in ("apply", "refresh"):
        usages = [r.usage[what] for r in hook if what in r.usage]
        if not usages:
            continue
        cpu = [u["cpu_s"] for u in usages]
        peak = [u["pod_peak"] for u in usages]
        rss = [u["rss_peak"] for u in usages]
        exact = sum(u["complete"] for u in usages)
        label = "hook Job (`apply`)" if what == "apply" else "refresh CronJob's Job (`refresh`)"
        add(f"| {label} | {len(usages)} | {p50(cpu):.2f} | {max(cpu):.2f} | {p50(peak):.1f} | {max(peak):.1f} | "
            f"{p50(rss):.1f} | {max(rss):.1f} | {exact}/{len(usages)} |")
    providers = next((r.providers for r in hook if r.providers), {})
    applied = [r.usage["apply"] for r in hook if "apply" in r.usage]
    if providers and applied and "pod_peak" in providers.get("generic", {}):
        work = p50([u["pod_peak"] for u in applied]) - providers["generic"]["pod_peak"]
        work_rss = p50([u["rss_peak"] for u in applied]) - providers["generic"]["rss_peak"]
        add("\nEach provider's imports in the image (every module of the hook and of that provider package, in a "
            "Job of the refresh pod spec, once): the floor of `apply` with that provider, which then adds its work "
            f"(for generic: `apply`'s p50 peak − its imports' = {work:+.1f} MiB high-water, {work_rss:+.1f} MiB "
            "anonymous):\n")
        add("| provider package | modules | CPU s | peak MiB (pod high-water) | anon. (rss) MiB | "
            "estimated `apply` peak MiB (+ generic's work) | here (dev venv): peak RSS MiB |")
        add("|---|---|---|---|---|---|---|")
        generic = providers["generic"]
        for name, u in sorted(providers.items(), key=lambda kv: kv[1].get("pod_peak", 1e9)):
            here = f"{u['here_rss']:.0f}" if "here_rss" in u else "-"
            if "error" in u:
                guess = generic["pod_peak"] + work + u.get("here_rss", float("nan")) - generic.get("here_rss", 0)
                add(f"| {name} | import failed in this image: `{u['error']}` | | | | {guess:.0f} (generic's + "
                    f"the difference here) | {here} |")
                continue
            add(f"| {name} | {u['modules']} | {u['cpu_s']:.2f} | {u['pod_peak']:.1f} | {u['rss_peak']:.1f} | "
                f"{u['pod_peak'] + work:.0f} | {here} |")
    imports = [r.importtime for r in hook if r.importtime]
    if imports:
        totals = [i["total_ms"] / 1000 for i in imports]
        kube = [i["kubernetes_ms"] / 1000 for i in imports]
        names: dict[str, list[float]] = {}
        for i in imports:
            for name, ms in i["packages"]:
                names.setdefault(name, []).append(ms)
        top = sorted(((p50(v), n) for n, v in names.items() if len(v) * 2 > len(imports)), reverse=True)[:6]
        add(f"\n`-X importtime` inside the container (`refresh`, the same imports as `apply`; {len(imports)} runs): "
            f"imports {fmt(p50(totals), 'ms')} p50 ({imports[0]['modules']} modules), of which kubernetes "
            f"{fmt(p50(kube), 'ms')}; heaviest packages (cumulative, nested ones overlap): "
            + ", ".join(f"{n} {ms:.0f} ms" for ms, n in top) + ".")
    return "\n".join(out)


# -- main ------------------------------------------------------------------------------------------


def hold_cluster() -> int:
    """A shared lock on the cluster's users file, as scripts/test.sh holds it: no `down` while we run."""
    STATE.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{STATE}.users", os.O_WRONLY | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=10, help="timed installs of each kind (default 10)")
    p.add_argument("--helm", type=Path, default=HELM3, help="the Helm binary (default .tools/helm3/helm)")
    p.add_argument("--interval", type=float, default=0.01, help="cgroup poll interval, s (default 0.01)")
    p.add_argument("--no-extras", dest="extras", action="store_false",
                   help="skip the refresh and importtime Jobs after each install with the hook")
    p.add_argument("--no-providers", dest="providers", action="store_false",
                   help="skip the Jobs that import each provider in the image (once, after the last install)")
    p.add_argument("--json", type=Path, help="also write every run's figures to this file")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, interrupted)
    lock = hold_cluster()
    runs: list[Run] = []
    rc = 1
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            bench.setup()
            info = {"load_start": os.getloadavg()[0], "interval": args.interval, "helm": helm_version(args.helm)}
            print(f"warm-up pair (untimed); then {args.runs} pairs", file=sys.stderr)
            for index in range(args.runs + 1):
                for variant in ("hook", "plain"):
                    run = bench.run(variant, index)
                    if index:
                        runs.append(run)
                    print(f"  {run.namespace}: helm install {run.helm_s:.2f} s"
                          + (f", Job {mark(run, 'Job complete') - mark(run, 'Job created'):.2f} s, CPU "
                             f"{run.usage['apply']['cpu_s']:.2f} s, peak {run.usage['apply']['pod_peak']:.0f} MiB"
                             if variant == "hook" else "") + f" (load {run.load:.2f})", file=sys.stderr, flush=True)
            info["load_end"] = os.getloadavg()[0]
            print(report(runs, info))
            if args.json:
                args.json.write_text(json.dumps({"info": info, "runs": [asdict(r) for r in runs]}, indent=1))
            broken = [name for r in runs for name, u in r.providers.items() if "error" in u]
            if broken:
                print(f"benchmark failed: the image cannot import provider(s) {', '.join(broken)}", file=sys.stderr)
            rc = 1 if broken else 0
        except (Failed, AssertionError, RuntimeError, subprocess.SubprocessError, OSError) as e:
            print(f"benchmark failed: {type(e).__name__}: {e}", file=sys.stderr)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            rc = 130
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up runs to its end
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("cleaning up: releases, namespaces, registry, watches", file=sys.stderr)
            left = bench.cleanup()
            os.close(lock)
            for line in left:
                print(f"clean-up failed: {line}", file=sys.stderr)
    return rc or (1 if left else 0)


def helm_version(helm: Path) -> str:
    out = subprocess.run([str(helm), "version", "--short"], capture_output=True, text=True).stdout.strip()
    return f"Helm {out}"


if __name__ == "__main__":
    sys.exit(main())
