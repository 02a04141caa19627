"""The post-renderer with real Helm 3 and 4 over a BinderHub-shaped chart, and a real registry.

Helm 3 runs the plugin's script as ``--post-renderer PATH``; Helm 4 installs the
plugin directory and takes its name.  Every document other than the two BinderHub
registry Secrets must come out byte-for-byte, and skopeo must push with the
``config.json`` that ends up in ``binder-build-docker-config``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from binderhub_registry_hook import postrender
from binderhub_registry_hook.dockerconfig import Outputs
from binderhub_registry_hook.errors import InputError
from binderhub_registry_hook.secrets import Secret
from tests.support import skopeo_push

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "tests" / "fixtures" / "binderhub-chart"
PLUGIN = ROOT / "helm-plugin" / "binderhub-registry-hook"
HOOK = Path(sys.executable).parent / "binderhub-registry-hook"


def docs(stream: str) -> list[str]:
    return postrender.split(stream)


def secret_doc(stream: str, name: str) -> dict:
    from ruamel.yaml import YAML

    for chunk in docs(stream):
        doc = YAML(typ="safe").load(chunk)
        if doc and doc.get("kind") == "Secret" and doc["metadata"]["name"] == name:
            return doc
    raise AssertionError(f"no Secret {name}")


@pytest.fixture
def setup(tmp_path, htpasswd_registry, helm_env):
    reg = htpasswd_registry
    values = tmp_path / "registry.yaml"
    values.write_text(json.dumps({"registry": {
        "type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-",
        "timeouts": {"retryFor": 1}}}))
    # The plugin runs this wrapper, which keeps exactly what Helm sent and got back.
    wrapper = tmp_path / "hook-wrapper"
    wrapper.write_text(f"#!/bin/bash\nset -o pipefail\ntee {tmp_path}/in.yaml | {HOOK} \"$@\" "
                       f"| tee {tmp_path}/out.yaml\n")
    wrapper.chmod(0o755)
    env = {**helm_env, "BINDERHUB_REGISTRY_HOOK": str(wrapper),
           "REGISTRY_USERNAME": "alice", "REGISTRY_PASSWORD": reg.users["alice"]}
    return reg, values, env


def helm_template(helm, env, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([str(helm), "template", "binder", str(CHART), *extra],
                          capture_output=True, text=True, env=env, timeout=120)


def check_rewrite(before: str, after: str, reg, tmp_path, oci_image, password: str):
    assert password not in after.replace(base64.b64encode(password.encode()).decode(), "")
    b, a = docs(before), docs(after)
    assert len(a) == len(b)
    changed = [i for i, (x, y) in enumerate(zip(b, a)) if x != y]
    assert len(changed) == 2  # only the two registry Secrets
    values = secret_doc(after, "binder-secret")["stringData"]["values.yaml"]
    from ruamel.yaml import YAML

    config = YAML(typ="safe").load(values)["config"]
    assert config["BinderHub"]["image_prefix"] == f"{reg.host}/binder/prod-"
    assert config["BinderHub"]["base_url"] == "/"  # the chart's own settings survive
    assert config["DockerRegistry"] == {"url": reg.url, "auth_config_url": reg.url, "token_url": ""}
    cfg = base64.b64decode(secret_doc(after, "binder-build-docker-config")["data"]["config.json"])
    authfile = tmp_path / "config.json"
    authfile.write_bytes(cfg)
    proc = skopeo_push(authfile, f"{reg.host}/binder/prod-from-helm:1", image=oci_image)
    assert proc.returncode == 0, proc.stderr


def test_helm3_post_renderer(setup, helm3, tmp_path, oci_image):
    reg, values, env = setup
    done = helm_template(helm3, env, "--post-renderer", str(PLUGIN / "post-render.sh"),
                         "--post-renderer-args=-f", f"--post-renderer-args={values}")
    assert done.returncode == 0, done.stderr
    before, after = (tmp_path / "in.yaml").read_text(), (tmp_path / "out.yaml").read_text()
    assert "# Source: binderhub/templates/deployment.yaml" in before
    check_rewrite(before, after, reg, tmp_path, oci_image, reg.users["alice"])
    check_rewrite(helm_template(helm3, env).stdout, done.stdout, reg, tmp_path, oci_image, reg.users["alice"])
    assert reg.users["alice"] not in done.stderr


def test_helm4_plugin(setup, helm4, tmp_path, oci_image):
    reg, values, env = setup
    inst = subprocess.run([str(helm4), "plugin", "install", str(PLUGIN)], capture_output=True, text=True,
                          env=env, timeout=60)
    assert inst.returncode == 0, inst.stderr
    done = helm_template(helm4, env, "--post-renderer", "binderhub-registry-hook",
                         "--post-renderer-args=-f", f"--post-renderer-args={values}")
    assert done.returncode == 0, done.stderr
    before, after = (tmp_path / "in.yaml").read_text(), (tmp_path / "out.yaml").read_text()
    # Helm 4 annotates every document with its template file; the annotations must survive.
    marker = "postrenderer.helm.sh/postrender-filename"
    assert before.count(marker) == after.count(marker) == len(docs(before))
    check_rewrite(before, after, reg, tmp_path, oci_image, reg.users["alice"])
    # Helm uses the annotations to sort documents back into files, then drops them.
    final = secret_doc(done.stdout, "binder-build-docker-config")
    assert final["data"] == secret_doc(after, "binder-build-docker-config")["data"]
    assert marker not in done.stdout


def test_helm4_fails_clearly_when_registry_is_wrong(setup, helm4):
    reg, values, env = setup
    subprocess.run([str(helm4), "plugin", "install", str(PLUGIN)], capture_output=True, env=env, check=True)
    env = {**env, "REGISTRY_PASSWORD": "wrong-password"}
    done = helm_template(helm4, env, "--post-renderer", "binderhub-registry-hook",
                         "--post-renderer-args=-f", f"--post-renderer-args={values}")
    assert done.returncode != 0
    assert "error: credentials rejected" in done.stderr and "wrong-password" not in done.stderr


# -- the rewrite itself, on Helm 4's stream shape (annotations, no '# Source' lines) ------------

HELM4_STREAM = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: binder
  annotations:
    postrenderer.helm.sh/postrender-filename: 'binderhub/templates/deployment.yaml'
spec:
  replicas: 1   # odd spacing stays as it is
---
kind: Secret
apiVersion: v1
metadata:
  name: binder-secret
  annotations:
    postrenderer.helm.sh/postrender-filename: 'binderhub/templates/secret.yaml'
type: Opaque
stringData:
  values.yaml: |
    config:
      BinderHub:
        use_registry: true
---
kind: Secret
apiVersion: v1
metadata:
  name: binder-build-docker-config
  annotations:
    postrenderer.helm.sh/postrender-filename: 'binderhub/templates/secret.yaml'
type: Opaque
data:
  config.json: "e30="
"""


