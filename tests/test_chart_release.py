"""The chart as it is published and operated: its image reference, its deadline next to
Helm's, its README (settings keys, uninstall), and the chart as an OCI artifact pushed to
and pulled from the real local registry with Helm 3 and 4.
"""

from __future__ import annotations

import re
import tarfile

import pytest
from ruamel.yaml import YAML

from binderhub_registry_hook import dockerconfig, providers
from binderhub_registry_hook.spec import RegistrySpec
from tests.support.charts import (
    CHART,
    EXAMPLE,
    GENERIC_VALUES,
    ROOT,
    by_kind,
    documents,
    marked,
    pod_spec,
    render,
    umbrella_chart,
    uninstall_commands,
    values_file,
)

META = YAML(typ="safe").load((CHART / "Chart.yaml").read_text())
DEFAULTS = YAML(typ="safe").load((CHART / "values.yaml").read_text())
README = (CHART / "README.md").read_text()
DIGEST = "sha256:" + "ab" * 32


def hook_images(docs) -> set[str]:
    return {c["image"] for d in docs if d["kind"] in ("Job", "CronJob", "Pod") for c in pod_spec(d)["containers"]}


# -- the image -----------------------------------------------------------------------------


@pytest.mark.parametrize("image, expected", [
    ({}, f"{DEFAULTS['image']['repository']}:{META['appVersion']}"),
    ({"tag": "dev-1"}, f"{DEFAULTS['image']['repository']}:dev-1"),
    ({"digest": DIGEST}, f"{DEFAULTS['image']['repository']}@{DIGEST}"),
    ({"tag": "dev-1", "digest": DIGEST}, f"{DEFAULTS['image']['repository']}@{DIGEST}"),  # the digest wins
    ({"repository": "127.0.0.1:5000/hook", "tag": "x"}, "127.0.0.1:5000/hook:x"),
])
def test_image_reference(helm, tmp_path, image, expected):
    values = {**GENERIC_VALUES, "image": image, "refresh": {"enabled": True}}
    assert hook_images(render(helm, tmp_path, values)) == {expected}


def test_published_image_is_what_artifact_hub_lists(helm, tmp_path):
    [listed] = YAML(typ="safe").load(META["annotations"]["artifacthub.io/images"])
    assert hook_images(render(helm, tmp_path, GENERIC_VALUES)) == {listed["image"]}


def test_empty_image_repository_fails_in_one_line(helm, tmp_path):
    values = {**GENERIC_VALUES, "image": {"repository": ""}}
    proc = helm("template", "binder", CHART, "-f", values_file(tmp_path, values), check=False)
    assert proc.returncode != 0 and proc.stdout == ""
    # One line of ours; `helm template` may add its own generic hint about --debug.
    line, *rest = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert rest in ([], ["Use --debug flag to render out invalid YAML"])
    assert line.startswith("Error: ") and line.endswith(
        "image.repository is empty: set it to the hook's image "
        "(the published default, or where you pushed your own build)")


@pytest.mark.parametrize("image", [{"repository": "hook:1.0"}, {"repository": "hook@sha256:00"},
                                   {"digest": "ab12"}, {"tag": "a b"}])
def test_schema_rejects_image_parts_in_the_wrong_field(helm, tmp_path, image):
    proc = helm("template", "binder", CHART, "-f", values_file(tmp_path, {**GENERIC_VALUES, "image": image}),
                check=False)
    assert proc.returncode != 0 and f"image.{next(iter(image))}" in proc.stderr.replace("/", ".")


# -- the Job's deadline next to Helm's --timeout ---------------------------------------------


def go_duration(text: str) -> float:
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?", text)
    assert parts and text, text
    h, m, s = (float(p or 0) for p in parts.groups())
    return h * 3600 + m * 60 + s


@pytest.mark.parametrize("command", ["install", "upgrade"])
def test_job_gives_up_well_before_helm(helm, tmp_path, command):
    """A pod that never starts must fail the Job (with its Events) before Helm times out."""
    help_text = helm(command, "--help").stdout
    default = re.search(r"--timeout duration .*\(default (\S+)\)", help_text).group(1)
    timeout = go_duration(default)
    [job] = by_kind(render(helm, tmp_path, GENERIC_VALUES))["Job"]
    deadline = job["spec"]["activeDeadlineSeconds"]
    assert deadline == DEFAULTS["job"]["activeDeadlineSeconds"]
    # The Job controller needs a moment to mark it failed, Helm to see it, and the pod's
    # start is not the Job's: two minutes to spare.
    assert deadline + 120 <= timeout
    # The description says how the two relate, with Helm's real default.
    schema = YAML(typ="safe").load((ROOT / "binderhub_registry_hook" / "values.schema.yaml").read_text())
    description = schema["properties"]["job"]["properties"]["activeDeadlineSeconds"]["description"]
    assert f"Helm's `--timeout` (default {default}" in description


