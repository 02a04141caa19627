#!/usr/bin/env python3
"""Write chart/values.schema.json from binderhub_registry_hook/values.schema.yaml (the one schema source).

Usage:
  scripts/generate-schema.py          write chart/values.schema.json
  scripts/generate-schema.py --check  exit 1 if chart/values.schema.json is out of date

The YAML source stays readable and commented; Helm reads only JSON. The output is
plain draft-07 JSON Schema, which both Helm 3.17 and Helm 4.1 validate values with
(`helm lint`, `helm template`, `helm install` all refuse values it rejects).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "binderhub_registry_hook" / "values.schema.yaml"
TARGET = ROOT / "chart" / "values.schema.json"
NOTE = "Generated from binderhub_registry_hook/values.schema.yaml by scripts/generate-schema.py: edit that file, not this one."


def render() -> str:
    from ruamel.yaml import YAML

    schema = YAML(typ="safe", pure=True).load(SOURCE.read_text())
    # `$comment` is draft-07's own annotation keyword: validators ignore it.
    schema = {"$schema": schema.pop("$schema"), "$comment": NOTE, **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.is_file() or TARGET.read_text() != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run scripts/generate-schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
