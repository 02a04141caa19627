"""The command line: every command is the same path with a different end.

    spec -> provider -> credentials -> probe -> outputs -> sink

``resolve`` below walks the path up to the outputs; each command adds its sink:
``validate`` prints a summary, ``explain`` prints every step, ``post-render``
rewrites Helm's manifest stream, ``apply``/``refresh`` write the Kubernetes Secret.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar, cast

from binderhub_registry_hook import __version__
from binderhub_registry_hook.errors import HookError, InputError
from binderhub_registry_hook.report import Report
from binderhub_registry_hook.secrets import RedactingFilter, redact

if TYPE_CHECKING:  # the path's types; the modules themselves load in resolve()
    from binderhub_registry_hook.context import Context
    from binderhub_registry_hook.model import Credentials, Outputs, ProbeResult, Target
    from binderhub_registry_hook.providers import Provider
    from binderhub_registry_hook.spec import RegistrySpec

log = logging.getLogger("hook")

EXIT_INTERNAL = 70
MAX_CONFIG_BYTES = 1 << 20  # a docker config.json: a few hundred bytes per registry


@dataclass(frozen=True)
class Resolved:
    spec: RegistrySpec
    ctx: Context
    target: Target
    credentials: Credentials
    probe: ProbeResult
    outputs: Outputs
    report: Report
    provider: Provider[Any]
    options: Any

    def retire(self) -> list[str]:
        """After the write and the roll: the provider removes the credentials these replaced."""
        return self.provider.retire(self.ctx, self.target, self.options, self.credentials.retire)


def resolve(
    args: argparse.Namespace,
    report: Report,
    previous: dict[str, str] | None = None,
    clients: dict[str, Callable[..., Any]] | None = None,
    **lifecycle: Any,
) -> Resolved:
    """Walk the path from the values to the outputs; raise a HookError at the first failure.

    ``previous`` is what the output Secret held before (key -> text), so provisioning can
    reuse what still works; ``clients`` replaces SDK client factories (tests);
    ``lifecycle``: the Context's ``clock``, ``claim`` and ``previous_ref`` (after the install).
    """
    # The path is imported here, not at the top, so `--help` and argument errors stay instant.
    from binderhub_registry_hook import deadline, dockerconfig, providers
    from binderhub_registry_hook.context import Context
    from binderhub_registry_hook.credentials import CredentialSource
    from binderhub_registry_hook.probe import probe
    from binderhub_registry_hook.spec import RegistrySpec, load_values

    # spec
    spec = RegistrySpec.from_values(load_values(args.values, args.values_key))
    # The run ends by registry.timeouts.total, counted from the command's start (apply reads the
    # cluster before the values): every request and the alarm keep to it.
    spec = replace(spec, timeouts=replace(spec.timeouts, started=getattr(args, "started", spec.timeouts.started)))
    deadline.arm(spec.timeouts)
    report.step(
        "spec",
        f"type {spec.type}, mode {spec.mode}, imagePrefix {spec.image_prefix}"
        + (f", url {spec.url}" if spec.url else ""),
    )
    # provider: a pure plan of where BinderHub pushes
    provider = providers.load(spec)
    options = provider.options(spec)
    target = provider.plan(spec, options)
    for warning in target.warnings:
        report.warn(warning)
    for note in target.notes:
        report.step("provider", note)
    report.step(
        "provider",
        f"{provider.name}: registry {target.url}, config.json key {target.auth_key}, "
        f"image prefix {target.image_prefix} (naming rules ok)",
    )
    # credentials
    ctx = Context(
        spec, CredentialSource(args.credentials), report, clients=clients or {}, previous=previous, **lifecycle
    )
    creds = provider.credentials(ctx, target, options)
    lifetime = f"expires {creds.expires_at:%Y-%m-%d %H:%M} UTC" if creds.expires_at else "long-lived"
    report.step("credentials", f"user {creds.username} from {creds.origin or 'the provider'}, {lifetime}")
    # probe
    result = probe(ctx, target, creds)
    # outputs
    outputs = dockerconfig.build(target, creds, result, spec.type, ca=spec.ca_bundle)
    report.step(
        "outputs",
        f"config.json for {target.auth_key}; BinderHub settings: {json.dumps(outputs.settings, sort_keys=True)}",
    )
    if outputs.trust:
        binder_pod, build_pods = dockerconfig.ca_consumers(target.host)
        report.step("outputs", f"registry.tls.caBundle: the Secret also holds {', '.join(outputs.trust)}")
        report.warn(binder_pod)
        report.warn(build_pods)
    return Resolved(spec, ctx, target, creds, result, outputs, report, provider, options)


# -- commands ------------------------------------------------------------------------


def _writes_nothing(what: str) -> bool:
    """`validate` and `explain` write nothing, so they never rotate: a new key would be lost."""
    return False


def cmd_validate(args: argparse.Namespace) -> int:
    r = resolve(args, Report(), claim=_writes_nothing)
    if getattr(args, "docker_config", None):
        _check_written_config(args.docker_config, r)
    push = "push and pull" if r.spec.probe_push else "login"
    print(
        f"ok: {r.credentials.username} on {r.target.host}: {push} verified for "
        f"{r.target.image_prefix}* ({r.probe.challenge.scheme} auth)"
    )
    for w in r.report.warnings:
        print(f"warning: {w}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    report = Report()
    try:
        r = resolve(args, report, claim=_writes_nothing)
    except HookError as e:
        print(report.render())
        print(f"failed  {redact(str(e))}")
        return e.exit_code
    print(report.render())
    print("\nconfig.json (redacted):")
    print(r.outputs.redacted_config())
    print("BinderHub settings:")
    print(json.dumps(r.outputs.settings, indent=2, sort_keys=True))
    return 0


def cmd_post_render(args: argparse.Namespace) -> int:
    from binderhub_registry_hook import postrender

    stream = sys.stdin.read()
    if not stream.strip():
        raise InputError("the manifest stream on stdin is empty", fix="run this as Helm's post-renderer")
    previous = _previous_config(args.previous_config)
    r = resolve(args, Report(), previous=previous)
    if previous is None and r.spec.mode == "provision":
        r.report.warn(
            "post-render has no previous outputs, so provisioning may mint new credentials on every "
            "run (a new Google key, a new Harbor robot secret, a new ACR token password); pass "
            "--previous-config with the release's config.json to reuse what still works"
        )
    require_refresher(
        r,
        args.refresher_enabled,
        "would die inside the Helm release",
        fix="use the in-cluster hook (chart/) with its refresh CronJob, or pass --refresher-enabled "
        "when that refresher is running",
    )
    text, done = postrender.rewrite(
        stream,
        r.outputs,
        docker_config_secret=args.docker_config_secret,
        settings_secret=args.settings_secret,
        binder_deployment=args.binder_deployment,
    )
    sys.stdout.write(text)
    sys.stdout.flush()
    log.info(
        "post-render: %d documents, rewrote %s (checksum %s)",
        done.documents,
        ", ".join(done.patched),
        done.checksum[:12],
    )
    return 0


def require_refresher(r: Resolved, refresher: bool, fate: str, *, fix: str) -> None:
    """The one rule about expiry: credentials that expire are written only where a refresher renews them.

    Whether they expire is what the provider returned (``Credentials.expires_at``), never a guess
    from the values; the chart's guess only picks the refresh CronJob's schedule.
    """
    if r.credentials.expires_at is not None and not refresher:
        raise InputError(
            f"{r.spec.type} credentials expire ({r.credentials.expires_at:%Y-%m-%d %H:%M} UTC) and {fate}", fix=fix
        )


def _previous_config(path: Path | None) -> dict[str, str] | None:
    """`post-render --previous-config`: the config.json of the release being upgraded."""
    if path is None:
        return None
    from binderhub_registry_hook.dockerconfig import CONFIG_JSON
    from binderhub_registry_hook.localfiles import read_text

    return {CONFIG_JSON: read_text(path, what="--previous-config", limit=MAX_CONFIG_BYTES)}


def cmd_apply(args: argparse.Namespace) -> int:
    return _write_to_cluster(args, "apply")


def cmd_refresh(args: argparse.Namespace) -> int:
    return _write_to_cluster(args, "refresh")


def _check_written_config(path: Path, r: Resolved) -> None:
    """`validate --docker-config`: the probe again, with the credentials a written config.json holds
    (the chart's `helm test` pod mounts the hook's Secret and checks what BinderHub will use)."""
    from binderhub_registry_hook.dockerconfig import CONFIG_JSON, previous_login
    from binderhub_registry_hook.errors import CredentialsMissing
    from binderhub_registry_hook.localfiles import read_text
    from binderhub_registry_hook.model import Credentials
    from binderhub_registry_hook.probe import probe

    login = previous_login(
        {CONFIG_JSON: read_text(path, what="the written config.json", limit=MAX_CONFIG_BYTES)}, r.target.auth_key
    )
    if login is None:
        raise CredentialsMissing(
            f"{path}: no usable auths[{r.target.auth_key!r}] entry", fix="run `apply` first; the hook writes this file"
        )
    user, password = login
    written = Credentials(user, password, origin=str(path))
    probe(r.ctx, r.target, written)
    r.report.step("written", f"{path}: credentials of {user} verified")


def _write_to_cluster(args: argparse.Namespace, command: str) -> int:
    """`apply` (the Helm hook) and `refresh` (the scheduled check): the path, then the Kubernetes sink.

    The Secret is read before anything else, so the provider sees the previous outputs
    and a failure anywhere before the write leaves its data exactly as it was; the
    failure is recorded in its annotations and an Event. After a successful write and
    roll, the provider retires the credentials the new ones replaced (make-before-break).
    """
    from binderhub_registry_hook import lifecycle
    from binderhub_registry_hook.errors import CredentialsExpiring
    from binderhub_registry_hook.kube import Cluster

    utcnow = args.clock
    cluster = Cluster.connect(kubeconfig=args.kubeconfig, context=args.context, namespace=args.namespace)
    name = args.secret_name
    existing = cluster.read_secret(name)
    holder = f"{os.environ.get('HOSTNAME', 'hook')}/{os.getpid()}"
    report = Report()
    try:
        r = resolve(
            args,
            report,
            previous=existing.data if existing else None,
            clock=utcnow,
            previous_ref=existing.annotations.get(lifecycle.REF) if existing else None,
            claim=lambda what: cluster.claim(name, existing, holder, utcnow()),
        )
        require_refresher(
            r,
            command == "refresh" or args.refresher_enabled,
            "no refresh CronJob renews them: BinderHub would stop pushing when they do",
            fix="set refresh.enabled: true in the chart's values",
        )
    except HookError as e:
        message = f"{command}: {redact(str(e))}; Secret data left unchanged"
        if existing is not None:
            cluster.record(name, existing, lifecycle.failed(message, utcnow(), existing.annotations, holder))
        cluster.event(name, "RegistryCheckFailed", message, warning=True, uid=existing.uid if existing else None)
        raise
    now = utcnow()
    record = lifecycle.passed(r.credentials, r.outputs, now, existing.annotations if existing else {})
    applied = cluster.write_secret(name, r.outputs, existing, labels=dict(args.label or []), record=record)
    if applied.action == "superseded":
        text = (
            f"{command}: another run wrote newer credentials to Secret {cluster.namespace}/{name} meanwhile; "
            "left them in place"
        )
        cluster.event(name, "Superseded", text, uid=applied.uid)
        print(f"ok: {text}")
        return 0
    rolled = (
        cluster.roll(args.binder_deployment, applied.checksum, changed=applied.changed)
        if args.binder_deployment
        else "roll disabled (no --binder-deployment)"
    )
    if r.credentials.retire:
        try:
            retired = r.retire()
        except HookError as e:  # the new credentials work; the next check retires the old ones
            r.report.warn(f"could not remove the replaced credentials yet ({redact(str(e))}); the next check will")
        else:
            rolled += f"; retired {', '.join(x[:8] for x in retired) or 'nothing'} after the roll"
    expiry = f"expires {r.outputs.expires_at:%Y-%m-%d %H:%M} UTC" if r.outputs.expires_at else "no expiry"
    summary = (
        f"Secret {cluster.namespace}/{name} {applied.action} for {r.target.image_prefix}* on "
        f"{r.target.host} ({r.spec.type}, {expiry}, checksum {applied.checksum[:12]}); {rolled}"
    )
    health = lifecycle.health(record, now)
    expiring = health.state == lifecycle.EXPIRING and r.spec.mode == "validate"
    if expiring:
        r.report.warn(
            f"the credentials are inside their renewal window ({health.reason}; valid until "
            f"{health.valid_until}): renew them, or use mode: provision"
        )
    reason = {"created": "SecretCreated", "replaced": "SecretUpdated", "unchanged": "Unchanged"}.get(
        applied.action, "CheckPassed"
    )
    cluster.event(
        name,
        "CredentialsExpiring" if expiring else reason,
        f"{command}: {summary}" + "".join(f"; warning: {w}" for w in r.report.warnings),
        warning=bool(r.report.warnings),
        uid=applied.uid,
    )
    print(f"ok: {summary}")
    for w in r.report.warnings:
        print(f"warning: {w}")
    if expiring and command == "refresh":  # the scheduled check fails, so job-failure alerts fire
        raise CredentialsExpiring(
            f"{r.spec.type} credentials are valid until {health.valid_until}, inside the renewal window",
            fix="renew them, or use registry.mode: provision",
        )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from binderhub_registry_hook import status

    return status.run(args)


# -- plumbing -------------------------------------------------------------------------


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def build_parser() -> argparse.ArgumentParser:
    logging_options = argparse.ArgumentParser(add_help=False)
    logging_options.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    logging_options.add_argument("-q", "--quiet", action="store_true", help="only errors")
    logging_options.add_argument("--log-format", choices=["text", "json"], default="text")
    common = argparse.ArgumentParser(add_help=False, parents=[logging_options])
    common.add_argument(
        "-f",
        "--values",
        type=Path,
        action="append",
        help="Helm values file with a `registry:` block (repeatable; later files win). "
        "Default: $BINDERHUB_REGISTRY_HOOK_VALUES",
    )
    common.add_argument(
        "--values-key",
        default=os.environ.get("BINDERHUB_REGISTRY_HOOK_VALUES_KEY"),
        help="dotted key of this chart's values inside an umbrella chart's values",
    )
    common.add_argument(
        "--credentials",
        type=Path,
        default=_env_path("BINDERHUB_REGISTRY_HOOK_CREDENTIALS"),
        help="directory (a mounted Secret) or YAML file with the credential keys; "
        "default: environment variables REGISTRY_<KEY>. Never pass secrets as arguments.",
    )

    parser = argparse.ArgumentParser(
        prog="binderhub-registry-hook",
        description="Provision or validate a BinderHub's container registry, prove it can push, "
        "and write BinderHub's docker config and registry settings.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", parents=[common], help="check credentials and push to the image prefix")
    p.add_argument(
        "--docker-config",
        type=Path,
        default=None,
        help="also probe with the credentials in this written config.json (helm test)",
    )
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("explain", parents=[common], help="print every step and the outputs, secrets redacted")
    p.set_defaults(func=cmd_explain)
    p = sub.add_parser(
        "post-render",
        parents=[common],
        help="Helm post-renderer: rewrite BinderHub's registry Secrets in the manifest stream",
    )
    p.add_argument("--docker-config-secret", default="binder-build-docker-config")
    p.add_argument("--settings-secret", default="binder-secret")
    p.add_argument(
        "--binder-deployment",
        default="binder",
        help="BinderHub's Deployment: its pod template gets a checksum annotation of what was "
        "written, so it restarts when that changes ('' leaves it alone)",
    )
    p.add_argument(
        "--previous-config",
        type=Path,
        default=None,
        help="config.json of the release being upgraded (e.g. from `kubectl get secret "
        "binder-build-docker-config`), so mode: provision reuses credentials that still work",
    )
    p.add_argument(
        "--refresher-enabled",
        action="store_true",
        help="accept short-lived credentials because the in-cluster refresh CronJob renews them",
    )
    p.set_defaults(func=cmd_post_render)

    cluster = argparse.ArgumentParser(add_help=False)
    cluster.add_argument(
        "--secret-name",
        default=os.environ.get("BINDERHUB_REGISTRY_HOOK_SECRET", "binderhub-registry"),
        help="the Secret the hook owns and writes (default: binderhub-registry)",
    )
    cluster.add_argument(
        "--binder-deployment",
        default="binder",
        help="BinderHub's Deployment, rolled when the content changes ('' disables)",
    )
    cluster.add_argument(
        "--label",
        action="append",
        type=_label,
        metavar="KEY=VALUE",
        help="extra label of the written Secret (repeatable)",
    )
    cluster.add_argument(
        "--refresher-enabled",
        action="store_true",
        help="the chart's refresh CronJob runs, so credentials that expire may be written",
    )
    cluster.add_argument(
        "-n",
        "--namespace",
        default=None,
        help="namespace (default: $POD_NAMESPACE, the pod's, or the kubeconfig context's)",
    )
    cluster.add_argument("--kubeconfig", default=None, help="kubeconfig outside a pod (default: $KUBECONFIG)")
    cluster.add_argument("--context", default=None, help="kubeconfig context")
    p = sub.add_parser(
        "apply",
        parents=[common, cluster],
        help="Helm hook: validate, then write the registry Secret and roll BinderHub if it changed",
    )
    p.set_defaults(func=cmd_apply)
    p = sub.add_parser(
        "refresh",
        parents=[common, cluster],
        help="the scheduled check: prove push again, renew or rotate what is due, record the result",
    )
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser(
        "status",
        parents=[logging_options, cluster],
        help="the output Secret's record: registry, origin, expiry, last check and error; "
        "exit 0 healthy, 6 expiring, 7 failing",
    )
    p.add_argument(
        "--file",
        type=Path,
        action="append",
        default=None,
        metavar="PATH",
        help="read local files instead of the cluster: a Secret manifest (kubectl get secret -o "
        "json or yaml), a config.json, a binderhub-settings.json (repeatable)",
    )
    p.add_argument("--output", "-o", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_status, values_needed=False)
    return parser


def _label(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key, value


def setup_logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if args.log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries log request URLs (which may carry tokens) at debug; keep them at warning.
    for noisy in ("urllib3", "botocore", "azure", "google", "kubernetes"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()})


_Main = TypeVar("_Main", bound=Callable[..., int])


def _without_cyclic_gc(run: _Main) -> _Main:
    """A run lasts a second and leaves little cyclic garbage, so the cyclic collector would
    mostly re-scan the modules being imported: ~10 % of a run's CPU time, for the same peak
    memory (benchmarks/README.md). Reference counting still frees everything else."""

    @functools.wraps(run)
    def without(*args: Any, **kw: Any) -> int:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return run(*args, **kw)
        finally:
            if collecting:  # main() also runs inside other programs (the tests)
                gc.enable()

    return cast(_Main, without)


@_without_cyclic_gc
def main(argv: list[str] | None = None, *, clock: Callable[[], datetime] | None = None) -> int:
    """The command line (the console script runs it through run()). ``clock``: the run's clock
    (tests move time instead of sleeping)."""
    from binderhub_registry_hook.model import utcnow

    parser = build_parser()
    args = parser.parse_args(argv)
    args.started = time.monotonic()  # registry.timeouts.total counts from here
    args.clock = clock or utcnow
    if getattr(args, "values_needed", True) and not args.values:
        default = _env_path("BINDERHUB_REGISTRY_HOOK_VALUES")
        if default is None:
            parser.error("give the values file with -f/--values (or $BINDERHUB_REGISTRY_HOOK_VALUES)")
        args.values = [default]
    relay = None
    if args.command == "post-render":  # under Helm 4, whose plugin runner hides our stderr
        from binderhub_registry_hook.helmstderr import Relay

        relay = Relay.from_env()
    setup_logging(args)
    code = _run(args)
    if relay:
        relay.close(code)
    return code


def _run(args: argparse.Namespace) -> int:
    from binderhub_registry_hook import deadline
    from binderhub_registry_hook.spec import Timeouts

    try:
        # Until the values name registry.timeouts.total, its default bounds the run.
        deadline.arm(Timeouts(started=args.started))
        try:
            return int(args.func(args))
        finally:
            deadline.disarm()
    except HookError as e:
        print(f"error: {redact(str(e))}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug of ours: say so in one line, details only when asked
        log.debug("internal error", exc_info=True)
        print(
            f"error: internal error ({type(e).__name__}): {redact(str(e))[:200]}; "
            "rerun with -vv for details and report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    """The console script (and ``python -m binderhub_registry_hook``): main(), then exit.

    The process ends right after, and the interpreter's last garbage collections would walk
    every object of every imported module (~25 % of a run's CPU; more with the Kubernetes
    client). Frozen objects are skipped by those walks; they are still finalized as usual
    (files closed, atexit handlers run). Not in main(): other programs (the tests) call it.
    """
    rc = main()
    gc.freeze()
    sys.exit(rc)


if __name__ == "__main__":
    run()
