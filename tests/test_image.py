"""The image as the Dockerfile builds it, without a Docker engine.

No Docker engine runs here, so this installs requirements/image.lock into a fresh
venv exactly as the Dockerfile does (`--require-hashes --no-deps`, then the project
with `--no-deps --no-build-isolation`), prunes it with the Dockerfile's own
scripts/image/prune.py, compiles it, runs scripts/image/check.py (what the Dockerfile's
final stage runs) and then every cloud provider's real calls against the suite's stand-ins
(moto, the Google and Azure fronts) from the pruned venv: a removal that breaks a provider
fails here as it fails the build.  The packages come from `.tools/wheels`, which
scripts/setup.sh downloads (hash-checked), so the test itself needs no network.
Installing ~60 packages takes ~40 s, so it runs only with RUN_SLOW=1 (scripts/test.sh
sets it); the checks that the Dockerfile, the prune list and the lock agree always run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from binderhub_registry_hook import __version__
from tests.support import aws as aws_support
from tests.support import google as google_support

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "image.lock"
WHEELS = ROOT / ".tools" / "wheels"  # scripts/setup.sh downloads the lock here (hash-checked)
DOCKERFILE = ROOT / "Dockerfile"
PRUNE = ROOT / "scripts" / "image" / "prune.py"
CHECK = ROOT / "scripts" / "image" / "check.py"
SLOW = pytest.mark.skipif(os.environ.get("RUN_SLOW") != "1", reason="installs ~60 packages: set RUN_SLOW=1")


def load_prune():
    spec = importlib.util.spec_from_file_location("image_prune", PRUNE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins() -> dict[str, str]:
    return dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^\s\\]+)", LOCK.read_text()))


def test_lock_is_pinned_hashed_and_compatible():
    text = LOCK.read_text()
    found = pins()
    assert found["kubernetes"].startswith("36."), "kubernetes 37 conflicts with botocore on python-dateutil"
    assert int(found["python-dateutil"].split(".")[0]) < 3
    found = {name.lower().replace("_", "-"): v for name, v in found.items()}
    for name in ("requests", "ruamel-yaml", "jsonschema", "tenacity", "boto3", "google-cloud-iam",
                 "azure-identity", "azure-mgmt-containerregistry", "setuptools"):
        assert name in found, f"{name} missing from the lock"
    # Every requirement carries hashes, nothing points at a machine-local index.
    blocks = re.split(r"(?m)^(?=[A-Za-z0-9_.-]+==)", text)[1:]
    assert len(blocks) == len(found) and all("--hash=sha256:" in b for b in blocks)
    assert "--find-links" not in text and "--index-url" not in text
    # No test-only package in the image.
    assert not {"pytest", "moto", "trustme", "kubernetes-validate"} & set(found)


def test_dockerfile_installs_the_lock_as_non_root():
    text = DOCKERFILE.read_text()
    assert "pip install --require-hashes --no-deps -r /tmp/image.lock" in text
    assert re.search(r"(?m)^USER 10001", text)
    assert 'ENTRYPOINT ["binderhub-registry-hook"]' in text
    # The base is a build argument (a mirror, or the local base scripts/cluster builds on).
    assert re.search(r"(?m)^ARG BASE=python:3\.11-slim-bookworm$", text)
    assert re.findall(r"(?m)^FROM (\S+)", text) == ["${BASE}", "${BASE}"]
    # Behind a TLS-intercepting proxy or a private index: a CA as a build secret (never in a
    # layer), the index as a build argument; the hashes stay enforced either way.
    assert "--mount=type=secret,id=pip-ca" in text and "PIP_CERT=/run/secrets/pip-ca" in text
    assert re.search(r"(?m)^ARG PIP_INDEX_URL", text)
    # The venv is pruned by the one list (pip and setuptools among it), then compiled
    # (hash-checked .pyc); the final stage runs the check, mounted from the context, not copied.
    assert "/opt/hook/bin/python /src/prune.py /opt/hook" in text
    assert "compileall -q -j 0 --invalidation-mode unchecked-hash /opt/hook/lib" in text
    order = ["prune.py /opt/hook", "find /opt/hook/lib -name __pycache__", "compileall"]
    assert [text.index(step) for step in order] == sorted(text.index(step) for step in order)
    final = text[text.rindex("FROM ${BASE}"):]
    # strip comes from binutils, installed in the build stage and left there.
    assert "apt-get install -y -qq --no-install-recommends binutils" in text[:text.rindex("FROM ${BASE}")]
    assert "apt-get" not in final
    assert "--mount=type=bind,source=scripts/image,target=/run/image-check" in final
    assert "python /run/image-check/check.py --compile" in final
    assert "COPY scripts" not in final
    assert {"pip", "setuptools"} <= set(load_prune().DISTRIBUTIONS)
    # HOME: one place in the image (the user's passwd entry), none in ENV.
    assert not re.search(r"(?m)^\s*HOME=", text) and "--home-dir /tmp" in text
    ignore = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert ignore[0] == "*" and "!binderhub_registry_hook/" in ignore and "!requirements/image.lock" in ignore
    assert "!scripts/image/" in ignore
    # The chart's default user is the image's user.
    values = (ROOT / "chart" / "values.yaml").read_text()
    assert re.search(r"(?m)^  runAsUser: 10001$", values)




# -- the prune list on a made-up site-packages (no install needed) ----------------------------


def fake_venv(tmp_path: Path, files: dict[str, str], records: dict[str, list[str]]) -> Path:
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    for dist, rows in records.items():
        (site / dist / "RECORD").parent.mkdir(parents=True, exist_ok=True)
        (site / dist / "RECORD").write_text("".join(f"{r},," + "\n" for r in [*rows, f"{dist}/RECORD"]))
    return site


def test_prune_removes_distributions_by_record_and_keeps_records_true(tmp_path):
    prune = load_prune()
    site = fake_venv(tmp_path, {
        "pip/__init__.py": "", "pip/__pycache__/__init__.cpython-311.pyc": "x", "../../../bin/pip": "#!",
        "kubernetes/__init__.py": "", "kubernetes/aio/__init__.py": "", "kubernetes/client/__init__.py": "",
    }, {
        "pip-24.0.dist-info": ["pip/__init__.py", "pip/__pycache__/__init__.cpython-311.pyc", "../../../bin/pip"],
        "kubernetes-36.0.3.dist-info": ["kubernetes/__init__.py", "kubernetes/aio/__init__.py",
                                        "kubernetes/client/__init__.py"],
    })
    freed = prune.remove_distribution(site, "pip")
    assert freed > 0 and not (site / "pip").exists() and not (site / "pip-24.0.dist-info").exists()
    assert not (site.parents[2] / "bin" / "pip").exists()
    shutil.rmtree(site / "kubernetes" / "aio")
    assert prune.fix_records(site) == 1
    record = (site / "kubernetes-36.0.3.dist-info" / "RECORD").read_text()
    assert "kubernetes/aio" not in record and "kubernetes/client/__init__.py" in record
    assert "kubernetes-36.0.3.dist-info/RECORD" in record


def test_prune_refuses_a_rule_that_matches_nothing_or_the_project(tmp_path, monkeypatch):
    prune = load_prune()
    site = fake_venv(tmp_path, {"binderhub_registry_hook/tests/x.py": "", "other/tests/y.py": ""}, {})
    with pytest.raises(SystemExit, match="would remove the project's own binderhub_registry_hook/tests"):
        prune.matches(site, "*/tests", ())
    with pytest.raises(SystemExit, match="is not installed once"):
        prune.remove_distribution(site, "aiohttp")
    monkeypatch.setattr(prune, "DISTRIBUTIONS", {})
    monkeypatch.setattr(prune, "PATHS", [("no/such/dir", "a reason", ())])
    with pytest.raises(SystemExit, match="'no/such/dir' matches nothing"):
        prune.prune(site.parents[2])


def test_prune_strips_compiled_modules_and_records_their_new_hash(tmp_path):
    """A real extension module (ruamel.yaml's libyaml binding, shipped with its symbols) loses its
    symbol tables, still imports, and its RECORD row says its new size and hash."""
    prune = load_prune()
    if shutil.which("strip") is None:
        pytest.fail("no `strip`: run scripts/setup.sh (it installs binutils)", pytrace=False)
    import _ruamel_yaml

    original = Path(_ruamel_yaml.__file__)
    site = fake_venv(tmp_path, {}, {})
    shutil.copy(original, site / original.name)
    info = site / "ruamel_yaml_clib-0.2.15.dist-info"
    info.mkdir()
    size = original.stat().st_size
    (info / "RECORD").write_text(f"{original.name},{prune.record_hash(original)},{size}\n{info.name}/RECORD,,\n")
    freed = prune.strip(site)
    assert 0 < freed < size and (site / original.name).stat().st_size == size - freed
    prune.fix_records(site)
    row = (info / "RECORD").read_text().splitlines()[0]
    assert row == f"{original.name},{prune.record_hash(site / original.name)},{size - freed}"
    proc = subprocess.run([sys.executable, "-c", "import _ruamel_yaml; print(_ruamel_yaml.__file__)"],
                          env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == str(site / original.name), proc.stderr


def test_prune_keeps_botocore_models_the_ecr_provider_and_credential_chain_load(tmp_path):
    prune = load_prune()
    names = ["ecr", "ecr-public", "s3", "sts", "sso", "sso-oidc", "signin"]
    site = fake_venv(tmp_path, {**{f"botocore/data/{n}/x/service-2.json.gz": "" for n in names},
                                "botocore/data/endpoints.json": "{}", "botocore/data/_retry.json": "{}"}, {})
    (pattern, _, keep), = [rule for rule in prune.PATHS if rule[0].startswith("botocore/data")]
    gone = {p.name for p in prune.matches(site, pattern, keep)}
    assert gone == {"ecr-public", "s3"}
    # The check makes a client of each of them, from its own list (a prune that drops one fails it).
    spec = importlib.util.spec_from_file_location("image_check", CHECK)
    assert spec and spec.loader
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert set(check.AWS_SERVICES) == set(prune.BOTOCORE_SERVICES)


# -- the pruned venv, as the Dockerfile builds it (RUN_SLOW) ----------------------------------


def run_env(tmp_path: Path, env_dir: Path, **extra: str) -> dict[str, str]:
    """A pod's environment: entrypoint on PATH, HOME=/tmp-like, every proxy closed, no bytecode written."""
    return {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1",
            "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
            **{k: v for k, v in os.environ.items() if k.startswith(("AWS_", "GCE_", "NO_GCE"))}, **extra}


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory) -> Path:
    """requirements/image.lock and the project in a fresh venv, pruned and compiled as the Dockerfile does."""
    if os.environ.get("RUN_SLOW") != "1":
        pytest.skip("installs ~60 packages: set RUN_SLOW=1")
    if not any(WHEELS.glob("*.whl")):
        pytest.fail("no .tools/wheels: run scripts/setup.sh, which downloads the lock's packages", pytrace=False)
    env_dir = tmp_path_factory.mktemp("image") / "hook"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    # Offline, from what setup downloaded: the same pins and hashes as the Dockerfile's install.
    step = subprocess.run([*pip, "install", "-q", "--no-index", "--find-links", str(WHEELS),
                           "--require-hashes", "--no-deps", "-r", str(LOCK)],
                          capture_output=True, text=True, env=env, timeout=840)
    assert step.returncode == 0, step.stderr[-2000:]
    step = subprocess.run([*pip, "install", "-q", "--no-deps", "--no-build-isolation", str(ROOT)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert step.returncode == 0, step.stderr[-2000:]
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout  # the lock is whole before the prune takes from it
    # The Dockerfile's build stage, step for step.
    step = subprocess.run([python, str(PRUNE), str(env_dir)], capture_output=True, text=True, env=env, timeout=300)
    assert step.returncode == 0, step.stderr[-2000:]
    assert "prune: in all" in step.stdout
    for cache in list((env_dir / "lib").rglob("__pycache__")):
        shutil.rmtree(cache)
    step = subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                           str(env_dir / "lib")], capture_output=True, text=True, env=env, timeout=600)
    assert step.returncode == 0, step.stdout[-2000:]
    return env_dir


