#!/usr/bin/env python3
"""Generate, from binderhub_registry_hook/values.schema.yaml (the one schema source):

* chart/values.schema.json: the schema Helm validates values with;
* binderhub_registry_hook/values_schema.py: the `registry` check compiled to plain Python
  (fastjsonschema's code generator), so the hook validates on every run without importing
  a schema library; jsonschema is imported only to word an error.

Usage:
  scripts/generate-schema.py          write both files
  scripts/generate-schema.py --check  exit 1 if either is out of date

The YAML source stays readable and commented; Helm reads only JSON. The output is
plain draft-07 JSON Schema, which both Helm 3.17 and Helm 4.1 validate values with
(`helm lint`, `helm template`, `helm install` all refuse values it rejects).
The generated module needs only the standard library: fastjsonschema is a development
dependency (pinned in pyproject.toml's `test` extra, since its version shapes the output).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "binderhub_registry_hook" / "values.schema.yaml"
TARGET = ROOT / "chart" / "values.schema.json"
VALIDATOR = ROOT / "binderhub_registry_hook" / "values_schema.py"
NOTE = "Generated from binderhub_registry_hook/values.schema.yaml by scripts/generate-schema.py: edit that file, not this one."

# Keywords that only annotate: the compiled check needs none of them (`default` too: the
# check must not fill in defaults, RegistrySpec owns them), and they would only bloat it.
ANNOTATIONS = {"description", "examples", "title", "$comment", "default"}
# Keywords whose value maps names to schemas (a property may be *called* `description`).
NAMED_SCHEMAS = {"properties", "patternProperties", "definitions", "dependencies"}
# fastjsonschema's generated code imports its exception classes from fastjsonschema; the
# module defines them itself instead, so the image needs no fastjsonschema.
EXCEPTION_IMPORT = re.compile(r"^from fastjsonschema import (.+)\n", re.M)
EXCEPTION_CLASSES = {
    "JsonSchemaValueException": '''
class JsonSchemaValueException(ValueError):
    """The first violation found: ``name`` is its path (``registry.url``), ``rule`` the keyword."""

    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.message, self.value, self.name, self.definition, self.rule = message, value, name, definition, rule
''',
    "JsonSchemaValuesException": '''
class JsonSchemaValuesException(ValueError):
    """All violations at once: raised only with fast_fail off, and the check is generated with it on."""
''',
}


def source() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(SOURCE.read_text())


def render(schema: dict) -> str:
    # `$comment` is draft-07's own annotation keyword: validators ignore it.
    schema = {"$schema": schema["$schema"], "$comment": NOTE, **{k: v for k, v in schema.items() if k != "$schema"}}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def without_annotations(node):
    """A schema without its annotation keywords (a list of schemas, too)."""
    if isinstance(node, list):
        return [without_annotations(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ANNOTATIONS:
            continue
        if key in NAMED_SCHEMAS and isinstance(value, dict):
            out[key] = {name: without_annotations(sub) for name, sub in value.items()}
        elif isinstance(value, (dict, list)) and key not in ("enum", "const", "required"):
            out[key] = without_annotations(value)
        else:
            out[key] = value
    return out


def render_validator(schema: dict) -> str:
    import fastjsonschema

    # The `registry` block, as binderhub_registry_hook.spec validates it.
    registry = {**schema["definitions"]["registry"], "definitions": schema["definitions"]}
    code = fastjsonschema.compile_to_code(without_annotations(registry), use_default=False)
    found = EXCEPTION_IMPORT.search(code)
    names = [n.strip() for n in found[1].split(",")] if found else []
    if not names or set(names) - set(EXCEPTION_CLASSES):
        raise SystemExit(f"fastjsonschema {fastjsonschema.VERSION} imports {names or 'nothing'} from itself: "
                         "update EXCEPTION_CLASSES in scripts/generate-schema.py")
    classes = "\n".join(EXCEPTION_CLASSES[n] for n in names)
    return (f'"""The `registry` block\'s schema check, compiled to Python: ``validate(block, name_prefix=...)``\n'
            f"raises JsonSchemaValueException at the first violation.\n\n{NOTE}\n"
            f'fastjsonschema {fastjsonschema.VERSION} wrote the code below the exception classes."""\n'
            f"# ruff: noqa\n{code[:found.start()]}\n{classes}\n{code[found.end():]}")


def main(argv: list[str]) -> int:
    schema = source()
    outputs = {TARGET: render(schema), VALIDATOR: render_validator(schema)}
    if "--check" in argv:
        stale = [path for path, text in outputs.items() if not path.is_file() or path.read_text() != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run scripts/generate-schema.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
