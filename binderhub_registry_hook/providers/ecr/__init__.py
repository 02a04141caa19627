"""Amazon ECR: the provider (:mod:`.provider`), the AWS API client and its error table
(:mod:`.api`), the options (:mod:`.options`), and the template and IAM policy (:mod:`.policy`)."""

from binderhub_registry_hook.providers.ecr.api import make_client
from binderhub_registry_hook.providers.ecr.options import TEMPLATE_DESCRIPTION, LifecycleOptions
from binderhub_registry_hook.providers.ecr.policy import lifecycle_policy
from binderhub_registry_hook.providers.ecr.provider import ECRProvider

__all__ = ["ECRProvider", "LifecycleOptions", "TEMPLATE_DESCRIPTION", "lifecycle_policy", "make_client"]
