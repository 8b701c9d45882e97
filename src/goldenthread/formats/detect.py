"""Choosing the reader for a file, and reading the design rules file."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Literal

from goldenthread.analysis.rules import DesignRules
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
from goldenthread.formats.table import ColumnMapping, read_table

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


def load_rules(path: str | Path) -> DesignRules:
    """Design rules from a TOML file.

    The keys are those of :class:`~goldenthread.analysis.rules.DesignRules`,
    at the top level or under ``[rules]``::

        target_span_min = 5
        target_span_max = 8
        narrow_span_max = 2
        max_layers = 6
        cost_per_redundancy = 30000
    """
    with Path(path).open("rb") as fh:
        data = tomllib.load(fh)
    table = data.get("rules", data)
    allowed = {
        "target_span_min",
        "target_span_max",
        "narrow_span_max",
        "max_layers",
        "cost_per_redundancy",
    }
    unknown = set(table) - allowed
    if unknown:
        raise ValueError(f"unknown design rules: {', '.join(sorted(unknown))}")
    kwargs: dict[str, object] = dict(table)
    if "cost_per_redundancy" in kwargs:
        kwargs["cost_per_redundancy"] = Decimal(str(kwargs["cost_per_redundancy"]))
    return DesignRules(**kwargs)  # type: ignore[arg-type]
