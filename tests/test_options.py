"""The options types are the one home of each provider's defaults: the schema agrees with them.

For every provider, its options dataclass and its block in ``values.schema.yaml`` name the
same keys (nested blocks too); a field without a default is required by the schema; and a
field's default is the schema's ``default`` and is said in the key's description.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import typing

import pytest

from binderhub_registry_hook.options import camel, from_values, options_type
from binderhub_registry_hook.providers import TYPES
from binderhub_registry_hook.spec import schema

PROVIDERS = {name: getattr(importlib.import_module(path.partition(":")[0]), path.partition(":")[2])
             for name, path in TYPES.items()}


def block_schema(name: str) -> dict | None:
    block = schema()["definitions"]["registry"]["properties"].get(name)
    if block and "$ref" in block:  # ovh takes harbor's keys
        block = schema()["definitions"]["registry"]["properties"][block["$ref"].rsplit("/", 1)[-1]]
    return block


def said(value) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def check(cls, block: dict, path: str) -> list[str]:
    """Every disagreement between ``cls`` and the schema ``block`` at ``path``."""
    problems = []
    hints = typing.get_type_hints(cls)
    properties = block.get("properties", {})
    fields = {camel(f.name): f for f in dataclasses.fields(cls)}
    problems += [f"{path}.{k}: in the schema, not in {cls.__name__}" for k in sorted(set(properties) - set(fields))]
    problems += [f"{path}.{k}: in {cls.__name__}, not in the schema" for k in sorted(set(fields) - set(properties))]
    for key in sorted(set(fields) & set(properties)):
        f, prop = fields[key], properties[key]
        nested = options_type(hints[f.name])
        if nested is not None:
            problems += check(nested, prop, f"{path}.{key}")
            continue
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if key not in block.get("required", []):
                problems.append(f"{path}.{key}: no default in {cls.__name__}, but the schema does not require it")
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        if default is None or default in ((), {}):
            if "default" in prop:
                problems.append(f"{path}.{key}: the schema has a default, {cls.__name__} has none")
            continue
        if prop.get("default") != default:
            problems.append(f"{path}.{key}: schema default {prop.get('default')!r} != {default!r}")
        if said(default) not in prop.get("description", ""):
            problems.append(f"{path}.{key}: the description does not say the default {said(default)}")
    return problems


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_schema_agrees_with_the_options_type(name):
    provider = PROVIDERS[name]
    block = block_schema(name)
    if block is None:  # no block of its own: its options type has no field
        assert dataclasses.fields(provider.options_type) == ()
        return
    assert check(provider.options_type, block, f"registry.{name}") == []


def test_the_check_finds_a_disagreement():
    @dataclasses.dataclass(frozen=True)
    class Opts:
        expiry_days: int = 365
        name: str = "x"

    block = {"properties": {"expiryDays": {"default": 30, "description": "(default 30)"},
                            "extra": {}}}
    problems = check(Opts, block, "registry.t")
    assert "registry.t.expiryDays: schema default 30 != 365" in problems
    assert "registry.t.expiryDays: the description does not say the default 365" in problems
    assert "registry.t.extra: in the schema, not in Opts" in problems
    assert "registry.t.name: in Opts, not in the schema" in problems


def test_from_values_reads_camel_case_nested_blocks_and_defaults():
    from binderhub_registry_hook.providers.harbor.options import HarborOptions

    opts = from_values(HarborOptions, {"adminUsernameKey": "admin", "robot": {"expiryDays": 7}})
    assert opts.admin_username_key == "admin" and opts.admin_password_key == "adminPassword"
    assert (opts.robot.name, opts.robot.expiry_days, opts.robot.warn_days) == ("binderhub", 7, 30)
    assert opts.project.public is False
    assert from_values(HarborOptions, None) == HarborOptions()
