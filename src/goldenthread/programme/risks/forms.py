"""The risk register's forms: a risk, a mitigation, a review, and the organisation's settings."""

from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation
from goldenthread.analysis import risks as scoring
from goldenthread.kit.forms import date_field
from goldenthread.programme.models import MitigationStatus, Programme, RiskStatus

from . import services
from .columns import MITIGATION_COLUMNS, RISK_COLUMNS
from .rules import RiskRules

ENTER_REFERENCE = services.ENTER_REFERENCE
ENTER_TITLE = services.ENTER_TITLE
CHOOSE_CATEGORY = "Choose the category of the risk"
CHOOSE_STATUS = services.CHOOSE_STATUS
ENTER_REVIEW_DATE = "Enter the date of the review"
WHOLE_DAYS = "Review every must be a whole number of days"
#: Rows of bands the settings page offers: the defaults' four and room for more.
BAND_ROWS = 6


def scale_field(label: str, hint: str = "") -> forms.IntegerField:
    """A likelihood or impact: a whole number from 1 to 5, refused with the field named."""
    message = services.OUT_OF_SCALE.format(label=label)
    return forms.IntegerField(
        label=label,
        help_text=hint or "From 1 (lowest) to 5 (highest)",
        error_messages={"required": message, "invalid": message},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )


def check_scales(form: forms.Form, cleaned: dict[str, Any], labels: dict[str, str]) -> None:
    """Refuse each likelihood or impact outside 1 to 5 on its own field, naming it."""
    for name, label in labels.items():
        value = cleaned.get(name)
        if value is not None and value not in scoring.SCALE:
            form.add_error(name, services.OUT_OF_SCALE.format(label=label))


class RiskForm(forms.Form):
    reference = RISK_COLUMNS.get("reference").form_field(
        help_text="A short reference unique in your organisation, for example R1.",
        error_messages={"required": ENTER_REFERENCE},
    )
    title = RISK_COLUMNS.get("title").form_field(error_messages={"required": ENTER_TITLE})
    programme = forms.ChoiceField(label="Programme (optional)", required=False)
    cause = forms.CharField(
        label="If or because (the cause)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What could bring the risk about.",
    )
    event = forms.CharField(
        label="Then (the event)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What could happen.",
    )
    effect = forms.CharField(
        label="Resulting in (the effect)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What it would do to the programme, its services or its people.",
    )
    category = forms.ChoiceField(label="Category", error_messages={"required": CHOOSE_CATEGORY})
    owner = RISK_COLUMNS.get("owner").form_field(label="Owner (optional)")
    inherent_likelihood = scale_field(
        services.SCALE_FIELDS["inherent_likelihood"],
        "Before mitigation: 1 rare to 5 almost certain",
    )
    inherent_impact = scale_field(
        services.SCALE_FIELDS["inherent_impact"], "Before mitigation: 1 negligible to 5 severe"
    )
    residual_likelihood = scale_field(
        services.SCALE_FIELDS["residual_likelihood"], "After mitigation: 1 rare to 5 almost certain"
    )
    residual_impact = scale_field(
        services.SCALE_FIELDS["residual_impact"], "After mitigation: 1 negligible to 5 severe"
    )
    status = forms.ChoiceField(
        choices=RiskStatus.choices,
        widget=forms.RadioSelect,
        label="Status",
        error_messages={"required": CHOOSE_STATUS},
    )
    review_days = forms.IntegerField(
        label="Review every (days, optional)",
        required=False,
        help_text="Leave blank to review as often as your organisation sets for the risk's band.",
        error_messages={"invalid": WHOLE_DAYS},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    next_review_on = date_field(
        label="Next review (optional)",
        named="The next review date",
        help_text="For example, 27 3 2026. Leave blank to set it from the review frequency.",
    )
    actions = forms.CharField(
        label="Actions that treat it (optional)",
        required=False,
        help_text="References of the programme's actions, with commas between them, "
        "for example A1, A4.",
    )

    def __init__(
        self, *args: Any, organisation: Organisation, rules: RiskRules, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        programmes = Programme.objects.filter(organisation=organisation).order_by("name")
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *((str(p.pk), p.name) for p in programmes),
        ]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a category"),
            *((name, name) for name in rules.categories),
        ]

    def clean_programme(self) -> Programme | None:
        value = self.cleaned_data.get("programme")
        if not value:
            return None
        return Programme.objects.filter(organisation=self.organisation, pk=value).first()

    def clean_actions(self) -> list[Any]:
        references = services.split_references(self.cleaned_data.get("actions") or "")
        found, missing = services.actions_by_reference(
            organisation=self.organisation, references=references
        )
        if missing:
            raise forms.ValidationError(
                services.UNKNOWN_ACTIONS.format(references=", ".join(missing))
            )
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_scales(self, cleaned, services.SCALE_FIELDS)
        return cleaned


