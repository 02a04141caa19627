"""`helm install` of the umbrella example on the real cluster: the hook Job runs the image
built from the Dockerfile, writes `binderhub-registry`, BinderHub's Deployment starts with
it; failures, upgrades, the refresh CronJob and `helm uninstall` (issue 12, tests 1-4, 6)."""

from __future__ import annotations

import base64
import json

import pytest

from tests.support.charts import uninstall_commands
from tests.support.proxy import TinyProxy

pytestmark = pytest.mark.timeout(600)


def assert_credentials_kept(before: dict, after: dict) -> None:
    """The credentials were not rewritten: data and type byte for byte, same content checksum.
    Only the hook's record of the check (its own annotations) may have moved on."""
    assert after["data"] == before["data"] and after["type"] == before["type"]
    checksum = "binderhub-registry-hook/checksum"
    assert after["metadata"]["annotations"][checksum] == before["metadata"]["annotations"][checksum]
    others = lambda s: {k: v for k, v in s["metadata"].get("annotations", {}).items()  # noqa: E731
                        if not k.startswith("binderhub-registry-hook/")}
    assert others(after) == others(before)


def auth_of(secret: dict, url: str) -> str:
    config = json.loads(base64.b64decode(secret["data"]["config.json"]))
    return base64.b64decode(config["auths"][url]["auth"]).decode()


