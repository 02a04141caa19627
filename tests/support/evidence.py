"""Measurements for tests/RELIABILITY.md.

Reliability tests call ``record(...)`` for each case; with ``RELIABILITY_EVIDENCE=PATH``
set, one JSON line per case is appended to PATH (otherwise nothing is written), and
``scripts/reliability-table.py PATH`` turns them into the table.
"""

from __future__ import annotations

import json
import os
import threading

_lock = threading.Lock()


def record(klass: str, case: str, outcome: str, elapsed: float | None = None, bound: float | None = None,
           **extra) -> None:
    path = os.environ.get("RELIABILITY_EVIDENCE")
    if not path:
        return
    row = {"class": klass, "case": case, "outcome": outcome,
           "seconds": None if elapsed is None else round(elapsed, 2), "bound": bound, **extra}
    with _lock, open(path, "a") as f:
        f.write(json.dumps(row) + "\n")
