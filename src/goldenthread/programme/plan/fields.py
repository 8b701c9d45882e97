"""Form fields of the programme that other parts reuse: a financial quarter typed as text."""

from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.analysis.quarters import QUARTER_EXPECTED, FinancialQuarter, QuarterError

#: The message for text that names no quarter: what was typed, and what was expected.
NOT_A_QUARTER = "{label} must be {expected}"


class QuarterField(forms.Field):
    """A financial-year quarter typed as "2025/26 Q2"; cleans to its stored code (20252).

    "2025-26 Q2", "Q2 2025/26" and "2025 Q2" are read too; the field shows a
    stored code as its label, so an edit form shows what the user typed.
    """

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 2025/26 Q2 (Q1 is April to June)")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"class": "govuk-input--width-10", "spellcheck": "false", "maxlength": 20}
            ),
        )
        super().__init__(label=label, **kwargs)
        self.named = label.split(" (")[0]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return FinancialQuarter.from_code(value).label
        return value

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        try:
            return FinancialQuarter.parse(text).code
        except QuarterError as error:
            raise forms.ValidationError(
                NOT_A_QUARTER.format(label=self.named, expected=QUARTER_EXPECTED)
                if str(error).startswith("expected")
                else f"{self.named}: {error}",
                code="invalid",
            ) from None


def quarter_label(code: int | None) -> str:
    """The label of a stored quarter ("2025/26 Q2"), or "" for none."""
    return FinancialQuarter.from_code(code).label if code else ""
