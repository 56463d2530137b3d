"""One customer's demo conversations: dates, employees, times, notes, follow-ups kept on time,
kept late, overdue or upcoming, I.F. conversations that follow the one they answer, and sale
cycles through the pipeline stages. Everything comes from the caller's seeded generator."""

from __future__ import annotations

import datetime as dt
import math
import random

from storage.db.models import Conversation as C
from storage.sample.demo_text import LINES, PARAGRAPH_SENTENCES, Script

DAY = dt.timedelta(days=1)
DURATIONS = (5, 10, 15, 15, 20, 30, 30, 45, 60, 90)
FOLLOW_UP_DAYS = (1, 2, 3, 7, 7, 14, 14, 30)
NOON = dt.time(12)
TIMES = [dt.time(minute // 60, minute % 60) for minute in range(24 * 60)]  # shared, immutable

# Positions in a row (the order of History.FIELDS).
(
    ID,
    UID,
    CUSTOMER,
    EMPLOYEE,
    DATE,
    TIME_BEGIN,
    TIME_END,
    DURATION,
    FOLLOW_UP,
    NOTE,
    WITH_WHOM,
    TOPIC,
    METHOD,
    COMPLETED,
    COMPLETED_ON,
    IS_FOLLOW_UP,
    FOLLOWS,
    STAGE,
    SEQUENCE,
    CREATED,
    UPDATED,
    DELETED,
) = range(22)


def picker(rng: random.Random):
    """``pick(seq)``: like ``rng.choice`` but several times faster (one call to random())."""
    rand = rng.random

    def pick(seq):
        return seq[int(rand() * len(seq))]

    return pick


class NoteMaker:
    """Notes of every length: empty, one line, paragraphs, and now and then several KB."""

    def __init__(self, rng: random.Random):
        self.rand = rng.random
        self.pick = picker(rng)

    def line(self, script: Script, who: str) -> str:
        if script.sentences and self.rand() < 0.25:
            return self.pick(script.sentences)
        return self.pick(LINES).format(n=2 + int(self.rand() * 60), ref=1000 + int(self.rand() * 99000), who=who)

    def paragraph(self, script: Script, who: str) -> str:
        parts = [self.line(script, who)]
        parts += [
            self.pick(PARAGRAPH_SENTENCES).format(n=2 + int(self.rand() * 998), who=who)
            for _ in range(1 + int(self.rand() * 3))
        ]
        return " ".join(parts)

    def long(self, script: Script, who: str) -> str:
        """Several kilobytes: meeting minutes."""
        size = 2_000 + int(self.rand() * 6_000)
        paragraphs = [f"Minutes of the meeting with {who}:"]
        while sum(len(p) for p in paragraphs) < size:
            paragraphs.append("- " + self.paragraph(script, who))
        return "\n\n".join(paragraphs)

    def make(self, script: Script, who: str) -> str:
        r = self.rand()
        if r < 0.10:
            return ""
        if r < 0.70:
            return self.line(script, who)
        if r < 0.999:
            if r < 0.95:
                return self.paragraph(script, who)
            return self.paragraph(script, who) + "\n\n" + self.paragraph(script, who)
        return self.long(script, who)


class History:
    """Builds the conversation rows of one customer at a time, with explicit ids."""

    FIELDS = (
        C.id,
        C.uid,
        C.customer,
        C.employee,
        C.date,
        C.time_begin,
        C.time_end,
        C.duration_minutes,
        C.follow_up,
        C.note,
        C.with_whom,
        C.topic,
        C.method,
        C.completed,
        C.completed_on,
        C.is_follow_up,
        C.follows,
        C.pipeline_stage,
        C.sequence,
        C.created_at,
        C.updated_at,
        C.deleted_at,
    )

    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        people,
        stages,
        topics,
        methods,
        notes: NoteMaker,
        first_id: int,
        new_uid,
    ):
        self.rng = rng
        self.today = today
        self.people = people
        self.open_stages = [id_ for id_, kind in stages if kind == "open"]
        self.ends = {kind: [id_ for id_, k in stages if k == kind] for kind in ("won", "lost", "closed")}
        self.topics = topics or [None]
        self.methods = methods or [None]
        self.notes = notes
        self.rand = rng.random
        self.pick = picker(rng)
        self.next_id = first_id
        self.new_uid = new_uid

    # --- pipeline ----------------------------------------------------------------------------
    def _cycle(self) -> list[int]:
        """One sale cycle: open stages in order (some skipped), then how it ended."""
        rng = self.rng
        reached = rng.randint(1, len(self.open_stages))
        steps = [s for i, s in enumerate(self.open_stages[:reached]) if i == 0 or rng.random() < 0.8]
        r = rng.random()
        kind = "closed" if reached <= 2 and r < 0.4 else "won" if r < 0.55 else "lost" if r < 0.8 else "closed"
        if self.ends[kind]:
            steps.append(rng.choice(self.ends[kind]))
        return steps

    def _stages(self, count: int) -> dict[int, int]:
        """{conversation position: stage id} for about a third of the conversations."""
        wanted = round(count * self.rng.uniform(0.15, 0.45)) if count >= 2 else 0
        if not wanted or not self.open_stages:
            return {}
        labels: list[int] = []
        while len(labels) < wanted:
            labels += self._cycle()
        labels = labels[:wanted]
        if self.rng.random() < 0.4 and labels[-1] not in self.open_stages:
            labels[-1] = self.open_stages[0]  # still in the pipeline: a new cycle has begun
        positions = sorted(self.rng.sample(range(count), wanted))
        return dict(zip(positions, labels, strict=True))

    # --- follow-ups --------------------------------------------------------------------------
    def _resolve(self, row: list) -> None:
        """A follow-up nobody logged: kept on time, kept late, or left open (overdue)."""
        rng = self.rng
        follow_up = row[FOLLOW_UP]
        if follow_up > self.today:
            return  # upcoming
        age = (self.today - follow_up).days
        kept = 0.99 if age > 90 else 0.95 if age > 30 else 0.5
        if rng.random() > kept:
            return  # missed: stays due until someone handles it
        if rng.random() < 0.7:
            done = row[DATE] + DAY * rng.randint(0, (follow_up - row[DATE]).days)
        else:
            done = min(self.today, follow_up + DAY * rng.randint(1, 10))
        row[COMPLETED], row[COMPLETED_ON] = True, done

    # --- one customer ------------------------------------------------------------------------
    def customer(self, plan: dict, count: int) -> list[list]:
        rand, pick, today = self.rand, self.pick, self.today
        if not count:
            return []
        span = 1095 if count > 300 else 30 + int(rand() * 1065)
        # Busier lately, as a growing business is: the density of conversations rises linearly
        # towards today (twice the average on the last day). A steeper curve put 8 % of three
        # years' conversations into the last week.
        dates = sorted(today - DAY * int(span * (1 - math.sqrt(rand()))) for _ in range(count))
        stages = self._stages(count)
        owner = plan["owner"][0]
        contacts = plan["contact_names"]
        script = plan["script"]
        rows: list[list] = []
        pending: list[list] = []
        for position, date in enumerate(dates):
            who = pick(contacts) if contacts and rand() < 0.7 else ""
            row = self._row(plan["id"], owner, date, who, script)
            if position in stages:
                row[STAGE] = stages[position]
            while pending and pending[0][FOLLOW_UP] < date - 10 * DAY:
                self._resolve(pending.pop(0))
            head = pending[0] if pending else None
            if head and head[DATE] < date and head[FOLLOW_UP] <= date + 3 * DAY and rand() < 0.6:
                pending.pop(0)
                row[IS_FOLLOW_UP], row[FOLLOWS] = True, head[ID]
                head[COMPLETED], head[COMPLETED_ON] = True, date
            if rand() < 0.35:
                row[FOLLOW_UP] = date + DAY * pick(FOLLOW_UP_DAYS)
                pending.append(row)
            rows.append(row)
        for row in pending:
            self._resolve(row)
        if plan["index"] < 3:
            self._promise(plan["index"], rows, script)
        return rows

    def _promise(self, index: int, rows: list[list], script: Script) -> None:
        """The current employee's first customers: one overdue, one due today, one upcoming
        follow-up, and a note of several KB, whatever the random draw was."""
        last = rows[-1]
        last[EMPLOYEE] = self.people[0][0]
        last[FOLLOW_UP] = self.today + DAY * (-3, 0, 2)[index]
        last[COMPLETED], last[COMPLETED_ON], last[DELETED] = False, None, None
        rows[0][NOTE] = self.notes.long(script, self.rng.choice(script.first_names))

    def _row(self, customer_id: int, owner: int, date: dt.date, who: str, script: Script) -> list:
        rand, pick = self.rand, self.pick
        employee = owner if rand() < 0.8 else pick(self.people)[0]
        begin = end = duration = None
        if rand() < 0.85:
            minutes = 8 * 60 + 15 * int(rand() * 40)
            duration = pick(DURATIONS)
            begin = TIMES[minutes]
            end = TIMES[minutes + duration]
        stamp = dt.datetime.combine(date, begin or NOON)
        row_id = self.next_id
        self.next_id += 1
        note = self.notes.make(script, who.split(" ")[0] if who else pick(script.first_names))
        return [
            row_id,
            self.new_uid(),
            customer_id,
            employee,
            date,
            begin,
            end,
            duration,
            None,
            note,
            who,
            pick(self.topics) if rand() < 0.9 else None,
            pick(self.methods) if rand() < 0.9 else None,
            False,
            None,
            False,
            None,
            None,
            0,
            stamp,
            stamp,
            stamp if rand() < 0.003 else None,
        ]
