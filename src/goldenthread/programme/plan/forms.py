"""The forms of a programme's plan; their field names are the services' keywords."""

from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.forms import MoneyField
from goldenthread.accounts.models import Organisation
from goldenthread.analysis.quarters import (
    QuarterError,
    financial_year_label,
    parse_financial_year,
)
from goldenthread.kit.forms import date_field
from goldenthread.kit.pickers import PickerField
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    MilestoneStatus,
    Phase,
    PhaseStatus,
    Programme,
    ProgrammeStatus,
    Workstream,
)

from .fields import QuarterField

ENTER_NAME = "Enter a name"
ENTER_TITLE = "Enter a title"
CHOOSE_PROGRAMME = "Choose the programme the action is in"
CHOOSE_STATUS = "Choose a status"
PERCENT_RANGE = "Per cent complete must be a whole number from 0 to 100"
ENTER_DUE = "Enter the milestone's due date"
NOT_A_YEAR = "Enter a financial year such as 2025/26"


def _text(label: str, *, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    description = _text("Description (optional)")
    sponsor = forms.CharField(
        label="Senior responsible owner (optional)", max_length=200, required=False
    )
    start_on = date_field(label="Starts (optional)", named="The start date")
    end_on = date_field(label="Ends (optional)", named="The end date")
    status = forms.ChoiceField(
        choices=ProgrammeStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_STATUS},
    )


class ProgrammeCreateForm(ProgrammeForm):
    default_phases = forms.BooleanField(
        label="Start with the four phases: Mobilisation, Exploration, Learning and scaling, "
        "Delivery",
        required=False,
        initial=True,
        help_text="You can rename, reorder or delete them afterwards.",
    )


class PhaseForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    description = _text("Description (optional)")
    start_on = date_field(label="Starts (optional)", named="The start date")
    end_on = date_field(label="Ends (optional)", named="The end date")
    gate_criteria = _text("Gate criteria (optional)", rows=4)
    status = forms.ChoiceField(
        choices=PhaseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_STATUS},
    )
    position = forms.IntegerField(
        label="Order (optional)",
        required=False,
        min_value=0,
        help_text="Phases are listed by this number, lowest first.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )


class WorkstreamForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    lead = forms.CharField(label="Lead (optional)", max_length=200, required=False)
    scope = _text("Scope (optional)", rows=4)


class _RecordChoice(forms.ChoiceField):
    """A choice of one of a few records (the programme's phases, workstreams), cleaning to it."""

    def __init__(self, *, records: dict[str, Any], **kwargs: Any) -> None:
        self.records = records
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return str(value.pk) if hasattr(value, "pk") else value

    def clean(self, value: Any) -> Any:
        chosen = super().clean(value)
        return self.records.get(str(chosen)) if chosen else None


def _grouped(records: list[Any], empty: str) -> list[Any]:
    """Choices grouped by programme (an optgroup each) when there is more than one."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        groups.setdefault(record.programme.name, []).append((str(record.pk), record.name))
    if len(groups) == 1:
        return [("", empty), *next(iter(groups.values()))]
    return [("", empty), *groups.items()]


class ActionForm(forms.Form):
    reference = forms.CharField(
        label="Reference (optional)",
        max_length=40,
        required=False,
        help_text="Unique in the organisation. Left blank, the next free one is used (A-001).",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    title = forms.CharField(max_length=300, error_messages={"required": ENTER_TITLE})
    description = _text("Description (optional)")
    target_area = forms.CharField(
        label="TOM target area (optional)",
        max_length=200,
        required=False,
        help_text="The area of the target operating model it delivers, such as Channels.",
    )
    owner = forms.CharField(
        label="Owner (optional)",
        max_length=200,
        required=False,
        help_text="The named lead, for example “Director of Place”.",
    )
    design_by = QuarterField(label="Design by (optional)", required=False)
    implement_from = QuarterField(label="Implement from (optional)", required=False)
    start_on = date_field(label="Starts (optional)", named="The start date")
    due_on = date_field(label="Due (optional)", named="The due date")
    forecast_on = date_field(
        label="Forecast completion (optional)",
        named="The forecast completion date",
        help_text="When the owner now expects it complete. Left blank, the due date.",
    )
    status = forms.ChoiceField(
        choices=ActionStatus.choices, error_messages={"required": CHOOSE_STATUS}
    )
    completed_on = date_field(
        label="Completed (optional)",
        named="The completion date",
        help_text="For a complete action. Left blank, the forecast or the due date.",
    )
    percent_complete = forms.IntegerField(
        label="Per cent complete",
        min_value=0,
        max_value=100,
        error_messages={
            "required": PERCENT_RANGE,
            "invalid": PERCENT_RANGE,
            "min_value": PERCENT_RANGE,
            "max_value": PERCENT_RANGE,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    success_criteria = _text("Success criteria (optional)")
    budget = MoneyField(label="Budget (optional)", required=False)
    spend = MoneyField(label="Spend to date (optional)", required=False)
    source = forms.CharField(
        label="Source (optional)",
        max_length=200,
        required=False,
        help_text="The plan it came from when not the programme's own, such as "
        "“Productivity plan”. It is shown apart, greyed, in the actions list.",
    )
    notes = _text("Notes (optional)")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = {str(p.pk): p for p in Programme.objects.filter(organisation=organisation)}
        self.fields["programme"] = _RecordChoice(
            records=programmes,
            choices=[("", "Choose a programme"), *((pk, p.name) for pk, p in programmes.items())],
            error_messages={"required": CHOOSE_PROGRAMME},
        )
        workstreams = list(
            Workstream.objects.filter(programme__organisation=organisation).select_related(
                "programme"
            )
        )
        phases = list(
            Phase.objects.filter(programme__organisation=organisation).select_related("programme")
        )
        self.fields["workstream"] = _RecordChoice(
            records={str(w.pk): w for w in workstreams},
            choices=_grouped(workstreams, "None"),
            required=False,
            label="Workstream (optional)",
        )
        self.fields["phase"] = _RecordChoice(
            records={str(p.pk): p for p in phases},
            choices=_grouped(phases, "None"),
            required=False,
            label="Phase (optional)",
        )
        self.fields["owner_post"] = PickerField(
            source="posts",
            organisation=organisation,
            required=False,
            label="Owner's post (optional)",
            help_text="The post's ID in the current as-is structure, for example BBC-RES-0142.",
        )
        fields = list(ACTION_FORM_FIELDS)
        fields[fields.index("owner_post") + 1 : fields.index("owner_post") + 1] = [
            "workstream",
            "phase",
        ]
        self.order_fields(["programme", *fields])


#: The fields of the action form read straight from the action.
ACTION_FORM_FIELDS = (
    "reference",
    "title",
    "description",
    "target_area",
    "owner",
    "owner_post",
    "design_by",
    "implement_from",
    "start_on",
    "due_on",
    "forecast_on",
    "status",
    "completed_on",
    "percent_complete",
    "success_criteria",
    "budget",
    "spend",
    "source",
    "notes",
)


def action_initial(action: Action) -> dict[str, Any]:
    """An edit form's values, read from the action."""
    initial = {name: getattr(action, name) for name in ACTION_FORM_FIELDS}
    initial["programme"] = str(action.programme_id)
    initial["workstream"] = str(action.workstream_id or "")
    initial["phase"] = str(action.phase_id or "")
    return initial


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": ENTER_TITLE})
    due_on = date_field(label="Due", named="The due date", enter=ENTER_DUE)
    status = forms.ChoiceField(
        choices=MilestoneStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_STATUS},
    )
    completed_on = date_field(
        label="Completed (optional)",
        named="The completion date",
        help_text="For a complete milestone.",
    )


class SavingsForm(forms.Form):
    """The action's savings contribution: one amount a financial year, and a year to add."""

    new_year = forms.CharField(
        label="Add a financial year (optional)",
        required=False,
        max_length=20,
        help_text="For example, 2027/28",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    new_amount = MoneyField(label="Saving in that year", required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"amount_{year}"] = MoneyField(
                label=f"Saving in {financial_year_label(year)}",
                required=False,
                help_text="Leave blank to remove the year.",
            )
        self.order_fields([*(f"amount_{year}" for year in years), "new_year", "new_amount"])

    def clean_new_year(self) -> int | None:
        text = self.cleaned_data.get("new_year") or ""
        if not text.strip():
            return None
        try:
            return parse_financial_year(text)
        except QuarterError:
            raise forms.ValidationError(NOT_A_YEAR) from None

    def savings(self) -> dict[int, Any]:
        """What the service sets: each year's amount (``None`` removes it)."""
        data = self.cleaned_data
        found = {year: data.get(f"amount_{year}") for year in self.years}
        if data.get("new_year") is not None and data.get("new_amount") is not None:
            found[data["new_year"]] = data["new_amount"]
        return found
