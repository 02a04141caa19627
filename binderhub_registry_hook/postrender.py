"""Helm post-renderer: write the outputs into the BinderHub chart's own Secrets.

Helm hands the rendered manifests on stdin and installs what comes out on stdout.
Two documents of the BinderHub chart are rewritten:

* ``binder-build-docker-config``: ``data.config.json`` becomes the hook's config.json;
* ``binder-secret``: in ``stringData.values.yaml``, ``config.BinderHub.image_prefix``
  and ``config.DockerRegistry.*`` become the hook's settings.

Every other document comes out byte-for-byte as it went in: the stream is cut at
document separators and only the two Secrets are parsed at all.  Helm 4 adds a
``postrenderer.helm.sh/postrender-filename`` annotation to each document; it is kept
because round-trip YAML keeps everything it does not touch.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

from binderhub_registry_hook.dockerconfig import CONFIG_JSON, Outputs
from binderhub_registry_hook.errors import InputError

DOCKER_CONFIG_SECRET = "binder-build-docker-config"
SETTINGS_SECRET = "binder-secret"
VALUES_KEY = "values.yaml"

_SEPARATOR = re.compile(r"(?m)^(?=---(?:[ \t]+#.*|[ \t]*)$)")
_NAME = re.compile(r"(?m)^\s*name:\s*['\"]?([A-Za-z0-9.-]+)")


@dataclass
class Rewrite:
    documents: int
    patched: list[str]


def split(stream: str) -> list[str]:
    """Cut at ``---`` lines; ``"".join(split(s)) == s`` always holds."""
    return [c for c in _SEPARATOR.split(stream) if c]


def _rt_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long lines
    return yaml


def _is_candidate(chunk: str, names: tuple[str, ...]) -> bool:
    # A cheap test first, so a 10,000-document stream is not parsed document by document.
    return "Secret" in chunk and any(n in chunk for n in names)


def _head_and_body(chunk: str) -> tuple[str, str]:
    if chunk.startswith("---"):
        head, _, body = chunk.partition("\n")
        return head + "\n", body
    return "", chunk


def rewrite(stream: str, outputs: Outputs, *, docker_config_secret: str = DOCKER_CONFIG_SECRET,
            settings_secret: str = SETTINGS_SECRET) -> tuple[str, Rewrite]:
    if not stream.strip():
        raise InputError("the manifest stream on stdin is empty", fix="run this as Helm's post-renderer")
    names = (docker_config_secret, settings_secret)
    chunks = split(stream)
    patched: list[str] = []
    yaml = None
    for i, chunk in enumerate(chunks):
        if not _is_candidate(chunk, names):
            continue
        head, body = _head_and_body(chunk)
        yaml = yaml or _rt_yaml()
        try:
            doc = yaml.load(body)
        except Exception:  # not our document if it does not parse; leave it alone
            continue
        if not _is_secret(doc) or doc["metadata"].get("name") not in names:
            continue
        name = doc["metadata"]["name"]
        if name == docker_config_secret:
            _set_key(doc, CONFIG_JSON, outputs.config_json.reveal())
        else:
            _patch_values(doc, outputs.settings, name)
        out = io.StringIO()
        yaml.dump(doc, out)
        text = out.getvalue()
        # Keep the chunk's trailing blank lines so the next separator stays where it was.
        trailing = body[len(body.rstrip("\n")):]
        chunks[i] = head + text.rstrip("\n") + (trailing or "\n")
        patched.append(name)

    missing = [n for n in names if n not in patched]
    if missing:
        raise InputError(
            f"the manifest stream has no Secret {' or '.join(missing)}",
            fix="post-render the BinderHub chart with config.BinderHub.use_registry: true, "
                "or name its Secrets with --docker-config-secret/--settings-secret",
        )
    return "".join(chunks), Rewrite(len(chunks), patched)


def _is_secret(doc) -> bool:
    return (isinstance(doc, dict) and doc.get("kind") == "Secret"
            and isinstance(doc.get("metadata"), dict))


def _set_key(doc, key: str, text: str) -> None:
    """Set ``key`` wherever the chart put it (``data`` base64, else ``stringData``)."""
    string_data = doc.get("stringData") or {}
    if key in string_data:
        string_data[key] = text
        return
    doc.setdefault("data", {})
    if doc["data"] is None:
        doc["data"] = {}
    doc["data"][key] = base64.b64encode(text.encode()).decode()


def _patch_values(doc, settings: dict, name: str) -> None:
    from ruamel.yaml.scalarstring import LiteralScalarString

    string_data = doc.get("stringData") or {}
    data = doc.get("data") or {}
    if VALUES_KEY in string_data:
        text = string_data[VALUES_KEY]
    elif VALUES_KEY in data:
        text = base64.b64decode(data[VALUES_KEY]).decode()
    else:
        raise InputError(f"Secret {name} has no {VALUES_KEY} key: not the BinderHub chart's binder-secret")
    yaml = _rt_yaml()
    values = yaml.load(text) or {}
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
