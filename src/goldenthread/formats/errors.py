"""Problems and warnings found while reading a structure.

Every finding names the file, the row (counting the header as row 1, as a
spreadsheet shows it), the column, the value found and what was expected.
A :class:`Problem` stops a strict import; a :class:`FormatWarning` reports a
documented repair or something worth checking. The messages are module-level
format strings so that callers and tests can rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ABOVE_RANGE",
    "BAD_LEVEL",
    "BELOW_RANGE",
    "BLANK_FTE",
    "BLANK_REPORTS_TO",
    "CYCLE",
    "DECIMAL_COMMA",
    "DUPLICATE_CONFLICT",
    "DUPLICATE_REPORTS",
    "EMPTY_FILE",
    "EXACT_DUPLICATE",
    "INFERRED_PARENTS",
    "JOB_SHARE",
    "LEADING_ZEROS",
    "LEVEL_GAP",
    "MISSING_COLUMN",
    "MISSING_ID",
    "NEGATIVE_NUMBER",
    "NOT_A_NUMBER",
    "NOT_A_PAY_BAND",
    "NOT_WHOLE",
    "READ_AS",
    "REPAIRED_BLANK_REPORTS_TO",
    "REPAIRED_BLANK_SENIOR",
    "REPAIRED_CYCLE",
    "REPAIRED_DUPLICATE",
    "REPAIRED_DUPLICATE_ATTACHED",
    "REPAIRED_LEADING_ZEROS",
    "REPAIRED_MISSING_ID",
    "REPAIRED_NUMBER",
    "REPAIRED_SELF_REPORT",
    "REPAIRED_UNKNOWN_MANAGER",
    "REPAIRED_UNKNOWN_SENIOR",
    "REPEATED_HEADER",
    "SCIENTIFIC_NOTATION",
    "SELF_REPORT",
    "SKIPPED_BLANK_ROW",
    "SKIPPED_BLANK_ROWS",
    "SKIPPED_HEADER",
    "TAKEN_AS_UNKNOWN",
    "UNKNOWN_MANAGER",
    "UNKNOWN_SENIOR",
    "UNREADABLE",
    "WIDE_PAY_BAND",
    "ZERO_TWINS",
    "Finding",
    "FormatWarning",
    "Problem",
    "SettingsFileError",
    "StructureImportError",
]

# Problems: a strict import fails and lists every one of them.
MISSING_COLUMN = "required column {column} is missing (columns found: {found})"
EMPTY_FILE = "the file has no data rows"
UNREADABLE = "the file cannot be read: {reason}"
MISSING_ID = "the post has no ID"
NOT_A_NUMBER = "{column} is not a number"
DECIMAL_COMMA = (
    "{column} has a decimal comma, which is not read: a comma separates thousands "
    "(write 0.5, not 0,5)"
)
SCIENTIFIC_NOTATION = (
    "{column} is in scientific notation, which is not read (a spreadsheet shows a number "
    "so when its column is too narrow, and may have rounded it)"
)
NEGATIVE_NUMBER = "{column} is negative"
BELOW_RANGE = "{column} is less than {minimum}"
ABOVE_RANGE = "{column} is more than {maximum}"
NOT_WHOLE = "{column} is not a whole number"
BLANK_REPORTS_TO = "reports-to is blank"
REPEATED_HEADER = "the row repeats the header row"
NOT_A_PAY_BAND = "{column} is not a pay band such as '95000 - 99999'"
BAD_LEVEL = "Level is not a whole number of 1 or more"
DUPLICATE_CONFLICT = "post {post_id} appears on {count} rows with different managers: {rows}"
DUPLICATE_REPORTS = "; {reporting} {post_id}, so which of these rows is meant is unclear"
LEADING_ZEROS = (
    "{count} {what} match no post ID as written but match a post once leading zeros are "
    "ignored (for example row {row}: {value} is post {post_id}); one of the ID columns may "
    "have lost its leading zeros, as when a spreadsheet turns a column into numbers"
)
SELF_REPORT = "post {post_id} reports to itself"
UNKNOWN_MANAGER = "post {post_id} reports to {manager}, which is not a post in the file"
UNKNOWN_SENIOR = "junior staff report to {manager}, which is not a senior post in the file"
CYCLE = "reporting cycle of {count} posts: {path}"

# Warnings: repairs made with --lenient, and notes that hold in every mode.
REPAIRED_MISSING_ID = "the post has no ID; it was given the ID {post_id}"
REPAIRED_NUMBER = "{column} is not a number; it was taken as unknown"
TAKEN_AS_UNKNOWN = "{problem}; it was taken as unknown"
REPAIRED_BLANK_REPORTS_TO = "reports-to is blank; the post was taken as a top post"
REPAIRED_BLANK_SENIOR = "reports-to is blank; the row's {fte} FTE of junior staff were left out"
SKIPPED_HEADER = "the row repeats the header row; it was skipped"
SKIPPED_BLANK_ROW = "the row is blank; it was skipped"
SKIPPED_BLANK_ROWS = "rows {first} to {last} are blank; they were skipped"
READ_AS = "the file was read as {how}"
REPAIRED_DUPLICATE = (
    "post {post_id} appears on {count} rows with different managers: {rows}; "
    "{renamed}; no post reports to {post_id}"
)
REPAIRED_DUPLICATE_ATTACHED = (
    "post {post_id} appears on {count} rows with different managers: {rows}; "
    "{renamed}; {attached} to row {row} because {reason}"
)
REPAIRED_LEADING_ZEROS = (
    "{count} {what} matched no post ID as written; each was matched to the post whose ID is "
    "the same once leading zeros are ignored (for example row {row}: {value} became post "
    "{post_id})"
)
REPAIRED_SELF_REPORT = "post {post_id} reports to itself; it was made a top post"
REPAIRED_UNKNOWN_MANAGER = (
    "post {post_id} reports to {manager}, which is not a post in the file; it was made a top post"
)
REPAIRED_UNKNOWN_SENIOR = (
    "junior staff report to {manager}, which is not a senior post in the file; "
    "their {fte} FTE were left out"
)
REPAIRED_CYCLE = "reporting cycle {path} was broken by making post {post_id} a top post"
EXACT_DUPLICATE = "the row repeats row {first} exactly; it was counted once"
JOB_SHARE = "post {post_id} is a job share of {count} rows (rows {rows}); FTE summed to {fte}"
BLANK_FTE = "FTE is blank; it was taken as {default}"
WIDE_PAY_BAND = "pay band {value} is unusually wide; check it"
INFERRED_PARENTS = (
    "the file has no post IDs or reports-to column: each post's manager was inferred "
    "from the row order and Level (the nearest row above with a lower Level)"
)
ZERO_TWINS = (
    "{count} {what} (for example row {row}: {value}) match a post as written, but another "
    "post has the same ID once leading zeros are ignored; as other references lost or gained "
    "leading zeros, check which post these mean"
)
LEVEL_GAP = (
    "Level {level} follows Level {previous}; the post was attached to the nearest post above"
)


def located(
    file: str,
    places: tuple[tuple[str, int | str | None], ...],
    message: str,
    value: object,
    expected: str | None,
) -> str:
    """A message with where it applies in front and what was found and expected after.

    >>> located("posts.csv", (("row", 4), ("column", "FTE")), "FTE is negative", "-1", None)
    "posts.csv, row 4, column 'FTE': FTE is negative (found '-1')"
    """
    where = file
    for label, place in places:
        if place is not None:
            where += f", {label} {place!r}"
    text = f"{where}: {message}"
    details = []
    if value is not None:
        details.append(f"found {value!r}")
    if expected is not None:
        details.append(f"expected {expected}")
    if details:
        text += f" ({'; '.join(details)})"
    return text


@dataclass(frozen=True)
class Finding:
    """Something found in an input file.

    Attributes
    ----------
    code : str
        A short stable name, e.g. ``"cycle"`` or ``"unknown-manager"``.
    message : str
        The explanation, built from one of this module's format strings.
    file : str
        The file (its name as given), or a label for data not from a file.
    row : int or None
        The row, counting the header as row 1; ``None`` for the whole file.
    column : str or None
        The column the value came from.
    value : str or None
        The value found.
    expected : str or None
        What was expected instead.
    repair : str or None
        For a problem that has a documented repair: the message a lenient
        import gives when it makes the repair. ``None`` for a problem that
        only a corrected file will mend.
    """

    code: str
    message: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    repair: str | None = None

    def __str__(self) -> str:
        places = (("row", self.row), ("column", self.column))
        return located(self.file, places, self.message, self.value, self.expected)

    def as_dict(self) -> dict[str, str | int | None]:
        """The finding as a JSON-ready mapping."""
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
        }


@dataclass(frozen=True)
class Problem(Finding):
    """A fault that stops a strict import.

    Examples
    --------
    >>> p = Problem("self-report", SELF_REPORT.format(post_id="DWP12"),
    ...             "dwp-senior.csv", 14, "Reports to Senior Post", "DWP12",
    ...             "the ID of another post")
    >>> print(p)
    dwp-senior.csv, row 14, column 'Reports to Senior Post': post DWP12 reports to itself \
