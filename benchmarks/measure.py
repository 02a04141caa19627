"""Measuring one command: wall time, peak memory, imported modules.

Peak memory is ``ru_maxrss`` of the command as ``wait4`` reports it (the kernel folds in
the peaks of its reaped descendants, so a shell script's figure includes the ``kubectl``
it ran).  Two traps: ``getrusage(RUSAGE_CHILDREN)`` is the maximum over every child so
far, which hides a small command behind a big one; and a child forked from this
process starts with this process's resident set as its high-water mark (fork copies
it, vfork/posix_spawn share it until exec), so a 10 MB command would read as this
benchmark's 60 MB.  Commands are therefore started by a small launcher that reports
the peak: GNU ``/usr/bin/time -f %M`` when present (~2 MB floor), else a ``python -S``
launcher (~9 MB floor: figures below that are the launcher's).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

# Top-level packages that are a cloud SDK (or only used by one) and the Kubernetes client.
CLOUD_SDKS = ("boto3", "botocore", "s3transfer", "azure", "msal", "google", "grpc", "proto")
KUBERNETES = ("kubernetes",)


@dataclass
class Sample:
    wall: float  # seconds
    rss_mb: float  # peak resident set size, MiB
    rc: int
    stdout: bytes
    stderr: bytes
    cpu: float = float("nan")  # user + system seconds: what other load on the machine barely changes

    def check(self, what: str) -> "Sample":
        if self.rc != 0:
            raise RuntimeError(f"{what} exited {self.rc}: {self.stderr.decode(errors='replace').strip()[-600:]}")
        return self


GNU_TIME = "/usr/bin/time"
# argv: RESULT_FILE CMD...; spawns CMD (inheriting stdio), writes its wall time (s), CPU
# time (s) and peak RSS (KiB), so the launcher's own start-up is not counted.
_LAUNCHER = """import os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(f"{time.perf_counter() - t0}\\n{usage.ru_utime + usage.ru_stime}\\n{usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def launcher() -> str:
    return "gnu-time" if os.access(GNU_TIME, os.X_OK) else "python-launcher"


def run(cmd: list, *, stdin: bytes | None = None, env: dict | None = None, cwd=None,
        timeout: float = 600) -> Sample:
    """Run ``cmd`` with ``stdin``; stdin/stdout/stderr go through files, so no pipe
    buffering or reader thread of ours is timed."""
    cmd = [str(c) for c in cmd]
    if "/" not in cmd[0]:
        import shutil

        cmd[0] = shutil.which(cmd[0]) or cmd[0]
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile("r") as rss:
        if stdin:
            fin.write(stdin)
            fin.seek(0)
        if launcher() == "gnu-time":
            argv = [GNU_TIME, "-f", "%U %S\n%M", "-o", rss.name, *cmd]
        else:
            argv = [sys.executable, "-S", "-I", "-c", _LAUNCHER, rss.name, *cmd]
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=fin, stdout=fout, stderr=ferr, env=env, cwd=cwd,
                                start_new_session=True)
        killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, 9))
        killer.start()
        try:
            rc = proc.wait()
        finally:
            killer.cancel()
        wall = time.perf_counter() - t0
        fout.seek(0)
        ferr.seek(0)
        text = rss.read().strip().splitlines()
        peak = float(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
        cpu = float("nan")
        if launcher() == "gnu-time" and len(text) >= 2 and re.fullmatch(r"[\d.]+ [\d.]+", text[-2]):
            cpu = sum(map(float, text[-2].split()))
        elif launcher() != "gnu-time" and len(text) == 3:
            wall, cpu = float(text[0]), float(text[1])
        return Sample(wall, peak, rc, fout.read(), ferr.read(), cpu)


def median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


# -- python -X importtime ---------------------------------------------------------------

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


@dataclass
class Imports:
    modules: dict[str, int]  # module -> cumulative microseconds
    top: list[tuple[str, int]]  # outermost imports, largest cumulative first
    total_us: int
    root: dict[str, str]  # module -> the outermost import that brought it in
    parent: dict[str, str]  # module -> the module whose import imported it (absent at top level)

    def loaded(self, packages: tuple[str, ...]) -> list[str]:
        """Top-level packages of ``packages`` that were imported."""
        return sorted({m.split(".")[0] for m in self.modules if m.split(".")[0] in packages})

    def package_us(self, package: str) -> int:
        """Import time of ``package``: the largest cumulative figure among its modules
        (a namespace package such as ``google`` has no line of its own worth reading)."""
        return max((us for m, us in self.modules.items() if m.split(".")[0] == package), default=0)

    def packages(self, exclude: tuple[str, ...] = ()) -> list[tuple[str, int]]:
        """Top-level packages by import time (``package_us``), largest first."""
        names = {m.split(".")[0] for m in self.modules} - set(exclude)
        return sorted(((n, self.package_us(n)) for n in names), key=lambda kv: -kv[1])

    def brought_in_by(self, package: str) -> list[str]:
        """Outermost imports through which modules of ``package`` were imported."""
        return sorted({self.root[m].split(".")[0] for m in self.modules if m.split(".")[0] == package})


def parse_importtime(stderr: str) -> Imports:
    """Parse ``-X importtime`` output.  Lines are printed when a module finishes, children
    first, indented by depth; the outermost ones (depth 0) add up to the total."""
    modules: dict[str, int] = {}
    top: dict[str, int] = {}
    root: dict[str, str] = {}
    parent: dict[str, str] = {}
    pending: list[str] = []
    waiting: list[tuple[str, int]] = []  # finished imports whose importer has not finished yet
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        cumulative, indent, name = int(m[2]), len(m[3]), m[4]
        modules[name] = cumulative
        while waiting and waiting[-1][1] > indent:
            parent[waiting.pop()[0]] = name
        waiting.append((name, indent))
        if indent <= 1:
            top[name] = top.get(name, 0) + cumulative
            for child in pending:
                root[child] = name
            root[name] = name
            pending.clear()
        else:
            pending.append(name)
    ranked = sorted(top.items(), key=lambda kv: -kv[1])
    return Imports(modules, ranked, sum(top.values()), root, parent)
