"""A Harbor stand-in on one host, in front of a real local registry.

``HarborServer`` serves what a Harbor host serves:

* ``/service/token`` (``service=harbor-registry``): Harbor's token service, built on
  ``TokenServer``: users, admins and robot accounts log in; a robot that expired or is
  disabled gets 401, as in Harbor; nothing is granted on a project that does not exist;
* ``/api/v2.0/projects`` and ``/api/v2.0/robots``: the calls of Harbor's v2.0 API that
  provisioning uses, with Harbor's shapes and rules (``robot$PROJECT+NAME`` names,
  durations in days counted from creation, secret rules, 401/403/404/409);
* ``/v2/...``: forwarded to the real registry, which trusts this token service.

Start it, then ``LocalRegistry(auth="token", token_server=harbor)``, then
``harbor.upstream = registry.host``.  ``harbor.calls`` records (method, path, status).
``harbor.api_fail = [(503,), (429, {"Retry-After": "1"})]`` makes the next API calls fail so.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from . import FAST
from .tokenserver import TokenServer, _Handler

SERVICE = "harbor-registry"
NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}
DAY = 86400


def block(server, project="binder", **kw) -> dict:
    """A registry block for a Harbor project served by ``server`` (prefix PROJECT/prod-)."""
    return {"type": "harbor", "url": server.url, "imagePrefix": f"{server.host}/{project}/prod-",
            "timeouts": FAST, **kw}


def _valid_secret(s: str) -> bool:
    return (8 <= len(s) <= 128 and re.search("[a-z]", s) and re.search("[A-Z]", s)
            and re.search(r"\d", s)) is not None


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat().replace("+00:00", "Z")


class HarborServer(TokenServer):
    def __init__(self, ca=None, **kw):
        self.admins: dict[str, str] = {"admin": "Admin-" + secrets.token_urlsafe(10)}
        self.members: dict[str, dict[str, list[str]]] = {}  # user -> project -> actions
        self.projects: dict[str, dict] = {}
        self.robots: dict[int, dict] = {}  # id -> robot, with its plain "secret"
        self.upstream: str | None = None  # host:port of the registry
        self.calls: list[tuple[str, str, int]] = []
        self.api_fail: list[tuple] = []  # faults for the next API calls: (status,) or (status, headers)
        self._ids = iter(range(1, 1_000_000))
        super().__init__(ca, service=SERVICE, path="/service/token", default_grant=None, **kw)

    # -- fixtures for tests ------------------------------------------------------------------

    def add_project(self, name: str, public: bool = False) -> int:
        pid = next(self._ids)
        self.projects[name] = {"project_id": pid, "name": name, "metadata": {"public": str(public).lower()},
                               "creation_time": _iso(time.time())}
        return pid

    def add_robot(self, project: str, name: str, actions=("push", "pull"), *, days: int = 30,
                  created: float | None = None, disable: bool = False) -> tuple[str, str]:
        """A project robot; returns (full name, secret)."""
        robot = self._new_robot(project, name, days, [{"kind": "project", "namespace": project, "access": [
            {"resource": "repository", "action": a} for a in actions]}], created=created)
        robot["disable"] = disable
        return robot["name"], robot["secret"]

    def robots_named(self, project: str, name: str) -> list[dict]:
        return [r for r in self.robots.values() if r["name"] == f"robot${project}+{name}"]

    # -- token service policy ----------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> str | None:
        if username in self.admins:
            return username if secrets.compare_digest(self.admins[username], password) else None
        for robot in self.robots.values():
            if robot["name"] == username:
                usable = not robot["disable"] and not (0 <= robot["expires_at"] < time.time())
                return username if usable and secrets.compare_digest(robot["secret"], password) else None
        return super().authenticate(username, password)

    def grant(self, subject, type_, name, requested):
        project = name.split("/", 1)[0]
        if subject is None or type_ != "repository" or project not in self.projects:
            return []
        if subject in self.admins:
            allowed = set(requested)
        elif subject.startswith("robot$"):
            robot = next(r for r in self.robots.values() if r["name"] == subject)
            allowed = {a["action"] for p in robot["permissions"] if p["namespace"] == project
                       for a in p["access"] if a["resource"] == "repository"}
        else:
            allowed = set(self.members.get(subject, {}).get(project, ()))
        return [a for a in requested if a in allowed]

    # -- the API ---------------------------------------------------------------------------------

    def _new_robot(self, project, name, duration, permissions, *, created=None) -> dict:
        created = time.time() if created is None else created
        rid = next(self._ids)
        self.robots[rid] = robot = {
            "id": rid, "name": f"robot${project}+{name}", "description": "", "level": "project",
            "duration": duration, "disable": False, "editable": True,
            "expires_at": -1 if duration == -1 else int(created + duration * DAY),
            "creation_time": _iso(created), "_created": created, "permissions": permissions,
            "secret": "Rb1" + secrets.token_urlsafe(16),
        }
        return robot

    def api(self, method: str, path: str, query: dict, body, user: str | None) -> tuple[int, object]:
        if user is None:
            return 401, _errors("UNAUTHORIZED", "unauthorized")
        admin = user in self.admins
        m = re.fullmatch(r"/api/v2\.0/projects/([^/]+)", path)
        if m and method == "GET":
            project = self.projects.get(m[1])
            if project is None:
                return 404, _errors("NOT_FOUND", f"project {m[1]} not found")
            if admin or m[1] in self.members.get(user, {}):
                return 200, project
            return 403, _errors("FORBIDDEN", "forbidden")
        if not admin:
            return 403, _errors("FORBIDDEN", f"{user} is not a system administrator")
        if path == "/api/v2.0/projects" and method == "POST":
            name = (body or {}).get("project_name", "")
            if not NAME_RE.match(name):
                return 400, _errors("BAD_REQUEST", "invalid project name")
            if name in self.projects:
                return 409, _errors("CONFLICT", f"The project named {name} already exists")
            self.add_project(name, public=(body.get("metadata") or {}).get("public") == "true")
            return 201, None
        if path == "/api/v2.0/robots" and method == "GET":
            q = dict(kv.split("=", 1) for kv in query.get("q", [""])[0].split(",") if "=" in kv)
            if q.get("Level") != "project" or not q.get("ProjectID", "").isdigit():
                return 400, _errors("BAD_REQUEST", "must with project ID when to query project robots")
            names = [p for p, v in self.projects.items() if v["project_id"] == int(q["ProjectID"])]
            found = [_public(r) for r in self.robots.values() if names and r["name"].startswith(f"robot${names[0]}+")]
            page, size = int(query.get("page", ["1"])[0]), int(query.get("page_size", ["10"])[0])
            return 200, found[(page - 1) * size: page * size]
        if path == "/api/v2.0/robots" and method == "POST":
            return self._create_robot(body or {})
        m = re.fullmatch(r"/api/v2\.0/robots/(\d+)", path)
        robot = self.robots.get(int(m[1])) if m else None
        if m and robot is None:
            return 404, _errors("NOT_FOUND", "robot not found")
        if m and method == "GET":
            return 200, _public(robot)
        if m and method == "PUT":
            if body.get("name") != robot["name"] or body.get("level") != robot["level"]:
                return 400, _errors("BAD_REQUEST", "cannot update the level or name of robot")
            if body.get("duration") != robot["duration"]:
                robot["duration"] = body["duration"]
                robot["expires_at"] = (-1 if body["duration"] == -1
                                       else int(robot["_created"] + body["duration"] * DAY))
            robot.update(disable=bool(body.get("disable")), permissions=body.get("permissions") or [],
                         description=body.get("description", ""))
            return 200, None
        if m and method == "PATCH":
            given = (body or {}).get("secret") or ""
            if given and not _valid_secret(given):
                return 400, _errors("BAD_REQUEST", "the secret must be 8-128 characters with upper, lower, number")
            robot["secret"] = given or "Rb1" + secrets.token_urlsafe(16)
            return 200, {"secret": "" if given else robot["secret"]}
        return 404, _errors("NOT_FOUND", f"{method} {path}")

    def _create_robot(self, body: dict) -> tuple[int, object]:
        perms = body.get("permissions") or []
        duration = body.get("duration")
        if not NAME_RE.match(body.get("name") or ""):
            return 400, _errors("BAD_REQUEST", "robot name is not in lower case or contains illegal characters")
        if body.get("level") != "project" or len(perms) != 1 or not perms[0].get("access"):
            return 400, _errors("BAD_REQUEST", "bad request permission")
        if not isinstance(duration, int) or not (duration == -1 or duration > 0):
            return 400, _errors("BAD_REQUEST", f"bad request error duration input: {duration}")
        project = perms[0].get("namespace")
        if project not in self.projects:
            return 404, _errors("NOT_FOUND", f"project {project} not found")
        if self.robots_named(project, body["name"]):
            return 409, _errors("CONFLICT", "robot account already exists")
        robot = self._new_robot(project, body["name"], duration, perms)
        robot["description"] = body.get("description", "")
        return 201, {k: robot[k] for k in ("id", "name", "secret", "creation_time", "expires_at")}


def _public(robot: dict) -> dict:
    return {k: v for k, v in robot.items() if k != "secret" and not k.startswith("_")}


def _errors(code: str, message: str) -> dict:
    return {"errors": [{"code": code, "message": message}]}


class _HarborHandler(_Handler):
    token_server: HarborServer

    def _route(self) -> None:
        path = urlsplit(self.path).path
        if path == "/v2" or path.startswith("/v2/"):
            return self._forward()
        if path.startswith("/api/"):
            return self._api(path)
        if self.command == "GET":
            return _Handler.do_GET(self)
        if self.command == "POST":
            return _Handler.do_POST(self)
        self._json(405, _errors("METHOD_NOT_ALLOWED", self.command))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _route

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _api(self, path: str) -> None:
        hs = self.token_server
        raw = self._body()
        if hs.api_fail:
            status, *headers = hs.api_fail.pop(0)
            hs.calls.append((self.command, path, status))
            return self._json(status, _errors("UNAVAILABLE", "injected fault"), *headers)
        creds = self._basic_auth()
        user = hs.authenticate(*creds) if creds else None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        status, payload = hs.api(self.command, path, parse_qs(urlsplit(self.path).query), body, user)
        hs.calls.append((self.command, path, status))
        if payload is not None:
            return self._json(status, payload)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _forward(self) -> None:
        """Pass a registry request on, keeping the Host so upload locations point here."""
        host, port = self.token_server.upstream.split(":")
        body = self._body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", (resp.getheader("Content-Length") or "0") if self.command == "HEAD"
                         else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


HarborServer.handler_class = _HarborHandler

