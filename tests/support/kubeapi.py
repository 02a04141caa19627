"""A Kubernetes API test server: real HTTP on 127.0.0.1, real semantics, tiny scope.

No kube-apiserver can be installed here, so the hook's Kubernetes sink is tested
against this server through the official ``kubernetes`` client.  It implements what
the sink uses, the way the API server does it:

* Secrets (``/api/v1/namespaces/NS/secrets[/NAME]``): GET, POST, PUT, PATCH, DELETE;
  ``data`` must be base64, ``stringData`` is merged into ``data`` on write; ``type`` is
  immutable; ``kubernetes.io/dockerconfigjson`` needs a ``.dockerconfigjson`` key
  holding JSON (422 Invalid otherwise);
* Deployments (``/apis/apps/v1/namespaces/NS/deployments[/NAME]``): GET, POST, PUT,
  PATCH (merge and strategic merge for maps; a JSON patch must be a list), with
  ``metadata.generation`` bumped when the spec or the annotations change;
* Events (``/api/v1/namespaces/NS/events``): POST, GET (list);
* ``metadata.resourceVersion`` from one counter; a PUT carrying a stale one gets
  409 Conflict; POST of an existing name gets 409 AlreadyExists; unknown names 404;
  PUT of an absent Secret 404 (Secrets are not created on update);
* bearer-token authentication (401) and RBAC (403) from a list of Role rules
  (``apiGroups``, ``resources``, ``verbs``, ``resourceNames``) with the API server's
  own Forbidden message; ``rules=None`` allows everything.

Each of these semantics is checked once against a real API server
(tests/cluster/test_kubeapi_parity.py); this server stays for the faults below, which a
real one will not produce on demand.  Errors are ``Status`` objects.  Tests can
interfere: ``server.before`` callbacks run before each request (e.g. a concurrent writer
bumping the object), ``server.requests`` logs ``(method, path, status)``,
``server.objects`` holds the stored state.

Faults, for reliability tests: ``server.inject(method, resource, action, times=1)``
makes the next ``times`` matching requests (``times=None``: all of them) take
``action`` instead of being served normally:

* ``("status", 503)`` or ``("status", 429, {"Retry-After": "1"})``: that Status answer;
* ``("stall", seconds)``: wait, then serve;
* ``("drop",)``: close the connection without an answer (nothing applied);
* ``("lost",)``: apply the request, then close without an answer (the reply is lost).

Faulted requests are logged in ``server.requests`` with status 0 for drops.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import secrets
import socket
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlparse

from .servers import LoopbackHTTPServer

# resource -> (API group, kind, URL prefix pattern)
RESOURCES = {
    "secrets": ("", "Secret", "v1"),
    "events": ("", "Event", "v1"),
    "deployments": ("apps", "Deployment", "apps/v1"),
}
PATH_RE = re.compile(
    r"^/(?:api/v1|apis/(?P<group>[a-z0-9.]+)/v1)/namespaces/(?P<ns>[a-z0-9-]+)/(?P<resource>[a-z]+)"
    r"(?:/(?P<name>[^/]+))?/?$"
)
VERB = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


class ApiFailure(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details or {}

    def status(self) -> dict:
        doc = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": self.message, "reason": self.reason, "details": self.details, "code": self.code}
        if not self.reason:  # the API server leaves both out of internal errors
            del doc["reason"], doc["details"]
        return doc


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (strategic merge is the same for the maps used here)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


class KubeApiServer:
    """Start with ``KubeApiServer(token=..., rules=...)``; ``.url``; ``.stop()``."""

    def __init__(self, *, token: str | None = None, rules: list[dict] | None = None,
                 user: str = "system:serviceaccount:binder:binderhub-registry-hook"):
        self.token = token or secrets.token_urlsafe(16)
        self.rules = rules
        self.user = user
        self.objects: dict[tuple[str, str, str], dict] = {}  # (resource, ns, name) -> object
        self.requests: list[tuple[str, str, int]] = []
        self.before: list = []  # callables(method, resource, namespace, name)
        self.faults: list[list] = []  # [method, resource, action, times left or None]
        self._rv = 1000
        self._lock = threading.RLock()
        self.httpd = LoopbackHTTPServer(self._handler(), quiet=True, name="kube-api")

    @property
    def url(self) -> str:
        return self.httpd.url

    def stop(self) -> None:
        self.httpd.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def kubeconfig(self, path, namespace: str = "binder") -> str:
        """Write a kubeconfig for this server (token auth, plain HTTP); return its path."""
        doc = {
            "apiVersion": "v1", "kind": "Config", "current-context": "test",
            "clusters": [{"name": "test", "cluster": {"server": self.url}}],
            "users": [{"name": "test", "user": {"token": self.token}}],
            "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test",
                                                      "namespace": namespace}}],
        }
        path.write_text(json.dumps(doc))
        return str(path)

    # -- state helpers for tests ------------------------------------------------

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        with self._lock:
            obj = self.objects.get((resource, namespace, name))
            return copy.deepcopy(obj) if obj else None

    def put(self, resource: str, namespace: str, obj: dict) -> dict:
        """Store an object as a create would (seeding state, or a concurrent writer)."""
        with self._lock:
            name = obj["metadata"]["name"]
            old = self.objects.get((resource, namespace, name))
            return self._store(resource, namespace, name, copy.deepcopy(obj), old)

    def secret_data(self, namespace: str, name: str) -> dict[str, str] | None:
        obj = self.get("secrets", namespace, name)
        if obj is None:
            return None
        return {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}

    def inject(self, method: str, resource: str, action: tuple, times: int | None = 1) -> None:
        """Fault the next ``times`` requests ``method`` on ``resource`` (see the module doc)."""
        with self._lock:
            self.faults.append([method, resource, tuple(action), times])

    def _fault_for(self, method: str, path: str) -> tuple | None:
        m = PATH_RE.match(urlparse(path).path)
        resource = m["resource"] if m else None
        with self._lock:
            for fault in self.faults:
                if fault[0] == method and fault[1] == resource and fault[3] != 0:
                    if fault[3] is not None:
                        fault[3] -= 1
                    return fault[2]
        return None

    def writes(self, resource: str | None = None) -> list[tuple[str, str, int]]:
        return [r for r in self.requests if r[0] in ("POST", "PUT", "PATCH", "DELETE")
                and (resource is None or f"/{resource}" in r[1])]

    # -- semantics ------------------------------------------------------------------

    def _next_rv(self) -> str:
        self._rv += 1
        return str(self._rv)

    def _store(self, resource, ns, name, obj, old) -> dict:
        meta = obj.setdefault("metadata", {})
        meta.update(name=name, namespace=ns, resourceVersion=self._next_rv())
        if old:
            meta["uid"] = old["metadata"]["uid"]
            meta["creationTimestamp"] = old["metadata"]["creationTimestamp"]
        else:
            meta.setdefault("uid", str(uuid.uuid4()))
            meta.setdefault("creationTimestamp", _now())
        group, kind, api_version = RESOURCES[resource]
        obj["kind"], obj["apiVersion"] = kind, api_version
        if resource == "secrets":
            self._normalize_secret(obj, old)
        if resource == "deployments":
            spec = obj.get("spec") or {}
            want = ((spec.get("selector") or {}).get("matchLabels") or {})
            have = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            if not want or any(have.get(k) != v for k, v in want.items()):
                raise ApiFailure(422, "Invalid", f'Deployment.apps "{name}" is invalid: spec.template.metadata.'
                                 f"labels: Invalid value: {json.dumps(have, separators=(',', ':'), sort_keys=True)}: "
                                 "`selector` does not match template `labels`",
                                 {"name": name, "kind": "Deployment", "group": "apps"})
            gen = (old or {}).get("metadata", {}).get("generation", 0)
            changed = not old or old.get("spec") != obj.get("spec") or \
                (old.get("metadata") or {}).get("annotations") != meta.get("annotations")
            meta["generation"] = gen + 1 if changed else gen
        self.objects[(resource, ns, name)] = obj
        return copy.deepcopy(obj)

    def _normalize_secret(self, obj, old) -> None:
        name = obj["metadata"]["name"]
        data = dict(obj.get("data") or {})
        for k, v in data.items():
            try:
                base64.b64decode(v, validate=True)
            except (ValueError, TypeError):
                raise ApiFailure(400, "BadRequest", f"illegal base64 data for key {k!r}")
        for k, v in (obj.pop("stringData", None) or {}).items():
            data[k] = base64.b64encode(v.encode()).decode()
        obj["data"] = data
        obj.setdefault("type", "Opaque")
        invalid = []
        if old and old.get("type", "Opaque") != obj["type"]:
            invalid.append(f'type: Invalid value: "{obj["type"]}": field is immutable')
        if obj["type"] == "kubernetes.io/dockerconfigjson":
            if ".dockerconfigjson" not in data:
                invalid.append('data[.dockerconfigjson]: Required value')
            else:
                try:
                    json.loads(base64.b64decode(data[".dockerconfigjson"]))
                except ValueError:
                    invalid.append("data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": "
                                   "invalid character")
        if invalid:
            raise ApiFailure(422, "Invalid", f'Secret "{name}" is invalid: ' + ", ".join(invalid),
                             {"name": name, "kind": "Secret"})

    def _authorize(self, verb, resource, ns, name) -> None:
        if self.rules is None:
            return
        group = RESOURCES[resource][0]
        for rule in self.rules:
            if group not in rule.get("apiGroups", [""]):
                continue
            if resource not in rule["resources"] and "*" not in rule["resources"]:
                continue
            if verb not in rule["verbs"] and "*" not in rule["verbs"]:
                continue
            names = rule.get("resourceNames")
            if names and (name is None or name not in names):
                continue
            return
        gr = f"{resource}.{group}" if group else resource
        what = f'{gr} "{name}"' if name else gr
        raise ApiFailure(
            403, "Forbidden",
            f'{what} is forbidden: User "{self.user}" cannot {verb} resource "{resource}" in API group '
            f'"{group}" in the namespace "{ns}"',
            {"name": name or "", "kind": resource, **({"group": group} if group else {})},
        )

    def handle(self, method, path, headers, body) -> tuple[int, dict]:
        auth = headers.get("Authorization", "")
        if auth != f"Bearer {self.token}":
            raise ApiFailure(401, "Unauthorized", "Unauthorized")
        m = PATH_RE.match(urlparse(path).path)
        if not m or m["resource"] not in RESOURCES or (m["group"] or "") != RESOURCES[m["resource"]][0]:
            raise ApiFailure(404, "NotFound", "the server could not find the requested resource")
        resource, ns, name = m["resource"], m["ns"], m["name"]
        verb = VERB[method] if name or method != "GET" else "list"
        self._authorize(verb, resource, ns, name)
        for hook in list(self.before):
            hook(method, resource, ns, name)
        kind = RESOURCES[resource][1]
        group = RESOURCES[resource][0]
        gr = f"{resource}.{group}" if group else resource
        with self._lock:
            key = (resource, ns, name)
            old = self.objects.get(key)
            if method == "GET" and name is None:
                items = [copy.deepcopy(o) for (r, n, _), o in sorted(self.objects.items())
                         if r == resource and n == ns]
                return 200, {"kind": f"{kind}List", "apiVersion": "v1",
                             "metadata": {"resourceVersion": str(self._rv)}, "items": items}
            if method == "POST":
                obj = json.loads(body or b"{}")
                new = (obj.get("metadata") or {}).get("name")
                if not new and resource == "events" and (obj.get("metadata") or {}).get("generateName"):
                    new = obj["metadata"]["generateName"] + secrets.token_hex(4)
                if not new:
                    raise ApiFailure(422, "Invalid", f'{kind}{"." + group if group else ""} "" is invalid: '
                                     "metadata.name: Required value: name or generateName is required",
                                     {"kind": kind, **({"group": group} if group else {})})
                if (resource, ns, new) in self.objects:
                    raise ApiFailure(409, "AlreadyExists", f'{gr} "{new}" already exists',
                                     {"name": new, "kind": resource, **({"group": group} if group else {})})
                if obj.get("metadata", {}).get("resourceVersion"):
                    raise ApiFailure(500, "", "resourceVersion should not be set on objects to be created")
                return 201, self._store(resource, ns, new, obj, None)
            if old is None:
                raise ApiFailure(404, "NotFound", f'{gr} "{name}" not found', {"name": name, "kind": resource})
            if method == "GET":
                return 200, copy.deepcopy(old)
            if method == "DELETE":
                del self.objects[key]
                return 200, {"kind": "Status", "apiVersion": "v1", "status": "Success",
                             "details": {"name": name, "kind": resource}}
            if method == "PUT":
                obj = json.loads(body or b"{}")
                rv = (obj.get("metadata") or {}).get("resourceVersion")
                if rv and rv != old["metadata"]["resourceVersion"]:
                    raise ApiFailure(409, "Conflict", f'Operation cannot be fulfilled on {gr} "{name}": the '
                                     "object has been modified; please apply your changes to the latest "
                                     "version and try again", {"name": name, "kind": resource})
                return 200, self._store(resource, ns, name, obj, old)
            if method == "PATCH":
                ctype = headers.get("Content-Type", "")
                patch = json.loads(body or b"null")
                if ctype == "application/json-patch+json" or not isinstance(patch, dict):
                    # The official client sends dicts as json-patch unless told otherwise.
                    raise ApiFailure(400, "BadRequest", "json: cannot unmarshal object into Go value of "
                                     "type jsonpatch.Patch" if isinstance(patch, dict) else "unsupported patch")
                if ctype not in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
                    raise ApiFailure(415, "UnsupportedMediaType", f"the body of the request was in an unknown "
                                     f"format - accepted media types include: application/merge-patch+json, "
                                     f"application/strategic-merge-patch+json (got {ctype!r})")
                rv = (patch.get("metadata") or {}).get("resourceVersion")
                if rv and rv != old["metadata"]["resourceVersion"]:
                    raise ApiFailure(409, "Conflict", f'Operation cannot be fulfilled on {gr} "{name}": the '
                                     "object has been modified; please apply your changes to the latest "
                                     "version and try again", {"name": name, "kind": resource})
                return 200, self._store(resource, ns, name, merge_patch(old, patch), old)
        raise ApiFailure(405, "MethodNotAllowed", f"{method} is not supported")

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = server._fault_for(self.command, self.path) or ("pass",)
                extra = {}
                if fault[0] == "drop":
                    return self._drop()
                if fault[0] == "stall":
                    time.sleep(fault[1])
                try:
                    if fault[0] == "status":
                        extra = fault[2] if len(fault) > 2 else {}
                        raise ApiFailure(fault[1], "InternalError" if fault[1] >= 500 else "TooManyRequests",
                                         f"injected fault: HTTP {fault[1]}")
                    code, doc = server.handle(self.command, self.path, self.headers, body)
                except ApiFailure as e:
                    code, doc = e.code, e.status()
                except ValueError as e:  # bad JSON
                    code, doc = 400, ApiFailure(400, "BadRequest", f"invalid body: {e}").status()
                if fault[0] == "lost":
                    return self._drop()
                server.requests.append((self.command, self.path, code))
                raw = json.dumps(doc).encode()
                self.send_response(code)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _drop(self):
                server.requests.append((self.command, self.path, 0))
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, *args):  # keep pytest output clean
                pass

        return Handler


def hook_role_rules(namespace_secret: str = "binderhub-registry", deployment: str = "binder", *,
                    create: bool = True) -> list[dict]:
    """The Role the chart grants the hook (tests compare this with the rendered Role);
    ``create=False``: the output Secret was pre-created (output.preCreated)."""
    return [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "update"],
         "resourceNames": [namespace_secret]},
        *([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}] if create else []),
        {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "patch"],
         "resourceNames": [deployment]},
        {"apiGroups": [""], "resources": ["events"], "verbs": ["create"]},
    ]
