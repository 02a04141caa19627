"""A stand-in for the Google Cloud parts the google provider talks to, on 127.0.0.1.

One :class:`GoogleCloud` holds the state of a fake project (service accounts, their
keys, access tokens, Artifact Registry repositories and their IAM policies) and runs:

* an OAuth 2.0 token endpoint (``/token``) that accepts the JWT-bearer grant which
  google-auth's service-account credentials send, checking the RS256 signature against
  the public half of the key it created, and issues opaque access tokens (1 hour);
* the IAM Admin API ``google.iam.admin.v1.IAM`` over gRPC (local TCP credentials: plaintext
  on loopback, yet carrying call credentials), built from grpc generic handlers and the
  proto messages of ``google.cloud.iam_admin_v1.types``: GetServiceAccount,
  CreateServiceAccount, CreateServiceAccountKey, ListServiceAccountKeys,
  DeleteServiceAccountKey;
* the Artifact Registry REST API (``/v1/...``): repositories.get/create (a done long-running
  operation), getIamPolicy/setIamPolicy (with etags);
* :class:`ArtifactRegistryAuth`, a :class:`TokenServer` that accepts the registry logins
  Artifact Registry accepts (``_json_key``, ``_json_key_base64``, ``oauth2accesstoken``) and
  grants by the repositories' IAM policies, to put in front of a real local registry.

Every API call needs a bearer token the cloud knows: an access token from ``/token`` or a
self-signed JWT of a live key (what google-auth sends when it uses JWT access).
Errors are Google's own shapes: gRPC status with ``google.rpc.ErrorInfo`` details, and
JSON ``{"error": {code, message, status, details}}``, including SERVICE_DISABLED.
``cloud.fail[permission] = [503, 500, 429]``: the next calls needing that permission fail so
(UNAVAILABLE, INTERNAL, RESOURCE_EXHAUSTED), over gRPC and REST alike.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import uuid
from concurrent import futures
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .registry import LocalRegistry
from .servers import LoopbackHTTPServer
from .tokenserver import TokenServer

PROJECT = "binder-project"  # the project the tests' GoogleCloud stands for
API_IAM = "iam.googleapis.com"
API_AR = "artifactregistry.googleapis.com"
ROLE_WRITER = "roles/artifactregistry.writer"
ROLE_READER = "roles/artifactregistry.reader"
TOKEN_LIFETIME = 3600
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
MAX_KEYS = 10  # Google's limit of user-managed keys per service account
API_TITLES = {API_IAM: "Identity and Access Management (IAM) API", API_AR: "Artifact Registry API"}


@dataclass
class Key:
    id: str
    email: str
    public_pem: bytes
    created: float = field(default_factory=time.time)
    disabled: bool = False
    usable: bool = True  # False: the registry does not accept it yet (IAM's propagation delay)


class GoogleCloud:
    """The fake project(s) and the three servers; a context manager."""

    def __init__(self, project: str = "binder-project", *, location: str = "us-central1",
                 project_number: str = "123456789012"):
        self.project = project
        self.location = location
        self.project_number = project_number
        self.disabled_apis: set[str] = set()
        self.denied: set[str] = set()  # permissions nobody has (e.g. "iam.serviceAccountKeys.create")
        self.policy_races = 0  # setIamPolicy calls that find the policy changed by someone else
        self.fail: dict[str, list[int]] = {}  # permission -> HTTP statuses the next such calls get (503, 500, 429)
        self.service_accounts: dict[str, dict] = {}  # email -> {project, unique_id, display_name}
        self.keys: dict[str, Key] = {}
        # Keys created through the API while True are not accepted by the registry: Google says a
        # new key may take a while to work, which the real service will not do on demand.
        self.new_keys_unusable = False
        self.tokens: dict[str, tuple[str, float]] = {}  # access token -> (email, expiry)
        self.repositories: dict[str, dict] = {}  # full name -> Repository JSON
        self.policies: dict[str, dict] = {}  # repository name -> {"etag": b64, "bindings": [...]}
        self.calls: list[tuple[str, str, str | None]] = []  # (api, method, caller email)
        self._lock = threading.RLock()
        self._http: LoopbackHTTPServer | None = None
        self._grpc = None

    # -- state helpers ----------------------------------------------------------

    def add_service_account(self, account_id: str, project: str | None = None) -> str:
        project = project or self.project
        email = f"{account_id}@{project}.iam.gserviceaccount.com"
        with self._lock:
            self.service_accounts.setdefault(email, {
                "project": project, "unique_id": str(100000000000000000000 + len(self.service_accounts)),
                "display_name": account_id,
            })
        return email

    def new_key(self, email: str) -> str:
        """Create a key for ``email``; return the JSON key file text (as the API does)."""
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
        key_id = secrets.token_hex(20)
        account = self.service_accounts[email]
        with self._lock:
            self.keys[key_id] = Key(key_id, email, public)
        return json.dumps({
            "type": "service_account",
            "project_id": account["project"],
            "private_key_id": key_id,
            "private_key": pem,
            "client_email": email,
            "client_id": account["unique_id"],
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "universe_domain": "googleapis.com",
        }, indent=2) + "\n"

    def live_keys(self, email: str) -> list[Key]:
        return [k for k in self.keys.values() if k.email == email and not k.disabled]

    def grant(self, repository: str, role: str, member: str) -> None:
        with self._lock:
            policy = self.policies.setdefault(repository, {"bindings": []})
            for b in policy["bindings"]:
                if b["role"] == role:
                    if member not in b["members"]:
                        b["members"].append(member)
                    break
            else:
                policy["bindings"].append({"role": role, "members": [member]})
            policy["etag"] = base64.b64encode(secrets.token_bytes(8)).decode()

    def roles_of(self, email: str, repository: str) -> set[str]:
        policy = self.policies.get(repository, {"bindings": []})
        return {b["role"] for b in policy["bindings"] if f"serviceAccount:{email}" in b["members"]}

    def repository_name(self, repository_id: str, location: str | None = None, project: str | None = None) -> str:
        return f"projects/{project or self.project}/locations/{location or self.location}/repositories/{repository_id}"

    def add_repository(self, repository_id: str, location: str | None = None) -> str:
        name = self.repository_name(repository_id, location)
        with self._lock:
            self.repositories[name] = {"name": name, "format": "DOCKER", "mode": "STANDARD_REPOSITORY"}
        return name

    # -- identity -------------------------------------------------------------------

    def verify_key_json(self, text: str) -> str | None:
        """The service account of a JSON key whose private key matches a live key, else None."""
        try:
            info = json.loads(text)
            key = self.keys.get(info["private_key_id"])
            if key is None or key.disabled or not key.usable or key.email != info["client_email"]:
                return None
            private = serialization.load_pem_private_key(info["private_key"].encode(), None)
        except (ValueError, KeyError, TypeError):
            return None
        mine = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        return key.email if mine == key.public_pem else None

    def _verify_jwt(self, assertion: str, audience: list[str] | None) -> str | None:
        try:
            header = jwt.get_unverified_header(assertion)
            key = self.keys.get(header.get("kid", ""))
            if key is None or key.disabled:
                return None
            opts = {"verify_aud": audience is not None}
            claims = jwt.decode(assertion, key.public_pem, algorithms=["RS256"], audience=audience,
                                options=opts, leeway=30)
        except jwt.PyJWTError:
            return None
        return key.email if claims.get("iss") == key.email else None

    def caller(self, authorization: str | None) -> str | None:
        """Who sent ``Authorization: Bearer ...``: an access token or a self-signed JWT."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        with self._lock:
            entry = self.tokens.get(token)
        if entry is not None:
            return entry[0] if entry[1] > time.time() else None
        return self._verify_jwt(token, None) if token.count(".") == 2 else None

    def issue_access_token(self, email: str) -> str:
        token = "ya29.fake-" + secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[token] = (email, time.time() + TOKEN_LIFETIME)
        return token

    def _record(self, api: str, method: str, who: str | None) -> None:
        with self._lock:
            self.calls.append((api, method, who))

    def count(self, method: str) -> int:
        return sum(1 for _, m, _ in self.calls if m == method)

    # -- servers --------------------------------------------------------------------

    @property
    def http_url(self) -> str:
        return self._http.url

    @property
    def token_uri(self) -> str:
        return self.http_url + "/token"

    @property
    def artifact_registry_endpoint(self) -> str:
        return self.http_url

    @property
    def iam_endpoint(self) -> str:
        return f"http://127.0.0.1:{self._grpc_port}"

    def start(self) -> "GoogleCloud":
        handler = type("Handler", (_HttpHandler,), {"cloud": self})
        self._http = LoopbackHTTPServer(handler, name="google-http")
        self._start_grpc()
        return self

    def _start_grpc(self) -> None:
        import grpc

        self._grpc = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self._grpc.add_generic_rpc_handlers((_iam_handler(self),))
        # Local TCP credentials: plaintext on loopback, but the channel may carry the
        # caller's bearer token (a plain insecure channel drops call credentials).
        self._grpc_port = self._grpc.add_secure_port(
            "127.0.0.1:0", grpc.local_server_credentials(grpc.LocalConnectionType.LOCAL_TCP))
        self._grpc.start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self._grpc is not None:
            self._grpc.stop(grace=None).wait(5)
            self._grpc = None

    def __enter__(self) -> "GoogleCloud":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- errors in Google's shapes ---------------------------------------------------------


