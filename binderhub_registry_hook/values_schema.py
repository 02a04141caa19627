"""The `registry` block's schema check, compiled to Python: ``validate(block, name_prefix=...)``
raises JsonSchemaValueException at the first violation.

Generated from binderhub_registry_hook/values.schema.yaml by scripts/generate-schema.py: edit that file, not this one.
fastjsonschema 2.22.3 wrote the code below the exception classes."""
# ruff: noqa
VERSION = "2.22.3"
from decimal import Decimal
import re


class JsonSchemaValueException(ValueError):
    """The first violation found: ``name`` is its path (``registry.url``), ``rule`` the keyword."""

    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.message, self.value, self.name, self.definition, self.rule = message, value, name, definition, rule


class JsonSchemaValuesException(ValueError):
    """All violations at once: raised only with fast_fail off, and the check is generated with it on."""



REGEX_PATTERNS = {
    '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$': re.compile('^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?\\Z'),
    '^[a-z0-9]+([._-][a-z0-9]+)*$': re.compile('^[a-z0-9]+([._-][a-z0-9]+)*\\Z'),
    '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$': re.compile('^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\\Z'),
    '^[0-9]{12}$': re.compile('^[0-9]{12}\\Z'),
    '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$': re.compile('^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+\\Z'),
    '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$': re.compile('^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)\\Z'),
    '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$': re.compile('^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*\\Z'),
    '^[A-Za-z0-9]{5,50}$': re.compile('^[A-Za-z0-9]{5,50}\\Z'),
    '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$': re.compile('^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})\\Z'),
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': re.compile('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\Z'),
    '^[-\\w._()]{1,90}$': re.compile('^[-\\w._()]{1,90}\\Z'),
    '^[A-Za-z0-9-]{5,50}$': re.compile('^[A-Za-z0-9-]{5,50}\\Z'),
    '^https://[^/?#\\s]+/?$': re.compile('^https://[^/?#\\s]+/?\\Z'),
    '^https?://[^/?#\\s]+(/[^#\\s]*)?$': re.compile('^https?://[^/?#\\s]+(/[^#\\s]*)?\\Z'),
    '^[a-z][a-z0-9-]{4,28}[a-z0-9]$': re.compile('^[a-z][a-z0-9-]{4,28}[a-z0-9]\\Z'),
    '^[a-z]+(-[a-z]+[0-9]+)?$': re.compile('^[a-z]+(-[a-z]+[0-9]+)?\\Z'),
    '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$': re.compile('^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?\\Z'),
    '^https?://[^/?#\\s]+$': re.compile('^https?://[^/?#\\s]+\\Z'),
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': re.compile('^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}], 'definitions': {'name': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'registry': {'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}]}}}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['type']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, rule='required')
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'azure'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be same as const definition: azure", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'const': 'azure'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['azure']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['azure']}, rule='required')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['type', 'mode']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, rule='required')
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'azure'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be same as const definition: azure", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'const': 'azure'}, rule='const')
            if "mode" in data_keys:
                data_keys.remove("mode")
                data__mode = data["mode"]
                if not (isinstance(data__mode, str) and data__mode == 'provision'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be same as const definition: provision", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'const': 'provision'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "azure" in data_keys:
                data_keys.remove("azure")
                data__azure = data["azure"]
                data__azure_is_dict = isinstance(data__azure, dict)
                if data__azure_is_dict:
                    data__azure__missing_keys = set(['subscriptionId', 'resourceGroup']) - data__azure.keys()
                    if data__azure__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure must contain " + (str(sorted(data__azure__missing_keys)) + " properties"), value=data__azure, name="" + (name_prefix or "data") + ".azure", definition={'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}, rule='required')
                    data__azure_keys = set(data__azure.keys())
                    if "auth" in data__azure_keys:
                        data__azure_keys.remove("auth")
                        data__azure__auth = data__azure["auth"]
                        if not (isinstance(data__azure__auth, str) and data__azure__auth == 'servicePrincipal' or isinstance(data__azure__auth, str) and data__azure__auth == 'workloadIdentity'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.auth must be one of ['servicePrincipal', 'workloadIdentity']", value=data__azure__auth, name="" + (name_prefix or "data") + ".azure.auth", definition={'enum': ['servicePrincipal', 'workloadIdentity']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['type']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, rule='required')
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'ecr'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be same as const definition: ecr", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'const': 'ecr'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['ecr']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['ecr']}, rule='required')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['type']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, rule='required')
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'generic' or isinstance(data__type, str) and data__type == 'harbor' or isinstance(data__type, str) and data__type == 'ovh'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['generic', 'harbor', 'ovh']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['generic', 'harbor', 'ovh']}, rule='enum')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['url']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['url']}, rule='required')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['type', 'mode']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, rule='required')
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'google'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be same as const definition: google", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'const': 'google'}, rule='const')
            if "mode" in data_keys:
                data_keys.remove("mode")
                data__mode = data["mode"]
                if not (isinstance(data__mode, str) and data__mode == 'provision'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be same as const definition: provision", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'const': 'provision'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "google" in data_keys:
                data_keys.remove("google")
                data__google = data["google"]
                data__google_is_dict = isinstance(data__google, dict)
                if data__google_is_dict:
                    data__google_keys = set(data__google.keys())
                    if "auth" in data__google_keys:
                        data__google_keys.remove("auth")
                        data__google__auth = data__google["auth"]
                        if not (isinstance(data__google__auth, str) and data__google__auth == 'auto' or isinstance(data__google__auth, str) and data__google__auth == 'serviceAccountKey'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.auth must be one of ['auto', 'serviceAccountKey']", value=data__google__auth, name="" + (name_prefix or "data") + ".google.auth", definition={'enum': ['auto', 'serviceAccountKey']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['google']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, rule='required')
            data_keys = set(data.keys())
            if "google" in data_keys:
                data_keys.remove("google")
                data__google = data["google"]
                data__google_is_dict = isinstance(data__google, dict)
                if data__google_is_dict:
                    data__google__missing_keys = set(['binderhubRegistryClass']) - data__google.keys()
                    if data__google__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google must contain " + (str(sorted(data__google__missing_keys)) + " properties"), value=data__google, name="" + (name_prefix or "data") + ".google", definition={'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}, rule='required')
                    data__google_keys = set(data__google.keys())
                    if "binderhubRegistryClass" in data__google_keys:
                        data__google_keys.remove("binderhubRegistryClass")
                        data__google__binderhubRegistryClass = data__google["binderhubRegistryClass"]
                        if not (isinstance(data__google__binderhubRegistryClass, bool) and data__google__binderhubRegistryClass is True):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.binderhubRegistryClass must be same as const definition: True", value=data__google__binderhubRegistryClass, name="" + (name_prefix or "data") + ".google.binderhubRegistryClass", definition={'const': True}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "google" in data_keys:
                data_keys.remove("google")
                data__google = data["google"]
                data__google_is_dict = isinstance(data__google, dict)
                if data__google_is_dict:
                    data__google__missing_keys = set(['auth']) - data__google.keys()
                    if data__google__missing_keys:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google must contain " + (str(sorted(data__google__missing_keys)) + " properties"), value=data__google, name="" + (name_prefix or "data") + ".google", definition={'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}, rule='required')
                    data__google_keys = set(data__google.keys())
                    if "auth" in data__google_keys:
                        data__google_keys.remove("auth")
                        data__google__auth = data__google["auth"]
                        if not (isinstance(data__google__auth, str) and data__google__auth == 'workloadIdentity'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.auth must be one of ['workloadIdentity']", value=data__google__auth, name="" + (name_prefix or "data") + ".google.auth", definition={'enum': ['workloadIdentity']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['google']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['google']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'google'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['google']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['google']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['dockerhub']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['dockerhub']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'dockerhub'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['dockerhub']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['dockerhub']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['harbor']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['harbor']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'harbor'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['harbor']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['harbor']}, rule='enum')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['ovh']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['ovh']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "type" in data_keys:
                data_keys.remove("type")
                data__type = data["type"]
                if not (isinstance(data__type, str) and data__type == 'ovh'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['ovh']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['ovh']}, rule='enum')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['type', 'imagePrefix']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}], 'definitions': {'name': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'registry': {'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}]}}}, rule='required')
        data_keys = set(data.keys())
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not (isinstance(data__type, str) and data__type == 'generic' or isinstance(data__type, str) and data__type == 'dockerhub' or isinstance(data__type, str) and data__type == 'google' or isinstance(data__type, str) and data__type == 'azure' or isinstance(data__type, str) and data__type == 'harbor' or isinstance(data__type, str) and data__type == 'ovh' or isinstance(data__type, str) and data__type == 'ecr'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".type must be one of ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']", value=data__type, name="" + (name_prefix or "data") + ".type", definition={'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, rule='enum')
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, rule='type')
            if isinstance(data__url, str):
                data__url_len = len(data__url)
                if data__url_len > 2048:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be shorter than or equal to 2048 characters", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, rule='maxLength')
                if not REGEX_PATTERNS['^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'].search(data__url):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must match pattern ^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, rule='pattern')
        if "imagePrefix" in data_keys:
            data_keys.remove("imagePrefix")
            data__imagePrefix = data["imagePrefix"]
            if not isinstance(data__imagePrefix, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".imagePrefix must be string", value=data__imagePrefix, name="" + (name_prefix or "data") + ".imagePrefix", definition={'type': 'string', 'minLength': 3, 'maxLength': 255}, rule='type')
            if isinstance(data__imagePrefix, str):
                data__imagePrefix_len = len(data__imagePrefix)
                if data__imagePrefix_len < 3:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".imagePrefix must be longer than or equal to 3 characters", value=data__imagePrefix, name="" + (name_prefix or "data") + ".imagePrefix", definition={'type': 'string', 'minLength': 3, 'maxLength': 255}, rule='minLength')
                if data__imagePrefix_len > 255:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".imagePrefix must be shorter than or equal to 255 characters", value=data__imagePrefix, name="" + (name_prefix or "data") + ".imagePrefix", definition={'type': 'string', 'minLength': 3, 'maxLength': 255}, rule='maxLength')
        if "mode" in data_keys:
            data_keys.remove("mode")
            data__mode = data["mode"]
            if not (isinstance(data__mode, str) and data__mode == 'validate' or isinstance(data__mode, str) and data__mode == 'provision'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be one of ['validate', 'provision']", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'enum': ['validate', 'provision']}, rule='enum')
        if "tls" in data_keys:
            data_keys.remove("tls")
            data__tls = data["tls"]
            if not isinstance(data__tls, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tls must be object", value=data__tls, name="" + (name_prefix or "data") + ".tls", definition={'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, rule='type')
            data__tls_is_dict = isinstance(data__tls, dict)
            if data__tls_is_dict:
                data__tls_keys = set(data__tls.keys())
                if "caBundle" in data__tls_keys:
                    data__tls_keys.remove("caBundle")
                    data__tls__caBundle = data__tls["caBundle"]
                    if not isinstance(data__tls__caBundle, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tls.caBundle must be string", value=data__tls__caBundle, name="" + (name_prefix or "data") + ".tls.caBundle", definition={'type': 'string', 'maxLength': 65536}, rule='type')
                    if isinstance(data__tls__caBundle, str):
                        data__tls__caBundle_len = len(data__tls__caBundle)
                        if data__tls__caBundle_len > 65536:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tls.caBundle must be shorter than or equal to 65536 characters", value=data__tls__caBundle, name="" + (name_prefix or "data") + ".tls.caBundle", definition={'type': 'string', 'maxLength': 65536}, rule='maxLength')
                if data__tls_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tls must not contain "+str(data__tls_keys)+" properties", value=data__tls, name="" + (name_prefix or "data") + ".tls", definition={'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, rule='additionalProperties')
        if "credentials" in data_keys:
            data_keys.remove("credentials")
            data__credentials = data["credentials"]
            if not isinstance(data__credentials, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials must be object", value=data__credentials, name="" + (name_prefix or "data") + ".credentials", definition={'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, rule='type')
            data__credentials_is_dict = isinstance(data__credentials, dict)
            if data__credentials_is_dict:
                data__credentials_keys = set(data__credentials.keys())
                if "existingSecret" in data__credentials_keys:
                    data__credentials_keys.remove("existingSecret")
                    data__credentials__existingSecret = data__credentials["existingSecret"]
                    validate___definitions_name(data__credentials__existingSecret, custom_formats, (name_prefix or "data") + ".credentials.existingSecret")
                if "usernameKey" in data__credentials_keys:
                    data__credentials_keys.remove("usernameKey")
                    data__credentials__usernameKey = data__credentials["usernameKey"]
                    if not isinstance(data__credentials__usernameKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.usernameKey must be string", value=data__credentials__usernameKey, name="" + (name_prefix or "data") + ".credentials.usernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__credentials__usernameKey, str):
                        data__credentials__usernameKey_len = len(data__credentials__usernameKey)
                        if data__credentials__usernameKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.usernameKey must be longer than or equal to 1 characters", value=data__credentials__usernameKey, name="" + (name_prefix or "data") + ".credentials.usernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__credentials__usernameKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.usernameKey must be shorter than or equal to 253 characters", value=data__credentials__usernameKey, name="" + (name_prefix or "data") + ".credentials.usernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "passwordKey" in data__credentials_keys:
                    data__credentials_keys.remove("passwordKey")
                    data__credentials__passwordKey = data__credentials["passwordKey"]
                    if not isinstance(data__credentials__passwordKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.passwordKey must be string", value=data__credentials__passwordKey, name="" + (name_prefix or "data") + ".credentials.passwordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__credentials__passwordKey, str):
                        data__credentials__passwordKey_len = len(data__credentials__passwordKey)
                        if data__credentials__passwordKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.passwordKey must be longer than or equal to 1 characters", value=data__credentials__passwordKey, name="" + (name_prefix or "data") + ".credentials.passwordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__credentials__passwordKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials.passwordKey must be shorter than or equal to 253 characters", value=data__credentials__passwordKey, name="" + (name_prefix or "data") + ".credentials.passwordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if data__credentials_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".credentials must not contain "+str(data__credentials_keys)+" properties", value=data__credentials, name="" + (name_prefix or "data") + ".credentials", definition={'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, rule='additionalProperties')
        if "probe" in data_keys:
            data_keys.remove("probe")
            data__probe = data["probe"]
            if not isinstance(data__probe, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe must be object", value=data__probe, name="" + (name_prefix or "data") + ".probe", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, rule='type')
            data__probe_is_dict = isinstance(data__probe, dict)
            if data__probe_is_dict:
                data__probe_keys = set(data__probe.keys())
                if "name" in data__probe_keys:
                    data__probe_keys.remove("name")
                    data__probe__name = data__probe["name"]
                    if not isinstance(data__probe__name, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe.name must be string", value=data__probe__name, name="" + (name_prefix or "data") + ".probe.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='type')
                    if isinstance(data__probe__name, str):
                        data__probe__name_len = len(data__probe__name)
                        if data__probe__name_len > 64:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe.name must be shorter than or equal to 64 characters", value=data__probe__name, name="" + (name_prefix or "data") + ".probe.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='maxLength')
                        if not REGEX_PATTERNS['^[a-z0-9]+([._-][a-z0-9]+)*$'].search(data__probe__name):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe.name must match pattern ^[a-z0-9]+([._-][a-z0-9]+)*$", value=data__probe__name, name="" + (name_prefix or "data") + ".probe.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='pattern')
                if "push" in data__probe_keys:
                    data__probe_keys.remove("push")
                    data__probe__push = data__probe["push"]
                    if not isinstance(data__probe__push, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe.push must be boolean", value=data__probe__push, name="" + (name_prefix or "data") + ".probe.push", definition={'type': 'boolean'}, rule='type')
                if "pull" in data__probe_keys:
                    data__probe_keys.remove("pull")
                    data__probe__pull = data__probe["pull"]
                    if not isinstance(data__probe__pull, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe.pull must be boolean", value=data__probe__pull, name="" + (name_prefix or "data") + ".probe.pull", definition={'type': 'boolean'}, rule='type')
                if data__probe_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".probe must not contain "+str(data__probe_keys)+" properties", value=data__probe, name="" + (name_prefix or "data") + ".probe", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, rule='additionalProperties')
        if "timeouts" in data_keys:
            data_keys.remove("timeouts")
            data__timeouts = data["timeouts"]
            if not isinstance(data__timeouts, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts must be object", value=data__timeouts, name="" + (name_prefix or "data") + ".timeouts", definition={'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, rule='type')
            data__timeouts_is_dict = isinstance(data__timeouts, dict)
            if data__timeouts_is_dict:
                data__timeouts_keys = set(data__timeouts.keys())
                if "connect" in data__timeouts_keys:
                    data__timeouts_keys.remove("connect")
                    data__timeouts__connect = data__timeouts["connect"]
                    if not isinstance(data__timeouts__connect, (int, float, Decimal)) or isinstance(data__timeouts__connect, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.connect must be number", value=data__timeouts__connect, name="" + (name_prefix or "data") + ".timeouts.connect", definition={'type': 'number', 'minimum': 0.1, 'maximum': 120}, rule='type')
                    if isinstance(data__timeouts__connect, (int, float, Decimal)) and not isinstance(data__timeouts__connect, bool):
                        if data__timeouts__connect < 0.1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.connect must be bigger than or equal to 0.1", value=data__timeouts__connect, name="" + (name_prefix or "data") + ".timeouts.connect", definition={'type': 'number', 'minimum': 0.1, 'maximum': 120}, rule='minimum')
                        if data__timeouts__connect > 120:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.connect must be smaller than or equal to 120", value=data__timeouts__connect, name="" + (name_prefix or "data") + ".timeouts.connect", definition={'type': 'number', 'minimum': 0.1, 'maximum': 120}, rule='maximum')
                if "read" in data__timeouts_keys:
                    data__timeouts_keys.remove("read")
                    data__timeouts__read = data__timeouts["read"]
                    if not isinstance(data__timeouts__read, (int, float, Decimal)) or isinstance(data__timeouts__read, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.read must be number", value=data__timeouts__read, name="" + (name_prefix or "data") + ".timeouts.read", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600}, rule='type')
                    if isinstance(data__timeouts__read, (int, float, Decimal)) and not isinstance(data__timeouts__read, bool):
                        if data__timeouts__read < 0.1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.read must be bigger than or equal to 0.1", value=data__timeouts__read, name="" + (name_prefix or "data") + ".timeouts.read", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600}, rule='minimum')
                        if data__timeouts__read > 600:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.read must be smaller than or equal to 600", value=data__timeouts__read, name="" + (name_prefix or "data") + ".timeouts.read", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600}, rule='maximum')
                if "retryFor" in data__timeouts_keys:
                    data__timeouts_keys.remove("retryFor")
                    data__timeouts__retryFor = data__timeouts["retryFor"]
                    if not isinstance(data__timeouts__retryFor, (int, float, Decimal)) or isinstance(data__timeouts__retryFor, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.retryFor must be number", value=data__timeouts__retryFor, name="" + (name_prefix or "data") + ".timeouts.retryFor", definition={'type': 'number', 'minimum': 0, 'maximum': 900}, rule='type')
                    if isinstance(data__timeouts__retryFor, (int, float, Decimal)) and not isinstance(data__timeouts__retryFor, bool):
                        if data__timeouts__retryFor < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.retryFor must be bigger than or equal to 0", value=data__timeouts__retryFor, name="" + (name_prefix or "data") + ".timeouts.retryFor", definition={'type': 'number', 'minimum': 0, 'maximum': 900}, rule='minimum')
                        if data__timeouts__retryFor > 900:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.retryFor must be smaller than or equal to 900", value=data__timeouts__retryFor, name="" + (name_prefix or "data") + ".timeouts.retryFor", definition={'type': 'number', 'minimum': 0, 'maximum': 900}, rule='maximum')
                if "total" in data__timeouts_keys:
                    data__timeouts_keys.remove("total")
                    data__timeouts__total = data__timeouts["total"]
                    if not isinstance(data__timeouts__total, (int, float, Decimal)) or isinstance(data__timeouts__total, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.total must be number", value=data__timeouts__total, name="" + (name_prefix or "data") + ".timeouts.total", definition={'type': 'number', 'minimum': 1, 'maximum': 3600}, rule='type')
                    if isinstance(data__timeouts__total, (int, float, Decimal)) and not isinstance(data__timeouts__total, bool):
                        if data__timeouts__total < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.total must be bigger than or equal to 1", value=data__timeouts__total, name="" + (name_prefix or "data") + ".timeouts.total", definition={'type': 'number', 'minimum': 1, 'maximum': 3600}, rule='minimum')
                        if data__timeouts__total > 3600:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts.total must be smaller than or equal to 3600", value=data__timeouts__total, name="" + (name_prefix or "data") + ".timeouts.total", definition={'type': 'number', 'minimum': 1, 'maximum': 3600}, rule='maximum')
                if data__timeouts_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeouts must not contain "+str(data__timeouts_keys)+" properties", value=data__timeouts, name="" + (name_prefix or "data") + ".timeouts", definition={'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, rule='additionalProperties')
        if "ecr" in data_keys:
            data_keys.remove("ecr")
            data__ecr = data["ecr"]
            if not isinstance(data__ecr, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr must be object", value=data__ecr, name="" + (name_prefix or "data") + ".ecr", definition={'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, rule='type')
            data__ecr_is_dict = isinstance(data__ecr, dict)
            if data__ecr_is_dict:
                data__ecr__missing_keys = set(['region']) - data__ecr.keys()
                if data__ecr__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr must contain " + (str(sorted(data__ecr__missing_keys)) + " properties"), value=data__ecr, name="" + (name_prefix or "data") + ".ecr", definition={'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, rule='required')
                data__ecr_keys = set(data__ecr.keys())
                if "region" in data__ecr_keys:
                    data__ecr_keys.remove("region")
                    data__ecr__region = data__ecr["region"]
                    if not isinstance(data__ecr__region, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.region must be string", value=data__ecr__region, name="" + (name_prefix or "data") + ".ecr.region", definition={'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, rule='type')
                    if isinstance(data__ecr__region, str):
                        if not REGEX_PATTERNS['^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'].search(data__ecr__region):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.region must match pattern ^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", value=data__ecr__region, name="" + (name_prefix or "data") + ".ecr.region", definition={'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, rule='pattern')
                if "accountId" in data__ecr_keys:
                    data__ecr_keys.remove("accountId")
                    data__ecr__accountId = data__ecr["accountId"]
                    if not isinstance(data__ecr__accountId, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.accountId must be string", value=data__ecr__accountId, name="" + (name_prefix or "data") + ".ecr.accountId", definition={'type': 'string', 'pattern': '^[0-9]{12}$'}, rule='type')
                    if isinstance(data__ecr__accountId, str):
                        if not REGEX_PATTERNS['^[0-9]{12}$'].search(data__ecr__accountId):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.accountId must match pattern ^[0-9]{12}$", value=data__ecr__accountId, name="" + (name_prefix or "data") + ".ecr.accountId", definition={'type': 'string', 'pattern': '^[0-9]{12}$'}, rule='pattern')
                if "roleArn" in data__ecr_keys:
                    data__ecr_keys.remove("roleArn")
                    data__ecr__roleArn = data__ecr["roleArn"]
                    if not isinstance(data__ecr__roleArn, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.roleArn must be string", value=data__ecr__roleArn, name="" + (name_prefix or "data") + ".ecr.roleArn", definition={'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, rule='type')
                    if isinstance(data__ecr__roleArn, str):
                        if not REGEX_PATTERNS['^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'].search(data__ecr__roleArn):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.roleArn must match pattern ^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", value=data__ecr__roleArn, name="" + (name_prefix or "data") + ".ecr.roleArn", definition={'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, rule='pattern')
                if "repositoryCreationTemplate" in data__ecr_keys:
                    data__ecr_keys.remove("repositoryCreationTemplate")
                    data__ecr__repositoryCreationTemplate = data__ecr["repositoryCreationTemplate"]
                    if not isinstance(data__ecr__repositoryCreationTemplate, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate must be object", value=data__ecr__repositoryCreationTemplate, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate", definition={'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, rule='type')
                    data__ecr__repositoryCreationTemplate_is_dict = isinstance(data__ecr__repositoryCreationTemplate, dict)
                    if data__ecr__repositoryCreationTemplate_is_dict:
                        data__ecr__repositoryCreationTemplate_keys = set(data__ecr__repositoryCreationTemplate.keys())
                        if "enabled" in data__ecr__repositoryCreationTemplate_keys:
                            data__ecr__repositoryCreationTemplate_keys.remove("enabled")
                            data__ecr__repositoryCreationTemplate__enabled = data__ecr__repositoryCreationTemplate["enabled"]
                            if not isinstance(data__ecr__repositoryCreationTemplate__enabled, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.enabled must be boolean", value=data__ecr__repositoryCreationTemplate__enabled, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.enabled", definition={'type': 'boolean'}, rule='type')
                        if "prefix" in data__ecr__repositoryCreationTemplate_keys:
                            data__ecr__repositoryCreationTemplate_keys.remove("prefix")
                            data__ecr__repositoryCreationTemplate__prefix = data__ecr__repositoryCreationTemplate["prefix"]
                            if not isinstance(data__ecr__repositoryCreationTemplate__prefix, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix must be string", value=data__ecr__repositoryCreationTemplate__prefix, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix", definition={'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, rule='type')
                            if isinstance(data__ecr__repositoryCreationTemplate__prefix, str):
                                data__ecr__repositoryCreationTemplate__prefix_len = len(data__ecr__repositoryCreationTemplate__prefix)
                                if data__ecr__repositoryCreationTemplate__prefix_len > 256:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix must be shorter than or equal to 256 characters", value=data__ecr__repositoryCreationTemplate__prefix, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix", definition={'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, rule='maxLength')
                                if not REGEX_PATTERNS['^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'].search(data__ecr__repositoryCreationTemplate__prefix):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix must match pattern ^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$", value=data__ecr__repositoryCreationTemplate__prefix, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.prefix", definition={'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, rule='pattern')
                        if "description" in data__ecr__repositoryCreationTemplate_keys:
                            data__ecr__repositoryCreationTemplate_keys.remove("description")
                            data__ecr__repositoryCreationTemplate__description = data__ecr__repositoryCreationTemplate["description"]
                            if not isinstance(data__ecr__repositoryCreationTemplate__description, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.description must be string", value=data__ecr__repositoryCreationTemplate__description, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.description", definition={'type': 'string', 'maxLength': 256}, rule='type')
                            if isinstance(data__ecr__repositoryCreationTemplate__description, str):
                                data__ecr__repositoryCreationTemplate__description_len = len(data__ecr__repositoryCreationTemplate__description)
                                if data__ecr__repositoryCreationTemplate__description_len > 256:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.description must be shorter than or equal to 256 characters", value=data__ecr__repositoryCreationTemplate__description, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.description", definition={'type': 'string', 'maxLength': 256}, rule='maxLength')
                        if "lifecycle" in data__ecr__repositoryCreationTemplate_keys:
                            data__ecr__repositoryCreationTemplate_keys.remove("lifecycle")
                            data__ecr__repositoryCreationTemplate__lifecycle = data__ecr__repositoryCreationTemplate["lifecycle"]
                            if not isinstance(data__ecr__repositoryCreationTemplate__lifecycle, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle must be object", value=data__ecr__repositoryCreationTemplate__lifecycle, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle", definition={'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, rule='type')
                            data__ecr__repositoryCreationTemplate__lifecycle_is_dict = isinstance(data__ecr__repositoryCreationTemplate__lifecycle, dict)
                            if data__ecr__repositoryCreationTemplate__lifecycle_is_dict:
                                data__ecr__repositoryCreationTemplate__lifecycle__missing_keys = set(['expireAfterDays']) - data__ecr__repositoryCreationTemplate__lifecycle.keys()
                                if data__ecr__repositoryCreationTemplate__lifecycle__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle must contain " + (str(sorted(data__ecr__repositoryCreationTemplate__lifecycle__missing_keys)) + " properties"), value=data__ecr__repositoryCreationTemplate__lifecycle, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle", definition={'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, rule='required')
                                data__ecr__repositoryCreationTemplate__lifecycle_keys = set(data__ecr__repositoryCreationTemplate__lifecycle.keys())
                                if "expireAfterDays" in data__ecr__repositoryCreationTemplate__lifecycle_keys:
                                    data__ecr__repositoryCreationTemplate__lifecycle_keys.remove("expireAfterDays")
                                    data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays = data__ecr__repositoryCreationTemplate__lifecycle["expireAfterDays"]
                                    if not isinstance(data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, (int)) and not (isinstance(data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, float) and data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays.is_integer()) or isinstance(data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays must be integer", value=data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='type')
                                    if isinstance(data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, (int, float, Decimal)) and not isinstance(data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, bool):
                                        if data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays must be bigger than or equal to 1", value=data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='minimum')
                                        if data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays > 3650:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays must be smaller than or equal to 3650", value=data__ecr__repositoryCreationTemplate__lifecycle__expireAfterDays, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.expireAfterDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='maximum')
                                if "since" in data__ecr__repositoryCreationTemplate__lifecycle_keys:
                                    data__ecr__repositoryCreationTemplate__lifecycle_keys.remove("since")
                                    data__ecr__repositoryCreationTemplate__lifecycle__since = data__ecr__repositoryCreationTemplate__lifecycle["since"]
                                    if not (isinstance(data__ecr__repositoryCreationTemplate__lifecycle__since, str) and data__ecr__repositoryCreationTemplate__lifecycle__since == 'pulled' or isinstance(data__ecr__repositoryCreationTemplate__lifecycle__since, str) and data__ecr__repositoryCreationTemplate__lifecycle__since == 'pushed'):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.since must be one of ['pulled', 'pushed']", value=data__ecr__repositoryCreationTemplate__lifecycle__since, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle.since", definition={'enum': ['pulled', 'pushed']}, rule='enum')
                                if data__ecr__repositoryCreationTemplate__lifecycle_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle must not contain "+str(data__ecr__repositoryCreationTemplate__lifecycle_keys)+" properties", value=data__ecr__repositoryCreationTemplate__lifecycle, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.lifecycle", definition={'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, rule='additionalProperties')
                        if "tags" in data__ecr__repositoryCreationTemplate_keys:
                            data__ecr__repositoryCreationTemplate_keys.remove("tags")
                            data__ecr__repositoryCreationTemplate__tags = data__ecr__repositoryCreationTemplate["tags"]
                            if not isinstance(data__ecr__repositoryCreationTemplate__tags, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags must be object", value=data__ecr__repositoryCreationTemplate__tags, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags", definition={'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}, rule='type')
                            data__ecr__repositoryCreationTemplate__tags_is_dict = isinstance(data__ecr__repositoryCreationTemplate__tags, dict)
                            if data__ecr__repositoryCreationTemplate__tags_is_dict:
                                data__ecr__repositoryCreationTemplate__tags_len = len(data__ecr__repositoryCreationTemplate__tags)
                                if data__ecr__repositoryCreationTemplate__tags_len > 50:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags must contain less than or equal to 50 properties", value=data__ecr__repositoryCreationTemplate__tags, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags", definition={'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}, rule='maxProperties')
                                data__ecr__repositoryCreationTemplate__tags_keys = set(data__ecr__repositoryCreationTemplate__tags.keys())
                                for data__ecr__repositoryCreationTemplate__tags_key in data__ecr__repositoryCreationTemplate__tags_keys:
                                    if data__ecr__repositoryCreationTemplate__tags_key not in []:
                                        data__ecr__repositoryCreationTemplate__tags_value = data__ecr__repositoryCreationTemplate__tags.get(data__ecr__repositoryCreationTemplate__tags_key)
                                        if not isinstance(data__ecr__repositoryCreationTemplate__tags_value, (str)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags.{data__ecr__repositoryCreationTemplate__tags_key}".format(**locals()) + " must be string", value=data__ecr__repositoryCreationTemplate__tags_value, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags.{data__ecr__repositoryCreationTemplate__tags_key}".format(**locals()) + "", definition={'type': 'string', 'maxLength': 256}, rule='type')
                                        if isinstance(data__ecr__repositoryCreationTemplate__tags_value, str):
                                            data__ecr__repositoryCreationTemplate__tags_value_len = len(data__ecr__repositoryCreationTemplate__tags_value)
                                            if data__ecr__repositoryCreationTemplate__tags_value_len > 256:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags.{data__ecr__repositoryCreationTemplate__tags_key}".format(**locals()) + " must be shorter than or equal to 256 characters", value=data__ecr__repositoryCreationTemplate__tags_value, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags.{data__ecr__repositoryCreationTemplate__tags_key}".format(**locals()) + "", definition={'type': 'string', 'maxLength': 256}, rule='maxLength')
                                if data__ecr__repositoryCreationTemplate__tags_len != 0:
                                    data__ecr__repositoryCreationTemplate__tags_property_names = True
                                    for data__ecr__repositoryCreationTemplate__tags_key in data__ecr__repositoryCreationTemplate__tags:
                                        try:
                                            if isinstance(data__ecr__repositoryCreationTemplate__tags_key, str):
                                                data__ecr__repositoryCreationTemplate__tags_key_len = len(data__ecr__repositoryCreationTemplate__tags_key)
                                                if data__ecr__repositoryCreationTemplate__tags_key_len > 128:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags must be shorter than or equal to 128 characters", value=data__ecr__repositoryCreationTemplate__tags_key, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags", definition={'maxLength': 128}, rule='maxLength')
                                        except (JsonSchemaValueException, JsonSchemaValuesException):
                                            data__ecr__repositoryCreationTemplate__tags_property_names = False
                                    if not data__ecr__repositoryCreationTemplate__tags_property_names:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags must be named by propertyName definition", value=data__ecr__repositoryCreationTemplate__tags, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate.tags", definition={'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}, rule='propertyNames')
                        if data__ecr__repositoryCreationTemplate_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate must not contain "+str(data__ecr__repositoryCreationTemplate_keys)+" properties", value=data__ecr__repositoryCreationTemplate, name="" + (name_prefix or "data") + ".ecr.repositoryCreationTemplate", definition={'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, rule='additionalProperties')
                if "repositories" in data__ecr_keys:
                    data__ecr_keys.remove("repositories")
                    data__ecr__repositories = data__ecr["repositories"]
                    if not isinstance(data__ecr__repositories, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories must be array", value=data__ecr__repositories, name="" + (name_prefix or "data") + ".ecr.repositories", definition={'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}, rule='type')
                    data__ecr__repositories_is_list = isinstance(data__ecr__repositories, (list, tuple))
                    if data__ecr__repositories_is_list:
                        data__ecr__repositories_len = len(data__ecr__repositories)
                        if data__ecr__repositories_len > 100:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories must contain less than or equal to 100 items", value=data__ecr__repositories, name="" + (name_prefix or "data") + ".ecr.repositories", definition={'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}, rule='maxItems')
                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                        if data__ecr__repositories_len > len(set(fn(data__ecr__repositories_x) for data__ecr__repositories_x in data__ecr__repositories)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories must contain unique items", value=data__ecr__repositories, name="" + (name_prefix or "data") + ".ecr.repositories", definition={'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}, rule='uniqueItems')
                        for data__ecr__repositories_x, data__ecr__repositories_item in enumerate(data__ecr__repositories):
                            if not isinstance(data__ecr__repositories_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + " must be string", value=data__ecr__repositories_item, name="" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + "", definition={'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}, rule='type')
                            if isinstance(data__ecr__repositories_item, str):
                                data__ecr__repositories_item_len = len(data__ecr__repositories_item)
                                if data__ecr__repositories_item_len > 256:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + " must be shorter than or equal to 256 characters", value=data__ecr__repositories_item, name="" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + "", definition={'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}, rule='maxLength')
                                if not REGEX_PATTERNS['^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'].search(data__ecr__repositories_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + " must match pattern ^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", value=data__ecr__repositories_item, name="" + (name_prefix or "data") + ".ecr.repositories[{data__ecr__repositories_x}]".format(**locals()) + "", definition={'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}, rule='pattern')
                if data__ecr_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecr must not contain "+str(data__ecr_keys)+" properties", value=data__ecr, name="" + (name_prefix or "data") + ".ecr", definition={'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, rule='additionalProperties')
        if "azure" in data_keys:
            data_keys.remove("azure")
            data__azure = data["azure"]
            if not isinstance(data__azure, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure must be object", value=data__azure, name="" + (name_prefix or "data") + ".azure", definition={'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, rule='type')
            data__azure_is_dict = isinstance(data__azure, dict)
            if data__azure_is_dict:
                data__azure__missing_keys = set(['registryName']) - data__azure.keys()
                if data__azure__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure must contain " + (str(sorted(data__azure__missing_keys)) + " properties"), value=data__azure, name="" + (name_prefix or "data") + ".azure", definition={'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, rule='required')
                data__azure_keys = set(data__azure.keys())
                if "registryName" in data__azure_keys:
                    data__azure_keys.remove("registryName")
                    data__azure__registryName = data__azure["registryName"]
                    if not isinstance(data__azure__registryName, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.registryName must be string", value=data__azure__registryName, name="" + (name_prefix or "data") + ".azure.registryName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, rule='type')
                    if isinstance(data__azure__registryName, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9]{5,50}$'].search(data__azure__registryName):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.registryName must match pattern ^[A-Za-z0-9]{5,50}$", value=data__azure__registryName, name="" + (name_prefix or "data") + ".azure.registryName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, rule='pattern')
                if "auth" in data__azure_keys:
                    data__azure_keys.remove("auth")
                    data__azure__auth = data__azure["auth"]
                    if not (isinstance(data__azure__auth, str) and data__azure__auth == 'servicePrincipal' or isinstance(data__azure__auth, str) and data__azure__auth == 'workloadIdentity' or isinstance(data__azure__auth, str) and data__azure__auth == 'acrToken'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.auth must be one of ['servicePrincipal', 'workloadIdentity', 'acrToken']", value=data__azure__auth, name="" + (name_prefix or "data") + ".azure.auth", definition={'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, rule='enum')
                if "dockerLogin" in data__azure_keys:
                    data__azure_keys.remove("dockerLogin")
                    data__azure__dockerLogin = data__azure["dockerLogin"]
                    if not (isinstance(data__azure__dockerLogin, str) and data__azure__dockerLogin == 'clientSecret' or isinstance(data__azure__dockerLogin, str) and data__azure__dockerLogin == 'refreshToken'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.dockerLogin must be one of ['clientSecret', 'refreshToken']", value=data__azure__dockerLogin, name="" + (name_prefix or "data") + ".azure.dockerLogin", definition={'enum': ['clientSecret', 'refreshToken']}, rule='enum')
                if "tenantId" in data__azure_keys:
                    data__azure_keys.remove("tenantId")
                    data__azure__tenantId = data__azure["tenantId"]
                    if not isinstance(data__azure__tenantId, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.tenantId must be string", value=data__azure__tenantId, name="" + (name_prefix or "data") + ".azure.tenantId", definition={'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, rule='type')
                    if isinstance(data__azure__tenantId, str):
                        if not REGEX_PATTERNS['^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'].search(data__azure__tenantId):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.tenantId must match pattern ^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$", value=data__azure__tenantId, name="" + (name_prefix or "data") + ".azure.tenantId", definition={'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, rule='pattern')
                if "clientId" in data__azure_keys:
                    data__azure_keys.remove("clientId")
                    data__azure__clientId = data__azure["clientId"]
                    if not isinstance(data__azure__clientId, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientId must be string", value=data__azure__clientId, name="" + (name_prefix or "data") + ".azure.clientId", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, rule='type')
                    if isinstance(data__azure__clientId, str):
                        if not REGEX_PATTERNS['^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'].search(data__azure__clientId):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientId must match pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", value=data__azure__clientId, name="" + (name_prefix or "data") + ".azure.clientId", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, rule='pattern')
                if "clientIdKey" in data__azure_keys:
                    data__azure_keys.remove("clientIdKey")
                    data__azure__clientIdKey = data__azure["clientIdKey"]
                    if not isinstance(data__azure__clientIdKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientIdKey must be string", value=data__azure__clientIdKey, name="" + (name_prefix or "data") + ".azure.clientIdKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__azure__clientIdKey, str):
                        data__azure__clientIdKey_len = len(data__azure__clientIdKey)
                        if data__azure__clientIdKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientIdKey must be longer than or equal to 1 characters", value=data__azure__clientIdKey, name="" + (name_prefix or "data") + ".azure.clientIdKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__azure__clientIdKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientIdKey must be shorter than or equal to 253 characters", value=data__azure__clientIdKey, name="" + (name_prefix or "data") + ".azure.clientIdKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "clientSecretKey" in data__azure_keys:
                    data__azure_keys.remove("clientSecretKey")
                    data__azure__clientSecretKey = data__azure["clientSecretKey"]
                    if not isinstance(data__azure__clientSecretKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientSecretKey must be string", value=data__azure__clientSecretKey, name="" + (name_prefix or "data") + ".azure.clientSecretKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__azure__clientSecretKey, str):
                        data__azure__clientSecretKey_len = len(data__azure__clientSecretKey)
                        if data__azure__clientSecretKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientSecretKey must be longer than or equal to 1 characters", value=data__azure__clientSecretKey, name="" + (name_prefix or "data") + ".azure.clientSecretKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__azure__clientSecretKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.clientSecretKey must be shorter than or equal to 253 characters", value=data__azure__clientSecretKey, name="" + (name_prefix or "data") + ".azure.clientSecretKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "federatedTokenFile" in data__azure_keys:
                    data__azure_keys.remove("federatedTokenFile")
                    data__azure__federatedTokenFile = data__azure["federatedTokenFile"]
                    if not isinstance(data__azure__federatedTokenFile, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.federatedTokenFile must be string", value=data__azure__federatedTokenFile, name="" + (name_prefix or "data") + ".azure.federatedTokenFile", definition={'type': 'string', 'maxLength': 4096}, rule='type')
                    if isinstance(data__azure__federatedTokenFile, str):
                        data__azure__federatedTokenFile_len = len(data__azure__federatedTokenFile)
                        if data__azure__federatedTokenFile_len > 4096:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.federatedTokenFile must be shorter than or equal to 4096 characters", value=data__azure__federatedTokenFile, name="" + (name_prefix or "data") + ".azure.federatedTokenFile", definition={'type': 'string', 'maxLength': 4096}, rule='maxLength')
                if "subscriptionId" in data__azure_keys:
                    data__azure_keys.remove("subscriptionId")
                    data__azure__subscriptionId = data__azure["subscriptionId"]
                    if not isinstance(data__azure__subscriptionId, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.subscriptionId must be string", value=data__azure__subscriptionId, name="" + (name_prefix or "data") + ".azure.subscriptionId", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, rule='type')
                    if isinstance(data__azure__subscriptionId, str):
                        if not REGEX_PATTERNS['^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'].search(data__azure__subscriptionId):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.subscriptionId must match pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", value=data__azure__subscriptionId, name="" + (name_prefix or "data") + ".azure.subscriptionId", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, rule='pattern')
                if "resourceGroup" in data__azure_keys:
                    data__azure_keys.remove("resourceGroup")
                    data__azure__resourceGroup = data__azure["resourceGroup"]
                    if not isinstance(data__azure__resourceGroup, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.resourceGroup must be string", value=data__azure__resourceGroup, name="" + (name_prefix or "data") + ".azure.resourceGroup", definition={'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, rule='type')
                    if isinstance(data__azure__resourceGroup, str):
                        if not REGEX_PATTERNS['^[-\\w._()]{1,90}$'].search(data__azure__resourceGroup):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.resourceGroup must match pattern ^[-\\w._()]{1,90}$", value=data__azure__resourceGroup, name="" + (name_prefix or "data") + ".azure.resourceGroup", definition={'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, rule='pattern')
                if "tokenName" in data__azure_keys:
                    data__azure_keys.remove("tokenName")
                    data__azure__tokenName = data__azure["tokenName"]
                    if not isinstance(data__azure__tokenName, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.tokenName must be string", value=data__azure__tokenName, name="" + (name_prefix or "data") + ".azure.tokenName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, rule='type')
                    if isinstance(data__azure__tokenName, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9-]{5,50}$'].search(data__azure__tokenName):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.tokenName must match pattern ^[A-Za-z0-9-]{5,50}$", value=data__azure__tokenName, name="" + (name_prefix or "data") + ".azure.tokenName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, rule='pattern')
                if "scopeMapName" in data__azure_keys:
                    data__azure_keys.remove("scopeMapName")
                    data__azure__scopeMapName = data__azure["scopeMapName"]
                    if not isinstance(data__azure__scopeMapName, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.scopeMapName must be string", value=data__azure__scopeMapName, name="" + (name_prefix or "data") + ".azure.scopeMapName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, rule='type')
                    if isinstance(data__azure__scopeMapName, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9-]{5,50}$'].search(data__azure__scopeMapName):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.scopeMapName must match pattern ^[A-Za-z0-9-]{5,50}$", value=data__azure__scopeMapName, name="" + (name_prefix or "data") + ".azure.scopeMapName", definition={'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, rule='pattern')
                if "passwordExpiryDays" in data__azure_keys:
                    data__azure_keys.remove("passwordExpiryDays")
                    data__azure__passwordExpiryDays = data__azure["passwordExpiryDays"]
                    if not isinstance(data__azure__passwordExpiryDays, (int)) and not (isinstance(data__azure__passwordExpiryDays, float) and data__azure__passwordExpiryDays.is_integer()) or isinstance(data__azure__passwordExpiryDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.passwordExpiryDays must be integer", value=data__azure__passwordExpiryDays, name="" + (name_prefix or "data") + ".azure.passwordExpiryDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='type')
                    if isinstance(data__azure__passwordExpiryDays, (int, float, Decimal)) and not isinstance(data__azure__passwordExpiryDays, bool):
                        if data__azure__passwordExpiryDays < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.passwordExpiryDays must be bigger than or equal to 1", value=data__azure__passwordExpiryDays, name="" + (name_prefix or "data") + ".azure.passwordExpiryDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='minimum')
                        if data__azure__passwordExpiryDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.passwordExpiryDays must be smaller than or equal to 3650", value=data__azure__passwordExpiryDays, name="" + (name_prefix or "data") + ".azure.passwordExpiryDays", definition={'type': 'integer', 'minimum': 1, 'maximum': 3650}, rule='maximum')
                if "renewBeforeDays" in data__azure_keys:
                    data__azure_keys.remove("renewBeforeDays")
                    data__azure__renewBeforeDays = data__azure["renewBeforeDays"]
                    if not isinstance(data__azure__renewBeforeDays, (int)) and not (isinstance(data__azure__renewBeforeDays, float) and data__azure__renewBeforeDays.is_integer()) or isinstance(data__azure__renewBeforeDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.renewBeforeDays must be integer", value=data__azure__renewBeforeDays, name="" + (name_prefix or "data") + ".azure.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                    if isinstance(data__azure__renewBeforeDays, (int, float, Decimal)) and not isinstance(data__azure__renewBeforeDays, bool):
                        if data__azure__renewBeforeDays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.renewBeforeDays must be bigger than or equal to 0", value=data__azure__renewBeforeDays, name="" + (name_prefix or "data") + ".azure.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                        if data__azure__renewBeforeDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.renewBeforeDays must be smaller than or equal to 3650", value=data__azure__renewBeforeDays, name="" + (name_prefix or "data") + ".azure.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                if "authorityHost" in data__azure_keys:
                    data__azure_keys.remove("authorityHost")
                    data__azure__authorityHost = data__azure["authorityHost"]
                    if not isinstance(data__azure__authorityHost, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.authorityHost must be string", value=data__azure__authorityHost, name="" + (name_prefix or "data") + ".azure.authorityHost", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='type')
                    if isinstance(data__azure__authorityHost, str):
                        if not REGEX_PATTERNS['^https://[^/?#\\s]+/?$'].search(data__azure__authorityHost):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.authorityHost must match pattern ^https://[^/?#\\s]+/?$", value=data__azure__authorityHost, name="" + (name_prefix or "data") + ".azure.authorityHost", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='pattern')
                if "resourceManagerEndpoint" in data__azure_keys:
                    data__azure_keys.remove("resourceManagerEndpoint")
                    data__azure__resourceManagerEndpoint = data__azure["resourceManagerEndpoint"]
                    if not isinstance(data__azure__resourceManagerEndpoint, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.resourceManagerEndpoint must be string", value=data__azure__resourceManagerEndpoint, name="" + (name_prefix or "data") + ".azure.resourceManagerEndpoint", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='type')
                    if isinstance(data__azure__resourceManagerEndpoint, str):
                        if not REGEX_PATTERNS['^https://[^/?#\\s]+/?$'].search(data__azure__resourceManagerEndpoint):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.resourceManagerEndpoint must match pattern ^https://[^/?#\\s]+/?$", value=data__azure__resourceManagerEndpoint, name="" + (name_prefix or "data") + ".azure.resourceManagerEndpoint", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='pattern')
                if "oauth2Url" in data__azure_keys:
                    data__azure_keys.remove("oauth2Url")
                    data__azure__oauth2Url = data__azure["oauth2Url"]
                    if not isinstance(data__azure__oauth2Url, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.oauth2Url must be string", value=data__azure__oauth2Url, name="" + (name_prefix or "data") + ".azure.oauth2Url", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='type')
                    if isinstance(data__azure__oauth2Url, str):
                        if not REGEX_PATTERNS['^https://[^/?#\\s]+/?$'].search(data__azure__oauth2Url):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure.oauth2Url must match pattern ^https://[^/?#\\s]+/?$", value=data__azure__oauth2Url, name="" + (name_prefix or "data") + ".azure.oauth2Url", definition={'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, rule='pattern')
                if data__azure_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".azure must not contain "+str(data__azure_keys)+" properties", value=data__azure, name="" + (name_prefix or "data") + ".azure", definition={'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, rule='additionalProperties')
        if "dockerhub" in data_keys:
            data_keys.remove("dockerhub")
            data__dockerhub = data["dockerhub"]
            if not isinstance(data__dockerhub, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".dockerhub must be object", value=data__dockerhub, name="" + (name_prefix or "data") + ".dockerhub", definition={'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, rule='type')
            data__dockerhub_is_dict = isinstance(data__dockerhub, dict)
            if data__dockerhub_is_dict:
                data__dockerhub_keys = set(data__dockerhub.keys())
                if "authUrl" in data__dockerhub_keys:
                    data__dockerhub_keys.remove("authUrl")
                    data__dockerhub__authUrl = data__dockerhub["authUrl"]
                    if not isinstance(data__dockerhub__authUrl, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dockerhub.authUrl must be string", value=data__dockerhub__authUrl, name="" + (name_prefix or "data") + ".dockerhub.authUrl", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}, rule='type')
                    if isinstance(data__dockerhub__authUrl, str):
                        data__dockerhub__authUrl_len = len(data__dockerhub__authUrl)
                        if data__dockerhub__authUrl_len > 2048:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dockerhub.authUrl must be shorter than or equal to 2048 characters", value=data__dockerhub__authUrl, name="" + (name_prefix or "data") + ".dockerhub.authUrl", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}, rule='maxLength')
                        if not REGEX_PATTERNS['^https?://[^/?#\\s]+(/[^#\\s]*)?$'].search(data__dockerhub__authUrl):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dockerhub.authUrl must match pattern ^https?://[^/?#\\s]+(/[^#\\s]*)?$", value=data__dockerhub__authUrl, name="" + (name_prefix or "data") + ".dockerhub.authUrl", definition={'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}, rule='pattern')
                if data__dockerhub_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".dockerhub must not contain "+str(data__dockerhub_keys)+" properties", value=data__dockerhub, name="" + (name_prefix or "data") + ".dockerhub", definition={'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, rule='additionalProperties')
        if "harbor" in data_keys:
            data_keys.remove("harbor")
            data__harbor = data["harbor"]
            if not isinstance(data__harbor, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor must be object", value=data__harbor, name="" + (name_prefix or "data") + ".harbor", definition={'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, rule='type')
            data__harbor_is_dict = isinstance(data__harbor, dict)
            if data__harbor_is_dict:
                data__harbor_keys = set(data__harbor.keys())
                if "adminUsernameKey" in data__harbor_keys:
                    data__harbor_keys.remove("adminUsernameKey")
                    data__harbor__adminUsernameKey = data__harbor["adminUsernameKey"]
                    if not isinstance(data__harbor__adminUsernameKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminUsernameKey must be string", value=data__harbor__adminUsernameKey, name="" + (name_prefix or "data") + ".harbor.adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__harbor__adminUsernameKey, str):
                        data__harbor__adminUsernameKey_len = len(data__harbor__adminUsernameKey)
                        if data__harbor__adminUsernameKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminUsernameKey must be longer than or equal to 1 characters", value=data__harbor__adminUsernameKey, name="" + (name_prefix or "data") + ".harbor.adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__harbor__adminUsernameKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminUsernameKey must be shorter than or equal to 253 characters", value=data__harbor__adminUsernameKey, name="" + (name_prefix or "data") + ".harbor.adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "adminPasswordKey" in data__harbor_keys:
                    data__harbor_keys.remove("adminPasswordKey")
                    data__harbor__adminPasswordKey = data__harbor["adminPasswordKey"]
                    if not isinstance(data__harbor__adminPasswordKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminPasswordKey must be string", value=data__harbor__adminPasswordKey, name="" + (name_prefix or "data") + ".harbor.adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__harbor__adminPasswordKey, str):
                        data__harbor__adminPasswordKey_len = len(data__harbor__adminPasswordKey)
                        if data__harbor__adminPasswordKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminPasswordKey must be longer than or equal to 1 characters", value=data__harbor__adminPasswordKey, name="" + (name_prefix or "data") + ".harbor.adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__harbor__adminPasswordKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.adminPasswordKey must be shorter than or equal to 253 characters", value=data__harbor__adminPasswordKey, name="" + (name_prefix or "data") + ".harbor.adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "project" in data__harbor_keys:
                    data__harbor_keys.remove("project")
                    data__harbor__project = data__harbor["project"]
                    if not isinstance(data__harbor__project, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.project must be object", value=data__harbor__project, name="" + (name_prefix or "data") + ".harbor.project", definition={'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, rule='type')
                    data__harbor__project_is_dict = isinstance(data__harbor__project, dict)
                    if data__harbor__project_is_dict:
                        data__harbor__project_keys = set(data__harbor__project.keys())
                        if "public" in data__harbor__project_keys:
                            data__harbor__project_keys.remove("public")
                            data__harbor__project__public = data__harbor__project["public"]
                            if not isinstance(data__harbor__project__public, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.project.public must be boolean", value=data__harbor__project__public, name="" + (name_prefix or "data") + ".harbor.project.public", definition={'type': 'boolean'}, rule='type')
                        if data__harbor__project_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.project must not contain "+str(data__harbor__project_keys)+" properties", value=data__harbor__project, name="" + (name_prefix or "data") + ".harbor.project", definition={'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, rule='additionalProperties')
                if "robot" in data__harbor_keys:
                    data__harbor_keys.remove("robot")
                    data__harbor__robot = data__harbor["robot"]
                    if not isinstance(data__harbor__robot, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot must be object", value=data__harbor__robot, name="" + (name_prefix or "data") + ".harbor.robot", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}, rule='type')
                    data__harbor__robot_is_dict = isinstance(data__harbor__robot, dict)
                    if data__harbor__robot_is_dict:
                        data__harbor__robot_keys = set(data__harbor__robot.keys())
                        if "name" in data__harbor__robot_keys:
                            data__harbor__robot_keys.remove("name")
                            data__harbor__robot__name = data__harbor__robot["name"]
                            if not isinstance(data__harbor__robot__name, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.name must be string", value=data__harbor__robot__name, name="" + (name_prefix or "data") + ".harbor.robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='type')
                            if isinstance(data__harbor__robot__name, str):
                                data__harbor__robot__name_len = len(data__harbor__robot__name)
                                if data__harbor__robot__name_len > 64:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.name must be shorter than or equal to 64 characters", value=data__harbor__robot__name, name="" + (name_prefix or "data") + ".harbor.robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='maxLength')
                                if not REGEX_PATTERNS['^[a-z0-9]+([._-][a-z0-9]+)*$'].search(data__harbor__robot__name):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.name must match pattern ^[a-z0-9]+([._-][a-z0-9]+)*$", value=data__harbor__robot__name, name="" + (name_prefix or "data") + ".harbor.robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='pattern')
                        if "expiryDays" in data__harbor__robot_keys:
                            data__harbor__robot_keys.remove("expiryDays")
                            data__harbor__robot__expiryDays = data__harbor__robot["expiryDays"]
                            if not isinstance(data__harbor__robot__expiryDays, (int)) and not (isinstance(data__harbor__robot__expiryDays, float) and data__harbor__robot__expiryDays.is_integer()) or isinstance(data__harbor__robot__expiryDays, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.expiryDays must be integer", value=data__harbor__robot__expiryDays, name="" + (name_prefix or "data") + ".harbor.robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='type')
                            if isinstance(data__harbor__robot__expiryDays, (int, float, Decimal)) and not isinstance(data__harbor__robot__expiryDays, bool):
                                if data__harbor__robot__expiryDays < -1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.expiryDays must be bigger than or equal to -1", value=data__harbor__robot__expiryDays, name="" + (name_prefix or "data") + ".harbor.robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='minimum')
                                if data__harbor__robot__expiryDays > 3650:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.expiryDays must be smaller than or equal to 3650", value=data__harbor__robot__expiryDays, name="" + (name_prefix or "data") + ".harbor.robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='maximum')
                        if "warnDays" in data__harbor__robot_keys:
                            data__harbor__robot_keys.remove("warnDays")
                            data__harbor__robot__warnDays = data__harbor__robot["warnDays"]
                            if not isinstance(data__harbor__robot__warnDays, (int)) and not (isinstance(data__harbor__robot__warnDays, float) and data__harbor__robot__warnDays.is_integer()) or isinstance(data__harbor__robot__warnDays, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.warnDays must be integer", value=data__harbor__robot__warnDays, name="" + (name_prefix or "data") + ".harbor.robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                            if isinstance(data__harbor__robot__warnDays, (int, float, Decimal)) and not isinstance(data__harbor__robot__warnDays, bool):
                                if data__harbor__robot__warnDays < 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.warnDays must be bigger than or equal to 0", value=data__harbor__robot__warnDays, name="" + (name_prefix or "data") + ".harbor.robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                                if data__harbor__robot__warnDays > 3650:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.warnDays must be smaller than or equal to 3650", value=data__harbor__robot__warnDays, name="" + (name_prefix or "data") + ".harbor.robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                        if "renewBeforeDays" in data__harbor__robot_keys:
                            data__harbor__robot_keys.remove("renewBeforeDays")
                            data__harbor__robot__renewBeforeDays = data__harbor__robot["renewBeforeDays"]
                            if not isinstance(data__harbor__robot__renewBeforeDays, (int)) and not (isinstance(data__harbor__robot__renewBeforeDays, float) and data__harbor__robot__renewBeforeDays.is_integer()) or isinstance(data__harbor__robot__renewBeforeDays, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays must be integer", value=data__harbor__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                            if isinstance(data__harbor__robot__renewBeforeDays, (int, float, Decimal)) and not isinstance(data__harbor__robot__renewBeforeDays, bool):
                                if data__harbor__robot__renewBeforeDays < 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays must be bigger than or equal to 0", value=data__harbor__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                                if data__harbor__robot__renewBeforeDays > 3650:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays must be smaller than or equal to 3650", value=data__harbor__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".harbor.robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                        if data__harbor__robot_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor.robot must not contain "+str(data__harbor__robot_keys)+" properties", value=data__harbor__robot, name="" + (name_prefix or "data") + ".harbor.robot", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}, rule='additionalProperties')
                if data__harbor_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".harbor must not contain "+str(data__harbor_keys)+" properties", value=data__harbor, name="" + (name_prefix or "data") + ".harbor", definition={'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, rule='additionalProperties')
        if "ovh" in data_keys:
            data_keys.remove("ovh")
            data__ovh = data["ovh"]
            validate___definitions_registry_properties_harbor(data__ovh, custom_formats, (name_prefix or "data") + ".ovh")
        if "google" in data_keys:
            data_keys.remove("google")
            data__google = data["google"]
            if not isinstance(data__google, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".google must be object", value=data__google, name="" + (name_prefix or "data") + ".google", definition={'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}, rule='type')
            data__google_is_dict = isinstance(data__google, dict)
            if data__google_is_dict:
                data__google_keys = set(data__google.keys())
                if "auth" in data__google_keys:
                    data__google_keys.remove("auth")
                    data__google__auth = data__google["auth"]
                    if not (isinstance(data__google__auth, str) and data__google__auth == 'auto' or isinstance(data__google__auth, str) and data__google__auth == 'serviceAccountKey' or isinstance(data__google__auth, str) and data__google__auth == 'workloadIdentity'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.auth must be one of ['auto', 'serviceAccountKey', 'workloadIdentity']", value=data__google__auth, name="" + (name_prefix or "data") + ".google.auth", definition={'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, rule='enum')
                if "keyKey" in data__google_keys:
                    data__google_keys.remove("keyKey")
                    data__google__keyKey = data__google["keyKey"]
                    if not isinstance(data__google__keyKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyKey must be string", value=data__google__keyKey, name="" + (name_prefix or "data") + ".google.keyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__google__keyKey, str):
                        data__google__keyKey_len = len(data__google__keyKey)
                        if data__google__keyKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyKey must be longer than or equal to 1 characters", value=data__google__keyKey, name="" + (name_prefix or "data") + ".google.keyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__google__keyKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyKey must be shorter than or equal to 253 characters", value=data__google__keyKey, name="" + (name_prefix or "data") + ".google.keyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "login" in data__google_keys:
                    data__google_keys.remove("login")
                    data__google__login = data__google["login"]
                    if not (isinstance(data__google__login, str) and data__google__login == '_json_key' or isinstance(data__google__login, str) and data__google__login == '_json_key_base64'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.login must be one of ['_json_key', '_json_key_base64']", value=data__google__login, name="" + (name_prefix or "data") + ".google.login", definition={'enum': ['_json_key', '_json_key_base64']}, rule='enum')
                if "project" in data__google_keys:
                    data__google_keys.remove("project")
                    data__google__project = data__google["project"]
                    if not isinstance(data__google__project, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.project must be string", value=data__google__project, name="" + (name_prefix or "data") + ".google.project", definition={'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, rule='type')
                    if isinstance(data__google__project, str):
                        if not REGEX_PATTERNS['^[a-z][a-z0-9-]{4,28}[a-z0-9]$'].search(data__google__project):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.project must match pattern ^[a-z][a-z0-9-]{4,28}[a-z0-9]$", value=data__google__project, name="" + (name_prefix or "data") + ".google.project", definition={'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, rule='pattern')
                if "location" in data__google_keys:
                    data__google_keys.remove("location")
                    data__google__location = data__google["location"]
                    if not isinstance(data__google__location, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.location must be string", value=data__google__location, name="" + (name_prefix or "data") + ".google.location", definition={'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, rule='type')
                    if isinstance(data__google__location, str):
                        if not REGEX_PATTERNS['^[a-z]+(-[a-z]+[0-9]+)?$'].search(data__google__location):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.location must match pattern ^[a-z]+(-[a-z]+[0-9]+)?$", value=data__google__location, name="" + (name_prefix or "data") + ".google.location", definition={'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, rule='pattern')
                if "repository" in data__google_keys:
                    data__google_keys.remove("repository")
                    data__google__repository = data__google["repository"]
                    if not isinstance(data__google__repository, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.repository must be string", value=data__google__repository, name="" + (name_prefix or "data") + ".google.repository", definition={'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, rule='type')
                    if isinstance(data__google__repository, str):
                        if not REGEX_PATTERNS['^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'].search(data__google__repository):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.repository must match pattern ^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$", value=data__google__repository, name="" + (name_prefix or "data") + ".google.repository", definition={'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, rule='pattern')
                if "gcrHosted" in data__google_keys:
                    data__google_keys.remove("gcrHosted")
                    data__google__gcrHosted = data__google["gcrHosted"]
                    if not isinstance(data__google__gcrHosted, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.gcrHosted must be boolean", value=data__google__gcrHosted, name="" + (name_prefix or "data") + ".google.gcrHosted", definition={'type': 'boolean'}, rule='type')
                if "crossProjectKey" in data__google_keys:
                    data__google_keys.remove("crossProjectKey")
                    data__google__crossProjectKey = data__google["crossProjectKey"]
                    if not isinstance(data__google__crossProjectKey, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.crossProjectKey must be boolean", value=data__google__crossProjectKey, name="" + (name_prefix or "data") + ".google.crossProjectKey", definition={'type': 'boolean'}, rule='type')
                if "binderhubRegistryClass" in data__google_keys:
                    data__google_keys.remove("binderhubRegistryClass")
                    data__google__binderhubRegistryClass = data__google["binderhubRegistryClass"]
                    if not isinstance(data__google__binderhubRegistryClass, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.binderhubRegistryClass must be boolean", value=data__google__binderhubRegistryClass, name="" + (name_prefix or "data") + ".google.binderhubRegistryClass", definition={'type': 'boolean'}, rule='type')
                if "serviceAccount" in data__google_keys:
                    data__google_keys.remove("serviceAccount")
                    data__google__serviceAccount = data__google["serviceAccount"]
                    if not isinstance(data__google__serviceAccount, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.serviceAccount must be string", value=data__google__serviceAccount, name="" + (name_prefix or "data") + ".google.serviceAccount", definition={'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, rule='type')
                    if isinstance(data__google__serviceAccount, str):
                        if not REGEX_PATTERNS['^[a-z][a-z0-9-]{4,28}[a-z0-9]$'].search(data__google__serviceAccount):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.serviceAccount must match pattern ^[a-z][a-z0-9-]{4,28}[a-z0-9]$", value=data__google__serviceAccount, name="" + (name_prefix or "data") + ".google.serviceAccount", definition={'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, rule='pattern')
                if "createRepository" in data__google_keys:
                    data__google_keys.remove("createRepository")
                    data__google__createRepository = data__google["createRepository"]
                    if not isinstance(data__google__createRepository, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.createRepository must be boolean", value=data__google__createRepository, name="" + (name_prefix or "data") + ".google.createRepository", definition={'type': 'boolean'}, rule='type')
                if "adminKeyKey" in data__google_keys:
                    data__google_keys.remove("adminKeyKey")
                    data__google__adminKeyKey = data__google["adminKeyKey"]
                    if not isinstance(data__google__adminKeyKey, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.adminKeyKey must be string", value=data__google__adminKeyKey, name="" + (name_prefix or "data") + ".google.adminKeyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
                    if isinstance(data__google__adminKeyKey, str):
                        data__google__adminKeyKey_len = len(data__google__adminKeyKey)
                        if data__google__adminKeyKey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.adminKeyKey must be longer than or equal to 1 characters", value=data__google__adminKeyKey, name="" + (name_prefix or "data") + ".google.adminKeyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                        if data__google__adminKeyKey_len > 253:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.adminKeyKey must be shorter than or equal to 253 characters", value=data__google__adminKeyKey, name="" + (name_prefix or "data") + ".google.adminKeyKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
                if "keyRotationDays" in data__google_keys:
                    data__google_keys.remove("keyRotationDays")
                    data__google__keyRotationDays = data__google["keyRotationDays"]
                    if not isinstance(data__google__keyRotationDays, (int)) and not (isinstance(data__google__keyRotationDays, float) and data__google__keyRotationDays.is_integer()) or isinstance(data__google__keyRotationDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyRotationDays must be integer", value=data__google__keyRotationDays, name="" + (name_prefix or "data") + ".google.keyRotationDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                    if isinstance(data__google__keyRotationDays, (int, float, Decimal)) and not isinstance(data__google__keyRotationDays, bool):
                        if data__google__keyRotationDays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyRotationDays must be bigger than or equal to 0", value=data__google__keyRotationDays, name="" + (name_prefix or "data") + ".google.keyRotationDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                        if data__google__keyRotationDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.keyRotationDays must be smaller than or equal to 3650", value=data__google__keyRotationDays, name="" + (name_prefix or "data") + ".google.keyRotationDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                if "renewBeforeDays" in data__google_keys:
                    data__google_keys.remove("renewBeforeDays")
                    data__google__renewBeforeDays = data__google["renewBeforeDays"]
                    if not isinstance(data__google__renewBeforeDays, (int)) and not (isinstance(data__google__renewBeforeDays, float) and data__google__renewBeforeDays.is_integer()) or isinstance(data__google__renewBeforeDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.renewBeforeDays must be integer", value=data__google__renewBeforeDays, name="" + (name_prefix or "data") + ".google.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                    if isinstance(data__google__renewBeforeDays, (int, float, Decimal)) and not isinstance(data__google__renewBeforeDays, bool):
                        if data__google__renewBeforeDays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.renewBeforeDays must be bigger than or equal to 0", value=data__google__renewBeforeDays, name="" + (name_prefix or "data") + ".google.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                        if data__google__renewBeforeDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.renewBeforeDays must be smaller than or equal to 3650", value=data__google__renewBeforeDays, name="" + (name_prefix or "data") + ".google.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                if "endpoints" in data__google_keys:
                    data__google_keys.remove("endpoints")
                    data__google__endpoints = data__google["endpoints"]
                    if not isinstance(data__google__endpoints, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints must be object", value=data__google__endpoints, name="" + (name_prefix or "data") + ".google.endpoints", definition={'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}, rule='type')
                    data__google__endpoints_is_dict = isinstance(data__google__endpoints, dict)
                    if data__google__endpoints_is_dict:
                        data__google__endpoints_keys = set(data__google__endpoints.keys())
                        if "iam" in data__google__endpoints_keys:
                            data__google__endpoints_keys.remove("iam")
                            data__google__endpoints__iam = data__google__endpoints["iam"]
                            if not isinstance(data__google__endpoints__iam, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints.iam must be string", value=data__google__endpoints__iam, name="" + (name_prefix or "data") + ".google.endpoints.iam", definition={'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, rule='type')
                            if isinstance(data__google__endpoints__iam, str):
                                if not REGEX_PATTERNS['^https?://[^/?#\\s]+$'].search(data__google__endpoints__iam):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints.iam must match pattern ^https?://[^/?#\\s]+$", value=data__google__endpoints__iam, name="" + (name_prefix or "data") + ".google.endpoints.iam", definition={'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, rule='pattern')
                        if "artifactRegistry" in data__google__endpoints_keys:
                            data__google__endpoints_keys.remove("artifactRegistry")
                            data__google__endpoints__artifactRegistry = data__google__endpoints["artifactRegistry"]
                            if not isinstance(data__google__endpoints__artifactRegistry, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints.artifactRegistry must be string", value=data__google__endpoints__artifactRegistry, name="" + (name_prefix or "data") + ".google.endpoints.artifactRegistry", definition={'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, rule='type')
                            if isinstance(data__google__endpoints__artifactRegistry, str):
                                if not REGEX_PATTERNS['^https?://[^/?#\\s]+$'].search(data__google__endpoints__artifactRegistry):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints.artifactRegistry must match pattern ^https?://[^/?#\\s]+$", value=data__google__endpoints__artifactRegistry, name="" + (name_prefix or "data") + ".google.endpoints.artifactRegistry", definition={'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, rule='pattern')
                        if data__google__endpoints_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".google.endpoints must not contain "+str(data__google__endpoints_keys)+" properties", value=data__google__endpoints, name="" + (name_prefix or "data") + ".google.endpoints", definition={'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}, rule='additionalProperties')
                if data__google_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".google must not contain "+str(data__google_keys)+" properties", value=data__google, name="" + (name_prefix or "data") + ".google", definition={'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}, rule='additionalProperties')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}], 'definitions': {'name': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'registry': {'type': 'object', 'additionalProperties': False, 'required': ['type', 'imagePrefix'], 'properties': {'type': {'enum': ['generic', 'dockerhub', 'google', 'azure', 'harbor', 'ovh', 'ecr']}, 'url': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[^?#\\s]*)?$'}, 'imagePrefix': {'type': 'string', 'minLength': 3, 'maxLength': 255}, 'mode': {'enum': ['validate', 'provision']}, 'tls': {'type': 'object', 'additionalProperties': False, 'properties': {'caBundle': {'type': 'string', 'maxLength': 65536}}}, 'credentials': {'type': 'object', 'additionalProperties': False, 'properties': {'existingSecret': {'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, 'usernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'passwordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}}}, 'probe': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'push': {'type': 'boolean'}, 'pull': {'type': 'boolean'}}}, 'timeouts': {'type': 'object', 'additionalProperties': False, 'properties': {'connect': {'type': 'number', 'minimum': 0.1, 'maximum': 120}, 'read': {'type': 'number', 'minimum': 0.1, 'maximum': 600}, 'retryFor': {'type': 'number', 'minimum': 0, 'maximum': 900}, 'total': {'type': 'number', 'minimum': 1, 'maximum': 3600}}}, 'ecr': {'type': 'object', 'additionalProperties': False, 'required': ['region'], 'properties': {'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'}, 'accountId': {'type': 'string', 'pattern': '^[0-9]{12}$'}, 'roleArn': {'type': 'string', 'pattern': '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$'}, 'repositoryCreationTemplate': {'type': 'object', 'additionalProperties': False, 'properties': {'enabled': {'type': 'boolean'}, 'prefix': {'type': 'string', 'maxLength': 256, 'pattern': '^(ROOT|[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*)$'}, 'description': {'type': 'string', 'maxLength': 256}, 'lifecycle': {'type': 'object', 'additionalProperties': False, 'required': ['expireAfterDays'], 'properties': {'expireAfterDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'since': {'enum': ['pulled', 'pushed']}}}, 'tags': {'type': 'object', 'maxProperties': 50, 'propertyNames': {'maxLength': 128}, 'additionalProperties': {'type': 'string', 'maxLength': 256}}}}, 'repositories': {'type': 'array', 'maxItems': 100, 'uniqueItems': True, 'items': {'type': 'string', 'maxLength': 256, 'pattern': '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$'}}}}, 'azure': {'type': 'object', 'additionalProperties': False, 'required': ['registryName'], 'properties': {'registryName': {'type': 'string', 'pattern': '^[A-Za-z0-9]{5,50}$'}, 'auth': {'enum': ['servicePrincipal', 'workloadIdentity', 'acrToken']}, 'dockerLogin': {'enum': ['clientSecret', 'refreshToken']}, 'tenantId': {'type': 'string', 'pattern': '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$'}, 'clientId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'clientIdKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'clientSecretKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'federatedTokenFile': {'type': 'string', 'maxLength': 4096}, 'subscriptionId': {'type': 'string', 'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'}, 'resourceGroup': {'type': 'string', 'pattern': '^[-\\w._()]{1,90}$'}, 'tokenName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'scopeMapName': {'type': 'string', 'pattern': '^[A-Za-z0-9-]{5,50}$'}, 'passwordExpiryDays': {'type': 'integer', 'minimum': 1, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'authorityHost': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'resourceManagerEndpoint': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}, 'oauth2Url': {'type': 'string', 'pattern': '^https://[^/?#\\s]+/?$'}}}, 'dockerhub': {'type': 'object', 'additionalProperties': False, 'properties': {'authUrl': {'type': 'string', 'maxLength': 2048, 'pattern': '^https?://[^/?#\\s]+(/[^#\\s]*)?$'}}}, 'harbor': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'ovh': {'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, 'google': {'type': 'object', 'additionalProperties': False, 'properties': {'auth': {'enum': ['auto', 'serviceAccountKey', 'workloadIdentity']}, 'keyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'login': {'enum': ['_json_key', '_json_key_base64']}, 'project': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'location': {'type': 'string', 'pattern': '^[a-z]+(-[a-z]+[0-9]+)?$'}, 'repository': {'type': 'string', 'pattern': '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$'}, 'gcrHosted': {'type': 'boolean'}, 'crossProjectKey': {'type': 'boolean'}, 'binderhubRegistryClass': {'type': 'boolean'}, 'serviceAccount': {'type': 'string', 'pattern': '^[a-z][a-z0-9-]{4,28}[a-z0-9]$'}, 'createRepository': {'type': 'boolean'}, 'adminKeyKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'keyRotationDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'endpoints': {'type': 'object', 'additionalProperties': False, 'properties': {'iam': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}, 'artifactRegistry': {'type': 'string', 'pattern': '^https?://[^/?#\\s]+$'}}}}}}, 'allOf': [{'if': {'properties': {'type': {'const': 'azure'}}, 'required': ['type']}, 'then': {'required': ['azure']}}, {'if': {'properties': {'type': {'const': 'azure'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'azure': {'required': ['subscriptionId', 'resourceGroup'], 'properties': {'auth': {'enum': ['servicePrincipal', 'workloadIdentity']}}}}}}, {'if': {'properties': {'type': {'const': 'ecr'}}, 'required': ['type']}, 'then': {'required': ['ecr']}}, {'if': {'properties': {'type': {'enum': ['generic', 'harbor', 'ovh']}}, 'required': ['type']}, 'then': {'required': ['url']}}, {'if': {'properties': {'type': {'const': 'google'}, 'mode': {'const': 'provision'}}, 'required': ['type', 'mode']}, 'then': {'properties': {'google': {'properties': {'auth': {'enum': ['auto', 'serviceAccountKey']}}}}}}, {'if': {'properties': {'google': {'properties': {'binderhubRegistryClass': {'const': True}}, 'required': ['binderhubRegistryClass']}}, 'required': ['google']}, 'then': {'properties': {'google': {'required': ['auth'], 'properties': {'auth': {'enum': ['workloadIdentity']}}}}}}, {'if': {'required': ['google']}, 'then': {'properties': {'type': {'enum': ['google']}}}}, {'if': {'required': ['dockerhub']}, 'then': {'properties': {'type': {'enum': ['dockerhub']}}}}, {'if': {'required': ['harbor']}, 'then': {'properties': {'type': {'enum': ['harbor']}}}}, {'if': {'required': ['ovh']}, 'then': {'properties': {'type': {'enum': ['ovh']}}}}]}}}, rule='additionalProperties')
    return data

def validate___definitions_registry_properties_harbor(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "adminUsernameKey" in data_keys:
            data_keys.remove("adminUsernameKey")
            data__adminUsernameKey = data["adminUsernameKey"]
            if not isinstance(data__adminUsernameKey, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminUsernameKey must be string", value=data__adminUsernameKey, name="" + (name_prefix or "data") + ".adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
            if isinstance(data__adminUsernameKey, str):
                data__adminUsernameKey_len = len(data__adminUsernameKey)
                if data__adminUsernameKey_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminUsernameKey must be longer than or equal to 1 characters", value=data__adminUsernameKey, name="" + (name_prefix or "data") + ".adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                if data__adminUsernameKey_len > 253:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminUsernameKey must be shorter than or equal to 253 characters", value=data__adminUsernameKey, name="" + (name_prefix or "data") + ".adminUsernameKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
        if "adminPasswordKey" in data_keys:
            data_keys.remove("adminPasswordKey")
            data__adminPasswordKey = data["adminPasswordKey"]
            if not isinstance(data__adminPasswordKey, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminPasswordKey must be string", value=data__adminPasswordKey, name="" + (name_prefix or "data") + ".adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='type')
            if isinstance(data__adminPasswordKey, str):
                data__adminPasswordKey_len = len(data__adminPasswordKey)
                if data__adminPasswordKey_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminPasswordKey must be longer than or equal to 1 characters", value=data__adminPasswordKey, name="" + (name_prefix or "data") + ".adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='minLength')
                if data__adminPasswordKey_len > 253:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".adminPasswordKey must be shorter than or equal to 253 characters", value=data__adminPasswordKey, name="" + (name_prefix or "data") + ".adminPasswordKey", definition={'type': 'string', 'minLength': 1, 'maxLength': 253}, rule='maxLength')
        if "project" in data_keys:
            data_keys.remove("project")
            data__project = data["project"]
            if not isinstance(data__project, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".project must be object", value=data__project, name="" + (name_prefix or "data") + ".project", definition={'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, rule='type')
            data__project_is_dict = isinstance(data__project, dict)
            if data__project_is_dict:
                data__project_keys = set(data__project.keys())
                if "public" in data__project_keys:
                    data__project_keys.remove("public")
                    data__project__public = data__project["public"]
                    if not isinstance(data__project__public, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".project.public must be boolean", value=data__project__public, name="" + (name_prefix or "data") + ".project.public", definition={'type': 'boolean'}, rule='type')
                if data__project_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".project must not contain "+str(data__project_keys)+" properties", value=data__project, name="" + (name_prefix or "data") + ".project", definition={'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, rule='additionalProperties')
        if "robot" in data_keys:
            data_keys.remove("robot")
            data__robot = data["robot"]
            if not isinstance(data__robot, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot must be object", value=data__robot, name="" + (name_prefix or "data") + ".robot", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}, rule='type')
            data__robot_is_dict = isinstance(data__robot, dict)
            if data__robot_is_dict:
                data__robot_keys = set(data__robot.keys())
                if "name" in data__robot_keys:
                    data__robot_keys.remove("name")
                    data__robot__name = data__robot["name"]
                    if not isinstance(data__robot__name, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.name must be string", value=data__robot__name, name="" + (name_prefix or "data") + ".robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='type')
                    if isinstance(data__robot__name, str):
                        data__robot__name_len = len(data__robot__name)
                        if data__robot__name_len > 64:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.name must be shorter than or equal to 64 characters", value=data__robot__name, name="" + (name_prefix or "data") + ".robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='maxLength')
                        if not REGEX_PATTERNS['^[a-z0-9]+([._-][a-z0-9]+)*$'].search(data__robot__name):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.name must match pattern ^[a-z0-9]+([._-][a-z0-9]+)*$", value=data__robot__name, name="" + (name_prefix or "data") + ".robot.name", definition={'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, rule='pattern')
                if "expiryDays" in data__robot_keys:
                    data__robot_keys.remove("expiryDays")
                    data__robot__expiryDays = data__robot["expiryDays"]
                    if not isinstance(data__robot__expiryDays, (int)) and not (isinstance(data__robot__expiryDays, float) and data__robot__expiryDays.is_integer()) or isinstance(data__robot__expiryDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.expiryDays must be integer", value=data__robot__expiryDays, name="" + (name_prefix or "data") + ".robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='type')
                    if isinstance(data__robot__expiryDays, (int, float, Decimal)) and not isinstance(data__robot__expiryDays, bool):
                        if data__robot__expiryDays < -1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.expiryDays must be bigger than or equal to -1", value=data__robot__expiryDays, name="" + (name_prefix or "data") + ".robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='minimum')
                        if data__robot__expiryDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.expiryDays must be smaller than or equal to 3650", value=data__robot__expiryDays, name="" + (name_prefix or "data") + ".robot.expiryDays", definition={'type': 'integer', 'minimum': -1, 'maximum': 3650}, rule='maximum')
                if "warnDays" in data__robot_keys:
                    data__robot_keys.remove("warnDays")
                    data__robot__warnDays = data__robot["warnDays"]
                    if not isinstance(data__robot__warnDays, (int)) and not (isinstance(data__robot__warnDays, float) and data__robot__warnDays.is_integer()) or isinstance(data__robot__warnDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.warnDays must be integer", value=data__robot__warnDays, name="" + (name_prefix or "data") + ".robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                    if isinstance(data__robot__warnDays, (int, float, Decimal)) and not isinstance(data__robot__warnDays, bool):
                        if data__robot__warnDays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.warnDays must be bigger than or equal to 0", value=data__robot__warnDays, name="" + (name_prefix or "data") + ".robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                        if data__robot__warnDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.warnDays must be smaller than or equal to 3650", value=data__robot__warnDays, name="" + (name_prefix or "data") + ".robot.warnDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                if "renewBeforeDays" in data__robot_keys:
                    data__robot_keys.remove("renewBeforeDays")
                    data__robot__renewBeforeDays = data__robot["renewBeforeDays"]
                    if not isinstance(data__robot__renewBeforeDays, (int)) and not (isinstance(data__robot__renewBeforeDays, float) and data__robot__renewBeforeDays.is_integer()) or isinstance(data__robot__renewBeforeDays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.renewBeforeDays must be integer", value=data__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='type')
                    if isinstance(data__robot__renewBeforeDays, (int, float, Decimal)) and not isinstance(data__robot__renewBeforeDays, bool):
                        if data__robot__renewBeforeDays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.renewBeforeDays must be bigger than or equal to 0", value=data__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='minimum')
                        if data__robot__renewBeforeDays > 3650:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot.renewBeforeDays must be smaller than or equal to 3650", value=data__robot__renewBeforeDays, name="" + (name_prefix or "data") + ".robot.renewBeforeDays", definition={'type': 'integer', 'minimum': 0, 'maximum': 3650}, rule='maximum')
                if data__robot_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".robot must not contain "+str(data__robot_keys)+" properties", value=data__robot, name="" + (name_prefix or "data") + ".robot", definition={'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}, rule='additionalProperties')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'adminUsernameKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'adminPasswordKey': {'type': 'string', 'minLength': 1, 'maxLength': 253}, 'project': {'type': 'object', 'additionalProperties': False, 'properties': {'public': {'type': 'boolean'}}}, 'robot': {'type': 'object', 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9]+([._-][a-z0-9]+)*$', 'maxLength': 64}, 'expiryDays': {'type': 'integer', 'minimum': -1, 'maximum': 3650}, 'warnDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}, 'renewBeforeDays': {'type': 'integer', 'minimum': 0, 'maximum': 3650}}}}}, rule='additionalProperties')
    return data

def validate___definitions_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, rule='type')
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 253:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be shorter than or equal to 253 characters", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, rule='maxLength')
        if not REGEX_PATTERNS['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'maxLength': 253}, rule='pattern')
    return data