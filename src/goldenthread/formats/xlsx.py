"""Write workbooks (.xlsx) a council officer can open, filter and print.

Each sheet has a bold, frozen header row, a filter, sensible column widths,
and money as numbers in a pounds format (never text), so totals still add up
in Excel.

>>> data = write_xlsx([Sheet("Units", ("Code", "Name"), [("PEO", "People")])])
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

__all__ = ["Sheet", "write_xlsx"]

#: Excel limits a sheet name to 31 characters.
SHEET_NAME_LIMIT = 31
MAX_COLUMN_WIDTH = 60

Cell = str | int | float | Decimal | date | datetime | bool | None


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    #: Indexes of columns holding money in pounds.
    money_columns: frozenset[int] = field(default_factory=frozenset)


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Return the bytes of a workbook holding ``sheets`` in order."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    money = workbook.add_format({"num_format": "£#,##0.00;[Red]-£#,##0.00"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:SHEET_NAME_LIMIT])
        widths = [len(title) for title in sheet.header]
        for column, title in enumerate(sheet.header):
            worksheet.write_string(0, column, title, bold)
        for row_index, row in enumerate(sheet.rows, start=1):
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    worksheet.write_number(
                        row_index,
                        column,
                        float(value),
                        money if column in sheet.money_columns else None,
                    )
                elif isinstance(value, bool):
                    worksheet.write_boolean(row_index, column, value)
                elif isinstance(value, int | float):
                    worksheet.write_number(
                        row_index, column, value, money if column in sheet.money_columns else None
                    )
                elif isinstance(value, datetime | date):
                    worksheet.write_datetime(row_index, column, value, day)
                else:
                    worksheet.write_string(row_index, column, str(value))
                if column < len(widths):
                    widths[column] = max(widths[column], len(str(value)))
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, min(MAX_COLUMN_WIDTH, width + 2))
        worksheet.freeze_panes(1, 0)
        if sheet.header:
            worksheet.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.header) - 1)
    workbook.close()
    return buffer.getvalue()