class CloudError(Exception):
    def __init__(self, code: int, status: str, message: str, reason: str | None = None,
                 metadata: dict | None = None):
        super().__init__(message)
        self.code, self.status, self.message = code, status, message
        self.reason, self.metadata = reason, metadata or {}


def _check(cloud: GoogleCloud, api: str, who: str | None, permission: str, resource: str) -> None:
    if who is None:
        raise CloudError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                         "Expected OAuth 2 access token, login cookie or other valid authentication credential.")
    with cloud._lock:
        failed = cloud.fail[permission].pop(0) if cloud.fail.get(permission) else None
    if failed:
        status = {503: "UNAVAILABLE", 500: "INTERNAL", 429: "RESOURCE_EXHAUSTED"}[failed]
        raise CloudError(failed, status, f"injected fault: {status}")
    if api in cloud.disabled_apis:
        raise CloudError(
            403, "PERMISSION_DENIED",
            f"{API_TITLES[api]} has not been used in project {cloud.project_number} before or it is disabled. "
            f"Enable it by visiting https://console.developers.google.com/apis/api/{api}/overview"
            f"?project={cloud.project_number} then retry.",
            "SERVICE_DISABLED",
            {"service": api, "consumer": f"projects/{cloud.project_number}"})
    if permission in cloud.denied:
        raise CloudError(403, "PERMISSION_DENIED",
                         f"Permission '{permission}' denied on resource '{resource}' (or it may not exist).",
                         "IAM_PERMISSION_DENIED", {"permission": permission})


