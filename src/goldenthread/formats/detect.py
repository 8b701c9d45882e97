"""Choosing the reader for a file, and reading the design rules file."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Literal

import polars as pl

from goldenthread.analysis.rules import DesignRules
from goldenthread.formats.lga import read_lga
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import PostTable
from goldenthread.formats.table import ColumnMapping, read_table

__all__ = ["FORMATS", "Format", "detect_format", "load_rules", "read_posts"]

Format = Literal["organogram", "lga", "table"]
FORMATS: tuple[Format, ...] = ("organogram", "lga", "table")


def _header(path: Path) -> list[str]:
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}:
        return []
    try:
        return pl.read_csv(path, n_rows=1, infer_schema=False, encoding="utf8-lossy").columns
    except (OSError, pl.exceptions.PolarsError):
        return []


def detect_format(path: str | Path) -> Format:
    """The format a file looks like, from its header row.

    An organogram has ``Post Unique Reference``; the LGA layout has ``Level``
    and ``JobTitle``; anything else (and any spreadsheet) is a table.
    """
    names = {h.strip().lower().replace(" ", "") for h in _header(Path(path))}
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
) -> PostTable:
    """Read a file in the given (or detected) format."""
    chosen = fmt or detect_format(path)
    if chosen == "organogram":
        return read_organogram(path, junior)
    if junior is not None:
        raise ValueError("a junior file goes with the organogram format only")
    if chosen == "lga":
        return read_lga(path)
    return read_table(path, mapping)


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
