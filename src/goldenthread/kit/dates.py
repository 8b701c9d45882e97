"""The GOV.UK date input: a date entered as day, month and year in three boxes.

Used where a date is a fact someone looks up (the date of a decision, a date
of birth) rather than one picked from a calendar. Each part is read as typed
and never guessed: a missing part or a date that does not exist is refused
with the GOV.UK pattern's messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms

__all__ = ["DATE_PARTS", "DateInputField", "DateInputWidget"]

#: The three boxes, in the order the pattern shows them.
DATE_PARTS = ("day", "month", "year")
MUST_INCLUDE = "{label} must include a {parts}"
MUST_BE_REAL = "{label} must be a real date"


class DateInputWidget(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput() for part in DATE_PARTS
        }
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.Field):
    """A date typed as day, month and year; ``label`` names it in the messages."""

    widget = DateInputWidget

    def __init__(self, *, label: str, enter: str = "", **kwargs: Any) -> None:
        super().__init__(label=label, required=bool(enter), **kwargs)
        self.error_messages["required"] = enter

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                MUST_INCLUDE.format(label=self.label, parts=" and a ".join(missing)),
                code="incomplete",
            )
        day, month, year = parts
        if not all(part.isdigit() for part in parts) or len(year) != 4:
            raise forms.ValidationError(MUST_BE_REAL.format(label=self.label), code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                MUST_BE_REAL.format(label=self.label), code="invalid"
            ) from None


def date_parts(name: str, value: Any) -> list[dict[str, str]]:
    """The boxes of a date input as the template draws them: part, name and value."""
    if isinstance(value, dt.date) or value is None:
        value = DateInputWidget().decompress(value)
    elif isinstance(value, Mapping):
        value = [value.get(part) for part in DATE_PARTS]
    return [
        {"part": part, "label": part.capitalize(), "name": f"{name}_{part}", "value": str(v or "")}
        for part, v in zip(DATE_PARTS, value, strict=True)
    ]