# -- IAM Admin API (gRPC) -----------------------------------------------------------------

_SA_NAME = re.compile(r"projects/([^/]+)/serviceAccounts/([^/]+)$")
_KEY_NAME = re.compile(r"projects/([^/]+)/serviceAccounts/([^/]+)/keys/([^/]+)$")


def _iam_handler(cloud: GoogleCloud):
    import grpc
    from google.cloud.iam_admin_v1 import types as t
    from google.protobuf import empty_pb2, timestamp_pb2
    from google.rpc import code_pb2, error_details_pb2, status_pb2
    from grpc_status import rpc_status

    codes = {"UNAUTHENTICATED": code_pb2.UNAUTHENTICATED, "PERMISSION_DENIED": code_pb2.PERMISSION_DENIED,
             "NOT_FOUND": code_pb2.NOT_FOUND, "ALREADY_EXISTS": code_pb2.ALREADY_EXISTS,
             "FAILED_PRECONDITION": code_pb2.FAILED_PRECONDITION, "INVALID_ARGUMENT": code_pb2.INVALID_ARGUMENT,
             "UNAVAILABLE": code_pb2.UNAVAILABLE, "INTERNAL": code_pb2.INTERNAL,
             "RESOURCE_EXHAUSTED": code_pb2.RESOURCE_EXHAUSTED}

    def account(name: str) -> tuple[str, dict]:
        m = _SA_NAME.match(name)
        email = m.group(2) if m else ""
        if email not in cloud.service_accounts:
            raise CloudError(404, "NOT_FOUND", f"Unknown service account {name!r}.")
        return email, cloud.service_accounts[email]

    def sa_message(email: str, sa: dict):
        return t.ServiceAccount(name=f"projects/{sa['project']}/serviceAccounts/{email}", project_id=sa["project"],
                                unique_id=sa["unique_id"], email=email, display_name=sa["display_name"],
                                oauth2_client_id=sa["unique_id"])

    def key_message(key: Key, sa: dict, private: bytes = b""):
        ts = timestamp_pb2.Timestamp(seconds=int(key.created))
        never = timestamp_pb2.Timestamp(seconds=253402300799)  # 9999-12-31: no expiry
        return t.ServiceAccountKey(
            name=f"projects/{sa['project']}/serviceAccounts/{key.email}/keys/{key.id}",
            private_key_type=t.ServiceAccountPrivateKeyType.TYPE_GOOGLE_CREDENTIALS_FILE if private else 0,
            key_algorithm=t.ServiceAccountKeyAlgorithm.KEY_ALG_RSA_2048, private_key_data=private,
            public_key_data=key.public_pem, valid_after_time=ts, valid_before_time=never,
            key_origin=t.ServiceAccountKeyOrigin.GOOGLE_PROVIDED,
            key_type=t.ListServiceAccountKeysRequest.KeyType.USER_MANAGED,
            disabled=key.disabled)

    def get_service_account(req, who):
        _check(cloud, API_IAM, who, "iam.serviceAccounts.get", req.name)
        return sa_message(*account(req.name))

    def create_service_account(req, who):
        project = req.name.removeprefix("projects/")
        _check(cloud, API_IAM, who, "iam.serviceAccounts.create", req.name)
        if not re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", req.account_id):
            raise CloudError(400, "INVALID_ARGUMENT", "Invalid account id.")
        email = f"{req.account_id}@{project}.iam.gserviceaccount.com"
        if email in cloud.service_accounts:
            raise CloudError(409, "ALREADY_EXISTS",
                             f"Service account {req.account_id} already exists within project projects/{project}.")
        cloud.add_service_account(req.account_id, project)
        cloud.service_accounts[email]["display_name"] = req.service_account.display_name or req.account_id
        return sa_message(email, cloud.service_accounts[email])

    def create_key(req, who):
        _check(cloud, API_IAM, who, "iam.serviceAccountKeys.create", req.name)
        email, sa = account(req.name)
        if len(cloud.live_keys(email)) >= MAX_KEYS:
            raise CloudError(400, "FAILED_PRECONDITION", "Precondition check failed.")
        text = cloud.new_key(email)
        key = cloud.keys[json.loads(text)["private_key_id"]]
        key.usable = not cloud.new_keys_unusable
        return key_message(key, sa, text.encode())

    def list_keys(req, who):
        _check(cloud, API_IAM, who, "iam.serviceAccountKeys.list", req.name)
        email, sa = account(req.name)
        return t.ListServiceAccountKeysResponse(keys=[key_message(k, sa) for k in cloud.keys.values()
                                                      if k.email == email])

    def delete_key(req, who):
        _check(cloud, API_IAM, who, "iam.serviceAccountKeys.delete", req.name)
        m = _KEY_NAME.match(req.name)
        if not m or m.group(3) not in cloud.keys:
            raise CloudError(404, "NOT_FOUND", f"Unknown key {req.name!r}.")
        del cloud.keys[m.group(3)]
        return empty_pb2.Empty()

    def unary(method, impl, request_type, response_serializer):
        def behaviour(request, context):
            md = dict(context.invocation_metadata())
            who = cloud.caller(md.get("authorization"))
            cloud._record("iam", method, who)
            try:
                return impl(request, who)
            except CloudError as e:
                detail = error_details_pb2.ErrorInfo(reason=e.reason or "", domain="googleapis.com",
                                                     metadata=e.metadata)
                status = status_pb2.Status(code=codes[e.status], message=e.message)
                if e.reason:
                    status.details.add().Pack(detail)
                context.abort_with_status(rpc_status.to_status(status))

        return grpc.unary_unary_rpc_method_handler(
            behaviour, request_deserializer=request_type.deserialize, response_serializer=response_serializer)

    ser = lambda cls: cls.serialize  # noqa: E731 proto-plus messages
    handlers = {
        "GetServiceAccount": unary("GetServiceAccount", get_service_account, t.GetServiceAccountRequest,
                                   ser(t.ServiceAccount)),
        "CreateServiceAccount": unary("CreateServiceAccount", create_service_account,
                                      t.CreateServiceAccountRequest, ser(t.ServiceAccount)),
        "CreateServiceAccountKey": unary("CreateServiceAccountKey", create_key, t.CreateServiceAccountKeyRequest,
                                         ser(t.ServiceAccountKey)),
        "ListServiceAccountKeys": unary("ListServiceAccountKeys", list_keys, t.ListServiceAccountKeysRequest,
                                        ser(t.ListServiceAccountKeysResponse)),
        "DeleteServiceAccountKey": unary("DeleteServiceAccountKey", delete_key, t.DeleteServiceAccountKeyRequest,
                                         lambda m: m.SerializeToString()),
    }
    return grpc.method_handlers_generic_handler("google.iam.admin.v1.IAM", handlers)


