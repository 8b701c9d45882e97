"""Read the rows of a CSV file or a workbook within limits, whatever produced it.

This is the one low-level reader under :mod:`goldenthread.formats.tabular`
(rows of text for the import kit) and :mod:`goldenthread.formats.reading`
(polars frames for the structure readers). It guards the service against
files built to exhaust memory and reads honest files from any spreadsheet:

* **CSV** bytes are decoded as UTF-8 (with or without a byte-order mark),
  UTF-16 with a byte-order mark, or else Windows-1252, which is stated in a
  note. The delimiter (comma, tab or semicolon) is found from the header
  row. Rows are read as they come with the ``csv`` module in strict mode:
  a quote never closed, a quote inside a value not wholly in quotes, a row
  with more or fewer values than the header, or a NUL byte is an error
  naming the row.
* **XLSX and XLSM** workbooks are checked before any cell is read: the
  sizes the zip declares (in total, and the compression of each part), then
  a streamed scan of the chosen sheet's XML finds the cells that hold a
  value. A sheet too large is refused there; calamine then reads only the
  used range. (Why by hand: docs/adr/0013-bounded-sheet-scan.md.)
* **XLS** (BIFF, itself bounded to 65,536 rows by 256 columns) is checked
  against the limits from the size calamine reports, before any cell is
  turned into a Python value.
* **XLSB and ODS** are refused with a message asking for .xlsx or .csv: their
  used range cannot be checked before calamine builds the whole grid.

Row numbers are those a spreadsheet shows: the header is row 1 and blank
lines keep their numbers. A limit passed stops the reading at once with a
:class:`SourceError` saying what was found and what is allowed.

>>> source = read_source(b"code;name\\r\\nPEO;People\\r\\n", "units.csv")
>>> [(number, values) for number, values in source.sheets[0].rows]
[(1, ['code', 'name']), (2, ['PEO', 'People'])]
>>> source = read_source("code,name\\nX,Café\\n".encode("utf-16"), "units.csv")
>>> list(source.sheets[0].rows)[1]
(2, ['X', 'Café'])
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal
from xml.parsers import expat

__all__ = [
    "DEFAULT_LIMITS",
    "DELIMITER_NAMES",
    "READ_AS_CP1252",
    "READ_AS_UTF16",
    "READ_WITH_DELIMITER",
    "ReadLimits",
    "Source",
    "SourceError",
    "SourceSheet",
    "delimiter_notes",
    "delimiter_of",
    "kind_of",
    "read_source",
]

Kind = Literal["csv", "xlsx", "xls", "xlsb", "ods"]

_KINDS: dict[str, Kind] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".xlsb": "xlsb",
    ".ods": "ods",
}

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file is read at most; passing one stops the reading.

    The defaults hold any honest register or structure file with room to
    spare (a million rows, 500 columns) and keep a worker's memory in
    hundreds of megabytes, not the hundreds of gigabytes a crafted file
    asks for.
    """

    #: Rows of a sheet or CSV file below the header: the last row read is this plus one.
    max_rows: int = 1_000_000
    #: Columns of a sheet or CSV file.
    max_columns: int = 500
    #: Cells (rows by columns of the used range) of all sheets read together.
    max_cells: int = 5_000_000
    #: Bytes a workbook unpacks to, all its parts together.
    max_unpacked_bytes: int = 200 * MIB
    #: How many times larger a workbook part may be than its packed size (as Apache POI).
    max_compression_ratio: int = 100
    #: Characters in one cell: Excel's own limit.
    max_cell_chars: int = 32_767
    #: Characters of text in all the cells read together: a workbook's shared
    #: string is counted in every cell that shows it, as it is copied there.
    max_total_chars: int = 100_000_000


DEFAULT_LIMITS = ReadLimits()

#: A part smaller than this unpacked is not held to the compression ratio:
#: small XML parts of repeated tags compress well honestly (Apache POI's grace size).
RATIO_GRACE_BYTES = 100 * 1024
#: A workbook has tens of parts; a zip of many thousands is built to exhaust memory.
MAX_ZIP_PARTS = 10_000
#: Bytes read and unpacked at a time.
CHUNK = 1024 * 1024
#: Blank lines read at most while looking for a CSV file's header row.
HEADER_SEARCH_LINES = 1000
#: Characters of a header row that does not parse shown in its message.
HEADER_SHOWN = 80

