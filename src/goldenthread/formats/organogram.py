"""UK government organogram files (the data.gov.uk senior and junior layout).

The senior file has one row per senior post: ``Post Unique Reference``,
``Reports to Senior Post`` (``XX`` for a top post), ``Grade``, ``Job Title``,
``Unit``, ``FTE`` and ``Actual Pay Floor (£)`` / ``Actual Pay Ceiling (£)``.
The optional junior file gives aggregated junior staff per senior post:
``Reporting Senior Post``, ``Grade``, ``Payscale Minimum (£)`` /
``Payscale Maximum (£)``, ``Generic Job Title`` and ``Number of Posts in FTE``.
A junior file with its header and no rows means there are no junior staff.

Cost of a senior post is the midpoint of its pay floor and ceiling (``N/D``,
blank or ``0`` is unknown). Cost of a junior row is the midpoint of its
payscale times its FTE.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from goldenthread.formats.errors import (
    BLANK_FTE,
    BLANK_REPORTS_TO,
    REPAIRED_BLANK_REPORTS_TO,
    REPAIRED_BLANK_SENIOR,
    Finding,
    FormatWarning,
    Problem,
)
from goldenthread.formats.posts import JUNIOR_SCHEMA, NOT_IN_POST_ID, POST_SCHEMA, PostTable
from goldenthread.formats.reading import (
    ROW_COLUMN,
    FormatError,
    find_column,
    read_frame,
    read_number_column,
)
from goldenthread.formats.sources import DEFAULT_LIMITS, ReadLimits, SourceError, read_source
from goldenthread.formats.values import JUNIOR_FTE, PAY, POST_FTE, clean_text
from goldenthread.formats.writing import first_data_sheet

__all__ = ["PROVENANCE_COLUMNS", "read_organogram"]

PROVENANCE_COLUMNS = frozenset({"", "source_file", "source_line", "URI", ROW_COLUMN})
"""Columns left out when deciding whether two rows are exact repeats."""

_VACANT = ("VACANT", "VACANCY")


def _midpoint(floor: pl.Series, ceiling: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"f": floor, "c": ceiling})
    return frame.select(
        pl.when(pl.col("f").is_not_null() & pl.col("c").is_not_null())
        .then((pl.col("f") + pl.col("c")) / 2)
        .otherwise(pl.coalesce("f", "c"))
        .alias("cost")
    ).to_series()


def _blank_references(
    raw: pl.DataFrame,
    column: str,
    source: str,
    repair: str,
    expected: str,
    exclude: pl.Series | None = None,
    fte: str | None = None,
) -> list[Finding]:
    """A problem for each row whose reports-to is blank: the organogram marks
    a top post with ``XX``, so a blank is a value left out, not a top post.
    The repair may name the row's ``fte`` (the text of that column)."""
    blank = raw[column].str.strip_chars().fill_null("") == ""
    if exclude is not None:
        blank = blank & ~exclude.fill_null(False)
    found = raw.filter(blank)
    amounts = (
        found[fte].fill_null("") if fte is not None else pl.repeat("", found.height, eager=True)
    )
    return [
        Problem(
            "blank-reports-to",
            BLANK_REPORTS_TO,
            source,
            int(row),
            column,
            None,
            expected,
            repair.format(fte=amount),
        )
        for row, amount in zip(found[ROW_COLUMN].to_list(), amounts.to_list(), strict=True)
    ]


def _senior(
    path: str | Path, limits: ReadLimits
) -> tuple[pl.DataFrame, list[Finding], dict[str, str]]:
    source = str(path)
    findings: list[Finding] = []
    raw = read_frame(path, limits=limits, warnings=findings)
    c_id = find_column(raw, ["Post Unique Reference"], source=source)
    c_to = find_column(raw, ["Reports to Senior Post"], source=source)
    c_title = find_column(raw, ["Job Title"], source=source, required=False)
    c_grade = find_column(raw, ["Grade (or equivalent)", "Grade"], source=source, required=False)
    c_unit = find_column(raw, ["Unit"], source=source, required=False)
    c_fte = find_column(raw, ["FTE"], source=source, required=False)
    c_floor = find_column(raw, ["Actual Pay Floor (£)"], source=source, required=False)
    c_ceiling = find_column(raw, ["Actual Pay Ceiling (£)"], source=source, required=False)
    c_name = find_column(raw, ["Name"], source=source, required=False)
    assert c_id is not None and c_to is not None
    n = raw.height
    empty = pl.repeat(None, n, dtype=pl.String, eager=True)

    def text(col: str | None) -> pl.Series:
        return empty if col is None else clean_text(raw[col])

    if c_fte is not None:
        fte, problems = read_number_column(raw, c_fte, POST_FTE, source=source)
        findings += problems
        blank = clean_text(raw[c_fte]).is_null()
        for row in raw.filter(blank)[ROW_COLUMN].to_list():
            findings.append(
                FormatWarning("blank-fte", BLANK_FTE.format(default=1), source, row, c_fte, "")
            )
        fte = fte.fill_null(1.0)
    else:
        fte = pl.repeat(1.0, n, dtype=pl.Float64, eager=True)
    pay: list[pl.Series] = []
    for col in (c_floor, c_ceiling):
        if col is None:
            pay.append(pl.repeat(None, n, dtype=pl.Float64, eager=True))
            continue
        values, problems = read_number_column(raw, col, PAY, source=source)
        findings += problems
        pay.append(values)
    vacant = (
        text(c_name).str.to_uppercase().is_in(list(_VACANT)).fill_null(False)
        if c_name is not None
        else pl.repeat(False, n, dtype=pl.Boolean, eager=True)
    )
    findings += _blank_references(
        raw,
        c_to,
        source,
        REPAIRED_BLANK_REPORTS_TO,
        "a post ID, or XX for a top post",
        exclude=raw[c_id].str.strip_chars() == NOT_IN_POST_ID,
    )
    record_cols = [c for c in raw.columns if c not in PROVENANCE_COLUMNS]
    record = raw.select(
        pl.concat_str([pl.col(c).fill_null("") for c in record_cols], separator="\x1f")
    ).to_series()
    post_id = raw[c_id].str.strip_chars()
    frame = pl.DataFrame(
        {
            "row": raw[ROW_COLUMN],
            "post_id": post_id,
            "reports_to": raw[c_to],
            "title": text(c_title),
            "grade": text(c_grade),
            "unit": text(c_unit),
            "fte": fte,
            "cost": _midpoint(pay[0], pay[1]),
            "vacant": vacant,
            "agency": pl.repeat(False, n, dtype=pl.Boolean, eager=True),
            "match_key": post_id,
            "record": record,
        },
        schema=POST_SCHEMA,
    )
    names = {"post_id": c_id, "reports_to": c_to}
    for key, col in (("title", c_title), ("grade", c_grade), ("unit", c_unit), ("fte", c_fte)):
        if col is not None:
            names[key] = col
    return frame, findings, names


