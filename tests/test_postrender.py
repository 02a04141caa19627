"""The post-renderer with real Helm 3 and 4 over a BinderHub-shaped chart, and a real registry.

Helm 3 runs the plugin's script as ``--post-renderer PATH``; Helm 4 installs the
plugin directory and takes its name.  Every document other than the two BinderHub
registry Secrets and the ``binder`` Deployment (one added annotation line) must come
out byte-for-byte, and skopeo must push with the ``config.json`` that ends up in
``binder-build-docker-config``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from binderhub_registry_hook import postrender
from binderhub_registry_hook.dockerconfig import Outputs
from binderhub_registry_hook.errors import InputError
from binderhub_registry_hook.kube import ANN_CHECKSUM as ANNOTATION
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


def deployment_doc(stream: str, name: str = "binder") -> str:
    [chunk] = [c for c in docs(stream) if "kind: Deployment" in c and f"name: {name}" in c]
    return chunk


def checksum_of(stream: str) -> str:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(deployment_doc(stream))["spec"]["template"]["metadata"]["annotations"][ANNOTATION]


def check_rewrite(before: str, after: str, reg, tmp_path, oci_image, password: str):
    assert password not in after.replace(base64.b64encode(password.encode()).decode(), "")
    b, a = docs(before), docs(after)
    assert len(a) == len(b)
    changed = [i for i, (x, y) in enumerate(zip(b, a)) if x != y]
    assert len(changed) == 3  # the two registry Secrets and the binder Deployment
    # The Deployment gains exactly one line, the checksum annotation next to the chart's own.
    old, new = deployment_doc(before).splitlines(), deployment_doc(after).splitlines()
    added = [line for line in new if line not in old]
    assert len(new) == len(old) + 1 and len(added) == 1
    assert added[0].strip().startswith(f"{ANNOTATION}: ")
    assert new[new.index(added[0]) + 1].strip().startswith("checksum/config:")
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


def test_helm3_and_helm4_side_by_side_as_the_readme_says(setup, helm3, helm4, tmp_path):
    """README: Helm 4's plugin goes into Helm 4's own HELM_DATA_HOME, so Helm 3 stays quiet."""
    reg, values, env = setup
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index("Helm 4 takes a plugin name"):]
    block = block[block.index("```bash"):block.index("```", block.index("```bash") + 3)]
    assert re.search(r'(?m)^export HELM_DATA_HOME=\S+', block), "the README's Helm 4 steps set HELM_DATA_HOME"
    assert block.index("export HELM_DATA_HOME") < block.index("helm plugin install")

    def helm(binary, *args, **extra):
        return subprocess.run([str(binary), *args], capture_output=True, text=True, env={**env, **extra},
                              timeout=120)

    shared = env["HELM_DATA_HOME"]
    own = str(tmp_path / "helm4-data")
    assert helm(helm4, "plugin", "install", str(PLUGIN), HELM_DATA_HOME=own).returncode == 0
    three = helm(helm3, "template", "binder", str(CHART))
    assert three.returncode == 0 and "failed to load plugins" not in three.stderr, three.stderr
    four = helm(helm4, "template", "binder", str(CHART), "--post-renderer", "binderhub-registry-hook",
                "--post-renderer-args=-f", f"--post-renderer-args={values}", HELM_DATA_HOME=own)
    assert four.returncode == 0, four.stderr
    # What the README warns about: the same plugin in the shared directory breaks every Helm 3 command.
    assert helm(helm4, "plugin", "install", str(PLUGIN), HELM_DATA_HOME=shared).returncode == 0
    three = helm(helm3, "template", "binder", str(CHART))
    assert 'failed to load plugins' in three.stderr and 'unknown field "apiVersion"' in three.stderr


def test_helm4_fails_clearly_when_registry_is_wrong(setup, helm4):
    reg, values, env = setup
    subprocess.run([str(helm4), "plugin", "install", str(PLUGIN)], capture_output=True, env=env, check=True)
    env = {**env, "REGISTRY_PASSWORD": "wrong-password"}
    done = helm_template(helm4, env, "--post-renderer", "binderhub-registry-hook",
                         "--post-renderer-args=-f", f"--post-renderer-args={values}")
    assert done.returncode != 0
    assert "error: credentials rejected" in done.stderr and "wrong-password" not in done.stderr


def test_rotation_restarts_binder_and_build_docker_config_is_kept(tmp_path, registry_factory, helm3, helm_env,
                                                                   oci_image):
    """The operator's upgrade: the same credentials twice, then a rotated login, with the chart's
    buildDockerConfig holding another registry's login and proxies."""
    reg = registry_factory("htpasswd", users={"alice": "s3cret-" + os.urandom(6).hex(),
                                              "bob": "s3cret-" + os.urandom(6).hex()})
    values = tmp_path / "registry.yaml"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url,
                                               "imagePrefix": f"{reg.host}/binder/prod-"}}))
    other = base64.b64encode(b"someone:elsewhere").decode()
    chart_values = tmp_path / "binderhub.yaml"
    chart_values.write_text(json.dumps({"config": {"BinderHub": {"buildDockerConfig": {
        "auths": {"other.example.org": {"auth": other}},
        "proxies": {"default": {"httpProxy": "http://proxy.example.org:3128"}}}}}}))

    def upgrade(user):
        env = {**helm_env, "BINDERHUB_REGISTRY_HOOK": str(HOOK), "REGISTRY_USERNAME": user,
               "REGISTRY_PASSWORD": reg.users[user]}
        done = helm_template(helm3, env, "-f", str(chart_values), "--post-renderer", str(PLUGIN / "post-render.sh"),
                             "--post-renderer-args=-f", f"--post-renderer-args={values}")
        assert done.returncode == 0, done.stderr
        return done.stdout

    first, again, rotated = upgrade("alice"), upgrade("alice"), upgrade("bob")
    plain = helm_template(helm3, helm_env, "-f", str(chart_values)).stdout
    # The chart's own checksum/config cannot see the rotation: it is computed before post-rendering.
    assert {checksum_of_chart(x) for x in (plain, first, rotated)} == {checksum_of_chart(plain)}
    assert deployment_doc(again) == deployment_doc(first)  # nothing changed: no restart
    assert checksum_of(rotated) != checksum_of(first)  # rotated: BinderHub restarts
    changed = [line for line in deployment_doc(rotated).splitlines()
               if line not in deployment_doc(first).splitlines()]
    assert len(changed) == 1 and changed[0].strip().startswith(ANNOTATION)
    for secret in (reg.users["alice"], reg.users["bob"]):
        assert secret not in checksum_of(first) + checksum_of(rotated)

    config = json.loads(base64.b64decode(secret_doc(rotated, "binder-build-docker-config")["data"]["config.json"]))
    assert config["proxies"] == {"default": {"httpProxy": "http://proxy.example.org:3128"}}
    assert config["auths"]["other.example.org"] == {"auth": other}
    assert config["auths"][reg.url] == {"auth": base64.b64encode(f"bob:{reg.users['bob']}".encode()).decode()}
    # The chart's own entry (registry.* unset: Docker Hub's key) is another registry's: kept as the chart has it.
    assert set(config["auths"]) == {"other.example.org", reg.url, "https://index.docker.io/v1/"}
    authfile = tmp_path / "config.json"
    authfile.write_text(json.dumps(config))
    proc = skopeo_push(authfile, f"{reg.host}/binder/prod-rotated:1", image=oci_image)
    assert proc.returncode == 0, proc.stderr


