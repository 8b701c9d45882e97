"""Council transparency files in the LGA ``OrganisationStructure`` layout.

Columns used: ``Level``, ``JobTitle``, ``Grade``, ``Directorate``,
``Service``, ``SalaryBand`` (e.g. ``95000 - 99999``), ``MaximumSalary``,
``Vacancy``, ``ContractType`` and, when a council publishes them, a post ID
(``PostUniqueReference`` or ``PostID``) and a reports-to column
(``ReportsTo``, ``ReportsToPostUniqueReference``).

Without IDs, each post's manager is inferred from the row order: it is the
nearest row above with a lower ``Level``. A warning says so. Posts get IDs
``row-N`` from their row number, and a diff pairs them by title, directorate
and service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from goldenthread.formats.errors import (
    BAD_LEVEL,
    INFERRED_PARENTS,
    LEVEL_GAP,
    Finding,
    FormatWarning,
    Problem,
)
from goldenthread.formats.posts import POST_SCHEMA, PostTable
from goldenthread.formats.reading import (
    ROW_COLUMN,
    find_column,
    pay_band_findings,
    read_frame,
    read_number_column,
)
from goldenthread.formats.sources import DEFAULT_LIMITS, ReadLimits
from goldenthread.formats.values import LEVEL, PAY, POST_FTE, clean_text, read_numbers

__all__ = ["MATCHED_BY_TITLE", "infer_parents", "match_key", "read_lga"]

MATCHED_BY_TITLE = "title, directorate and service"


def match_key(title: str | None, directorate: str | None, service: str | None) -> str:
    """The key pairing a post across two files without IDs.

    Examples
    --------
    >>> match_key("Head of  Highways", "Place", None)
    'head of highways|place|'
    """
    parts = (title, directorate, service)
    return "|".join(re.sub(r"\s+", " ", p or "").strip().lower() for p in parts)


def infer_parents(
    levels: Sequence[int | None],
) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Managers from row order: the nearest row above with a lower level.

    Returns the parent index of each row (``-1`` for none) and the gaps found
    as ``(row index, level, previous level)`` where a level skips one. A row
    whose level is unknown (``None``) is attached to the row above it with a
    level, is no row's manager and has no gap.

    Examples
    --------
    >>> infer_parents([1, 2, 3, 3, 2, 4])
    ([-1, 0, 1, 1, 0, 4], [(5, 4, 2)])
    >>> infer_parents([1, 2, None, 3])
    ([-1, 0, 1, 1], [])
    """
    stack: list[tuple[int, int]] = []
    parents: list[int] = []
    gaps: list[tuple[int, int, int]] = []
    for i, level in enumerate(levels):
        if level is None:
            parents.append(stack[-1][1] if stack else -1)
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            parents.append(stack[-1][1])
            if stack[-1][0] < level - 1:
                gaps.append((i, level, stack[-1][0]))
        else:
            parents.append(-1)
        stack.append((level, i))
    return parents, gaps


