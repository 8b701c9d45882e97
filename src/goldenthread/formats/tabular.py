"""Read a CSV or XLSX file into rows of text, whatever produced it.

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

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from goldenthread.formats.cells import unneutralise
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
NOT_READABLE = "{file}: could not be read as {kind}: {reason}"
EMPTY_FILE = "{file}: the file is empty; expected a header row"
NOT_TEXT = "{file}: the file is not UTF-8 or Windows-1252 text"


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

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as (row number, {header: value}); short rows are padded with blanks."""
        width = len(self.header)
        for row in self.rows:
            values = row.values + ("",) * (width - len(row.values))
            yield row.number, dict(zip(self.header, values, strict=False))


def _cell_text(value: object) -> str:
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


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(CellProblem(file, None, None, None, NOT_TEXT.format(file=file)))


def _read_csv(data: bytes, file: str) -> list[list[str]]:
    text = _decode(data, file)
    try:
        return [
            [unneutralise(cell.strip()) for cell in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as error:
        message = NOT_READABLE.format(file=file, kind="CSV", reason=error)
        raise TableError(CellProblem(file, None, None, None, message)) from error


def _read_xlsx(data: bytes, file: str, first_only: bool = True) -> list[list[list[str]]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        indices = [names.index(first_data_sheet(names))] if first_only else list(range(len(names)))
        return [
            [
                [_cell_text(cell) for cell in row]
                for row in workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
            ]
            for index in indices
        ]
    except Exception as error:  # calamine raises several types for a broken workbook
        message = NOT_READABLE.format(file=file, kind="an Excel workbook", reason=error)
        raise TableError(CellProblem(file, None, None, None, message)) from error


def _table(grid: list[list[str]], file: str) -> Table | None:
    numbered = [(number, row) for number, row in enumerate(grid, start=1) if any(row)]
    if not numbered:
        return None
    (_, header), *body = numbered
    return Table(
        file=file,
        header=tuple(cell.strip() for cell in header),
        rows=tuple(Row(number, tuple(row)) for number, row in body),
    )


def read_table(data: bytes, file: str) -> Table:
    """Read ``data`` (the bytes of ``file``) as a table with a header row.

    Blank rows are dropped; the row numbers of those kept are unchanged.
    """
    return read_sheets(data, file, first_only=True)[0]


def read_sheets(data: bytes, file: str, *, first_only: bool = False) -> list[Table]:
    """Every sheet of ``file`` that has a header row, in order; a CSV file is one sheet.

    A workbook may open with a sheet about the file (whose, what, when) before
    the sheet of records: a reader picks the sheet whose header it knows.

    >>> [table.header for table in read_sheets(b"code\\nPEO\\n", "units.csv")]
    [('code',)]
    """
    lower = file.lower()
    if lower.endswith(".csv"):
        grids = [_read_csv(data, file)]
    elif lower.endswith((".xlsx", ".xlsm")):
        grids = _read_xlsx(data, file, first_only=first_only)
    else:
        raise TableError(CellProblem(file, None, None, None, UNSUPPORTED_TYPE.format(file=file)))
    tables = [table for table in (_table(grid, file) for grid in grids) if table is not None]
    if not tables:
        raise TableError(CellProblem(file, None, None, None, EMPTY_FILE.format(file=file)))
    return tables
