"""Reading CSV and XLSX files into text columns, and finding columns by name."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from goldenthread.formats.cells import QUOTED_PATTERN, unneutralise
from goldenthread.formats.errors import (
    ABOVE_RANGE,
    BELOW_RANGE,
    DECIMAL_COMMA,
    EMPTY_FILE,
    MISSING_COLUMN,
    NEGATIVE_NUMBER,
    NOT_A_NUMBER,
    NOT_A_PAY_BAND,
    NOT_WHOLE,
    REPEATED_HEADER,
    SCIENTIFIC_NOTATION,
    SKIPPED_BLANK_ROW,
    SKIPPED_BLANK_ROWS,
    SKIPPED_HEADER,
    TAKEN_AS_UNKNOWN,
    UNREADABLE,
    WIDE_PAY_BAND,
    Finding,
    FormatWarning,
    Problem,
)
from goldenthread.formats.sources import (
    DEFAULT_LIMITS,
    DELIMITER_NAMES,
    ReadLimits,
    SourceError,
    delimiter_notes,
    delimiter_of,
    kind_of,
    read_source,
)
from goldenthread.formats.values import (
    ABOVE_FAULT,
    BELOW_FAULT,
    DECIMAL_COMMA_FAULT,
    NOT_WHOLE_FAULT,
    PAY,
    SCIENTIFIC_FAULT,
    NumberRule,
    parse_pay_bands,
    read_numbers,
)
from goldenthread.formats.writing import first_data_sheet

__all__ = [
    "ROW_COLUMN",
    "FormatError",
    "find_column",
    "pay_band_findings",
    "read_frame",
    "read_number_column",
]

ROW_COLUMN = "__row"
"""Column added to every frame: the row number, counting the header as row 1."""


class FormatError(ValueError):
    """A file cannot be read at all (missing column, empty, not a table).

    Attributes
    ----------
    problems : tuple of Problem
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Spreadsheets store whole numbers as floats; IDs and counts must not
        # grow a ".0".
        return str(int(value)) if value.is_integer() else repr(value)
    return unneutralise(str(value))


#: Rows turned into a polars frame at a time: their Python strings are freed
#: as each batch is packed into the frame's columns.
FRAME_BATCH_ROWS = 50_000


def _names(header: Iterable[object]) -> list[str]:
    """A frame's column names from a header row: text, unquoted, each one distinct."""
    cells = [_cell(h) or "" for h in header]
    return _unique(unneutralise(name.lstrip("\ufeff")) for name in cells)


