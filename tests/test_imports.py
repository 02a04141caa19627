"""What each command imports: a generic registry pays for no cloud SDK and no Kubernetes client.

Each case runs the CLI in a fresh interpreter (imports are per process) and reads
``sys.modules`` after ``main()`` returns, so imports done lazily inside the path
(providers, probe, post-renderer) count too.  Timings live in benchmarks/, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Top-level packages of the cloud SDKs (and what only they pull in) and of the Kubernetes client.
CLOUD_AND_KUBERNETES = {"boto3", "botocore", "s3transfer", "azure", "msal", "google", "grpc", "proto", "kubernetes"}

_RUN = """import json, sys
from binderhub_registry_hook.cli import main
try:
    rc = main(sys.argv[2:])
finally:  # --help exits from argparse
    open(sys.argv[1], "w").write(json.dumps(sorted(sys.modules)))
sys.exit(rc)
"""


def imported(tmp_path, argv, *, env=None, stdin=None) -> tuple[set[str], subprocess.CompletedProcess]:
    out = tmp_path / "modules.json"
    proc = subprocess.run([sys.executable, "-c", _RUN, str(out), *argv], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)
    modules = set(json.loads(out.read_text())) if out.exists() else set()
    return modules, proc


def heavy(modules: set[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & CLOUD_AND_KUBERNETES)


def generic_values(tmp_path, registry) -> str:
    path = tmp_path / "values.json"
    path.write_text(json.dumps({"registry": {"type": "generic", "url": registry.url,
                                             "imagePrefix": f"{registry.host}/binder/prod-",
                                             "timeouts": {"retryFor": 1}}}))
    return str(path)


def env_for(registry) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    return {**env, "REGISTRY_USERNAME": "alice", "REGISTRY_PASSWORD": registry.users["alice"]}


def test_help_imports_only_the_cli(tmp_path):
    modules, proc = imported(tmp_path, ["validate", "--help"])
    assert proc.returncode == 0, proc.stderr
    assert "binderhub_registry_hook.cli" in modules
    # --help (and argument errors) must stay instant: nothing of the path is imported yet.
    assert not {"requests", "jsonschema", "ruamel", "tenacity"} & {m.split(".")[0] for m in modules}
    assert not {"binderhub_registry_hook.distribution", "binderhub_registry_hook.spec", "binderhub_registry_hook.providers"} & modules
    assert heavy(modules) == []


def test_generic_validate_imports_no_cloud_sdk_nor_kubernetes(tmp_path, htpasswd_registry):
    reg = htpasswd_registry
    modules, proc = imported(tmp_path, ["validate", "-f", generic_values(tmp_path, reg)], env=env_for(reg))
    assert proc.returncode == 0, proc.stderr
    # The whole path ran in this interpreter (so the check below looks at a real import set).
    assert {"binderhub_registry_hook.providers.generic", "binderhub_registry_hook.probe",
            "binderhub_registry_hook.values_schema", "http.client"} <= modules
    # The registry protocol speaks the standard library's http.client: requests and urllib3
    # are for the cloud SDKs and the Kubernetes client only; tenacity loads only to retry
    # (nothing failed here), the distribution metadata only to check a cloud SDK's extra.
    assert not {"requests", "urllib3", "tenacity"} & {m.split(".")[0] for m in modules}
    assert "importlib.metadata" not in modules
    assert heavy(modules) == []
    # Valid values pass the compiled schema check: jsonschema is only for wording an error;
    # a JSON values file needs no YAML parser.
    assert not {"jsonschema", "ruamel"} & {m.split(".")[0] for m in modules}
    assert not [m for m in modules if m.startswith("binderhub_registry_hook.providers.") and m not in (
        "binderhub_registry_hook.providers.base", "binderhub_registry_hook.providers.generic")], "another provider was imported"
    assert "binderhub_registry_hook.kube" not in modules


def test_generic_post_render_imports_no_cloud_sdk_nor_kubernetes(tmp_path, htpasswd_registry):
    reg = htpasswd_registry
    stream = ("---\nkind: Secret\napiVersion: v1\nmetadata:\n  name: binder-secret\ntype: Opaque\n"
              "stringData:\n  values.yaml: |\n    config:\n      BinderHub: {}\n"
              "---\nkind: Secret\napiVersion: v1\nmetadata:\n  name: binder-build-docker-config\ntype: Opaque\n"
              "data:\n  config.json: e30=\n"
              "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: binder\nspec:\n  template:\n"
              "    metadata:\n      annotations:\n        checksum/config: x\n")
    modules, proc = imported(tmp_path, ["post-render", "-f", generic_values(tmp_path, reg)], env=env_for(reg),
                             stdin=stream)
    assert proc.returncode == 0, proc.stderr
    assert "binder-build-docker-config" in proc.stdout
    assert {"binderhub_registry_hook.postrender", "binderhub_registry_hook.probe"} <= modules
    assert heavy(modules) == []
    assert reg.users["alice"] not in proc.stdout + proc.stderr
