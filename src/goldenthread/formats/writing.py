"""Write spreadsheets a council officer can open, filter, print and import again.

Every export in goldenthread goes through this one writer, as an XLSX
workbook (:func:`write_xlsx`) or a CSV file (:func:`write_csv`).

Cells are typed by their Python value:

==================  ===========================================  =====================
value               XLSX cell                                    CSV text
==================  ===========================================  =====================
``Decimal``         number in pounds, ``£#,##0.00`` (money)      ``42500.00``
``int``, ``float``  number (pounds too in a ``money_columns``)   ``7``, ``0.5``
``date``            date, ``yyyy-mm-dd``                         ``2026-03-31``
``datetime``        date and time, ``yyyy-mm-dd hh:mm``          ``2026-03-31 09:30``
``bool``            text ``yes`` or ``no``                       ``yes``, ``no``
``str``             text, neutralised (see below)                the same, neutralised
``None``, NaN       empty                                        empty
==================  ===========================================  =====================

Money in goldenthread is always a ``Decimal``, so a ``Decimal`` is written
as pounds; a number that is not money (an FTE, a ratio) is given as a
``float``. Every text cell is passed through
:func:`goldenthread.formats.cells.neutralise`, so a name such as
``=HYPERLINK(...)`` is shown as text and never run; the readers undo it.

A workbook can start with an :class:`About` sheet, "About this file", saying
what the file is, for which organisation, as of when, and who exported it
when. The readers skip that sheet (:func:`first_data_sheet`), so an export
imports again as it is.

Rows are read once, as they come: a sheet's rows may be a generator over a
database cursor, and the workbook is written in xlsxwriter's constant-memory
mode, so tens of thousands of rows need no list of them in memory.

>>> data = write_xlsx([Sheet("Units", ("code", "name"), [("PEO", "People")])])
>>> data[:2]
b'PK'
>>> write_csv(("code", "name", "budget"), [("=1+1", "People", Decimal("-42500"))])
b"\\xef\\xbb\\xbfcode,name,budget\\r\\n'=1+1,People,-42500\\r\\n"
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from goldenthread.formats.cells import neutralise

__all__ = [
    "ABOUT_SHEET",
    "NEUTRALISING_NOTE",
    "About",
    "Cell",
    "Sheet",
    "cell_text",
    "first_data_sheet",
    "write_csv",
    "write_xlsx",
]

#: The name of the first sheet of an export, which says what the file is.
ABOUT_SHEET = "About this file"
#: Excel limits a sheet name to 31 characters, and forbids some characters in it.
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Wider columns are wrapped by the spreadsheet rather than stretched across the screen.
MAX_COLUMN_WIDTH = 60
#: Measuring this many rows is enough to size the columns; the rest follow the same shape.
WIDTH_SAMPLE_ROWS = 1000

MONEY_FORMAT = "£#,##0.00;[Red]-£#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
YES, NO = "yes", "no"

NEUTRALISING_NOTE = (
    "Text that begins with =, +, -, @, a tab or a carriage return is written with a single "
    "quote (') in front, so a spreadsheet shows it as text and never runs it as a formula. "
    "goldenthread removes that quote when the file is imported again."
)

Cell = str | int | float | Decimal | date | datetime | bool | None


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, header row and rows (read once, in order)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    #: Indexes of columns whose ``int`` or ``float`` values are pounds too.
    money_columns: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class About:
    """What an exported file is, for its first sheet.

    >>> about = About(
    ...     what="Units",
    ...     organisation="Brackenford Borough Council",
    ...     exported_at=datetime(2026, 4, 1, 9, 30),
    ...     exported_by="Sam Patel",
    ...     as_of=date(2026, 3, 31),
    ... )
    >>> for label, value in about.rows(["Units"])[:5]:
    ...     print(f"{label}: {value}")
    File: Units
    Organisation: Brackenford Borough Council
    As of: 2026-03-31
    Exported: 2026-04-01 09:30:00
    Exported by: Sam Patel
    """

    what: str
    organisation: str
    exported_at: datetime
    exported_by: str
    as_of: date | None = None
    #: More ``(label, value)`` lines, such as the snapshot's status.
    notes: Sequence[tuple[str, Cell]] = ()

    def rows(self, sheets: Sequence[str]) -> list[tuple[str, Cell]]:
        """The sheet's lines, naming the data ``sheets`` that follow it."""
        return [
            ("File", self.what),
            ("Organisation", self.organisation),
            ("As of", self.as_of),
            ("Exported", self.exported_at),
            ("Exported by", self.exported_by),
            *self.notes,
            ("Sheets", ", ".join(sheets)),
            ("Formulas", NEUTRALISING_NOTE),
        ]


