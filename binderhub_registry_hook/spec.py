"""The registry spec: Helm values in, one validated :class:`RegistrySpec` out.

The `registry` block is validated against ``values.schema.yaml`` (the same schema the
chart ships as ``values.schema.json``), and the first problem becomes one
:class:`~binderhub_registry_hook.errors.SpecError` naming its path, e.g. ``registry.url: ...``.
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from binderhub_registry_hook.errors import InputError, SpecError

SCHEMA_FILE = "values.schema.yaml"
MAX_VALUES_BYTES = 1 << 20  # a values file is small; refuse anything that is not
SHORT = 60  # longest value echoed back in an error
MAX_DEPTH = 64  # Helm values nest a dozen levels; deeper is a mistake or an attack (RecursionError)
_USERINFO = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?[^/\s]*@")  # `user:pw@` before the first /


def _yaml(pure: bool = True):
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=pure)
    # Anchors/aliases are how YAML bombs explode; values files have no need of them.
    yaml.allow_duplicate_keys = False
    return yaml


@functools.cache
def schema() -> dict:
    from importlib import resources  # the full schema words an error; a valid run never reads it

    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text()
    # Our own file, parsed on every run: libyaml (ruamel.yaml.clib) when installed parses
    # it ~8x faster than pure Python (~12 ms instead of ~100 ms), with the same result.
    return _yaml(pure=False).load(text)


def registry_schema() -> dict:
    """The `registry` definition, with the shared definitions it refers to."""
    full = schema()
    return {**full["definitions"]["registry"], "definitions": full["definitions"]}


def load_values(paths: list[Path], key: str | None = None) -> dict:
    """Merge values files as Helm does (later files win, maps merge deeply)."""
    from binderhub_registry_hook.localfiles import read_text

    merged: dict = {}
    for path in paths:
        text = read_text(path, what="values file", limit=MAX_VALUES_BYTES) if str(path) != "-" else ""
        data = parse_yaml(text, str(path))
        if data is None:
            continue
        if not isinstance(data, dict):
            raise InputError(f"{path}: a values file must be a YAML mapping")
        merged = _merge(merged, data)
    if key:
        found: Any = merged
        for part in key.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        if not isinstance(found, dict):
            raise InputError(f"--values-key {key}: no such mapping in the values")
        return found
    return merged


def parse_yaml(text: str, where: str) -> Any:
    """A values (or credentials) file: YAML, or JSON (what a program writes) without a YAML parser."""
    data = _parse_json(text)
    if data is None:
        data = _parse_yaml(text, where)
    if nesting_depth(data) > MAX_DEPTH:
        raise InputError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    return data


def _parse_yaml(text: str, where: str) -> Any:
    from ruamel.yaml.error import YAMLError

    if "&" in text and "*" in text and _has_alias(text):
        raise InputError(f"{where}: YAML anchors and aliases are not accepted in values")
    check_flow_nesting(text, where)
    try:
        data = _yaml().load(io.StringIO(text))
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise InputError(f"{where}: {problem}{at}") from None
    except RecursionError:
        raise InputError(f"{where}: nested deeper than {MAX_DEPTH} levels") from None
    return data


def check_flow_nesting(text: str, where: str) -> None:
    """Refuse ``[[[[...`` before parsing: the pure-Python parser takes seconds, quadratically,
    on a few kilobytes of nested flow collections (and libyaml crashes on them).

    One pass, counting ``[`` and ``{`` only where a flow collection can start (at the start
    of a line, after an indicator ``:``, ``-``, ``,`` or another opener) and never inside
    quoted scalars, plain scalars or comments, so brackets in ordinary values never count.
    """
    depth, quote, can_open, i, n = 0, "", True, 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote, can_open = "", False
        elif c == "\n":
            can_open = True
        elif c in " \t":
            pass
        elif c == "#" and (i == 0 or text[i - 1] in "\n \t"):
            i = text.find("\n", i) - 1
            if i < 0:
                break
        elif c in "'\"" and can_open:
            quote = c
        elif c in "[{" and can_open:
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"{where}: nested deeper than {MAX_DEPTH} levels")
        elif c in "]}":
            depth, can_open = max(depth - 1, 0), False
        elif c in ":-,":
            follows = text[i + 1 : i + 2]
            can_open = follows in ("", " ", "\t", "\n", "\r") or (depth > 0 and c in ":,")
        else:
            can_open = False
        i += 1


def nesting_depth(data: Any) -> int:
    """How deep lists and mappings nest (iterative: no recursion on hostile input)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return deepest


def _unique_keys(pairs: list) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise ValueError("duplicate key")
    return data


def _no_constant(name: str):
    raise ValueError(name)


def _parse_json(text: str) -> dict | None:
    """A JSON object, or None for anything else: YAML, and JSON that the YAML path must judge
    (duplicate keys, NaN), which it refuses and words."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # not JSON, not plain JSON, or too deep: the YAML path says so
        return None


def _has_alias(text: str) -> bool:
    return re.search(r"(^|[\s\[{,:-])\*[A-Za-z0-9_-]+", text, re.M) is not None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


# -- validation ------------------------------------------------------------------


def validate(block: Any, root: str = "registry") -> None:
    """Raise one SpecError for the first (most relevant) schema violation.

    Valid values pass the check compiled from the schema (``values_schema``, generated by
    scripts/generate-schema.py) without importing a schema library. Values it refuses go
    through jsonschema, which has the last word and picks the most relevant error to word
    (tests/test_values_schema.py: the compiled check accepts nothing jsonschema refuses).
    """
    from binderhub_registry_hook import values_schema

    _check_values(block, root)  # what the schema cannot say: before the schema, on every path
    try:
        values_schema.validate(block, name_prefix=root)
        return
    except Exception:  # noqa: BLE001 - any refusal (or surprise) of the fast check: ask jsonschema
        pass
    import jsonschema

    validator = jsonschema.Draft7Validator(registry_schema())
    errors = list(validator.iter_errors(block))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    # best_match prefers shallow errors; an if/then failure is deeper than needed,
    # so descend into its context for the concrete one.
    while error.context:
        error = jsonschema.exceptions.best_match(error.context)
    raise _describe(error, root)


def _check_values(block: Any, root: str) -> None:
    """What the schema cannot say: every number is finite (NaN passes minimum and maximum),
    no URL or image prefix carries credentials, and every URL's port exists."""
    stack = [(block, root)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{_short(k)}") for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}.{i}") for i, v in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise SpecError(path, f"{value} is not a finite number")
        elif isinstance(value, str) and ("://" in value or path.endswith(".imagePrefix")) and _USERINFO.match(value):
            raise SpecError(
                path,
                f"{_show(value)} holds credentials (user:password@)",
                fix="remove them: credentials come only from registry.credentials",
            )
        elif isinstance(value, str) and re.match(r"https?://", value):
            from urllib.parse import urlsplit

            try:
                _ = urlsplit(value).port  # raises ValueError when out of range
            except ValueError:
                raise SpecError(path, f"{_show(value)} has no valid port (1-65535)") from None


def _describe(error, root: str) -> SpecError:
    path = ".".join([root, *(str(p) for p in error.absolute_path)])
    v, inst, sch = error.validator, error.instance, error.schema
    if v == "additionalProperties":
        allowed = sorted(sch.get("properties", {}))
        extra = sorted(set(inst) - set(allowed)) if isinstance(inst, dict) else []
        key = _short(extra[0]) if extra else "?"
        return SpecError(f"{path}.{key}", "unknown key", fix=f"allowed keys: {', '.join(allowed)}")
    if v == "required":
        missing = [r for r in error.validator_value if r not in (inst or {})]
        return SpecError(f"{path}.{missing[0] if missing else '?'}", "required value is missing")
    if v == "enum":
        choices = " | ".join(str(c).lower() if isinstance(c, bool) else str(c) for c in sch["enum"])
        return SpecError(path, f"{_show(inst)} is not one of {choices}")
    if v == "type":
        return SpecError(path, f"expected {error.validator_value}, got {_typename(inst)}")
    if v == "pattern":
        examples = sch.get("examples") or []
        hint = f"expected a value like {examples[0]}" if examples else _first_sentence(sch.get("description", ""))
        return SpecError(path, f"{_show(inst)} is not valid", fix=hint or None)
    if v in ("maxLength", "minLength"):
        n = error.validator_value
        word = "at most" if v == "maxLength" else "at least"
        return SpecError(path, f"must be {word} {n} characters (got {len(inst)})")
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return SpecError(path, f"must be {word} {error.validator_value} (got {_short(inst)})")
    return SpecError(path, error.message if len(error.message) < 200 else f"invalid ({v})")


def _short(value: Any) -> str:
    """A value fit to echo in an error: shortened, and never with URL credentials."""
    text = re.sub(r"(?<=://)[^/@\s]*@", "***@", str(value))
    text = _USERINFO.sub(lambda m: m[0][: m[0].find("://") + 3 if "://" in m[0] else 0] + "***@", text)
    return text if len(text) <= SHORT else text[: SHORT - 3] + "..."


def _show(value: Any) -> str:
    """Like :func:`_short`, quoted for strings, so `'1'` and `1` read differently."""
    return repr(_short(value)) if isinstance(value, str) else _short(value)


def _typename(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<!e\.g)(?<!i\.e)\.\s", text)[0].strip().rstrip(".")


# -- the validated spec ------------------------------------------------------------


@dataclass(frozen=True)
class Timeouts:
    """Every bound on time, and the run's deadline: ``total`` seconds from when the spec was read."""

    connect: float = 5.0
    read: float = 30.0
    retry_for: float = 60.0
    total: float = 120.0
    started: float = field(default_factory=time.monotonic, compare=False)

    def remaining(self) -> float:
        """Seconds left before ``registry.timeouts.total`` (negative once it passed)."""
        return self.started + self.total - time.monotonic()


@dataclass(frozen=True)
class CredentialsRef:
    existing_secret: str | None = None
    username_key: str = "username"
    password_key: str = "password"


@dataclass(frozen=True)
class RegistrySpec:
    type: str
    image_prefix: str
    url: str | None = None
    mode: str = "validate"
    ca_bundle: str | None = None
    credentials: CredentialsRef = field(default_factory=CredentialsRef)
    probe_name: str = "binderhub-registry-hook-probe"
    probe_push: bool = True
    probe_pull: bool = True
    timeouts: Timeouts = field(default_factory=Timeouts)
    # The provider's own block (e.g. `ecr:`), validated by the schema, read by the provider.
    options: dict = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: dict) -> "RegistrySpec":
        if not isinstance(values, dict) or "registry" not in values:
            raise SpecError("registry", "required value is missing", fix="add a `registry:` block")
        block = values["registry"]
        validate(block)
        creds = block.get("credentials", {})
        probe = block.get("probe", {})
        t = block.get("timeouts", {})
        return cls(
            type=block["type"],
            image_prefix=block["imagePrefix"],
            url=block.get("url") or None,
            mode=block.get("mode", "validate"),
            ca_bundle=(block.get("tls") or {}).get("caBundle") or None,
            credentials=CredentialsRef(
                existing_secret=creds.get("existingSecret"),
                username_key=creds.get("usernameKey", "username"),
                password_key=creds.get("passwordKey", "password"),
            ),
            probe_name=probe.get("name", "binderhub-registry-hook-probe"),
            probe_push=probe.get("push", True),
            probe_pull=probe.get("pull", True),
            timeouts=Timeouts(
                connect=float(t.get("connect", 5.0)),
                read=float(t.get("read", 30.0)),
                retry_for=float(t.get("retryFor", 60.0)),
                total=float(t.get("total", 120.0)),
            ),
            options=dict(block.get(block["type"], {}) or {}),
        )
