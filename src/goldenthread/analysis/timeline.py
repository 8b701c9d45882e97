"""A programme's actions laid out on financial quarters: design, implementation, due.

An action is designed until its design-by quarter, implemented from its
implement-from quarter to the quarter it is due, and due in that quarter.
Each quarter of a timeline's window says, in words, which of these the
action is in, so a reader need not tell them apart by colour.

Quarters are the stored codes of :mod:`goldenthread.analysis.quarters`
(``year * 10 + quarter``: 20252 is 2025/26 Q2).

>>> window = quarter_window([20251, 20274], today=20262)
>>> len(window), window[0].label, window[-1].label
(12, '2025/26 Q1', '2027/28 Q4')
>>> [cell.text for cell in timeline_cells(window[:6], start=20251, design_by=20252,
...                                       implement_from=20253, due=20262)]
['Design', 'Design', 'Implementation', 'Implementation', 'Implementation', 'Implementation, due']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .quarters import FinancialQuarter

__all__ = [
    "MAX_QUARTERS",
    "QUARTERS_BEFORE_TODAY",
    "Cell",
    "Spans",
    "action_spans",
    "quarter_window",
    "timeline_cells",
]

#: The most quarters a timeline shows at once (four financial years): wider does not fit a page.
MAX_QUARTERS = 16
#: When the actions span more than fits, the window starts this many quarters before today's.
QUARTERS_BEFORE_TODAY = 4

DESIGN = "design"
IMPLEMENTATION = "implementation"
DUE = "due"

_WORDS = {DESIGN: "design", IMPLEMENTATION: "implementation", DUE: "due"}


@dataclass(frozen=True)
class Cell:
    """What one action does in one quarter: none, some or all of design, implementation, due."""

    quarter: FinancialQuarter
    kinds: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The cell's words: "Design", "Implementation, due", "Due" or ""."""
        words = [_WORDS[kind] for kind in self.kinds]
        joined = ", ".join(words)
        return joined[:1].upper() + joined[1:]

    @property
    def design(self) -> bool:
        return DESIGN in self.kinds

    @property
    def implementation(self) -> bool:
        return IMPLEMENTATION in self.kinds

    @property
    def due(self) -> bool:
        return DUE in self.kinds


def quarter_window(
    codes: Iterable[int | None], *, today: int, limit: int = MAX_QUARTERS
) -> list[FinancialQuarter]:
    """The quarters from the earliest of ``codes`` to the latest, at most ``limit`` of them.

    When they span more than ``limit``, the window starts
    :data:`QUARTERS_BEFORE_TODAY` quarters before ``today`` (a quarter's
    code), but no earlier than the first quarter and no later than leaves
    ``limit`` quarters to the last. With no quarters at all, the window is
    the year from today's quarter.

    >>> [q.label for q in quarter_window([20254, 20261], today=20252)]
    ['2025/26 Q4', '2026/27 Q1']
    >>> window = quarter_window([20201, 20304], today=20252)
    >>> len(window), window[0].label, window[-1].label
    (16, '2024/25 Q2', '2028/29 Q1')
    >>> [q.label for q in quarter_window([None], today=20252, limit=2)]
    ['2025/26 Q2', '2025/26 Q3']
    """
    known = sorted(code for code in codes if code)
    if not known:
        first = FinancialQuarter.from_code(today)
        return _run(first, limit)
    first, last = FinancialQuarter.from_code(known[0]), FinancialQuarter.from_code(known[-1])
    span = _count(first, last)
    if span > limit:
        start = FinancialQuarter.from_code(today)
        for _ in range(QUARTERS_BEFORE_TODAY):
            start = start.previous()
        latest_start = last
        for _ in range(limit - 1):
            latest_start = latest_start.previous()
        first = max(first, min(start, latest_start))
        span = limit
    return _run(first, span)


def _count(first: FinancialQuarter, last: FinancialQuarter) -> int:
    return (last.year - first.year) * 4 + last.number - first.number + 1


def _run(first: FinancialQuarter, count: int) -> list[FinancialQuarter]:
    quarters = [first]
    while len(quarters) < count:
        quarters.append(quarters[-1].next())
    return quarters


def _within(code: int, first: int | None, last: int | None) -> bool:
    return first is not None and last is not None and first <= code <= last


def timeline_cells(
    quarters: Sequence[FinancialQuarter],
    *,
    start: int | None,
    design_by: int | None,
    implement_from: int | None,
    due: int | None,
) -> list[Cell]:
    """One action's cell in each of ``quarters``; every argument is a quarter's code or None.

    Design runs from ``start`` (or, without one, the design-by quarter alone)
    to ``design_by``; implementation from ``implement_from`` to ``due`` (or
    the implement-from quarter alone when there is no due quarter).

    >>> quarters = quarter_window([20261, 20264], today=20261)
    >>> [cell.text for cell in timeline_cells(quarters, start=None, design_by=20262,
    ...                                       implement_from=None, due=20264)]
    ['', 'Design', '', 'Due']
    """
    design_from = start if start is not None and design_by is not None else design_by
    build_to = due if due is not None and implement_from is not None else implement_from
    cells = []
    for quarter in quarters:
        code = quarter.code
        kinds = []
        if _within(code, design_from, design_by):
            kinds.append(DESIGN)
        if _within(code, implement_from, build_to):
            kinds.append(IMPLEMENTATION)
        if due is not None and code == due:
            kinds.append(DUE)
        cells.append(Cell(quarter, tuple(kinds)))
    return cells


@dataclass(frozen=True)
class Spans:
    """An action's design and implementation as runs of days, each ``(first, day after last)``."""

    design: tuple[dt.date, dt.date] | None
    implementation: tuple[dt.date, dt.date] | None


def action_spans(
    *,
    start: dt.date | None,
    design_by: int | None,
    implement_from: int | None,
    due: dt.date | None,
) -> Spans:
    """The days an action is designed and implemented, for a chart of bars by date.

    Design runs from ``start`` (or the start of the design-by quarter) to the
    end of the design-by quarter; implementation from the start of the
    implement-from quarter to the due date (or the end of that quarter).

    >>> spans = action_spans(start=None, design_by=20252, implement_from=20253,
    ...                      due=dt.date(2026, 3, 31))
    >>> spans.design
    (datetime.date(2025, 7, 1), datetime.date(2025, 10, 1))
    >>> spans.implementation
    (datetime.date(2025, 10, 1), datetime.date(2026, 4, 1))
    """
    day = dt.timedelta(days=1)
    design = None
    if design_by:
        quarter = FinancialQuarter.from_code(design_by)
        first = start if start is not None and start <= quarter.end else quarter.start
        design = (first, quarter.end + day)
    implementation = None
    if implement_from:
        quarter = FinancialQuarter.from_code(implement_from)
        last = due if due is not None and due >= quarter.start else quarter.end
        implementation = (quarter.start, last + day)
    return Spans(design, implementation)
