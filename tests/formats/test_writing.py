"""The one spreadsheet writer: typed cells, the About sheet, inert text, and reading back."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from goldenthread.formats.reading import read_frame
from goldenthread.formats.tabular import read_table
from goldenthread.formats.writing import (
    ABOUT_SHEET,
    DATE_FORMAT,
    MONEY_FORMAT,
    NEUTRALISING_NOTE,
    About,
    Sheet,
    write_csv,
    write_xlsx,
)

ATTACKS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\tcmd"]

ABOUT = About(
    what="Posts in As-is 2026",
    organisation="Brackenford Borough Council",
    exported_at=datetime(2026, 4, 1, 9, 30),
    exported_by="Sam Patel",
    as_of=date(2026, 3, 31),
    notes=[("Snapshot", "As-is 2026")],
)

HEADER = ("post_id", "title", "cost", "fte", "start", "vacant", "reports")
ROWS = [
    ("P1", "Chief Executive", Decimal("185000.00"), 1.0, date(2020, 1, 6), False, 7),
    ("P2", "Head of Finance", Decimal("-1250.50"), 0.5, date(2024, 9, 2), True, -3),
]


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode()


def _sheet_part(data: bytes, name: str) -> str:
    """The XML of the worksheet called ``name``."""
    workbook = _xml(data, "xl/workbook.xml")
    names = re.findall(r'<sheet name="([^"]*)"', workbook)
    return _xml(data, f"xl/worksheets/sheet{names.index(name) + 1}.xml")


def _number_format(data: bytes, sheet: str, ref: str) -> str:
    """The number format of cell ``ref`` (such as ``C2``) as Excel stores it."""
    cell = re.search(rf'<c r="{ref}"( s="(\d+)")?[^>]*>', _sheet_part(data, sheet))
    assert cell, f"no cell {ref}"
    style = int(cell.group(2) or 0)
    styles = _xml(data, "xl/styles.xml")
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs
    format_id = int(re.findall(r'<xf numFmtId="(\d+)"', xfs.group(1))[style])
    custom = {
        int(i): code.replace("&quot;", '"')
        for i, code in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    return custom.get(format_id, f"builtin {format_id}")


def _cell_type(data: bytes, sheet: str, ref: str) -> str:
    """``n`` for a number, ``inlineStr``/``s``/``str`` for text, as stored in the sheet."""
    match = re.search(rf'<c r="{ref}"[^>]*>', _sheet_part(data, sheet))
    assert match
    kind = re.search(r' t="(\w+)"', match.group(0))
    return kind.group(1) if kind else "n"


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return write_xlsx([Sheet("Posts", HEADER, iter(ROWS))], about=ABOUT)


def test_the_about_sheet_comes_first_and_says_what_the_file_is(workbook: bytes) -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook))
    assert book.sheet_names == [ABOUT_SHEET, "Posts"]
    lines = {row[0]: row[1] for row in book.get_sheet_by_name(ABOUT_SHEET).to_python()}
    assert lines["File"] == "Posts in As-is 2026"
    assert lines["Organisation"] == "Brackenford Borough Council"
    assert lines["As of"] == date(2026, 3, 31)
    assert lines["Exported"] == datetime(2026, 4, 1, 9, 30)
    assert lines["Exported by"] == "Sam Patel"
    assert lines["Snapshot"] == "As-is 2026"
    assert lines["Sheets"] == "Posts"
    assert lines["Formulas"] == NEUTRALISING_NOTE


def test_money_is_a_number_in_pounds_and_dates_are_dates(workbook: bytes) -> None:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(workbook)).get_sheet_by_name("Posts")
    body = rows.to_python()[1:]
    assert body[0] == ["P1", "Chief Executive", 185000.0, 1.0, date(2020, 1, 6), "no", 7.0]
    assert body[1] == ["P2", "Head of Finance", -1250.5, 0.5, date(2024, 9, 2), "yes", -3.0]
    for ref in ("C2", "C3"):
        assert _cell_type(workbook, "Posts", ref) == "n"
        assert _number_format(workbook, "Posts", ref) == MONEY_FORMAT
    assert _number_format(workbook, "Posts", "E2") == DATE_FORMAT
    assert _cell_type(workbook, "Posts", "D3") == "n"
    assert _number_format(workbook, "Posts", "D3") == "builtin 0"
    # A negative number stays a number: never neutralised into text.
    assert _cell_type(workbook, "Posts", "G3") == "n"


def test_money_columns_format_whole_pounds_given_as_numbers() -> None:
    data = write_xlsx([Sheet("Units", ("unit", "cost"), [("PEO", 42500)], frozenset({1}))])
    assert _number_format(data, "Units", "B2") == MONEY_FORMAT


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_looking_text_is_written_inert_in_a_workbook(text: str) -> None:
    data = write_xlsx([Sheet("Posts", ("post_id", "title"), [("P1", text)])])
    part = _sheet_part(data, "Posts")
    assert "<f>" not in part
    assert _cell_type(data, "Posts", "B2") != "n"
    cell = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[1][1]
    assert cell == "'" + text
    # The readers take the quote off again, and only the quote.
    assert read_table(data, "posts.xlsx").rows[0].values == ("P1", text)


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_looking_text_is_written_inert_in_a_csv(text: str) -> None:
    data = write_csv(("post_id", "title", "change"), [("P1", text, -2)])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["P1", "'" + text, "-2"]
    assert read_table(data, "posts.csv").rows[0].values == ("P1", text, "-2")


def test_the_structure_reader_skips_the_about_sheet_and_takes_the_quotes_off(
    tmp_path: Path, workbook: bytes
) -> None:
    data = write_xlsx(
        [Sheet("Posts", ("post_id", "title"), [("P1", "=1+1"), ("P2", "Clerk")])], about=ABOUT
    )
    (tmp_path / "posts.xlsx").write_bytes(data)
    frame = read_frame(tmp_path / "posts.xlsx")
    assert frame["title"].to_list() == ["=1+1", "Clerk"]
    (tmp_path / "posts.csv").write_bytes(
        write_csv(("post_id", "title"), [("P1", "@SUM(A1)"), ("P2", "'=x")])
    )
    frame = read_frame(tmp_path / "posts.csv")
    assert frame.columns[:2] == ["post_id", "title"]
    assert frame["title"].to_list() == ["@SUM(A1)", "'=x"]


def test_csv_cells_are_plain_text_of_their_values() -> None:
    data = write_csv(
        ("name", "budget", "fte", "from", "at", "active", "note"),
        [
            (
                "People",
                Decimal("42500.00"),
                0.5,
                date(2026, 3, 31),
                datetime(2026, 4, 1, 9, 30),
                True,
                None,
            ),
            ("Place", Decimal("-7"), float("nan"), None, None, False, "a, b"),
        ],
    )
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1] == "People,42500.00,0.5,2026-03-31,2026-04-01 09:30,yes,"
    assert lines[2] == 'Place,-7,,,,no,"a, b"'


def test_rows_are_read_once_as_they_come() -> None:
    produced = []

    def rows():
        for n in range(3000):
            produced.append(n)
            yield (f"P{n}", Decimal(n))

    data = write_xlsx([Sheet("Posts", ("post_id", "cost"), rows())])
    assert len(produced) == 3000
    table = read_table(data, "posts.xlsx")
    assert len(table.rows) == 3000
    assert table.rows[-1].values == ("P2999", "2999")


def test_sheet_names_are_made_safe_for_excel() -> None:
    data = write_xlsx(
        [
            Sheet("Costs [2026/27]: by unit and by very long description", ("a",), []),
            Sheet("About this file", ("a",), []),
        ],
        about=ABOUT,
    )
    names = CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
    assert names[0] == ABOUT_SHEET
    assert names[1] == "Costs  2026 27   by unit and by"
    assert names[2] == "About this file (2)"
    assert all(len(name) <= 31 for name in names)
