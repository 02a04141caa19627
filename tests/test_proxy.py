"""Behind a site's forward proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as many university
clusters are: the registry traffic goes through a real proxy (Debian's tinyproxy), https
tunnelled with CONNECT and still verified end to end against the registry's own CA; a
proxy that refuses is one line naming the proxy, with no proxy password in it."""

from __future__ import annotations

import pytest

from tests.support import new_password
from tests.support.proxy import TinyProxy


def generic(reg, **extra) -> dict:
    return {"type": "generic", "url": reg.url, "imagePrefix": f"{reg.host}/binder/prod-", **extra}


@pytest.fixture
def proxy_env(monkeypatch):
    """Only the variables a test sets: none inherited from the machine."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_https_registry_through_connect_tunnel(run, registry_factory, tmp_path, proxy_env):
    reg = registry_factory("htpasswd", tls=True)
    with TinyProxy(tmp_path / "proxy") as proxy:
        proxy_env.setenv("HTTPS_PROXY", proxy.url())
        block = generic(reg, tls={"caBundle": open(reg.ca_path).read()})
        rc, out, err = run(block, username="alice", password=reg.users["alice"])
        assert rc == 0, err
        log = proxy.logged()
    # The tunnel carried it: CONNECT to the registry, and nothing sent in the clear.
    assert f"CONNECT {reg.host}" in log, log[-2000:]
    assert reg.users["alice"] not in log and "/v2/" not in log


def test_http_registry_through_proxy(run, registry_factory, tmp_path, proxy_env):
    reg = registry_factory("htpasswd")
    with TinyProxy(tmp_path / "proxy") as proxy:
        proxy_env.setenv("HTTP_PROXY", proxy.url())
        rc, out, err = run(generic(reg), username="alice", password=reg.users["alice"])
        assert rc == 0, err
        log = proxy.logged()
    assert f"GET http://{reg.host}/v2/" in log and f"POST http://{reg.host}/v2/binder/prod-" in log, log[-2000:]


@pytest.mark.parametrize("no_proxy, bypassed", [
    ("127.0.0.1", True),
    ("example.org, 127.0.0.0/8", True),  # a range, as sites write it for their internal networks
    ("10.0.0.0/8,not-a-range/x", False),  # an address outside every range still goes through
])
def test_no_proxy_bypasses_the_proxy(run, registry_factory, tmp_path, proxy_env, no_proxy, bypassed):
    reg = registry_factory("htpasswd")
    with TinyProxy(tmp_path / "proxy") as proxy:
        proxy_env.setenv("HTTP_PROXY", proxy.url())
        proxy_env.setenv("NO_PROXY", no_proxy)
        rc, out, err = run(generic(reg), username="alice", password=reg.users["alice"])
        assert rc == 0, err
        log = proxy.logged()
    assert (f"GET http://{reg.host}/v2/" not in log) is bypassed, log[-2000:]


def test_proxy_credentials(run, registry_factory, tmp_path, proxy_env):
    """A proxy that wants Basic auth: the URL's user:password opens the tunnel; a wrong one is
    one line that names the proxy (not the registry's credentials), without the password."""
    reg = registry_factory("htpasswd", tls=True)
    proxy_password = new_password()
    block = generic(reg, tls={"caBundle": open(reg.ca_path).read()}, timeouts={"retryFor": 1})
    with TinyProxy(tmp_path / "proxy", auth=("campus", proxy_password)) as proxy:
        proxy_env.setenv("HTTPS_PROXY", proxy.url(("campus", proxy_password)))
        rc, out, err = run(block, username="alice", password=reg.users["alice"])
        assert rc == 0, err
        wrong = "not-" + proxy_password
        proxy_env.setenv("HTTPS_PROXY", proxy.url(("campus", wrong)))
        rc, out, err = run(block, username="alice", password=reg.users["alice"])
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert rc != 0 and len(lines) == 1, err
    assert f"cannot connect to {reg.host} through the proxy 127.0.0.1" in lines[0], lines[0]
    assert "Tunnel connection failed: 401" in lines[0] and "(check the proxy the environment names" in lines[0]
    assert proxy_password not in out + err and wrong not in out + err
