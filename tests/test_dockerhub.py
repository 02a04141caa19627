"""Docker Hub: a real registry behind a Hub-style token service (tests/support/dockerhub.py).

The registry endpoint and token url are overridden (`registry.url`,
`registry.dockerhub.authUrl`); everything else is what the hook does for Hub.
"""

from __future__ import annotations

import json

import pytest

from binderhub_registry_hook.distribution import Registry
from binderhub_registry_hook.errors import PullDenied
from binderhub_registry_hook.model import Credentials
from binderhub_registry_hook.secrets import Secret
from tests.support import skopeo_push, write_authfile
from tests.support.dockerhub import block
from tests.support.inprocess import push_with_written_config


def test_defaults_are_docker_hub(tmp_path):
    from binderhub_registry_hook import providers
    from binderhub_registry_hook.spec import RegistrySpec

    for prefix in ("binderbot/binder-", "docker.io/binderbot/binder-"):
        spec = RegistrySpec.from_values({"registry": {"type": "dockerhub", "imagePrefix": prefix}})
        target = providers.plan(spec)
        assert (target.url, target.auth_key, target.token_url, target.not_found_401) == (
            "https://registry-1.docker.io", "https://index.docker.io/v1/",
            "https://auth.docker.io/token?service=registry.docker.io", True)
        assert target.probe_repository("probe") == "binderbot/binder-probe"


@pytest.mark.parametrize("prefix, words", [
    ("quay.io/binderbot/binder-", "not Docker Hub"),
    ("binderbot/team/binder-", "one level"),
    ("docker.io/bot/binder-", "not a Docker ID"),
    ("Binderbot/binder-", "upper-case"),
])
def test_prefix_rules(run, hub, prefix, words):
    rc, _, err = run(block(hub, prefix), username="binderbot", password="unused-password")
    assert rc == 2 and "registry.imagePrefix" in err and words in err, err


def test_password_push_granted_settings_and_skopeo(run, hub, tmp_path, oci_image):
    password = hub.add_account("binderbot")
    rc, out, err = run(block(hub), username="binderbot", password=password)
    assert rc == 0, err
    assert out.startswith(f"ok: binderbot on {hub.registry.host}: push and pull verified for binderbot/binder-*")

    rc, out, err = run(block(hub), username="binderbot", password=password, command="explain")
    assert rc == 0, err
    assert "Docker Hub answers 401, not 404" in out and "not_found_401" in out
    assert "answered 401 for a missing image" in out  # the pull check took the not_found_401 path
    settings = json.loads(out[out.index("BinderHub settings:\n") + 19:])
    assert settings["DockerRegistry"] == {"url": hub.registry.url, "auth_config_url": hub.registry.url,
                                          "token_url": f"{hub.realm}?service=registry.docker.io",
                                          "not_found_401": True}
    assert not any(t in out + err for t in hub.issued)

    push_with_written_config(tmp_path, f"{hub.registry.host}/binderbot/binder-demo:1", oci_image)


def test_access_tokens_personal_and_organization(run, hub):
    hub.add_account("binderbot")
    rc, _, err = run(block(hub), username="binderbot", password=hub.add_token("binderbot", "write"))
    assert rc == 0, err
    hub.add_org("acmelab", members=["binderbot"])
    rc, _, err = run(block(hub, "acmelab/binder-"), username="acmelab", password=hub.add_token("acmelab"))
    assert rc == 0, err
    rc, _, err = run(block(hub, "acmelab/binder-"), username="binderbot", password=hub.passwords["binderbot"])
    assert rc == 0, err  # a member pushes to the organization's namespace


def test_read_only_token_refused(run, hub):
    hub.add_account("binderbot")
    rc, _, err = run(block(hub), username="binderbot", password=hub.add_token("binderbot", "read"))
    assert rc == 3, err
    assert err.startswith("error: no push permission: the access token of 'binderbot' is read-only")
    assert "Read & Write" in err and len(err.strip().splitlines()) == 1
    # Confirmed by the push probe before saying so: an upload was attempted and refused.
    assert any(r["scopes"] == ["repository:binderbot/binder-binderhub-registry-hook-probe:push,pull"]
               for r in hub.requests)


def test_namespace_not_writable(run, hub):
    password = hub.add_account("binderbot")
    hub.add_org("otherlab", members=["someone"])
    rc, _, err = run(block(hub, "otherlab/binder-"), username="binderbot", password=password)
    assert rc == 3, err
    assert "'binderbot' may not push to the Docker Hub namespace 'otherlab'" in err
    assert "member of organization 'otherlab'" in err


def test_wrong_password(run, hub):
    hub.add_account("binderbot")
    rc, _, err = run(block(hub), username="binderbot", password="not-the-password")
    assert rc == 3, err
    assert err.startswith("error: credentials rejected: Docker Hub refused 'binderbot'")
    assert "HTTP 401" in err and "access token" in err


def test_pull_check_reads_hub_401_as_not_found(hub, tmp_path, oci_image):
    """BinderHub's manifest lookup on Hub: 401 for a repository that does not exist yet."""
    password = hub.add_account("binderbot")
    creds = Credentials("binderbot", Secret(password))
    registry = Registry(hub.registry.url)
    token_url = f"{hub.realm}?service=registry.docker.io"

    missing = registry.check_pull("binderbot/binder-new", "t1", creds, token_url=token_url, not_found_401=True)
    assert (missing.status, missing.not_found_401) == (401, True)
    with pytest.raises(PullDenied):  # without the setting BinderHub would fail every launch
        registry.check_pull("binderbot/binder-new", "t1", creds, token_url=token_url, not_found_401=False)

    authfile = write_authfile(tmp_path / "auth.json", {hub.registry.host: ("binderbot", password)})
    assert skopeo_push(authfile, f"{hub.registry.host}/binderbot/binder-new:t1", image=oci_image).returncode == 0
    found = registry.check_pull("binderbot/binder-new", "t1", creds, token_url=token_url, not_found_401=True)
    assert found.status == 200
    other_tag = registry.check_pull("binderbot/binder-new", "t2", creds, token_url=token_url, not_found_401=True)
    assert other_tag.status == 404  # an existing repository answers 404 for a missing tag, as on Hub
