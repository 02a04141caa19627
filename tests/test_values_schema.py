"""The compiled schema check (binderhub_registry_hook/values_schema.py) against jsonschema.

`spec.validate` accepts what the compiled check accepts and asks jsonschema only about
what it refuses, so the check must never accept a block that jsonschema refuses. Here
both judge thousands of blocks: every key the schema knows (followed through `$ref`), at
every depth, set to values of every JSON type and the edge values of the schema's limits
and patterns, in a block of every registry type; keys dropped and unknown keys added.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import jsonschema
import pytest

from binderhub_registry_hook import values_schema
from binderhub_registry_hook.spec import registry_schema

# A valid block per type: the fuzzing below starts from each.
SEEDS = {
    "generic": {"type": "generic", "url": "https://registry.example.org",
                "imagePrefix": "registry.example.org/binder/prod-"},
    "dockerhub": {"type": "dockerhub", "imagePrefix": "myorg/binder-"},
    "google": {"type": "google", "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/prod-",
               "mode": "provision", "google": {"auth": "workloadIdentity"}},
    "azure": {"type": "azure", "imagePrefix": "myacr.azurecr.io/binder/prod-", "mode": "provision",
              "azure": {"registryName": "myacr", "tenantId": "00000000-0000-0000-0000-000000000000"}},
    "harbor": {"type": "harbor", "url": "https://harbor.example.org", "imagePrefix": "harbor.example.org/b/p-",
               "mode": "provision", "harbor": {"robot": {"name": "binder", "expiryDays": 365}}},
    "ovh": {"type": "ovh", "url": "https://abcd1234.gra7.container-registry.ovh.net",
            "imagePrefix": "abcd1234.gra7.container-registry.ovh.net/b/p-", "ovh": {}},
    "ecr": {"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-",
            "ecr": {"region": "eu-west-1", "repositoryCreationTemplate": {"lifecycle": {"expireAfterDays": 30}}}},
}

# Values of every JSON type, and the shapes the schema's patterns and limits tell apart.
PALETTE = [
    None, True, False, 0, 1, -1, 2, 0.05, 0.1, 1.5, 30, 64, 600, 601, 900, 3650, 3651, 1e300, "", "a", "ab",
    "abc", "x" * 65, "x" * 300, "Bad_Name", "-x", "a\n", "ü", "binder", "binder/prod", "ROOT", "myacr",
    "eu-west-1", "123456789012", "arn:aws:iam::123456789012:role/hook",
    "00000000-0000-0000-0000-000000000000", "example.onmicrosoft.com", "https://login.example.org",
    "https://registry.example.org", "http://127.0.0.1:5000", "https://r.example.org/token?service=x",
    "validate", "provision", "generic", "azure", "ecr", "pulled", "servicePrincipal", "workloadIdentity",
    "acrToken", "clientSecret", "refreshToken", "serviceAccountKey", "auto", "my-project", "us-central1",
    [], ["a"], ["a", "a"], ["binder/prod"], [1], {}, {"a": "b"}, {"a": 1}, {"x" * 129: "b"},
]


def node_ref_parts(ref: str) -> list[str]:
    return ref.lstrip("#/").split("/")


def resolve(node: dict, root: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        target = root
        for part in node_ref_parts(node["$ref"]):
            target = target[part]
        node = target
    return node


def key_paths(node: dict, root: dict, prefix: tuple = (), depth: int = 0):
    """Every property path under ``node`` (through `$ref` and `allOf`), with its schema."""
    node = resolve(node, root)
    if not isinstance(node, dict) or depth > 6:
        return
    subs = [node] + [resolve(s, root) for s in node.get("allOf", []) if isinstance(s, dict)]
    for sub in subs:
        for name, child in (sub.get("properties") or {}).items():
            yield prefix + (name,), child
            yield from key_paths(child, root, prefix + (name,), depth + 1)


def set_path(block: dict, path: tuple, value) -> dict:
    out = copy.deepcopy(block)
    node = out
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value
    return out


def drop_path(block: dict, path: tuple) -> dict | None:
    out = copy.deepcopy(block)
    node = out
    for part in path[:-1]:
        node = node.get(part)
        if not isinstance(node, dict):
            return None
    if path[-1] not in node:
        return None
    del node[path[-1]]
    return out


def corpus():
    schema = registry_schema()
    paths = sorted({p for p, _ in key_paths(schema, schema)})
    for seed in SEEDS.values():
        yield seed
        for path in paths:
            for value in PALETTE:
                yield set_path(seed, path, value)
            dropped = drop_path(seed, path)
            if dropped is not None:
                yield dropped
            yield set_path(seed, path[:-1] + ("unknownKey",), "x")


def fast_accepts(block) -> bool:
    try:
        values_schema.validate(block, name_prefix="registry")
    except values_schema.JsonSchemaValueException:
        return False
    return True


def _strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def test_compiled_check_accepts_nothing_jsonschema_refuses():
    validator = jsonschema.Draft7Validator(registry_schema())
    blocks = list(corpus())
    wrongly_accepted, slow, valid = [], [], 0
    for block in blocks:
        if validator.is_valid(block):
            valid += 1
            if not fast_accepts(block):
                slow.append(block)
        elif fast_accepts(block):
            wrongly_accepted.append(block)
    assert not wrongly_accepted, f"{len(wrongly_accepted)} accepted, e.g. {json.dumps(wrongly_accepted[0])[:300]}"
    # The one known difference the other way (harmless: jsonschema then accepts): a pattern's
    # `$` matches before a final newline in Python, the compiled check ends it with `\Z` as
    # Helm's Go regexps do.
    odd = [b for b in slow if not any(s.endswith("\n") for s in _strings(b))]
    assert not odd, f"the compiled check refuses a valid block: {json.dumps(odd[0])[:300]}"
    # A corpus worth the name: many blocks on each side of the line.
    assert len(blocks) > 10_000 and valid > 1_000 and len(blocks) - valid > 5_000, (len(blocks), valid)


@pytest.mark.parametrize("values, imported", [
    ({"registry": SEEDS["generic"]}, False),
    ({"registry": {**SEEDS["generic"], "mode": "create"}}, True),
])
def test_jsonschema_is_imported_only_to_word_an_error(tmp_path, values, imported):
    path = tmp_path / "values.json"
    path.write_text(json.dumps(values))
    code = ("import sys\nfrom pathlib import Path\nfrom binderhub_registry_hook.errors import SpecError\n"
            "from binderhub_registry_hook.spec import RegistrySpec, load_values\n"
            f"try:\n    RegistrySpec.from_values(load_values([Path({str(path)!r})]))\n"
            "except SpecError as e:\n    print(e)\n"
            "print('jsonschema' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    *said, loaded = proc.stdout.strip().splitlines()
    assert loaded == str(imported)
    if imported:
        assert said == ["invalid value: registry.mode: 'create' is not one of validate | provision"]


def test_the_compiled_check_needs_only_the_standard_library():
    code = ("import sys\nbefore = set(sys.modules)\nimport binderhub_registry_hook.values_schema\n"
            "print(sorted({m.split('.')[0] for m in set(sys.modules) - before} - set(sys.stdlib_module_names)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['binderhub_registry_hook']"
