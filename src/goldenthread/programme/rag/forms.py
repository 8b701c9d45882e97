"""The forms of the RAG: the organisation's rules, and an owner's override."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.analysis import rag as engine
from goldenthread.kit.forms import date_field

from . import services

#: How a threshold counts the value at it: in the band, or only the values past it.
AT_THRESHOLD = [
    ("true", "From this value (the value itself is in the band)"),
    ("false", "Over this value (the value itself is not)"),
]
LOWER_AT_THRESHOLD = [
    ("true", "From this value down (the value itself is in the band)"),
    ("false", "Under this value (the value itself is not)"),
]
ENTER_THRESHOLD = "Enter the {band} threshold of {measure}"
ENTER_END_DATE = "Enter the date the override ends"
#: What a threshold counts, after its label: "Amber threshold (days after the due date)".
UNITS = {
    "slippage": "days after the due date",
    "milestones": "milestones missed",
    "overspend": "per cent over budget",
}
ENDS = [("date", "On a date"), ("update", "At the next quarterly update")]


class RulesForm(forms.Form):
    """One fieldset per measure: whether it counts, its amber and its red threshold."""

    def __init__(self, data: Any = None, *, rules: engine.RuleSet, version: int) -> None:
        super().__init__(data)
        self.rules = rules
        for measure in rules.measures:
            label = measure.label_in_text
            whole = measure.unit.whole
            units = UNITS.get(measure.key, measure.unit.value)
            at = (
                AT_THRESHOLD
                if measure.direction is engine.Direction.HIGHER_IS_WORSE
                else (LOWER_AT_THRESHOLD)
            )
            self.fields[f"{measure.key}_enabled"] = forms.BooleanField(
                label=f"Rate actions by {label}", required=False, initial=measure.enabled
            )
            for band, threshold in (("amber", measure.amber), ("red", measure.red)):
                number: forms.Field
                message = ENTER_THRESHOLD.format(band=band, measure=label)
                if whole:
                    number = forms.IntegerField(
                        label=f"{band.capitalize()} threshold ({units})",
                        error_messages={"required": message, "invalid": message},
                    )
                else:
                    number = forms.DecimalField(
                        label=f"{band.capitalize()} threshold ({units})",
                        decimal_places=2,
                        max_digits=8,
                        error_messages={"required": message, "invalid": message},
                    )
                number.initial = int(threshold.value) if whole else threshold.value
                self.fields[f"{measure.key}_{band}"] = number
                self.fields[f"{measure.key}_{band}_inclusive"] = forms.ChoiceField(
                    label=f"{band.capitalize()} starts",
                    choices=at,
                    widget=forms.RadioSelect,
                    initial="true" if threshold.inclusive else "false",
                )
        self.fields["note"] = forms.CharField(
            label="Why are the rules changing?",
            help_text="Shown beside this version of the rules, for anyone reading a past RAG.",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": services.RULES_NOTE_REQUIRED},
        )
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, initial=version, required=False
        )

    def measures(self) -> list[dict[str, Any]]:
        """The fields of each measure, for the template's fieldsets."""
        return [
            {
                "measure": measure,
                "enabled": self[f"{measure.key}_enabled"],
                "fields": [
                    self[f"{measure.key}_{name}"]
                    for name in ("amber", "amber_inclusive", "red", "red_inclusive")
                ],
            }
            for measure in self.rules.measures
        ]

    def rules_json(self) -> dict[str, Any]:
        """The rules the form holds, as the engine reads them."""
        data = self.cleaned_data
        measures = []
        for measure in self.rules.measures:
            raw = measure.to_json()
            raw["enabled"] = bool(data.get(f"{measure.key}_enabled"))
            for band in ("amber", "red"):
                value = data.get(f"{measure.key}_{band}")
                raw[band] = {
                    "from": str(value) if isinstance(value, Decimal) else value,
                    "inclusive": data.get(f"{measure.key}_{band}_inclusive") == "true",
                }
            measures.append(raw)
        return {"schema": engine.SCHEMA, "measures": measures}


class OverrideForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG to show",
        choices=[(rag.value, rag.label) for rag in services.OVERRIDE_RAGS],
        widget=forms.RadioSelect,
        error_messages={"required": services.OVERRIDE_RAG_REQUIRED},
    )
    reason = forms.CharField(
        label="Why are you overriding the RAG?",
        help_text="Shown beside the RAG wherever it appears, and kept in its history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.OVERRIDE_REASON_REQUIRED},
    )
    ends = forms.ChoiceField(
        label="When does the override end?",
        help_text="After it ends the RAG the rules give returns, unless you renew the override.",
        choices=ENDS,
        widget=forms.RadioSelect,
        error_messages={"required": services.OVERRIDE_END_REQUIRED},
    )
    ends_on = date_field(label="Date the override ends", named="The override end date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends") == "date" and not data.get("ends_on") and "ends_on" not in self.errors:
            self.add_error("ends_on", ENTER_END_DATE)
        return data

    def values(self) -> dict[str, Any]:
        """The service's keywords."""
        data = self.cleaned_data
        until_update = data["ends"] == "update"
        ends_on: dt.date | None = None if until_update else data.get("ends_on")
        return {
            "rag": data["rag"],
            "reason": data["reason"],
            "ends_on": ends_on,
            "until_update": until_update,
        }
