"""The financial-quarter form field the programme's parts share."""

from __future__ import annotations

import pytest
from django import forms

from goldenthread.programme.plan.fields import QuarterField, quarter_label


class QuarterForm(forms.Form):
    quarter = QuarterField(label="Design by (optional)", required=False)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("2025/26 Q2", 20252), ("Q2 2025-26", 20252), ("2025 q4", 20254), ("", None)],
)
def test_a_quarter_is_typed_as_text_and_cleaned_to_its_code(typed, code) -> None:
    form = QuarterForm({"quarter": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quarter"] == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "second quarter",
            "Design by must be a financial-year quarter such as 2025/26 Q2 (Q1 is April to June)",
        ),
        ("2025/27 Q1", "Design by: 2025/27 is not a financial year: the year after 2025 is 2026"),
    ],
)
def test_text_that_names_no_quarter_says_what_was_expected(typed, message) -> None:
    form = QuarterForm({"quarter": typed})
    assert not form.is_valid()
    assert form.errors["quarter"] == [message]


def test_a_stored_quarter_is_shown_as_its_label() -> None:
    form = QuarterForm(initial={"quarter": 20253})
    assert 'value="2025/26 Q3"' in str(form["quarter"])
    assert quarter_label(20253) == "2025/26 Q3"
    assert quarter_label(None) == ""
