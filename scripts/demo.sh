#!/usr/bin/env bash
# Set everything up (idempotent), then run the hook's main job on a local default:
# a real registry with authentication, real Helm 3 and 4 with the post-renderer, a
# real skopeo push with the config.json the hook wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python scripts/demo.py
