from hook.cli import main

raise SystemExit(main())
