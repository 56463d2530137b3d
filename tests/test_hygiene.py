"""Import hygiene (STYLE pattern 10) and the README/CI contract."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_storage_never_imports_textual_or_rich():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & {"textual", "rich"})
        for path in (ROOT / "storage").rglob("*.py")
        if imported_modules(path) & {"textual", "rich"}
    }
    assert offenders == {}


def test_command_line_reports_do_not_load_textual():
    code = (
        "import sys; from cli.main import build_parser; build_parser(); "
        "import cli.reports, cli.pipeline, cli.data, cli.calendar; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    command = [line for line in ci.splitlines() if "pytest" in line][-1].strip()
    assert command in (ROOT / "README.md").read_text()
