"""The improvement-plan table, laid out as councils publish it.

Area, Objective, Success criteria, Action, Lead, Timescale, RAG: the area is
the action's TOM target area and is written once for each group of actions
in it; the objective is what the action contributes to in the golden
thread; actions that came from another plan name it ("From: productivity
plan") and are shown greyed. The page and the workbook share these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.formats.writing import Cell, Sheet
from goldenthread.performance.models import ThreadItem
from goldenthread.programme.models import Action, ActionStatus

from .selectors import rag_label

HEADER = ("Area", "Objective", "Success criteria", "Action", "Lead", "Timescale", "RAG", "From")
NO_AREA = "No area given"
NO_OBJECTIVE = "Not linked to an objective"
NOT_SET = "Not set"
COMPLETE = "Complete"


def timescale(action: Action) -> str | dt.date:
    """ "Complete", the due date, or the quarter implementation starts (or design ends)."""
    if action.status == ActionStatus.COMPLETE:
        return COMPLETE
    if action.due_on is not None:
        return action.due_on
    quarter = action.implement_from or action.design_by
    if quarter:
        return FinancialQuarter.from_code(quarter).label
    return NOT_SET


@dataclass(frozen=True)
class PlanRow:
    action: Action
    objectives: Sequence[ThreadItem]

    @property
    def timescale(self) -> str | dt.date:
        return timescale(self.action)

    @property
    def timescale_is_date(self) -> bool:
        return isinstance(self.timescale, dt.date)

    @property
    def other_plan(self) -> bool:
        return bool(self.action.source)


@dataclass(frozen=True)
class AreaGroup:
    area: str
    rows: list[PlanRow]


def area_groups(
    actions: Iterable[Action], objectives: Mapping[int, Sequence[ThreadItem]]
) -> list[AreaGroup]:
    """``actions`` (ordered by area) in a group per area, each with its objectives."""
    groups: list[AreaGroup] = []
    for action in actions:
        area = action.target_area or NO_AREA
        row = PlanRow(action, objectives.get(action.pk, ()))
        if groups and groups[-1].area == area:
            groups[-1].rows.append(row)
        else:
            groups.append(AreaGroup(area, [row]))
    return groups


def sheet_rows(
    actions: Iterable[Action], objectives: Mapping[int, Sequence[ThreadItem]]
) -> Iterator[tuple[Cell, ...]]:
    """The workbook's rows: the area on the first row of its group only, as the page shows it."""
    previous: str | None = None
    for action in actions:
        area = action.target_area or NO_AREA
        items = objectives.get(action.pk, ())
        yield (
            area if area != previous else None,
            "; ".join(item.title for item in items) or NO_OBJECTIVE,
            action.success_criteria,
            f"{action.reference}: {action.title}",
            action.owner or NOT_SET,
            timescale(action),
            rag_label(action.rag),
            action.source,
        )
        previous = area


def plan_sheet(actions: Iterable[Action], objectives: Mapping[int, Sequence[ThreadItem]]) -> Sheet:
    return Sheet("Improvement plan", HEADER, sheet_rows(actions, objectives))
