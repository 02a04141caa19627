"""AWS stand-ins: moto in server mode (STS, ECR) behind a small HTTP front, on 127.0.0.1.

``MotoServer`` is moto's threaded server (share one per module; each front resets it);
``AwsFront(moto)`` is the endpoint the code under test talks to.

moto has no repository creation templates, so the front answers
``CreateRepositoryCreationTemplate``, ``DescribeRepositoryCreationTemplates`` and
``UpdateRepositoryCreationTemplate`` itself, checking each body the way the real API
does (``prefix`` pattern, ``appliedFor`` enum, ``lifecyclePolicy`` as a JSON *string*,
``resourceTags`` as ``[{"Key", "Value"}]``), and proxies every other call to moto.
It also injects what moto cannot be asked for per call:

* ``front.deny["GetAuthorizationToken"] = True``: AccessDenied, worded as AWS words it;
* ``front.throttle["GetAuthorizationToken"] = 2``: the next 2 calls get ThrottlingException;
* ``front.fail["GetAuthorizationToken"] = [503, 500]``: the next calls get these server errors
  (``ServiceUnavailableException``, ``InternalFailure``; 429 is ``TooManyRequestsException``);
* moto's token says it expired in 2015: the front gives it the real 12 hours.

``front.calls`` records (operation, parsed body, access key id) of every call.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests
import yaml

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
JSON_TARGET = "AmazonEC2ContainerRegistry_V20150921."
TEMPLATE_OPS = {"CreateRepositoryCreationTemplate", "DescribeRepositoryCreationTemplates",
                "UpdateRepositoryCreationTemplate"}
APPLIED_FOR = {"REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"}
PREFIX_RE = re.compile(r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$")
TOKEN_HOURS = 12
SERVER_ERRORS = {500: "InternalFailure", 503: "ServiceUnavailableException", 429: "TooManyRequestsException"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


def write_values(tmp_path, registry, *, mode="provision", prefix="binder/prod-", **ecr_block):
    """A values file for an ECR registry in this account and region, served by ``registry`` (tmp_path/values.yaml)."""
    block = {"region": REGION, "accountId": ACCOUNT, **ecr_block}
    values = {"registry": {"type": "ecr", "url": registry.url, "imagePrefix": f"{registry.host}/{prefix}",
                           "mode": mode, "ecr": block, "timeouts": {"retryFor": 2}}}
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


class AwsError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class MotoServer:
    """moto's threaded server on 127.0.0.1, on a free port; share one per test module."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.url = ""

    def start(self) -> "MotoServer":
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        return self

    def reset(self) -> None:
        """Forget every resource: moto keeps its state per process, not per server."""
        requests.post(self.url + "/moto-api/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        self._server.stop()


class AwsFront:
    """Start with ``AwsFront().start()`` (or as a context manager); ``.url`` is the endpoint."""

    def __init__(self, moto: "MotoServer | None" = None, *, principal: str = f"arn:aws:sts::{ACCOUNT}:user/moto"):
        self._owns_moto = moto is None
        self.moto = moto or MotoServer()
        self.principal = principal  # whom AccessDenied names: moto's identity by default
        self.templates: dict[str, dict] = {}
        self.calls: list[tuple[str, dict, str | None]] = []
        self.deny: dict[str, bool] = {}
        self.throttle: dict[str, int] = {}
        self.fail: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> "AwsFront":
        if self._owns_moto:
            self.moto.start()
        self.moto.reset()
        self.moto_url = self.moto.url
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self._owns_moto:
            self.moto.stop()

    def __enter__(self) -> "AwsFront":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- for tests --------------------------------------------------------------------

    def client(self, service: str):
        """A boto3 client straight to moto (behind the test's back: no faults, not recorded)."""
        import boto3

        return boto3.client(service, region_name=REGION, endpoint_url=self.moto_url,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def ecr_password(self) -> str:
        """The docker password moto's GetAuthorizationToken issues (``AWS:<password>``, base64)."""
        token = self.client("ecr").get_authorization_token()["authorizationData"][0]["authorizationToken"]
        user, _, password = base64.b64decode(token).decode().partition(":")
        assert user == "AWS"
        return password

    def calls_of(self, operation: str) -> list[dict]:
        return [body for op, body, _ in self.calls if op == operation]

    def writes(self) -> list[str]:
        return [op for op, _, _ in self.calls if op.startswith(("Create", "Update", "Put", "Delete", "Tag"))]

    # -- the templates moto lacks ------------------------------------------------------

    def _template_call(self, op: str, body: dict) -> dict:
        now = time.time()
        if op == "DescribeRepositoryCreationTemplates":
            prefixes = body.get("prefixes")
            found = [t for p, t in sorted(self.templates.items()) if prefixes is None or p in prefixes]
            return {"registryId": ACCOUNT, "repositoryCreationTemplates": found}
        _check_template(body, create=op.startswith("Create"))
        prefix = body["prefix"].rstrip("/") if body["prefix"] != "ROOT" else "ROOT"
        if op == "CreateRepositoryCreationTemplate":
            if prefix in self.templates:
                raise AwsError("TemplateAlreadyExistsException", f"The template with prefix {prefix} already exists")
            template = {k: v for k, v in body.items()}
            template.update(prefix=prefix, createdAt=now, updatedAt=now)
            template.setdefault("imageTagMutability", "MUTABLE")
            template.setdefault("encryptionConfiguration", {"encryptionType": "AES256"})
            self.templates[prefix] = template
        else:
            if prefix not in self.templates:
                raise AwsError("TemplateNotFoundException", f"The template with prefix {prefix} was not found")
            self.templates[prefix].update({k: v for k, v in body.items() if k != "prefix"}, updatedAt=now)
        return {"registryId": ACCOUNT, "repositoryCreationTemplate": self.templates[prefix]}

    def seed_template(self, prefix: str, **fields) -> dict:
        now = time.time()
        self.templates[prefix] = {"prefix": prefix, "appliedFor": ["CREATE_ON_PUSH"], "createdAt": now,
                                  "updatedAt": now, **fields}
        return self.templates[prefix]


def _check_template(body: dict, *, create: bool) -> None:
    """The request rules of the real API (botocore checks types; the service checks these)."""
    unknown = set(body) - {"prefix", "description", "encryptionConfiguration", "resourceTags", "imageTagMutability",
                           "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy",
                           "appliedFor", "customRoleArn"}
    if unknown:
        raise AwsError("SerializationException", f"unknown fields {sorted(unknown)}")
    prefix = body.get("prefix")
    if not isinstance(prefix, str) or not PREFIX_RE.fullmatch(prefix):
        raise AwsError("InvalidParameterException", f"Invalid parameter at 'prefix': {prefix!r}")
    applied = body.get("appliedFor")
    if create and not applied:
        raise AwsError("InvalidParameterException", "appliedFor is required")
    if applied is not None and (not isinstance(applied, list) or set(applied) - APPLIED_FOR):
        raise AwsError("InvalidParameterException", f"Invalid parameter at 'appliedFor': {applied!r}")
    if "lifecyclePolicy" in body:
        text = body["lifecyclePolicy"]
        try:
            policy = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            policy = None
        if not isinstance(policy, dict) or not isinstance(policy.get("rules"), list):
            raise AwsError("InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText'")
    for tag in body.get("resourceTags") or []:
        if set(tag) != {"Key", "Value"}:
            raise AwsError("InvalidParameterException", f"Invalid tag {tag!r}")


def _operation(headers, body: bytes) -> tuple[str, dict]:
    """(operation, parameters) of an AWS JSON (X-Amz-Target) or query (Action=) request."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1], json.loads(body or b"{}")
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    return form.get("Action", ""), form


def _access_key(headers) -> str | None:
    m = re.search(r"Credential=([^/]+)/", headers.get("Authorization", ""))
    return m.group(1) if m else None


def _handler(front: AwsFront):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            op, params = _operation(self.headers, body)
            json_protocol = "X-Amz-Target" in self.headers
            with front._lock:
                front.calls.append((op, params, _access_key(self.headers)))
                throttled = front.throttle.get(op, 0) > 0
                if throttled:
                    front.throttle[op] -= 1
                failed = front.fail[op].pop(0) if front.fail.get(op) else None
            try:
                if failed:
                    raise AwsError(SERVER_ERRORS.get(failed, "InternalFailure"), "injected fault", failed)
                if front.deny.get(op):
                    service = "ecr" if json_protocol else "sts"
                    raise AwsError("AccessDeniedException" if json_protocol else "AccessDenied",
                                   f"User: {front.principal} is not authorized to perform: {service}:{op} on "
                                   f"resource: * because no identity-based policy allows the {service}:{op} action",
                                   403 if not json_protocol else 400)
                if throttled:
                    raise AwsError("ThrottlingException" if json_protocol else "Throttling", "Rate exceeded")
                if op in TEMPLATE_OPS:
                    with front._lock:
                        answer = front._template_call(op, params)
                    return self._send(200, json.dumps(answer).encode(), "application/x-amz-json-1.1")
            except AwsError as e:
                return self._error(e, json_protocol)
            self._proxy(body, op)

        def _proxy(self, body: bytes, op: str):
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            r = requests.post(front.moto_url + self.path, data=body, headers=headers, timeout=30)
            data = r.content
            if op == "GetAuthorizationToken" and r.status_code == 200:
                # moto says the token expired in 2015; the real one lives 12 hours.
                answer = r.json()
                for d in answer.get("authorizationData", []):
                    d["expiresAt"] = time.time() + TOKEN_HOURS * 3600
                data = json.dumps(answer).encode()
            self._send(r.status_code, data, r.headers.get("Content-Type", "application/octet-stream"))

        def _error(self, e: AwsError, json_protocol: bool):
            if json_protocol:
                payload = json.dumps({"__type": e.code, "message": e.message}).encode()
                return self._send(e.status, payload, "application/x-amz-json-1.1", {"x-amzn-ErrorType": e.code})
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{e.code}</Code><Message>{e.message}</Message>"
                   "</Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>")
            self._send(e.status, xml.encode(), "text/xml")

        def _send(self, status: int, data: bytes, content_type: str, extra: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
