"""Hostile and unusual files are read within limits, or refused with a message that says why."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from goldenthread.formats import sources
from goldenthread.formats.detect import detect_format, header_names
from goldenthread.formats.errors import FormatWarning
from goldenthread.formats.reading import ROW_COLUMN, FormatError, read_frame
from goldenthread.formats.sources import ReadLimits, SourceError, read_source
from goldenthread.formats.tabular import TableError, read_sheets, read_table
from goldenthread.formats.writing import About, Sheet, write_csv, write_xlsx
from tests import hostile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(
    *sheets: tuple[str, str],
    compresslevel: int = 6,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal .xlsx built by hand: each sheet is (name, the XML inside <sheetData>)
    or (name, a whole worksheet XML when it starts with '<?xml')."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    names = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1)
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
        f"<sheets>{names}</sheets></workbook>"
    )
    book_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, (_, cells) in enumerate(sheets, start=1):
            xml = cells if cells.startswith("<?xml") else worksheet(cells)
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def worksheet(cells: str, dimension: str = "A1") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def number(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


UNITS_ROWS = (
    '<row r="1">' + text("A1", "code") + text("B1", "name") + "</row>"
    '<row r="2">' + text("A2", "PEO") + text("B2", "People") + "</row>"
)


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if calamine is asked to load anything: the refusal must come first."""

    def refuse(stream: Any) -> Any:
        raise AssertionError("calamine was asked to load a workbook that should be refused")

    monkeypatch.setattr(sources, "_calamine", refuse)


def problem_of(error: pytest.ExceptionInfo[TableError]) -> Any:
    return error.value.problem


# --- The two cells A1 and XFD1048576 ------------------------------------------


TWO_CORNERS = workbook(
    (
        "Units",
        worksheet(
            '<row r="1">' + number("A1", 1) + "</row>"
            '<row r="1048576">' + number("XFD1048576", 2) + "</row>",
            dimension="A1:XFD1048576",
        ),
    )
)


def test_a_workbook_with_cells_at_opposite_corners_is_refused_before_the_grid_is_built(
    no_calamine: None,
) -> None:
    assert len(TWO_CORNERS) < 5000
    with pytest.raises(TableError) as error:
        read_table(TWO_CORNERS, "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: this workbook has 16,384 columns; at most 500 are read (sheet 'Units')"
    )


def test_the_structure_reader_refuses_it_too(tmp_path: Path, no_calamine: None) -> None:
    path = tmp_path / "posts.xlsx"
    path.write_bytes(TWO_CORNERS)
    with pytest.raises(FormatError) as error:
        read_frame(path)
    (problem,) = error.value.problems
    assert problem.code == "too-many-columns"
    assert (
        problem.message == "this workbook has 16,384 columns; at most 500 are read (sheet 'Units')"
    )
    assert problem.file == str(path)


def test_a_sheet_past_the_row_limit_names_it() -> None:
    last = UNITS_ROWS + '<row r="1001">' + number("A1001", 1) + "</row>"
    assert read_table(workbook(("Units", last)), "units.xlsx", limits=ReadLimits(max_rows=1000))
    data = workbook(("Units", last + '<row r="1002">' + number("A1002", 1) + "</row>"))
    with pytest.raises(TableError) as error:
        read_table(data, "units.xlsx", limits=ReadLimits(max_rows=1000))
    assert problem_of(error).message == (
        "units.xlsx: the sheet 'Units' has more than 1,000 rows below its header; "
        "at most 1,000 are read"
    )


def test_a_sheet_past_the_cell_limit_names_its_size() -> None:
    data = workbook(("Units", UNITS_ROWS + '<row r="60">' + number("C60", 1) + "</row>"))
    with pytest.raises(TableError) as error:
        read_table(data, "units.xlsx", limits=ReadLimits(max_cells=100))
    assert problem_of(error).message == (
        "units.xlsx: the sheet 'Units' has more than 100 cells (60 rows by 3 columns); "
        "at most 100 are read"
    )


