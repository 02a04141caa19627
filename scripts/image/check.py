"""The image's own check, run inside the final file system by the Dockerfile (a failure fails the
build) and by tests/test_image.py on its venv, both after scripts/image/prune.py.

    /opt/hook/bin/python scripts/image/check.py [--compile]

1. Imports every module of the hook, and every module that any of its files names in an import
   statement, those inside functions too (each provider's SDK, the Kubernetes client): nothing
   prune.py removed may be among them.
2. Makes, offline, a client of each AWS service the hook may call: those the ECR provider
   creates (ecr, sts) and those botocore's credential chain creates (their models must stay).
3. Runs `validate` and `apply` once each, in this process, against closed ports on 127.0.0.1
   (what the hot path imports only at run time: reading values, the transport, the Kubernetes
   client's configuration and request, the errors' wording), then `--help` of the entrypoint
   and of every command through the console script.
4. With --compile: writes the bytecode (unchecked-hash .pyc, as the venv's) of every module so
   imported that has none. python:3.11-slim ships its standard library without .pyc files: on
   the chart's read-only root file system every start would compile those modules again.
5. Fails when a module imported above has no bytecode on disk.

Standard library only at the top: it runs with the venv's own Python.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import importlib.util
import io
import json
import os
import pkgutil
import py_compile
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "binderhub_registry_hook"
COMMAND = "binderhub-registry-hook"
# What needs a botocore model, stated here on its own (not read from prune.py, so a prune that
# drops one fails this check): the ECR provider's clients, and those botocore's credential
# chain creates (web identity and AssumeRole: sts; an SSO profile: sso, sso-oidc; login: signin).
AWS_SERVICES = ("ecr", "sts", "sso", "sso-oidc", "signin")
EXIT_UNREACHABLE = 4  # errors.Unreachable
EXIT_CLUSTER = 5  # errors.ClusterError


def named_imports(path: Path) -> tuple[set[str], set[str]]:
    """Absolute module names a source file imports anywhere but under `if TYPE_CHECKING:`: the
    modules themselves, and the names of `from X import name` (a submodule or an attribute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    modules: set[str] = set()
    members: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            members.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules, members


def import_everything() -> int:
    """Imports the hook's modules and what they name; returns how many names were imported."""
    package = importlib.import_module(PACKAGE)
    own = [PACKAGE] + [
        m.name for m in pkgutil.walk_packages(package.__path__, PACKAGE + ".") if not m.name.endswith(".__main__")
    ]
    modules: set[str] = set()
    members: set[str] = set()
    for name in own:
        found = named_imports(Path(importlib.import_module(name).__file__ or ""))
        modules |= found[0]
        members |= found[1]
    for name in sorted(modules):
        importlib.import_module(name)
    for name in sorted(members - modules):
        parent = sys.modules[name.rpartition(".")[0]]
        if hasattr(parent, "__path__") and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)  # `from package import submodule`
            modules.add(name)
    return len(modules)


def aws_clients() -> None:
    import boto3

    session = boto3.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret", region_name="us-east-1"
    )
    for service in AWS_SERVICES:
        session.client(service)


CLOSED = "127.0.0.1:9"  # nothing listens there: every run below ends in "cannot connect"
KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters: [{{name: closed, cluster: {{server: "https://{CLOSED}", insecure-skip-tls-verify: true}}}}]
users: [{{name: check, user: {{token: not-a-secret}}}}]
contexts: [{{name: check, context: {{cluster: closed, user: check, namespace: default}}}}]
current-context: check
"""


def offline_runs(work: Path) -> None:
    """`validate` against a closed registry port, `apply` against a closed API server port."""
    from binderhub_registry_hook import cli

    registry = {"type": "generic", "url": f"http://{CLOSED}", "imagePrefix": f"{CLOSED}/binder/check-"}
    values = work / "values.json"
    values.write_text(json.dumps({"registry": {**registry, "timeouts": {"retryFor": 0, "connect": 1}}}))
    credentials = work / "credentials.json"
    credentials.write_text(json.dumps({"username": "check", "password": "not-a-secret"}))
    kubeconfig = work / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG)
    common = ["-f", str(values), "--credentials", str(credentials)]
    for argv, exit_code, words in [
        (["validate", *common], EXIT_UNREACHABLE, "cannot connect"),
        (["apply", *common, "--kubeconfig", str(kubeconfig)], EXIT_CLUSTER, "kubernetes: cannot get secrets"),
    ]:
        out = io.StringIO()
        with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
            code = cli.main(argv)
        if code != exit_code or words not in out.getvalue():
            raise SystemExit(f"check: {argv[0]} offline: exit {code}, not {exit_code} ({words}): {out.getvalue()}")


def commands() -> list[str]:
    from binderhub_registry_hook import cli

    (sub,) = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


def helps(work: Path) -> int:
    entry = Path(sys.executable).parent / COMMAND
    runs = [["--help"], ["--version"]] + [[c, "--help"] for c in commands()]
    for argv in runs:
        proc = subprocess.run([str(entry), *argv], capture_output=True, text=True, cwd=work, timeout=120)
        if proc.returncode != 0 or not proc.stdout.startswith(("usage: ", COMMAND)):
            raise SystemExit(f"check: {COMMAND} {' '.join(argv)}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return len(runs)


def sources() -> list[tuple[str, Path]]:
    """(name, source file) of every imported module that has one (but this check's own)."""
    here = Path(__file__).resolve().parent
    found = []
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        if spec is not None and getattr(spec, "has_location", False) and origin and origin.endswith(".py"):
            if Path(origin).resolve().parent != here:
                found.append((name, Path(origin)))
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compile", action="store_true", help="write the missing bytecode of imported modules")
    args = parser.parse_args(argv)
    sys.dont_write_bytecode = True  # only --compile writes bytecode, never an import here
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        named = import_everything()
        aws_clients()
        offline_runs(work)
        ran = helps(work)
    compiled = 0
    missing = []
    for name, source in sources():
        cached = Path(importlib.util.cache_from_source(str(source)))
        if cached.exists():
            continue
        if args.compile:
            py_compile.compile(
                str(source),
                cfile=str(cached),
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            compiled += 1
        else:
            missing.append(f"{name} ({source})")
    if missing:
        raise SystemExit(f"check: {len(missing)} imported modules have no bytecode: {', '.join(sorted(missing)[:20])}")
    total = len(sources())
    print(
        f"check: {named} imports named by the hook, {total} modules with bytecode ({compiled} compiled now), "
        f"AWS clients {', '.join(AWS_SERVICES)}, validate and apply offline, {ran} --help/--version runs: ok"
    )
    return 0


if __name__ == "__main__":
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # the --help runs write nothing either
    sys.exit(main(sys.argv[1:]))
