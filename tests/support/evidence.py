"""Measurements for tests/RELIABILITY.md.

Reliability tests call ``record(...)`` for each case; with ``RELIABILITY_EVIDENCE=PATH``
set, one JSON line per case is appended to PATH (otherwise nothing is written), and
``python -m tests.support.evidence PATH`` prints them as Markdown tables.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import defaultdict

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


def _summary(rows: list[dict]) -> str:
    by_class: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_class[row["class"]].append(row)
    out = ["| class | cases | outcomes | slowest / its bound (s) |", "|---|---|---|---|"]
    for klass, items in by_class.items():
        outcomes: dict[str, int] = defaultdict(int)
        for r in items:
            outcomes[r["outcome"].split(",")[0].split(" (")[0]] += 1
        timed = [r for r in items if r["seconds"] is not None]
        slow = max(timed, key=lambda r: r["seconds"]) if timed else None
        out.append(f"| {klass} | {len(items)} | {', '.join(f'{k}: {v}' for k, v in outcomes.items())} | "
                   + (f"{slow['seconds']} / {slow['bound']}" if slow else "-") + " |")
    return "\n".join(out)


def _detail(rows: list[dict]) -> str:
    out = ["| class | case | outcome | seconds | bound | message |", "|---|---|---|---|---|---|"]
    for r in rows:
        msg = (r.get("message") or "").replace("|", "\\|")
        leaks = f", leaks {r['leaks']}" if "leaks" in r else ""
        leaks += f", peak {r['peak_mb']} MB" if "peak_mb" in r else ""
        out.append(f"| {r['class']} | {r['case']} | {r['outcome']}{leaks} | {r['seconds'] if r['seconds'] is not None else '-'} "
                   f"| {r['bound'] if r['bound'] is not None else '-'} | {msg} |")
    return "\n".join(out)


if __name__ == "__main__":
    rows = [json.loads(line) for line in open(sys.argv[1])]
    print(_summary(rows) + "\n\n" + _detail(rows))