# Messages. ``{file}`` is the file's name; a row, when known, goes with the error.
TOO_MANY_COLUMNS = "this {what} has {found:,} columns; at most {allowed:,} are read"
TOO_MANY_ROWS = (
    "{whose} has more than {allowed:,} rows below its header; at most {allowed:,} are read"
)
TOO_MANY_CELLS = (
    "{whose} has more than {allowed:,} cells ({rows:,} rows by {columns:,} columns); "
    "at most {allowed:,} are read"
)
TOO_MANY_CELLS_BOOK = (
    "the sheets read, up to {sheet!r}, have more than {allowed:,} cells; at most {allowed:,} "
    "are read"
)
TOO_MUCH_TEXT = (
    "{whose} holds more than {allowed:,} characters of text; at most {allowed:,} are read"
)
TOO_LONG_CELL = "a value has more than {allowed:,} characters; at most {allowed:,} are read"
TOO_LONG_CSV_FIELD = (
    "a value starting on this row has more than {allowed:,} characters; at most "
    "{allowed:,} are read (is a quote never closed?)"
)
UNPACKS_TOO_LARGE = "this workbook unpacks to {found:,} MB; at most {allowed:,} MB is read"
TOO_COMPRESSED = (
    "part {part} is compressed {found:,} times; at most {allowed:,} is accepted "
    "(a file built to exhaust memory)"
)
LYING_SIZE = (
    "part {part} unpacks to more than the size it declares (a file built to exhaust memory)"
)
TOO_MANY_PARTS = (
    "this workbook has {found:,} parts; at most {allowed:,} are accepted "
    "(a file built to exhaust memory)"
)
DAMAGED_WORKBOOK = "this workbook is damaged and cannot be read: {reason}"
NO_SHEET = "this workbook has no sheet {sheet!r} (sheets: {found})"
CSV_NAMED_WORKBOOK = "{file} is CSV text, not an Excel workbook; name it .csv"
NOT_A_WORKBOOK = "{file} is not an Excel workbook; expected an .xlsx file saved by a spreadsheet"
OLD_NAMED_XLSX = (
    "{file} is an Excel 97-2003 workbook or a password-protected workbook, not an .xlsx "
    "workbook; save it as .xlsx without a password, or as .csv"
)
ZIP_NAMED_XLS = "{file} is an .xlsx workbook, not an Excel 97-2003 workbook; name it .xlsx"
WORKBOOK_NAMED_CSV = "{file} is an Excel workbook, not CSV text; save it as CSV or name it .xlsx"
ZIP_NAMED_CSV = "{file} is a zip file, not CSV text"
ZIP_NAMED_XLSX = "{file} is a zip file, not an Excel workbook"
NOT_READ_KIND = (
    "{file}: {what} files are not read, because their size cannot be checked before "
    "they are unpacked; save it as .xlsx or .csv"
)
NOT_TEXT = "{file}: the file is not UTF-8, UTF-16 or Windows-1252 text"
BAD_TEXT = "the text is not valid {encoding} from this row on"
READ_AS_CP1252 = "the file is not UTF-8 text; it was read as Windows-1252 text"
READ_AS_UTF16 = "the file is UTF-16 text, not UTF-8; it was read as UTF-16"
READ_WITH_DELIMITER = "the values are separated by {delimiter}, not commas; the file was read so"
NUL_BYTE = (
    "this row holds a NUL byte, which text never does (is the file UTF-16 without a "
    "byte-order mark?); save it as CSV UTF-8"
)
NEVER_CLOSED = "a quoted value starting on this row is never closed"
BAD_QUOTE = "a quoted value starting on this row is not closed properly ({reason})"
BAD_HEADER = (
    "the header row cannot be read as CSV separated by {delimiter} ({reason}); it begins {found!r}"
)
RAGGED = "this row has {found:,} values; the header has {expected:,}"
STRAY_QUOTE = (
    "the value {found} has a quote but is not in quotes; a value with a quote must be "
    "wholly in quotes, with the quote doubled"
)
#: Characters of a value with a stray quote shown in its message.
VALUE_SHOWN = 40

DELIMITER_NAMES = {",": "commas", "\t": "tabs", ";": "semicolons"}
_DELIMITERS = DELIMITER_NAMES
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_ROW_REF = re.compile(r"[0-9]{1,7}")
#: Digits a shared string's index may have: a table of more strings could not be unpacked.
_INDEX_DIGITS = 10


class SourceError(Exception):
    """A file that cannot be read, or passes a limit.

    ``message`` does not name the file; :meth:`describe` does. ``row`` is
    the spreadsheet row, when the fault has one.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        code: str = "unreadable",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.code = code

    def describe(self, file: str, *, row: bool = True) -> str:
        """The message with the file (and the row, unless ``row`` is false) in front.

        >>> SourceError(NEVER_CLOSED, row=4).describe("units.csv")
        'units.csv: row 4: a quoted value starting on this row is never closed'
        """
        if self.message.startswith(file):
            return self.message
        where = file if self.row is None or not row else f"{file}: row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class SourceSheet:
    """One sheet's rows that hold a value, each as (row number, values), header first."""

    name: str
    rows: Generator[tuple[int, list[Any]], None, None]


@dataclass
class Source:
    """The sheets read from a file, and notes on how it was read (its encoding)."""

    file: str
    kind: Kind
    sheets: list[SourceSheet]
    notes: list[str] = field(default_factory=list)
    #: The delimiter of a CSV file's values.
    delimiter: str = ","


def kind_of(file: str) -> Kind | None:
    """The kind of file its name says, or ``None`` for a name no reader knows.

    >>> kind_of("Units.XLSM"), kind_of("units.txt")
    ('xlsx', None)
    """
    return _KINDS.get(Path(file).suffix.lower())


