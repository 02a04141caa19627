"""The bad-input corpus: malformed values files and credentials.

Every case must end with exit code 2 and exactly one stderr line, starting with
``error:``, that names the value (or file) to fix; none may print a traceback, and
none may echo a credential.  The cases run the real CLI in-process (a few also as
a subprocess, as an operator would).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from binderhub_registry_hook.cli import main

OK = {"type": "generic", "url": "http://127.0.0.1:1", "imagePrefix": "127.0.0.1:1/binder/prod-"}
PASSWORD = "corpus-secret-Zq81"  # never echoed by any case


def reg(**kw) -> dict:
    return {"registry": {**OK, **kw}}


def drop(key: str) -> dict:
    return {"registry": {k: v for k, v in OK.items() if k != key}}


# (id, values: dict | str (raw YAML text), expected fragment of the error line)
CASES: list[tuple[str, object, str]] = []


def case(id_, values, expected):
    CASES.append((id_, values, expected))


# -- the registry block itself
case("empty-file", "", "registry: required value is missing")
case("only-comment", "# nothing\n", "registry: required value is missing")
case("top-level-list", "- a\n- b\n", "must be a YAML mapping")
case("top-level-scalar", "hello\n", "must be a YAML mapping")
case("registry-null", {"registry": None}, "registry: expected object, got null")
case("registry-list", {"registry": [1]}, "registry: expected object, got list")
case("registry-string", {"registry": "generic"}, "registry: expected object, got string")
case("registry-empty", {"registry": {}}, "registry.type: required value is missing")
case("no-prefix", drop("imagePrefix"), "registry.imagePrefix: required value is missing")
case("no-type", drop("type"), "registry.type: required value is missing")
case("no-url-generic", drop("url"), "registry.url: required value is missing")

# -- wrong types, one per key
for key, bad, want in [
    ("type", 1, "1 is not one of"), ("type", None, "is not one of"), ("type", "Generic", "is not one of"),
    ("type", "quay", "is not one of"), ("type", "", "is not one of"), ("type", ["generic"], "is not one of"),
    ("url", 5, "expected string, got integer"), ("url", True, "expected string, got boolean"),
    ("url", {"a": 1}, "expected string, got mapping"), ("url", [], "expected string, got list"),
    ("imagePrefix", 3, "expected string, got integer"), ("imagePrefix", None, "expected string, got null"),
    ("imagePrefix", "ab", "at least 3 characters"),
    ("mode", "create", "is not one of validate | provision"), ("mode", 0, "is not one of"),
    ("tls", "yes", "expected object, got string"), ("tls", {"caBundle": 1}, "expected string"),
    ("tls", {"insecure": True}, "registry.tls.insecure: unknown key"),
    ("credentials", "secret", "expected object, got string"),
    ("credentials", {"password": "x"}, "registry.credentials.password: unknown key"),
    ("credentials", {"existingSecret": "Bad_Name"}, "registry.credentials.existingSecret"),
    ("credentials", {"existingSecret": "-x"}, "registry.credentials.existingSecret"),
    ("credentials", {"existingSecret": 7}, "expected string, got integer"),
    ("credentials", {"usernameKey": ""}, "at least 1 characters"),
    ("credentials", {"passwordKey": None}, "expected string, got null"),
    ("probe", [], "expected object, got list"), ("probe", {"push": "yes"}, "expected boolean, got string"),
    ("probe", {"pull": 1}, "expected boolean, got integer"), ("probe", {"name": "Probe"}, "registry.probe.name"),
    ("probe", {"name": "a/b"}, "registry.probe.name"), ("probe", {"name": "x" * 65}, "at most 64"),
    ("probe", {"other": 1}, "registry.probe.other: unknown key"),
    ("timeouts", {"connect": 0}, "at least 0.1"), ("timeouts", {"connect": -1}, "at least 0.1"),
    ("timeouts", {"read": 601}, "at most 600"), ("timeouts", {"retryFor": "1m"}, "expected number"),
    ("timeouts", {"retryFor": 901}, "at most 900"), ("timeouts", {"total": 0.5}, "at least 1"), ("timeouts", {"total": 3601}, "at most 3600"),
    ("timeouts", {"other": 1}, "registry.timeouts.other: unknown key"),
]:
    case(f"type-{key}-{json.dumps(bad)[:20]}", reg(**{key: bad}), f"registry.{key}")
    CASES[-1] = (CASES[-1][0], CASES[-1][1], want)

# -- unknown keys, anywhere
for key in ("username", "password", "token", "Type", "image_prefix", "imageprefix", "urls", "auth"):
    case(f"unknown-{key}", reg(**{key: "x"}), f"registry.{key}: unknown key")

# -- URLs
for url, why in [
    ("registry.example.org", "no scheme"), ("ftp://registry.example.org", "ftp"),
    ("https://", "no host"), ("https:///v2", "empty host"), ("https://exa mple.org", "space"),
    ("https://registry.example.org?x=1", "query"), ("https://registry.example.org#frag", "fragment"),
    ("https://user:" + PASSWORD + "@registry.example.org", "userinfo"), ("https://-bad.example.org", "dash"),
    ("https://régistry.example.org", "unicode host"), ("https://registry.example.org:123456", "port"),
    ("http://[zz::1]", "bad ipv6"), ("HTTPS://registry.example.org", "upper scheme"), (" https://r.org", "space"),
    ("https://" + "a" * 2100 + ".org", "huge"),
]:
    case(f"url-{why}", reg(url=url), "registry.url:")

# -- image prefixes
for prefix, want in [
    ("127.0.0.1:1/binder/Prod-", "upper-case"), ("127.0.0.1:1/bin der/", "not allowed"),
    ("127.0.0.1:1/binder/prod!-", "character '!'"), ("127.0.0.1:1/binder/prod-:latest", "without a tag"),
    ("127.0.0.1:1/binder/prod@sha256:", "without a tag or digest"), ("127.0.0.1:1//prod-", "invalid repository"),
    ("127.0.0.1:1/-prod-", "invalid repository"), ("127.0.0.1:1/binder/", "invalid repository") if False else
    ("127.0.0.1:1/_x/", "invalid repository"), ("127.0.0.1:1/binder/prod-é", "not allowed"),
    ("127.0.0.1:1/binder/prod-\u200b", "not allowed"), ("registry.example.org/binder/prod-", "but the registry is"),
    ("127.0.0.1:2/binder/prod-", "but the registry is"), ("prod-", "HOST/PATH/NAME-PREFIX"),
    ("127.0.0.1:1/" + "a" * 250, "at most 255"), ("127.0.0.1:1/" + "a/" * 100, "too little room"),
    ("127.0.0.1:1/binder/prod..", "invalid repository"), ("127.0.0.1:1/binder/prod___", "invalid repository"),
]:
    case(f"prefix-{prefix[12:30]}", reg(imagePrefix=prefix), want)
case("prefix-hub-like", {"registry": {**OK, "url": "http://myregistry:5000", "imagePrefix": "myregistry/binder-"}},
     "but the registry is")
case("mode-provision-generic", reg(mode="provision"), "registry.mode: generic registries cannot be provisioned")

# -- huge, unicode, odd YAML
case("huge-cabundle", reg(tls={"caBundle": "x" * 70000}), "at most 65536")
case("unicode-type", reg(type="génériq"), "is not one of")
case("unicode-key", reg(**{"ürl": "x"}), "unknown key")
case("emoji-prefix", reg(imagePrefix="127.0.0.1:1/🐳-"), "not allowed")
case("yaml-bomb", "a: &a [x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b]\n"
                  "registry: {type: generic, url: 'http://127.0.0.1:1', imagePrefix: *c}\n", "anchors and aliases")
case("yaml-alias-simple", "base: &b {type: generic}\nregistry: *b\n", "anchors and aliases")
case("yaml-tab-indent", "registry:\n\ttype: generic\n", "line")
case("yaml-unclosed", "registry: {type: generic\n", "line")
case("yaml-duplicate-key", "registry:\n  type: generic\n  type: ecr\n", "duplicate")
case("json-duplicate-key", '{"registry": {"type": "generic", "type": "ecr"}}', "duplicate")
case("json-deep", '{"registry": ' + '{"a": ' * 100 + "1" + "}" * 101, "nested deeper than 64 levels")
case("json-deeper-than-json", '{"registry": ' + '{"a": ' * 10000 + "1" + "}" * 10001, "nested deeper than 64 levels")
case("json-nan", '{"registry": {"type": "generic", "url": "http://127.0.0.1:1", "imagePrefix": "127.0.0.1:1/b/p-", '
     '"timeouts": {"connect": NaN}}}', "registry.timeouts.connect: expected number, got string")
case("yaml-binary", "registry: !!binary aGVsbG8=\n", "registry: expected object")
case("yaml-python-tag", "registry: !!python/object:os.system {}\n", "line")
case("yaml-bad-utf8", b"registry:\n  type: \xff\xfe\n", "not valid UTF-8")
case("huge-values-file", "registry:\n  x: '" + "y" * (1 << 20) + "'\n", "larger than")


def write(tmp_path, values) -> str:
    path = tmp_path / "values.yaml"
    if isinstance(values, bytes):
        path.write_bytes(values)
    elif isinstance(values, str):
        path.write_text(values)
    else:
        path.write_text(json.dumps(values, ensure_ascii=False))
    return str(path)


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("id_, values, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_values(id_, values, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("REGISTRY_PASSWORD", PASSWORD)
    rc = main(["validate", "-q", "-f", write(tmp_path, values)])
    out, err = capsys.readouterr()
    line = one_error_line(err)
    assert rc == 2, line
    assert expected in line, line
    assert "Traceback" not in out + err and PASSWORD not in out + err
    assert len(line) < 400


# -- credentials -----------------------------------------------------------------------

CRED_CASES = [
    ("env-missing-password", {"REGISTRY_USERNAME": "alice"}, None, "REGISTRY_PASSWORD"),
    ("env-missing-username", {"REGISTRY_PASSWORD": PASSWORD}, None, "REGISTRY_USERNAME"),
    ("env-empty-password", {"REGISTRY_USERNAME": "alice", "REGISTRY_PASSWORD": ""}, None, "REGISTRY_PASSWORD"),
    ("file-missing", {}, ("missing", None), "cannot read credentials file"),
    ("file-not-yaml", {}, ("file", "username: [\n"), "line"),
    ("file-a-list", {}, ("file", "- alice\n"), "must be a mapping"),
    ("file-no-password", {}, ("file", "username: alice\n"), "no 'password'"),
    ("file-null-password", {}, ("file", "username: alice\npassword:\n"), "no 'password'"),
    ("dir-no-password", {}, ("dir", {"username": "alice"}), "file"),
    ("dir-empty", {}, ("dir", {}), "no 'username'"),
    ("dir-huge-key", {}, ("dir", {"username": "alice", "password": "x" * 70000}), "larger than"),
    ("custom-key-missing", {}, ("dir-custom", {"username": "alice", "password": PASSWORD}), "no 'token'"),
]


@pytest.mark.parametrize("id_, env, source, expected", CRED_CASES, ids=[c[0] for c in CRED_CASES])
def test_bad_credentials(id_, env, source, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("REGISTRY_USERNAME", raising=False)
    monkeypatch.delenv("REGISTRY_PASSWORD", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    values = dict(OK)
    args = []
    if source:
        kind, content = source
        path = tmp_path / "creds"
        if kind == "file":
            path.write_text(content)
        elif kind.startswith("dir"):
            path.mkdir()
            for k, v in content.items():
                (path / k).write_text(v)
            if kind == "dir-custom":
                values["credentials"] = {"passwordKey": "token"}
        args = ["--credentials", str(path)]
    rc = main(["validate", "-q", "-f", write(tmp_path, {"registry": values}), *args])
    out, err = capsys.readouterr()
    line = one_error_line(err)
    assert rc == 2 and expected in line, line
    assert PASSWORD not in out + err and "Traceback" not in err


def test_corpus_is_large():
    assert len(CASES) + len(CRED_CASES) >= 100


@pytest.mark.parametrize("id_", ["yaml-bomb", "type-url-5", "url-userinfo"])
def test_as_a_subprocess(id_, tmp_path):
    values = {c[0]: c[1] for c in CASES}[id_]
    proc = subprocess.run([sys.executable, "-m", "binderhub_registry_hook", "validate", "-f", write(tmp_path, values)],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2
    one_error_line(proc.stderr)
    assert PASSWORD not in proc.stderr and "Traceback" not in proc.stderr
