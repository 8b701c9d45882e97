from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation
from goldenthread.kit.forms import date_field
from goldenthread.kit.pickers import PickerField

from .models import ChangeLevel
from .starter import PRINCIPLE_TEMPLATES

ENTER_TITLE = "Enter a title for the version"
ENTER_NAME = "Enter a name"
ENTER_STATEMENT = "Enter the statement"
ENTER_APPROVED_BY = "Enter who approved the version, for example the Executive"
ENTER_APPROVED_ON = "Enter the date the version was approved"
ENTER_DECISION = (
    "Enter the decision or delegation, for example “Executive, 14 March 2024, minute 52”"
)
CHOOSE_CHANGE_LEVEL = "Choose the level of change"
CHOOSE_START = "Choose a starter template, or to write your own"
NAME_OWN_SET = "Enter a name for your own set of principles"
OWN = "own"


def _text(label: str, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


#: The picker of sets of principles this module registers (links.py).
PRINCIPLE_SET_PICKER_KEY = "principle-sets"


class _PrincipleSetChoice(forms.Form):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A picker: a select while the sets are few, a search box when they are many.
        self.fields["principle_set"] = PickerField(
            source=PRINCIPLE_SET_PICKER_KEY,
            organisation=organisation,
            records=True,
            required=False,
            label="Design principles (optional)",
            empty_label="None chosen yet",
        )


class VersionForm(_PrincipleSetChoice):
    title = forms.CharField(
        max_length=200,
        error_messages={"required": ENTER_TITLE},
        help_text="For example “Target Operating Model 2025 refresh”.",
    )
    summary = _text("What this version changes (optional)")

    field_order = ["title", "summary", "principle_set"]


class AdoptForm(forms.Form):
    approved_by = forms.CharField(
        max_length=200,
        label="Approved by",
        help_text="The body or officer who approved it, for example “Executive” or "
        "“Executive Director, Strategy, Workforce and Localities”.",
        error_messages={"required": ENTER_APPROVED_BY},
    )
    approved_on = date_field(
        label="Date approved",
        named="The date of approval",
        help_text="For example, 14 3 2024",
        enter=ENTER_APPROVED_ON,
    )
    decision_reference = forms.CharField(
        max_length=300,
        label="Decision or delegation",
        help_text="The meeting and minute, or the delegation used, for example “Executive, "
        "14 March 2024, minute 52” or “Delegated to the Chief Executive”.",
        error_messages={"required": ENTER_DECISION},
    )


class ComponentForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    purpose = _text("What the component covers (optional)", rows=2)
    as_is = _text("How it is today (optional)", help_text="The as-is description.")
    change_level = forms.ChoiceField(
        choices=ChangeLevel.choices,
        widget=forms.RadioSelect,
        label="Level of change from as-is to target",
        error_messages={"required": CHOOSE_CHANGE_LEVEL},
    )
    owner = forms.CharField(
        max_length=200,
        required=False,
        label="Owner (optional)",
        help_text="A role, for example “Director of Resources”.",
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Target-state statement",
        help_text="One sentence describing how things will be, for example “Customers tell "
        "their story only once”.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ENTER_STATEMENT},
    )


class PrincipleSetStartForm(forms.Form):
    start = forms.ChoiceField(
        label="How do you want to start?",
        widget=forms.RadioSelect,
        choices=[(t.key, t.name) for t in PRINCIPLE_TEMPLATES]
        + [(OWN, "Write our own from nothing")],
        error_messages={"required": CHOOSE_START},
    )
    name = forms.CharField(
        max_length=200,
        required=False,
        label="Name (optional for a template)",
        help_text="Leave blank to use the template's name.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == OWN and not (data.get("name") or "").strip():
            self.add_error("name", NAME_OWN_SET)
        return data


class PrincipleSetForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    description = _text("Description (optional)")


class PrincipleForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    group = forms.CharField(
        max_length=200,
        required=False,
        label="Group (optional)",
        help_text="Principles with the same group are shown together, for example “How we "
        "work for our borough”.",
    )
    intent = _text("What it means (optional)")


class ConsiderationForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    description = _text(
        "The question to ask (optional)",
        help_text="What a proposal must show to meet this consideration.",
    )