def read_source(
    data: bytes | Path,
    file: str,
    *,
    kind: Kind | None = None,
    sheet: str | None = None,
    all_sheets: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
    choose: Callable[[Sequence[str]], str] | None = None,
) -> Source:
    """The sheets of ``data`` (bytes, or a path to read), checked against ``limits``.

    ``kind`` defaults to what the name says, CSV for a name no reader knows.
    A workbook gives the sheet named ``sheet``, or every sheet with
    ``all_sheets``, or the one ``choose`` picks from the names (the first).
    CSV rows are read lazily: iterate the rows to meet their errors.

    Raises
    ------
    SourceError
        If the file is not what its name says, or passes a limit.
    """
    stream: IO[bytes] = data.open("rb") if isinstance(data, Path) else io.BytesIO(data)
    chosen = kind or kind_of(file) or "csv"
    if chosen in ("xlsb", "ods"):
        what = "Excel binary (.xlsb)" if chosen == "xlsb" else "OpenDocument (.ods)"
        stream.close()
        raise SourceError(NOT_READ_KIND.format(file=file, what=what), code="unsupported")
    head = stream.read(8)
    stream.seek(0)
    try:
        if chosen == "csv":
            if head.startswith(_ZIP_MAGIC):
                raise SourceError(_zip_named_csv(stream, file), code="wrong-type")
            if head.startswith(_OLE_MAGIC):
                raise SourceError(WORKBOOK_NAMED_CSV.format(file=file), code="wrong-type")
            return _read_csv(stream, file, limits)
        picker = _Picker(sheet, all_sheets, choose)
        if chosen == "xls":
            if head.startswith(_ZIP_MAGIC):
                raise SourceError(ZIP_NAMED_XLS.format(file=file), code="wrong-type")
            if not head.startswith(_OLE_MAGIC):
                raise SourceError(_not_a_workbook(stream, file), code="wrong-type")
            return _read_xls(stream, file, limits, picker)
        if head.startswith(_OLE_MAGIC):
            raise SourceError(OLD_NAMED_XLSX.format(file=file), code="wrong-type")
        if not head.startswith(_ZIP_MAGIC):
            raise SourceError(_not_a_workbook(stream, file), code="wrong-type")
        return _read_xlsx(stream, file, limits, picker)
    except BaseException:
        stream.close()
        raise


# ---------------------------------------------------------------------------
# What a file is, whatever its name says.


def _zip_named_csv(stream: IO[bytes], file: str) -> str:
    try:
        fits = _zip_parts(stream) <= MAX_ZIP_PARTS
        names = set(zipfile.ZipFile(stream).namelist()) if fits else set()
    except (zipfile.BadZipFile, SourceError):
        names = set()
    if "xl/workbook.xml" in names or "[Content_Types].xml" in names:
        return WORKBOOK_NAMED_CSV.format(file=file)
    return ZIP_NAMED_CSV.format(file=file)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _not_a_workbook(stream: IO[bytes], file: str) -> str:
    head = stream.read(4096)
    stream.seek(0)
    if head and _looks_like_text(head):
        return CSV_NAMED_WORKBOOK.format(file=file)
    return NOT_A_WORKBOOK.format(file=file)


# ---------------------------------------------------------------------------
# CSV.


