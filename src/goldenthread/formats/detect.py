"""Choosing the reader for a file, and reading the design rules file."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from goldenthread.analysis.rules import DEFAULT_RULES, DesignRules
from goldenthread.formats.errors import SettingsFileError
from goldenthread.formats.lga import read_lga
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import PostTable
from goldenthread.formats.sources import (
    DEFAULT_LIMITS,
    ReadLimits,
    SourceError,
    kind_of,
    read_source,
)
from goldenthread.formats.table import ColumnMapping, read_table, read_toml

__all__ = ["FORMATS", "Format", "detect_format", "header_names", "load_rules", "read_posts"]

Format = Literal["organogram", "lga", "table"]
FORMATS: tuple[Format, ...] = ("organogram", "lga", "table")


def header_names(path: str | Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> list[str]:
    """The names in a CSV file's header row, read within ``limits``.

    None for a workbook, or for a file that cannot be read as CSV (its reader
    says why).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "posts.csv"
    ...     _ = path.write_bytes("Level;JobTitle\\n1;Chief Executive\\n".encode("utf-16"))
    ...     header_names(path)
    ['Level', 'JobTitle']
    """
    p = Path(path)
    if kind_of(p.name) not in (None, "csv"):
        return []
    try:
        rows = read_source(p, str(p), kind="csv", limits=limits).sheets[0].rows
        try:
            first = next(rows, None)
        finally:
            rows.close()
    except (SourceError, OSError):
        return []
    return [] if first is None else [str(name) for name in first[1]]


def detect_format(path: str | Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> Format:
    """The format a file looks like, from its header row.

    An organogram has ``Post Unique Reference``; the LGA layout has ``Level``
    and ``JobTitle``; anything else (and any spreadsheet) is a table.
    """
    names = {h.strip().lower().replace(" ", "") for h in header_names(path, limits=limits)}
    if "postuniquereference" in names or "reportingseniorpost" in names:
        return "organogram"
    if "level" in names and "jobtitle" in names:
        return "lga"
    return "table"


def read_posts(
    path: str | Path,
    junior: str | Path | None = None,
    *,
    fmt: Format | None = None,
    mapping: ColumnMapping | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PostTable:
    """Read a file in the given (or detected) format, within ``limits``."""
    chosen = fmt or detect_format(path, limits=limits)
    if chosen == "organogram":
        return read_organogram(path, junior, limits=limits)
    if junior is not None:
        raise ValueError("a junior file goes with the organogram format only")
    if chosen == "lga":
        return read_lga(path, limits=limits)
    return read_table(path, mapping, limits=limits)


#: Each design rule's key, and what its value must be.
_RULE_KEYS = {
    "target_span_min": "a whole number of 1 or more, such as 5",
    "target_span_max": "a whole number at least target_span_min, such as 8",
    "narrow_span_max": "a whole number of 0 or more, such as 2",
    "max_layers": "a whole number of 1 or more, such as 6",
    "cost_per_redundancy": "an amount in pounds of 0 or more, such as 30000",
}


def _rule_value(file: str, key: str, value: object) -> int | Decimal:
    """A design rule's value, checked for its type and range."""
    expected = _RULE_KEYS[key]
    if key == "cost_per_redundancy":
        amount: Decimal | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            amount = Decimal(str(value))
        elif isinstance(value, str):
            try:
                amount = Decimal(value.replace(",", "").removeprefix("£"))
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            raise SettingsFileError(
                file, f"{key} is not an amount in pounds", key=key, value=value, expected=expected
            )
        return amount
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettingsFileError(
            file, f"{key} is not a whole number", key=key, value=value, expected=expected
        )
    lowest = 0 if key == "narrow_span_max" else 1
    if value < lowest:
        raise SettingsFileError(
            file, f"{key} is less than {lowest}", key=key, value=value, expected=expected
        )
    return value


def load_rules(path: str | Path) -> DesignRules:
    """Design rules from a TOML file.

    The keys are those of :class:`~goldenthread.analysis.rules.DesignRules`,
    at the top level or under ``[rules]``::

        target_span_min = 5
        target_span_max = 8
        narrow_span_max = 2
        max_layers = 6
        cost_per_redundancy = 30000

    Raises
    ------
    SettingsFileError
        Naming the rules file, the line or key, the value found and what was
        expected, if the file is not valid TOML, a key is unknown or a value
        is not what its key takes.
    """
    file = str(path)
    data = read_toml(path)
    table = data.get("rules", data)
    if not isinstance(table, dict):
        raise SettingsFileError(
            file, "rules is not a table", key="rules", value=table, expected="a [rules] table"
        )
    for key in table:
        if key not in _RULE_KEYS:
            raise SettingsFileError(
                file,
                "unknown design rule",
                key=key,
                expected="one of " + ", ".join(_RULE_KEYS),
            )
    kwargs = {key: _rule_value(file, key, value) for key, value in table.items()}
    low = kwargs.get("target_span_min", DEFAULT_RULES.target_span_min)
    high = kwargs.get("target_span_max", DEFAULT_RULES.target_span_max)
    if low > high:
        raise SettingsFileError(
            file,
            f"target_span_min ({low}) is more than target_span_max ({high})",
            key="target_span_max",
            value=high,
            expected=f"a whole number at least target_span_min, {low}",
        )
    try:
        return DesignRules(**kwargs)  # type: ignore[arg-type]
    except ValueError as error:
        raise SettingsFileError(file, str(error)) from error
