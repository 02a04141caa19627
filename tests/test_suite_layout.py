"""The test suite's own layout: no test module imports another test module.

Shared fixtures are pytest plugins (tests/support/fixtures_*.py, registered in tests/conftest.py)
and shared helpers live in tests/support/.  Importing a test module instead runs it a second
time under another name and makes its fixtures and helpers part of two modules' contracts.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    """pytest's default ``python_files``: test_*.py and *_test.py."""
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last.endswith("_test")


def imports_of_test_modules(path: Path) -> list[str]:
    """Each import in ``path`` of a test module, as ``path:line: module``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            # `from tests import test_x` and `from . import test_x` name the module in the alias.
            modules = [base] + [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
        else:
            continue
        found += [(node.lineno, m) for m in modules if m and _is_test_module(m)]
    return [f"{path}:{line}: {m}" for line, m in sorted(found)]


def test_no_test_module_imports_another():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 30  # the scan found the suite
    offenders = [hit for path in files for hit in imports_of_test_modules(path)]
    assert offenders == [], "import shared fixtures and helpers from tests/support/ instead:\n" + "\n".join(offenders)


def test_the_scan_finds_each_form_of_a_test_module_import(tmp_path):
    """The check can fail: every way of importing a test module is reported, other imports are not."""
    module = tmp_path / "test_example.py"
    module.write_text(
        "import json\n"
        "from tests.support import LocalRegistry\n"
        "from tests.support.fixtures_azure import azure\n"
        "from tests.test_ecr import aws, ecr_registry  # noqa: F401\n"
        "import tests.test_kube\n"
        "from tests import test_google\n"
        "from test_harbor import block\n"
        "from . import test_dockerhub\n"
        "def f():\n"
        "    from tests.test_azure import azure_servers\n"
    )
    hits = imports_of_test_modules(module)
    assert [h.split(": ", 1)[1] for h in hits] == [
        "tests.test_ecr",
        "tests.test_kube",
        "tests.test_google",
        "test_harbor",
        "test_dockerhub",
        "tests.test_azure",
    ], hits
    assert [int(h.split(":")[-2]) for h in hits] == [4, 5, 6, 7, 8, 10]
