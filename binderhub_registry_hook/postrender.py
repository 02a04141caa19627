"""Helm post-renderer: write the outputs into the BinderHub chart's own objects.

Helm hands the rendered manifests on stdin and installs what comes out on stdout.
Three documents of the BinderHub chart are rewritten:

* ``binder-build-docker-config``: in ``data.config.json`` the entry of the registry the
  hook proved replaces the chart's; every other key and every other registry's entry
  (the chart merges ``config.BinderHub.buildDockerConfig`` there) is kept;
* ``binder-secret``: in ``stringData.values.yaml``, ``config.BinderHub.image_prefix``
  and ``config.DockerRegistry.*`` become the hook's settings;
* the ``binder`` Deployment: its pod template gets the annotation
  ``binderhub-registry-hook/checksum``, a digest of what was written to the two Secrets;
  with ``registry.tls.caBundle`` also a mount of ``ca-certificates.crt`` (public CAs plus
  the registry's) over the system bundle, the only file BinderHub's libcurl client reads
  (``binder-build-docker-config`` then carries that file and ``ca.crt`` too).
  BinderHub reads its docker config only at start, and the chart's own
  ``checksum/config`` is computed before post-rendering, so this annotation is what
  restarts BinderHub when (and only when) the written credentials or settings change.

Every other document comes out byte-for-byte as it went in: the stream is cut at
document separators and only candidates are parsed at all.  The Deployment gets one
added line; the Secrets are dumped again by round-trip YAML.  Helm 4 adds a
``postrenderer.helm.sh/postrender-filename`` annotation to each document; it is kept.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from dataclasses import dataclass
from typing import Any

from binderhub_registry_hook.dockerconfig import CA_BUNDLE, CONFIG_JSON, SYSTEM_BUNDLE, Outputs, merge_config
from binderhub_registry_hook.errors import InputError
from binderhub_registry_hook.lifecycle import CHECKSUM as RESTART_ANNOTATION

DOCKER_CONFIG_SECRET = "binder-build-docker-config"
SETTINGS_SECRET = "binder-secret"
BINDER_DEPLOYMENT = "binder"
VALUES_KEY = "values.yaml"

_SEPARATOR = re.compile(r"(?m)^(?=---(?:[ \t]+#.*|[ \t]*)$)")


@dataclass
class Rewrite:
    documents: int
    patched: list[str]
    checksum: str = ""  # the Deployment's annotation: a digest of what was written, no secret


def split(stream: str) -> list[str]:
    """Cut at ``---`` lines; ``"".join(split(s)) == s`` always holds."""
    return [c for c in _SEPARATOR.split(stream) if c]


def _rt_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long lines
    return yaml


def _head_and_body(chunk: str) -> tuple[str, str]:
    if chunk.startswith("---"):
        head, _, body = chunk.partition("\n")
        return head + "\n", body
    return "", chunk


class _Stream:
    """The stream's chunks; documents of one kind and name are parsed on demand."""

    def __init__(self, stream: str):
        self.chunks = split(stream)
        self.yaml: Any = None  # a round-trip YAML, made on the first candidate

    def find(self, kind: str, name: str):
        """Yield (index, head, body, parsed document) of each ``kind`` called ``name``."""
        # A cheap test first, so a 10,000-document stream is not parsed document by document:
        # `name: NAME` as a key of its own (block or flow style, quoted or not) and the kind somewhere.
        named = re.compile(rf"""(?m)(?:^|[\s{{,])name:[ \t]*["']?{re.escape(name)}["']?(?=[\s,}}#]|$)""")
        for i, chunk in enumerate(self.chunks):
            if kind not in chunk or not named.search(chunk):
                continue
            head, body = _head_and_body(chunk)
            self.yaml = self.yaml or _rt_yaml()
            try:
                doc = self.yaml.load(body)
            except Exception:  # not our document if it does not parse; leave it alone
                continue
            if (
                isinstance(doc, dict)
                and doc.get("kind") == kind
                and isinstance(doc.get("metadata"), dict)
                and doc["metadata"].get("name") == name
            ):
                yield i, head, body, doc

    def replace(self, i: int, head: str, body: str, doc) -> None:
        out = io.StringIO()
        self.yaml.dump(doc, out)
        self.set_body(i, head, body, out.getvalue())

    def set_body(self, i: int, head: str, body: str, text: str) -> None:
        # Keep the chunk's trailing blank lines so the next separator stays where it was.
        trailing = body[len(body.rstrip("\n")) :]
        self.chunks[i] = head + text.rstrip("\n") + (trailing or "\n")