(found 'DWP12'; expected the ID of another post)
    """


@dataclass(frozen=True)
class FormatWarning(Finding):
    """A repair that was made, or something in the input worth checking."""


class SettingsFileError(ValueError):
    """A rules or column-mapping file that cannot be used, located in that file.

    Examples
    --------
    >>> print(SettingsFileError("rules.toml", "target_span_min is not a whole number",
    ...                         key="target_span_min", value="five",
    ...                         expected="a whole number such as 5"))
    rules.toml, key 'target_span_min': target_span_min is not a whole number \
(found 'five'; expected a whole number such as 5)
    >>> print(SettingsFileError("map.toml", "the file is not valid TOML: invalid value",
    ...                         line=1))
    map.toml, line 1: the file is not valid TOML: invalid value
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        line: int | None = None,
        key: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.message = message
        self.line = line
        self.key = key
        self.value = value
        self.expected = expected
        places = (("line", line), ("key", key))
        super().__init__(located(file, places, message, value, expected))


class StructureImportError(ValueError):
    """A strict import found problems; all of them are in ``problems``.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem found, in file order.
    warnings : tuple of FormatWarning
        The warnings found along the way.
    """

    def __init__(
        self,
        problems: tuple[Problem, ...],
        warnings: tuple[FormatWarning, ...] = (),
    ) -> None:
        self.problems = problems
        self.warnings = warnings
        count = len(problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the input:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))
