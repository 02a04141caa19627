"""What the image leaves out of its venv, and why: the one list, used by the Dockerfile and by
tests/test_image.py.

    python scripts/image/prune.py VENV      # remove, then print what went (MiB) and why

Only what the hook never uses goes: package managers, the asyncio copies of the clients (the
hook is synchronous; Google's clients import aiohttp only to offer an asyncio transport when
it is installed), botocore's models of AWS services the hook never calls, Google API versions
the hook never imports, tests and type stubs shipped in wheels; and the compiled modules lose
their symbol tables and debug information (binutils' strip). The project's own files are
never touched.  A whole distribution goes with everything its RECORD lists (its dist-info
too); every other RECORD is rewritten to match the disk (rows of removed files dropped, new
hash and size of stripped files), so `importlib.metadata` agrees with it.  A rule that matches nothing fails the
run: a lock upgrade that moves a package must be looked at, not silently kept.
``scripts/image/check.py`` proves what is left still works (imports, clients, --help).

Standard library only: it runs with the venv's own Python in the build stage.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

# kubernetes.aio needs it; Google's API clients import it only to offer their asyncio REST
# transport when it is there (try/except ImportError: without it google's import is ~0.2 s faster).
ASYNC = "the asyncio HTTP client: the hook's clients are synchronous (REST, gRPC)"

PROJECT = "binderhub_registry_hook"  # never pruned

RSA = (
    "imported only by google-auth's _python_rsa, after `import rsa`, which is not installed "
    "(google-auth signs with cryptography)"
)

# Whole distributions (by their dist-info name), removed by their RECORD.
DISTRIBUTIONS = {
    "pip": "a package manager: nothing in the image installs at run time",
    "setuptools": "the project's build backend: used by the build stage only",
    "aiohttp": ASYNC,
    "aiohappyeyeballs": ASYNC + " (an aiohttp dependency)",
    "aiosignal": ASYNC + " (an aiohttp dependency)",
    "frozenlist": ASYNC + " (an aiohttp dependency)",
    "multidict": ASYNC + " (an aiohttp and yarl dependency)",
    "propcache": ASYNC + " (a yarl dependency)",
    "yarl": ASYNC + " (an aiohttp dependency)",
    "pyasn1": RSA,
    "pyasn1-modules": RSA,
    "pycparser": "cffi's C parser, for building bindings (ffi.cdef); nothing builds any at run time",
}

# AWS services whose botocore models stay: the two the ECR provider calls, and the ones
# botocore's default credential chain creates clients for (web identity and AssumeRole: sts;
# an SSO profile: sso, sso-oidc; a `login` profile: signin).
BOTOCORE_SERVICES = ("ecr", "sts", "sso", "sso-oidc", "signin")

# (glob under site-packages, reason). A rule with `keep` removes what it matches but those names.
PATHS: list[tuple[str, str, tuple[str, ...]]] = [
    ("kubernetes/aio", "the asyncio copy of the Kubernetes client (aiohttp); kube.py uses the synchronous one", ()),
    (
        "botocore/data/*",
        "models of the ~440 AWS services the hook never calls (the ECR provider makes ecr and sts clients)",
        (*BOTOCORE_SERVICES, "*.json"),
    ),
    ("boto3/data", "boto3 resource models (S3, EC2, ...): loaded by Session.resource(), the hook makes clients", ()),
    ("google/cloud/artifactregistry_v1beta2", "an older API: the google provider imports artifactregistry_v1", ()),
    ("google/cloud/iam", "IAM v2 deny policies (imports iam_v2): the provider imports iam_admin_v1", ()),
    ("google/cloud/iam_v2", "IAM v2 deny policies: the provider imports iam_admin_v1", ()),
    ("google/cloud/iam_v2beta", "IAM v2beta: the provider imports iam_admin_v1", ()),
    ("google/cloud/iam_v3", "IAM v3 principal access boundaries: the provider imports iam_admin_v1", ()),
    ("google/cloud/iam_v3beta", "IAM v3beta: the provider imports iam_admin_v1", ()),
    ("google/cloud/iam_credentials", "IAM Credentials (imports iam_credentials_v1): not imported", ()),
    ("google/cloud/iam_credentials_v1", "IAM Credentials (signBlob, generateAccessToken): not imported", ()),
    ("azure/identity/aio", "asyncio credentials (aiohttp): the azure provider uses the synchronous ones", ()),
    ("azure/mgmt/containerregistry/aio", "the asyncio management client: the azure provider uses the sync one", ()),
    ("google/auth/aio", "google-auth's asyncio transport (aiohttp): the google provider uses requests", ()),
    ("cffi", "cffi's Python package (FFI builder): bindings load _cffi_backend, which stays", ()),
    ("*/tests", "test suites shipped inside wheels (jsonschema, referencing, certifi, websocket, ...)", ()),
    ("**/*.pyi", "type stubs: read by type checkers, never imported", ()),
]


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if len(found) != 1:
        raise SystemExit(f"prune: expected one site-packages under {venv}, found {len(found)}")
    return found[0]


def size(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def dist_info(site: Path, name: str) -> Path:
    """The dist-info directory of distribution `name` (normalized as in wheel file names)."""
    norm = name.lower().replace("-", "_").replace(".", "_")
    found = [d for d in site.glob("*.dist-info") if d.name.removesuffix(".dist-info").rsplit("-", 1)[0].lower() == norm]
    if len(found) != 1:
        raise SystemExit(f"prune: distribution {name!r} is not installed once in {site} (a lock change?)")
    return found[0]


def record_rows(record: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(record.read_text(encoding="utf-8"))))


def remove_distribution(site: Path, name: str) -> int:
    """Every file the distribution's RECORD lists (console scripts in bin/ too), then empty dirs."""
    info = dist_info(site, name)
    venv = site.parents[2]
    freed, dirs = 0, set()
    for row in record_rows(info / "RECORD"):
        target = (site / row[0]).resolve()
        if not target.is_relative_to(venv.resolve()):
            raise SystemExit(f"prune: {info.name}/RECORD points outside the venv: {row[0]}")
        if target.is_file() or target.is_symlink():
            freed += target.lstat().st_size
            target.unlink()
            dirs.add(target.parent)
    for d in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
        while d != site and d.is_relative_to(site) and d.exists() and not any(d.iterdir()):
            d.rmdir()
            d = d.parent
    if info.exists():
        freed += size(info)
        shutil.rmtree(info)
    return freed


