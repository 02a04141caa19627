"""Helm 4 runs a post-renderer plugin with its stderr going to a buffer it never shows.

The one line that says what to fix must reach the operator anyway, so under a Helm 4
plugin run (``post-render.sh`` sets ``BINDERHUB_REGISTRY_HOOK_STDERR_PID`` to Helm's
pid) the hook's stderr is collected and, at exit, written to Helm's own stderr:

1. through Helm's very descriptor (``pidfd_getfd``, Linux 5.6+, where ptrace rules
   allow): the write advances Helm's offset, so Helm's later message lands after it,
   whatever ``2>`` opened;
2. else by opening ``/proc/PID/fd/2`` again: fine for a pipe, a terminal or a file
   Helm holds for appending (``2>>``, ``&>>``).  A file Helm holds at an offset
   (``2> err.txt``, ``&> log``) is the hard case: Helm writes its own error at its
   offset, over whatever was appended there.  On failure the text goes after a
   blank run of padding at Helm's offset, which Helm's message then overwrites, so
   the hook's line survives below it.

Nothing here raises: stderr is best effort, the exit code is what Helm acts on.
"""

from __future__ import annotations

import ctypes
import os
import platform
import stat
import sys
import tempfile
from collections.abc import Mapping

PID_ENV = "BINDERHUB_REGISTRY_HOOK_STDERR_PID"
# pidfd_getfd is 438 in the unified syscall table these architectures share.
_PIDFD_GETFD = 438 if platform.machine() in ("x86_64", "aarch64", "arm64", "riscv64", "ppc64le", "s390x") else None
# Room for Helm's own message ("Error: error while running post render on files: ... exited
# with error", ~200 bytes), which it writes at its offset, over the start of this padding.
PAD = 4096
O_APPEND_FLAG = 0o2000


class Relay:
    """Collect this process's stderr (fd 2) and hand it to Helm's stderr at :meth:`close`."""

    def __init__(self, pid: int):
        self.pid = pid
        self.buffer = tempfile.TemporaryFile()
        sys.stderr.flush()
        self.saved = os.dup(2)
        os.dup2(self.buffer.fileno(), 2)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Relay | None":
        value = environ.get(PID_ENV, "")
        return cls(int(value)) if value.isdigit() and int(value) > 1 else None

    def close(self, exit_code: int) -> None:
        sys.stderr.flush()
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.buffer.seek(0)
        text = self.buffer.read()
        self.buffer.close()
        if text and not deliver(self.pid, text, failed=exit_code != 0):
            os.write(2, text)  # nobody else to tell: at least our own stderr


def deliver(pid: int, text: bytes, *, failed: bool, share: bool = True) -> bool:
    """Write ``text`` to process ``pid``'s stderr; False when that is not reachable."""
    fd = _shared_descriptor(pid) if share else None
    if fd is not None:
        try:
            _write_all(fd, text)
            return True
        except OSError:
            pass
        finally:
            os.close(fd)
    path = f"/proc/{pid}/fd/2"
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
        if regular and failed and not _appending(pid):
            pos = _position(pid)
            fd = os.open(path, os.O_WRONLY)
            try:
                os.pwrite(fd, b" " * (PAD - 1) + b"\n" + text, pos)
            finally:
                os.close(fd)
            return True
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            _write_all(fd, text)
        finally:
            os.close(fd)
        return True
    except (OSError, ValueError):
        return False


def _shared_descriptor(pid: int) -> int | None:
    """A duplicate of ``pid``'s fd 2 sharing its open file description (and so its offset)."""
    if _PIDFD_GETFD is None or not hasattr(os, "pidfd_open"):
        return None
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return None
    try:
        fd = ctypes.CDLL(None, use_errno=True).syscall(_PIDFD_GETFD, pidfd, 2, 0)
        return fd if fd >= 0 else None  # EPERM under Yama ptrace_scope >= 1 and in many containers
    except (OSError, AttributeError):
        return None
    finally:
        os.close(pidfd)


def _fdinfo(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/fdinfo/2") as f:
        return dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)


def _appending(pid: int) -> bool:
    return bool(int(_fdinfo(pid)["flags"].strip(), 8) & O_APPEND_FLAG)


def _position(pid: int) -> int:
    return int(_fdinfo(pid)["pos"].strip())


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]
