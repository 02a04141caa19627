"""The hook's own path run in this process, as its commands run it, for tests of several registries.

The stand-in modules beside this one never import the hook; what drives it lives here.
"""

from __future__ import annotations

import argparse
from functools import partial

from binderhub_registry_hook import cli
from binderhub_registry_hook.providers import ecr
from binderhub_registry_hook.report import Report

from .images import skopeo_push


def resolve_args(values, credentials=None) -> argparse.Namespace:
    """The parsed arguments ``cli.resolve`` reads: one values file, an optional credential source."""
    return argparse.Namespace(values=[values], values_key=None, credentials=credentials)


def ecr_resolve(aws, values, *, credentials=None, **client_kw):
    """``cli.resolve`` with AWS clients pointed at the front (``aws``) through the injectable factory."""
    factory = partial(ecr.make_client, endpoint_url=aws.url)
    if client_kw:
        factory = partial(_with_config, factory, **client_kw)
    report = Report()
    return cli.resolve(resolve_args(values, credentials), report, clients={"aws": factory}), report


def _with_config(factory, *, max_attempts, **kw):
    from botocore.config import Config

    kw["config"] = kw["config"].merge(Config(retries={"mode": "standard", "total_max_attempts": max_attempts}))
    return factory(**kw)


def push_with_written_config(tmp_path, dest: str, image) -> None:
    """A build pod's push (skopeo) with the config.json the hook writes for the last `run` values."""
    args = cli.build_parser().parse_args(["validate", "-f", str(tmp_path / "values.json")])
    authfile = tmp_path / "config.json"
    authfile.write_text(cli.resolve(args, Report()).outputs.config_json.reveal())
    proc = skopeo_push(authfile, dest, image=image)
    assert proc.returncode == 0, proc.stderr