def checksum_of_chart(stream: str) -> str:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(deployment_doc(stream))["spec"]["template"]["metadata"]["annotations"][
        "checksum/config"]


@pytest.mark.parametrize("where", ["pipe", "file", "append"])
def test_helm4_shows_the_hooks_line_wherever_stderr_goes(setup, helm4, tmp_path, where):
    """`2>&1 | ...`, `2> err.txt` and `2>> log` (as CI does): the hook's line and Helm's both arrive."""
    reg, values, env = setup
    subprocess.run([str(helm4), "plugin", "install", str(PLUGIN)], capture_output=True, env=env, check=True)
    env = {**env, "REGISTRY_PASSWORD": "wrong-password"}
    log = tmp_path / "stderr.txt"
    log.write_text("earlier CI output\n" if where == "append" else "")
    argv = [str(helm4), "template", "binder", str(CHART), "--post-renderer", "binderhub-registry-hook",
            "--post-renderer-args=-f", f"--post-renderer-args={values}"]
    if where == "pipe":
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
        text = done.stderr
    else:
        with open(log, "w" if where == "file" else "a") as err:
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, timeout=120)
        text = log.read_text()
    assert done.returncode != 0
    lines = [line for line in text.splitlines() if line.strip()]
    ours = [i for i, line in enumerate(lines) if line.startswith("error: credentials rejected")]
    helms = [i for i, line in enumerate(lines) if line.startswith("Error: ") and "exited with error" in line]
    assert len(ours) == 1 and len(helms) == 1, text
    assert ours[0] < helms[0]  # written before Helm's, and not overwritten by it
    assert "wrong-password" not in text
    if where == "append":
        assert lines[0] == "earlier CI output"


