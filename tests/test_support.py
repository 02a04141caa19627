"""Prove the test infrastructure is real: registry, token server, skopeo, Helm."""

from __future__ import annotations

import hashlib
import subprocess

import jwt
import pytest
import requests

from tests.support import build_oci_layout, parse_scope, skopeo_inspect, skopeo_push, write_authfile


def authfile_for(tmp_path, registry, user, password=None):
    password = registry.users[user] if password is None else password
    return write_authfile(tmp_path / f"config-{user}.json", {registry.host: (user, password)})


def token_for(registry, user, scope, password=None, **params):
    ts = registry.token_server
    auth = None if user is None else (user, registry.users[user] if password is None else password)
    r = requests.get(ts.realm, params={"service": ts.service, "scope": scope, **params},
                     auth=auth, verify=registry.verify, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_oci_layout_is_deterministic(tmp_path, oci_image):
    again = build_oci_layout(tmp_path / "again")
    assert again.manifest_digest == oci_image.manifest_digest
    blob = oci_image.path / "blobs" / "sha256" / oci_image.layer_digest.split(":")[1]
    assert "sha256:" + hashlib.sha256(blob.read_bytes()).hexdigest() == oci_image.layer_digest


def test_parse_scope():
    assert parse_scope("repository:a/b:push,pull") == ("repository", "a/b", ["push", "pull"])
    assert parse_scope("repository(plugin):a:pull") == ("repository", "a", ["pull"])
    assert parse_scope("registry:catalog:*") == ("registry", "catalog", ["*"])
    assert parse_scope("nonsense") is None


def test_skopeo_push_htpasswd(tmp_path, htpasswd_registry, oci_image):
    reg = htpasswd_registry
    dest = f"{reg.host}/binder/test:latest"
    push = skopeo_push(authfile_for(tmp_path, reg, "alice"), dest, image=oci_image)
    assert push.returncode == 0, push.stderr
    # The pushed manifest is byte-identical (OCI manifests are stored as is).
    got = skopeo_inspect(authfile_for(tmp_path, reg, "alice"), dest, raw=True)
    assert got.returncode == 0, got.stderr
    assert "sha256:" + hashlib.sha256(got.stdout.encode()).hexdigest() == oci_image.manifest_digest

    bad = skopeo_push(authfile_for(tmp_path, reg, "alice", "wrong"), dest, image=oci_image)
    assert bad.returncode != 0
    assert "unauthorized" in bad.stderr.lower()
    assert requests.get(reg.url + "/v2/", timeout=10).status_code == 401


def test_skopeo_push_token(tmp_path, token_registry, oci_image):
    reg = token_registry
    dest = f"{reg.host}/binder/test:latest"

    ok = skopeo_push(authfile_for(tmp_path, reg, "alice"), dest, image=oci_image)
    assert ok.returncode == 0, ok.stderr
    pushes = [r for r in reg.token_server.requests if r["user"] == "alice"]
    assert any("push" in a["actions"] for r in pushes for a in r.get("access", []))
    assert all(r["query"]["service"] == [reg.token_server.service] for r in pushes)

    denied = skopeo_push(authfile_for(tmp_path, reg, "reader"), f"{reg.host}/binder/other:latest",
                         image=oci_image)
    assert denied.returncode != 0
    assert "denied" in denied.stderr.lower() or "unauthorized" in denied.stderr.lower()
    # reader can still pull what alice pushed.
    pulled = skopeo_inspect(authfile_for(tmp_path, reg, "reader"), dest, raw=True)
    assert pulled.returncode == 0, pulled.stderr

    wrong = skopeo_push(authfile_for(tmp_path, reg, "alice", "wrong"), dest, image=oci_image)
    assert wrong.returncode != 0
    assert reg.token_server.requests[-1]["status"] == 401
    # Passwords are never recorded.
    assert not any(p in repr(reg.token_server.requests) for p in reg.users.values())


def test_token_push_probe_with_requests(token_registry):
    reg = token_registry
    scope = "repository:binder/probe:push,pull"
    uploads = f"{reg.url}/v2/binder/probe/blobs/uploads/"

    started = requests.post(uploads, headers=bearer(token_for(reg, "alice", scope)), timeout=10)
    assert started.status_code == 202
    location = started.headers["Location"]

    # Cancelling the upload needs the `delete` action, not just push.
    cancel = requests.delete(location, headers=bearer(token_for(reg, "alice", scope)), timeout=10)
    assert cancel.status_code == 401
    assert 'error="insufficient_scope"' in cancel.headers["WWW-Authenticate"]
    assert "repository:binder/probe:delete" in cancel.headers["WWW-Authenticate"]
    delete_token = token_for(reg, "alice", "repository:binder/probe:delete")
    assert requests.delete(location, headers=bearer(delete_token), timeout=10).status_code == 204

    # A pull-only token is refused with 401 insufficient_scope (not 403).
    denied = requests.post(uploads, headers=bearer(token_for(reg, "reader", scope)), timeout=10)
    assert denied.status_code in (401, 403)
    assert 'error="insufficient_scope"' in denied.headers["WWW-Authenticate"]
    assert denied.json()["errors"][0]["code"] == "UNAUTHORIZED"


def test_token_server_protocol(token_registry):
    reg = token_registry
    ts = reg.token_server
    # BinderHub sends a second `service` parameter; several scopes are allowed.
    r = requests.get(ts.realm, params=[("service", ts.service), ("service", "container_registry"),
                                       ("scope", "repository:a:pull"), ("scope", "repository:b:push")],
                     auth=("reader", reg.users["reader"]), timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["token"] == body["access_token"] and body["expires_in"] > 0 and body["issued_at"]
    header = jwt.get_unverified_header(body["token"])
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert header["alg"] == "RS256" and header["x5c"]
    assert claims["aud"] == ts.service and claims["iss"] == ts.issuer and claims["sub"] == "reader"
    assert claims["access"] == [{"type": "repository", "name": "a", "actions": ["pull"]},
                                {"type": "repository", "name": "b", "actions": []}]

    assert requests.get(ts.realm, params={"service": ts.service},
                        auth=("alice", "wrong"), timeout=10).status_code == 401

    # Anonymous: a valid token with no access; /v2/ accepts it, pulls do not.
    anon = token_for(reg, None, "repository:binder/x:pull")
    assert jwt.decode(anon, options={"verify_signature": False})["access"][0]["actions"] == []
    assert requests.get(reg.url + "/v2/", headers=bearer(anon), timeout=10).status_code == 200
    assert requests.get(reg.url + "/v2/binder/x/tags/list", headers=bearer(anon),
                        timeout=10).status_code == 401

    # Grant rules are mutable: restrict alice to a prefix.
    ts.grants["alice"] = {"team/": ["push", "pull"], "": ["pull"]}
    granted = jwt.decode(token_for(reg, "alice", "repository:other/x:push,pull"),
                         options={"verify_signature": False})["access"][0]["actions"]
    assert granted == ["pull"]

    # OAuth2 form: password grant with a refresh token, then refresh.
    r = requests.post(ts.realm, data={"grant_type": "password", "username": "alice",
                                      "password": reg.users["alice"], "service": ts.service,
                                      "scope": "repository:team/x:push,pull",
                                      "access_type": "offline", "client_id": "test"}, timeout=10)
    assert r.status_code == 200 and r.json()["refresh_token"]
    r = requests.post(ts.realm, data={"grant_type": "refresh_token", "service": ts.service,
                                      "refresh_token": r.json()["refresh_token"],
                                      "scope": "repository:team/x:push,pull"}, timeout=10)
    assert r.status_code == 200
    uploads = f"{reg.url}/v2/team/x/blobs/uploads/"
    assert requests.post(uploads, headers=bearer(r.json()["access_token"]), timeout=10).status_code == 202
    # Starting an upload needs pull as well as push: a push-only token is refused.
    push_only = token_for(reg, "alice", "repository:team/x:push")
    assert requests.post(uploads, headers=bearer(push_only), timeout=10).status_code == 401


def test_tls_token_registry(tmp_path, registry_factory, oci_image):
    reg = registry_factory("token", tls=True)
    assert reg.url.startswith("https://") and reg.token_server.realm.startswith("https://")
    push = skopeo_push(authfile_for(tmp_path, reg, "alice"), f"{reg.host}/binder/tls:latest",
                       image=oci_image, cert_dir=reg.cert_dir)
    assert push.returncode == 0, push.stderr
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(reg.url + "/v2/", timeout=10)  # the system CAs do not trust it
    assert requests.get(reg.url + "/v2/", verify=reg.verify, timeout=10).status_code == 401


def test_registry_stops(registry_factory):
    reg = registry_factory("none")
    assert requests.get(reg.url + "/v2/", timeout=10).status_code == 200
    proc = reg._proc
    reg.stop()
    assert proc.poll() is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(reg.url + "/v2/", timeout=2)


@pytest.mark.parametrize("fixture, version", [("helm3", "v3.17.2"), ("helm4", "v4.1.4")])
def test_helm_versions(request, helm_env, fixture, version):
    helm = request.getfixturevalue(fixture)
    out = subprocess.run([str(helm), "version", "--short"], capture_output=True, text=True,
                         env=helm_env, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(version + "+")
