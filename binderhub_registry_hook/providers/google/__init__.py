"""Google Artifact Registry and gcr.io: the provider (:mod:`.provider`), the repository read
from the image prefix (:mod:`.naming`), keys and tokens (:mod:`.keys`), the cloud API clients
and Google's error table (:mod:`.api`), provisioning (:mod:`.provision`), the options
(:mod:`.options`)."""

from binderhub_registry_hook.providers.google.keys import parse_key
from binderhub_registry_hook.providers.google.provider import GoogleProvider

__all__ = ["GoogleProvider", "parse_key"]
