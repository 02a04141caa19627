"""The probe: prove BinderHub can push to the exact prefix and look its images up.

It runs the same for every registry: discover the challenge (and so the token url),
start and cancel a blob upload in the repository BinderHub would use, then repeat
BinderHub's manifest lookup with the settings the hook is about to write.
"""

from __future__ import annotations

from binderhub_registry_hook.context import Context
from binderhub_registry_hook.model import Credentials, ProbeResult, PullResult, PushResult, Target

PULL_CHECK_TAG = "binderhub-registry-hook-check"


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
    push: PushResult | None = None
    if spec.probe_push:
        push = registry.probe_push(repository, creds)
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
        pull = registry.check_pull(
            repository, PULL_CHECK_TAG, creds, token_url=token_url, not_found_401=target.not_found_401
        )
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
