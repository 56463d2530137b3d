"""``rapport followups --json`` is written by storage.reporting.followups_json, fast; its text must be
exactly what json.dump(followups_report, ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json

from storage.reporting import followups_json, reports
from tests import factories
from tests.conftest import TODAY

NASTY = 'quote " backslash \\ tab \t newline \n bell \x07 [bold]x[/] \u00e9\u05e9 \U0001f600 \u2028'


def expected(login):
    return json.dumps(reports.followups_report(TODAY, login), ensure_ascii=False, indent=2) + "\n"


def test_the_fast_document_is_the_json_module_s(ctx):
    assert followups_json.document(TODAY, None) == expected(None)  # empty lists
    acme = factories.customer(NASTY, number='N"1')
    zed = factories.customer("Zed")
    factories.conversation(
        acme, "2026-03-01", follow_up="2026-03-10", note=NASTY, with_whom=NASTY, topic=factories.topic("Quote")
    )
    factories.conversation(
        zed, "2026-03-02", follow_up="2026-03-18", employee_login="ben", method=factories.method("Email")
    )
    factories.conversation(zed, "2026-03-03", follow_up="2026-03-20", note="")
    factories.conversation(zed, "2026-03-03", follow_up="2026-04-20", note="too late for upcoming")
    text = followups_json.document(TODAY, None)
    assert text == expected(None)
    document = json.loads(text)
    assert [i["days_overdue"] for i in document["due"]] == [8, 0]
    assert [i["days_overdue"] for i in document["upcoming"]] == [-2]
    assert document["due"][0]["note"] == NASTY
    assert followups_json.document(TODAY, "ben") == expected("ben")
