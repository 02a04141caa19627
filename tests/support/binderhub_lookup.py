"""BinderHub's manifest lookup, as its image runs it: tornado's CurlAsyncHTTPClient on Debian's
libcurl (python3-tornado and python3-pycurl from bookworm, the base of BinderHub's image).

Run with Debian's /usr/bin/python3: ``binderhub_lookup.py URL IMAGE TAG`` with the login in
$REGISTRY_USERNAME/$REGISTRY_PASSWORD; prints one JSON line: {"status": 404} or {"error": "..."}.
Like ``DockerRegistry.get_image_manifest`` with basic auth (no token url); the CA it trusts
is whatever libcurl trusts by default, which is the point: no ca_certs is passed.
"""

import asyncio
import json
import os
import sys

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

AsyncHTTPClient.configure("tornado.curl_httpclient.CurlAsyncHTTPClient")  # as BinderHub.init_pycurl


async def lookup(url: str, image: str, tag: str) -> dict:
    request = HTTPRequest(f"{url}/v2/{image}/manifests/{tag}",
                          headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
                          auth_username=os.environ["REGISTRY_USERNAME"], auth_password=os.environ["REGISTRY_PASSWORD"],
                          request_timeout=10, connect_timeout=5)
    try:
        response = await AsyncHTTPClient().fetch(request)
    except HTTPClientError as e:
        if e.code == 599:  # curl's own failure: connection or TLS
            return {"error": str(e)}
        return {"status": e.code}
    return {"status": response.code}


print(json.dumps(asyncio.run(lookup(*sys.argv[1:4]))))
