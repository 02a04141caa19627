from binderhub_registry_hook.cli import run

run()
