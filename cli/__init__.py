"""Command-line subcommands. Each module has ``add_parsers(subparsers)``, which registers
its commands with ``func=run_...`` defaults; the handler gets ``(args, ctx)`` and returns the
exit status. None of them imports textual."""
