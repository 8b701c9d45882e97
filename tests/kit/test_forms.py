"""The kit's date field: a date is typed as day, month and year, and nothing is guessed."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.urls import get_resolver

import goldenthread
from goldenthread.kit.dates import DateInputField
from goldenthread.kit.forms import date_field
from tests.submitting import date_input

ENTER = "Enter the date"


class WhenForm(forms.Form):
    when = date_field(label="When", named="The date", enter=ENTER)


class MaybeForm(forms.Form):
    when = date_field(label="When (optional)", named="The date")


@pytest.mark.parametrize("typed", ["31/3/2026", "31/03/2026", " 31 / 3 / 2026 "])
def test_a_date_is_read_from_its_three_boxes(typed) -> None:
    form = WhenForm(date_input("when", typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/2/2026", "The date must be a real date"),
        ("31/3/26", "The date must be a real date"),  # which century?
        ("31/13/2026", "The date must be a real date"),
        ("1/4/0000", "The date must be a real date"),
        ("99999999999999999999/4/2026", "The date must be a real date"),
        ("third/3/2026", "The date must be a real date"),
        ("\u0663/3/2026", "The date must be a real date"),  # only the digits 0 to 9
        ("31//2026", "The date must include a month"),
        ("//2026", "The date must include a day and a month"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_with_a_message(typed, message) -> None:
    form = WhenForm(date_input("when", typed))
    assert not form.is_valid()
    assert form.errors["when"] == [message]


def test_a_single_value_is_not_a_date() -> None:
    # Only the three boxes are read: a date sent as one value is no date at all.
    assert WhenForm({"when": "2026-03-31"}).errors["when"] == [ENTER]


def test_a_missing_date_asks_for_one_unless_it_is_optional() -> None:
    assert WhenForm(date_input("when")).errors["when"] == [ENTER]
    optional = MaybeForm(date_input("when"))
    assert optional.is_valid() and optional.cleaned_data["when"] is None


def _application_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(goldenthread.__path__, "goldenthread."):
        if module.name.endswith(".forms"):
            loaded = importlib.import_module(module.name)
            found += [
                value
                for value in vars(loaded).values()
                if isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == loaded.__name__
            ]
    return found


def _every_form() -> list[type[forms.BaseForm]]:
    """The application's forms: those of its forms modules, and every form its pages use."""
    # Loading the URLs imports every view, and the forms the views use.
    get_resolver().url_patterns
    found = set(_application_forms())
    pending = [forms.BaseForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("goldenthread."):
                found.add(sub)
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def test_every_date_in_the_application_is_entered_with_the_govuk_date_input() -> None:
    dated = {
        f"{form.__module__}.{form.__qualname__}.{name}": field
        for form in _every_form()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField | DateInputField)
        or isinstance(field.widget, forms.DateInput | forms.DateTimeInput)
    }
    # A snapshot's effective date, a change's wave, the date approved, a decision's date.
    assert len(dated) >= 4, sorted(dated)
    assert sorted(w for w, f in dated.items() if not isinstance(f, DateInputField)) == []