@pytest.mark.parametrize("before", ["", "a warning Helm printed earlier\n"])
def test_stderr_relay_without_helms_descriptor_survives_helms_own_message(tmp_path, before):
    """Where pidfd_getfd is denied (Yama, containers), a file Helm holds at an offset still ends
    up with both lines: ours after padding that Helm's message overwrites."""
    from binderhub_registry_hook.helmstderr import deliver

    log = tmp_path / "err.txt"
    with open(log, "w") as err:  # `2> err.txt`: no O_APPEND, offset 0
        # A process standing in for Helm's write pattern: some output, wait, then its error message.
        helm = subprocess.Popen(["sh", "-c", f"printf '{before}' >&2; read x; "
                                 "echo 'Error: error while running post render on files: plugin exited with error' >&2;"
                                 "echo >&2; echo 'Use --debug flag to render out invalid YAML' >&2"],
                                stdin=subprocess.PIPE, stderr=err)
    try:
        for _ in range(100):  # until its first printf is done
            if log.read_text() == before:
                break
            import time
            time.sleep(0.01)
        assert deliver(helm.pid, b"error: credentials rejected: the registry said no\n", failed=True, share=False)
        helm.communicate(b"go\n", timeout=10)
    finally:
        helm.kill()
    lines = [line.strip() for line in log.read_text().splitlines() if line.strip()]
    assert lines == [x for x in [before.strip(), "Error: error while running post render on files: plugin exited "
                                 "with error", "Use --debug flag to render out invalid YAML",
                                 "error: credentials rejected: the registry said no"] if x]


LOOKUP = ROOT / "tests" / "support" / "binderhub_lookup.py"


def binderhub_lookup(reg, user: str, bundle: Path | None, tmp_path) -> dict:
    """BinderHub's manifest lookup with Debian's tornado + libcurl; ``bundle`` is mounted over the
    system bundle in a private mount namespace, as the kubelet mounts a subPath into the binder pod."""
    argv = ["/usr/bin/python3", str(LOOKUP), reg.url, "binder/prod-not-built-yet", "v1"]
    if bundle is not None:
        script = tmp_path / "with-bundle.sh"
        script.write_text(f'mount --bind "{bundle}" /etc/ssl/certs/ca-certificates.crt && exec "$@"\n')
        argv = ["unshare", "--mount", "--propagation", "private", "sh", str(script), *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "REGISTRY_USERNAME": user,
                               "REGISTRY_PASSWORD": reg.users[user]})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_private_ca_reaches_binderhub_and_the_build_engine(tmp_path, registry_factory, helm3, helm_env, oci_image):
    """registry.tls.caBundle: the hook's probe passes, and so do BinderHub's own lookup (its libcurl
    client through the mounted bundle) and a push through a certs.d layout (what dockerd/podman read)."""
    if os.geteuid() != 0:
        pytest.skip("a private mount namespace (unshare --mount) needs root, as CI runs")
    reg = registry_factory("htpasswd", tls=True)
    ca = reg.ca.cert_pem.decode()
    values = tmp_path / "registry.yaml"
    values.write_text(json.dumps({"registry": {"type": "generic", "url": reg.url, "tls": {"caBundle": ca},
                                               "imagePrefix": f"{reg.host}/binder/prod-"}}))
    env = {**helm_env, "BINDERHUB_REGISTRY_HOOK": str(HOOK), "REGISTRY_USERNAME": "alice",
           "REGISTRY_PASSWORD": reg.users["alice"]}
    done = helm_template(helm3, env, "--post-renderer", str(PLUGIN / "post-render.sh"),
                         "--post-renderer-args=-f", f"--post-renderer-args={values}")
    assert done.returncode == 0, done.stderr
    from ruamel.yaml import YAML

    secret = secret_doc(done.stdout, "binder-build-docker-config")
    files = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert files["ca.crt"].strip() == ca.strip() and files["ca-certificates.crt"].rstrip().endswith(ca.strip())
    # The binder pod mounts the bundle over its system bundle, from the Secret it already mounts.
    pod = YAML(typ="safe").load(deployment_doc(done.stdout))["spec"]["template"]["spec"]
    [binder] = pod["containers"]
    [mount] = [m for m in binder["volumeMounts"] if m["mountPath"] == "/etc/ssl/certs/ca-certificates.crt"]
    assert mount["subPath"] == "ca-certificates.crt" and mount["readOnly"] is True
    [volume] = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == "binder-build-docker-config"

    # BinderHub's lookup: without the bundle libcurl refuses the registry, with it the image is "not built yet".
    assert "certificate" in binderhub_lookup(reg, "alice", None, tmp_path).get("error", "")
    bundle = tmp_path / "ca-certificates.crt"
    bundle.write_text(files["ca-certificates.crt"])
    assert binderhub_lookup(reg, "alice", bundle, tmp_path) == {"status": 404}

    # The build engine: a push trusting only certs.d/HOST/ca.crt (the Secret's ca.crt), config.json as written.
    certs = tmp_path / "certs.d" / reg.host
    certs.mkdir(parents=True)
    (certs / "ca.crt").write_text(files["ca.crt"])
    (tmp_path / "config.json").write_text(files["config.json"])
    push = skopeo_push(tmp_path / "config.json", f"{reg.host}/binder/prod-private-ca:1", image=oci_image,
                       cert_dir=certs)
    assert push.returncode == 0, push.stderr