def _encoding(stream: IO[bytes], file: str) -> tuple[str, str | None]:
    """The codec to read ``stream`` with, and a note when it is a fallback."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    # Checked in pieces: the decoded text is not kept.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", None
    finally:
        stream.seek(0)
    fallback = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := stream.read(CHUNK):
            fallback.decode(chunk)
    except UnicodeDecodeError as error:
        raise SourceError(NOT_TEXT.format(file=file), code="not-text") from error
    finally:
        stream.seek(0)
    return "cp1252", READ_AS_CP1252


def delimiter_of(line: str) -> str:
    """The most frequent of comma, tab and semicolon in the header line; comma if none.

    >>> delimiter_of("code;name;parent"), delimiter_of("code\\tname"), delimiter_of("code")
    (';', '\\t', ',')
    """
    counts = {delimiter: line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


class _Place:
    """Where the csv module is: the row of the record it reads next, whether
    the next line it takes begins that record, and whether that record may
    hold a value too long (a long line, or a record of several lines)."""

    __slots__ = ("lines", "long", "quoted", "record_start", "row")

    def __init__(self) -> None:
        self.row = 1
        self.record_start = True
        self.long = False
        #: The lines of the record read last, as they are in the file, and
        #: whether any holds a quote.
        self.lines: list[str] = []
        self.quoted = False


def _checked_lines(
    lines: Iterable[str], place: _Place, delimiter: str, limits: ReadLimits, encoding: str
) -> Iterator[str]:
    """The lines for the csv module, checked before they are parsed.

    A line that begins a record and holds no quote is that whole record, so
    its values are counted by its delimiters before the csv module splits
    them: a line of 200,000 columns is refused without building them. (A
    line of more columns than the limit has at least as many characters.)
    Only the rows of a long line, or of several lines, have their values
    measured against the limit on characters.
    """
    short = min(limits.max_columns, limits.max_cell_chars)
    try:
        for line in lines:
            if "\x00" in line:
                raise SourceError(NUL_BYTE, row=place.row, code="nul-byte")
            if not place.record_start:
                place.lines.append(line)
                place.long = True
                place.quoted = place.quoted or '"' in line
            else:
                place.lines = [line]
                place.quoted = '"' in line
                place.record_start = False
                if len(line) > short:
                    place.long = len(line) > limits.max_cell_chars
                    if len(line) > limits.max_columns and '"' not in line:
                        found = line.count(delimiter) + 1
                        if found > limits.max_columns:
                            raise SourceError(
                                TOO_MANY_COLUMNS.format(
                                    what="file", found=found, allowed=limits.max_columns
                                ),
                                row=place.row,
                                code="too-many-columns",
                            )
            yield line
    except UnicodeDecodeError as error:
        raise SourceError(
            BAD_TEXT.format(encoding=encoding), row=place.row, code="not-text"
        ) from error


def _read_csv(stream: IO[bytes], file: str, limits: ReadLimits) -> Source:
    encoding, note = _encoding(stream, file)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    # The header line is the first that is not blank; the lines before it are kept.
    before: list[str] = []
    try:
        for line in text:
            before.append(line)
            if line.strip() or len(before) >= HEADER_SEARCH_LINES:
                break
    except UnicodeDecodeError as error:
        raise SourceError(NOT_TEXT.format(file=file), code="not-text") from error
    delimiter = delimiter_of(before[-1] if before else "")
    header_line = before[-1] if before else ""
    rows = _csv_rows(itertools.chain(before, text), text, delimiter, limits, encoding, header_line)
    notes = [note] if note else []
    if encoding == "utf-16":
        notes.append(READ_AS_UTF16)
    notes += delimiter_notes(delimiter)
    return Source(file, "csv", [SourceSheet("", rows)], notes, delimiter)


def delimiter_notes(delimiter: str) -> list[str]:
    """The note that a file's values are not separated by commas, if they are not.

    >>> delimiter_notes(";"), delimiter_notes(",")
    (['the values are separated by semicolons, not commas; the file was read so'], [])
    """
    if delimiter == ",":
        return []
    return [READ_WITH_DELIMITER.format(delimiter=_DELIMITERS[delimiter])]


def _csv_rows(
    lines: Iterable[str],
    text: IO[str],
    delimiter: str,
    limits: ReadLimits,
    encoding: str,
    header_line: str,
) -> Generator[tuple[int, list[Any]], None, None]:
    place = _Place()
    name = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding, encoding.upper())
    checked = _checked_lines(lines, place, delimiter, limits, name)
    reader = csv.reader(checked, delimiter=delimiter, strict=True)
    header: list[str] = []
    width = cells = chars = number = 0
    last_row = limits.max_rows + 1
    try:
        for values in reader:
            number += 1
            place.row = number + 1
            place.record_start = True
            long, place.long = place.long, False
            if number > last_row:
                raise SourceError(
                    TOO_MANY_ROWS.format(whose="this file", allowed=limits.max_rows),
                    row=number,
                    code="too-many-rows",
                )
            if not any(values):
                continue
            names = header
            if not header:
                if len(values) > limits.max_columns:
                    raise SourceError(
                        TOO_MANY_COLUMNS.format(
                            what="file", found=len(values), allowed=limits.max_columns
                        ),
                        row=number,
                        code="too-many-columns",
                    )
                header, width = values, len(values)
            elif len(values) != width:
                values = _fit(values, header, number)
            # Only a value holding a quote can hold one that stands outside quotes.
            if place.quoted and '"' in "".join(values):
                _refuse_stray_quote(place.lines, values, names, delimiter, number)
            if long and max(map(len, values)) > limits.max_cell_chars:
                column = next(i for i, v in enumerate(values) if len(v) > limits.max_cell_chars)
                raise SourceError(
                    TOO_LONG_CELL.format(allowed=limits.max_cell_chars),
                    row=number,
                    column=header[column],
                    code="too-long",
                )
            chars += sum(map(len, values))
            if chars > limits.max_total_chars:
                raise SourceError(
                    TOO_MUCH_TEXT.format(whose="this file", allowed=limits.max_total_chars),
                    row=number,
                    code="too-much-text",
                )
            cells += width
            if cells > limits.max_cells:
                raise SourceError(
                    TOO_MANY_CELLS.format(
                        whose="this file", allowed=limits.max_cells, rows=number, columns=width
                    ),
                    row=number,
                    code="too-many-cells",
                )
            yield number, values
    except csv.Error as error:
        found = None if header else header_line[:HEADER_SHOWN].rstrip("\r\n")
        raise _csv_error(error, place.row, found, delimiter, limits) from error
    finally:
        text.close()


def _record_patterns(delimiter: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A value as the csv module reads it (wholly in quotes, quotes doubled, or
    with no quote at all), and a whole record of such values."""
    d = re.escape(delimiter)
    value = rf'(?:"[^"]*+(?:""[^"]*+)*+"|[^"{d}\r\n]*+)'
    return re.compile(value), re.compile(rf"{value}(?:{d}{value})*+(?:\r\n|\r|\n)?")


_RECORDS = {delimiter: _record_patterns(delimiter) for delimiter in _DELIMITERS}


