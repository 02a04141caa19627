"""The README's registry examples are valid specs that each provider accepts (no network)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from binderhub_registry_hook import providers
from binderhub_registry_hook.spec import RegistrySpec

README = Path(__file__).resolve().parent.parent / "README.md"


def examples() -> list[dict]:
    text = README.read_text()
    block = text[text.index("## Registries"):text.index("## In the cluster")]
    yaml_text = re.search(r"```yaml\n(.*?)```", block, re.S).group(1)
    docs = []
    for chunk in re.split(r"\n(?=# )", yaml_text):
        body = "\n".join(line for line in chunk.splitlines() if not line.startswith("#"))
        if body.strip():
            docs.append(YAML(typ="safe").load(body))
    return docs


@pytest.mark.parametrize("values", examples(), ids=lambda v: v["registry"]["type"])
def test_readme_example_is_valid(values):
    spec = RegistrySpec.from_values(values)
    target = providers.plan(spec)
    assert target.image_prefix.startswith(target.host) or spec.type == "dockerhub"


def test_every_type_has_an_example():
    assert {v["registry"]["type"] for v in examples()} >= set(providers.TYPES) - {"generic", "ovh"}