def test_private_ca_validate_and_explain_say_what_still_needs_it(run, registry_factory):
    reg = registry_factory("htpasswd", tls=True)
    block = {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-",
             "tls": {"caBundle": reg.ca.cert_pem.decode()}}
    code, out, err = run(block, username="alice", password=reg.users["alice"])
    assert code == 0, err
    binder, build = [line for line in out.splitlines() if line.startswith("warning:")]
    assert "binder pod must trust the registry's CA" in binder and "mountPath: /etc/ssl/certs/ca-certificates.crt, " \
        "subPath: ca-certificates.crt" in binder
    assert "build pods' container engine must trust the registry's CA" in build
    assert f"/etc/docker/certs.d/{reg.host}/ca.crt" in build and "dind.daemonset.extraVolumes" in build
    code, out, err = run(block, username="alice", password=reg.users["alice"], command="explain")
    assert code == 0, err
    assert "the Secret also holds ca.crt, ca-certificates.crt" in out
    assert "over /etc/ssl/certs/ca-certificates.crt (subPath)" in out and "the hook cannot do that" in out


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
  template:
    metadata:
      annotations:
          checksum/config: 0123
    spec: {containers: []}
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
    assert done.patched == ["binder-build-docker-config", "binder-secret", "binder"]
    # The Deployment gains one line at the column of the chart's annotations; the rest keeps its bytes.
    assert docs(out)[0] == docs(HELM4_STREAM)[0].replace(
        "          checksum/config", f'          {ANNOTATION}: "{done.checksum}"\n          checksum/config')
    assert out.count("postrenderer.helm.sh/postrender-filename: 'binderhub/templates/secret.yaml'") == 2
    doc = secret_doc(out, "binder-build-docker-config")
    assert json.loads(base64.b64decode(doc["data"]["config.json"])) == json.loads(outputs().config_json.reveal())
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


def test_restart_annotation_changes_only_with_what_was_written():
    first, done = postrender.rewrite(HELM4_STREAM, outputs())
    again, _ = postrender.rewrite(HELM4_STREAM, outputs())
    assert again == first  # same credentials and settings: the same release, no restart
    rotated = Outputs(config_json=Secret('{"auths": {"r.example.org": {"auth": "eDp6"}}}\n'),
                      settings=outputs().settings, expires_at=None, registry="generic")
    after, done2 = postrender.rewrite(HELM4_STREAM, rotated)
    assert done2.checksum != done.checksum
    changed = [i for i, (x, y) in enumerate(zip(docs(first), docs(after))) if x != y]
    assert changed == [0, 2]  # the Deployment's annotation and the docker config; settings unchanged
    # No secret in the annotation: it is a digest, and the same one the in-cluster roll uses.
    assert "eDp5" not in done.checksum and len(done.checksum) == 32
    # A settings change (another prefix) restarts BinderHub too.
    moved = Outputs(config_json=outputs().config_json, expires_at=None, registry="generic",
                    settings={**outputs().settings, "BinderHub": {"image_prefix": "r.example.org/b/q-"}})
    assert postrender.rewrite(HELM4_STREAM, moved)[1].checksum != done.checksum


