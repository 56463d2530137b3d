"""Speed budgets of docs/performance.md, measured on the reference data.

    python benchmarks/run.py            # full run: 10,000 customers, 1,000,000 conversations
    python benchmarks/run.py --quick    # a smaller data set, for a quick look
    python benchmarks/run.py --json     # a JSON list of {"name", "target_ms", "median_ms", "ok", "backend"}
    python benchmarks/run.py --database postgresql://postgres@127.0.0.1/rapport_bench
                                        # the same on PostgreSQL (benchmarks/backends.py)

The reference database is built once and cached in benchmarks/.cache/ (rebuild with
--rebuild). Every budget is measured several times; the median is reported. This is not part
of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.harness import ROOT, Result, compile_project, python, run_process  # noqa: E402

CACHE = HERE / ".cache"
TODAY = dt.date(2026, 11, 27)
SIZES = {
    "full": {"customers": 10_000, "conversations": 1_000_000, "big": 10_000},
    "quick": {"customers": 1_000, "conversations": 100_000, "big": 2_000},
}
BIG_CUSTOMER_NUMBER_HINT = "big"  # the generator's big customer is found by conversation count


def database_url(size: str) -> str:
    return "sqlite:///" + str(CACHE / f"reference-{size}.db")


def build_reference(size: str, rebuild: bool, log, database: str | None = None) -> str:
    """Build (once) and return the URL of the reference database of this size."""
    from benchmarks import backends

    if database and backends.backend(database) == "postgresql":
        return backends.postgres_reference(
            database, size, SIZES[size], 1, TODAY, rebuild, lambda url: generate_reference(url, size, log), log
        )
    path = CACHE / f"reference-{size}.db"
    url = database_url(size)
    if path.exists() and not rebuild:
        return url
    CACHE.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    generate_reference(url, size, log)
    log(f"built in {time.perf_counter() - start:.1f} s")
    return url


def generate_reference(url: str, size: str, log) -> None:
    from storage.context import Context
    from storage.db.database import close_database, open_database
    from storage.sample import demo

    n = SIZES[size]
    log(
        f"building reference data ({n['customers']:,} customers, {n['conversations']:,} conversations, "
        f"one customer with {n['big']:,}) ..."
    )
    open_database(url)
    ctx = Context(url=url, today_override=TODAY, login="bench")
    summary = demo.generate(
        ctx, customers=n["customers"], conversations=n["conversations"], seed=1, big_customer_conversations=n["big"]
    )
    close_database()
    log(str(summary))


# ---------------------------------------------------------------------------------------
# Start-up
# ---------------------------------------------------------------------------------------
def startup_ms(kind: str, url: str) -> float:
    import subprocess

    args = [python(), str(HERE / "startup_child.py"), kind] + ([url] if kind == "rapport" else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_T0": repr(time.time())}
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return float(out.stderr.strip().splitlines()[-1])


def bench_startup(url: str, repeat: int, today=None) -> list[Result]:
    """start-up: Rapport's first frame beside an empty Textual app's"""
    empty = Result("start: empty Textual app to first frame", None)
    rapport = Result("start: Rapport to first frame", None)
    for _ in range(repeat):  # interleaved, so both see the same machine state
        empty.samples_ms.append(startup_ms("empty", url))
        rapport.samples_ms.append(startup_ms("rapport", url))
    extra = Result("start: added over an empty app", 150)
    extra.samples_ms = [r - e for r, e in zip(rapport.samples_ms, empty.samples_ms, strict=True)]
    return [empty, rapport, extra]


# ---------------------------------------------------------------------------------------
# Command-line reports as whole processes
# ---------------------------------------------------------------------------------------
def bench_cli(url: str, repeat: int, today=None) -> list[Result]:
    """process: rapport followups --all --json and pipeline --json as whole processes.

    Each beside beside a bare ``python -c "import peewee"`` run just before it
    (docs/performance.md: at most 400 ms more than that)."""
    baseline = Result('process: python -c "import peewee"', None)
    results = [baseline]
    for name, args in (
        ("process: rapport followups --all --json", ["followups", "--all", "--json"]),
        ("process: rapport pipeline --json", ["pipeline", "--json"]),
    ):
        cmd = [python(), "-m", "tui", "--database", url, "--today", TODAY.isoformat(), *args]
        whole = Result(name, None)
        extra = Result(f"{name.split(': ', 1)[1]}: added over import peewee", 400)
        for _ in range(repeat):
            base = run_process([python(), "-c", "import peewee"])
            baseline.samples_ms.append(base)
            whole.samples_ms.append(run_process(cmd))
            extra.samples_ms.append(whole.samples_ms[-1] - base)
        results += [whole, extra]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller data set")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached reference data")
    parser.add_argument("--repeat", type=int, default=None, help="samples per budget")
    parser.add_argument(
        "--only",
        default=None,
        metavar="WORDS",
        help="only the steps whose name contains one of these comma-separated words (e.g. search,start,process)",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="postgresql://… to build and measure there (default: SQLite in benchmarks/.cache)",
    )
    args = parser.parse_args(argv)
    size = "quick" if args.quick else "full"
    repeat = args.repeat or (5 if args.quick else 7)
    log = (lambda msg: print(msg, file=sys.stderr)) if args.json else print

    url = build_reference(size, args.rebuild, log, args.database)
    from benchmarks import scenarios
    from benchmarks.backends import backend

    steps = [*scenarios.STEPS, bench_startup, bench_cli]
    if args.only:
        words = args.only.split(",")
        steps = [s for s in steps if any(w in (s.__name__ + " " + (s.__doc__ or "")).lower() for w in words)]
    compile_project()  # whole processes are timed as an installed Rapport runs them
    results: list[Result] = []
    for step in steps:
        log(f"measuring: {(step.__doc__ or step.__name__).strip().splitlines()[0]}")
        found = step(url, repeat, TODAY)
        for r in found:  # as they come, so a step that fails later loses nothing measured
            log(f"  {r.name}: {r.median_ms:.1f}" + ("" if r.ok is None else " ok" if r.ok else " OVER"))
        results.extend(found)

    if args.json:
        json.dump([{**r.as_json(), "backend": backend(url)} for r in results], sys.stdout, indent=2)
        print()
    else:
        print(
            f"\n{platform.node()} · {platform.processor() or platform.machine()} · "
            f"{os.cpu_count()} cores · Python {platform.python_version()} · {dt.date.today()} · {size} data"
            f" · {backend(url)}\n"
        )
        print(f"{'budget':58} {'target':>9} {'median':>10}  verdict")
        for r in results:
            unit = " MB" if r.name.startswith("peak memory") else " ms"
            target = f"{r.target_ms:.0f}{unit}" if r.target_ms is not None else "-"
            median = f"{r.median_ms:.1f}{unit}"
            verdict = {True: "ok", False: "OVER", None: ""}[r.ok]
            print(f"{r.name:58} {target:>9} {median:>10}  {verdict}")
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