def outputs() -> Outputs:
    return Outputs(config_json=Secret('{"auths": {"r.example.org": {"auth": "eDp5"}}}\n'),
                   settings={"BinderHub": {"image_prefix": "r.example.org/b/p-"},
                             "DockerRegistry": {"url": "https://r.example.org", "token_url": ""}},
                   expires_at=None, registry="generic")


def test_rewrite_keeps_annotations_and_untouched_bytes():
    out, done = postrender.rewrite(HELM4_STREAM, outputs())
    assert done.patched == ["binder-secret", "binder-build-docker-config"]
    assert docs(out)[0] == docs(HELM4_STREAM)[0]
    assert out.count("postrenderer.helm.sh/postrender-filename: 'binderhub/templates/secret.yaml'") == 2
    doc = secret_doc(out, "binder-build-docker-config")
    assert base64.b64decode(doc["data"]["config.json"]).decode() == outputs().config_json.reveal()
    assert "image_prefix: r.example.org/b/p-" in secret_doc(out, "binder-secret")["stringData"]["values.yaml"]


def test_split_is_lossless():
    for stream in (HELM4_STREAM, "---\n# Source: a\nx: 1\n---\n\n---\ny: 2", "a: 1\n--- # c\nb: 2\n"):
        assert "".join(postrender.split(stream)) == stream


def test_missing_secrets_and_empty_stream():
    with pytest.raises(InputError, match="no Secret binder-build-docker-config"):
        postrender.rewrite(docs(HELM4_STREAM)[1], outputs())
    with pytest.raises(InputError, match="empty"):
        postrender.rewrite("  \n", outputs())


def test_cli_post_render_refuses_stream_without_binderhub(setup):
    reg, values, env = setup
    proc = subprocess.run([str(HOOK), "post-render", "-f", str(values)], input="kind: ConfigMap\n",
                          capture_output=True, text=True, env={**os.environ, **env})
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: invalid input: the manifest stream has no Secret")
