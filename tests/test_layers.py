"""The import-layer contract (pyproject.toml, [tool.importlinter]): model <- providers <- sinks
<- cli, each provider on its own, cloud SDKs only in their provider.  Checked with import-linter."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(config: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([exe, "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_the_package_keeps_its_layers():
    proc = lint_imports(ROOT / "pyproject.toml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The check can fail: with the model above the CLI, the real imports break it."""
    text = (ROOT / "pyproject.toml").read_text()
    upside_down = re.sub(r'"binderhub_registry_hook\.cli",\n(.*?)"binderhub_registry_hook\.errors \| '
                         r'binderhub_registry_hook\.secrets",',
                         lambda m: '"binderhub_registry_hook.errors | binderhub_registry_hook.secrets",\n'
                                   + m[1] + '"binderhub_registry_hook.cli",', text, flags=re.S)
    assert upside_down != text
    config = tmp_path / "pyproject.toml"
    config.write_text(upside_down)
    proc = lint_imports(config)
    assert proc.returncode != 0 and "BROKEN" in proc.stdout
