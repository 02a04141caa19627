"""BinderHub's pod, reduced to what the registry wiring needs (runs in the cluster).

Started as the fixture chart's `binder` container (`--config PATH`): it runs the chart's
binderhub_config.py with a traitlets-like `c`, as BinderHub does, then reads the docker
config that `DockerRegistry.docker_config_path` names.  It prints one line with what it
found and sleeps; a missing setting or file exits 1, so the Deployment never becomes
available, as a BinderHub that cannot find its registry would crash.  SIGTERM ends it at
once, as it ends BinderHub's tornado server: a process with PID 1 in its container gets no
default action for it, and the kubelet would wait the whole grace period (30 s) on every
deletion of the pod.
"""

import collections
import json
import signal
import sys
import time


def main(argv):
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    config_file = argv[argv.index("--config") + 1]
    c = collections.defaultdict(dict)
    with open(config_file) as f:
        exec(compile(f.read(), config_file, "exec"), {"c": c})
    prefix = c["BinderHub"].get("image_prefix")
    path = c["DockerRegistry"].get("docker_config_path")
    if not prefix or not path:
        print(f"binder: no image_prefix or docker_config_path in {config_file}", flush=True)
        return 1
    with open(path) as f:
        auths = sorted(json.load(f).get("auths", {}))
    url = c["DockerRegistry"].get("url", "")
    print(f"binder: image_prefix={prefix} registry={url} auths={','.join(auths)}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
