"""Exports: a register's rows as XLSX or CSV, through the one writer.

A view hands over the register's :class:`~goldenthread.kit.columns.Columns`
and its records; the kit writes each column's typed cells (money a number
in pounds, dates dates), opens the workbook with an "About this file" sheet
(what, whose, as of when, exported by whom and when), neutralises
formula-looking text, and answers the file with a name that says what and
when (``brackenford-units-2026-03-31.xlsx``)::

    @org_view()
    def unit_export(request, fmt):
        units = [row.unit for row in selectors.unit_tree(organisation=request.organisation)]
        return export_response(request, columns=UNIT_COLUMNS, records=units, what="Units", fmt=fmt)

The header row holds each column's ``name``, so the file imports again
through the same declaration. Records are read once, as they come: a
queryset is iterated in chunks, never held in a list.

Exports whose layout is set by someone else (the organogram pair, the
transparency file) or that hold several tables (a TOM version) build their
own :class:`~goldenthread.formats.writing.Sheet` rows and answer them with
:func:`workbook_response` or :func:`csv_response`, so they go through the
same writer and the same neutralising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone

from goldenthread.accounts.tenancy import OrgRequest
from goldenthread.formats.writing import About, Cell, Sheet, write_csv, write_xlsx

from .columns import Column, Columns, ColumnType
from .pages import download

__all__ = [
    "EXPORT_FORMATS",
    "NOT_AN_EXPORT_FORMAT",
    "about_file",
    "column_cell",
    "csv_response",
    "export_response",
    "export_rows",
    "workbook_response",
]

EXPORT_FORMATS = ("xlsx", "csv")
NOT_AN_EXPORT_FORMAT = "Exports are available as xlsx or csv"
#: Rows fetched from the database at a time when a queryset is exported.
CHUNK_SIZE = 2000


def _user_name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = user.get_full_name().strip()
    username = user.get_username()
    return f"{full} ({username})" if full and full != username else username


def about_file(
    request: OrgRequest,
    *,
    what: str,
    as_of: dt.date | None = None,
    notes: Sequence[tuple[str, Cell]] = (),
) -> About:
    """What an export from this request is: for the file's first sheet.

    Names the request's organisation and user, and the time now in the
    site's time zone (as Excel shows it, without a zone).
    """
    return About(
        what=what,
        organisation=request.organisation.name,
        exported_at=timezone.localtime().replace(tzinfo=None, microsecond=0),
        exported_by=_user_name(getattr(request, "user", None)),
        as_of=as_of,
        notes=notes,
    )


def column_cell(column: Column, value: Any) -> Cell:
    """``value`` as the typed cell ``column`` exports.

    >>> from decimal import Decimal
    >>> column_cell(Column("budget", "Budget", type=ColumnType.MONEY), 42500)
    Decimal('42500')
    >>> column_cell(Column("kind", "Kind", type=ColumnType.CHOICE,
    ...                    choices=[("shared_service", "Shared service")]), "shared_service")
    'shared service'
    >>> column_cell(Column("fte", "FTE", type=ColumnType.DECIMAL), Decimal("0.5"))
    0.5
    """
    if value is None or value == "":
        return None
    kind = column.type
    if kind == ColumnType.MONEY:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind == ColumnType.DECIMAL:
        # Money alone is a Decimal in a file; any other number is a plain number.
        return float(value)
    if kind == ColumnType.INTEGER:
        return int(value)
    if kind == ColumnType.BOOLEAN:
        return bool(value)
    if kind == ColumnType.DATE:
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return value
        return str(value)
    if kind == ColumnType.CHOICE:
        # The label, in lower case: what the docs and the import's messages name.
        labels = {str(stored): label for stored, label in column.choices}
        return labels.get(str(value), str(value)).lower()
    return str(value)


def _each(records: Iterable[Any]) -> Iterable[Any]:
    if isinstance(records, QuerySet):
        # Fetch in chunks rather than filling the queryset's cache with every row.
        return records.iterator(chunk_size=CHUNK_SIZE)
    return records


def export_rows(columns: Columns, records: Iterable[Any]) -> Iterator[tuple[Cell, ...]]:
    """Each record's typed cells, in the columns' order, one record at a time."""
    for record in _each(records):
        yield tuple(column_cell(column, column.export_value(record)) for column in columns)


def _sheet_title(what: str) -> str:
    return what[:1].upper() + what[1:]


def workbook_response(
    request: OrgRequest,
    *,
    sheets: Sequence[Sheet],
    what: str,
    as_of: dt.date | None = None,
    notes: Sequence[tuple[str, Cell]] = (),
    name: str | None = None,
) -> HttpResponse:
    """Answer ``sheets`` as a workbook after an About sheet, named by what and when.

    ``name`` replaces ``what`` in the file name when they should differ.
    """
    about = about_file(request, what=what, as_of=as_of, notes=notes)
    return download(
        write_xlsx(sheets, about=about),
        organisation=request.organisation,
        what=name or what,
        fmt="xlsx",
        as_of=as_of,
    )


def csv_response(
    request: OrgRequest,
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    what: str,
    as_of: dt.date | None = None,
) -> HttpResponse:
    """Answer ``rows`` as a CSV file (UTF-8 with a byte-order mark), named by what and when."""
    return download(
        write_csv(header, rows),
        organisation=request.organisation,
        what=what,
        fmt="csv",
        as_of=as_of,
    )


def export_response(
    request: OrgRequest,
    *,
    columns: Columns,
    records: Iterable[Any],
    what: str,
    fmt: str,
    as_of: dt.date | None = None,
    notes: Sequence[tuple[str, Cell]] = (),
) -> HttpResponse:
    """Answer a register's ``records`` as an XLSX or CSV file of its ``columns``.

    ``what`` says what the rows are ("Units", "Posts in As-is 2026"); it
    names the file and the data sheet. Any other ``fmt`` answers 404.
    """
    if fmt not in EXPORT_FORMATS:
        raise Http404(NOT_AN_EXPORT_FORMAT)
    header = columns.names
    rows = export_rows(columns, records)
    if fmt == "csv":
        return csv_response(request, header=header, rows=rows, what=what, as_of=as_of)
    sheet = Sheet(_sheet_title(what), header, rows)
    return workbook_response(request, sheets=[sheet], what=what, as_of=as_of, notes=notes)
