"""The probe: prove BinderHub can push to the exact prefix and look its images up.

It runs the same for every registry: discover the challenge (and so the token url),
start and cancel a blob upload in the repository BinderHub would use, then repeat
BinderHub's manifest lookup with the settings the hook is about to write.

The lookup is independent of the upload, so once the login has been accepted it runs
beside it, on its own connection: a run then waits for the slower of the two instead
of both (with a token service, the lookup's own token is most of its time).  Their
steps and errors still come in the same order: the push probe's first.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.deadline import GRACE
from binderhub_registry_hook.errors import DeadlineExceeded, HookError
from binderhub_registry_hook.model import Credentials, ProbeResult, PullResult, PushResult, Target

PULL_CHECK_TAG = "binderhub-registry-hook-check"
T = TypeVar("T")


class _Beside(Generic[T]):
    """``fn`` in a thread of its own; :meth:`result` waits for it and raises what it raised."""

    def __init__(self, fn: Callable[[], T]):
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pull-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as e:  # handed to the waiting thread, which raises it
            self._error = e

    def wait(self, timeout: float) -> None:
        # The thread's requests keep to the deadline by themselves; this wait is the backstop.
        self._thread.join(max(timeout, 0.0) + GRACE)

    def result(self, timeout: float) -> T:
        self.wait(timeout)
        if self._thread.is_alive():
            raise DeadlineExceeded("BinderHub's manifest lookup did not end before registry.timeouts.total")
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def probe(ctx: Context, target: Target, creds: Credentials | None) -> ProbeResult:
    spec, report = ctx.spec, ctx.report
    registry = ctx.registry(target.url)
    challenge = registry.challenge()
    params = ", ".join(f"{k}={v}" for k, v in challenge.params.items() if k in ("realm", "service"))
    report.step("probe", f"GET {target.url}/v2/ asks for {challenge.scheme} auth" + (f" ({params})" if params else ""))

    token_url = target.token_url if target.token_url is not None else challenge.token_url
    if target.token_url is None and token_url:
        report.step("probe", f"token url discovered from the challenge: {token_url}")

    repository = target.probe_repository(spec.probe_name)

    def lookup() -> PullResult:  # on a client of its own: it may run beside the push probe
        return ctx.registry(target.url).check_pull(
            repository, PULL_CHECK_TAG, creds, token_url=token_url, not_found_401=target.not_found_401
        )

    beside: list[_Beside[PullResult]] = []
    push: PushResult | None = None
    if spec.probe_push:
        try:
            push = registry.probe_push(
                repository, creds, accepted=(lambda: beside.append(_Beside(lookup))) if spec.probe_pull else None
            )
        except HookError:
            for running in beside:  # the push probe's error is the run's; no thread outlives the probe
                running.wait(spec.timeouts.remaining())
            raise
        cancel = (
            "cancelled"
            if push.cancelled
            else f"not cancelled (HTTP {push.cancel_status}; the registry purges abandoned uploads)"
        )
        report.step("probe", f"push: POST /v2/{repository}/blobs/uploads/ answered 202, upload {cancel}")
    else:
        registry.login(creds, None)
        report.step("probe", "push probe skipped (registry.probe.push: false); credentials accepted")

    pull: PullResult | None = None
    if spec.probe_pull:
        pull = beside[0].result(spec.timeouts.remaining()) if beside else lookup()
        if pull.status == 401:
            # Only reached when the registry answers 401 for a missing repository and
            # a token was issued: the rule BinderHub applies with not_found_401.
            report.step(
                "probe",
                "pull: BinderHub's manifest lookup answered 401 for a missing image; "
                "DockerRegistry.not_found_401 is set so BinderHub reads it as 'not built yet'",
            )
        else:
            report.step(
                "probe",
                f"pull: BinderHub's manifest lookup of {repository}:{PULL_CHECK_TAG} "
                f"answered {pull.status} ({pull.meaning})",
            )
    return ProbeResult(challenge, token_url, push, pull)