# -- OAuth token endpoint and Artifact Registry REST -----------------------------------------

_REPO = r"projects/[^/]+/locations/[^/]+/repositories/[^/:]+"


class _HttpHandler(BaseHTTPRequestHandler):
    cloud: GoogleCloud
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _error(self, e: CloudError) -> None:
        error = {"code": e.code, "message": e.message, "status": e.status}
        if e.reason:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": e.reason,
                                 "domain": "googleapis.com", "metadata": e.metadata}]
        self._send(e.code, {"error": error})

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/token":
            return self._token()
        self._api("POST", url)

    def do_GET(self) -> None:  # noqa: N802
        self._api("GET", urlsplit(self.path))

    def _token(self) -> None:
        cloud = self.cloud
        form = parse_qs(self._body().decode())
        grant = (form.get("grant_type") or [""])[0]
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self._send(400, {"error": "unsupported_grant_type"})
        # google-auth signs for Google's token endpoint whatever token_uri the key names.
        audience = [cloud.token_uri, GOOGLE_TOKEN_URI]
        email = cloud._verify_jwt((form.get("assertion") or [""])[0], audience)
        cloud._record("oauth", "token", email)
        if email is None:
            return self._send(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        self._send(200, {"access_token": cloud.issue_access_token(email), "expires_in": TOKEN_LIFETIME,
                         "token_type": "Bearer"})

    def _api(self, method: str, url) -> None:
        cloud = self.cloud
        who = cloud.caller(self.headers.get("Authorization"))
        path = url.path.removeprefix("/v1/")
        try:
            if method == "GET" and re.fullmatch(_REPO, path):
                cloud._record("artifactregistry", "GetRepository", who)
                _check(cloud, API_AR, who, "artifactregistry.repositories.get", path)
                if path not in cloud.repositories:
                    raise CloudError(404, "NOT_FOUND", "Requested entity was not found.")
                return self._send(200, cloud.repositories[path])
            m = re.fullmatch(r"(projects/[^/]+/locations/[^/]+)/repositories", path)
            if method == "POST" and m:
                cloud._record("artifactregistry", "CreateRepository", who)
                query = parse_qs(url.query)
                repo_id = (query.get("repositoryId") or [""])[0]
                name = f"{m.group(1)}/repositories/{repo_id}"
                _check(cloud, API_AR, who, "artifactregistry.repositories.create", m.group(1))
                body = json.loads(self._body() or b"{}")
                if name in cloud.repositories:
                    raise CloudError(409, "ALREADY_EXISTS", "the repository already exists")
                repo = {**body, "name": name, "format": body.get("format", "DOCKER")}
                with cloud._lock:
                    cloud.repositories[name] = repo
                return self._send(200, {
                    "name": f"{m.group(1)}/operations/{uuid.uuid4()}", "done": True,
                    "response": {"@type": "type.googleapis.com/google.devtools.artifactregistry.v1.Repository",
                                 **repo}})
            m = re.fullmatch(rf"({_REPO}):(getIamPolicy|setIamPolicy)", path)
            if m and (method, m.group(2)) in (("GET", "getIamPolicy"), ("POST", "setIamPolicy")):
                name, verb = m.groups()
                cloud._record("artifactregistry", verb, who)
                _check(cloud, API_AR, who, f"artifactregistry.repositories.{verb}", name)
                if name not in cloud.repositories:
                    raise CloudError(404, "NOT_FOUND", "Requested entity was not found.")
                with cloud._lock:
                    policy = cloud.policies.setdefault(name, {"bindings": [], "etag": "ACAB"})
                    if verb == "setIamPolicy":
                        new = json.loads(self._body())["policy"]
                        if cloud.policy_races > 0:  # someone else wrote it just now
                            cloud.policy_races -= 1
                            policy["etag"] = base64.b64encode(secrets.token_bytes(8)).decode()
                        if new.get("etag") and new["etag"] != policy.get("etag"):
                            raise CloudError(409, "ABORTED", "There were concurrent policy changes.")
                        policy = {"bindings": new.get("bindings", []),
                                  "etag": base64.b64encode(secrets.token_bytes(8)).decode()}
                        cloud.policies[name] = policy
                    return self._send(200, {"version": 1, **json.loads(json.dumps(policy))})
            self._send(404, {"error": {"code": 404, "message": f"no route {method} {url.path}", "status": "NOT_FOUND"}})
        except CloudError as e:
            self._error(e)


# -- the registry's auth front ----------------------------------------------------------------


class ArtifactRegistryAuth(TokenServer):
    """Artifact Registry's token service: Google logins, grants from repository IAM policies.

    Repository names are ``PROJECT/REPOSITORY/IMAGE`` (``gcr_repository`` set: the host is a
    gcr.io-hosted repository of that name, and names are ``PROJECT/IMAGE``).
    """

    def __init__(self, cloud: GoogleCloud, *, location: str | None = None, gcr_repository: str | None = None,
                 **kw):
        kw.setdefault("service", "artifact-registry")
        super().__init__(**kw)
        self.cloud = cloud
        self.location = location or cloud.location
        self.gcr_repository = gcr_repository

    def authenticate(self, username: str, password: str) -> str | None:
        if username == "oauth2accesstoken":
            return self.cloud.caller(f"Bearer {password}")
        if username == "_json_key_base64":
            try:
                password = base64.b64decode(password, validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                return None
        elif username != "_json_key":
            return None
        return self.cloud.verify_key_json(password)

    def grant(self, subject, type_, name, requested):
        if subject is None or type_ != "repository":
            return []
        parts = name.split("/")
        if self.gcr_repository:
            repo = self.cloud.repository_name(self.gcr_repository, self.location, parts[0])
        elif len(parts) >= 3:
            repo = self.cloud.repository_name(parts[1], self.location, parts[0])
        else:
            return []
        if repo not in self.cloud.repositories:
            return []
        roles = self.cloud.roles_of(subject, repo)
        allowed = {"push", "pull"} if ROLE_WRITER in roles else {"pull"} if ROLE_READER in roles else set()
        return [a for a in requested if a in allowed]


# -- what tests build on the stand-in ------------------------------------------------------


def start_registry(cloud, workdir, **auth_kw):
    """A real registry behind Artifact Registry's logins: (registry, its ArtifactRegistryAuth); stop both."""
    auth = ArtifactRegistryAuth(cloud, **auth_kw).start()
    try:
        return LocalRegistry(workdir, auth="token", token_server=auth), auth
    except BaseException:
        auth.stop()
        raise


def builder_key(cloud, *, role=ROLE_WRITER, project=PROJECT, repository="binder") -> str:
    """A service account with ``role`` on the repository, and one key of it (JSON text)."""
    email = cloud.add_service_account("binderhub-builder", project)
    name = cloud.add_repository(repository)
    if role:
        cloud.grant(name, role, f"serviceAccount:{email}")
    return cloud.new_key(email)


def write_values(tmp_path, registry, *, mode="validate", prefix=f"{PROJECT}/binder/prod-", extra=None, **google):
    """A values file for ``registry`` with type google and this ``google`` block (tmp_path/values.yaml)."""
    values = {"registry": {"type": "google", "url": registry.url, "imagePrefix": f"{registry.host}/{prefix}",
                           "mode": mode, "google": google, "timeouts": {"retryFor": 2}, **(extra or {})}}
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


def write_credentials(tmp_path, **files) -> object:
    """A mounted credential source: one file per key, ``key_json`` -> ``key.json``."""
    d = tmp_path / "credentials"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name.replace("_", ".")).write_text(text)
    return d


def provision_setup(cloud, tmp_path, registry, **google):
    """An admin service account (key in the credential source) and provisioning values."""
    admin = cloud.add_service_account("hook-admin")
    creds = write_credentials(tmp_path, admin_json=cloud.new_key(admin))
    google = {"location": cloud.location, "adminKeyKey": "admin.json",
              "endpoints": {"iam": cloud.iam_endpoint, "artifactRegistry": cloud.artifact_registry_endpoint},
              **google}
    return write_values(tmp_path, registry, mode="provision", **google), creds
