"""The benefit's form, its cashable profile's form and the benefit settings form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from goldenthread.accounts.forms import MoneyField
from goldenthread.analysis.quarters import QuarterError, financial_year_label, parse_financial_year
from goldenthread.kit.forms import date_field
from goldenthread.programme.models import (
    Benefit,
    BenefitProfile,
    BenefitStatus,
    Programme,
    ProgrammeSettings,
)

from . import selectors
from .columns import BENEFIT_COLUMNS
from .confidence import BAD_CONFIDENCE, read_confidence

ENTER_YEAR = "Enter the financial year, such as 2025/26"
YEAR_GIVEN = "{year} is already in the profile: change it in its row"
ENTER_PLANNED = "Enter the £ planned in {year}"
TEXTAREA = {"rows": 3}


class BenefitForm(forms.Form):
    reference = BENEFIT_COLUMNS.get("reference").form_field(
        error_messages={"required": "Enter a reference for the benefit"},
        help_text="A short reference unique in your organisation, for example B-12.",
    )
    title = BENEFIT_COLUMNS.get("title").form_field(
        error_messages={"required": "Enter the benefit's title"}
    )
    type = forms.ChoiceField(label="Type of benefit")
    description = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA), required=False, label="Description (optional)"
    )
    owner = forms.CharField(max_length=200, required=False, label="Owner (optional)")
    programme = forms.ChoiceField(required=False, label="Programme (optional)")
    actions = forms.CharField(
        required=False,
        label="The actions it comes from (optional)",
        help_text="The actions' references, separated by commas, for example A-3, A-7.",
    )
    measure = forms.CharField(max_length=300, required=False, label="Measure (optional)")
    baseline = forms.CharField(max_length=100, required=False, label="Baseline (optional)")
    baseline_on = date_field(label="Baseline date (optional)", named="The baseline date")
    target = forms.CharField(max_length=100, required=False, label="Target (optional)")
    target_on = date_field(label="Target date (optional)", named="The target date")
    actual = forms.CharField(max_length=100, required=False, label="Actual (optional)")
    actual_on = date_field(
        label="Date the actual was measured (optional)", named="The actual's date"
    )
    confidence = forms.CharField(
        max_length=10,
        required=False,
        label="Confidence of delivery (optional)",
        help_text="A percentage, such as 70%, or low, medium or high.",
    )
    status = forms.ChoiceField(
        choices=BenefitStatus.choices, widget=forms.RadioSelect, label="Status"
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs=TEXTAREA),
        required=False,
        label="Evidence notes",
        help_text="How the realisation was measured. "
        "Needed before a benefit is realised or closed.",
    )

    def __init__(
        self, *args: Any, settings: ProgrammeSettings, programmes: list[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        types = selectors.benefit_types(settings=settings)
        self.fields["type"].choices = [(kind, kind) for kind in types]  # type: ignore[attr-defined]
        self._programmes = {str(programme.pk): programme for programme in programmes}
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *((str(programme.pk), programme.name) for programme in programmes),
        ]

    def clean_programme(self) -> Programme | None:
        return self._programmes.get(self.cleaned_data.get("programme") or "")

    def clean_confidence(self) -> str:
        text: str = self.cleaned_data.get("confidence") or ""
        try:
            read_confidence(text)
        except ValueError:
            raise forms.ValidationError(BAD_CONFIDENCE) from None
        return text


def benefit_initial(benefit: Benefit, references: list[str]) -> dict[str, Any]:
    """The form's values read from a benefit."""
    from .confidence import confidence_text

    return {
        **{
            name: getattr(benefit, name)
            for name in (
                "reference",
                "title",
                "type",
                "description",
                "owner",
                "measure",
                "baseline",
                "baseline_on",
                "target",
                "target_on",
                "actual",
                "actual_on",
                "status",
                "evidence",
            )
        },
        "programme": str(benefit.programme_id or ""),
        "actions": ", ".join(references),
        "confidence": confidence_text(benefit.confidence_percent, benefit.confidence_level),
    }


class ProfileForm(forms.Form):
    """One row per financial year of the profile, and a row to add a year."""

    def __init__(self, *args: Any, rows: list[BenefitProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = [row.year for row in rows]
        for row in rows:
            label = financial_year_label(row.year)
            self.fields[f"planned_{row.year}"] = MoneyField(
                required=False, label=f"Planned £ in {label}"
            )
            self.fields[f"realised_{row.year}"] = MoneyField(
                required=False,
                label=f"Realised £ in {label}",
                help_text="Leave both blank to remove the year.",
            )
        self.fields["new_year"] = forms.CharField(
            required=False,
            max_length=9,
            label="Add a financial year (optional)",
            help_text="For example 2026/27.",
        )
        self.fields["new_planned"] = MoneyField(required=False, label="Planned £ in that year")
        self.fields["new_realised"] = MoneyField(
            required=False, label="Realised £ in that year (optional)"
        )

    def clean_new_year(self) -> int | None:
        text = (self.cleaned_data.get("new_year") or "").strip()
        if not text:
            return None
        try:
            year = parse_financial_year(text)
        except QuarterError:
            raise forms.ValidationError(ENTER_YEAR) from None
        if year in self.years:
            raise forms.ValidationError(YEAR_GIVEN.format(year=financial_year_label(year)))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("new_year")
        if year is not None and data.get("new_planned") is None:
            self.add_error("new_planned", ENTER_PLANNED.format(year=financial_year_label(year)))
        return data

    def years_given(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        data = self.cleaned_data
        years = {
            year: (data.get(f"planned_{year}"), data.get(f"realised_{year}")) for year in self.years
        }
        if data.get("new_year") is not None:
            years[data["new_year"]] = (data.get("new_planned"), data.get("new_realised"))
        return years


def profile_initial(rows: list[BenefitProfile]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for row in rows:
        initial[f"planned_{row.year}"] = row.planned
        initial[f"realised_{row.year}"] = row.realised
    return initial


class BenefitSettingsForm(forms.Form):
    """The organisation's own benefit types (rename in place, blank to remove) and percentages."""

    def __init__(self, *args: Any, settings: ProgrammeSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = list(settings.benefit_types)
        for index, kind in enumerate(self.types):
            self.fields[f"type_{index}"] = forms.CharField(
                required=False,
                max_length=100,
                label=f"Your type {index + 1}",
                help_text=f"Now “{kind}”. Change the name to rename it on every benefit; "
                "leave it blank to remove it.",
            )
        self.fields["added"] = forms.CharField(
            required=False,
            max_length=100,
            label="Add a type of benefit (optional)",
            help_text="For example Carbon reduction.",
        )
        for level, label in (("low", "Low"), ("medium", "Medium"), ("high", "High")):
            self.fields[f"confidence_{level}"] = forms.IntegerField(
                label=f"{label} confidence (%)",
                min_value=0,
                max_value=100,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
                ),
            )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "renames": {
                kind: data.get(f"type_{index}") or "" for index, kind in enumerate(self.types)
            },
            "added": data.get("added") or "",
            "confidence_low": data["confidence_low"],
            "confidence_medium": data["confidence_medium"],
            "confidence_high": data["confidence_high"],
        }


def settings_initial(settings: ProgrammeSettings) -> dict[str, Any]:
    return {
        **{f"type_{index}": kind for index, kind in enumerate(settings.benefit_types)},
        "confidence_low": settings.confidence_low,
        "confidence_medium": settings.confidence_medium,
        "confidence_high": settings.confidence_high,
    }