@pytest.mark.parametrize("template, expect", [
    ("    metadata: {labels: {app: binder}}\n", {ANNOTATION}),
    ("    metadata:\n      annotations: {}\n", {ANNOTATION}),
    ("    metadata:\n      annotations: {a: b}\n", {ANNOTATION, "a"}),
    (f"    metadata:\n      annotations:\n        {ANNOTATION}: old\n", {ANNOTATION}),
])
def test_restart_annotation_without_a_block_of_annotations(template, expect):
    from ruamel.yaml import YAML

    stream = HELM4_STREAM.replace(
        "  template:\n    metadata:\n      annotations:\n          checksum/config: 0123\n", "  template:\n" + template)
    out, done = postrender.rewrite(stream, outputs())
    meta = YAML(typ="safe").load(docs(out)[0])["spec"]["template"]["metadata"]
    assert set(meta["annotations"]) == expect and meta["annotations"][ANNOTATION] == done.checksum


def test_no_deployment_is_an_error_unless_told_to_leave_it():
    stream = "".join(docs(HELM4_STREAM)[1:])
    with pytest.raises(InputError, match="no Deployment binder.*--binder-deployment ''"):
        postrender.rewrite(stream, outputs())
    out, done = postrender.rewrite(HELM4_STREAM, outputs(), binder_deployment="")
    assert docs(out)[0] == docs(HELM4_STREAM)[0] and "binder" not in done.patched


def chart_config(config: dict) -> str:
    return HELM4_STREAM.replace('config.json: "e30="', f'config.json: "{base64.b64encode(json.dumps(config).encode()).decode()}"')


def test_build_docker_config_is_merged_not_replaced():
    chart = {"auths": {"other.example.org": {"auth": "b3RoZXI6cHc="},
                       "https://r.example.org/": {"auth": "c3RhbGU6b2xk"},  # same host, another key
                       "https://index.docker.io/v1/": {"auth": "aHViOnB3"}},
             "proxies": {"default": {"httpProxy": "http://proxy:3128"}}, "credHelpers": {"x.example.org": "x"}}
    out, _ = postrender.rewrite(chart_config(chart), outputs())
    written = json.loads(base64.b64decode(secret_doc(out, "binder-build-docker-config")["data"]["config.json"]))
    assert written == {"auths": {"other.example.org": {"auth": "b3RoZXI6cHc="},
                                 "https://index.docker.io/v1/": {"auth": "aHViOnB3"},
                                 "r.example.org": {"auth": "eDp5"}},
                       "proxies": {"default": {"httpProxy": "http://proxy:3128"}},
                       "credHelpers": {"x.example.org": "x"}}


@pytest.mark.parametrize("config_json, words", [
    ("bm90IGpzb24=", "config.json is not JSON"),  # "not json"
    (base64.b64encode(b'{"auths": []}').decode(), "`auths` is an object"),
    ("%%%", "not base64"),
])
def test_unusable_chart_docker_config_is_one_clear_line(config_json, words):
    with pytest.raises(InputError, match=words) as e:
        postrender.rewrite(HELM4_STREAM.replace('"e30="', f'"{config_json}"'), outputs())
    assert "binder-build-docker-config" in str(e.value) and "buildDockerConfig" in str(e.value) or words == "not base64"


def test_only_the_deployment_called_binder_is_touched():
    worker = ("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: binder-worker\n  labels:\n"
              "    app.kubernetes.io/instance: binder\nspec:\n  template:\n    metadata:\n      annotations:\n"
              "        checksum/config: x\n    spec: {containers: [{name: binder, image: x}]}\n")
    stream = worker + "---\n" + HELM4_STREAM
    out, done = postrender.rewrite(stream, outputs())
    assert docs(out)[0] == docs(stream)[0] and done.patched.count("binder") == 1
