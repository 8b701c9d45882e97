"""Financial years and quarters: how they are read, stored, labelled and bounded."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.analysis.quarters import (
    QUARTER_EXPECTED,
    YEAR_EXPECTED,
    FinancialQuarter,
    QuarterError,
    financial_year_label,
    financial_year_of,
    parse_financial_year,
)


@pytest.mark.parametrize(
    "text",
    [
        "2025/26 Q2",
        "2025-26 Q2",
        "2025/2026 Q2",
        "2025 Q2",
        "Q2 2025/26",
        "q2 2025-26",
        "FY2025/26 Q2",
        "  2025/26   q2 ",
        "2025/26, Q2",
    ],
)
def test_each_way_of_writing_a_quarter_reads_the_same(text) -> None:
    quarter = FinancialQuarter.parse(text)
    assert (quarter.year, quarter.number, quarter.code, quarter.label) == (
        2025,
        2,
        20252,
        "2025/26 Q2",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"expected {QUARTER_EXPECTED}"),
        ("2025/26", f"expected {QUARTER_EXPECTED}"),
        ("2025/26 Q5", f"expected {QUARTER_EXPECTED}"),
        ("2025/26 Q0", f"expected {QUARTER_EXPECTED}"),
        ("quarter two 2025", f"expected {QUARTER_EXPECTED}"),
        ("2025/27 Q1", "2025/27 is not a financial year: the year after 2025 is 2026"),
        ("2025/2027 Q1", "2025/2027 is not a financial year: the year after 2025 is 2026"),
        ("1900/01 Q1", "the year 1900 is outside 1990 to 2100"),
        ("2101 Q1", "the year 2101 is outside 1990 to 2100"),
    ],
)
def test_text_that_names_no_quarter_is_refused_saying_why(text, message) -> None:
    with pytest.raises(QuarterError) as refused:
        FinancialQuarter.parse(text)
    assert str(refused.value) == message


def test_the_century_turns_in_a_two_digit_year() -> None:
    assert FinancialQuarter.parse("2099/00 Q4").label == "2099/00 Q4"


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2025, 3, 31), "2024/25 Q4"),  # the last day of a financial year
        (dt.date(2025, 4, 1), "2025/26 Q1"),  # the first day of the next
        (dt.date(2025, 6, 30), "2025/26 Q1"),
        (dt.date(2025, 7, 1), "2025/26 Q2"),
        (dt.date(2025, 9, 30), "2025/26 Q2"),
        (dt.date(2025, 10, 1), "2025/26 Q3"),
        (dt.date(2025, 12, 31), "2025/26 Q3"),
        (dt.date(2026, 1, 1), "2025/26 Q4"),
        (dt.date(2026, 3, 31), "2025/26 Q4"),
    ],
)
def test_the_quarter_of_a_day_turns_at_its_boundaries(day, label) -> None:
    assert FinancialQuarter.of(day).label == label


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2025/26 Q1", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025/26 Q2", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025/26 Q3", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025/26 Q4", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2027/28 Q4", dt.date(2028, 1, 1), dt.date(2028, 3, 31)),
    ],
)
def test_a_quarter_starts_and_ends_on_its_days(label, start, end) -> None:
    quarter = FinancialQuarter.parse(label)
    assert (quarter.start, quarter.end) == (start, end)
    assert quarter.contains(start) and quarter.contains(end)
    assert not quarter.contains(start - dt.timedelta(days=1))
    assert not quarter.contains(end + dt.timedelta(days=1))


def test_codes_store_and_order_quarters() -> None:
    q4 = FinancialQuarter.from_code(20254)
    assert q4.label == "2025/26 Q4"
    assert q4.next() == FinancialQuarter(2026, 1)
    assert FinancialQuarter(2026, 1).previous() == q4
    assert FinancialQuarter(2025, 4) < FinancialQuarter(2026, 1)
    assert str(q4) == "2025/26 Q4"
    with pytest.raises(QuarterError):
        FinancialQuarter.from_code(20255)
    with pytest.raises(QuarterError):
        FinancialQuarter(2025, 0)


@pytest.mark.parametrize(
    ("text", "year"), [("2025/26", 2025), ("2025-26", 2025), ("2025/2026", 2025), ("2025", 2025)]
)
def test_financial_years_are_read(text, year) -> None:
    assert parse_financial_year(text) == year
    assert financial_year_label(year) == "2025/26"


@pytest.mark.parametrize("text", ["", "25/26", "2025/27", "twenty25"])
def test_text_that_names_no_year_is_refused(text) -> None:
    with pytest.raises(QuarterError) as refused:
        parse_financial_year(text)
    assert str(refused.value) in (
        f"expected {YEAR_EXPECTED}",
        "2025/27 is not a financial year: the year after 2025 is 2026",
    )


def test_the_financial_year_of_a_day_starts_on_1_april() -> None:
    assert financial_year_of(dt.date(2026, 3, 31)) == 2025
    assert financial_year_of(dt.date(2026, 4, 1)) == 2026


@given(st.dates(min_value=dt.date(1990, 4, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_is_in_the_quarter_of_it(day) -> None:
    quarter = FinancialQuarter.of(day)
    assert quarter.start <= day <= quarter.end
    assert FinancialQuarter.parse(quarter.label) == quarter
    assert FinancialQuarter.from_code(quarter.code) == quarter
    assert quarter.next().start == quarter.end + dt.timedelta(days=1)
