"""The timeline's quarters and cells: design, implementation and due, in words."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.analysis.timeline import (
    MAX_QUARTERS,
    QUARTERS_BEFORE_TODAY,
    quarter_window,
    timeline_cells,
)

codes = st.builds(lambda year, q: year * 10 + q, st.integers(2015, 2040), st.integers(1, 4))


def test_the_window_spans_the_quarters_given() -> None:
    window = quarter_window([20262, 20251, None], today=20301)
    assert [q.label for q in window][:2] == ["2025/26 Q1", "2025/26 Q2"]
    assert window[-1].label == "2026/27 Q2"
    assert len(window) == 6


def test_a_wide_span_is_capped_and_starts_a_year_before_today() -> None:
    window = quarter_window([20201, 20354], today=20252)
    assert len(window) == MAX_QUARTERS
    assert window[0] == FinancialQuarter(2024, 2)  # four quarters before 2025/26 Q2


def test_a_wide_span_ending_soon_shows_its_last_quarters() -> None:
    window = quarter_window([20101, 20254], today=20254)
    assert window[-1].label == "2025/26 Q4"
    assert len(window) == MAX_QUARTERS


@given(st.lists(codes, min_size=1, max_size=6), codes)
def test_the_window_is_consecutive_and_never_too_wide(given_codes: list[int], today: int) -> None:
    window = quarter_window(given_codes, today=today)
    assert 1 <= len(window) <= MAX_QUARTERS
    assert all(b == a.next() for a, b in itertools.pairwise(window))
    assert window[0].code >= min(given_codes)
    assert QUARTERS_BEFORE_TODAY > 0


def test_cells_say_design_implementation_and_due() -> None:
    window = quarter_window([20251, 20262], today=20251)
    cells = timeline_cells(window, start=20251, design_by=20252, implement_from=20253, due=20262)
    assert [cell.text for cell in cells] == [
        "Design",
        "Design",
        "Implementation",
        "Implementation",
        "Implementation",
        "Implementation, due",
    ]
    assert cells[-1].due and cells[-1].implementation and not cells[-1].design


def test_an_action_with_only_a_due_date_is_due_in_one_quarter() -> None:
    window = quarter_window([20251, 20254], today=20251)
    cells = timeline_cells(window, start=None, design_by=None, implement_from=None, due=20253)
    assert [cell.text for cell in cells] == ["", "", "Due", ""]


def test_design_and_implementation_may_overlap() -> None:
    window = quarter_window([20251, 20253], today=20251)
    cells = timeline_cells(window, start=None, design_by=20252, implement_from=20252, due=20253)
    assert [cell.text for cell in cells] == ["", "Design, implementation", "Implementation, due"]
