"""``registry.azure``: the one home of its defaults."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_NAME = "binderhub-registry-hook"


@dataclass(frozen=True)
class AzureOptions:
    registry_name: str
    auth: str = "servicePrincipal"  # servicePrincipal | workloadIdentity | acrToken
    docker_login: str = "clientSecret"  # or refreshToken
    tenant_id: str | None = None  # None: $AZURE_TENANT_ID
    client_id: str | None = None  # None: the credential source's clientIdKey, then $AZURE_CLIENT_ID
    client_id_key: str = "clientId"
    client_secret_key: str = "clientSecret"
    federated_token_file: str | None = None  # None: $AZURE_FEDERATED_TOKEN_FILE
    subscription_id: str | None = None  # required by mode: provision (the schema says so)
    resource_group: str | None = None  # required by mode: provision (the schema says so)
    token_name: str = DEFAULT_NAME
    scope_map_name: str = DEFAULT_NAME
    password_expiry_days: int = 365
    renew_before_days: int = 30
    authority_host: str | None = None  # None: $AZURE_AUTHORITY_HOST, then the public cloud's
    resource_manager_endpoint: str = "https://management.azure.com"
    oauth2_url: str | None = None  # None: registry.url

    @property
    def exchange(self) -> bool:
        """Docker credentials are an ACR refresh token exchanged for an Entra token."""
        return self.auth == "workloadIdentity" or self.docker_login == "refreshToken"
