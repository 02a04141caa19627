"""The chart with real Helm 3.17 and 4.1: lint, template, schema, manifests, wiring.

Every rendered document is checked with `kubernetes-validate` (schemas bundled in the
package, strict mode, so unknown fields fail too).  The umbrella example is rendered
with tests/fixtures/binderhub-chart in place of the real BinderHub chart (no network).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from tests.support.charts import GENERIC_VALUES, by_kind, pod_spec, render, umbrella_chart, values_file
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
                            "azure": {"registryName": "myacr"}},
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

    # Hooks: pre-install and pre-upgrade, ordered config -> identity -> RBAC -> Job, replaced each time.
    for kind, weight in HOOK_WEIGHTS.items():
        [doc] = kinds[kind]
        ann = doc["metadata"]["annotations"]
        assert ann["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert ann["helm.sh/hook-weight"] == str(weight)
        assert ann["helm.sh/hook-delete-policy"] == "before-hook-creation"
    [test_pod] = kinds["Pod"]
    assert test_pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert "helm.sh/hook" not in kinds.get("CronJob", [{"metadata": {}}])[0]["metadata"].get("annotations", {})

    # The config holds the registry block, nothing else (no credentials exist in values).
    [cm] = kinds["ConfigMap"]
    assert YAML(typ="safe").load(cm["data"]["values.yaml"]) == {"registry": values["registry"]}

    [job] = kinds["Job"]
    assert job["spec"]["backoffLimit"] == 1 and job["spec"]["activeDeadlineSeconds"] == 180
    assert job["spec"]["ttlSecondsAfterFinished"] == 3600
    for doc in [job, test_pod, *kinds.get("CronJob", [])]:
        spec = pod_spec(doc)
        assert spec["serviceAccountName"] == "binder-binderhub-registry-hook"
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
    [sa] = kinds["ServiceAccount"]
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
    [role] = kinds["Role"]
    assert role["rules"] == hook_role_rules("binderhub-registry", "binder")
    [binding] = kinds["RoleBinding"]
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": role["metadata"]["name"]}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "binder-binderhub-registry-hook",
                                    "namespace": "binder"}]
    assert not kinds.get("ClusterRole") and not kinds.get("ClusterRoleBinding")


def test_no_roll_means_no_deployment_rule(helm, tmp_path):
    values = {**VALUE_SETS["generic"][0], "output": {"secretName": "my-registry", "binderDeployment": ""}}
    kinds = by_kind(render(helm, tmp_path, values))
    assert kinds["Role"][0]["rules"] == [r for r in hook_role_rules("my-registry", "x")
                                         if r["resources"] != ["deployments"]]
    args = pod_spec(kinds["Job"][0])["containers"][0]["args"]
    assert args[args.index("--binder-deployment") + 1] == ""
    assert args[args.index("--secret-name") + 1] == "my-registry"


@pytest.mark.parametrize("name, enabled, present", [
    ("generic", True, True), ("ecr", False, False), ("google-key", "auto", True), ("harbor", False, False),
    ("azure", "auto", True)])
def test_refresh_switch(helm, tmp_path, name, enabled, present):
    values = {**VALUE_SETS[name][0], "refresh": {"enabled": enabled, "schedule": "15 3 * * *"}}
    kinds = by_kind(render(helm, tmp_path, values))
    assert ("CronJob" in kinds) is present
    if present:
        assert kinds["CronJob"][0]["spec"]["schedule"] == "15 3 * * *"


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