def _refuse_stray_quote(
    lines: list[str], values: list[str], header: list[str], delimiter: str, number: int
) -> None:
    """Refuse a record with a quote inside a value that is not in quotes.

    The csv module reads ``PEO,12" pipe`` as the value ``12" pipe``; a file
    whose opening quote was lost (``00206191",...``) reads the same way, so
    the value cannot be known and is never kept: it is an error in every
    mode. ``header`` is empty when the record is the header row: its columns
    are named by their letters.

    >>> _refuse_stray_quote(['a,"b ""c"" d"\\n'], ["a", 'b "c" d'], ["x", "y"], ",", 2)
    >>> _refuse_stray_quote(['a,12" pipe\\n'], ["a", '12" pipe'], ["x", "y"], ",", 2)
    Traceback (most recent call last):
    ...
    goldenthread.formats.sources.SourceError: the value '12" pipe' has a quote but is not in \
quotes; a value with a quote must be wholly in quotes, with the quote doubled
    """
    value, record = _RECORDS[delimiter]
    text = "".join(lines)
    if record.fullmatch(text):
        return
    index = position = 0
    while matched := value.match(text, position):  # a value matches even where it is blank
        position = matched.end()
        if position == len(text) or text[position] != delimiter:
            break
        position += 1
        index += 1
    if position == len(text) or text[position] in "\r\n":
        return  # never met: a record the csv module reads holds no other fault
    found = values[index] if index < len(values) else ""
    shown = repr(found if len(found) <= VALUE_SHOWN else found[:VALUE_SHOWN] + "…")
    name = header[index] if index < len(header) else ""
    raise SourceError(
        STRAY_QUOTE.format(found=shown),
        row=number,
        column=name or _column_letters(index + 1),
        code="bad-quote",
    )


def _fit(values: list[str], header: list[str], number: int) -> list[str]:
    """A data row as wide as the header: blank values beyond it, or beyond the
    header's named columns, are not a shift of the row."""
    width = len(header)
    if len(values) > width and not any(values[width:]):
        return values[:width]
    if len(values) < width and not any(header[len(values) :]):
        return values + [""] * (width - len(values))
    if len(values) != width:
        raise SourceError(
            RAGGED.format(found=len(values), expected=width), row=number, code="ragged-row"
        )
    return values


def _csv_error(
    error: csv.Error, row: int, header: str | None, delimiter: str, limits: ReadLimits
) -> SourceError:
    """The error for the record starting at ``row``; ``header`` is the header
    line when it is the header that does not parse."""
    reason = str(error)
    if "field larger than field limit" in reason:
        return SourceError(
            TOO_LONG_CSV_FIELD.format(allowed=limits.max_cell_chars), row=row, code="too-long"
        )
    if "unexpected end of data" in reason:
        message = NEVER_CLOSED
    else:
        message = BAD_QUOTE.format(reason=reason)
    if header is not None:
        message = BAD_HEADER.format(delimiter=_DELIMITERS[delimiter], reason=message, found=header)
    return SourceError(message, row=row, code="bad-quote")


# ---------------------------------------------------------------------------
# Workbooks.


class _Picker:
    """Which sheets to read, from the names in the workbook."""

    def __init__(
        self,
        sheet: str | None,
        all_sheets: bool,
        choose: Callable[[Sequence[str]], str] | None,
    ) -> None:
        self.sheet = sheet
        self.all_sheets = all_sheets
        self.choose = choose

    def __call__(self, names: Sequence[str]) -> list[str]:
        if not names:
            raise SourceError(DAMAGED_WORKBOOK.format(reason="it has no sheets"))
        if self.sheet is not None:
            if self.sheet not in names:
                raise SourceError(
                    NO_SHEET.format(sheet=self.sheet, found=", ".join(names)), code="no-sheet"
                )
            return [self.sheet]
        if self.all_sheets:
            return list(names)
        return [self.choose(names) if self.choose else names[0]]


