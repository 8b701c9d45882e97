"""The quarterly update's forms: open a quarter, and one owner's page of entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from goldenthread.accounts.forms import MoneyField
from goldenthread.analysis.quarters import FinancialQuarter, QuarterError
from goldenthread.kit.forms import date_field
from goldenthread.programme.models import Action, ActionStatus, ActionUpdate

from .services import ActionEntry, entry_problems

ENTER_QUARTER = "Enter the quarter, such as 2025/26 Q2"
QUARTER_NOT_READ = "Enter the quarter as a financial-year quarter, such as 2025/26 Q2"
CHOOSE_STATUS = "{reference}: choose a status"
PERCENT_WHOLE = "{reference}: enter the per cent complete as a whole number from 0 to 100"
SPEND_NOT_READ = "{reference}: enter the spend to date in pounds, such as 22,500"
TOO_LONG = "{reference}: the {what} must be {limit:,} characters or fewer"

#: Characters an owner may write about an action's progress or its delay.
TEXT_LIMIT = 5000


class UpdateOpenForm(forms.Form):
    quarter = forms.CharField(
        label="Quarter",
        help_text="A financial-year quarter, such as 2025/26 Q2 (Q1 is April to June)",
        max_length=20,
        error_messages={"required": ENTER_QUARTER},
    )

    def clean_quarter(self) -> FinancialQuarter:
        try:
            return FinancialQuarter.parse(self.cleaned_data["quarter"])
        except QuarterError:
            raise forms.ValidationError(QUARTER_NOT_READ) from None


#: The fields of one action's entry, in the order the page shows them.
ENTRY_FIELDS = ("progress", "status", "percent_complete", "forecast_on", "spend", "delay")
#: Each box's width, for what it holds (GOV.UK sizes a box to its expected answer).
WIDTHS = {
    "percent_complete": "govuk-input--width-3",
    "spend": "govuk-input--width-10",
    "progress": "govuk-!-width-two-thirds",
    "delay": "govuk-!-width-two-thirds",
}


def field_name(action: Action, name: str) -> str:
    """The form field of ``name`` for ``action``: ``a12_status``."""
    return f"a{action.pk}_{name}"


def entry_initial(action: Action, entry: ActionUpdate | None) -> dict[str, Any]:
    """What the page shows before an owner types: this quarter's entry, or the action now."""
    return {
        "progress": entry.progress if entry else "",
        "delay": entry.delay if entry else "",
        "status": action.status,
        "percent_complete": action.percent_complete,
        "forecast_on": action.forecast_on,
        "spend": action.spend,
    }


@dataclass(frozen=True)
class ActionFields:
    """One action's part of the owner's form, for the template."""

    action: Action
    #: Each field with the width of its box.
    fields: Sequence[tuple[forms.BoundField, str]]
    entry: ActionUpdate | None = None
    #: The action's entry in the programme's previous update, for the owner to build on.
    before: ActionUpdate | None = None


class OwnerUpdateForm(forms.Form):
    """Every action of one owner in one form: a field of each kind per action.

    Each message names the action's reference, so the error summary says which
    action each problem is on and links to its field.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        actions: Sequence[Action],
        entries: Mapping[int, ActionUpdate],
    ) -> None:
        initial = {
            field_name(action, name): value
            for action in actions
            for name, value in entry_initial(action, entries.get(action.pk)).items()
        }
        super().__init__(data, initial=initial)
        self.actions = list(actions)
        self.entries = entries
        for action in self.actions:
            for name, made in self._fields_of(action).items():
                self.fields[field_name(action, name)] = made

    @staticmethod
    def _fields_of(action: Action) -> dict[str, forms.Field]:
        ref = action.reference
        text = {"max_length": TEXT_LIMIT, "required": False}
        return {
            "progress": forms.CharField(
                label="Progress this quarter",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": TOO_LONG.format(reference=ref, what="progress", limit=TEXT_LIMIT)
                },
                **text,  # type: ignore[arg-type]
            ),
            "status": forms.ChoiceField(
                label="Status",
                choices=ActionStatus.choices,
                error_messages={
                    "required": CHOOSE_STATUS.format(reference=ref),
                    "invalid_choice": CHOOSE_STATUS.format(reference=ref),
                },
            ),
            "percent_complete": forms.IntegerField(
                label="Per cent complete",
                min_value=0,
                max_value=100,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                error_messages={
                    key: PERCENT_WHOLE.format(reference=ref)
                    for key in ("required", "invalid", "min_value", "max_value")
                },
            ),
            "forecast_on": date_field(
                label="Forecast completion date",
                named=f"{ref}: the forecast completion date",
            ),
            "spend": MoneyField(
                label="Spend to date (£)",
                required=False,
                error_messages={
                    key: SPEND_NOT_READ.format(reference=ref)
                    for key in (
                        "invalid",
                        "min_value",
                        "max_value",
                        "max_digits",
                        "max_decimal_places",
                        "max_whole_digits",
                    )
                },
            ),
            "delay": forms.CharField(
                label="Any delay, and its cause",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": TOO_LONG.format(reference=ref, what="delay", limit=TEXT_LIMIT)
                },
                **text,  # type: ignore[arg-type]
            ),
        }

    def groups(self, before: Mapping[int, ActionUpdate] | None = None) -> list[ActionFields]:
        return [
            ActionFields(
                action,
                [(self[field_name(action, name)], WIDTHS.get(name, "")) for name in ENTRY_FIELDS],
                self.entries.get(action.pk),
                (before or {}).get(action.pk),
            )
            for action in self.actions
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for action in self.actions:
            names = {name: field_name(action, name) for name in ENTRY_FIELDS}
            if any(full in self.errors for full in names.values()):
                continue
            entry = self._entry(action, cleaned)
            for name, message in entry_problems(entry):
                self.add_error(names[name], message)
        return cleaned

    def _entry(self, action: Action, cleaned: Mapping[str, Any]) -> ActionEntry:
        def value(name: str) -> Any:
            return cleaned.get(field_name(action, name))

        return ActionEntry(
            action=action,
            status=value("status"),
            percent_complete=value("percent_complete"),
            forecast_on=value("forecast_on"),
            spend=value("spend"),
            progress=value("progress") or "",
            delay=value("delay") or "",
        )

    def action_entries(self) -> list[ActionEntry]:
        """Each action's entry, once the form is valid."""
        return [self._entry(action, self.cleaned_data) for action in self.actions]
