"""The README's first command runs ``scripts/demo.py`` after set-up: it must keep working.

It starts its own registry on 127.0.0.1 (stopped when it ends), renders with real Helm 3 and 4,
pushes with skopeo and shows the hook's one line for a wrong password.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_every_step_and_shows_the_hooks_line():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py")], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "Helm 4 rendered the same config.json as Helm 3: True" in out
    assert ": ok" in out.split("skopeo copy", 1)[1]
    assert "exit 1: error: credentials rejected:" in out
    assert "Traceback" not in out + proc.stderr
