"""Typed options: each values block becomes a frozen dataclass, the one home of its defaults.

A field ``expiry_days`` reads the key ``expiryDays``; a field whose type is another
options dataclass reads a nested block; a key that is absent (or null) leaves the
field's default.  The schema has validated the block before, so nothing is checked here
but the shape; ``tests/test_options.py`` proves that the schema's keys, ``default``
values and descriptions agree with these types.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def camel(name: str) -> str:
    """The values key of a field: ``expire_after_days`` -> ``expireAfterDays``."""
    first, *rest = name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def from_values(cls: type[T], block: Mapping[str, Any] | None) -> T:
    """An instance of the options dataclass ``cls`` from a validated values block."""
    hints = typing.get_type_hints(cls)
    given = block or {}
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]  # cls is an options dataclass
        value = given.get(camel(f.name))
        if value is None:
            continue
        nested = options_type(hints[f.name])
        if nested is not None:
            value = from_values(nested, value)
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):
            value = dict(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def options_type(hint: Any) -> type | None:
    """The options dataclass a field holds (``X`` or ``X | None``), or None for a plain value."""
    candidates = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, _UnionType) else (hint,)
    for c in candidates:
        if isinstance(c, type) and dataclasses.is_dataclass(c):
            return c
    return None


_UnionType = type(int | None)