# -- binderhub-settings.json: the documented keys are the keys each provider writes -----------


SPECS = {
    "generic": {"type": "generic", "url": "https://registry.example.org", "imagePrefix": "registry.example.org/b/p-"},
    "dockerhub": {"type": "dockerhub", "imagePrefix": "myorg/binder-"},
    "harbor": {"type": "harbor", "url": "https://harbor.example.org", "imagePrefix": "harbor.example.org/binder/p-"},
    "ovh": {"type": "ovh", "url": "https://abcd1234.gra7.container-registry.ovh.net",
            "imagePrefix": "abcd1234.gra7.container-registry.ovh.net/binder/p-"},
    "ecr": {"type": "ecr", "imagePrefix": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/binder/p-",
            "ecr": {"region": "eu-west-1"}},
    "google": {"type": "google", "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/p-"},
    "google-registry-class": {"type": "google", "imagePrefix": "europe-west1-docker.pkg.dev/my-project/binder/p-",
                              "google": {"auth": "workloadIdentity", "binderhubRegistryClass": True}},
    "azure": {"type": "azure", "imagePrefix": "myacr.azurecr.io/binder/p-", "azure": {"registryName": "myacr"}},
}


def documented_settings() -> dict[str, str]:
    table = marked(README, "binderhub-settings.json keys")
    rows = re.findall(r"^\| `([A-Za-z]+\.[A-Za-z_0-9]+)` \| (.+) \|$", table, re.M)
    return dict(rows)


def written_settings(block: dict, *, token_url: str, not_found_401: bool) -> set[str]:
    """The keys of binderhub-settings.json for ``block``, from the provider's real target."""
    spec = RegistrySpec.from_values({"registry": block})
    target = providers.plan(spec)
    settings = dockerconfig.binderhub_settings(target, token_url, not_found_401)
    return {f"{section}.{key}" for section, values in settings.items() for key in values}


def test_every_registry_type_has_a_settings_case():
    assert {block["type"] for block in SPECS.values()} == set(providers.TYPES)


@pytest.mark.parametrize("name", sorted(SPECS))
@pytest.mark.parametrize("token_url", ["https://auth.example.org/token", ""])
@pytest.mark.parametrize("not_found_401", [False, True])  # what the pull check may find
def test_documented_settings_keys_are_what_each_provider_writes(name, token_url, not_found_401):
    documented = documented_settings()
    written = written_settings(SPECS[name], token_url=token_url, not_found_401=not_found_401)
    assert written <= set(documented), f"written but not documented: {written - set(documented)}"
    always = {key for key, when in documented.items() if when.startswith("always")}
    assert always - {"DockerRegistry.token_url"} <= written
    # The keys written only sometimes are written exactly when the README says.
    registry_class = "BinderHub.registry_class" in written
    assert registry_class == (name == "google-registry-class")
    assert ("DockerRegistry.token_url" in written) == (not registry_class)
    assert ("DockerRegistry.not_found_401" in written) == (not_found_401 or name == "dockerhub")
    assert "`dockerhub`" in documented["DockerRegistry.not_found_401"]
    assert "`google` with `google.binderhubRegistryClass`" in documented["BinderHub.registry_class"]


# -- uninstall: the README's commands remove what they say, and keep the Secret when asked ------


KUBECTL_TYPES = {"configmap": "ConfigMap", "serviceaccount": "ServiceAccount", "role": "Role",
                 "rolebinding": "RoleBinding", "job": "Job", "pod": "Pod", "secret": "Secret",
                 "cronjob": "CronJob", "deployment": "Deployment"}


