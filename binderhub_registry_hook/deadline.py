"""The backstop of ``registry.timeouts.total``: an alarm that ends the run, whatever it waits on.

The HTTP transport keeps to the deadline by itself (each receive is capped by the time
left).  What it cannot see, a status line trickled one byte at a time, or a cloud SDK or
the Kubernetes client that waits on its own terms, is cut off by SIGALRM: at the deadline
plus ``GRACE`` the handler raises :class:`DeadlineExceeded` in the main thread (blocking
socket calls are interrupted), and again every ``GRACE`` seconds in case something caught
it.  The grace lets the transport's own, more precise error and a failure Event go first.
Only the main thread can take signals; elsewhere (tests in threads) the transport's bound
is all there is.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Protocol

from binderhub_registry_hook.errors import DeadlineExceeded


class _Timeouts(Protocol):  # spec.Timeouts (a higher layer): what the alarm reads of it
    @property
    def total(self) -> float: ...

    def remaining(self) -> float: ...


GRACE = 2.0


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def arm(timeouts: _Timeouts) -> None:
    """End the run ``timeouts.remaining()`` (+ GRACE) seconds from now; replaces an earlier alarm."""
    if not _usable():
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise DeadlineExceeded(
            f"the run took longer than registry.timeouts.total ({timeouts.total:g}s)",
            fix="something answered too slowly; run with -v to see which step",
        )

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(timeouts.remaining(), 0.0) + GRACE, GRACE)


def disarm() -> None:
    if _usable():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
