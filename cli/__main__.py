"""``python -m cli``: the same as the ``rapport`` command."""

from cli.main import main

raise SystemExit(main())
