"""Start-up costs that a test can hold: the cyclic collector stays off for a run (and on after it)."""

from __future__ import annotations

import json
import subprocess
import sys

_RUN = """import gc, json, sys
from binderhub_registry_hook.cli import main
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "collections": len(collections), "enabled": gc.isenabled()}))
"""


def test_a_run_spends_no_time_in_the_cyclic_collector_and_restores_it(tmp_path):
    values = tmp_path / "values.json"
    # Invalid, so the run imports the schema library to word the error: thousands of allocations.
    values.write_text(json.dumps({"registry": {"type": "generic", "url": "http://127.0.0.1:1",
                                               "imagePrefix": "127.0.0.1:1/b/p-", "mode": "create"}}))
    proc = subprocess.run([sys.executable, "-c", _RUN, "validate", "-f", str(values)], capture_output=True,
                          text=True, timeout=60)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"rc": 2, "collections": 0, "enabled": True}, proc.stderr
    assert "registry.mode" in proc.stderr


_EXIT = """import atexit, gc, sys
# Registered first, so it runs last among the atexit handlers: after run() has returned to exit.
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, flush=True))
from binderhub_registry_hook.cli import run
run()
"""


def test_the_console_script_exits_without_a_last_walk_over_every_object(tmp_path):
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": {"type": "quay"}}))
    proc = subprocess.run([sys.executable, "-c", _EXIT, "validate", "-f", str(values)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "frozen True"
    assert proc.stderr.startswith("error: invalid value: registry.")