@pytest.mark.parametrize("helm_name", ["helm3", "helm4"])
def test_install_runs_the_built_image_and_binder_starts_with_its_secret(request, helm_name, release_factory):
    release = release_factory(request.getfixturevalue(helm_name))
    cluster, ns, reg = release.cluster, release.namespace, release.registry

    proc = release.install()
    assert proc.returncode == 0, proc.stderr

    # The hook Job ran to completion in a pod of the image built from the Dockerfile.
    job = cluster.get("job", "binder-registry-hook", "-n", ns)
    assert job["status"].get("succeeded") == 1
    pod = cluster.get("pods", "-n", ns, "-l", "job-name=binder-registry-hook")["items"][0]
    assert pod["spec"]["containers"][0]["image"] == cluster.hook_image
    assert pod["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 0
    log = cluster.kubectl("logs", "job/binder-registry-hook", "-n", ns).stdout
    assert reg.password not in log

    # It wrote the Secret BinderHub is pointed at, with the registry's credentials.
    secret = release.secret()
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    assert auth_of(secret, reg.url) == f"alice:{reg.password}"
    settings = json.loads(base64.b64decode(secret["data"]["binderhub-settings.json"]))
    assert settings["BinderHub"]["image_prefix"] == f"{reg.host}/binder/e2e-"

    # BinderHub's pod started with it: it ran the chart's binderhub_config.py, loaded the
    # settings fragment from the Secret and read the mounted config.json.
    assert release.binder_ready()
    assert f"binder: image_prefix={reg.host}/binder/e2e- registry={reg.url} auths={reg.url}" in release.binder_log()

    # `helm test`: a pod of the same image pushes again with the written config.json.
    test = release.helm_run("test", release.name, "-n", ns, "--timeout", "120s")
    assert test.returncode == 0, test.stdout + test.stderr
    assert "Phase:          Succeeded" in test.stdout or "Phase: Succeeded" in " ".join(test.stdout.split())


def test_wrong_password_fails_the_install_with_the_hooks_line_in_logs_and_events(release_factory, helm3):
    release = release_factory(helm3)
    cluster, ns = release.cluster, release.namespace
    release.set_credentials("wrong-" + release.registry.password)

    proc = release.install()
    assert proc.returncode != 0
    assert "binder-registry-hook" in proc.stderr and "failed" in proc.stderr.lower()

    job = cluster.get("job", "binder-registry-hook", "-n", ns)
    assert job["status"].get("failed", 0) >= 1 and not job["status"].get("succeeded")
    log = cluster.kubectl("logs", "job/binder-registry-hook", "-n", ns).stdout + \
        cluster.kubectl("logs", "job/binder-registry-hook", "-n", ns, check=False).stderr
    lines = [line for line in log.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith("error: credentials rejected"), log
    assert "Traceback" not in log and release.registry.password not in log
    warnings = [e for e in release.events() if e["type"] == "Warning" and e["reason"] == "RegistryCheckFailed"]
    assert warnings, [(e["type"], e["reason"], e["message"]) for e in release.events()]
    assert lines[0].removeprefix("error: ") in warnings[0]["message"]
    assert release.secret() is None
    assert not cluster.exists("deployment", "binder", "-n", ns)


def test_upgrades_write_and_roll_only_on_change_and_a_failed_one_keeps_the_secret(release_factory, helm4):
    release = release_factory(helm4)
    cluster, ns, reg = release.cluster, release.namespace, release.registry
    assert release.install().returncode == 0
    first = release.secret()
    first_rs = release.replicasets()
    assert len(first_rs) == 1

    # Nothing changed: the credentials are not rewritten, nothing rolls.
    proc = release.upgrade()
    assert proc.returncode == 0, proc.stderr
    assert_credentials_kept(first, release.secret())
    assert [rs["metadata"]["name"] for rs in release.replicasets()] == [first_rs[0]["metadata"]["name"]]
    log = cluster.kubectl("logs", "job/binder-registry-hook", "-n", ns).stdout
    assert "not rolled" in log, log

    # A wrong password on upgrade: the upgrade fails, the Secret stays byte for byte.
    release.set_credentials("wrong-" + reg.password)
    proc = release.upgrade()
    assert proc.returncode != 0
    assert_credentials_kept(first, release.secret())
    assert len(release.replicasets()) == 1

    # The password rotated (the registry now takes only the new one): rewritten, rolled.
    new_password = reg.rotate()
    release.set_credentials(new_password)
    proc = release.upgrade()
    assert proc.returncode == 0, proc.stderr
    rotated = release.secret()
    assert rotated["data"] != first["data"]
    assert auth_of(rotated, reg.url) == f"alice:{new_password}"
    cluster.wait_for("binder rolled to a new ReplicaSet", lambda: len(release.replicasets()) == 2)
    cluster.wait_for("binder available again", release.binder_ready)
    newest = release.replicasets()[-1]
    annotations = newest["spec"]["template"]["metadata"].get("annotations", {})
    assert annotations.get("binderhub-registry-hook/checksum") == \
        rotated["metadata"]["annotations"]["binderhub-registry-hook/checksum"]


def test_refresh_cronjob_renews_changed_credentials_and_rolls_only_then(release_factory, helm3):
    release = release_factory(helm3)
    cluster, ns, reg = release.cluster, release.namespace, release.registry
    release.extra = {"registryHook": {**release.values()["registryHook"], "refresh": {"enabled": True}}}
    assert release.install().returncode == 0
    cronjob = "binder-registry-hook-refresh"
    assert cluster.exists("cronjob", cronjob, "-n", ns)
    first = release.secret()

    def run_refresh(name: str) -> str:
        cluster.kubectl("create", "job", name, "--from", f"cronjob/{cronjob}", "-n", ns)
        cluster.wait_for(f"job {name}", lambda: cluster.get("job", name, "-n", ns)["status"].get("succeeded")
                         or cluster.get("job", name, "-n", ns)["status"].get("failed"), timeout=120)
        job = cluster.get("job", name, "-n", ns)
        log = cluster.kubectl("logs", f"job/{name}", "-n", ns, check=False).stdout
        assert job["status"].get("succeeded") == 1, log
        return log

    # Nothing expired: nothing rewritten, nothing rolled.
    run_refresh("refresh-1")
    assert_credentials_kept(first, release.secret())
    assert len(release.replicasets()) == 1

    # The credentials expired (the registry no longer takes them) and were renewed in the
    # credentials Secret: the refresh writes them and rolls BinderHub.
    new_password = reg.rotate()
    release.set_credentials(new_password)
    run_refresh("refresh-2")
    renewed = release.secret()
    assert auth_of(renewed, reg.url) == f"alice:{new_password}"
    cluster.wait_for("binder rolled", lambda: len(release.replicasets()) == 2)
    cluster.wait_for("binder available again", release.binder_ready)

    # And once more with nothing new: no second roll.
    run_refresh("refresh-3")
    assert_credentials_kept(renewed, release.secret())
    assert len(release.replicasets()) == 2


def test_uninstall_leaves_what_the_chart_readme_says(release_factory, helm4):
    """chart/README.md's uninstall block, run as written (after a real install and `helm test`):
    `helm uninstall` leaves the hook's objects and its Secret; the first kubectl removes the
    objects and keeps the Secret; the second removes the Secret; the operator's own
    credentials Secret is theirs throughout."""
    release = release_factory(helm4)
    cluster, ns = release.cluster, release.namespace
    assert release.install().returncode == 0
    assert release.helm_run("test", release.name, "-n", ns, "--timeout", "120s").returncode == 0
    uninstall, keep, delete_secret = uninstall_commands(release.name, ns)

    def ours() -> set[str]:
        names = cluster.kubectl("get", "secret,configmap,serviceaccount,role,rolebinding,job,cronjob,deployment,pod",
                                "-n", ns, "-o", "name").stdout.split()
        return {n for n in names if n not in ("configmap/kube-root-ca.crt", "serviceaccount/default")
                and not n.startswith("pod/binder-registry-hook-") or n == "pod/binder-registry-hook-test"}

    proc = release.helm_run(*uninstall[1:], "--wait", "--timeout", "120s")
    assert proc.returncode == 0, proc.stderr
    cluster.wait_for("binder's pods to go", lambda: not [n for n in ours() if n.startswith("pod/binder-")
                                                          and not n.startswith("pod/binder-registry-hook")])
    # What stays: the Secret the hook wrote, the operator's Secret, and only Helm hooks
    # (Helm never deletes those) with the hook Job's and the helm-test pods.
    left = ours()
    assert {"secret/binderhub-registry", "secret/registry-credentials"} <= left
    for name in left - {"secret/binderhub-registry", "secret/registry-credentials"}:
        if name.startswith("pod/"):
            continue
        annotations = cluster.get(name, "-n", ns)["metadata"].get("annotations", {})
        assert "helm.sh/hook" in annotations, f"{name} outlived `helm uninstall` and is no hook"
    assert not cluster.exists("deployment", "binder", "-n", ns)
    assert not cluster.exists("secret", "binder-secret", "-n", ns)

    assert cluster.kubectl(*keep[1:]).returncode == 0
    cluster.wait_for("the hook objects and pods to go", lambda: ours() == {"secret/binderhub-registry",
                                                                          "secret/registry-credentials"}, timeout=60)
    assert cluster.kubectl(*delete_secret[1:]).returncode == 0
    assert ours() == {"secret/registry-credentials"}


def test_install_behind_a_forward_proxy(release_factory, helm3, tmp_path):
    """A site whose registry is reached through a forward proxy (job.extraEnv): the hook's
    registry traffic goes through a real proxy on the bridge, the Kubernetes API does not,
    although the client reads HTTP(S)_PROXY too and no NO_PROXY names the API server."""
    release = release_factory(helm3)
    cluster, ns, reg = release.cluster, release.namespace, release.registry
    with TinyProxy(tmp_path / "proxy", listen=cluster.node_ip) as proxy:
        env = [{"name": "HTTP_PROXY", "value": proxy.url()}, {"name": "HTTPS_PROXY", "value": proxy.url()}]
        hook = release.values()["registryHook"]
        release.extra = {"registryHook": {**hook, "job": {**hook["job"], "extraEnv": env}}}
        proc = release.install()
        assert proc.returncode == 0, proc.stderr
        test = release.helm_run("test", release.name, "-n", ns, "--timeout", "120s")
        log = proxy.logged()
    assert test.returncode == 0, test.stdout + test.stderr

    pod = cluster.get("pods", "-n", ns, "-l", "job-name=binder-registry-hook")["items"][0]
    given = {e["name"]: e.get("value") for e in pod["spec"]["containers"][0]["env"]}
    assert given["HTTPS_PROXY"] == given["HTTP_PROXY"] == proxy.url() and "NO_PROXY" not in given
    # The registry (plain http) through the proxy: the hook's probe and the test pod's push.
    assert f"GET http://{reg.host}/v2/" in log and f"POST http://{reg.host}/v2/binder/e2e-" in log, log[-2000:]
    # The API server (https) would have been a CONNECT request: there is none (tinyproxy tags
    # every line of its connection log "CONNECT"; a tunnel's request line is ": CONNECT host").
    assert "): CONNECT " not in log, log[-2000:]
    assert reg.password not in log
    assert auth_of(release.secret(), reg.url) == f"alice:{reg.password}"