def _zip_parts(stream: IO[bytes]) -> int:
    """How many parts the zip's end record declares, read before zipfile lists them all."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail = min(size, 65_535 + 22)
    stream.seek(size - tail)
    end = stream.read(tail)
    stream.seek(0)
    at = end.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(end):
        raise SourceError(DAMAGED_WORKBOOK.format(reason="its zip directory is missing"))
    (count,) = struct.unpack("<H", end[at + 10 : at + 12])
    return int(count)


def _check_zip(stream: IO[bytes], limits: ReadLimits) -> zipfile.ZipFile:
    """The zip, once its declared sizes are within ``limits``."""
    parts = _zip_parts(stream)
    if parts > MAX_ZIP_PARTS:
        raise SourceError(
            TOO_MANY_PARTS.format(found=parts, allowed=MAX_ZIP_PARTS), code="zip-bomb"
        )
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SourceError(DAMAGED_WORKBOOK.format(reason=error)) from error
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_PARTS:
        raise SourceError(
            TOO_MANY_PARTS.format(found=len(infos), allowed=MAX_ZIP_PARTS), code="zip-bomb"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked_bytes:
        raise SourceError(
            UNPACKS_TOO_LARGE.format(found=total // MIB, allowed=limits.max_unpacked_bytes // MIB),
            code="zip-bomb",
        )
    for info in infos:
        if info.file_size <= RATIO_GRACE_BYTES:
            continue
        ratio = info.file_size // max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise SourceError(
                TOO_COMPRESSED.format(
                    part=info.filename, found=ratio, allowed=limits.max_compression_ratio
                ),
                code="zip-bomb",
            )
    return archive


def _unpacked(stream: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in pieces, never more than it declares.

    Unpacked here rather than by zipfile, which stops at the declared size
    without saying the data went on: a part that declares less than it
    holds would pass the checks above and unpack in full in calamine.
    """
    if info.flag_bits & 0x1:
        raise SourceError(DAMAGED_WORKBOOK.format(reason=f"part {info.filename} is encrypted"))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SourceError(
            DAMAGED_WORKBOOK.format(
                reason=f"part {info.filename} is packed in a way Excel does not use"
            )
        )
    stream.seek(info.header_offset)
    local = stream.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise SourceError(DAMAGED_WORKBOOK.format(reason=f"part {info.filename} is missing"))
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    stream.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    while left > 0:
        packed = stream.read(min(CHUNK, left))
        if not packed:
            raise SourceError(DAMAGED_WORKBOOK.format(reason=f"part {info.filename} is cut short"))
        left -= len(packed)
        while True:
            if inflater is None:
                piece, packed = packed, b""
            else:
                try:
                    piece = inflater.decompress(packed, CHUNK)
                except zlib.error as error:
                    raise SourceError(
                        DAMAGED_WORKBOOK.format(reason=f"part {info.filename}: {error}")
                    ) from error
                packed = inflater.unconsumed_tail
            produced += len(piece)
            if produced > info.file_size:
                raise SourceError(LYING_SIZE.format(part=info.filename), code="zip-bomb")
            if piece:
                yield piece
            # A full piece may leave more output inside the inflater: ask again.
            if not packed and (len(piece) < CHUNK or inflater is None or inflater.eof):
                break
    if produced != info.file_size:
        raise SourceError(
            DAMAGED_WORKBOOK.format(reason=f"part {info.filename} is not the size it declares")
        )


