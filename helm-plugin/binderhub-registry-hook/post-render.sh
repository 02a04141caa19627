#!/bin/sh
# Runs `binderhub-registry-hook post-render` with Helm's arguments.  The hook is found
# on PATH, or at $BINDERHUB_REGISTRY_HOOK (e.g. a venv's bin/binderhub-registry-hook).
# Credentials come from the environment (REGISTRY_USERNAME, REGISTRY_PASSWORD, ...) or
# from --credentials FILE, never from arguments.
#
# Helm 4.1 collects a post-renderer plugin's stderr and never shows it (only "plugin
# exited with error"), which would hide the one line that says what to fix.  Under a
# Helm 4 plugin run, tell the hook Helm's pid (this script's parent): it writes its
# stderr to Helm's own at exit (binderhub_registry_hook/helmstderr.py says how).
if [ -n "${HELM_PLUGIN_NAME:-}" ]; then
  BINDERHUB_REGISTRY_HOOK_STDERR_PID=$PPID
  export BINDERHUB_REGISTRY_HOOK_STDERR_PID
fi
exec "${BINDERHUB_REGISTRY_HOOK:-binderhub-registry-hook}" post-render "$@"
