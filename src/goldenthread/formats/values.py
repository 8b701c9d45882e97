"""Parsing of the values found in structure files: IDs, numbers and pay bands.

The same rules hold for every format:

* IDs are text; leading zeros are kept and surrounding spaces removed.
* Blank, ``N/A``, ``NA``, ``N/D``, ``-`` and ``None`` mean "no value"
  (case-insensitively).
* The top marker ``XX`` in a reports-to column means "reports to no post";
  it is matched case-insensitively, like blank and ``N/A``.
* Pay of ``0`` means "not disclosed", never a real zero: it becomes unknown.
* A pay band such as ``95000 - 99999`` becomes its midpoint.
* Every number is read by :func:`read_numbers` under its column's
  :class:`NumberRule`: thousands separators and ``£`` are read; a decimal
  comma, scientific notation, ``inf`` and a value outside the column's range
  are faults, never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

import polars as pl

__all__ = [
    "ABOVE_FAULT",
    "BELOW_FAULT",
    "DECIMAL_COMMA_FAULT",
    "JUNIOR_FTE",
    "LEVEL",
    "NOT_A_NUMBER_FAULT",
    "NOT_WHOLE_FAULT",
    "NULL_TOKENS",
    "PAY",
    "POST_FTE",
    "SCIENTIFIC_FAULT",
    "TOP_MARKERS",
    "NumberFault",
    "NumberRule",
    "clean_text",
    "is_null",
    "parse_pay_bands",
    "parse_reports_to",
    "read_number",
    "read_numbers",
]

NULL_TOKENS = frozenset({"", "N/A", "NA", "N/D", "ND", "-", "NONE", "NULL", "NAN"})
TOP_MARKERS = frozenset({"XX"})
_NULL_PATTERN = "^(?i:" + "|".join(re.escape(t) for t in sorted(NULL_TOKENS) if t) + ")?$"

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


@dataclass(frozen=True)
class NumberRule:
    """What a number column may hold, so that one parser reads every reader's numbers.

    Attributes
    ----------
    what : str
        What the column holds, as a message says it: ``"a number of FTE"``.
    minimum, maximum : float
        The range a value must fall in (inclusive).
    pounds : bool
        Whether a ``£`` sign may come before the number.
    brackets : bool
        Whether ``(1,250)`` means minus 1,250 (an accountant's negative); only
        where ``minimum`` is below zero.
    whole : bool
        Whether the value must be a whole number.
    zero_is_unknown : bool
        Whether ``0`` means "not disclosed" and so reads as unknown.
    may_be_unknown : bool
        Whether a value that cannot be read may be taken as unknown by a
        lenient import (a cost may be unknown; an FTE may not).
    """

    what: str
    minimum: float
    maximum: float
    pounds: bool = False
    brackets: bool = False
    whole: bool = False
    zero_is_unknown: bool = False
    may_be_unknown: bool = False

    @property
    def expected(self) -> str:
        """What a value should be, for messages.

        >>> PAY.expected
        'an amount in pounds from 0 to 10,000,000'
        """
        return f"{self.what} from {self.minimum:,.15g} to {self.maximum:,.15g}"


#: FTE of one post (one row of a senior organogram, a council file or a table).
POST_FTE = NumberRule("a number of FTE", 0, 10)
#: FTE of one junior organogram row: a grade's staff under one senior post,
#: aggregated (real departments hold over 20,000 FTE in one row).
JUNIOR_FTE = NumberRule("a number of FTE", 0, 1_000_000)
#: Pay or cost of one post, or one end of a payscale, in pounds.
PAY = NumberRule(
    "an amount in pounds", 0, 10_000_000, pounds=True, zero_is_unknown=True, may_be_unknown=True
)
#: Known cost of all the junior staff reporting to one post, in pounds (an
#: exported table's ``junior_cost``): a department's can pass £100m.
JUNIOR_COST = NumberRule("an amount in pounds", 0, 1_000_000_000_000, pounds=True)
#: A count of junior rows (an exported table's ``junior_unknown_cost``).
ROW_COUNT = NumberRule("a whole number of rows", 0, 10_000_000, whole=True)
#: A council file's Level: 1 for the top post.
LEVEL = NumberRule("a whole number", 1, 100, whole=True)

# Faults found by :func:`read_numbers`, as codes.
NOT_A_NUMBER_FAULT = "not-a-number"
DECIMAL_COMMA_FAULT = "decimal-comma"
SCIENTIFIC_FAULT = "scientific"
BELOW_FAULT = "below-range"
ABOVE_FAULT = "above-range"
NOT_WHOLE_FAULT = "not-whole"

_PLAIN = r"^[0-9]+(?:\.[0-9]+)?$"
_BODY = r"^(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$|^\.[0-9]+$"
_DECIMAL_COMMA = r"^[0-9]+(?:\.[0-9]{3})*,[0-9]+$"
_SCIENTIFIC = r"^(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$"


def read_numbers(col: pl.Series, rule: NumberRule) -> tuple[pl.Series, pl.Series]:
    """Numbers from text, read by ``rule``: the values and a fault code for each.

    A number is digits with an optional decimal point, thousands separated by
    commas (``1,250.50``) or not, an optional minus sign, and ``£`` in front
    where the rule allows it (brackets as a negative too). Nothing else is
    read, and nothing is guessed: a decimal comma (``0,5``), scientific
    notation (``1e300``), ``inf`` or a value outside the rule's range is a
    fault. A value is null when missing, unknown (``0`` for pay) or faulty;
    its fault is null unless it is faulty.

    Examples
    --------
    >>> values, faults = read_numbers(
    ...     pl.Series(["1", "0.6", "N/D", "0,5", "-1", "inf", "11", "1e3"]), POST_FTE)
    >>> values.to_list()
    [1.0, 0.6, None, None, None, None, None, None]
    >>> faults.to_list()  # doctest: +NORMALIZE_WHITESPACE
    [None, None, None, 'decimal-comma', 'below-range', 'not-a-number', 'above-range',
     'scientific']
    >>> read_numbers(pl.Series(["£1,250", "0", "(5)", "1,25"]), PAY)[0].to_list()
    [1250.0, None, None, None]
    """
    text = clean_text(col)
    name = col.name
    if text.str.contains(_PLAIN).fill_null(True).all():
        number = text.cast(pl.Float64)
        faults = pl.repeat(None, len(text), dtype=pl.String, eager=True)
    else:
        # Each stage is a column of its own, so no expression is computed twice.
        t, inner = pl.col("t"), pl.col("inner")
        frame = (
            pl.DataFrame({"t": text})
            .with_columns(t.str.contains(r"^\(.*\)$").alias("bracketed"))
            .with_columns(
                pl.when(pl.col("bracketed"))
                .then(t.str.slice(1, t.str.len_chars() - 2))
                .otherwise(t)
                .str.strip_chars()
                .alias("inner")
            )
            .with_columns(
                (inner.str.starts_with("-") | inner.str.starts_with("\u2212")).alias("minus")
            )
            .with_columns(
                pl.when(pl.col("minus")).then(inner.str.slice(1)).otherwise(inner).str.strip_chars()
            )
            .with_columns(inner.str.starts_with("£").alias("pound"))
            .with_columns(
                pl.when(pl.col("pound")).then(inner.str.slice(1)).otherwise(inner).str.strip_chars()
            )
            # A minus after the pound sign, as in £-1,250.
            .with_columns(
                (pl.col("pound") & ~pl.col("minus") & inner.str.starts_with("-")).alias("late")
            )
            .with_columns(pl.when(pl.col("late")).then(inner.str.slice(1)).otherwise(inner))
        )
        bracketed, minus, late = pl.col("bracketed"), pl.col("minus"), pl.col("late")
        allowed = ~(bracketed & (minus | late))
        if not rule.pounds:
            allowed = allowed & ~pl.col("pound")
        if not rule.brackets:
            allowed = allowed & ~bracketed
        frame = frame.with_columns(allowed.alias("allowed")).with_columns(
            (pl.col("allowed") & inner.str.contains(_BODY)).alias("ok")
        )
        ok, allowed = pl.col("ok"), pl.col("allowed")
        value = inner.str.replace_all(",", "").cast(pl.Float64, strict=False)
        out = frame.select(
            pl.when(ok)
            .then(pl.when(bracketed | minus | late).then(-value).otherwise(value))
            .alias("number"),
            pl.when(t.is_null() | ok)
            .then(None)
            .when(allowed & inner.str.contains(_DECIMAL_COMMA))
            .then(pl.lit(DECIMAL_COMMA_FAULT))
            .when(allowed & inner.str.contains(_SCIENTIFIC))
            .then(pl.lit(SCIENTIFIC_FAULT))
            .otherwise(pl.lit(NOT_A_NUMBER_FAULT))
            .alias("fault"),
        )
        number, faults = out["number"], out["fault"]
    checked = pl.DataFrame({"n": number, "f": faults}).select(
        pl.when(pl.col("f").is_not_null())
        .then(pl.col("f"))
        .when(pl.col("n") < rule.minimum)
        .then(pl.lit(BELOW_FAULT))
        .when(pl.col("n") > rule.maximum)
        .then(pl.lit(ABOVE_FAULT))
        .when(pl.lit(rule.whole) & (pl.col("n") != pl.col("n").floor()))
        .then(pl.lit(NOT_WHOLE_FAULT))
        .alias("f")
    )["f"]
    keep = checked.is_null()
    if rule.zero_is_unknown:
        keep = keep & (number != 0).fill_null(True)
    values = pl.select(pl.when(keep).then(number).alias(name)).to_series()
    return values.alias(name), checked.alias(name)


_PLAIN_RE = re.compile(_PLAIN)
_BODY_RE = re.compile(_BODY)
_DECIMAL_COMMA_RE = re.compile(_DECIMAL_COMMA)
_SCIENTIFIC_RE = re.compile(_SCIENTIFIC)


class NumberFault(ValueError):
    """A text that :func:`read_number` does not read; ``fault`` says why."""

    def __init__(self, fault: str) -> None:
        super().__init__(fault)
        self.fault = fault


def read_number(text: str, *, pounds: bool = False, brackets: bool = False) -> Decimal:
    """One number, exactly, by the grammar of :func:`read_numbers` (no range).

    The import kit reads its number and money columns with this, so every
    file in the service reads a number the same way.

    Examples
    --------
    >>> read_number("1,250.50"), read_number("£ 42,500", pounds=True)
    (Decimal('1250.50'), Decimal('42500'))
    >>> read_number("-3"), read_number("(3)", brackets=True)
    (Decimal('-3'), Decimal('-3'))
    >>> for text in ("0,5", "1e3", "inf", "£5", "(3)"):
    ...     try:
    ...         read_number(text)
    ...     except NumberFault as fault:
    ...         print(text, fault.fault)
    0,5 decimal-comma
    1e3 scientific
    inf not-a-number
    £5 not-a-number
    (3) not-a-number
    """
    inner = text.strip()
    if _PLAIN_RE.match(inner):
        return Decimal(inner)
    bracketed = inner.startswith("(") and inner.endswith(")")
    if bracketed:
        inner = inner[1:-1].strip()
    minus = inner[:1] in ("-", "\u2212")
    if minus:
        inner = inner[1:].strip()
    pound = inner.startswith("£")
    if pound:
        inner = inner[1:].strip()
        if not minus and inner.startswith("-"):
            minus, inner = True, inner[1:]
    allowed = (pounds or not pound) and (brackets or not bracketed)
    allowed = allowed and not (bracketed and minus)
    if allowed and _BODY_RE.match(inner):
        value = Decimal(inner.replace(",", ""))
        return -value if minus or bracketed else value
    if allowed and _DECIMAL_COMMA_RE.match(inner):
        raise NumberFault(DECIMAL_COMMA_FAULT)
    if allowed and _SCIENTIFIC_RE.match(inner):
        raise NumberFault(SCIENTIFIC_FAULT)
    raise NumberFault(NOT_A_NUMBER_FAULT)


def parse_pay_bands(
    col: pl.Series, rule: NumberRule = PAY
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Pay bands such as ``95000 - 99999`` as midpoints.

    Returns the midpoints (null when missing, unknown or faulty), the fault
    of each value (see :func:`read_numbers`; ``not-a-number`` for text that
    is neither a band nor an amount) and a mask of bands wider than their
    lower end (usually a typing error). A single amount is taken as it is.
    Each end of a band is read by ``rule``; a band of ``0`` is unknown.

    Examples
    --------
    >>> mid, faults, wide = parse_pay_bands(
    ...     pl.Series(["95000 - 99999", "NA", "0", "£60,000 to £65,000", "81118", "ask"]))
    >>> mid.to_list()
    [97499.5, None, None, 62500.0, 81118.0, None]
    >>> faults.to_list()
    [None, None, None, None, None, 'not-a-number']
    >>> parse_pay_bands(pl.Series(["10000 - 104999"]))[2].to_list()
    [True]
    >>> parse_pay_bands(pl.Series(["-5 - 10", "1e300"]))[1].to_list()
    ['not-a-number', 'scientific']
    """
    text = clean_text(col)
    parts = text.str.extract_groups(_BAND)
    end = replace(rule, zero_is_unknown=False)
    low, low_fault = read_numbers(parts.struct.field("1").alias(col.name), end)
    high, high_fault = read_numbers(parts.struct.field("2").alias(col.name), end)
    is_band = parts.struct.field("1").is_not_null()
    single, single_fault = read_numbers(text, rule)
    frame = pl.DataFrame(
        {
            "band": is_band,
            "low": low,
            "high": high,
            "single": single,
            "lf": low_fault,
            "hf": high_fault,
            "sf": single_fault,
        }
    )
    out = frame.select(
        pl.when(pl.col("band"))
        .then((pl.col("low") + pl.col("high")) / 2)
        .otherwise(pl.col("single"))
        .alias("mid"),
        pl.when(pl.col("band"))
        .then(pl.coalesce("lf", "hf"))
        .otherwise(pl.col("sf"))
        .alias("fault"),
        (pl.col("band") & (pl.col("high") > 2 * pl.col("low"))).fill_null(False).alias("wide"),
    )
    mid = out["mid"]
    mid = pl.select(pl.when(mid == 0).then(None).otherwise(mid)).to_series().alias(col.name)
    return mid, out["fault"].alias(col.name), out["wide"].alias(col.name)