def _parser() -> Any:
    """An expat parser that refuses a DTD, so no entity can expand."""
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise SourceError(
            DAMAGED_WORKBOOK.format(reason="a part declares a DTD, which workbooks never do"),
            code="zip-bomb",
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse

    def refuse_entity(*_: object) -> int:
        refuse()
        return 0

    parser.ExternalEntityRefHandler = refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _parse(parser: Any, chunks: Iterable[bytes], part: str) -> None:
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise SourceError(DAMAGED_WORKBOOK.format(reason=f"part {part}: {error}")) from error


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _relationships(
    stream: IO[bytes], archive: zipfile.ZipFile, part: str
) -> dict[str, tuple[str, str]]:
    """Relationship id to (type, target part), for the relationships of ``part``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    found: dict[str, tuple[str, str]] = {}
    try:
        info = archive.getinfo(rels)
    except KeyError:
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[attrs["Id"]] = (attrs.get("Type", ""), posixpath.normpath(path))

    parser = _parser()
    parser.StartElementHandler = start
    _parse(parser, _unpacked(stream, info), rels)
    return found


def _book_parts(
    stream: IO[bytes], archive: zipfile.ZipFile, file: str
) -> tuple[dict[str, str], list[str]]:
    """Each sheet's name and the part holding its cells, and the shared-strings parts.

    The shared strings are the part the workbook's relationships name and
    the part at the usual place, in any case of its name: a reader may take
    either.
    """
    book = next(
        (
            target
            for kind, target in _relationships(stream, archive, "").values()
            if kind.endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    try:
        info = archive.getinfo(book)
    except KeyError as error:
        raise SourceError(ZIP_NAMED_XLSX.format(file=file), code="wrong-type") from error
    targets = _relationships(stream, archive, book)
    sheets: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) != "sheet" or "name" not in attrs:
            return
        rid = next((v for k, v in attrs.items() if _local(k) == "id" and k != "sheetId"), None)
        if rid in targets:
            sheets[attrs["name"]] = targets[rid][1]

    parser = _parser()
    parser.StartElementHandler = start
    _parse(parser, _unpacked(stream, info), book)
    named = {target for kind, target in targets.values() if kind.endswith("/sharedStrings")}
    usual = {n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"}
    shared = [name for name in sorted(named | usual) if name in usual or _has(archive, name)]
    return sheets, shared


def _has(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def _column_number(letters: str) -> int:
    """``A`` is 1, ``XFD`` 16,384.

    >>> _column_number("A"), _column_number("Z"), _column_number("AA"), _column_number("XFD")
    (1, 26, 27, 16384)
    """
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _SharedStrings:
    """The length of each shared string, from a streamed scan of its part.

    A string is the text of its ``<t>`` elements, rich-text runs included,
    phonetic guides (``<rPh>``) not. One longer than a cell may hold is
    refused here: each cell that points at it would hold a copy.
    """

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.lengths = array("L")
        self.length = 0
        self.in_item = False
        self.in_text = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "si":
            self.in_item, self.length, self.phonetic = True, 0, 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.in_item and not self.phonetic:
            self.in_text = True

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "si" and self.in_item:
            self.in_item = False
            self.lengths.append(self.length)
        elif local == "rPh":
            self.phonetic = max(self.phonetic - 1, 0)
        elif local == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text:
            self.length += len(data)
            if self.length > self.limits.max_cell_chars:
                raise SourceError(
                    TOO_LONG_CELL.format(allowed=self.limits.max_cell_chars)
                    + f" (shared string {len(self.lengths) + 1:,})",
                    code="too-long",
                )


def _scan_shared_strings(
    stream: IO[bytes], archive: zipfile.ZipFile, parts: Sequence[str], limits: ReadLimits
) -> array[int]:
    """The length of each shared string: the longest at each index of ``parts``."""
    longest: array[int] = array("L")
    for part in parts:
        scan = _SharedStrings(limits)
        parser = _parser()
        parser.buffer_text = True
        parser.StartElementHandler = scan.start
        parser.EndElementHandler = scan.end
        parser.CharacterDataHandler = scan.text
        _parse(parser, _unpacked(stream, archive.getinfo(part)), part)
        if not longest:
            longest = scan.lengths
            continue
        for index, length in enumerate(scan.lengths):
            if index >= len(longest):
                longest.append(length)
            elif length > longest[index]:
                longest[index] = length
    return longest


class _SheetScan:
    """The used range of a sheet's XML: the cells holding a value (``<v>`` or ``<is>``).

    A cell with only a style holds nothing and counts for nothing; the
    ``<dimension>`` element is not trusted. Every limit is checked as each
    cell is met, so the scan stops at the first cell too far. The text of
    each cell is counted too (a shared string by its length, as each cell
    pointing at it holds a copy), against the limit on all the text read.
    """

    def __init__(
        self,
        name: str,
        limits: ReadLimits,
        cells_before: int,
        chars_before: int,
        shared: Sequence[int],
    ) -> None:
        self.name = name
        self.limits = limits
        self.cells_before = cells_before
        self.chars = chars_before
        self.shared = shared
        self.row = 0
        self.column = 0
        self.in_cell = False
        self.counted = False
        self.rows = 0
        self.columns = 0
        self.is_shared = False
        self.in_value = False
        self.index = ""
        self.in_inline = False
        self.in_text = False
        self.phonetic = 0

    def damaged(self, what: str) -> SourceError:
        return SourceError(DAMAGED_WORKBOOK.format(reason=f"sheet {self.name!r}: {what}"))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            if ref:
                match = _CELL_REF.fullmatch(ref)
                if match is None:
                    raise self.damaged(f"bad cell {ref[:20]!r}")
                self.column = _column_number(match[1])
                self.row = int(match[2])
            else:
                self.column += 1
            self.in_cell = True
            self.counted = False
            self.is_shared = attrs.get("t") == "s"
        elif not self.in_cell:
            if local == "row":
                ref = attrs.get("r")
                if not ref:
                    self.row += 1
                elif _ROW_REF.fullmatch(ref):
                    self.row = int(ref)
                else:
                    raise self.damaged(f"bad row number {ref[:20]!r}")
                self.column = 0
            return
        elif local in ("v", "is"):
            if not self.counted:
                self.counted = True
                self.count()
            self.in_value = local == "v"
            self.in_inline = local == "is"
            self.index = ""
            self.phonetic = 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.in_inline and not self.phonetic:
            self.in_text = True

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "c":
            self.in_cell = self.in_value = self.in_inline = self.in_text = False
        elif local == "v" and self.in_value:
            self.in_value = False
            if self.is_shared:
                self.add(self.shared_length())
        elif local == "is":
            self.in_inline = self.in_text = False
        elif local == "rPh":
            self.phonetic = max(self.phonetic - 1, 0)
        elif local == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_value:
            if not self.is_shared:
                self.add(len(data))
            elif len(self.index) <= _INDEX_DIGITS:
                self.index += data[: _INDEX_DIGITS + 1]
        elif self.in_text:
            self.add(len(data))

    def shared_length(self) -> int:
        where = f"cell {_column_letters(self.column)}{self.row}"
        index = self.index.strip()
        if not re.fullmatch(rf"[0-9]{{1,{_INDEX_DIGITS}}}", index):
            raise self.damaged(f"{where} points at shared string {index[:20]!r}")
        number = int(index)
        if number >= len(self.shared):
            raise self.damaged(
                f"{where} points at shared string {number + 1:,}; "
                f"the workbook has {len(self.shared):,}"
            )
        return self.shared[number]

    def add(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.max_total_chars:
            raise SourceError(
                TOO_MUCH_TEXT.format(
                    whose=f"the sheet {self.name!r}", allowed=self.limits.max_total_chars
                ),
                code="too-much-text",
            )

    def count(self) -> None:
        limits = self.limits
        if self.column > limits.max_columns:
            raise SourceError(
                TOO_MANY_COLUMNS.format(
                    what="workbook", found=self.column, allowed=limits.max_columns
                )
                + f" (sheet {self.name!r})",
                code="too-many-columns",
            )
        if self.row > limits.max_rows + 1:
            raise SourceError(
                TOO_MANY_ROWS.format(whose=f"the sheet {self.name!r}", allowed=limits.max_rows),
                code="too-many-rows",
            )
        self.rows = max(self.rows, self.row)
        self.columns = max(self.columns, self.column)
        if self.cells_before + self.rows * self.columns > limits.max_cells:
            if self.cells_before:
                raise SourceError(
                    TOO_MANY_CELLS_BOOK.format(sheet=self.name, allowed=limits.max_cells),
                    code="too-many-cells",
                )
            raise SourceError(
                TOO_MANY_CELLS.format(
                    whose=f"the sheet {self.name!r}",
                    allowed=limits.max_cells,
                    rows=self.rows,
                    columns=self.columns,
                ),
                code="too-many-cells",
            )


def _scan_sheet(
    stream: IO[bytes],
    info: zipfile.ZipInfo,
    name: str,
    limits: ReadLimits,
    before: tuple[int, int],
    shared: Sequence[int],
) -> tuple[int, int, int]:
    """The rows and columns of the sheet's used range, and the characters read up to its end."""
    scan = _SheetScan(name, limits, *before, shared)
    parser = _parser()
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    _parse(parser, _unpacked(stream, info), info.filename)
    return scan.rows, scan.columns, scan.chars


def _verify(stream: IO[bytes], info: zipfile.ZipInfo) -> None:
    for _ in _unpacked(stream, info):
        pass


def _calamine(stream: IO[bytes]) -> Any:
    from python_calamine import CalamineWorkbook

    stream.seek(0)
    try:
        return CalamineWorkbook.from_filelike(stream)
    except Exception as error:  # calamine raises several types for a broken workbook
        raise SourceError(DAMAGED_WORKBOOK.format(reason=error)) from error


def _sheet_rows(
    book: Any, name: str, rows: int, columns: int, limits: ReadLimits
) -> Generator[tuple[int, list[Any]], None, None]:
    try:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end if sheet.height and sheet.width else None
        if end is not None and (end[0] >= rows or end[1] >= columns):
            # Never expected: the scan counts every cell calamine places.
            raise SourceError(
                DAMAGED_WORKBOOK.format(reason=f"sheet {name!r} holds cells its scan did not find")
            )
        grid = sheet.to_python(skip_empty_area=False, nrows=rows)
    except SourceError:
        raise
    except Exception as error:  # calamine raises several types for a broken sheet
        raise SourceError(DAMAGED_WORKBOOK.format(reason=error)) from error

    def each() -> Generator[tuple[int, list[Any]], None, None]:
        for number, row in enumerate(grid[:rows], start=1):
            values = row[:columns]
            if all(value is None or value == "" for value in values):
                continue
            for index, value in enumerate(values):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise SourceError(
                        TOO_LONG_CELL.format(allowed=limits.max_cell_chars),
                        row=number,
                        column=_column_letters(index + 1),
                        code="too-long",
                    )
            yield number, values

    return each()


def _column_letters(number: int) -> str:
    """The spreadsheet letters of a column: 1 is ``A``, 28 is ``AB``.

    >>> _column_letters(1), _column_letters(28), _column_letters(16384)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_xlsx(stream: IO[bytes], file: str, limits: ReadLimits, picker: _Picker) -> Source:
    archive = _check_zip(stream, limits)
    parts, shared_parts = _book_parts(stream, archive, file)
    chosen = picker(list(parts))
    shared = _scan_shared_strings(stream, archive, shared_parts, limits)
    ranges: dict[str, tuple[int, int]] = {}
    cells = chars = 0
    for name in chosen:
        try:
            info = archive.getinfo(parts[name])
        except KeyError as error:
            raise SourceError(
                DAMAGED_WORKBOOK.format(reason=f"sheet {name!r} has no cells part")
            ) from error
        rows, columns, chars = _scan_sheet(stream, info, name, limits, (cells, chars), shared)
        ranges[name] = rows, columns
        cells += rows * columns
    # Every other part calamine may read is checked to unpack to no more than it says.
    scanned = {parts[name] for name in chosen} | set(shared_parts)
    for info in archive.infolist():
        if info.filename not in scanned and not info.is_dir():
            _verify(stream, info)
    book = _calamine(stream)
    stream.close()
    names = list(book.sheet_names)
    sheets = [
        SourceSheet(name, _sheet_rows(book, name, *ranges[name], limits))
        for name in chosen
        if name in names
    ]
    return Source(file, "xlsx", sheets)


def _read_xls(stream: IO[bytes], file: str, limits: ReadLimits, picker: _Picker) -> Source:
    book = _calamine(stream)
    stream.close()
    chosen = picker(list(book.sheet_names))
    sheets = []
    cells = 0
    for name in chosen:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as error:  # calamine raises several types for a broken sheet
            raise SourceError(DAMAGED_WORKBOOK.format(reason=error)) from error
        rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
        if columns > limits.max_columns:
            raise SourceError(
                TOO_MANY_COLUMNS.format(what="workbook", found=columns, allowed=limits.max_columns)
                + f" (sheet {name!r})",
                code="too-many-columns",
            )
        if rows > limits.max_rows + 1:
            raise SourceError(
                TOO_MANY_ROWS.format(whose=f"the sheet {name!r}", allowed=limits.max_rows),
                code="too-many-rows",
            )
        cells += rows * columns
        if cells > limits.max_cells:
            raise SourceError(
                TOO_MANY_CELLS.format(
                    whose=f"the sheet {name!r}",
                    allowed=limits.max_cells,
                    rows=rows,
                    columns=columns,
                ),
                code="too-many-cells",
            )
        sheets.append(SourceSheet(name, _sheet_rows(book, name, rows, columns, limits)))
    return Source(file, "xls", sheets)
