"""The GOV.UK field renderer: every date field is a GOV.UK date input."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template import Context, Template

from goldenthread.kit.forms import date_field
from tests.html import attribute, select, select_one


class WaveForm(forms.Form):
    reason = forms.CharField(label="Reason")
    when = date_field(label="Takes effect on", named="The date", enter="Enter the date")


def _render(form: forms.Form) -> str:
    template = Template(
        "{% load govuk %}{% for field in form %}{% govuk_field field %}{% endfor %}"
    )
    return template.render(Context({"form": form}))


FIELDSET = ".govuk-form-group > fieldset.govuk-fieldset[role=group]"
BOXES = f"{FIELDSET} > .govuk-date-input#id_when .govuk-date-input__item input"


def test_a_date_field_is_a_govuk_date_input_of_three_boxes() -> None:
    html = _render(WaveForm(initial={"when": dt.date(2025, 4, 1)}))
    assert select_one(html, f"{FIELDSET} > legend.govuk-fieldset__legend") == "Takes effect on"
    assert select_one(html, f"{FIELDSET} > #id_when-hint.govuk-hint") == "For example, 27 3 2026"
    assert attribute(html, FIELDSET, "aria-describedby") == ["id_when-hint"]
    assert attribute(html, BOXES, "name") == ["when_day", "when_month", "when_year"]
    assert attribute(html, BOXES, "id") == ["id_when_day", "id_when_month", "id_when_year"]
    assert attribute(html, BOXES, "value") == ["1", "4", "2025"]
    assert attribute(html, BOXES, "inputmode") == ["numeric"] * 3
    assert select(html, f"{FIELDSET} label.govuk-date-input__label") == ["Day", "Month", "Year"]
    # No browser date control and no calendar picker.
    assert select(html, "input[type=date], [data-module=moj-date-picker]") == []


def test_a_date_that_is_not_real_is_shown_back_as_typed_with_its_wrong_part_marked() -> None:
    form = WaveForm(
        {"reason": "Restructure", "when_day": "31", "when_month": "2", "when_year": "2026"}
    )
    assert not form.is_valid()
    assert form.errors["when"] == ["The date must be a real date"]
    html = _render(form)
    assert attribute(html, BOXES, "value") == ["31", "2", "2026"]
    assert select(html, ".govuk-form-group--error > fieldset .govuk-error-message") == [
        "Error: The date must be a real date"
    ]
    assert attribute(html, f"{BOXES}.govuk-input--error", "name") == ["when_day"]
    assert attribute(html, FIELDSET, "aria-describedby") == ["id_when-hint id_when-error"]


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
