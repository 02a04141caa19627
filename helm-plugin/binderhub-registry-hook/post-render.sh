#!/bin/sh
# Runs `binderhub-registry-hook post-render` with Helm's arguments.  The hook is found
# on PATH, or at $BINDERHUB_REGISTRY_HOOK (e.g. a venv's bin/binderhub-registry-hook).
# Credentials come from the environment (REGISTRY_USERNAME, REGISTRY_PASSWORD, ...) or
# from --credentials FILE, never from arguments.
exec "${BINDERHUB_REGISTRY_HOOK:-binderhub-registry-hook}" post-render "$@"
