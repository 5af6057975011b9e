"""The single binary's entry point: the `opstui` command, as `python -m opstui` runs it."""

from opstui.cli import main

raise SystemExit(main())
