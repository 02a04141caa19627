from binderhub_registry_hook.cli import main

raise SystemExit(main())
