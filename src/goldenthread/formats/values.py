"""Parsing of the values found in structure files: IDs, numbers and pay bands.

The same rules hold for every format:

* IDs are text; leading zeros are kept and surrounding spaces removed.
* Blank, ``N/A``, ``NA``, ``N/D``, ``-`` and ``None`` mean "no value"
  (case-insensitively).
* The top marker ``XX`` in a reports-to column means "reports to no post";
  it is matched case-insensitively, like blank and ``N/A``.
* Pay of ``0`` means "not disclosed", never a real zero: it becomes unknown.
* A pay band such as ``95000 - 99999`` becomes its midpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

__all__ = [
    "NULL_TOKENS",
    "TOP_MARKERS",
    "clean_text",
    "is_null",
    "parse_numbers",
    "parse_pay_bands",
    "parse_reports_to",
]

NULL_TOKENS = frozenset({"", "N/A", "NA", "N/D", "ND", "-", "NONE", "NULL", "NAN"})
TOP_MARKERS = frozenset({"XX"})
_NULL_PATTERN = "^(?i:" + "|".join(re.escape(t) for t in sorted(NULL_TOKENS) if t) + ")?$"

_NUMBER_JUNK = r"[£$,\s]"
_AMOUNT = r"£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)"
_BAND = rf"^\s*{_AMOUNT}\s*(?:-|\u2013|to)\s*{_AMOUNT}\s*$"


def clean_text(col: pl.Series) -> pl.Series:
    """Strip text and turn the null tokens into nulls.

    Examples
    --------
    >>> clean_text(pl.Series([" 00155792 ", "N/A", "n/d", None, "Finance"])).to_list()
    ['00155792', None, None, None, 'Finance']
    """
    s = col.cast(pl.String).str.strip_chars()
    return (
        pl.select(
            pl.when(s.str.contains(_NULL_PATTERN).fill_null(True))
            .then(None)
            .otherwise(s)
            .alias(col.name)
        )
        .to_series()
        .cast(pl.String)
    )


def is_null(col: pl.Series) -> pl.Series:
    """Whether each value is missing (blank or a null token)."""
    return clean_text(col).is_null()


def parse_reports_to(col: pl.Series, top_markers: Iterable[str] = TOP_MARKERS) -> pl.Series:
    """Reports-to IDs as text, with the top marker and null tokens as null.

    Examples
    --------
    >>> parse_reports_to(pl.Series(["CLG138", "XX", "xx", "N/A", "", "00003285"])).to_list()
    ['CLG138', None, None, None, None, '00003285']
    """
    s = clean_text(col)
    markers = [m.upper() for m in top_markers]
    return (
        pl.select(
            pl.when(s.str.to_uppercase().is_in(markers)).then(None).otherwise(s).alias(col.name)
        )
        .to_series()
        .cast(pl.String)
    )


def parse_numbers(col: pl.Series, *, zero_is_unknown: bool = False) -> tuple[pl.Series, pl.Series]:
    """Numbers from text: the values (null when missing) and a bad-value mask.

    ``£`` signs, commas and spaces are ignored. A value that is present but is
    not a number is null in the values and true in the mask.

    Examples
    --------
    >>> values, bad = parse_numbers(pl.Series(["1", "0.6", "£1,250", "N/D", "full"]))
    >>> values.to_list(), bad.to_list()
    ([1.0, 0.6, 1250.0, None, None], [False, False, False, False, True])
    >>> parse_numbers(pl.Series(["0", "125000"]), zero_is_unknown=True)[0].to_list()
    [None, 125000.0]
    """
    text = clean_text(col)
    num = text.cast(pl.Float64, strict=False)
    if (text.is_not_null() & num.is_null()).any():
        num = text.str.replace_all(_NUMBER_JUNK, "").cast(pl.Float64, strict=False)
    bad = text.is_not_null() & num.is_null()
    if zero_is_unknown:
        num = pl.select(pl.when(num == 0).then(None).otherwise(num)).to_series()
    return num.alias(col.name), bad.alias(col.name)


def parse_pay_bands(col: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Pay bands such as ``95000 - 99999`` as midpoints.

    Returns the midpoints (null when missing or ``0``), a bad-value mask and a
    mask of bands wider than their lower end (usually a typing error). A
    single amount is taken as it is.

    Examples
    --------
    >>> mid, bad, wide = parse_pay_bands(
    ...     pl.Series(["95000 - 99999", "NA", "0", "£60,000 to £65,000", "81118", "ask"]))
    >>> mid.to_list()
    [97499.5, None, None, 62500.0, 81118.0, None]
    >>> bad.to_list()
    [False, False, False, False, False, True]
    >>> parse_pay_bands(pl.Series(["10000 - 104999"]))[2].to_list()
    [True]
    """
    text = clean_text(col)
    parts = text.str.extract_groups(_BAND)
    low = parts.struct.field("1").str.replace_all(",", "").cast(pl.Float64, strict=False)
    high = parts.struct.field("2").str.replace_all(",", "").cast(pl.Float64, strict=False)
    single, single_bad = parse_numbers(text)
    frame = pl.DataFrame({"low": low, "high": high, "single": single})
    out = frame.select(
        pl.when(pl.col("low").is_not_null())
        .then((pl.col("low") + pl.col("high")) / 2)
        .otherwise(pl.col("single"))
        .alias("mid"),
        (pl.col("low").is_not_null() & (pl.col("high") > 2 * pl.col("low"))).alias("wide"),
    )
    mid = out["mid"]
    mid = pl.select(pl.when(mid == 0).then(None).otherwise(mid)).to_series().alias(col.name)
    bad = (single_bad & low.is_null()).alias(col.name)
    return mid, bad, out["wide"].alias(col.name)