def rewrite(
    stream: str,
    outputs: Outputs,
    *,
    docker_config_secret: str = DOCKER_CONFIG_SECRET,
    settings_secret: str = SETTINGS_SECRET,
    binder_deployment: str = BINDER_DEPLOYMENT,
) -> tuple[str, Rewrite]:
    """Write ``outputs`` into the stream; ``binder_deployment=""`` leaves the Deployment alone."""
    if not stream.strip():
        raise InputError("the manifest stream on stdin is empty", fix="run this as Helm's post-renderer")
    s = _Stream(stream)
    patched: list[str] = []
    written = outputs
    for i, head, body, doc in s.find("Secret", docker_config_secret):
        config = merge_config(_get_key(doc, CONFIG_JSON), outputs.config_json, where=f"Secret {docker_config_secret}")
        written = dataclasses.replace(outputs, config_json=config)
        _set_key(doc, CONFIG_JSON, config.reveal())
        for key, text in outputs.trust.items():  # a private CA: ca.crt, ca-certificates.crt
            _set_key(doc, key, text)
        s.replace(i, head, body, doc)
        patched.append(docker_config_secret)
    for i, head, body, doc in s.find("Secret", settings_secret):
        _patch_values(doc, outputs.settings, settings_secret)
        s.replace(i, head, body, doc)
        patched.append(settings_secret)
    missing = [n for n in (docker_config_secret, settings_secret) if n not in patched]
    if missing:
        raise InputError(
            f"the manifest stream has no Secret {' or '.join(missing)}",
            fix="post-render the BinderHub chart with config.BinderHub.use_registry: true, "
            "or name its Secrets with --docker-config-secret/--settings-secret",
        )
    checksum = written.checksum()
    if binder_deployment:
        for i, head, body, doc in s.find("Deployment", binder_deployment):
            if outputs.trust:
                _mount_trust_bundle(doc, docker_config_secret)
                _annotate_pod_template(s, i, head, body, doc, checksum, redump=True)
            else:
                _annotate_pod_template(s, i, head, body, doc, checksum)
            patched.append(binder_deployment)
        if binder_deployment not in patched:
            raise InputError(
                f"the manifest stream has no Deployment {binder_deployment}, which must restart when the "
                "registry credentials change",
                fix="name BinderHub's Deployment with --binder-deployment, or pass --binder-deployment '' "
                "and restart BinderHub yourself after each change",
            )
    return "".join(s.chunks), Rewrite(len(s.chunks), patched, checksum)


def _pod_template(doc) -> dict:
    template = (doc.get("spec") or {}).get("template")
    if not isinstance(template, dict):
        raise InputError(f"Deployment {doc['metadata']['name']} has no pod template")
    return template


def _mount_trust_bundle(doc, secret: str) -> None:
    """Mount the Secret's public-plus-private CA bundle over BinderHub's system bundle (subPath)."""
    spec = _pod_template(doc).setdefault("spec", {})
    volumes = spec.get("volumes") or []
    volume = next((v.get("name") for v in volumes if (v.get("secret") or {}).get("secretName") == secret), None)
    if volume is None:
        volume = "registry-hook-ca"
        spec["volumes"] = [*volumes, {"name": volume, "secret": {"secretName": secret}}]
    containers = spec.get("containers") or []
    container = next((c for c in containers if c.get("name") == "binder"), containers[0] if containers else None)
    if container is None:
        raise InputError(f"Deployment {doc['metadata']['name']} has no container to give the registry's CA")
    mounts = [m for m in container.get("volumeMounts") or [] if m.get("mountPath") != SYSTEM_BUNDLE]
    container["volumeMounts"] = [
        *mounts,
        {"name": volume, "mountPath": SYSTEM_BUNDLE, "subPath": CA_BUNDLE, "readOnly": True},
    ]


def _annotate_pod_template(
    s: _Stream, i: int, head: str, body: str, doc, checksum: str, *, redump: bool = False
) -> None:
    """Set the checksum annotation on the pod template, adding one line where the chart's are."""
    from ruamel.yaml.comments import CommentedMap

    template = _pod_template(doc)
    if not isinstance(template.get("metadata"), dict):
        template["metadata"] = {}
    annotations = template["metadata"].get("annotations")
    if (
        not redump
        and isinstance(annotations, CommentedMap)
        and annotations
        and RESTART_ANNOTATION not in annotations
        and not annotations.fa.flow_style()
    ):
        # Block mapping (as every chart writes it): insert a line before its first key, at its
        # column, so the rest of the document keeps its bytes (a re-dump would re-indent it).
        line, col = annotations.lc.key(next(iter(annotations)))
        lines = body.splitlines(keepends=True)
        lines.insert(line, f'{" " * col}{RESTART_ANNOTATION}: "{checksum}"\n')
        s.set_body(i, head, body, "".join(lines))
        return
    if not isinstance(annotations, dict):
        template["metadata"]["annotations"] = annotations = {}
    annotations[RESTART_ANNOTATION] = checksum
    s.replace(i, head, body, doc)