def kubectl_delete(command: list[str], objects: list[dict], namespace: str) -> list[dict]:
    """What `kubectl -n NS delete TYPES (-l SELECTOR | NAME)` deletes among ``objects``
    (equality selectors, as the README uses), plus the pods of deleted Jobs (cascade)."""
    args = command[1:]
    assert args[:3] == ["-n", namespace, "delete"], command
    kinds = {KUBECTL_TYPES[t] for t in args[3].split(",")}
    rest = args[4:]
    if rest[0] == "-l":
        selector = dict(term.split("=", 1) for term in rest[1].split(","))

        def chosen(o):
            return selector.items() <= o["metadata"].get("labels", {}).items()
    else:
        [name] = rest

        def chosen(o):
            return o["metadata"]["name"] == name
    deleted = [o for o in objects if o["kind"] in kinds and chosen(o)]
    jobs = {o["metadata"]["name"] for o in deleted if o["kind"] == "Job"}
    deleted += [o for o in objects if o["kind"] == "Pod" and o.get("ownerJob") in jobs and o not in deleted]
    return deleted


def left_after_uninstall(docs: list[dict], secret_name: str) -> list[dict]:
    """What `helm uninstall` leaves: every hook object (test pod included) but those Helm deleted
    when the hook Job was done (the install-time identity), the pods of the hook Job, and the
    Secret the Job wrote with the labels it is told to set."""
    hooks = [d for d in docs if "helm.sh/hook" in (ann := d["metadata"].get("annotations", {}))
             and "hook-succeeded" not in ann.get("helm.sh/hook-delete-policy", "")]
    [job] = [d for d in hooks if d["kind"] == "Job"]
    args = pod_spec(job)["containers"][0]["args"]
    labels = dict(args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "--label")
    assert args[args.index("--secret-name") + 1] == secret_name
    secret = {"kind": "Secret", "metadata": {"name": secret_name, "labels": labels}}
    job_pod = {"kind": "Pod", "ownerJob": job["metadata"]["name"],
               "metadata": {"name": job["metadata"]["name"] + "-x1y2z", "labels": {
                   **job["spec"]["template"]["metadata"]["labels"], "job-name": job["metadata"]["name"]}}}
    return [*hooks, job_pod, secret]


@pytest.mark.parametrize("layout", ["chart", "umbrella"])
def test_uninstall_commands_keep_or_delete_the_secret(helm, tmp_path, layout):
    if layout == "chart":
        docs = render(helm, tmp_path, {**GENERIC_VALUES, "refresh": {"enabled": True}})
    else:
        chart = umbrella_chart(tmp_path, f"file://{CHART}")
        helm("dependency", "build", chart)
        docs = documents(helm("template", "binder", chart, "-n", "binder", "-f", EXAMPLE / "values.yaml").stdout)
    secret_name = DEFAULTS["output"]["secretName"]
    left = left_after_uninstall(docs, secret_name)
    assert {d["kind"] for d in left} == {"ConfigMap", "Job", "Pod", "Secret"}

    helm_uninstall, keep, delete_secret = uninstall_commands("binder", "binder")
    assert helm_uninstall == ["helm", "uninstall", "binder", "-n", "binder"]
    removed = kubectl_delete(keep, left, "binder")
    names = lambda objs: sorted((o["kind"], o["metadata"]["name"]) for o in objs)  # noqa: E731
    # Everything the chart left but the Secret, the helm-test pod included; nothing else.
    assert names(removed) == names([o for o in left if o["kind"] != "Secret"])
    assert not kubectl_delete(keep, [d for d in docs if d not in left], "binder")  # no Helm-managed object
    # Then the Secret, by the name it has; it is there to delete (no NotFound).
    assert names(kubectl_delete(delete_secret, [o for o in left if o not in removed], "binder")) == \
        [("Secret", secret_name)]


# -- the chart as an OCI artifact ---------------------------------------------------------------


@pytest.fixture
def chart_registry(registry_factory):
    """A registry like a public chart registry: pushing needs a login, pulling does not."""
    return registry_factory("token", anonymous=["pull"])


def login_args(helm, registry) -> list[str]:
    # Helm 3.17's `registry login` has no --plain-http (it falls back to http for a
    # registry on 127.0.0.1 with --insecure); Helm 4 asks for it.
    plain = ["--plain-http"] if helm.name == "helm4" else ["--insecure"]
    return ["registry", "login", registry.host, "-u", "alice", "--password-stdin", *plain]


def publish(helm, tmp_path, registry) -> str:
    """Package, log in, push, log out, as the release workflow does; returns the OCI repository."""
    out = tmp_path / "dist"
    helm("package", CHART, "-d", out)
    [package] = out.glob("*.tgz")
    assert package.name == f"{META['name']}-{META['version']}.tgz"
    repository = f"oci://{registry.host}/charts"
    refused = helm("push", package, repository, "--plain-http", check=False)
    assert refused.returncode != 0  # the login below is what lets the push in
    helm(*login_args(helm, registry), input=registry.users["alice"])
    pushed = helm("push", package, repository, "--plain-http")
    assert f"Pushed: {registry.host}/charts/{META['name']}:{META['version']}" in pushed.stdout + pushed.stderr
    helm("registry", "logout", registry.host)
    return repository


