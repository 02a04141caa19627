"""Azure Container Registry: the provider (:mod:`.provider`), Microsoft Entra ID and its error
table (:mod:`.entra`), Azure Resource Manager provisioning and its error table (:mod:`.arm`),
the options (:mod:`.options`)."""

from binderhub_registry_hook.providers.azure.provider import AzureProvider

__all__ = ["AzureProvider"]