class MitigationForm(forms.Form):
    description = forms.CharField(
        label="Mitigation",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.ENTER_MITIGATION},
    )
    owner = MITIGATION_COLUMNS.get("owner").form_field(label="Owner (optional)")
    due_on = date_field(label="Due (optional)", named="The due date")
    status = forms.ChoiceField(
        choices=MitigationStatus.choices,
        widget=forms.RadioSelect,
        label="Status",
        error_messages={"required": services.CHOOSE_MITIGATION_STATUS},
    )


class ReviewForm(forms.Form):
    reviewed_on = date_field(
        label="Date of the review", named="The review date", enter=ENTER_REVIEW_DATE
    )
    likelihood = scale_field(
        "Likelihood", "Residual likelihood that day: 1 rare to 5 almost certain"
    )
    impact = scale_field("Impact", "Residual impact that day: 1 negligible to 5 severe")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the review found, and what changed.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_scales(self, cleaned, {"likelihood": "Likelihood", "impact": "Impact"})
        return cleaned


class RiskSettingsForm(forms.Form):
    """The organisation's own categories, its matrix, its bands and its default frequency."""

    categories = forms.CharField(
        label="Your own categories (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, after the standard ones. A category a risk has cannot be removed.",
    )
    custom_matrix = forms.TypedChoiceField(
        label="Scoring",
        choices=[("no", "Likelihood × impact"), ("yes", "Our own matrix, below")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    review_days = forms.IntegerField(
        label="Review every (days) when a band sets none",
        error_messages={"required": services.DEFAULT_DAYS_TOO_FEW, "invalid": WHOLE_DAYS},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for likelihood in scoring.SCALE:
            for impact in scoring.SCALE:
                self.fields[f"matrix_{likelihood}_{impact}"] = forms.IntegerField(
                    label=f"Score for likelihood {likelihood} and impact {impact}",
                    required=False,
                    error_messages={
                        "invalid": services.MATRIX_OUT_OF_RANGE.format(
                            likelihood=likelihood, impact=impact
                        )
                    },
                )
        for number in range(1, BAND_ROWS + 1):
            self.fields[f"band_{number}_name"] = forms.CharField(
                label=f"Band {number} name", required=False, max_length=60
            )
            for end, words in (("from", "from score"), ("to", "to score")):
                self.fields[f"band_{number}_{end}"] = forms.IntegerField(
                    label=f"Band {number} {words}",
                    required=False,
                    error_messages={"invalid": f"Band {number} {words} must be a whole number"},
                )
            self.fields[f"band_{number}_review_days"] = forms.IntegerField(
                label=f"Band {number} review every (days)",
                required=False,
                error_messages={"invalid": f"Band {number} review every must be a whole number"},
            )

    def matrix_rows(self) -> list[dict[str, Any]]:
        """The grid as the template draws it: likelihood 5 at the top."""
        return [
            {
                "likelihood": likelihood,
                "cells": [self[f"matrix_{likelihood}_{impact}"] for impact in scoring.SCALE],
            }
            for likelihood in reversed(scoring.SCALE)
        ]

    def band_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": number,
                "fields": [
                    self[f"band_{number}_{part}"] for part in ("name", "from", "to", "review_days")
                ],
            }
            for number in range(1, BAND_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        matrix: list[list[int]] = []
        if cleaned.get("custom_matrix"):
            for likelihood in scoring.SCALE:
                row = []
                for impact in scoring.SCALE:
                    name = f"matrix_{likelihood}_{impact}"
                    value = cleaned.get(name)
                    if value is None:
                        if name not in self.errors:
                            self.add_error(
                                name,
                                services.MATRIX_OUT_OF_RANGE.format(
                                    likelihood=likelihood, impact=impact
                                ),
                            )
                        value = 0
                    row.append(value)
                matrix.append(row)
        bands = []
        for number in range(1, BAND_ROWS + 1):
            parts = {
                part: cleaned.get(f"band_{number}_{part}")
                for part in ("name", "from", "to", "review_days")
            }
            if not parts["name"] and parts["from"] is None and parts["to"] is None:
                continue
            for end in ("from", "to"):
                if parts[end] is None and f"band_{number}_{end}" not in self.errors:
                    self.add_error(
                        f"band_{number}_{end}", f"Enter the score band {number} runs {end}"
                    )
            bands.append(
                {
                    "name": parts["name"] or "",
                    "from": parts["from"] or 0,
                    "to": parts["to"] or 0,
                    "review_days": parts["review_days"],
                }
            )
        return {
            "categories": [line.strip() for line in (cleaned.get("categories") or "").splitlines()],
            "matrix": matrix,
            "bands": bands,
            "review_days": cleaned.get("review_days") or 0,
        }
