"""Read a CSV or XLSX file into rows of text, whatever produced it.

The bytes are read within limits by :mod:`goldenthread.formats.sources`
(encodings, delimiters, malformed rows, workbooks built to exhaust memory).

Every value comes back as a stripped string (numbers from Excel are turned
into their shortest text, so ``7.0`` reads as ``7`` and leading zeros typed as
text survive). Row numbers are those a person sees in a spreadsheet: the
header is row 1. A workbook's "About this file" sheet is skipped, and the
quote an export puts before formula-looking text is taken off again
(:func:`goldenthread.formats.cells.unneutralise`), so an export reads back as
it went out.

>>> table = read_table(b"code,name\\nPEO,People\\n", "units.csv")
>>> table.header
('code', 'name')
>>> [(row.number, row.values) for row in table.rows]
[(2, ('PEO', 'People'))]
>>> read_table(b"code,name\\nX,'=1+1\\n", "units.csv").rows[0].values
('X', '=1+1')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from goldenthread.formats.cells import unneutralise
from goldenthread.formats.sources import (
    DEFAULT_LIMITS,
    ReadLimits,
    SourceError,
    SourceSheet,
    kind_of,
    read_source,
)
from goldenthread.formats.writing import first_data_sheet

__all__ = [
    "CellProblem",
    "Row",
    "Table",
    "TableError",
    "read_sheets",
    "read_table",
]

UNSUPPORTED_TYPE = "{file}: expected a .csv or .xlsx file"
EMPTY_FILE = "{file}: the file is empty; expected a header row"


@dataclass(frozen=True)
class CellProblem:
    """Something wrong in an input file, located as a person would look for it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + f": {self.message}"
        if self.value not in (None, ""):
            text += f" (found {self.value!r})"
        return text


class TableError(Exception):
    """The file could not be read as a table at all."""

    def __init__(self, problem: CellProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Row:
    number: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    file: str
    header: tuple[str, ...]
    rows: tuple[Row, ...] = field(default_factory=tuple)
    #: How the file was read, worth telling its owner ("read as Windows-1252 text").
    notes: tuple[str, ...] = ()

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as (row number, {header: value}); short rows are padded with blanks."""
        width = len(self.header)
        for row in self.rows:
            values = row.values + ("",) * (width - len(row.values))
            yield row.number, dict(zip(self.header, values, strict=False))


def _cell_text(value: object) -> str:
    if type(value) is str:  # every CSV value, most workbook values
        return unneutralise(value.strip())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return unneutralise(str(value).strip())


def _table(sheet: SourceSheet, file: str, notes: tuple[str, ...]) -> Table | None:
    rows = (
        (number, values)
        for number, values in ((n, tuple(map(_cell_text, row))) for n, row in sheet.rows)
        if any(values)
    )
    first = next(rows, None)
    if first is None:
        return None
    return Table(
        file=file,
        header=first[1],
        rows=tuple(Row(number, values) for number, values in rows),
        notes=notes,
    )


def read_table(data: bytes, file: str, *, limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """Read ``data`` (the bytes of ``file``) as a table with a header row.

    Blank rows are dropped; the row numbers of those kept are unchanged.
    """
    return read_sheets(data, file, first_only=True, limits=limits)[0]


def read_sheets(
    data: bytes, file: str, *, first_only: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> list[Table]:
    """Every sheet of ``file`` that has a header row, in order; a CSV file is one sheet.

    A workbook may open with a sheet about the file (whose, what, when) before
    the sheet of records: a reader picks the sheet whose header it knows.

    >>> [table.header for table in read_sheets(b"code\\nPEO\\n", "units.csv")]
    [('code',)]

    The file is read within ``limits``; a file passing one, or not what its
    name says, or with a malformed row, raises :class:`TableError` naming the
    row where there is one:

    >>> try:
    ...     read_table(b'code,name\\nPEO,"People\\nCOM,Communities\\n', "units.csv")
    ... except TableError as error:
    ...     print(error.problem.row, error.problem.message)
    2 units.csv: a quoted value starting on this row is never closed
    """
    kind = kind_of(file)
    if kind not in ("csv", "xlsx"):
        raise TableError(CellProblem(file, None, None, None, UNSUPPORTED_TYPE.format(file=file)))
    try:
        source = read_source(
            data, file, kind=kind, all_sheets=not first_only, choose=first_data_sheet, limits=limits
        )
        notes = tuple(f"{file}: {note}" for note in source.notes)
        tables = [
            table
            for table in (_table(sheet, file, notes) for sheet in source.sheets)
            if table is not None
        ]
    except SourceError as error:
        message = error.describe(file, row=False)
        raise TableError(CellProblem(file, error.row, error.column, None, message)) from error
    if not tables:
        raise TableError(CellProblem(file, None, None, None, EMPTY_FILE.format(file=file)))
    return tables
