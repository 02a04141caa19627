"""Pure parsers, tested directly: the WWW-Authenticate challenge, BinderHub's image naming,
token claims, and the wording of spec errors.  No server, no network."""

from __future__ import annotations

import base64
import json

import pytest

from binderhub_registry_hook.errors import ProtocolError, SpecError
from binderhub_registry_hook.oci import Challenge, granted_actions, image_basename, jwt_access, jwt_claims
from binderhub_registry_hook.spec import validate

# -- challenge ----------------------------------------------------------------------------


def test_bearer_challenge_params_and_token_url():
    ch = Challenge.parse('Bearer realm="https://auth.example.org/token",service="registry.example.org",'
                         'scope="repository:a/b:pull"')
    assert ch.scheme == "bearer" and ch.realm == "https://auth.example.org/token"
    assert ch.service == "registry.example.org" and ch.params["scope"] == "repository:a/b:pull"
    assert ch.token_url == "https://auth.example.org/token?service=registry.example.org"


def test_token_url_keeps_a_realm_query_and_unquoted_params():
    ch = Challenge.parse("bearer realm=https://h/service/token?x=1,service=harbor-registry")
    assert ch.token_url == "https://h/service/token?x=1&service=harbor-registry"
    assert Challenge.parse('Bearer realm="https://h/t"').token_url == "https://h/t"
    assert Challenge.parse('Basic realm="Registry Realm"').token_url == ""
    assert Challenge("none").token_url == ""


@pytest.mark.parametrize("header, words", [
    (None, "without a WWW-Authenticate header"),
    ("", "without a WWW-Authenticate header"),
    ('Negotiate abc', "unsupported auth scheme 'negotiate'"),
    ('Bearer service="x"', "Bearer challenge without a realm"),
])
def test_bad_challenges(header, words):
    with pytest.raises(ProtocolError, match=words):
        Challenge.parse(header)


# -- image naming -----------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("registry.example.org/binder/prod-x:tag", ("binder/prod-x", "tag")),
    ("registry.example.org:5000/a/b/c:1", ("a/b/c", "1")),
    ("127.0.0.1:5000/binder/x", ("binder/x", "latest")),  # a port is not a tag
    ("binderbot/binder-x:t", ("binderbot/binder-x", "t")),  # word/name is a Docker Hub name
    ("gcr.io/p/x:t", ("p/x", "t")),  # short first part with a dot: a host
])
def test_image_basename_as_binderhub_splits_it(name, expected):
    assert image_basename(name) == expected


# -- token claims ------------------------------------------------------------------------------


def jwt(claims: dict) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"e30.{part}.sig"


def test_claims_and_granted_actions():
    token = jwt({"exp": 5, "access": [{"type": "repository", "name": "a/b", "actions": ["pull", "push"]}]})
    assert jwt_claims(token)["exp"] == 5
    access = jwt_access(token)
    assert granted_actions(access, "a/b") == ["pull", "push"]
    assert granted_actions(access, "a/c") == []
    assert granted_actions(None, "a/b") is None


@pytest.mark.parametrize("token", ["opaque-token", "a.b", "a.!!!.c", f"x.{base64.b64encode(b'[1]').decode()}.y"])
def test_opaque_or_broken_tokens_have_no_claims(token):
    assert jwt_claims(token) is None and jwt_access(token) is None


# -- spec error wording ----------------------------------------------------------------------------


def wording(block) -> tuple[str, str]:
    with pytest.raises(SpecError) as e:
        validate(block)
    return e.value.path, str(e.value)


BASE = {"type": "generic", "url": "https://r.example.org", "imagePrefix": "r.example.org/b/p-"}


@pytest.mark.parametrize("block, path, text", [
    ({**BASE, "colour": 1}, "registry.colour", "invalid value: registry.colour: unknown key (allowed keys: "),
    ({"type": "generic", "url": "https://r.example.org"}, "registry.imagePrefix",
     "invalid value: registry.imagePrefix: required value is missing"),
    ({**BASE, "type": "quay"}, "registry.type", "invalid value: registry.type: 'quay' is not one of generic | "),
    ({**BASE, "probe": {"push": "yes"}}, "registry.probe.push", "expected boolean, got string"),
    ({**BASE, "url": "ftp://x"}, "registry.url", "'ftp://x' is not valid (expected a value like "
                                                 "https://registry.example.org)"),
    ({**BASE, "imagePrefix": "ab"}, "registry.imagePrefix", "must be at least 3 characters (got 2)"),
    ({**BASE, "timeouts": {"read": 0}}, "registry.timeouts.read", "must be at least 0.1 (got 0)"),
])
def test_spec_error_names_the_value_and_what_is_wrong(block, path, text):
    got_path, line = wording(block)
    assert got_path == path, line
    assert line.startswith(text) if text.startswith("invalid") else text in line, line


def test_spec_errors_never_echo_url_credentials():
    _, line = wording({**BASE, "url": "https://user:pw@r.example.org x"})
    assert "user:pw" not in line and "***@" in line