def test_chart_pushed_and_pulled_over_oci_renders_like_the_local_chart(helm, tmp_path, chart_registry):
    repository = publish(helm, tmp_path, chart_registry)
    ref = f"{repository}/{META['name']}"
    version = META["version"]

    pulled = tmp_path / "pulled"
    pulled.mkdir()
    helm("pull", ref, "--version", version, "--plain-http", "-d", pulled)  # anonymous, as users pull
    [package] = pulled.glob("*.tgz")
    with tarfile.open(package) as tar:
        names = set(tar.getnames())
        packaged_meta = YAML(typ="safe").load(tar.extractfile(f"{META['name']}/Chart.yaml"))
    assert packaged_meta == META
    assert {f"{META['name']}/values.schema.json", f"{META['name']}/README.md"} <= names
    assert f"{META['name']}/icon.svg" not in names  # .helmignore: the icon is linked, not shipped

    shown = YAML(typ="safe").load(helm("show", "chart", ref, "--version", version, "--plain-http").stdout)
    assert shown == META

    values = values_file(tmp_path, {**GENERIC_VALUES, "refresh": {"enabled": True}})
    remote = helm("template", "binder", ref, "--version", version, "--plain-http", "-n", "binder", "-f", values)
    local = helm("template", "binder", CHART, "-n", "binder", "-f", values)
    assert remote.stdout == local.stdout and "kind: Job" in remote.stdout


def test_umbrella_with_the_chart_from_oci_renders_like_the_local_one(helm, tmp_path, chart_registry):
    repository = publish(helm, tmp_path, chart_registry)
    published = YAML(typ="safe").load((EXAMPLE / "Chart.yaml").read_text())
    [dep] = [d for d in published["dependencies"] if d["name"] == META["name"]]
    assert dep["repository"].startswith("oci://") and dep["version"] == META["version"]

    from_oci = umbrella_chart(tmp_path / "oci", repository)
    helm("dependency", "update", from_oci, "--plain-http")
    assert (from_oci / "charts" / f"{META['name']}-{META['version']}.tgz").is_file()
    lock = YAML(typ="safe").load((from_oci / "Chart.lock").read_text())
    assert {"name": META["name"], "repository": repository, "version": META["version"]} in lock["dependencies"]

    from_file = umbrella_chart(tmp_path / "file", f"file://{CHART}")
    helm("dependency", "build", from_file)
    rendered = [helm("template", "binder", chart, "-n", "binder", "-f", EXAMPLE / "values.yaml").stdout
                for chart in (from_oci, from_file)]
    assert rendered[0] == rendered[1]
    assert "name: binder-registry-hook" in rendered[0]

    # The example's README shows both forms of the entry.
    sources = marked((EXAMPLE / "README.md").read_text(), "hook chart sources")
    assert f"repository: {dep['repository']}\n" in sources
    assert "repository: file://../../chart\n" in sources


# -- the values table --------------------------------------------------------------------------


def leaves(values, path=()):
    if isinstance(values, dict) and values:
        for key, value in values.items():
            yield from leaves(value, (*path, key))
    else:
        yield ".".join(path)


def test_values_table_lists_every_default_and_only_schema_keys():
    """Every key of values.yaml has a row, so a description in the schema (the top level
    admits keys the schema does not name: a parent chart's, Helm's `global`)."""
    rows = set(re.findall(r"^\| `([\w.]+)` \|", marked(README, "values table: generated by "
                                                       "scripts/generate-schema.py from the schema and values.yaml"
                                                       ).replace("<!-- end of the values table -->", ""), re.M))
    def described(leaf):  # a map's entries (job.resources.requests.cpu) are its row's
        parts = leaf.split(".")
        return any(".".join(parts[:n]) in rows for n in range(1, len(parts) + 1))

    missing = {leaf for leaf in leaves(DEFAULTS) if not described(leaf) and leaf != "registry"}
    assert not missing, f"values.yaml keys without a schema description: {missing}"
    assert {"registry.type", "registry.imagePrefix", "image.repository", "image.digest",
            "job.activeDeadlineSeconds"} <= rows