def test_the_cell_limit_counts_every_sheet_read() -> None:
    rows = UNITS_ROWS + '<row r="30">' + number("B30", 1) + "</row>"
    data = workbook(("Units", rows), ("More units", rows))
    tables = read_sheets(data, "units.xlsx", limits=ReadLimits(max_cells=120))
    assert [table.header for table in tables] == [("code", "name")] * 2
    with pytest.raises(TableError) as error:
        read_sheets(data, "units.xlsx", limits=ReadLimits(max_cells=119))
    assert problem_of(error).message == (
        "units.xlsx: the sheets read, up to 'More units', have more than 119 cells; "
        "at most 119 are read"
    )


# --- Used range: the cells that hold a value ------------------------------------


def test_a_lying_dimension_is_not_trusted_either_way(no_calamine: None) -> None:
    too_wide = "".join(number(f"{sources._column_letters(i)}1", i) for i in range(1, 502))
    data = workbook(("Units", worksheet(f'<row r="1">{too_wide}</row>', dimension="A1:B2")))
    with pytest.raises(TableError) as error:
        read_table(data, "units.xlsx")
    assert "this workbook has 501 columns; at most 500 are read" in problem_of(error).message


def test_a_huge_dimension_and_styled_empty_cells_count_for_nothing() -> None:
    data = workbook(
        (
            "Units",
            worksheet(
                UNITS_ROWS + '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
                dimension="A1:XFD1048576",
            ),
        )
    )
    table = read_table(data, "units.xlsx")
    assert table.header == ("code", "name")
    assert [(row.number, row.values) for row in table.rows] == [(2, ("PEO", "People"))]


def test_cells_without_references_are_placed_in_order() -> None:
    data = workbook(
        ("Units", "<row><c><v>1</v></c><c><v>2</v></c></row><row/><row><c><v>3</v></c></row>")
    )
    table = read_table(data, "units.xlsx")
    assert table.header == ("1", "2")
    assert [(row.number, row.values) for row in table.rows] == [(3, ("3", ""))]


def test_a_sheet_declaring_a_dtd_is_refused(no_calamine: None) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&lol2;</t></is></c></row></sheetData></worksheet>"
    )
    with pytest.raises(TableError) as error:
        read_table(workbook(("Units", laughs)), "units.xlsx")
    assert "declares a DTD" in problem_of(error).message


def test_a_value_longer_than_excel_allows_is_refused_with_its_cell() -> None:
    data = workbook(("Units", UNITS_ROWS + '<row r="3">' + text("B3", "x" * 32_768) + "</row>"))
    with pytest.raises(TableError) as error:
        read_table(data, "units.xlsx")
    problem = problem_of(error)
    assert (problem.row, problem.column) == (3, "B")
    assert problem.message == (
        "units.xlsx: a value has more than 32,767 characters; at most 32,767 are read"
    )


# --- Zip bombs -------------------------------------------------------------------