def first_data_sheet(names: Sequence[str]) -> str:
    """The sheet a reader should read: the first that is not the About sheet.

    >>> first_data_sheet(["About this file", "Posts", "Units"])
    'Posts'
    >>> first_data_sheet(["Sheet1"])
    'Sheet1'
    """
    for name in names:
        if name != ABOUT_SHEET:
            return name
    return names[0]


def _is_blank(value: Cell) -> bool:
    return (
        value is None
        or value == ""
        or (isinstance(value, float) and not math.isfinite(value))
        or (isinstance(value, Decimal) and not value.is_finite())
    )


def cell_text(value: Cell) -> str:
    """A value as CSV text: numbers plain, dates ISO, text neutralised.

    >>> [cell_text(v) for v in (Decimal("42500.50"), -2, 0.5, date(2026, 3, 31), True, "@A1")]
    ['42500.50', '-2', '0.5', '2026-03-31', 'yes', "'@A1"]
    """
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The bytes of a CSV file, UTF-8 with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(title) for title in header])
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", name).strip("' ")[:SHEET_NAME_LIMIT] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


class _Writer:
    """Writes typed cells into one workbook with its shared formats."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.money = workbook.add_format({"num_format": MONEY_FORMAT})
        self.day = workbook.add_format({"num_format": DATE_FORMAT})
        self.moment = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, worksheet: Any, row: int, column: int, value: Cell, money: bool) -> None:
        if _is_blank(value):
            return
        if isinstance(value, bool):
            worksheet.write_string(row, column, YES if value else NO)
        elif isinstance(value, Decimal):
            worksheet.write_number(row, column, float(value), self.money)
        elif isinstance(value, int | float):
            worksheet.write_number(row, column, value, self.money if money else None)
        elif isinstance(value, datetime):
            worksheet.write_datetime(row, column, value, self.moment)
        elif isinstance(value, date):
            worksheet.write_datetime(row, column, value, self.day)
        else:
            worksheet.write_string(row, column, neutralise(str(value)))

    def sheet(self, name: str, sheet: Sheet) -> None:
        worksheet = self.workbook.add_worksheet(name)
        widths = [len(title) for title in sheet.header]
        # Constant-memory mode writes row by row: the header goes first.
        for column, title in enumerate(sheet.header):
            worksheet.write_string(0, column, neutralise(title), self.bold)
        last = 0
        for last, row in enumerate(sheet.rows, start=1):
            for column, value in enumerate(row):
                self.cell(worksheet, last, column, value, column in sheet.money_columns)
                if last <= WIDTH_SAMPLE_ROWS and column < len(widths) and not _is_blank(value):
                    widths[column] = max(widths[column], len(cell_text(value)))
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, min(MAX_COLUMN_WIDTH, width + 2))
        worksheet.freeze_panes(1, 0)
        if sheet.header:
            worksheet.autofilter(0, 0, max(last, 1), len(sheet.header) - 1)

    def about(self, about: About, sheets: Sequence[str]) -> None:
        worksheet = self.workbook.add_worksheet(ABOUT_SHEET)
        worksheet.set_column(0, 0, 16, self.bold)
        worksheet.set_column(1, 1, 90, self.wrap)
        for row, (label, value) in enumerate(about.rows(sheets)):
            worksheet.write_string(row, 0, neutralise(label), self.bold)
            self.cell(worksheet, row, 1, value, money=False)


def write_xlsx(sheets: Sequence[Sheet], about: About | None = None) -> bytes:
    """The bytes of a workbook holding ``sheets`` in order, after ``about`` if given.

    Each sheet has a bold, frozen header row, a filter and sensible column
    widths; money is a number in pounds (never text), so totals still add up.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    # Constant memory: each row goes to a temporary file as it is written, so
    # a sheet's rows can be a generator over tens of thousands of records.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "remove_timezone": True})
    writer = _Writer(workbook)
    taken = {ABOUT_SHEET.lower()} if about is not None else set()
    names = [_sheet_name(sheet.name, taken) for sheet in sheets]
    if about is not None:
        writer.about(about, names)
    for name, sheet in zip(names, sheets, strict=True):
        writer.sheet(name, sheet)
    workbook.close()
    return buffer.getvalue()