def _junior_header(path: str | Path, limits: ReadLimits) -> pl.DataFrame | None:
    """A junior file holding its header and no rows, as an empty frame; else ``None``.

    Such a file says the structure has no junior staff (an export of a
    structure without them is one), so it is read as that, not refused.
    """
    p = Path(path)
    try:
        source = read_source(p, str(p), choose=first_data_sheet, limits=limits)
        rows = source.sheets[0].rows
        try:
            first = next(rows, None)
            rest = next(rows, None)
        finally:
            rows.close()
    except (SourceError, OSError):
        return None
    if first is None or rest is not None:
        return None
    names = [str(name) for name in first[1] if name is not None and str(name).strip()]
    schema: dict[str, pl.DataType] = {name: pl.String() for name in names}
    frame = pl.DataFrame(schema={**schema, ROW_COLUMN: pl.Int64()})
    for required in (["Reporting Senior Post"], ["Number of Posts in FTE"]):
        if find_column(frame, required, source=str(path), required=False) is None:
            return None
    return frame


def _junior(path: str | Path, limits: ReadLimits) -> tuple[pl.DataFrame, list[Finding], str]:
    source = str(path)
    findings: list[Finding] = []
    try:
        raw = read_frame(path, limits=limits, warnings=findings)
    except FormatError as error:
        empty = _junior_header(path, limits)
        if empty is None or any(problem.code != "empty" for problem in error.problems):
            raise
        raw = empty
    c_to = find_column(raw, ["Reporting Senior Post"], source=source)
    c_fte = find_column(raw, ["Number of Posts in FTE"], source=source)
    c_min = find_column(raw, ["Payscale Minimum (£)"], source=source, required=False)
    c_max = find_column(raw, ["Payscale Maximum (£)"], source=source, required=False)
    assert c_to is not None and c_fte is not None
    n = raw.height
    blank = raw[c_to].str.strip_chars().fill_null("") == ""
    if blank.any():
        # Junior staff under no senior post cannot be placed: a lenient import
        # leaves them out, as it does staff under a post not in the file.
        findings += _blank_references(
            raw, c_to, source, REPAIRED_BLANK_SENIOR, "the ID of a senior post", fte=c_fte
        )
        raw = raw.filter(~blank)
        n = raw.height
    fte, problems = read_number_column(raw, c_fte, JUNIOR_FTE, source=source)
    findings += problems
    for row in raw.filter(clean_text(raw[c_fte]).is_null())[ROW_COLUMN].to_list():
        findings.append(
            FormatWarning("blank-fte", BLANK_FTE.format(default=0), source, row, c_fte, "")
        )
    fte = fte.fill_null(0.0)
    pay: list[pl.Series] = []
    for col in (c_min, c_max):
        if col is None:
            pay.append(pl.repeat(None, n, dtype=pl.Float64, eager=True))
            continue
        values, problems = read_number_column(raw, col, PAY, source=source)
        findings += problems
        pay.append(values)
    cost = _midpoint(pay[0], pay[1]) * fte
    frame = pl.DataFrame(
        {
            "row": raw[ROW_COLUMN],
            "reports_to": raw[c_to].str.strip_chars(),
            "fte": fte,
            "cost": cost,
        },
        schema=JUNIOR_SCHEMA,
    )
    return frame, findings, c_to


def read_organogram(
    senior: str | Path,
    junior: str | Path | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PostTable:
    """Read an organogram senior file and, optionally, its junior file.

    Parameters
    ----------
    senior : path
        The senior posts CSV or spreadsheet.
    junior : path, optional
        The junior staff file; its FTE and cost are attached to the senior
        post each row reports to.

    Returns
    -------
    PostTable
        Findings (non-numeric FTE or pay, blank FTE) are in ``findings``;
        reporting lines are checked by
        :func:`~goldenthread.formats.posts.build_structure`.

    Raises
    ------
    goldenthread.formats.reading.FormatError
        If a file cannot be read or lacks a required column.
    """
    posts, findings, names = _senior(senior, limits)
    junior_frame = None
    if junior is not None:
        junior_frame, more, c_to = _junior(junior, limits)
        findings += more
        names["junior_reports_to"] = c_to
    ordered = sorted(
        findings, key=lambda f: (f.file, f.row or 0, 0 if isinstance(f, Problem) else 1)
    )
    return PostTable(
        source=str(senior),
        posts=posts,
        junior=junior_frame,
        junior_source="" if junior is None else str(junior),
        findings=tuple(ordered),
        columns=names,
        matched_by="post ID",
    )
