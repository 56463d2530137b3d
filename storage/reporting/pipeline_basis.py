"""What a pipeline report is computed over: the period (as of D, close dates from/to) and the
stage table read once per report. Shared by the metrics (storage/reporting/pipeline.py) and the stalled
deals (storage/reporting/pipeline_stalled.py), so neither imports the other's module for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db.models import PipelineStage
from storage.errors import RapportError
from storage.stages import normal_kind

EARLIEST = dt.date(1, 1, 1)


@dataclass(frozen=True)
class Period:
    """What a pipeline report is about: as of D, close dates in [date_from, date_to]."""

    as_of: dt.date
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise RapportError(f"--from {self.date_from} is after --to {self.date_to}")

    @property
    def first(self) -> dt.date:
        return self.date_from or EARLIEST

    @property
    def last(self) -> dt.date:
        """The last close date that counts: --to, but never after D."""
        return min(self.date_to, self.as_of) if self.date_to else self.as_of

    @property
    def month_start(self) -> dt.date:
        return self.as_of.replace(day=1)

    def label(self) -> str:
        if not self.date_from and not self.date_to:
            return f"all time to {self.as_of}"
        start = str(self.date_from) if self.date_from else "start"
        return f"{start} to {self.date_to or self.as_of}"

    def params(self) -> dict:
        return {"as_of": self.as_of, "date_from": self.first, "date_to": self.last, "month_start": self.month_start}


@dataclass
class Stages:
    """The stage table, read once per report: ids by kind, names, open stages in sort order."""

    rows: list[PipelineStage]

    @classmethod
    def load(cls) -> Stages:
        return cls(list(PipelineStage.select().order_by(PipelineStage.sort_order, PipelineStage.id)))

    def kind(self, stage_id: int) -> str:
        return next(normal_kind(s.kind) for s in self.rows if s.id == stage_id)

    def ids(self, *kinds: str) -> list[int]:
        return [s.id for s in self.rows if normal_kind(s.kind) in kinds]

    @property
    def closing_ids(self) -> list[int]:
        return [s.id for s in self.rows if normal_kind(s.kind) != "open"]

    @property
    def all_ids(self) -> list[int]:
        return [s.id for s in self.rows]

    @property
    def open_stages(self) -> list[PipelineStage]:
        return [s for s in self.rows if normal_kind(s.kind) == "open"]
