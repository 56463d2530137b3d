"""``rapport pipeline`` (docs/reports.md#pipeline, README.md#command-line): a readable summary, the README.md#command-line JSON with ``--format json``
(or ``--json``), or ``metric,value`` CSV rows with ``--format csv``.

The numbers come from ``storage.reporting.pipeline``, the same functions the dashboard uses.
"""

from __future__ import annotations

import argparse

from cli.common import add_command, add_format, add_period, print_csv, print_json
from cli.textout import printable


def add_parsers(sub) -> None:
    pl = add_command(sub, "pipeline", "sales pipeline metrics", run_pipeline)
    add_period(pl)
    pl.add_argument("--employee", metavar="LOGIN", help="only cycles attributed to this employee")
    add_format(pl)


def run_pipeline(args: argparse.Namespace, ctx) -> int:
    from storage.reporting.pipeline import pipeline_metrics

    document = pipeline_metrics(ctx.today(), args.date_from, args.date_to, args.employee)
    if args.format == "json":
        print_json(document)
    elif args.format == "csv":  # metric,value rows; a stage's count as "stage:NAME"
        rows = [(key, value) for key, value in document.items() if key not in ("by_stage", "stalled")]
        rows += [(f"stage:{row['stage']}", row["customers"]) for row in document["by_stage"]]
        rows += [(f"avg_days_in_stage:{row['stage']}", row["avg_days_in_stage"]) for row in document["by_stage"]]
        rows.append(("stalled", len(document["stalled"])))
        print_csv(["metric", "value"], rows)
    else:
        print(summary(document, args.employee))
    return 0


def _number(value, unit: str = "") -> str:
    if value is None:
        return "–  (nothing closed)"
    return f"{value:.1f}{unit}" if isinstance(value, float) else str(value)


def summary(document: dict, employee: str | None = None) -> str:
    """The README.md#command-line document as lines a person reads in a terminal."""
    if document["from"] or document["to"]:
        period = f"closed from {document['from'] or 'the start'} to {document['to'] or document['as_of']}"
    else:
        period = "closed any time"
    who = f", employee {employee}" if employee else ""
    width = max([len(row["stage"]) for row in document["by_stage"]] + [24])
    lines = [
        f"Pipeline as of {document['as_of']} ({period}{who})",
        "",
        f"{'Customers in pipeline':<{width}}  {document['customers_in_pipeline']}",
        f"{'Won':<{width}}  {document['won']}",
        f"{'Lost':<{width}}  {document['lost']}",
        f"{'Closed (neither)':<{width}}  {document['closed']}",
        f"{'Win rate':<{width}}  {_number(document['win_rate'], ' %')}",
        f"{'New prospects this month':<{width}}  {document['new_prospects']}",
        f"{'Average days to close':<{width}}  {_number(document['avg_days_to_close'], ' days')}",
        "",
        "Customers per open stage:",
    ]
    lines += [
        f"  {row['stage']:<{width - 2}}  {row['customers']}"
        + (f"  (avg {row['avg_days_in_stage']:.1f} days in stage)" if row["avg_days_in_stage"] is not None else "")
        for row in document["by_stage"]
    ]
    stalled = document["stalled"]
    lines += ["", f"Stalled (days in stage past the stage's limit): {len(stalled)}"]
    lines += [
        f"  {printable(s['customer'])} ({printable(s['customer_number'])}), {printable(s['stage'])}, "
        f"{s['days_in_stage']} days"
        for s in stalled[:20]
    ]
    if len(stalled) > 20:
        lines.append(f"  … and {len(stalled) - 20} more (--json lists them all)")
    return "\n".join(lines)
