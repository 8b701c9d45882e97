"""Financial years and their quarters, as English councils count them.

A financial year runs from 1 April to 31 March and is written "2025/26"; its
quarters are Q1 (April–June), Q2 (July–September), Q3 (October–December) and
Q4 (January–March). A quarter is stored as one whole number, ``year * 10 +
number`` (20252 for 2025/26 Q2), so quarters sort and compare as numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

__all__ = [
    "QUARTER_EXPECTED",
    "YEAR_EXPECTED",
    "FinancialQuarter",
    "QuarterError",
    "financial_year_label",
    "financial_year_of",
    "parse_financial_year",
]

QUARTER_EXPECTED = "a financial-year quarter such as 2025/26 Q2 (Q1 is April to June)"
YEAR_EXPECTED = "a financial year such as 2025/26"

#: The earliest and latest financial years a quarter may name.
FIRST_YEAR = 1990
LAST_YEAR = 2100

_QUARTER = re.compile(
    r"^(?:FY\s*)?(?P<year>\d{4})\s*(?:[/-]\s*(?P<next>\d{2}|\d{4}))?\s*[\s,]\s*Q(?P<q>[1-4])$",
    re.IGNORECASE,
)
_QUARTER_FIRST = re.compile(
    r"^Q(?P<q>[1-4])\s*[\s,]\s*(?:FY\s*)?(?P<year>\d{4})\s*(?:[/-]\s*(?P<next>\d{2}|\d{4}))?$",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"^(?:FY\s*)?(?P<year>\d{4})\s*(?:[/-]\s*(?P<next>\d{2}|\d{4}))?$", re.IGNORECASE
)


class QuarterError(ValueError):
    """Text that names no financial quarter or year; the message says what was expected."""


def _year(text: str, next_year: str | None) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise QuarterError(f"the year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    if next_year is not None:
        expected = (year + 1) % (100 if len(next_year) == 2 else 10_000)
        if int(next_year) != expected:
            raise QuarterError(
                f"{year}/{next_year} is not a financial year: the year after {year} is {year + 1}"
            )
    return year


def financial_year_of(day: dt.date) -> int:
    """The financial year a day falls in, by the year it starts: 1 March 2026 is in 2025."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    """``2025`` → ``"2025/26"``."""
    return f"{year}/{(year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """``"2025/26"``, ``"2025-26"``, ``"2025/2026"`` or ``"2025"`` → 2025."""
    found = _YEAR.match(str(text).strip())
    if found is None:
        raise QuarterError(f"expected {YEAR_EXPECTED}")
    return _year(found["year"], found["next"])


@total_ordering
@dataclass(frozen=True)
class FinancialQuarter:
    """One quarter of a financial year; ``year`` is the year the financial year starts in."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise QuarterError(f"a quarter is numbered 1 to 4, not {self.number}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise QuarterError(f"the year {self.year} is outside {FIRST_YEAR} to {LAST_YEAR}")

    # ---- reading and writing -------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Read "2025/26 Q2", "2025-26 Q2", "Q2 2025/26" or "2025 Q2"; anything else is refused."""
        cleaned = " ".join(str(text).split())
        found = _QUARTER.match(cleaned) or _QUARTER_FIRST.match(cleaned)
        if found is None:
            raise QuarterError(f"expected {QUARTER_EXPECTED}")
        return cls(_year(found["year"], found["next"]), int(found["q"]))

    @classmethod
    def from_code(cls, code: int) -> FinancialQuarter:
        """The quarter stored as ``code`` (20252 → 2025/26 Q2)."""
        year, number = divmod(int(code), 10)
        return cls(year, number)

    @classmethod
    def of(cls, day: dt.date) -> FinancialQuarter:
        """The quarter a day falls in: 15 May 2025 is in 2025/26 Q1."""
        return cls(financial_year_of(day), (day.month - 4) % 12 // 3 + 1)

    @property
    def code(self) -> int:
        return self.year * 10 + self.number

    @property
    def label(self) -> str:
        return f"{financial_year_label(self.year)} Q{self.number}"

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FinancialQuarter):
            return NotImplemented
        return self.code < other.code

    # ---- dates ------------------------------------------------------------------------

    @property
    def start(self) -> dt.date:
        """The first day: 1 July 2025 for 2025/26 Q2."""
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day: 30 September 2025 for 2025/26 Q2."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> FinancialQuarter:
        if self.number == 4:
            return FinancialQuarter(self.year + 1, 1)
        return FinancialQuarter(self.year, self.number + 1)

    def previous(self) -> FinancialQuarter:
        if self.number == 1:
            return FinancialQuarter(self.year - 1, 4)
        return FinancialQuarter(self.year, self.number - 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end
