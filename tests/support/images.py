"""A tiny OCI image, a docker config.json writer, and skopeo wrappers.

The image is built with the standard library only and is byte-for-byte
deterministic (fixed tar metadata, gzip mtime 0), so digests are stable.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

SKOPEO_BIN = shutil.which("skopeo") or "/usr/bin/skopeo"

MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"


@dataclass(frozen=True)
class OciImage:
    path: Path  # the OCI layout directory
    tag: str
    manifest_digest: str
    config_digest: str
    layer_digest: str

    @property
    def ref(self) -> str:
        """skopeo source reference, e.g. oci:/tmp/x/image:latest."""
        return f"oci:{self.path}:{self.tag}"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer_tar(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def build_oci_layout(dest: Path, *, tag: str = "latest", files: dict[str, bytes] | None = None) -> OciImage:
    """Write an OCI image layout (one layer) to `dest` and describe it."""
    files = files if files is not None else {"hello.txt": b"hello from binderhub-registry-hook tests\n"}
    tar = _layer_tar(files)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, filename="", compresslevel=6) as f:
        f.write(tar)
    layer = gz.getvalue()
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [_digest(tar)]},
    }, sort_keys=True).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "digest": _digest(config), "size": len(config)},
        "layers": [{"mediaType": LAYER_TYPE, "digest": _digest(layer), "size": len(layer)}],
    }, sort_keys=True).encode()
    index = {
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": MANIFEST_TYPE,
            "digest": _digest(manifest),
            "size": len(manifest),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    }
    blobs = Path(dest) / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    for blob in (layer, config, manifest):
        (blobs / _digest(blob).split(":", 1)[1]).write_bytes(blob)
    (Path(dest) / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    (Path(dest) / "index.json").write_text(json.dumps(index, sort_keys=True))
    return OciImage(Path(dest), tag, _digest(manifest), _digest(config), _digest(layer))


def write_authfile(path: Path, auths: dict[str, tuple[str, str]]) -> Path:
    """Write a docker config.json: {"auths": {HOST: {"auth": base64(user:pass)}}}."""
    data = {
        "auths": {
            host: {"auth": base64.b64encode(f"{user}:{password}".encode()).decode()}
            for host, (user, password) in auths.items()
        }
    }
    Path(path).write_text(json.dumps(data, indent=2))
    Path(path).chmod(0o600)
    return Path(path)


def _docker_ref(ref: str) -> str:
    return ref if ref.startswith("docker://") else "docker://" + ref


def _tls_args(prefix: str, tls_verify: bool | None, cert_dir: Path | None) -> list[str]:
    args = []
    if cert_dir is not None:
        args.append(f"--{prefix}cert-dir={cert_dir}")
    if tls_verify is None:
        # Plain-HTTP registries need tls-verify=false: skopeo only falls back
        # to http:// then.
        tls_verify = cert_dir is not None
    args.append(f"--{prefix}tls-verify={'true' if tls_verify else 'false'}")
    return args


def _auth_args(prefix: str, authfile: Path | None) -> list[str]:
    # Without an authfile, send no credentials at all rather than whatever
    # ~/.docker/config.json of the machine holds.
    return [f"--{prefix}authfile={authfile}"] if authfile else [f"--{prefix}no-creds"]


def skopeo_push(
    authfile: Path | None,
    dest_ref: str,
    *,
    image: OciImage,
    tls_verify: bool | None = None,
    cert_dir: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """`skopeo copy oci:IMAGE docker://DEST` with the given docker config.json.

    tls_verify defaults to True when cert_dir is given, else False (plain HTTP).
    Returns the CompletedProcess (text stdout/stderr); does not raise on failure.
    """
    cmd = [
        SKOPEO_BIN, "copy", "--retry-times=0",
        *_auth_args("dest-", authfile), *_tls_args("dest-", tls_verify, cert_dir),
        image.ref, _docker_ref(dest_ref),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def skopeo_inspect(
    authfile: Path | None,
    ref: str,
    *,
    raw: bool = False,
    tls_verify: bool | None = None,
    cert_dir: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """`skopeo inspect [--raw] docker://REF` (a pull check)."""
    cmd = [
        SKOPEO_BIN, "inspect", *(["--raw"] if raw else []),
        *_auth_args("", authfile), *_tls_args("", tls_verify, cert_dir),
        _docker_ref(ref),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
