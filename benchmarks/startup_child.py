"""Child process for the start-up benchmark: starts an app headless at 120x40 and prints, in
ms, the time from BENCH_T0 (the parent's wall clock just before it spawned this process) to
the first frame rendered to terminal output; then it exits.

    python benchmarks/startup_child.py empty
    python benchmarks/startup_child.py rapport DATABASE_URL
"""

from __future__ import annotations

import os
import sys
import time


def exit_after_first_frame(app) -> None:
    from textual._compositor import CompositorUpdate

    original = app._display
    t0 = float(os.environ["BENCH_T0"])
    done = []

    def display(screen, renderable):
        original(screen, renderable)
        if isinstance(renderable, CompositorUpdate) and not done:
            renderable.render_segments(app.console)
            done.append((time.time() - t0) * 1000)
            print(f"{done[0]:.2f}", file=sys.__stderr__, flush=True)
            app.set_timer(0.2, app.exit)

    app._display = display


def main() -> None:
    kind = sys.argv[1]
    if kind == "empty":
        from textual.app import App

        app = App()
        exit_after_first_frame(app)
        app.run(headless=True, size=(120, 40))
        return
    # Rapport starts as the `rapport` command does (its entry point is cli.main:main); only
    # the final app.run is headless at 120x40.
    from cli import main as cli

    def run_tui(ctx) -> int:
        from tui.app import RapportApp

        app = RapportApp(ctx)
        exit_after_first_frame(app)
        app.run(headless=True, size=(120, 40))
        return 0

    cli.run_tui = run_tui
    cli._terminal_missing = lambda: None  # headless on purpose: no terminal needed
    cli.main(["--database", sys.argv[2]])


if __name__ == "__main__":
    main()