def _secret_maps(doc, name: str) -> tuple[dict, dict]:
    """A Secret's ``stringData`` and ``data``, refused in one line unless both are mappings."""
    string_data, data = doc.get("stringData") or {}, doc.get("data") or {}
    if not isinstance(string_data, dict) or not isinstance(data, dict):
        raise InputError(
            f"Secret {name}: data and stringData must be mappings",
            fix=f"post-render the BinderHub chart's {name} unchanged",
        )
    return string_data, data


def _get_key(doc, key: str) -> str:
    """The text of ``key`` wherever the chart put it (``stringData``, else ``data`` base64); "" if absent."""
    string_data, data = _secret_maps(doc, doc["metadata"]["name"])
    if key in string_data:
        return str(string_data[key])
    if key not in data:
        return ""
    try:
        return base64.b64decode(str(data[key]), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"Secret {doc['metadata']['name']}: data.{key} is not base64 of text") from None


def _set_key(doc, key: str, text: str) -> None:
    """Set ``key`` wherever the chart put it (``data`` base64, else ``stringData``)."""
    string_data, _ = _secret_maps(doc, doc["metadata"]["name"])
    if key in string_data:
        string_data[key] = text
        return
    doc.setdefault("data", {})
    if doc["data"] is None:
        doc["data"] = {}
    doc["data"][key] = base64.b64encode(text.encode()).decode()


def _values_text(doc, name: str) -> str:
    """The Secret's values.yaml as text.  Its other settings are secrets too (a GitHub token,
    the hub's API token): no error may quote any of it, and Helm shows our stderr in CI logs."""
    where = f"Secret {name}, key {VALUES_KEY}"
    string_data, data = _secret_maps(doc, name)
    if VALUES_KEY in string_data:
        text = string_data[VALUES_KEY]
        if not isinstance(text, str):
            raise InputError(f"{where} (stringData): not a string")
        return text
    if VALUES_KEY not in data:
        raise InputError(f"Secret {name} has no {VALUES_KEY} key: not the BinderHub chart's binder-secret")
    try:
        return base64.b64decode(str(data[VALUES_KEY]), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError alike
        raise InputError(f"{where} (data): not base64 of UTF-8 text") from None


def _load_values(text: str, name: str):
    from binderhub_registry_hook.spec import MAX_DEPTH, check_flow_nesting, nesting_depth

    check_flow_nesting(text, f"Secret {name}, key {VALUES_KEY}")
    try:
        values = _rt_yaml().load(text) or {}
    except RecursionError:
        raise InputError(f"Secret {name}, key {VALUES_KEY}: nested deeper than {MAX_DEPTH} levels") from None
    except Exception as e:  # YAMLError and the like: its message would quote the content
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"Secret {name}, key {VALUES_KEY}: not valid YAML{at}") from None
    if nesting_depth(values) > MAX_DEPTH:
        raise InputError(f"Secret {name}, key {VALUES_KEY}: nested deeper than {MAX_DEPTH} levels")
    return values


def _patch_values(doc, settings: dict, name: str) -> None:
    from ruamel.yaml.scalarstring import LiteralScalarString

    string_data = doc.get("stringData") or {}
    data = doc.get("data") or {}
    values = _load_values(_values_text(doc, name), name)
    yaml = _rt_yaml()
    config = values.setdefault("config", {}) if isinstance(values, dict) else None
    if not isinstance(config, dict):
        raise InputError(f"Secret {name}: {VALUES_KEY} is not a mapping with a `config` section")
    for section, traits in settings.items():
        if not isinstance(config.get(section), dict):
            config[section] = {}
        config[section].update(traits)
    out = io.StringIO()
    yaml.dump(values, out)
    if VALUES_KEY in string_data:
        string_data[VALUES_KEY] = LiteralScalarString(out.getvalue())
    else:
        data[VALUES_KEY] = base64.b64encode(out.getvalue().encode()).decode()
