"""The GOV.UK field renderer: every date field is an MoJ date picker."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template import Context, Template

from goldenthread.kit.forms import date_field
from tests.html import attribute, select, select_one

REAL = "The date must be a real date, for example 27/3/2026"


class WaveForm(forms.Form):
    reason = forms.CharField(label="Reason")
    when = date_field(label="Takes effect on", enter="Enter the date", invalid=REAL)


def _render(form: forms.Form) -> str:
    template = Template(
        "{% load govuk %}{% for field in form %}{% govuk_field field %}{% endfor %}"
    )
    return template.render(Context({"form": form}))


PICKER = ".moj-datepicker[data-module=moj-date-picker]"
INPUT = f"{PICKER} > .govuk-form-group > input.govuk-input.moj-js-datepicker-input"


def test_a_date_field_is_an_moj_date_picker_showing_a_date_as_the_picker_writes_it() -> None:
    html = _render(WaveForm(initial={"when": dt.date(2025, 4, 1)}))
    # Only the date field is a picker; its label and hint stay GOV.UK's.
    assert attribute(html, PICKER, "data-module") == ["moj-date-picker"]
    assert attribute(html, INPUT, "id") == ["id_when"]
    assert attribute(html, INPUT, "type") == ["text"]
    assert attribute(html, INPUT, "autocomplete") == ["off"]
    assert attribute(html, INPUT, "value") == ["1/4/2025"]  # day/month/year, no leading zeros
    assert select_one(html, f"{PICKER} label[for=id_when]") == "Takes effect on"
    assert select_one(html, f"{PICKER} #id_when-hint") == "For example, 27/3/2026."
    assert attribute(html, INPUT, "aria-describedby") == ["id_when-hint"]
    assert attribute(html, "input.moj-js-datepicker-input", "name") == ["when"]


def test_a_date_that_cannot_be_read_is_shown_back_as_typed_with_its_error() -> None:
    form = WaveForm({"reason": "Restructure", "when": "31/02/2026"})
    assert not form.is_valid()
    html = _render(form)
    assert attribute(html, INPUT, "value") == ["31/02/2026"]
    assert select(html, f"{PICKER} .govuk-form-group--error .govuk-error-message") == [
        f"Error: {REAL}"
    ]
    assert attribute(html, f"{INPUT}.govuk-input--error", "aria-describedby") == [
        "id_when-hint id_when-error"
    ]


class _Lists(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of unit", choices=[("", "---------"), ("team", "Team"), ("service", "Service")]
    )
    owner = forms.ChoiceField(
        label="Owner (optional)", required=False, choices=[("", "---------"), ("a", "Anne")]
    )


def test_no_list_offers_dashes_for_its_empty_choice() -> None:
    page = _render(_Lists())
    assert select(page, "select#id_kind option") == ["Choose a kind of unit", "Team", "Service"]
    assert select(page, "select#id_owner option")[0] == "Choose an owner"
    assert "---------" not in page