@SLOW
@pytest.mark.timeout(900)
def test_pruned_venv_passes_the_image_check_and_runs_the_entrypoint(image_venv, tmp_path):
    env_dir = image_venv
    python = str(env_dir / "bin" / "python")
    site = next(env_dir.glob("lib/python3*/site-packages"))
    # What the prune took: the package managers, the asyncio client, all but five AWS models.
    assert not (env_dir / "bin" / "pip").exists() and not (site / "pip").exists() and not (site / "aiohttp").exists()
    assert not (site / "kubernetes" / "aio").exists() and (site / "kubernetes" / "client").is_dir()
    assert sorted(p.name for p in (site / "botocore" / "data").iterdir() if p.is_dir()) == sorted(
        load_prune().BOTOCORE_SERVICES)
    # Every file each remaining RECORD lists is there (importlib.metadata agrees with the disk).
    gone = subprocess.run([python, "-c", (
        "from importlib import metadata\n"
        "missing = [f'{d.metadata[\"Name\"]}: {f}' for d in metadata.distributions() for f in d.files or []"
        " if not f.locate().exists()]\n"
        "print('\\n'.join(missing))")], capture_output=True, text=True, env=run_env(tmp_path, env_dir))
    assert gone.returncode == 0 and gone.stdout.strip() == "", gone.stdout[-2000:] + gone.stderr[-2000:]

    # The final stage's check, as the Dockerfile runs it (bytecode is all there: nothing to compile).
    proc = subprocess.run([python, str(CHECK)], capture_output=True, text=True, env=run_env(tmp_path, env_dir),
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"check: \d+ imports named by the hook, \d+ modules with bytecode \(0 compiled now\)", proc.stdout)

    entry = str(env_dir / "bin" / "binderhub-registry-hook")
    version = subprocess.run([entry, "--version"], capture_output=True, text=True, env=run_env(tmp_path, env_dir),
                             cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"binderhub-registry-hook {__version__}"
    # The hook is the installed one, not the work tree's.
    proc = subprocess.run([python, "-c", "import binderhub_registry_hook as m; print(m.__file__)"],
                          capture_output=True, text=True, env=run_env(tmp_path, env_dir), cwd=tmp_path)
    assert proc.returncode == 0 and str(env_dir) in proc.stdout
    # A bad invocation is one line and exit 2, as in the Job's log.
    proc = subprocess.run([entry, "validate", "-f", str(tmp_path / "missing.yaml")], capture_output=True,
                          text=True, env=run_env(tmp_path, env_dir), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: invalid input:")


@SLOW
@pytest.mark.parametrize("away, words", [
    ("botocore/data/sts", "Unknown service: 'sts'"),
    ("google/cloud/iam_admin_v1", "cannot import name 'iam_admin_v1' from 'google.cloud'"),
    ("kubernetes/client/models", "No module named 'kubernetes.client.models'"),
])
def test_the_image_check_fails_when_a_provider_loses_a_file_it_needs(image_venv, tmp_path, away, words):
    """The check can fail: a removal too many (an AWS model, an SDK module) fails it, naming what is missing."""
    site = next(image_venv.glob("lib/python3*/site-packages"))
    moved = tmp_path / "moved"
    shutil.move(site / away, moved)
    try:
        proc = subprocess.run([str(image_venv / "bin" / "python"), str(CHECK)], capture_output=True, text=True,
                              env=run_env(tmp_path, image_venv), cwd=tmp_path, timeout=300)
    finally:
        shutil.move(moved, site / away)
    assert proc.returncode != 0 and words in proc.stderr, proc.stderr[-2000:]


# The console script, with an audit hook that reports every source file compiled (a module
# imported without bytecode on disk: on a read-only root file system that is every start).
RUN_RECORDING_COMPILES = """
import atexit, runpy, sys
compiled = []
sys.addaudithook(lambda event, args: compiled.append(args[1]) if event == "compile"
                 and isinstance(args[1], str) and args[1].endswith(".py") else None)
atexit.register(lambda: print("compiled from source:", *compiled, file=sys.stderr))
sys.argv = ["binderhub-registry-hook", *sys.argv[1:]]
runpy.run_module("binderhub_registry_hook", run_name="__main__")
"""


def validate(image_venv, tmp_path, values, credentials=None, **env):
    """`binderhub-registry-hook validate` from the pruned venv; asserts it compiled none of the venv's modules."""
    argv = [str(image_venv / "bin" / "python"), "-c", RUN_RECORDING_COMPILES, "validate", "-f", str(values)]
    argv += ["--credentials", str(credentials)] if credentials else []
    proc = subprocess.run(argv, capture_output=True, text=True, env=run_env(tmp_path, image_venv, **env),
                          cwd=tmp_path, timeout=120)
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("compiled from source:")]
    assert str(image_venv) not in line, line
    return proc


@SLOW
def test_pruned_venv_validates_a_registry(image_venv, tmp_path, htpasswd_registry):
    reg = htpasswd_registry
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url,
                                               "imagePrefix": f"{reg.host}/binder/prod-"}}))
    proc = validate(image_venv, tmp_path, values, REGISTRY_USERNAME="alice", REGISTRY_PASSWORD=reg.users["alice"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok: alice on {reg.host}: push and pull verified")


@SLOW
def test_pruned_venv_provisions_ecr(image_venv, tmp_path, aws, ecr_registry):
    """botocore with its five kept models: STS, then ECR's template and repository calls, against moto."""
    values = aws_support.write_values(tmp_path, ecr_registry)  # mode: provision
    proc = validate(image_venv, tmp_path, values, AWS_ENDPOINT_URL=aws.url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok: AWS on {ecr_registry.host}: push and pull verified")
    assert [op for op, *_ in aws.calls if op.startswith("Create")] == ["CreateRepositoryCreationTemplate",
                                                                       "CreateRepository"]


@SLOW
def test_pruned_venv_provisions_google(image_venv, tmp_path, cloud, google_registry):
    """IAM Admin over gRPC and Artifact Registry over REST, from the API versions the prune kept."""
    values, creds = google_support.provision_setup(cloud, tmp_path, google_registry)
    proc = validate(image_venv, tmp_path, values, creds)
    assert proc.returncode == 0, proc.stderr
    assert "push and pull verified" in proc.stdout
    assert cloud.count("CreateServiceAccount") == 1 and cloud.count("CreateServiceAccountKey") == 1


@SLOW
def test_pruned_venv_provisions_azure(image_venv, tmp_path, azure):
    """azure-identity and the management client without their asyncio halves."""
    sp = azure.service_principal(role=None, contributor=True)
    creds = azure.creds_file(clientId=sp.client_id, clientSecret=sp.secret)
    proc = validate(image_venv, tmp_path, azure.values(mode="provision", passwordExpiryDays=90), creds)
    assert proc.returncode == 0, proc.stderr
    assert "push and pull verified" in proc.stdout
    assert [q["method"] for q in azure.arm.requests if q["method"] != "GET"] == ["PUT", "PUT", "POST"]
