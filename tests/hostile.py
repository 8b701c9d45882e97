# ruff: noqa: E501  (the parts of a workbook are written out whole)
"""Hostile files: workbooks and CSV text built to break a reader, for the fuzz tests
and the benchmarks.

Each builder returns bytes. Workbooks are written part by part with :mod:`zipfile`,
so a test can make what no spreadsheet program would: a cell at XFD1048576, a
``<dimension>`` that lies, entity declarations, a part compressed a thousand times.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""

ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Units" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def column_letters(index: int) -> str:
    """The spreadsheet name of a column counted from 1: 1 is A, 16,384 is XFD.

    >>> column_letters(1), column_letters(27), column_letters(16384)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(row: int, column: int, text: str, *, refs: bool = True) -> bytes:
    """An inline-string cell; without ``refs`` its place is left implicit, as the format allows."""
    ref = f' r="{column_letters(column)}{row}"' if refs else ""
    return f'<c{ref} t="inlineStr"><is><t>{escape(text)}</t></is></c>'.encode()


def sheet(
    rows: Iterable[tuple[int, Sequence[tuple[int, str]]]],
    *,
    dimension: str | None = None,
    refs: bool = True,
) -> bytes:
    """Sheet XML from ``(row number, [(column number, text), ...])``.

    Without ``refs`` rows and cells carry no reference (each follows the one
    before), so identical rows are identical bytes and compress without limit.
    """
    parts = [SHEET_OPEN]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>'.encode())
    parts.append(b"<sheetData>")
    for number, cells in rows:
        parts.append(f'<row r="{number}">'.encode() if refs else b"<row>")
        parts.extend(cell(number, column, text, refs=refs) for column, text in cells)
        parts.append(b"</row>")
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts)


def workbook(
    sheet_xml: bytes,
    *,
    shared_strings: bytes = b"",
    level: int = 6,
    prolog: bytes = b"",
) -> bytes:
    """An .xlsx file holding ``sheet_xml`` as its one sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", prolog + sheet_xml)
        if shared_strings:
            book.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def far_corner(row: int = 1_048_576, column: int = 16_384) -> bytes:
    """A workbook of two cells, A1 and one far away (by default XFD1048576)."""
    return workbook(sheet([(1, [(1, "code")]), (row, [(column, "x")])]))


def lying_dimension(rows: int, columns: int) -> bytes:
    """A sheet that says it is A1:B2 but holds ``rows`` x ``columns`` cells."""
    body = [(r, [(c, f"v{r}.{c}") for c in range(1, columns + 1)]) for r in range(1, rows + 1)]
    return workbook(sheet(body, dimension="A1:B2"))


def repeated_rows(rows: int, header: Sequence[str], values: Sequence[str]) -> bytes:
    """A workbook of one header and ``rows`` identical rows: it compresses enormously."""

    def body() -> Iterable[tuple[int, Sequence[tuple[int, str]]]]:
        yield 1, list(enumerate(header, start=1))
        for number in range(2, rows + 2):
            yield number, list(enumerate(values, start=1))

    return workbook(sheet(body(), refs=False), level=9)


def entity_bomb(depth: int = 9) -> bytes:
    """A sheet whose one cell expands an entity that expands ten others, ``depth`` deep."""
    entities = [b'<!ENTITY e0 "lol">']
    for level in range(1, depth + 1):
        refs = f"&e{level - 1};" * 10
        entities.append(f'<!ENTITY e{level} "{refs}">'.encode())
    prolog = b"<!DOCTYPE worksheet [" + b"".join(entities) + b"]>"
    body = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + f"&e{depth};".encode()
        + b"</t></is></c></row></sheetData></worksheet>"
    )
    return workbook(body, prolog=b'<?xml version="1.0"?>' + prolog)


def shared_string_out_of_range() -> bytes:
    """A cell that points at shared string 99 of a table of one."""
    table = shared_strings("code")
    body = SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row>'
    body += b"</sheetData></worksheet>"
    return workbook(body, shared_strings=table)


def shared_strings(*texts: str) -> bytes:
    """A shared-strings part holding ``texts``, in order."""
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in texts)
    return (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'
    ).encode()


def shared_string_bomb(cells: int, length: int, *, columns: int = 10) -> bytes:
    """``cells`` cells, ``columns`` to a row, all showing one shared string of ``length``
    characters: a reader copies the string into each, so a few kilobytes hold
    ``cells * length`` characters. The shared-strings part stays under the size
    held to the compression ratio."""
    parts = [SHEET_OPEN, b"<sheetData>"]
    for start in range(0, cells, columns):
        number = start // columns + 1
        parts.append(f'<row r="{number}">'.encode())
        for column in range(1, min(columns, cells - start) + 1):
            ref = f"{column_letters(column)}{number}"
            parts.append(f'<c r="{ref}" t="s"><v>0</v></c>'.encode())
        parts.append(b"</row>")
    parts.append(b"</sheetData></worksheet>")
    return workbook(b"".join(parts), shared_strings=shared_strings("x" * length), level=9)


def bad_reference(row: str = "1", ref: str = "A1") -> bytes:
    """A sheet of one cell whose row number is ``row`` and cell reference ``ref``:
    ``"²"`` or 5,000 digits are no number a reader can take."""
    row, ref = (escape(value, {'"': "&quot;"}) for value in (row, ref))
    body = SHEET_OPEN + f'<sheetData><row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()
    return workbook(body + b"</sheetData></worksheet>")


def wide_csv(columns: int, rows: int = 1) -> bytes:
    """A CSV of ``columns`` columns."""
    header = ",".join(f"c{i}" for i in range(columns))
    line = ",".join("x" for _ in range(columns))
    return (header + "\n" + (line + "\n") * rows).encode()


def long_csv(rows: int, line: bytes = b"PEO,People,directorate,,\n") -> bytes:
    """A units CSV of ``rows`` identical rows (each a duplicate of the first)."""
    return b"code,name,kind,parent_code,description\n" + line * rows
