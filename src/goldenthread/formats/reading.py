"""Reading CSV and XLSX files into text columns, and finding columns by name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

from goldenthread.formats.cells import QUOTED_PATTERN, unneutralise
from goldenthread.formats.errors import (
    EMPTY_FILE,
    MISSING_COLUMN,
    NOT_A_NUMBER,
    NOT_A_PAY_BAND,
    UNREADABLE,
    WIDE_PAY_BAND,
    Finding,
    FormatWarning,
    Problem,
)
from goldenthread.formats.values import parse_pay_bands
from goldenthread.formats.writing import first_data_sheet

__all__ = [
    "ROW_COLUMN",
    "FormatError",
    "find_column",
    "number_problems",
    "pay_band_findings",
    "read_frame",
]

ROW_COLUMN = "__row"
"""Column added to every frame: the row number, counting the header as row 1."""

_EXCEL = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


class FormatError(ValueError):
    """A file cannot be read at all (missing column, empty, not a table).

    Attributes
    ----------
    problems : tuple of Problem
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Spreadsheets store whole numbers as floats; IDs and counts must not
        # grow a ".0".
        return str(int(value)) if value.is_integer() else repr(value)
    return unneutralise(str(value))


def _read_excel(path: Path, sheet: str | None) -> pl.DataFrame:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    name = sheet if sheet is not None else first_data_sheet(book.sheet_names)
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not rows:
        return pl.DataFrame()
    header = [_cell(h) or "" for h in rows[0]]
    width = len(header)
    names = _unique(header)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for raw in rows[1:]:
        cells = [_cell(v) for v in raw[:width]]
        cells += [None] * (width - len(cells))
        if all(c is None or c == "" for c in cells):
            continue
        for j, c in enumerate(cells):
            columns[j].append(c)
    return pl.DataFrame(
        dict(zip(names, columns, strict=True)),
        schema=dict.fromkeys(names, pl.String),
    )


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}_duplicated_{seen[name] - 1}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def read_frame(path: str | Path, *, sheet: str | None = None) -> pl.DataFrame:
    """Every column of a CSV or spreadsheet as text, plus the row number.

    CSV is read as UTF-8 (a byte-order mark is ignored; undecodable bytes are
    replaced). For XLSX and other spreadsheets the first sheet is read unless
    ``sheet`` is given (an export's "About this file" sheet is passed over);
    whole numbers lose the ``.0`` that spreadsheets add. The quote an export
    puts before formula-looking text is taken off
    (:func:`goldenthread.formats.cells.unneutralise`).

    Raises
    ------
    FormatError
        If the file cannot be read or has no data rows.
    """
    p = Path(path)
    try:
        if p.suffix.lower() in _EXCEL:
            frame = _read_excel(p, sheet)
        else:
            try:
                frame = pl.read_csv(p, infer_schema=False, truncate_ragged_lines=True)
            except pl.exceptions.ComputeError:
                frame = pl.read_csv(
                    p, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True
                )
            frame = frame.with_columns(pl.all().str.replace(QUOTED_PATTERN, "$1"))
    except (OSError, pl.exceptions.PolarsError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FormatError(
            [Problem("unreadable", UNREADABLE.format(reason=reason), str(path))]
        ) from exc
    if frame.height == 0:
        raise FormatError([Problem("empty", EMPTY_FILE, str(path))])
    frame = frame.rename({c: unneutralise(c.lstrip("\ufeff")) for c in frame.columns})
    return frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW_COLUMN))


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("(£)", ""))


def find_column(
    frame: pl.DataFrame,
    candidates: Sequence[str],
    *,
    source: str,
    required: bool = True,
) -> str | None:
    """The first column whose name matches a candidate, ignoring case and punctuation.

    Raises
    ------
    FormatError
        If ``required`` and no candidate matches.

    Examples
    --------
    >>> frame = pl.DataFrame({"Post Unique Reference": ["1"], "Actual Pay Floor (£)": ["0"]})
    >>> find_column(frame, ["post unique reference"], source="x.csv")
    'Post Unique Reference'
    >>> find_column(frame, ["Actual Pay Floor"], source="x.csv")
    'Actual Pay Floor (£)'
    """
    by_norm = {_norm(c): c for c in reversed(frame.columns)}
    for cand in candidates:
        hit = by_norm.get(_norm(cand))
        if hit is not None:
            return hit
    if required:
        found = ", ".join(c for c in frame.columns if c != ROW_COLUMN)
        raise FormatError(
            [
                Problem(
                    "missing-column",
                    MISSING_COLUMN.format(column=candidates[0], found=found),
                    source,
                    1,
                    candidates[0],
                    None,
                    " or ".join(repr(c) for c in candidates),
                )
            ]
        )
    return None


def number_problems(
    frame: pl.DataFrame, column: str, bad: pl.Series, *, source: str, expected: str
) -> list[Problem]:
    """One problem per row where ``bad`` is true, naming the value found."""
    rows = frame.filter(bad.fill_null(False)).select(ROW_COLUMN, column)
    return [
        Problem(
            "not-a-number",
            NOT_A_NUMBER.format(column=column),
            source,
            int(row),
            column,
            value,
            expected,
        )
        for row, value in rows.iter_rows()
    ]


def pay_band_findings(
    frame: pl.DataFrame, column: str, *, source: str
) -> tuple[pl.Series, list[Finding]]:
    """The midpoint of each pay band in ``column``, with a problem for each row
    that is not a band and a warning for each band unusually wide."""
    mid, bad, wide = parse_pay_bands(frame[column])
    findings: list[Finding] = [
        Problem(
            "not-a-number",
            NOT_A_PAY_BAND.format(column=column),
            source,
            row,
            column,
            value,
            "a pay band such as '95000 - 99999'",
        )
        for row, value in frame.filter(bad).select(ROW_COLUMN, column).iter_rows()
    ]
    findings += [
        FormatWarning(
            "wide-pay-band", WIDE_PAY_BAND.format(value=value), source, row, column, value
        )
        for row, value in frame.filter(wide).select(ROW_COLUMN, column).iter_rows()
    ]
    return mid, findings