def matches(site: Path, pattern: str, keep: tuple[str, ...]) -> list[Path]:
    found = [p for p in sorted(site.glob(pattern)) if not any(p.match(k) for k in keep)]
    own = [p for p in found if p.relative_to(site).parts[0].startswith(PROJECT)]
    if own:
        raise SystemExit(f"prune: {pattern!r} would remove the project's own {own[0].relative_to(site)}")
    return found


def strip(site: Path) -> int:
    """binutils' `strip --strip-unneeded` (what Debian does to every shared library it ships) over
    the wheels' compiled modules: their symbol tables and debug information are never run."""
    elf = [p for p in sorted(site.rglob("*.so*")) if p.is_file() and p.read_bytes()[:4] == b"\x7fELF"]
    if not elf:
        return 0
    if shutil.which("strip") is None:
        raise SystemExit("prune: `strip` not found: install binutils (the Dockerfile's build stage does)")
    before = sum(p.stat().st_size for p in elf)
    subprocess.run(["strip", "--strip-unneeded", *map(str, elf)], check=True)
    return before - sum(p.stat().st_size for p in elf)


def record_hash(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def fix_records(site: Path) -> int:
    """Every RECORD as the disk now is: rows of removed files dropped, hash and size of changed
    (stripped) files updated; returns how many rows went."""
    dropped = 0
    for record in site.glob("*.dist-info/RECORD"):
        rows = record_rows(record)
        kept = [r for r in rows if r and (r[0].endswith(".dist-info/RECORD") or (site / r[0]).exists())]
        changed = False
        for row in kept:
            if len(row) == 3 and row[2] and int(row[2]) != (site / row[0]).stat().st_size:
                row[1:] = [record_hash(site / row[0]), str((site / row[0]).stat().st_size)]
                changed = True
        if changed or len(kept) != len(rows):
            dropped += len(rows) - len(kept)
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(kept)
            record.write_text(out.getvalue(), encoding="utf-8")
    return dropped


def prune(venv: Path) -> list[tuple[str, int, str]]:
    """Apply the list to `venv`; returns (what, bytes freed, reason) per rule."""
    site = site_packages(venv)
    done: list[tuple[str, int, str]] = []
    for name, reason in DISTRIBUTIONS.items():
        done.append((f"{name} (distribution)", remove_distribution(site, name), reason))
    for pattern, reason, keep in PATHS:
        found = matches(site, pattern, keep)
        if not found:
            raise SystemExit(f"prune: {pattern!r} matches nothing in {site} (a lock change? update this list)")
        freed = 0
        for path in found:
            freed += size(path)
            remove(path)
        done.append((pattern + (f" (but {', '.join(keep)})" if keep else ""), freed, reason))
    done.append(("**/*.so (strip --strip-unneeded)", strip(site), "symbol tables and debug information"))
    fix_records(site)
    return done


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    done = prune(Path(argv[0]))
    width = max(len(what) for what, _, _ in done)
    for what, freed, reason in done:
        print(f"prune: {what:<{width}} {freed / 2**20:6.1f} MiB  {reason}")
    print(f"prune: {'in all':<{width}} {sum(f for _, f, _ in done) / 2**20:6.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