def _text_columns(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """CSV columns as a reader gives them: an empty value is missing, and the quote an
    export put before formula-looking text is taken off."""
    frame = frame.with_columns(pl.when(pl.all() != "").then(pl.all()))
    # Only a column with a value that starts with a quote can hold an export's quote.
    quoted = [name for name in names if frame[name].str.starts_with("'").any()]
    if quoted:
        frame = frame.with_columns(pl.col(quoted).str.replace(QUOTED_PATTERN, "$1"))
    return frame


def _frame(rows: Iterator[tuple[int, list[Any]]], text: bool) -> pl.DataFrame:
    """A frame of text columns from the rows, the first the header, with their numbers.

    In CSV text (``text``) an empty value is missing (null), as a CSV reader
    gives it; a workbook's empty cell is an empty text.
    """
    first = next(rows, None)
    if first is None:
        return pl.DataFrame()
    width = len(first[1])
    names = _names(first[1])
    schema = dict.fromkeys(names, pl.String)
    batches: list[pl.DataFrame] = []
    batch: list[list[Any]] = []
    numbers: list[int] = []
    for number, raw in rows:
        numbers.append(number)
        if text:
            # CSV rows come as wide as the header; their text is unquoted below, all at once.
            batch.append(raw)
        else:
            cells = [_cell(v) for v in raw[:width]]
            batch.append(cells + [None] * (width - len(cells)))
        if len(batch) == FRAME_BATCH_ROWS:
            batches.append(pl.DataFrame(batch, schema=schema, orient="row"))
            batch = []
    batches.append(pl.DataFrame(batch, schema=schema, orient="row"))
    frame = pl.concat(batches, rechunk=True)
    if text:
        frame = _text_columns(frame, names)
    return frame.with_columns(pl.Series(ROW_COLUMN, numbers, dtype=pl.Int64))


def _plain_csv_frame(data: bytes, limits: ReadLimits) -> pl.DataFrame | None:
    """The frame of a plain CSV file, parsed by polars at once; ``None`` for any other.

    Plain: UTF-8 text with no quote character, no NUL byte and no blank line,
    lines ended by LF or CRLF, every line with as many delimiters as the
    header, and within every limit. Such a file has one row a line, so its row
    numbers are its line numbers and nothing in it needs the row-by-row
    reader's judgement. Every other file, and any file polars refuses, goes
    through that reader, which names the row of what is wrong. Both give the
    same frame (a property test keeps them in step).
    """
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body or b'"' in body or b"\x00" in body or len(body) > limits.max_total_chars:
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    raw = np.frombuffer(body, dtype=np.uint8)
    returns = np.flatnonzero(raw == 13)
    if returns.size and (returns[-1] + 1 >= raw.size or (raw[returns + 1] != 10).any()):
        return None  # a carriage return that does not end a line
    ends = np.flatnonzero(raw == 10)
    if body[-1:] != b"\n":
        ends = np.append(ends, raw.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts - (raw[np.maximum(ends - 1, 0)] == 13)
    if (lengths <= 0).any() or lengths.max() > limits.max_cell_chars:
        return None  # a blank line, or one long enough to need measuring cell by cell
    header_line = body[: ends[0]].decode("utf-8").rstrip("\r")
    delimiter = delimiter_of(header_line)
    if not header_line.strip() or not header_line.replace(delimiter, ""):
        return None  # a header of spaces or delimiters alone is blank: the reader looks further
    found = np.flatnonzero(raw == ord(delimiter))
    per_line = np.searchsorted(found, ends) - np.searchsorted(found, starts)
    if (per_line != per_line[0]).any():
        return None  # a row wider or narrower than the header: the reader names it
    rows, columns = len(starts) - 1, int(per_line[0]) + 1
    if not rows or columns > limits.max_columns or rows > limits.max_rows:
        return None
    if rows * columns > limits.max_cells:
        return None
    names = _names(header_line.split(delimiter))
    try:
        frame = pl.read_csv(
            io.BytesIO(body),
            separator=delimiter,
            quote_char=None,
            has_header=False,
            skip_rows=1,
            new_columns=names,
            infer_schema=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if frame.height != rows or frame.width != columns:
        return None
    frame = _text_columns(frame, names).with_columns(
        pl.int_range(2, rows + 2, dtype=pl.Int64).alias(ROW_COLUMN)
    )
    # A line of delimiters alone is a blank row: left out, as the reader leaves it.
    return frame.filter(~pl.all_horizontal(pl.exclude(ROW_COLUMN).is_null()))


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}_duplicated_{seen[name] - 1}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def read_frame(
    path: str | Path,
    *,
    sheet: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    warnings: list[Finding] | None = None,
) -> pl.DataFrame:
    """Every column of a CSV or spreadsheet as text, plus the row number.

    The file is read within ``limits`` by :mod:`goldenthread.formats.sources`:
    CSV in UTF-8 (with or without a byte-order mark), UTF-16 with a
    byte-order mark or else Windows-1252, separated by commas, tabs or
    semicolons. For XLSX and other spreadsheets the first sheet is read
    unless ``sheet`` is given (an export's "About this file" sheet is passed
    over); whole numbers lose the ``.0`` that spreadsheets add. The quote an
    export puts before formula-looking text is taken off
    (:func:`goldenthread.formats.cells.unneutralise`). Blank rows are left
    out; the row numbers are those a spreadsheet shows (the header is row 1).
    How the file was read, when worth saying (it was not UTF-8), is added to
    ``warnings`` if given.

    Raises
    ------
    FormatError
        If the file cannot be read, passes a limit or has no data rows.
    """
    p = Path(path)
    kind = kind_of(p.name) or "csv"
    if kind == "csv":
        try:
            data = p.read_bytes()
            plain = _plain_csv_frame(data, limits)
        except OSError:
            plain = None  # the reader below says why the file cannot be read
        if plain is not None and plain.height:
            if warnings is not None:
                header = data.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0]
                delimiter = delimiter_of(header.decode("utf-8"))
                warnings += _read_notes(delimiter_notes(delimiter), str(path))
            return _tidy(plain, str(path), warnings)
    delimiter = ","
    try:
        source = read_source(
            p, str(path), kind=kind, sheet=sheet, choose=first_data_sheet, limits=limits
        )
        delimiter = source.delimiter
        frame = _frame(source.sheets[0].rows, text=kind == "csv")
        if warnings is not None:
            warnings += _read_notes(source.notes, str(path))
    except SourceError as error:
        message = _without_file(error.message, str(path))
        if error.code == "ragged-row" and delimiter != ",":
            message += RAGGED_DELIMITER.format(delimiter=DELIMITER_NAMES[delimiter])
        raise FormatError(
            [Problem(error.code, message, str(path), error.row, error.column)]
        ) from error
    except OSError as error:
        reason = str(error) or type(error).__name__
        raise FormatError(
            [Problem("unreadable", UNREADABLE.format(reason=reason), str(path))]
        ) from error
    if frame.height == 0:
        raise FormatError([Problem("empty", EMPTY_FILE, str(path))])
    return _tidy(frame, str(path), warnings)


#: What a row of a file read with another delimiter than commas adds to its message.
RAGGED_DELIMITER = " (the values were taken as separated by {delimiter})"


def _read_notes(notes: Sequence[str], file: str) -> list[Finding]:
    """How a file was read, where it is worth saying, as notes."""
    return [FormatWarning("read-as", note, file) for note in notes]


def _without_file(message: str, file: str) -> str:
    """A reader's message without the file name it begins with: a problem names
    its file once, in front.

    >>> _without_file("junk.csv: the file is not UTF-8 text", "junk.csv")
    'the file is not UTF-8 text'
    >>> _without_file("a.xlsx is CSV text, not an Excel workbook; name it .csv", "a.xlsx")
    'the file is CSV text, not an Excel workbook; name it .csv'
    """
    if message.startswith(f"{file}: "):
        return message[len(file) + 2 :]
    if message.startswith(f"{file} "):
        return "the file " + message[len(file) + 1 :]
    return message


def _tidy(frame: pl.DataFrame, file: str, warnings: list[Finding] | None) -> pl.DataFrame:
    """The frame without rows that repeat the header, with a note of the blank
    rows skipped and a problem for each repeated header added to ``warnings``."""
    found = _blank_rows(frame, file)
    frame, headers = _repeated_headers(frame, file)
    if warnings is not None:
        warnings += found + headers
    if frame.height == 0:
        raise FormatError([Problem("empty", EMPTY_FILE, file)])
    return frame


def _blank_rows(frame: pl.DataFrame, file: str) -> list[Finding]:
    """A note for each run of blank rows between data rows: the readers skip them.

    >>> frame = pl.DataFrame({"a": ["x", "y", "z"], ROW_COLUMN: [2, 5, 6]})
    >>> [f"{note.row}: {note.message}" for note in _blank_rows(frame, "posts.csv")]
    ['3: rows 3 to 4 are blank; they were skipped']
    """
    rows = frame[ROW_COLUMN].to_numpy()
    after = np.flatnonzero(np.diff(rows) > 1)
    notes: list[Finding] = []
    for i in after.tolist():
        first, last = int(rows[i]) + 1, int(rows[i + 1]) - 1
        message = (
            SKIPPED_BLANK_ROW
            if first == last
            else SKIPPED_BLANK_ROWS.format(first=first, last=last)
        )
        notes.append(FormatWarning("blank-row", message, file, first))
    return notes


def _plain(name: str) -> str:
    """A column's name as its header cell holds it (before it was made distinct)."""
    return re.sub(r"_duplicated_[0-9]+$", "", name)


def _repeated_headers(frame: pl.DataFrame, file: str) -> tuple[pl.DataFrame, list[Finding]]:
    """The frame without rows that repeat the header, and a problem for each.

    A row repeats the header when at least half of the named columns hold
    their own name, as when two files were pasted together. A lenient import
    skips it.

    >>> frame = pl.DataFrame({"FTE": ["1", "FTE"], "Grade": ["SCS1", "Grade"], ROW_COLUMN: [2, 3]})
    >>> rest, found = _repeated_headers(frame, "posts.csv")
    >>> rest[ROW_COLUMN].to_list(), str(found[0])
    ([2], 'posts.csv, row 3: the row repeats the header row (expected a row of data)')
    """
    named = [c for c in frame.columns if c != ROW_COLUMN and _plain(c).strip()]
    if not named:
        return frame, []
    # Compared as they are: a header pasted again holds the same text.
    same = [(pl.col(c) == _plain(c)).fill_null(False) for c in named]
    needed = max(2, (len(named) + 1) // 2) if len(named) > 1 else 1
    # A row with ``needed`` of them holds one among any len - needed + 1 columns:
    # only such rows are counted.
    if not frame.select(pl.any_horizontal(same[: len(named) - needed + 1]).any()).item():
        return frame, []
    marked = frame.with_columns((pl.sum_horizontal(same) >= needed).alias("_header"))
    rows = marked.filter(pl.col("_header"))[ROW_COLUMN].to_list()
    if not rows:
        return frame, []
    problems: list[Finding] = [
        Problem(
            "repeated-header",
            REPEATED_HEADER,
            file,
            int(row),
            None,
            None,
            "a row of data",
            SKIPPED_HEADER,
        )
        for row in rows
    ]
    return marked.filter(~pl.col("_header")).drop("_header"), problems


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("(£)", ""))


def find_column(
    frame: pl.DataFrame,
    candidates: Sequence[str],
    *,
    source: str,
    required: bool = True,
) -> str | None:
    """The first column whose name matches a candidate, ignoring case and punctuation.

    Raises
    ------
    FormatError
        If ``required`` and no candidate matches.

    Examples
    --------
    >>> frame = pl.DataFrame({"Post Unique Reference": ["1"], "Actual Pay Floor (£)": ["0"]})
    >>> find_column(frame, ["post unique reference"], source="x.csv")
    'Post Unique Reference'
    >>> find_column(frame, ["Actual Pay Floor"], source="x.csv")
    'Actual Pay Floor (£)'
    """
    by_norm = {_norm(c): c for c in reversed(frame.columns)}
    for cand in candidates:
        hit = by_norm.get(_norm(cand))
        if hit is not None:
            return hit
    if required:
        found = ", ".join(c for c in frame.columns if c != ROW_COLUMN)
        raise FormatError(
            [
                Problem(
                    "missing-column",
                    MISSING_COLUMN.format(column=candidates[0], found=found),
                    source,
                    1,
                    candidates[0],
                    None,
                    " or ".join(repr(c) for c in candidates),
                )
            ]
        )
    return None


_FAULT_MESSAGES = {
    DECIMAL_COMMA_FAULT: ("decimal-comma", DECIMAL_COMMA),
    SCIENTIFIC_FAULT: ("scientific-notation", SCIENTIFIC_NOTATION),
    ABOVE_FAULT: ("out-of-range", ABOVE_RANGE),
    NOT_WHOLE_FAULT: ("not-whole", NOT_WHOLE),
}


def _fault_problem(fault: str, column: str, rule: NumberRule, not_a_number: str) -> tuple[str, str]:
    """The code and message of a number's fault in ``column``."""
    if fault == BELOW_FAULT:
        if rule.minimum == 0:
            return "out-of-range", NEGATIVE_NUMBER.format(column=column)
        return "out-of-range", BELOW_RANGE.format(column=column, minimum=f"{rule.minimum:,.15g}")
    if fault in _FAULT_MESSAGES:
        code, message = _FAULT_MESSAGES[fault]
        return code, message.format(column=column, maximum=f"{rule.maximum:,.15g}")
    return "not-a-number", not_a_number.format(column=column)


def _fault_problems(
    frame: pl.DataFrame,
    column: str,
    faults: pl.Series,
    *,
    source: str,
    rule: NumberRule,
    expected: str,
    not_a_number: str,
) -> list[Problem]:
    found = frame.select(ROW_COLUMN, column, faults.alias("_fault")).filter(
        pl.col("_fault").is_not_null()
    )
    problems = []
    for row, value, fault in found.iter_rows():
        code, message = _fault_problem(fault, column, rule, not_a_number)
        repair = TAKEN_AS_UNKNOWN.format(problem=message) if rule.may_be_unknown else None
        problems.append(Problem(code, message, source, int(row), column, value, expected, repair))
    return problems


def read_number_column(
    frame: pl.DataFrame, column: str, rule: NumberRule, *, source: str
) -> tuple[pl.Series, list[Problem]]:
    """The numbers of ``column`` read by ``rule``, and a problem for each that cannot be.

    Each problem names the row, the column, the value found and what the
    rule expects; where the rule lets a value be unknown, it carries the
    repair a lenient import makes (the value is taken as unknown).

    Examples
    --------
    >>> from goldenthread.formats.values import POST_FTE
    >>> frame = pl.DataFrame({"FTE": ["1", "0,5"], ROW_COLUMN: [2, 3]})
    >>> values, problems = read_number_column(frame, "FTE", POST_FTE, source="posts.csv")
    >>> values.to_list()
    [1.0, None]
    >>> print(problems[0])  # doctest: +NORMALIZE_WHITESPACE
    posts.csv, row 3, column 'FTE': FTE has a decimal comma, which is not read: a comma
    separates thousands (write 0.5, not 0,5) (found '0,5'; expected a number of FTE from 0 to 10)
    """
    values, faults = read_numbers(frame[column], rule)
    problems = _fault_problems(
        frame,
        column,
        faults,
        source=source,
        rule=rule,
        expected=rule.expected,
        not_a_number=NOT_A_NUMBER,
    )
    return values, problems


def pay_band_findings(
    frame: pl.DataFrame, column: str, *, source: str, rule: NumberRule = PAY
) -> tuple[pl.Series, list[Finding]]:
    """The midpoint of each pay band in ``column``, with a problem for each row
    that is not a band or an amount within ``rule``, and a warning for each
    band unusually wide."""
    mid, faults, wide = parse_pay_bands(frame[column], rule)
    findings: list[Finding] = list(
        _fault_problems(
            frame,
            column,
            faults,
            source=source,
            rule=rule,
            expected=f"a pay band such as '95000 - 99999', each end {rule.expected}",
            not_a_number=NOT_A_PAY_BAND,
        )
    )
    findings += [
        FormatWarning(
            "wide-pay-band", WIDE_PAY_BAND.format(value=value), source, row, column, value
        )
        for row, value in frame.filter(wide).select(ROW_COLUMN, column).iter_rows()
    ]
    return mid, findings
