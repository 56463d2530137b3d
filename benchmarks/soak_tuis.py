"""The real TUIs of benchmarks/soak.py (``--tuis N``): Rapports in tmux sessions on the soak's
database, pressed keys now and then while the simulated users work, then checked: alive,
showing a screen, no traceback or crash report."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

# ---------------------------------------------------------------------------------------
TUI_KEYS = ["Down", "Down", "Up", "PageDown", "Home", "F3", "Down", "F2", "F5", "F2"]


def start_tuis(count: int, url: str, today) -> list[str]:
    if not count or not shutil.which("tmux"):
        return []
    rapport = str(Path(sys.executable).with_name("rapport"))
    sessions = []
    for n in range(count):
        name = f"t18soak{n}"
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        env = f"RAPPORT_CONFIG=/nonexistent USER=soaktui{n} LOGNAME=soaktui{n}"
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "120",
                "-y",
                "40",
                f"env {env} {rapport} --database '{url}' --today {today}",
            ],
            check=True,
        )
        sessions.append(name)
    return sessions


def poke_tuis(sessions: list[str], rng: random.Random) -> None:
    for name in sessions:
        subprocess.run(["tmux", "send-keys", "-t", name, rng.choice(TUI_KEYS)], capture_output=True)


def check_tuis(sessions: list[str]) -> list[str]:
    problems = []
    for name in sessions:
        shown = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True)
        if shown.returncode != 0:
            problems.append(f"{name}: the TUI is gone")
        elif not shown.stdout.strip():
            problems.append(f"{name}: the TUI shows nothing")
        elif "Traceback" in shown.stdout or "crash report" in shown.stdout.lower():
            problems.append(f"{name}: shows an error:\n{shown.stdout}")
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], capture_output=True)
    time.sleep(2)
    for name in sessions:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    return problems
