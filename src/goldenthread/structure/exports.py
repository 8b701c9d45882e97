"""A snapshot written out: XLSX workbook, UK organogram CSV pair, council transparency CSV.

Each export reads back through the matching reader to the same structure:
the XLSX ``Posts`` sheet is a table in the engine's default column names, the
organogram gives each post a pay floor and ceiling equal to its cost, and the
transparency file carries ``PostUniqueReference`` and ``ReportsTo`` beside the
``Level`` so the reporting lines need not be inferred.

The organogram and transparency files keep the column layouts those formats
set; all of them are written by the one writer
(:mod:`goldenthread.formats.writing`), so money and dates are typed in the
workbook and formula-looking titles are written inert in every file.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

import numpy as np

from goldenthread.formats.table import MAPPING_FIELDS
from goldenthread.formats.writing import About, Cell, Sheet, write_csv, write_xlsx

from .dashboard import single_report_chain_members
from .engine import pounds_or_none
from .selectors import Figures

#: The Local Government Transparency Code asks for senior salaries of
#: £50,000 and over in bands of £5,000.
SENIOR_SALARY_FLOOR = Decimal(50000)
SALARY_BAND = Decimal(5000)
#: The transparency file covers the top tiers by default, as the Code expects
#: (the top three levels of the organisation chart).
TRANSPARENCY_TIERS = 3

POST_HEADER = (
    "post_id",
    "reports_to",
    "title",
    "grade",
    "unit",
    "fte",
    "cost",
    "vacant",
    "agency",
    "layer",
    "span",
    "reports_below",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
)
#: The columns that tell a file is this export (the junior columns came later).
EXPORT_SIGNATURE = frozenset(POST_HEADER[:12])


#: How the ``Posts`` sheet of :func:`snapshot_xlsx` is read back: each engine
#: field from the column of its own name (the unit path from ``unit``).
EXPORT_MAPPING: dict[str, str | list[str]] = {
    name: [name] if name == "unit" else name for name in POST_HEADER if name in MAPPING_FIELDS
}


def export_mapping(columns: list[str]) -> dict[str, str | list[str]] | None:
    """The column mapping of a file with every column of the ``Posts`` sheet; else ``None``.

    Such a file is this application's export (or a copy of its sheet), so it
    is read without asking which column holds what.

    >>> export_mapping(list(POST_HEADER))["unit"]
    ['unit']
    >>> export_mapping(["post_id", "reports_to", "title"]) is None
    True
    """
    if not EXPORT_SIGNATURE.issubset(columns):
        return None
    return {
        field: list(value) if isinstance(value, list) else value
        for field, value in EXPORT_MAPPING.items()
        if isinstance(value, list) or value in columns
    }


def _money(value: float) -> Decimal | None:
    return pounds_or_none(value)


def _rows(figures: Figures) -> list[tuple[Cell, ...]]:
    s, m = figures.structure, figures.metrics
    ids = s.post_id.to_list()
    titles, grades, units = s.title.to_list(), s.grade.to_list(), s.unit.to_list()
    rows: list[tuple[Cell, ...]] = []
    for i in range(len(s)):
        p = int(s.parent[i])
        rows.append(
            (
                ids[i],
                ids[p] if p >= 0 else "XX",
                titles[i] or "",
                grades[i] or "",
                units[i] or "",
                float(s.fte[i]),
                _money(float(s.cost[i])),
                "Y" if s.vacant[i] else "N",
                "Y" if s.agency[i] else "N",
                int(m.layer[i]),
                int(m.span[i]),
                int(m.reports_below[i]),
                float(s.junior_fte[i]),
                _money(float(s.junior_cost[i])),
                int(s.junior_unknown_cost[i]),
            )
        )
    return rows


def snapshot_xlsx(figures: Figures, snapshot_name: str, about: About | None = None) -> bytes:
    """The workbook: posts, units, exceptions and the headline figures, after ``about``."""
    s, m, summary, r = figures.structure, figures.metrics, figures.summary, figures.rules
    rows = _rows(figures)
    units = [
        (
            g.name or "",
            g.posts,
            g.managers,
            g.vacant,
            round(g.fte, 2),
            g.cost,
            g.unknown_cost_posts,
            round(g.junior_fte, 2),
            g.junior_cost,
            g.junior_unknown_cost_rows,
        )
        for g in summary.by_unit
    ]
    span = m.span
    flagged: list[tuple[Cell, ...]] = []
    for label, found in (
        ("Narrow span", np.flatnonzero((span >= 1) & (span <= r.narrow_span_max))),
        ("Over-wide span", np.flatnonzero(span > r.target_span_max)),
        ("Single-report chain", single_report_chain_members(s.parent, span)),
        (
            "Deeper than the rule",
            np.flatnonzero(m.layer > r.max_layers) if r.max_layers else np.array([], dtype=int),
        ),
    ):
        flagged.extend((label, *rows[int(i)][:5], rows[int(i)][9], rows[int(i)][10]) for i in found)
    figures_rows: list[tuple[Cell, ...]] = [
        ("Snapshot", snapshot_name),
        ("Posts", summary.posts),
        ("FTE", round(summary.fte, 2)),
        ("FTE of posts", round(summary.senior_fte, 2)),
        ("FTE of junior staff", round(summary.junior_fte, 2)),
        ("Known cost (£)", summary.total_cost),
        ("Known cost of posts (£)", summary.posts_cost),
        ("Known cost of junior staff (£)", summary.junior_cost),
        ("Posts with unknown cost", summary.unknown_cost_posts),
        ("Junior rows with unknown cost", summary.junior_unknown_cost_rows),
        ("Layers", summary.layers),
        ("Top posts", summary.roots),
        ("Managers", summary.managers),
        ("Mean span", round(summary.spans.mean, 2)),
        ("Median span", summary.spans.median),
        ("Manager ratio (posts without reports per manager)", summary.manager_ratio),
        ("Management cost (£)", summary.management_cost),
        ("Narrow spans", summary.narrow_spans),
        ("Over-wide spans", summary.wide_spans),
        ("Single-report chains", summary.single_report_chains),
        ("Posts beyond the layer limit", summary.posts_beyond_max_layers),
        ("Target span band", f"{r.target_span_min} to {r.target_span_max}"),
    ]
    return write_xlsx(
        [
            Sheet("Posts", POST_HEADER, rows, money_columns=frozenset({6, 13})),
            Sheet(
                "Units",
                (
                    "unit",
                    "posts",
                    "managers",
                    "vacant",
                    "fte",
                    "cost",
                    "unknown_cost_posts",
                    "junior_fte",
                    "junior_cost",
                    "junior_unknown_cost_rows",
                ),
                units,
                money_columns=frozenset({5, 8}),
            ),
            Sheet(
                "Exceptions",
                ("exception", "post_id", "reports_to", "title", "grade", "unit", "layer", "span"),
                flagged,
            ),
            Sheet("Summary", ("figure", "value"), figures_rows),
        ],
        about=about,
    )


ORGANOGRAM_SENIOR = (
    "Post Unique Reference",
    "Name",
    "Grade (or equivalent)",
    "Job Title",
    "Unit",
    "Reports to Senior Post",
    "FTE",
    "Actual Pay Floor (£)",
    "Actual Pay Ceiling (£)",
)
ORGANOGRAM_JUNIOR = (
    "Reporting Senior Post",
    "Number of Posts in FTE",
    "Payscale Minimum (£)",
    "Payscale Maximum (£)",
)


def organogram_senior(figures: Figures) -> bytes:
    s = figures.structure
    rows = []
    for row, vacant in zip(_rows(figures), s.vacant, strict=True):
        cost = "" if row[6] is None else row[6]
        rows.append(
            (
                row[0],
                "Vacant" if vacant else "N/D",
                row[3],
                row[2],
                row[4],
                row[1],
                row[5],
                cost,
                cost,
            )
        )
    return write_csv(ORGANOGRAM_SENIOR, rows)


def payscale(cost: Decimal, fte: float) -> Decimal:
    """The payscale that, times ``fte``, reads back as ``cost`` to the penny.

    The organogram reader costs junior staff as their payscale's midpoint
    times their FTE, so a payscale rounded to pence would not always give the
    cost back (£1,000 for 3 FTE is £333.33 each, which reads as £999.99).
    The payscale is given to pence when that reads back exactly, else with as
    many more decimal places as it takes.

    >>> payscale(Decimal("1000.00"), 4.0)
    Decimal('250.00')
    >>> payscale(Decimal("1000.00"), 3.0)
    Decimal('333.3333')
    """
    if fte <= 0:
        raise ValueError("a payscale needs staff to pay")
    exact = cost / Decimal(repr(fte))
    for places in range(2, 18, 2):
        scale = exact.quantize(Decimal(1).scaleb(-places))
        if Decimal(f"{float(scale) * fte:.2f}") == cost:
            return scale
    return exact


def _junior_rows(figures: Figures) -> Iterator[tuple[Cell, ...]]:
    """Rows of junior staff that read back as each post's junior FTE and cost.

    A post's known junior cost is one row with all its junior FTE; each junior
    row whose pay was not known is a row without a payscale (after the first,
    with no FTE), so the count of unknown costs reads back too.
    """
    s = figures.structure
    ids = s.post_id.to_list()
    unknown = s.junior_unknown_cost
    has = (s.junior_fte > 0) | (s.junior_cost > 0) | (unknown > 0)
    for i in np.flatnonzero(has):
        fte = float(s.junior_fte[i])
        cost = _money(float(s.junior_cost[i])) or Decimal(0)
        if cost > 0 and fte > 0:
            scale = payscale(cost, fte)
            yield (ids[i], fte, scale, scale)
            fte = 0.0
        for _ in range(max(int(unknown[i]), 1 if fte > 0 else 0)):
            yield (ids[i], fte, "", "")
            fte = 0.0


def organogram_junior(figures: Figures) -> bytes:
    """The junior file: header alone for a structure without junior staff."""
    return write_csv(ORGANOGRAM_JUNIOR, _junior_rows(figures))


def salary_band(cost: Decimal | None) -> tuple[str, str]:
    """(SalaryBand, MaximumSalary): a £5,000 band from £50,000, else the salary itself.

    >>> salary_band(Decimal("97499.50"))
    ('95000 - 99999', '')
    >>> salary_band(Decimal("38223"))
    ('', '38223')
    >>> salary_band(Decimal("38223.50"))
    ('', '38223.50')
    """
    if cost is None:
        return "", ""
    if cost >= SENIOR_SALARY_FLOOR:
        low = (cost / SALARY_BAND).to_integral_value(rounding=ROUND_FLOOR) * SALARY_BAND
        return f"{low:.0f} - {low + SALARY_BAND - 1:.0f}", ""
    # Whole pounds as the Code's examples show them; pence kept, so the file reads back exactly.
    return "", f"{cost:.0f}" if cost == cost.to_integral_value() else f"{cost:.2f}"


TRANSPARENCY_HEADER = (
    "PostUniqueReference",
    "ReportsTo",
    "Level",
    "JobTitle",
    "Grade",
    "Directorate",
    "Service",
    "SalaryBand",
    "MaximumSalary",
    "FTE",
    "Vacancy",
    "ContractType",
)


def transparency(figures: Figures, tiers: int | None = TRANSPARENCY_TIERS) -> bytes:
    s, m = figures.structure, figures.metrics
    rows = []
    # Depth first, so each post follows its manager as the Code's layout shows it.
    children: dict[int, list[int]] = {}
    for i in range(len(s)):
        children.setdefault(int(s.parent[i]), []).append(i)
    order: list[int] = []
    stack = list(reversed(children.get(-1, [])))
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(children.get(i, [])))
    base = _rows(figures)
    for i in order:
        if tiers is not None and m.layer[i] > tiers:
            continue
        row = base[i]
        parts = [p.strip() for p in str(row[4]).split(" / ")]
        band, maximum = salary_band(row[6])  # type: ignore[arg-type]
        rows.append(
            (
                row[0],
                row[1],
                int(m.layer[i]),
                row[2],
                row[3],
                parts[0] if parts else "",
                " / ".join(parts[1:]),
                band,
                maximum,
                row[5],
                "Vacant" if s.vacant[i] else "",
                "Agency" if s.agency[i] else "Permanent",
            )
        )
    return write_csv(TRANSPARENCY_HEADER, rows)