def read_lga(path: str | Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> PostTable:
    """Read a council organisation structure in the LGA layout.

    Raises
    ------
    goldenthread.formats.reading.FormatError
        If the file cannot be read or has neither ``Level`` nor IDs.
    """
    source = str(path)
    read_findings: list[Finding] = []
    raw = read_frame(path, limits=limits, warnings=read_findings)
    n = raw.height
    c_id = find_column(
        raw, ["PostUniqueReference", "PostID", "PostRef"], source=source, required=False
    )
    c_to = find_column(
        raw,
        ["ReportsTo", "ReportsToPostUniqueReference", "ReportsToSeniorPost"],
        source=source,
        required=False,
    )
    has_ids = c_id is not None and c_to is not None
    c_level = find_column(raw, ["Level"], source=source, required=not has_ids)
    c_title = find_column(raw, ["JobTitle", "Job Title"], source=source, required=False)
    c_grade = find_column(raw, ["Grade"], source=source, required=False)
    c_dir = find_column(raw, ["Directorate"], source=source, required=False)
    c_service = find_column(raw, ["Service"], source=source, required=False)
    c_band = find_column(raw, ["SalaryBand", "Salary Band"], source=source, required=False)
    c_max = find_column(raw, ["MaximumSalary", "Maximum Salary"], source=source, required=False)
    c_vacancy = find_column(raw, ["Vacancy", "Vacant"], source=source, required=False)
    c_contract = find_column(raw, ["ContractType"], source=source, required=False)
    c_fte = find_column(raw, ["FTE"], source=source, required=False)
    empty = pl.repeat(None, n, dtype=pl.String, eager=True)

    def text(col: str | None) -> pl.Series:
        return empty if col is None else clean_text(raw[col])

    findings: list[Finding] = read_findings
    rows = raw[ROW_COLUMN].to_list()
    title, directorate, service = text(c_title), text(c_dir), text(c_service)
    if has_ids:
        assert c_id is not None and c_to is not None
        post_id = clean_text(raw[c_id])
        reports_to = raw[c_to]
        names = {"post_id": c_id, "reports_to": c_to}
        matched_by = "post ID"
        keys = post_id
    else:
        assert c_level is not None
        level_num, faults = read_numbers(raw[c_level], LEVEL)
        bad = (faults.is_not_null() | level_num.is_null()).to_list()
        for row, value in raw.filter(pl.Series(bad)).select(ROW_COLUMN, c_level).iter_rows():
            findings.append(
                Problem(
                    "bad-level",
                    BAD_LEVEL,
                    source,
                    row,
                    c_level,
                    "" if value is None else value,
                    "a whole number, 1 for the top post",
                )
            )
        # A row whose Level cannot be read is a problem (above) and attached
        # to no post below it; it takes no part in the gaps reported.
        levels = [None if b else int(v) for v, b in zip(level_num.to_list(), bad, strict=True)]
        parents, gaps = infer_parents(levels)
        for i, level, previous in gaps:
            findings.append(
                FormatWarning(
                    "level-gap",
                    LEVEL_GAP.format(level=level, previous=previous),
                    source,
                    rows[i],
                    c_level,
                    str(level),
                )
            )
        findings.append(FormatWarning("inferred-managers", INFERRED_PARENTS, source))
        post_id = pl.Series([f"row-{r}" for r in rows], dtype=pl.String)
        reports_to = pl.Series(
            [None if p < 0 else f"row-{rows[p]}" for p in parents], dtype=pl.String
        )
        names = {"post_id": c_level, "reports_to": c_level}
        matched_by = MATCHED_BY_TITLE
        keys = pl.Series(
            [
                match_key(t, d, s)
                for t, d, s in zip(
                    title.to_list(), directorate.to_list(), service.to_list(), strict=True
                )
            ],
            dtype=pl.String,
        )
    cost = pl.repeat(None, n, dtype=pl.Float64, eager=True)
    if c_band is not None:
        mid, band_findings = pay_band_findings(raw, c_band, source=source)
        findings += band_findings
        cost = mid
    if c_max is not None:
        spot, problems = read_number_column(raw, c_max, PAY, source=source)
        findings += problems
        cost = pl.DataFrame({"a": cost, "b": spot}).select(pl.coalesce("a", "b")).to_series()
    fte = pl.repeat(1.0, n, dtype=pl.Float64, eager=True)
    if c_fte is not None:
        fte_num, problems = read_number_column(raw, c_fte, POST_FTE, source=source)
        findings += problems
        fte = fte_num.fill_null(1.0)
    vacancy = text(c_vacancy).str.to_uppercase()
    vacant = vacancy.is_in(["VACANT", "VACANCY", "YES", "Y", "TRUE"]).fill_null(False)
    agency = text(c_contract).str.to_uppercase().str.contains("AGENCY").fill_null(False)
    unit = (
        pl.DataFrame({"d": directorate, "s": service})
        .select(pl.concat_str([pl.col("d"), pl.col("s")], separator=" / ", ignore_nulls=True))
        .to_series()
    )
    frame = pl.DataFrame(
        {
            "row": raw[ROW_COLUMN],
            "post_id": post_id,
            "reports_to": reports_to,
            "title": title,
            "grade": text(c_grade),
            "unit": unit,
            "fte": fte,
            "cost": cost,
            "vacant": vacant,
            "agency": agency,
            "match_key": keys,
            "record": empty,
        },
        schema=POST_SCHEMA,
    )
    ordered = sorted(findings, key=lambda f: (f.row or 0, 0 if isinstance(f, Problem) else 1))
    return PostTable(
        source=source, posts=frame, findings=tuple(ordered), columns=names, matched_by=matched_by
    )
