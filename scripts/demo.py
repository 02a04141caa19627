"""Run the main job on a local default and say what happened.

1. start a real registry (Debian's docker-registry) on 127.0.0.1 with htpasswd auth;
2. `binderhub-registry-hook explain` against it (spec -> provider -> credentials -> probe -> outputs);
3. `helm template` of a BinderHub-shaped chart with the hook as post-renderer,
   with Helm 3 (script path) and Helm 4 (plugin);
4. skopeo pushes an image using exactly the config.json Helm would install;
5. the wrong password, to show the failure a `helm install` would stop on.

Run it through `bash scripts/demo.sh`, which installs what it needs first.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import LocalRegistry, build_oci_layout, skopeo_push  # noqa: E402

HOOK = Path(sys.executable).parent / "binderhub-registry-hook"
CHART = ROOT / "tests" / "fixtures" / "binderhub-chart"
PLUGIN = ROOT / "helm-plugin" / "binderhub-registry-hook"


def say(title: str) -> None:
    print(f"\n== {title}")


def run(cmd: list, env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, **kw)


def binder_docker_config(stream: str) -> bytes:
    from ruamel.yaml import YAML

    for doc in YAML(typ="safe").load_all(stream):
        if doc and doc.get("kind") == "Secret" and doc["metadata"]["name"] == "binder-build-docker-config":
            return base64.b64decode(doc["data"]["config.json"])
    raise SystemExit("demo: binder-build-docker-config missing from the rendered chart")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="registry-hook-demo-"))
    password = "demo-" + secrets.token_urlsafe(12)
    with LocalRegistry(work / "registry", auth="htpasswd", users={"binder": password}) as reg:
        say(f"local registry with htpasswd auth at {reg.url} (user binder, random password)")
        values = work / "registry-values.yaml"
        values.write_text(
            "registry:\n"
            "  type: generic\n"
            f"  url: {reg.url}\n"
            f"  imagePrefix: {reg.host}/binder/demo-\n"
        )
        print(values.read_text().rstrip())
        env = {**os.environ, "REGISTRY_USERNAME": "binder", "REGISTRY_PASSWORD": password,
               "BINDERHUB_REGISTRY_HOOK": str(HOOK),
               "HELM_CONFIG_HOME": str(work / "helm/config"), "HELM_DATA_HOME": str(work / "helm/data"),
               "HELM_CACHE_HOME": str(work / "helm/cache")}

        say("binderhub-registry-hook explain -f registry-values.yaml  (credentials from REGISTRY_* env)")
        p = run([HOOK, "explain", "-f", values], env)
        print(p.stdout.rstrip() or p.stderr.rstrip())
        if p.returncode:
            return p.returncode

        say("helm 3.17: helm template binder <BinderHub-shaped chart> --post-renderer helm-plugin/.../post-render.sh")
        p3 = run([ROOT / ".tools/helm3/helm", "template", "binder", CHART,
                  "--post-renderer", PLUGIN / "post-render.sh",
                  "--post-renderer-args=-f", f"--post-renderer-args={values}"], env)
        if p3.returncode:
            print(p3.stderr)
            return 1
        print(f"rendered {p3.stdout.count('# Source:')} documents; binder-build-docker-config and binder-secret rewritten")

        say("helm 4.1: helm plugin install helm-plugin/binderhub-registry-hook; helm template ... --post-renderer binderhub-registry-hook")
        env4 = {**env, "HELM_DATA_HOME": str(work / "helm/data4")}  # Helm 3 cannot read Helm 4 plugins
        run([ROOT / ".tools/helm4/helm", "plugin", "install", PLUGIN], env4, check=True)
        p4 = run([ROOT / ".tools/helm4/helm", "template", "binder", CHART,
                  "--post-renderer", "binderhub-registry-hook",
                  "--post-renderer-args=-f", f"--post-renderer-args={values}"], env4)
        if p4.returncode:
            print(p4.stderr)
            return 1
        same = binder_docker_config(p3.stdout) == binder_docker_config(p4.stdout)
        print(f"Helm 4 rendered the same config.json as Helm 3: {same}")

        say("skopeo copy --authfile <config.json from binder-build-docker-config> oci:demo docker://...")
        authfile = work / "config.json"
        authfile.write_bytes(binder_docker_config(p4.stdout))
        image = build_oci_layout(work / "image")
        dest = f"{reg.host}/binder/demo-hello:1"
        push = skopeo_push(authfile, dest, image=image)
        print(f"pushed {dest}: {'ok' if push.returncode == 0 else 'FAILED ' + push.stderr.strip()}")
        if push.returncode:
            return 1

        say("the same install with a wrong password (what `helm install` would stop on)")
        bad = run([ROOT / ".tools/helm4/helm", "template", "binder", CHART,
                   "--post-renderer", "binderhub-registry-hook",
                   "--post-renderer-args=-f", f"--post-renderer-args={values}"],
                  {**env4, "REGISTRY_PASSWORD": "not-the-password"})
        line = next((x for x in bad.stderr.splitlines() if x.startswith("error: ")), "")
        print(f"exit {bad.returncode}: {line or bad.stderr.strip()}")
        if bad.returncode == 0 or "credentials rejected" not in line:
            return 1

    say("done: registry stopped; the hook validated, rewrote BinderHub's Secrets, and skopeo pushed with them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