def repetitive_sheet(rows: int) -> str:
    return worksheet(UNITS_ROWS + "<row><c><v>1</v></c></row>" * rows)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A workbook of 12 MB of repeated rows, packed to about 40 KB."""
    return workbook(("Units", repetitive_sheet(500_000)), compresslevel=9)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(bomb: bytes, no_calamine: None) -> None:
    with pytest.raises(TableError) as error:
        read_table(bomb, "units.xlsx", limits=ReadLimits(max_unpacked_bytes=5 * sources.MIB))
    assert problem_of(error).message == (
        "units.xlsx: this workbook unpacks to 12 MB; at most 5 MB is read"
    )


def test_a_zip_bomb_is_refused_by_its_compression(bomb: bytes, no_calamine: None) -> None:
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml")
    ratio = info.file_size // info.compress_size
    assert ratio > 100
    with pytest.raises(TableError) as error:
        read_table(bomb, "units.xlsx")
    assert problem_of(error).message == (
        f"units.xlsx: part xl/worksheets/sheet1.xml is compressed {ratio:,} times; at most 100 "
        "is accepted (a file built to exhaust memory)"
    )


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the unpacked size of ``name`` changed in both of its headers."""
    out = bytearray(data)
    encoded = name.encode()
    local = out.find(b"PK\x03\x04")
    while local >= 0:
        (name_length,) = struct.unpack("<H", out[local + 26 : local + 28])
        if out[local + 30 : local + 30 + name_length] == encoded:
            out[local + 22 : local + 26] = struct.pack("<I", size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        (name_length,) = struct.unpack("<H", out[central + 28 : central + 30])
        if out[central + 46 : central + 46 + name_length] == encoded:
            out[central + 24 : central + 28] = struct.pack("<I", size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def test_a_part_unpacking_to_more_than_it_declares_is_refused(no_calamine: None) -> None:
    honest = workbook(("Units", repetitive_sheet(20_000)))
    lying = declare_size(honest, "xl/worksheets/sheet1.xml", 2000)
    with pytest.raises(TableError) as error:
        read_table(lying, "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: part xl/worksheets/sheet1.xml unpacks to more than the size it declares "
        "(a file built to exhaust memory)"
    )


def test_a_part_calamine_reads_beside_the_sheet_is_checked_too(no_calamine: None) -> None:
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * 10_000 + "</sst>"
    honest = workbook(("Units", UNITS_ROWS), extra={"xl/sharedStrings.xml": strings.encode()})
    lying = declare_size(honest, "xl/sharedStrings.xml", 1000)
    with pytest.raises(TableError) as error:
        read_table(lying, "units.xlsx")
    assert "part xl/sharedStrings.xml unpacks to more than the size it declares" in (
        problem_of(error).message
    )


def test_a_zip_of_thousands_of_parts_is_refused_before_they_are_listed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for i in range(sources.MAX_ZIP_PARTS + 1):
            z.writestr(f"p{i}", b"")
    with pytest.raises(TableError) as error:
        read_table(buffer.getvalue(), "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: this workbook has 10,001 parts; at most 10,000 are accepted "
        "(a file built to exhaust memory)"
    )


# --- CSV ---------------------------------------------------------------------------


def test_a_csv_file_of_200_000_columns_is_refused_from_its_header() -> None:
    data = b",".join(b"c%d" % i for i in range(200_000)) + b"\nx\n"
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    problem = problem_of(error)
    assert problem.row == 1
    assert problem.message == "units.csv: this file has 200,000 columns; at most 500 are read"


def test_a_quoted_header_of_too_many_columns_is_refused_too() -> None:
    data = b",".join(b'"c%d"' % i for i in range(501)) + b"\n"
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    assert problem_of(error).message == (
        "units.csv: this file has 501 columns; at most 500 are read"
    )


def test_a_csv_file_of_three_million_rows_stops_at_the_row_limit() -> None:
    data = b"code\n" + b"X\n" * 3_000_000
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv", limits=ReadLimits(max_rows=1000))
    problem = problem_of(error)
    assert problem.row == 1002
    assert (
        problem.message
        == "units.csv: this file has more than 1,000 rows below its header; at most 1,000 are read"
    )


def test_a_csv_file_past_the_cell_limit_is_refused() -> None:
    data = b"code,name\n" + b"X,Y\n" * 100
    with pytest.raises(FormatError) as error:
        read_frame_of(data, "units.csv", limits=ReadLimits(max_cells=50))
    (problem,) = error.value.problems
    # The header's 2 cells and 24 rows of 2 make 50; the next row, row 26, passes the limit.
    assert (problem.code, problem.row) == ("too-many-cells", 26)


def read_frame_of(data: bytes, name: str, **kwargs: Any) -> pl.DataFrame:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_frame(path, **kwargs)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(encoding: str) -> None:
    bom = "\ufeff".encode(encoding)
    data = bom + "code,name\r\nCAF,Café £5\r\n".encode(encoding)
    table = read_table(data, "units.csv")
    assert table.header == ("code", "name")
    assert [row.values for row in table.rows] == [("CAF", "Café £5")]
    assert table.notes == ("units.csv: the file is UTF-16 text, not UTF-8; it was read as UTF-16",)


def test_utf8_with_and_without_a_byte_order_mark_is_read_without_a_note() -> None:
    for data in ("code,name\nCAF,Café\n".encode(), "code,name\nCAF,Café\n".encode("utf-8-sig")):
        table = read_table(data, "units.csv")
        assert (table.header, table.rows[0].values, table.notes) == (
            ("code", "name"),
            ("CAF", "Café"),
            (),
        )


def test_windows_1252_is_read_with_a_note() -> None:
    data = "code,name\nCAF,Café – £5\n".encode("cp1252")
    table = read_table(data, "units.csv")
    assert table.rows[0].values == ("CAF", "Café – £5")
    assert table.notes == (
        "units.csv: the file is not UTF-8 text; it was read as Windows-1252 text",
    )
    warnings: list[Any] = []
    frame = read_frame_of(data, "units.csv", warnings=warnings)
    assert frame["name"].to_list() == ["Café – £5"]
    assert [(w.code, w.message) for w in warnings] == [
        ("read-as", "the file is not UTF-8 text; it was read as Windows-1252 text")
    ]
    assert all(isinstance(w, FormatWarning) for w in warnings)


def test_bytes_that_are_no_text_are_refused() -> None:
    with pytest.raises(TableError) as error:
        read_table(b"code\n\x81\x8d\x8f\n", "units.csv")
    assert problem_of(error).message == (
        "units.csv: the file is not UTF-8, UTF-16 or Windows-1252 text"
    )


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_tab_semicolon_and_comma_files_are_read(delimiter: str) -> None:
    data = delimiter.join(["code", "name", "note"]) + "\n"
    data += delimiter.join(["PEO", '"People, Places; and\tThings"', ""]) + "\n"
    table = read_table(data.encode(), "units.csv")
    assert table.header == ("code", "name", "note")
    assert table.rows[0].values == ("PEO", "People, Places; and\tThings", "")


def test_an_unterminated_quote_is_an_error_naming_the_row_it_starts_on() -> None:
    data = b'code,name\nPEO,People\n\nCOM,"Communities\nFIN,Finance\nHR,Staff\n'
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    problem = problem_of(error)
    assert problem.row == 4
    assert problem.message == "units.csv: a quoted value starting on this row is never closed"
    assert str(error.value) == (
        "units.csv, row 4: units.csv: a quoted value starting on this row is never closed"
    )


def test_a_quote_closed_rows_later_is_an_error_on_the_row_it_opened() -> None:
    data = b'code,name\nPEO,"People\nCOM,Com "x" munities\n'
    with pytest.raises(FormatError) as error:
        read_frame_of(data, "units.csv")
    (problem,) = error.value.problems
    assert problem.row == 2
    assert problem.message.startswith("a quoted value starting on this row is not closed properly")


def test_a_quote_that_never_closes_over_a_long_file_is_refused_as_too_long() -> None:
    data = b'code,name\nPEO,"People\n' + b"COM,Communities\n" * 10_000
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    problem = problem_of(error)
    assert problem.row == 2
    assert "a value starting on this row has more than 32,767 characters" in problem.message


@pytest.mark.parametrize(
    "value",
    [b"x" * 40_000, b'"' + b"a line\n" * 6_000 + b'"'],
    ids=["one line", "many short lines"],
)
def test_a_csv_value_longer_than_excel_allows_is_refused_with_its_cell(value: bytes) -> None:
    data = b"code,name\nPEO,People\nCOM," + value + b"\nFIN,Finance\n"
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    problem = problem_of(error)
    assert (problem.row, problem.column) == (3, "name")
    assert problem.message == (
        "units.csv: a value has more than 32,767 characters; at most 32,767 are read"
    )


def test_a_ragged_row_is_an_error_naming_the_row_and_both_counts() -> None:
    for row in (b"COM,Communities,extra", b"COM"):
        data = b"code,name\nPEO,People\n" + row + b"\n"
        with pytest.raises(TableError) as error:
            read_table(data, "units.csv")
        problem = problem_of(error)
        found = row.count(b",") + 1
        assert problem.row == 3
        assert problem.message == f"units.csv: this row has {found} values; the header has 2"


def test_blank_values_beyond_the_header_are_not_a_shift() -> None:
    table = read_table(b"code,name,,\nPEO,People,,,,\nCOM,Communities\n", "units.csv")
    assert [row.values for row in table.rows] == [
        ("PEO", "People", "", ""),
        ("COM", "Communities", "", ""),
    ]


def test_a_nul_byte_is_an_error_with_its_row() -> None:
    with pytest.raises(TableError) as error:
        read_table(b"code,name\nPEO,People\nCOM,Comm\x00unities\n", "units.csv")
    problem = problem_of(error)
    assert problem.row == 3
    assert "holds a NUL byte" in problem.message


def test_utf16_without_a_byte_order_mark_is_named_as_such() -> None:
    with pytest.raises(TableError) as error:
        read_table("code,name\nPEO,People\n".encode("utf-16-le"), "units.csv")
    assert "is the file UTF-16 without a byte-order mark?" in problem_of(error).message


def test_rows_keep_the_numbers_a_spreadsheet_shows() -> None:
    data = b'\ncode,name\n\nPEO,People\n,\nCOM,"Two\nlines"\nFIN,Finance\n'
    frame = read_frame_of(data, "units.csv")
    assert frame[ROW_COLUMN].to_list() == [4, 6, 7]
    assert frame["name"].to_list() == ["People", "Two\nlines", "Finance"]


def test_a_header_that_does_not_parse_says_what_was_found() -> None:
    with pytest.raises(TableError) as error:
        read_table(b'code;"name\n', "units.csv")
    message = problem_of(error).message
    assert message.startswith("units.csv: the header row cannot be read as CSV separated by ")
    assert "never closed" in message


# --- A file that is not what its name says ------------------------------------------


def test_csv_text_named_xlsx_is_named_as_csv_text(no_calamine: None) -> None:
    with pytest.raises(TableError) as error:
        read_table(b"code,name\nPEO,People\n", "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx is CSV text, not an Excel workbook; name it .csv"
    )


def test_a_workbook_named_csv_is_named_as_a_workbook() -> None:
    data = write_xlsx([Sheet("Units", ("code",), [("PEO",)])])
    with pytest.raises(TableError) as error:
        read_table(data, "units.csv")
    assert problem_of(error).message == (
        "units.csv is an Excel workbook, not CSV text; save it as CSV or name it .xlsx"
    )
    with pytest.raises(FormatError) as frame_error:
        read_frame_of(data, "posts.csv")
    assert frame_error.value.problems[0].message.endswith(
        "is an Excel workbook, not CSV text; save it as CSV or name it .xlsx"
    )


def test_other_zip_files_and_binary_files_are_named_too() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("photo.jpg", b"\xff\xd8")
    assert message_of(buffer.getvalue(), "units.csv") == "units.csv is a zip file, not CSV text"
    assert message_of(buffer.getvalue(), "units.xlsx") == (
        "units.xlsx is a zip file, not an Excel workbook"
    )
    assert message_of(b"\x89PNG\r\n\x1a\n\x00\x00", "units.xlsx") == (
        "units.xlsx is not an Excel workbook; expected an .xlsx file saved by a spreadsheet"
    )
    assert message_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "units.xlsx") == (
        "units.xlsx is an Excel 97-2003 workbook or a password-protected workbook, not an "
        ".xlsx workbook; save it as .xlsx without a password, or as .csv"
    )


def message_of(data: bytes, name: str) -> str:
    with pytest.raises(SourceError) as error:
        read_source(data, name)
    return error.value.describe(name)


@pytest.mark.parametrize("name", ["posts.ods", "posts.xlsb"])
def test_formats_whose_size_cannot_be_checked_are_refused(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(write_xlsx([Sheet("Posts", ("id",), [("1",)])]))
    with pytest.raises(FormatError) as error:
        read_frame(path)
    assert error.value.problems[0].message.endswith("; save it as .xlsx or .csv")


# --- Exports read back exactly --------------------------------------------------------

EXPORT_HEADER = ("code", "name", "budget", "fte", "opened", "active", "note")
EXPORT_ROWS: list[tuple[Any, ...]] = [
    ("007", '=HYPERLINK("http://x","y")', Decimal("42500.50"), 0.5, date(2026, 3, 31), True, ""),
    ("PEO", "People; Places, and\tThings", Decimal("-2"), 1, None, False, "'quoted"),
    ("CAF", 'Café – £5 "quoted"\nsecond line', None, 12.25, date(2025, 1, 1), True, "+1+1"),
]


def test_a_csv_export_reads_back_exactly() -> None:
    data = write_csv(EXPORT_HEADER, EXPORT_ROWS)
    table = read_table(data, "units.csv")
    assert table.header == EXPORT_HEADER
    assert [row.values for row in table.rows] == [
        ("007", '=HYPERLINK("http://x","y")', "42500.50", "0.5", "2026-03-31", "yes", ""),
        ("PEO", "People; Places, and\tThings", "-2", "1", "", "no", "'quoted"),
        ("CAF", 'Café – £5 "quoted"\nsecond line', "", "12.25", "2025-01-01", "yes", "+1+1"),
    ]
    assert [row.number for row in table.rows] == [2, 3, 4]


def test_a_workbook_export_reads_back_exactly(tmp_path: Path) -> None:
    about = About("Units", "Brackenford", exported_at=date(2026, 4, 1), exported_by="Sam")  # type: ignore[arg-type]
    data = write_xlsx([Sheet("Units", EXPORT_HEADER, EXPORT_ROWS)], about=about)
    table = read_table(data, "units.xlsx")
    assert table.header == EXPORT_HEADER
    assert [row.values for row in table.rows] == [
        ("007", '=HYPERLINK("http://x","y")', "42500.5", "0.5", "2026-03-31", "yes", ""),
        ("PEO", "People; Places, and\tThings", "-2", "1", "", "no", "'quoted"),
        ("CAF", 'Café – £5 "quoted"\nsecond line', "", "12.25", "2025-01-01", "yes", "+1+1"),
    ]
    path = tmp_path / "units.xlsx"
    path.write_bytes(data)
    frame = read_frame(path)
    assert frame.columns == [*EXPORT_HEADER, ROW_COLUMN]
    assert frame["name"].to_list() == [row[1] for row in EXPORT_ROWS]
    assert frame[ROW_COLUMN].to_list() == [2, 3, 4]


# --- Header sniffing --------------------------------------------------------------------


def test_header_sniffing_is_bounded_and_reads_any_encoding(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_bytes(b",".join(b"c%d" % i for i in range(200_000)) + b"\n")
    assert header_names(wide) == []
    assert detect_format(wide) == "table"
    lga = tmp_path / "lga.csv"
    lga.write_bytes("Level\tJobTitle\r\n1\tChief Executive\r\n".encode("utf-16"))
    assert detect_format(lga) == "lga"
    assert header_names(lga, limits=ReadLimits(max_columns=1)) == []


# --- Excel 97-2003 ----------------------------------------------------------------------


class _FakeSheet:
    """What calamine reports of a full BIFF sheet; converting it would fail the test."""

    end = (65_535, 255)

    def to_python(self, **_: Any) -> Any:
        raise AssertionError("the sheet was converted before its size was checked")


class _FakeBook:
    sheet_names = ("About this file", "Posts")

    def get_sheet_by_name(self, name: str) -> _FakeSheet:
        assert name == "Posts"
        return _FakeSheet()


def test_an_old_workbook_is_checked_from_its_size_before_its_cells_are_converted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sources, "_calamine", lambda stream: _FakeBook())
    path = tmp_path / "posts.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(FormatError) as error:
        read_frame(path, limits=ReadLimits(max_columns=300))
    assert error.value.problems[0].message == (
        "the sheet 'Posts' has more than 5,000,000 cells (65,536 rows by 256 columns); "
        "at most 5,000,000 are read"
    )
    with pytest.raises(FormatError) as error:
        read_frame(path, limits=ReadLimits(max_columns=200))
    assert error.value.problems[0].message == (
        "this workbook has 256 columns; at most 200 are read (sheet 'Posts')"
    )


def test_an_xlsx_workbook_named_xls_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "posts.xls"
    path.write_bytes(write_xlsx([Sheet("Posts", ("id",), [("1",)])]))
    with pytest.raises(FormatError) as error:
        read_frame(path)
    assert error.value.problems[0].message == (
        "the file is an .xlsx workbook, not an Excel 97-2003 workbook; name it .xlsx"
    )
    assert str(error.value.problems[0]).count(str(path)) == 1


def test_cells_calamine_finds_beyond_the_scanned_range_stop_the_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "_scan_sheet", lambda *args: (1, 1, 0))
    with pytest.raises(TableError) as error:
        read_table(workbook(("Units", UNITS_ROWS)), "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: this workbook is damaged and cannot be read: sheet 'Units' holds cells "
        "its scan did not find"
    )


def test_an_empty_sheet_reads_as_an_empty_file() -> None:
    with pytest.raises(TableError) as error:
        read_table(workbook(("Units", "")), "units.xlsx")
    assert problem_of(error).message == "units.xlsx: the file is empty; expected a header row"


# --- Text copied into cells: shared strings, and all the text read -----------------


def test_a_shared_string_shown_in_many_cells_is_counted_in_each(no_calamine: None) -> None:
    data = hostile.shared_string_bomb(10_000, 32_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # Too small a part to be held to the compression ratio.
        assert archive.getinfo("xl/sharedStrings.xml").file_size < sources.RATIO_GRACE_BYTES
    assert len(data) < 30_000
    with pytest.raises(TableError) as error:
        read_table(data, "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: the sheet 'Units' holds more than 100,000,000 characters of text; "
        "at most 100,000,000 are read"
    )


def test_the_text_limit_counts_shared_inline_and_plain_values_of_every_sheet_read() -> None:
    # 'code' and 'name' (shared, 4 each), 'PEO' (inline, 3), 12.5 (a value, 4): 15 a sheet.
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v> 1 </v></c></row>'
        '<row r="2">' + text("A2", "PEO") + number("B2", 12.5) + "</row>"
    )
    table = hostile.shared_strings("code", "name")
    data = workbook(("Units", rows), ("More", rows), extra={"xl/sharedStrings.xml": table})
    tables = read_sheets(data, "units.xlsx", limits=ReadLimits(max_total_chars=30))
    assert [t.rows[0].values for t in tables] == [("PEO", "12.5")] * 2
    with pytest.raises(TableError) as error:
        read_sheets(data, "units.xlsx", limits=ReadLimits(max_total_chars=29))
    assert problem_of(error).message == (
        "units.xlsx: the sheet 'More' holds more than 29 characters of text; at most 29 are read"
    )


def test_the_shared_strings_named_by_the_relationships_are_the_ones_counted(
    no_calamine: None,
) -> None:
    data = hostile.shared_string_bomb(10, 100)
    renamed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(renamed, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            name = info.filename
            if name == "xl/sharedStrings.xml":
                name = "xl/strings.xml"
            if name == "xl/_rels/workbook.xml.rels":
                content = content.replace(b'Target="sharedStrings.xml"', b'Target="strings.xml"')
            target.writestr(name, content)
    with pytest.raises(TableError) as error:
        read_table(renamed.getvalue(), "units.xlsx", limits=ReadLimits(max_total_chars=999))
    assert "holds more than 999 characters of text" in problem_of(error).message


def test_a_shared_string_longer_than_a_cell_may_hold_is_refused(no_calamine: None) -> None:
    with pytest.raises(TableError) as error:
        read_table(hostile.shared_string_bomb(1, 32_768), "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: a value has more than 32,767 characters; at most 32,767 are read "
        "(shared string 1)"
    )


def test_a_csv_file_past_the_text_limit_is_refused_at_its_row() -> None:
    data = b"code,name\n" + b"PEO,People\n" * 10
    # The header's 8 characters and 9 a row: 98 after row 11, 107 after row 12.
    assert read_table(data, "units.csv", limits=ReadLimits(max_total_chars=98))
    with pytest.raises(TableError) as error:
        read_table(data + b"COM,People\n", "units.csv", limits=ReadLimits(max_total_chars=98))
    problem = problem_of(error)
    assert problem.row == 12
    assert problem.message == (
        "units.csv: this file holds more than 98 characters of text; at most 98 are read"
    )


# --- References that are no number ----------------------------------------------


@pytest.mark.parametrize(
    ("row", "ref", "shown"),
    [
        ("²", "A1", "bad row number '²'"),
        ("١", "A1", "bad row number '١'"),
        ("9" * 4_300, "A1", "bad row number '99999999999999999999'"),
        ("1", "A²", "bad cell 'A²'"),
        ("1", "A" + "9" * 4_300, "bad cell 'A9999999999999999999'"),
    ],
)
def test_a_reference_that_is_no_number_is_a_damaged_workbook(
    row: str, ref: str, shown: str, no_calamine: None
) -> None:
    with pytest.raises(TableError) as error:
        read_table(hostile.bad_reference(row, ref), "units.xlsx")
    assert problem_of(error).message == (
        f"units.xlsx: this workbook is damaged and cannot be read: sheet 'Units': {shown}"
    )


def test_a_cell_pointing_past_the_shared_strings_is_a_damaged_workbook(no_calamine: None) -> None:
    with pytest.raises(TableError) as error:
        read_table(hostile.shared_string_out_of_range(), "units.xlsx")
    assert problem_of(error).message == (
        "units.xlsx: this workbook is damaged and cannot be read: sheet 'Units': cell A1 "
        "points at shared string 100; the workbook has 1"
    )
