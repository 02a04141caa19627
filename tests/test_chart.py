"""The chart with real Helm 3.17 and 4.1: lint, template, schema, manifests, wiring.

Every rendered document is checked with `kubernetes-validate` (schemas bundled in the
package, strict mode, so unknown fields fail too).  The umbrella example is rendered
with tests/fixtures/binderhub-chart in place of the real BinderHub chart (no network).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from tests.support.charts import (
    GENERIC_VALUES,
    LONG_LIVED_SCHEDULE,
    by_kind,
    pod_spec,
    render,
    umbrella_chart,
    values_file,
)
from tests.support.kubeapi import hook_role_rules

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "chart"
EXAMPLE = ROOT / "examples" / "binderhub"
K8S_VERSION = "1.33.0"  # a recent release; the chart says kubeVersion >=1.28

IRSA = {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/binderhub-registry-hook"}
GKE = {"iam.gke.io/gcp-service-account": "binder-hook@my-project.iam.gserviceaccount.com"}
AZWI = {"azure.workload.identity/client-id": "00000000-0000-0000-0000-0000000000aa"}

# One value set per registry type, with only the keys the schema has for it
# (common keys where the provider's own block is not needed) -> expected CronJob schedule.
VALUE_SETS = {
    "generic": (GENERIC_VALUES, "30 4 * * *"),
    "dockerhub": ({"registry": {"type": "dockerhub", "imagePrefix": "myorg/binder-",
                                "credentials": {"existingSecret": "hub-token"}}}, "30 4 * * *"),
    "google": ({"registry": {"type": "google", "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/prod-"},
                "serviceAccount": {"annotations": GKE}}, "*/30 * * * *"),
    "google-key": ({"registry": {"type": "google",
                                 "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/prod-",
                                 "credentials": {"existingSecret": "gcp-key", "passwordKey": "key.json"}}},
                   "30 4 * * *"),
    "azure": ({"registry": {"type": "azure", "imagePrefix": "myacr.azurecr.io/binder/prod-",
                            "azure": {"registryName": "myacr", "auth": "workloadIdentity"}},
               "serviceAccount": {"annotations": AZWI}}, "0 */6 * * *"),
    "harbor": ({"registry": {"type": "harbor", "url": "https://harbor.example.org",
                             "imagePrefix": "harbor.example.org/binder/prod-",
                             "credentials": {"existingSecret": "harbor-robot"}}}, "30 4 * * *"),
    "ovh": ({"registry": {"type": "ovh", "url": "https://abcd1234.gra7.container-registry.ovh.net",
                          "imagePrefix": "abcd1234.gra7.container-registry.ovh.net/binder/prod-",
                          "credentials": {"existingSecret": "ovh-robot"}}}, "30 4 * * *"),
    "ecr": ({"registry": {"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/prod-",
                          "ecr": {"region": "eu-west-1"}},
             "serviceAccount": {"annotations": IRSA}}, "0 */6 * * *"),
}

CHART_META = YAML(typ="safe").load((CHART / "Chart.yaml").read_text())
HOOK_WEIGHTS = {"ConfigMap": -30, "ServiceAccount": -20, "Role": -10, "RoleBinding": -10, "Job": 0}


# -- schema and lint --------------------------------------------------------------------


def test_values_schema_json_is_generated_from_the_yaml_source():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "generate-schema.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_lint(helm, tmp_path, name):
    values, _ = VALUE_SETS[name]
    proc = helm("lint", CHART, "--strict", "-f", values_file(tmp_path, values))
    assert "1 chart(s) linted, 0 chart(s) failed" in proc.stdout


@pytest.mark.parametrize("values, words", [
    ({}, "registry"),  # no registry block at all
    ({"registry": {"type": "generic", "url": "https://r.example.org"}}, "imagePrefix"),
    ({"registry": {"type": "quay", "imagePrefix": "quay.io/x/y-"}}, "type"),
    ({"registry": {"type": "generic", "url": "https://r.example.org", "imagePrefix": "r.example.org/b/p-",
                   "credentials": {"password": "inline-secret"}}}, "password"),
    ({"output": {"secretName": "binder-build-docker-config"}}, "secretName"),
    ({"output": {"secretName": "Not_A_Name"}}, "secretName"),
    ({"refresh": {"enabled": "sometimes"}}, "enabled"),
    ({"refresh": {"schedule": "every day"}}, "schedule"),
    ({"job": {"backoffLimit": 100}}, "backoffLimit"),
    ({"job": {"activeDeadlineSeconds": 5}}, "activeDeadlineSeconds"),
    ({"serviceAccount": {"annotations": {"a": 1}}}, "annotations"),
    ({"log": {"level": "verbose"}}, "level"),
    ({"job": {"extraEnv": [{"name": "POD_NAMESPACE", "value": "other"}]}}, "extraEnv"),
    ({"job": {"extraEnv": [{"name": "HTTPS_PROXY", "value": "http://p:3128",
                            "valueFrom": {"secretKeyRef": {"name": "p", "key": "url"}}}]}}, "extraEnv"),
    ({"job": {"extraEnv": [{"name": "HTTPS PROXY", "value": "http://p:3128"}]}}, "extraEnv"),
    ({"job": {"extraEnv": [{"value": "http://p:3128"}]}}, "extraEnv"),
    ({"image": {"nmae": "x"}}, "nmae"),
])
def test_helm_itself_rejects_bad_values(helm, tmp_path, values, words):
    base = VALUE_SETS["generic"][0]
    merged = {**base, **values} if values else {"image": {"tag": "x"}}
    proc = helm("template", "binder", CHART, "-f", values_file(tmp_path, merged), check=False)
    assert proc.returncode != 0
    assert "values don't meet the specifications of the schema" in proc.stderr
    assert words in proc.stderr
    assert "inline-secret" not in proc.stderr or words == "password"


# -- rendered manifests -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_template_each_registry_type(helm, tmp_path, name):
    values, schedule = VALUE_SETS[name]
    docs = render(helm, tmp_path, values)
    kinds = by_kind(docs)
    expected = {"ConfigMap", "ServiceAccount", "Role", "RoleBinding", "Job", "Pod"} | ({"CronJob"} if schedule else set())
    assert set(kinds) == expected

    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        labels = doc["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "binderhub-registry-hook"
        assert labels["app.kubernetes.io/instance"] == "binder"
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
        assert labels["helm.sh/chart"] == f"binderhub-registry-hook-{CHART_META['version']}"
        assert doc["metadata"]["namespace"] == "binder"

    # Hooks: pre-install and pre-upgrade, ordered config -> identity -> RBAC -> Job, replaced each time;
    # the install-time identity is deleted when the Job is done (tests/test_rbac.py has the rest).
    for kind, weight in HOOK_WEIGHTS.items():
        [doc] = [d for d in kinds[kind] if "helm.sh/hook" in (d["metadata"].get("annotations") or {})]
        ann = doc["metadata"]["annotations"]
        assert ann["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert ann["helm.sh/hook-weight"] == str(weight)
        assert ann["helm.sh/hook-delete-policy"] == ("before-hook-creation" if kind in ("ConfigMap", "Job")
                                                     else "before-hook-creation,hook-succeeded,hook-failed")
    [test_pod] = kinds["Pod"]
    assert test_pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert "helm.sh/hook" not in kinds.get("CronJob", [{"metadata": {}}])[0]["metadata"].get("annotations", {})

    # The config holds the registry block, nothing else (no credentials exist in values).
    [cm] = kinds["ConfigMap"]
    assert YAML(typ="safe").load(cm["data"]["values.yaml"]) == {"registry": values["registry"]}
    assert json.loads(cm["data"]["values.yaml"]) == {"registry": values["registry"]}  # read without a YAML parser

    [job] = kinds["Job"]
    assert job["spec"]["backoffLimit"] == 1 and job["spec"]["activeDeadlineSeconds"] == 180
    assert job["spec"]["ttlSecondsAfterFinished"] == 3600
    for doc in [job, test_pod, *kinds.get("CronJob", [])]:
        spec = pod_spec(doc)
        assert spec["serviceAccountName"] == "binder-binderhub-registry-hook" + ("" if doc is job else "-refresh")
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        [c] = spec["containers"]
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"] == {"drop": ["ALL"]}
        args = c["args"]
        assert args[args.index("-f") + 1] == "/etc/registry-hook/values.yaml"
        mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert volumes[mounts["/etc/registry-hook/values.yaml"]]["configMap"]["name"] == cm["metadata"]["name"]
        existing = values["registry"].get("credentials", {}).get("existingSecret")
        if existing:
            assert args[args.index("--credentials") + 1] == "/etc/registry-hook/credentials"
            assert volumes[mounts["/etc/registry-hook/credentials"]]["secret"]["secretName"] == existing
        else:
            assert "--credentials" not in args and "/etc/registry-hook/credentials" not in mounts
    assert pod_spec(job)["containers"][0]["args"][:5] == ["apply", "--secret-name", "binderhub-registry",
                                                          "--binder-deployment", "binder"]
    test_args = pod_spec(test_pod)["containers"][0]["args"]
    assert test_args[:3] == ["validate", "--docker-config", "/etc/registry-hook/output/config.json"]
    assert {"name": "output", "secret": {"secretName": "binderhub-registry",
                                         "items": [{"key": "config.json", "path": "config.json"}]}} \
        in pod_spec(test_pod)["volumes"]

    # Cloud identity rides on the ServiceAccount; Azure also needs the pod label.
    for sa in kinds["ServiceAccount"]:  # the install-time and the refresh identity
        for key, value in values.get("serviceAccount", {}).get("annotations", {}).items():
            assert sa["metadata"]["annotations"][key] == value
    wi_label = job["spec"]["template"]["metadata"]["labels"].get("azure.workload.identity/use")
    assert wi_label == ("true" if name == "azure" else None)

    if schedule:
        [cron] = kinds["CronJob"]
        assert cron["spec"]["schedule"] == schedule and cron["spec"]["concurrencyPolicy"] == "Forbid"
        assert pod_spec(cron)["containers"][0]["args"][0] == "refresh"


def test_rbac_is_least_privilege_and_matches_the_test_server(helm, tmp_path):
    kinds = by_kind(render(helm, tmp_path, VALUE_SETS["generic"][0]))
    # The install-time and the refresh identity (tests/test_rbac.py): the same rules each.
    roles = {r["metadata"]["name"]: r for r in kinds["Role"]}
    bindings = {b["metadata"]["name"]: b for b in kinds["RoleBinding"]}
    assert set(roles) == set(bindings) == {"binder-binderhub-registry-hook", "binder-binderhub-registry-hook-refresh"}
    for name, role in roles.items():
        assert role["rules"] == hook_role_rules("binderhub-registry", "binder")
        assert bindings[name]["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name}
        assert bindings[name]["subjects"] == [{"kind": "ServiceAccount", "name": name, "namespace": "binder"}]
    assert not kinds.get("ClusterRole") and not kinds.get("ClusterRoleBinding")


def test_no_roll_means_no_deployment_rule(helm, tmp_path):
    values = {**VALUE_SETS["generic"][0], "output": {"secretName": "my-registry", "binderDeployment": ""}}
    kinds = by_kind(render(helm, tmp_path, values))
    assert kinds["Role"][0]["rules"] == [r for r in hook_role_rules("my-registry", "x")
                                         if r["resources"] != ["deployments"]]
    args = pod_spec(kinds["Job"][0])["containers"][0]["args"]
    assert args[args.index("--binder-deployment") + 1] == ""
    assert args[args.index("--secret-name") + 1] == "my-registry"


def test_extra_env_reaches_every_container_of_the_hook(helm, tmp_path):
    """job.extraEnv (a site's proxy) in the install Job, the refresh CronJob and the test pod,
    after the chart's own variables; a Secret reference stays a reference."""
    extra = [{"name": "HTTPS_PROXY", "valueFrom": {"secretKeyRef": {"name": "proxy", "key": "url"}}},
             {"name": "NO_PROXY", "value": ".svc,registry.example.org"}]
    values = {**VALUE_SETS["generic"][0], "refresh": {"enabled": True}, "job": {"extraEnv": extra}}
    kinds = by_kind(render(helm, tmp_path, values))
    for kind in ("Job", "CronJob", "Pod"):
        env = pod_spec(kinds[kind][0])["containers"][0]["env"]
        assert [e["name"] for e in env] == ["POD_NAMESPACE", "HOME", "HTTPS_PROXY", "NO_PROXY"], kind
        assert env[2:] == extra, kind
    plain = by_kind(render(helm, tmp_path, VALUE_SETS["generic"][0]))
    assert [e["name"] for e in pod_spec(plain["Job"][0])["containers"][0]["env"]] == ["POD_NAMESPACE", "HOME"]


@pytest.mark.parametrize("name, enabled, present", [
    ("generic", True, True), ("ecr", False, False), ("google-key", "auto", True), ("harbor", False, False),
    ("azure", "auto", True)])
def test_refresh_switch(helm, tmp_path, name, enabled, present):
    values = {**VALUE_SETS[name][0], "refresh": {"enabled": enabled, "schedule": "15 3 * * *"}}
    kinds = by_kind(render(helm, tmp_path, values))
    assert ("CronJob" in kinds) is present
    if present:
        assert kinds["CronJob"][0]["spec"]["schedule"] == "15 3 * * *"


GAR = "europe-west1-docker.pkg.dev/my-project/binder/prod-"
ACR = {"type": "azure", "imagePrefix": "myacr.azurecr.io/binder/prod-"}
ARM = {"registryName": "myacr", "subscriptionId": "00000000-0000-0000-0000-0000000000bb", "resourceGroup": "binder"}
SECRET_REF = {"credentials": {"existingSecret": "registry-credentials"}}

# Every provider x credential kind -> does the provider issue credentials that expire? The provider
# tests check the same answer against the credentials their code really issues (tests/support/chart.py).
EXPIRY = {
    "generic": ({"type": "generic", "url": "https://r.example.org", "imagePrefix": "r.example.org/b/p-",
                 **SECRET_REF}, False),
    "dockerhub": ({"type": "dockerhub", "imagePrefix": "myorg/binder-", **SECRET_REF}, False),
    "harbor-robot": ({"type": "harbor", "url": "https://h.example.org", "imagePrefix": "h.example.org/binder/p-",
                      **SECRET_REF}, False),
    "harbor-provision": ({"type": "harbor", "url": "https://h.example.org", "imagePrefix": "h.example.org/binder/p-",
                          "mode": "provision", **SECRET_REF}, False),
    "ovh": ({"type": "ovh", "url": "https://abcd1234.gra7.container-registry.ovh.net",
             "imagePrefix": "abcd1234.gra7.container-registry.ovh.net/binder/p-", **SECRET_REF}, False),
    "ecr-identity": ({"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/p-",
                      "ecr": {"region": "eu-west-1"}}, True),
    "ecr-keys-provision": ({"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/p-",
                            "ecr": {"region": "eu-west-1"}, "mode": "provision", **SECRET_REF}, True),
    "google-auto-identity": ({"type": "google", "imagePrefix": GAR}, True),
    "google-workload-identity": ({"type": "google", "imagePrefix": GAR, "google": {"auth": "workloadIdentity"},
                                  **SECRET_REF}, True),
    "google-auto-key": ({"type": "google", "imagePrefix": GAR, **SECRET_REF}, False),
    "google-key": ({"type": "google", "imagePrefix": GAR, "google": {"auth": "serviceAccountKey"}, **SECRET_REF},
                   False),
    "google-provision-identity": ({"type": "google", "imagePrefix": GAR, "mode": "provision"}, False),
    "google-provision-admin-key": ({"type": "google", "imagePrefix": GAR, "mode": "provision", **SECRET_REF}, False),
    "azure-sp-client-secret": ({**ACR, "azure": {"registryName": "myacr"}, **SECRET_REF}, False),
    "azure-sp-refresh-token": ({**ACR, "azure": {"registryName": "myacr", "dockerLogin": "refreshToken"},
                                **SECRET_REF}, True),
    "azure-workload-identity": ({**ACR, "azure": {"registryName": "myacr", "auth": "workloadIdentity"}}, True),
    "azure-acr-token": ({**ACR, "azure": {"registryName": "myacr", "auth": "acrToken"}, **SECRET_REF}, False),
    "azure-provision-sp": ({**ACR, "mode": "provision", "azure": ARM, **SECRET_REF}, False),
    "azure-provision-identity": ({**ACR, "mode": "provision", "azure": {**ARM, "auth": "workloadIdentity"}}, False),
}


@pytest.mark.parametrize("name", sorted(EXPIRY))
def test_refresh_schedule_follows_the_credentials_each_provider_issues(helm, tmp_path, name):
    block, expires = EXPIRY[name]
    kinds = by_kind(render(helm, tmp_path, {"registry": block}))
    # The check runs for every provider; how often follows whether the login expires.
    [cron] = kinds["CronJob"]
    assert pod_spec(cron)["containers"][0]["args"][0] == "refresh"
    expected = ("*/30 * * * *" if block["type"] == "google" else "0 */6 * * *") if expires else LONG_LIVED_SCHEDULE
    assert cron["spec"]["schedule"] == expected
    # The Job is told that a refresher runs: `apply` refuses expiring credentials without one.
    assert "--refresher-enabled" in pod_spec(kinds["Job"][0])["containers"][0]["args"]
    off = by_kind(render(helm, tmp_path, {"registry": block, "refresh": {"enabled": False}}))
    assert "CronJob" not in off
    assert "--refresher-enabled" not in pod_spec(off["Job"][0])["containers"][0]["args"]


def test_notes_say_what_was_written(helm, tmp_path):
    if helm.name == "helm3":
        pytest.skip("Helm 3's `install --dry-run=client` still asks a cluster for its version; Helm 4 does not")
    proc = helm("install", "binder", CHART, "-n", "binder", "--dry-run=client",
                "-f", values_file(tmp_path, VALUE_SETS["ecr"][0]))
    notes = proc.stdout.split("NOTES:", 1)[1]
    assert "wrote Secret binder/binderhub-registry" in notes
    assert "config.KubernetesBuildExecutor.push_secret: binderhub-registry" in notes
    assert 'CronJob binder-binderhub-registry-hook-refresh checks push and renews the credentials on "0 */6 * * *"' in notes
    assert "helm test binder -n binder" in notes


# -- the umbrella example ---------------------------------------------------------------


@pytest.fixture
def umbrella(tmp_path):
    """examples/binderhub with the fixture chart as `binderhub` and this chart by absolute path."""
    return umbrella_chart(tmp_path, f"file://{CHART}")


def test_umbrella_example_wiring_lines_up(helm, helm_env, tmp_path, umbrella):
    helm("dependency", "build", umbrella)
    values = YAML(typ="safe").load((EXAMPLE / "values.yaml").read_text())
    proc = helm("template", "binder", umbrella, "-n", "binder", "-f", EXAMPLE / "values.yaml")
    docs = [d for d in YAML(typ="safe").load_all(proc.stdout) if d]
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    named = {(d["kind"], d["metadata"]["name"]): d for d in docs}

    # The hook writes this Secret; its Role may write exactly it; the Job is told its name.
    secret = values["registryHook"]["output"]["secretName"]
    job = named[("Job", "binder-registry-hook")]
    args = pod_spec(job)["containers"][0]["args"]
    assert args[args.index("--secret-name") + 1] == secret
    assert args[args.index("--binder-deployment") + 1] == "binder"
    role = named[("Role", "binder-registry-hook")]
    assert role["rules"][0]["resourceNames"] == [secret]
    assert ("Deployment", "binder") in named  # the Deployment the hook rolls exists under that name
    assert ("Secret", secret) not in named  # written by the Job, never rendered (Helm would own it)

    # BinderHub's side, as its chart renders it.
    binder = named[("Deployment", "binder")]
    spec = pod_spec(binder)
    volumes = {v["name"]: v for v in spec["volumes"]}
    [container] = spec["containers"]
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    hook_volumes = [n for n, v in volumes.items() if v.get("secret", {}).get("secretName") == secret]
    assert len(hook_volumes) == 1
    mount = mounts[hook_volumes[0]]
    assert mount["readOnly"] is True

    config = YAML(typ="safe").load(named[("Secret", "binder-secret")]["stringData"]["values.yaml"])
    bh = config["config"]
    assert bh["KubernetesBuildExecutor"]["push_secret"] == secret
    docker_config_path = Path(bh["DockerRegistry"]["docker_config_path"])
    assert docker_config_path == Path(mount["mountPath"]) / "config.json"
    assert "image_prefix" not in bh["BinderHub"]  # from the fragment, i.e. what the hook proved

    # The extraConfig snippet, run as binderhub_config.py runs it, loads the fragment.
    [snippet] = config["extraConfig"].values()
    settings_path = Path(mount["mountPath"]) / "binderhub-settings.json"
    assert str(settings_path) in snippet
    fragment = {"BinderHub": {"image_prefix": "registry.example.org/binder/prod-", "use_registry": True},
                "DockerRegistry": {"url": "https://registry.example.org", "token_url": "",
                                   "auth_config_url": "https://registry.example.org"}}
    local = tmp_path / "binderhub-settings.json"
    local.write_text(json.dumps(fragment))
    c = _TraitletsConfig(config["config"])
    exec(snippet.replace(str(settings_path), str(local)), {"c": c})
    assert c["BinderHub"]["image_prefix"] == "registry.example.org/binder/prod-"
    assert c["DockerRegistry"]["docker_config_path"] == str(docker_config_path)  # kept from config
    assert c["DockerRegistry"]["url"] == "https://registry.example.org"

    # BinderHub's own registry Secrets are still rendered, under their real names (unused now).
    assert ("Secret", "binder-build-docker-config") in named
    assert json.loads(base64.b64decode(named[("Secret", "binder-build-docker-config")]["data"]["config.json"]))


class _TraitletsConfig(dict):
    """Enough of traitlets' Config for binderhub_config.py: sections spring into existence."""

    def __init__(self, initial: dict):
        super().__init__({k: dict(v) for k, v in initial.items()})

    def __missing__(self, key):
        self[key] = {}
        return self[key]


# -- what the docs and NOTES name ---------------------------------------------------------

# A BinderHub values key in backticks (`config.json` is a file: config sections are capitalised).
VALUES_KEY = re.compile(r"`((?:config\.[A-Z]|extraConfig\.|jupyterhub\.)[\w.-]*\w|extraVolumes|extraVolumeMounts)`")


def value_at(values: dict, dotted: str):
    node = values
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"{dotted}: no {part!r} in the example's BinderHub values"
        node = node[part]
    return node


def test_docs_and_notes_name_what_the_chart_renders(helm4, helm_env, tmp_path, umbrella):
    """Every object name and BinderHub values key that NOTES.txt and the READMEs mention is one
    the umbrella example really renders or sets."""
    def helm(*args):
        proc = subprocess.run([str(helm4), *map(str, args)], capture_output=True, text=True, env=helm_env,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    helm("dependency", "build", umbrella)
    docs = [d for d in YAML(typ="safe").load_all(helm("template", "binder", umbrella, "-n", "binder",
                                                      "-f", EXAMPLE / "values.yaml")) if d]
    named = {(d["kind"], d["metadata"]["name"]) for d in docs}
    example = YAML(typ="safe").load((EXAMPLE / "values.yaml").read_text())
    binderhub, hook = example["binderhub"], example["registryHook"]
    [job] = [d for d in docs if d["kind"] == "Job"]
    args = pod_spec(job)["containers"][0]["args"]
    secret = args[args.index("--secret-name") + 1]
    assert secret == hook["output"]["secretName"]

    notes = helm("install", "binder", umbrella, "-n", "binder", "--dry-run=client", "--render-subchart-notes",
                 "-f", EXAMPLE / "values.yaml").split("NOTES:", 1)[1]
    # Object names.
    assert re.search(rf"Secret binder/{secret}\s", notes) and f"involvedObject.name={secret}" in notes
    for kind in ("CronJob", "Deployment", "ServiceAccount"):
        for name in re.findall(rf"\b{kind} (\S+?)[ )\n]", notes):
            assert (kind, name) in named, f"NOTES names {kind} {name}, which the chart does not render"
    # Values keys, and the values NOTES gives them are the example's.
    keys = 0
    for line in notes.splitlines():
        m = re.match(r"\s+((?:config|extraConfig|jupyterhub)\.[\w.-]*\w|extraVolumes|extraVolumeMounts): (.*)$", line)
        if not m:
            continue
        keys += 1
        key, shown = m.groups()
        actual = value_at(binderhub, key)
        if not shown.startswith("loads "):
            assert YAML(typ="safe").load(shown) == actual, f"NOTES: {key}: {shown} but the example has {actual}"
        else:
            assert shown.split()[-1] in actual
    assert keys == 6
    for key in re.findall(r"\b((?:config\.[A-Z]|jupyterhub\.)[\w.]*\w)", notes):  # in running text too
        value_at(binderhub, key)
    assert value_at(binderhub, "jupyterhub.singleuser.image.pullSecrets") == [secret]

    # The READMEs: `kubectl logs job/...` names the Job the chart renders; every values key exists.
    readme = (EXAMPLE / "README.md").read_text()
    jobs = re.findall(r"job/([a-z0-9-]+)", readme)
    assert jobs and all(("Job", name) in named for name in jobs), jobs
    mentioned = set(VALUES_KEY.findall(readme))
    wiring = (CHART / "README.md").read_text()
    mentioned |= set(VALUES_KEY.findall(wiring[wiring.index("## Wiring BinderHub"):]))
    assert {"config.KubernetesBuildExecutor.push_secret", "jupyterhub.singleuser.image.pullSecrets"} <= mentioned
    for key in mentioned:
        if key.startswith("extraConfig") and key.count(".") == 0:
            continue
        value_at(binderhub, key)
    # chart/README.md's `logs job/RELEASE-...` for a release of the chart on its own.
    standalone = [d for d in YAML(typ="safe").load_all(helm("template", "myrelease", CHART, "-n", "binder", "-f",
                                                            values_file(tmp_path, VALUE_SETS["generic"][0])))
                  if d]
    for name in re.findall(r"job/(RELEASE-[a-z0-9-]+)", wiring):
        assert ("Job", name.replace("RELEASE", "myrelease")) in {(d["kind"], d["metadata"]["name"]) for d in standalone}
