"""Real local components for tests: registry, token server, CA, OCI image, skopeo.

Importable from any test layer: ``from tests.support import LocalRegistry``.
"""

from .images import OciImage, build_oci_layout, skopeo_inspect, skopeo_push, write_authfile
from .pki import TestCA
from .registry import LocalRegistry, RegistryError, free_port, htpasswd_line, new_password
from .tokenserver import TokenServer, allowed_by_rule, parse_scope

# Registry timeouts for tests that expect a failure: fail within about a second.
FAST = {"connect": 1, "read": 5, "retryFor": 1}

# The two Secrets of the BinderHub chart that post-render rewrites; `settings` is the
# binder-secret's body after `type: Opaque` (its stringData or data).
BINDERHUB_SECRETS = """\
---
apiVersion: v1
kind: Secret
metadata:
  name: binder-build-docker-config
type: Opaque
data:
  config.json: e30=
---
apiVersion: v1
kind: Secret
metadata:
  name: binder-secret
type: Opaque
{settings}"""

__all__ = [
    "BINDERHUB_SECRETS", "FAST",
    "LocalRegistry", "OciImage", "RegistryError", "TestCA", "TokenServer",
    "allowed_by_rule", "build_oci_layout", "free_port", "htpasswd_line", "new_password",
    "parse_scope", "skopeo_inspect", "skopeo_push", "write_authfile",
]
