"""The GOV.UK date input: a date entered as day, month and year in three boxes.

Used where a date is a fact someone looks up (the date of a decision, a date
of birth) rather than one picked from a calendar. Each part is read as typed
and never guessed: a missing part or a date that does not exist is refused
with the GOV.UK pattern's messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
    """A date typed as day, month and year.

    ``named`` names the date in the messages ("The effective date must include
    a month"); without it the label does. ``enter`` is the message when no part
    is typed; without it the date is optional.
    """

    widget = DateInputWidget

    def __init__(self, *, label: str, enter: str = "", named: str = "", **kwargs: Any) -> None:
        super().__init__(label=label, required=bool(enter), **kwargs)
        self.error_messages["required"] = enter
        self.named = named or label

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                MUST_INCLUDE.format(label=self.named, parts=" and a ".join(missing)),
                code="incomplete",
                params={"parts": missing},
            )
        wrong = wrong_parts(*parts)
        if wrong:
            raise forms.ValidationError(
                MUST_BE_REAL.format(label=self.named), code="invalid", params={"parts": wrong}
            )
        day, month, year = parts
        return dt.date(int(year), int(month), int(day))


def wrong_parts(day: str, month: str, year: str) -> list[str]:
    """The parts that make a typed date not a real one, in the order the boxes show them.

    >>> wrong_parts("31", "2", "2026"), wrong_parts("1", "13", "26"), wrong_parts("1", "4", "2025")
    (['day'], ['month', 'year'], [])
    """
    typed = {"day": day, "month": month, "year": year}
    wrong = [name for name, part in typed.items() if not (part.isascii() and part.isdigit())]
    if "year" not in wrong and (len(year) != 4 or int(year) < dt.MINYEAR):
        wrong.append("year")
    if "month" not in wrong and not 1 <= int(month) <= 12:
        wrong.append("month")
    if wrong:
        return [name for name in DATE_PARTS if name in wrong]
    try:
        dt.date(int(year), int(month), int(day))
    except (ValueError, OverflowError):  # no such day, or a day too long to be one
        return ["day"]
    return []


def date_parts(name: str, value: Any, wrong: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The boxes of a date input as the template draws them: part, name, value, and
    whether the box is one of the ``wrong`` parts a message is about."""
    if isinstance(value, dt.date) or value is None:
        value = DateInputWidget().decompress(value)
    elif isinstance(value, Mapping):
        value = [value.get(part) for part in DATE_PARTS]
    return [
        {
            "part": part,
            "label": part.capitalize(),
            "name": f"{name}_{part}",
            "value": str(v or ""),
            "wrong": part in wrong,
        }
        for part, v in zip(DATE_PARTS, value, strict=True)
    ]


def wrong_parts_of(errors: Sequence[forms.ValidationError]) -> list[str]:
    """The boxes a date field's errors are about: those named, or all three.

    A missing date, or an error that names no part, is about the whole date.
    """
    named = {part for error in errors for part in (error.params or {}).get("parts", ())}
    return [part for part in DATE_PARTS if part in named] or list(DATE_PARTS)
