"""The export kit: a register's declared columns written as typed, inert XLSX and CSV."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.test import RequestFactory
from python_calamine import CalamineWorkbook

from goldenthread.core.columns import UNIT_COLUMNS
from goldenthread.core.selectors import unit_list
from goldenthread.formats.writing import ABOUT_SHEET, DATE_FORMAT, MONEY_FORMAT
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.kit.exports import NOT_AN_EXPORT_FORMAT, export_response
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\tcmd"]

BUDGETS = Columns(
    "budget line",
    [
        Column("code", "Code", required=True),
        Column("title", "Title"),
        Column("budget", "Budget", type=ColumnType.MONEY),
        Column("starts", "Starts", type=ColumnType.DATE),
        Column("posts", "Posts", type=ColumnType.INTEGER),
        Column("fte", "FTE", type=ColumnType.DECIMAL),
        Column("ringfenced", "Ring-fenced", type=ColumnType.BOOLEAN),
        Column("rag", "RAG", type=ColumnType.CHOICE, choices=[("amber", "Amber"), ("red", "Red")]),
        Column("owner", "Owner", value=lambda line: line.owner.upper()),
    ],
    key="code",
)


def _line(code: str, title: str, budget: str, **more) -> SimpleNamespace:
    values = {
        "starts": date(2026, 4, 1),
        "posts": 3,
        "fte": Decimal("2.5"),
        "ringfenced": False,
        "rag": "amber",
        "owner": "sam",
        **more,
    }
    return SimpleNamespace(code=code, title=title, budget=Decimal(budget), **values)


LINES = [
    _line("B1", "Adult social care", "1250000.00", ringfenced=True),
    _line("B2", "Refunds", "-4200.50", rag="red", posts=-1),
]


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def request_for(organisation):
    user = UserFactory(username="sam", full_name="Sam Patel")

    def build(org=organisation):
        request = RequestFactory().get("/export")
        request.organisation = org
        request.user = user
        return request

    return build


def _styles(data: bytes, ref: str, sheet: int) -> tuple[str, str]:
    """(cell type, number format) of cell ``ref`` on the ``sheet``-th sheet, from the XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.read(f"xl/worksheets/sheet{sheet}.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    tag = re.search(rf'<c r="{ref}"[^>]*>', part)
    assert tag, ref
    kind = re.search(r' t="(\w+)"', tag.group(0))
    style = re.search(r' s="(\d+)"', tag.group(0))
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs
    format_id = re.findall(r'<xf numFmtId="(\d+)"', xfs.group(1))[
        int(style.group(1)) if style else 0
    ]
    custom = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    return (kind.group(1) if kind else "n", custom.get(format_id, f"builtin {format_id}"))


def test_the_workbook_has_an_about_sheet_and_typed_cells(request_for) -> None:
    response = export_response(
        request_for(),
        columns=BUDGETS,
        records=LINES,
        what="Budget lines",
        fmt="xlsx",
        as_of=date(2026, 3, 31),
        notes=[("Budget year", "2026/27")],
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="brackenford-budget-lines-2026-03-31.xlsx"'
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == [ABOUT_SHEET, "Budget lines"]
    about = dict(book.get_sheet_by_name(ABOUT_SHEET).to_python())
    assert about["File"] == "Budget lines"
    assert about["Organisation"] == "Brackenford Borough Council"
    assert about["As of"] == date(2026, 3, 31)
    assert isinstance(about["Exported"], datetime)
    assert about["Exported by"] == "Sam Patel (sam)"
    assert about["Budget year"] == "2026/27"
    rows = book.get_sheet_by_name("Budget lines").to_python()
    assert rows[0] == list(BUDGETS.names)
    assert rows[1] == [
        "B1",
        "Adult social care",
        1250000.0,
        date(2026, 4, 1),
        3.0,
        2.5,
        "yes",
        "amber",
        "SAM",
    ]
    assert rows[2][2] == -4200.5 and rows[2][4] == -1.0 and rows[2][7] == "red"
    # Money and dates are typed cells with their formats; numbers are numbers.
    assert _styles(response.content, "C2", 2) == ("n", MONEY_FORMAT)
    assert _styles(response.content, "C3", 2) == ("n", MONEY_FORMAT)
    assert _styles(response.content, "D2", 2) == ("n", DATE_FORMAT)
    assert _styles(response.content, "E3", 2)[0] == "n"
    assert _styles(response.content, "F2", 2)[0] == "n"


def test_the_csv_is_utf8_with_a_byte_order_mark_and_plain_values(request_for) -> None:
    response = export_response(
        request_for(), columns=BUDGETS, records=LINES, what="Budget lines", fmt="csv"
    )
    assert response["Content-Disposition"] == 'attachment; filename="brackenford-budget-lines.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(BUDGETS.names)
    assert rows[1] == [
        "B1",
        "Adult social care",
        "1250000.00",
        "2026-04-01",
        "3",
        "2.5",
        "yes",
        "amber",
        "SAM",
    ]
    # A negative number is a plain number, never given a quote.
    assert rows[2][2] == "-4200.50" and rows[2][4] == "-1"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_formula_looking_text_is_exported_inert(request_for, fmt: str) -> None:
    lines = [_line(f"B{n}", text, "1", owner=text) for n, text in enumerate(ATTACKS)]
    response = export_response(
        request_for(), columns=BUDGETS, records=lines, what="Budget lines", fmt=fmt
    )
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    else:
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        rows = book.get_sheet_by_name("Budget lines").to_python()[1:]
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert all(b"<f>" not in archive.read(name) for name in archive.namelist())
    assert [row[1] for row in rows] == ["'" + text for text in ATTACKS]
    assert [row[8] for row in rows] == ["'" + text.upper() for text in ATTACKS]


@pytest.mark.parametrize(
    "what",
    ["../../etc/passwd", 'x"; filename="evil.exe', "Posts\r\nSet-Cookie: a=b", "..\\..\\boot.ini"],
)
def test_the_file_name_cannot_be_steered_by_what_it_names(request_for, organisation, what) -> None:
    organisation.slug = "brackenford/../x"
    response = export_response(
        request_for(organisation), columns=BUDGETS, records=[], what=what, fmt="csv"
    )
    disposition = response["Content-Disposition"]
    name = re.fullmatch(r'attachment; filename="([a-z0-9-]+\.csv)"', disposition)
    assert name, disposition


def test_other_formats_are_not_found(request_for) -> None:
    with pytest.raises(Http404, match=NOT_AN_EXPORT_FORMAT):
        export_response(request_for(), columns=BUDGETS, records=LINES, what="x", fmt="xls")


def test_a_queryset_is_read_in_one_query_in_chunks(
    request_for, organisation, django_assert_num_queries
) -> None:
    top = UnitFactory(organisation=organisation, code="PEO", name="People")
    for n in range(25):
        UnitFactory(organisation=organisation, code=f"T{n:02d}", name=f"Team {n}", parent=top)
    queryset = unit_list(organisation=organisation).order_by("code")
    with django_assert_num_queries(1):
        response = export_response(
            request_for(), columns=UNIT_COLUMNS, records=queryset, what="Units", fmt="csv"
        )
    # Read through ``iterator()``: the queryset never caches every row.
    assert queryset._result_cache is None
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 27
    assert rows[1] == ["PEO", "People", "service", "", ""]
    assert rows[2] == ["T00", "Team 0", "service", "PEO", ""]


def test_a_long_register_is_written_without_holding_it(request_for) -> None:
    count = 10_000

    def lines():
        for n in range(count):
            yield _line(f"B{n:05d}", f"Budget line {n} for the council's services", f"{n}.50")

    request = request_for()
    tracemalloc.start()
    try:
        response = export_response(
            request, columns=BUDGETS, records=lines(), what="Budget lines", fmt="xlsx"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Held in xlsxwriter's tables, 10,000 rows of nine cells peak at about
    # 13.5 MB (twice that for 20,000); written row by row the peak stays near
    # 5 MB whatever the length: the finished file and a few buffers.
    assert peak < 9 * 1024 * 1024, peak
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    body = rows.get_sheet_by_name("Budget lines").to_python()
    assert len(body) == count + 1
    assert body[-1][:3] == ["B09999", "Budget line 9999 for the council's services", 9999.5]
