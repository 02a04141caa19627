"""The Kubernetes sink: the hook's own Secret, the BinderHub roll, an Event.

``apply`` and ``refresh`` end here.  What it does, in order:

1. :meth:`Cluster.read_secret` reads the output Secret first, so the path gets the
   ``previous`` outputs and, when anything before the write fails, the Secret is left
   exactly as it was (fail closed).
2. :meth:`Cluster.write_secret` creates it, or replaces it with the
   ``resourceVersion`` it read; on 409 (someone else wrote in between) it reads
   again and retries, a bounded number of times.  Content that has not changed is
   not written at all.
3. :meth:`Cluster.roll` bumps a pod-template annotation of the ``binder``
   Deployment when the content changed, because BinderHub reads its docker config
   only at start.
4. :meth:`Cluster.event` records what happened on the Secret (best effort).

The Secret's type is ``kubernetes.io/dockerconfigjson``: that type needs a valid
``.dockerconfigjson`` key but allows other keys, so one Secret serves as
BinderHub's ``push_secret`` (``config.json``), as JupyterHub's image pull secret
(``.dockerconfigjson``), and carries the settings fragment.

Kubernetes API errors become :class:`~binderhub_registry_hook.errors.ClusterError`; a 403 becomes
:class:`~binderhub_registry_hook.errors.ClusterForbidden` naming the Role rule that is missing.  The
``kubernetes`` package is imported inside functions only (it costs ~0.5 s).
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from binderhub_registry_hook import lifecycle
from binderhub_registry_hook.dockerconfig import Outputs
from binderhub_registry_hook.errors import ClusterError, ClusterForbidden

log = logging.getLogger(__name__)

SECRET_TYPE = "kubernetes.io/dockerconfigjson"
PREFIX = lifecycle.PREFIX
ANN_REGISTRY = lifecycle.REGISTRY
ANN_EXPIRES = lifecycle.EXPIRES
ANN_CHECKSUM = lifecycle.CHECKSUM
ANN_UPDATED = lifecycle.UPDATED
COMPONENT = "binderhub-registry-hook"
SA_NAMESPACE_FILE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
CONFLICT_ATTEMPTS = 5
TIMEOUT = (5, 30)  # connect, read seconds of every API call


@dataclass
class Existing:
    """The output Secret as read from the cluster."""

    data: dict[str, str]  # key -> text
    resource_version: str
    type: str
    annotations: dict[str, str] = field(default_factory=dict)
    uid: str | None = None

    @property
    def checksum(self) -> str | None:
        return self.annotations.get(ANN_CHECKSUM)


@dataclass
class Applied:
    """What :meth:`Cluster.write_secret` did."""

    action: str  # created | replaced | unchanged | recorded (only the check's annotations) | superseded
    checksum: str
    attempts: int = 1
    uid: str | None = None

    @property
    def changed(self) -> bool:
        return self.action in ("created", "replaced")


class _Conflict(Exception):
    """409 from the API: someone else created or changed the object first."""


class _Transient(Exception):
    """5xx, 429 or a broken connection: worth another try."""


class Cluster:
    """The few calls the hook makes, with our errors in place of the client's."""

    def __init__(self, api_client, namespace: str, *, where: str = "the Kubernetes API"):
        self.api = api_client
        self.namespace = namespace
        self.where = where

    @classmethod
    def connect(
        cls, *, kubeconfig: str | None = None, context: str | None = None, namespace: str | None = None
    ) -> "Cluster":
        """In a pod: the ServiceAccount's token; elsewhere: the kubeconfig (or $KUBECONFIG)."""
        from binderhub_registry_hook import extras

        extras.require("kubernetes", "writing to the cluster (apply, refresh)")
        from kubernetes import client, config

        cfg = client.Configuration()
        try:
            if kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
                config.load_incluster_config(client_configuration=cfg)
                # The client takes HTTP(S)_PROXY from the environment (HTTP_PROXY even for
                # https). A site's proxy, set for the registry and cloud APIs (job.extraEnv),
                # is never the way to this cluster's own API server.
                cfg.proxy = cfg.no_proxy = None
                ns = SA_NAMESPACE_FILE.read_text().strip() if SA_NAMESPACE_FILE.is_file() else None
            else:
                config.load_kube_config(config_file=kubeconfig, context=context, client_configuration=cfg)
                contexts, active = config.list_kube_config_contexts(config_file=kubeconfig)
                if context:
                    active = next((c for c in contexts if c["name"] == context), active)
                ns = (active or {}).get("context", {}).get("namespace")
        except (config.ConfigException, OSError, TypeError) as e:
            raise ClusterError(
                f"no Kubernetes configuration: {e}", fix="run in a pod with a ServiceAccount, or pass --kubeconfig"
            ) from None
        cfg.retries = 0  # retries are ours (bounded, and none on 4xx)
        namespace = namespace or os.environ.get("POD_NAMESPACE") or ns or "default"
        return cls(client.ApiClient(cfg), namespace, where=cfg.host)

    # -- the output Secret -------------------------------------------------------

    def read_secret(self, name: str) -> Existing | None:
        from kubernetes import client

        obj = self._call(
            "get",
            "secrets",
            name,
            lambda: client.CoreV1Api(self.api).read_namespaced_secret(name, self.namespace, _request_timeout=TIMEOUT),
            missing_ok=True,
        )
        if obj is None:
            return None
        data = {}
        for key, value in (obj.data or {}).items():
            try:
                data[key] = base64.b64decode(value).decode()
            except (ValueError, UnicodeDecodeError):
                data[key] = ""  # not ours to interpret; it is rewritten if we write
        meta = obj.metadata
        return Existing(data, meta.resource_version, obj.type or "Opaque", dict(meta.annotations or {}), meta.uid)

    def write_secret(
        self,
        name: str,
        outputs: Outputs,
        existing: Existing | None,
        *,
        labels: dict[str, str] | None = None,
        record: dict[str, str] | None = None,
    ) -> Applied:
        """Create or replace the Secret unless it already holds these outputs.

        ``record``: the check's annotations (:mod:`.lifecycle`); when only they differ, only
        they are written. When this run changes nothing and another writer put *other*
        content there since ``existing`` was read (a rotation that finished meanwhile), that
        newer content wins: it is left as it is ("superseded"), never overwritten with what
        this run read. Between two runs that both change the content, the last writer wins.
        """
        import tenacity

        checksum = outputs.checksum()
        data = outputs.secret_data(dockerconfigjson=True)
        started = existing.data if existing is not None else None
        attempts = 0
        state = {"existing": existing}

        def once() -> Applied:
            nonlocal attempts
            attempts += 1
            current = state["existing"]
            if attempts > 1:  # after a conflict: see what the other writer left
                current = state["existing"] = self.read_secret(name)
                if record is not None and current is not None and data == started and current.data != started:
                    return Applied("superseded", current.checksum or "", attempts, current.uid)
            same = (
                current is not None
                and current.data == data
                and current.type == SECRET_TYPE
                and current.checksum == checksum
            )
            if (
                current is not None
                and same
                and (record is None or all(current.annotations.get(k) == v for k, v in record.items()))
            ):
                return Applied("unchanged", checksum, attempts, current.uid)
            if current is not None and current.type != SECRET_TYPE:
                raise ClusterError(
                    f"Secret {name!r} in namespace {self.namespace!r} has type {current.type!r}; the hook writes "
                    f"{SECRET_TYPE!r} and Kubernetes cannot change a Secret's type",
                    fix=f"delete that Secret (kubectl -n {self.namespace} delete secret {name}) or choose another "
                    "output.secretName",
                )
            body = self._secret_body(name, data, outputs, checksum, labels, current, record or {}, same)
            api = self._core()
            if current is None:
                obj = self._call(
                    "create",
                    "secrets",
                    name,
                    lambda: api.create_namespaced_secret(self.namespace, body, _request_timeout=TIMEOUT),
                )
                return Applied("created", checksum, attempts, obj.metadata.uid)
            obj = self._call(
                "update",
                "secrets",
                name,
                lambda: api.replace_namespaced_secret(name, self.namespace, body, _request_timeout=TIMEOUT),
            )
            return Applied("recorded" if same else "replaced", checksum, attempts, obj.metadata.uid)

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((_Conflict, _Transient)),
            stop=tenacity.stop_after_attempt(CONFLICT_ATTEMPTS),
            wait=tenacity.wait_exponential(multiplier=0.05, max=1) + tenacity.wait_random(0, 0.05),
            reraise=True,
        )
        try:
            return retrying(once)
        except _Conflict:
            raise ClusterError(
                f"Secret {name!r} kept changing under the hook ({attempts} conflicting writes)",
                fix="is another hook or controller writing it? Run one refresher only",
            ) from None
        except _Transient as e:
            raise ClusterError(f"{self.where} kept failing: {e}", fix="check the API server") from None

    def _secret_body(self, name, data, outputs: Outputs, checksum, labels, current, record, same) -> dict:
        annotations = {
            **record,
            ANN_REGISTRY: outputs.registry,
            ANN_EXPIRES: _iso(outputs.expires_at) if outputs.expires_at else "never",
            ANN_CHECKSUM: checksum,
            # When the content last changed (a check that only records keeps it).
            ANN_UPDATED: current.annotations.get(ANN_UPDATED, "")
            if current is not None and same
            else _iso(datetime.now(timezone.utc)),
        }
        meta = {
            "name": name,
            "namespace": self.namespace,
            "labels": {"app.kubernetes.io/managed-by": COMPONENT, **(labels or {})},
            "annotations": annotations,
        }
        if current is not None:
            meta["resourceVersion"] = current.resource_version
            # Keep what others (kubectl, Argo CD) put there; ours win on our keys.
            meta["annotations"] = {
                **{k: v for k, v in current.annotations.items() if not k.startswith(PREFIX)},
                **annotations,
            }
        return {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta,
            "type": SECRET_TYPE,
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
        }

    def record(self, name: str, existing: Existing, annotations: dict[str, str]) -> bool:
        """Write only our annotations (a failed check's record): the data stays byte for byte.

        Best effort, like an Event: False when it could not be written.
        """
        try:
            self._replace_annotations(name, existing, annotations)
        except (_Conflict, _Transient, ClusterError) as e:
            log.warning("could not record the check on Secret %s: %s", name, e or "changed meanwhile")
            return False
        return True

    def claim(self, name: str, existing: Existing | None, holder: str, now: datetime) -> bool:
        """The right to rotate the credentials in this Secret: one run at a time.

        A compare-and-swap on the Secret itself (replace with the resourceVersion read):
        of two runs that race, one writes the lease annotation and the other gets 409.
        The lease lapses by itself (:data:`lifecycle.ROTATION_LEASE`) if its holder dies.
        """
        if existing is None:  # nothing written yet: nothing to rotate
            return True
        if lifecycle.leased_by_other(existing.annotations, holder, now):
            return False
        ours = {k: v for k, v in existing.annotations.items() if k.startswith(PREFIX)}
        try:
            self._replace_annotations(name, existing, {**ours, lifecycle.ROTATING: lifecycle.lease(holder, now)})
        except (_Conflict, _Transient):
            return False
        return True

    def _replace_annotations(self, name: str, existing: Existing, annotations: dict[str, str]) -> None:
        """Replace our annotations of the Secret as read (409 if it changed); ``existing`` follows."""
        from kubernetes import client

        api = self._core()
        obj = self._call(
            "get", "secrets", name, lambda: api.read_namespaced_secret(name, self.namespace, _request_timeout=TIMEOUT)
        )
        meta = obj.metadata
        if meta.resource_version != existing.resource_version:
            raise _Conflict()
        meta.annotations = {
            **{k: v for k, v in (meta.annotations or {}).items() if not k.startswith(PREFIX)},
            **annotations,
        }
        body = client.V1Secret(api_version="v1", kind="Secret", metadata=meta, type=obj.type, data=obj.data)
        written = self._call(
            "update",
            "secrets",
            name,
            lambda: api.replace_namespaced_secret(name, self.namespace, body, _request_timeout=TIMEOUT),
        )
        existing.resource_version = written.metadata.resource_version
        existing.annotations = dict(written.metadata.annotations or {})

    # -- the binder Deployment ---------------------------------------------------

    def roll(self, deployment: str, checksum: str, *, changed: bool) -> str:
        """Restart BinderHub's pods when the docker config changed; say what happened.

        Rolls when the content changed, and also when the pod template still carries
        an older checksum (a previous run wrote the Secret but did not get to roll).
        """
        from kubernetes import client

        apps = client.AppsV1Api(self.api)
        # Raw JSON: only one annotation is needed, and the typed model rejects partial objects.
        resp = self._call(
            "get",
            "deployments",
            deployment,
            lambda: apps.read_namespaced_deployment(
                deployment, self.namespace, _request_timeout=TIMEOUT, _preload_content=False
            ),
            missing_ok=True,
        )
        if resp is None:
            return f"Deployment {deployment!r} not found (first install: it starts with this Secret)"
        obj = json.loads(resp.data)
        template = ((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
        current = (template.get("annotations") or {}).get(ANN_CHECKSUM)
        if current == checksum or (not changed and current is None):
            return f"Deployment {deployment!r} already runs with this content: not rolled"
        patch = {"spec": {"template": {"metadata": {"annotations": {ANN_CHECKSUM: checksum}}}}}
        self._call(
            "patch",
            "deployments",
            deployment,
            lambda: apps.patch_namespaced_deployment(
                deployment,
                self.namespace,
                patch,
                _request_timeout=TIMEOUT,
                _content_type="application/strategic-merge-patch+json",
            ),
        )
        return f"Deployment {deployment!r} rolled (pod template annotation {ANN_CHECKSUM})"

    # -- events ------------------------------------------------------------------

    def event(self, secret: str, reason: str, message: str, *, warning: bool = False, uid: str | None = None) -> bool:
        """Record an Event on the output Secret; never fails the run (returns False instead)."""
        now = datetime.now(timezone.utc)
        body = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": f"{secret}.{now.strftime('%Y%m%d%H%M%S')}{now.microsecond:06d}",
                "namespace": self.namespace,
            },
            "involvedObject": {
                "apiVersion": "v1",
                "kind": "Secret",
                "name": secret,
                "namespace": self.namespace,
                **({"uid": uid} if uid else {}),
            },
            "reason": reason,
            "message": message[:1024],
            "type": "Warning" if warning else "Normal",
            "source": {"component": COMPONENT},
            "reportingComponent": COMPONENT,
            "reportingInstance": os.environ.get("HOSTNAME", COMPONENT)[:128],
            "firstTimestamp": _iso(now),
            "lastTimestamp": _iso(now),
            "count": 1,
        }
        try:
            self._call(
                "create",
                "events",
                None,
                lambda: self._core().create_namespaced_event(self.namespace, body, _request_timeout=TIMEOUT),
            )
        except ClusterError as e:
            log.warning("could not record an Event: %s", e)
            return False
        return True

    # -- plumbing ----------------------------------------------------------------

    def _core(self):
        from kubernetes import client

        return client.CoreV1Api(self.api)

    def _call(self, verb: str, resource: str, name: str | None, fn, *, missing_ok: bool = False):
        """Run one API call; map the client's exceptions to ours."""
        import tenacity
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        def once():
            try:
                return fn()
            except ApiException as e:
                if e.status in (429,) or e.status >= 500:
                    raise _Transient(f"HTTP {e.status} {_status_message(e)}") from None
                raise
            except HTTPError as e:
                raise _Transient(_connection_text(e)) from None

        # Reads and the roll's patch (the same annotation again) retry transient errors here;
        # Secret writes are retried by write_secret, which reads again first.
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Transient),
            stop=tenacity.stop_after_attempt(3 if verb in ("get", "patch") else 1),
            wait=tenacity.wait_exponential(multiplier=0.2, max=2),
            reraise=True,
        )
        try:
            return retrying(once)
        except ApiException as e:
            if e.status == 404 and missing_ok:
                return None
            if e.status == 409:
                raise _Conflict() from None
            if e.status == 403:
                raise self.forbidden(verb, resource, name) from None
            if e.status == 401:
                raise ClusterError(
                    f"{self.where} refused the hook's credentials (HTTP 401)",
                    fix="check the ServiceAccount token (automountServiceAccountToken)",
                ) from None
            what = f"{resource}/{name}" if name else resource
            raise ClusterError(
                f"{verb} {what} in namespace {self.namespace!r} failed: HTTP {e.status} {_status_message(e)}"
            ) from None
        except _Transient as e:
            if verb != "get" and resource == "secrets":
                raise
            raise ClusterError(
                f"cannot {verb} {resource} at {self.where}: {e}",
                fix="check that the API server is reachable from the hook's pod",
            ) from None

    def forbidden(self, verb: str, resource: str, name: str | None) -> ClusterForbidden:
        group = "apps" if resource == "deployments" else ""
        rule = f"apiGroups [{group!r}], resources [{resource}], verbs [{verb}]"
        if name and verb != "create":
            rule += f", resourceNames [{name}]"
        what = f"{resource} {name!r}" if name and verb != "create" else resource
        return ClusterForbidden(
            f"the hook may not {verb} {what} in namespace {self.namespace!r}", fix=f"its Role needs the rule: {rule}"
        )


def _status_message(e) -> str:
    try:
        return json.loads(e.body).get("message", "")[:300]
    except (TypeError, ValueError, AttributeError):
        return str(e.reason or "")


def _connection_text(e) -> str:
    """What went wrong on the wire, in words (urllib3 wraps the cause in MaxRetryError)."""
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError

    cause = e.reason if isinstance(e, MaxRetryError) and e.reason is not None else e
    if isinstance(cause, ReadTimeoutError):
        return f"no answer within {TIMEOUT[1]}s (read timeout)"
    return f"{type(cause).__name__}: {str(cause).split(': ', 1)[-1][:120]}"


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
