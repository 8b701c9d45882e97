"""The kit's date field: what the date picker writes is read, and nothing is guessed."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms

import goldenthread
from goldenthread.kit.forms import DATE_INPUT_FORMATS, date_field

REAL = "The date must be a real date, for example 27/3/2026"
ENTER = "Enter the date"


class WhenForm(forms.Form):
    when = date_field(label="When", enter=ENTER, invalid=REAL)


class MaybeForm(forms.Form):
    when = date_field(label="When (optional)", invalid=REAL)


@pytest.mark.parametrize(
    "typed",
    ["31/3/2026", "31/03/2026", "2026-03-31", "31 March 2026", "31 Mar 2026", " 31/3/2026 "],
)
def test_a_date_is_read_as_the_picker_writes_it_or_typed_in_full(typed) -> None:
    form = WhenForm({"when": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    "typed",
    # Not a real day; a two-digit year (which century?); month first (which order?).
    ["31/02/2026", "31/3/26", "3/31/2026", "2026-02-30", "31-3-2026", "tomorrow"],
)
def test_a_date_that_cannot_be_read_is_refused_with_a_message(typed) -> None:
    form = WhenForm({"when": typed})
    assert not form.is_valid()
    assert form.errors["when"] == [REAL]


def test_a_missing_date_asks_for_one_unless_it_is_optional() -> None:
    assert WhenForm({"when": ""}).errors["when"] == [ENTER]
    optional = MaybeForm({"when": ""})
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


def test_every_date_field_in_the_application_reads_the_kits_formats() -> None:
    dated = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _application_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    }
    assert len(dated) >= 3  # a snapshot's effective date, a change's wave, the date approved
    assert {
        where: field.input_formats
        for where, field in dated.items()
        if list(field.input_formats) != list(DATE_INPUT_FORMATS)
    } == {}
