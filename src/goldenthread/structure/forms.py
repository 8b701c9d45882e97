from __future__ import annotations

import re
from typing import Any

from django import forms

from goldenthread.accounts.forms import MoneyField
from goldenthread.accounts.models import Organisation
from goldenthread.kit.forms import FILE_EMPTY, check_spreadsheet_upload, date_field
from goldenthread.kit.pickers import PickerField, records_source

from .models import ColumnMappingPreset, Snapshot, SnapshotKind

ENTER_NAME = "Enter a name for the snapshot, for example As-is structure, April 2025"
CHOOSE_FILE = "Choose the file to upload"
JUNIOR_NEEDS_ORGANOGRAM = "A junior staff file goes with an organogram senior file only"
CHOOSE_POST_ID = "Choose the column holding each post's ID"
CHOOSE_REPORTS_TO = "Choose the column holding the ID of the post each post reports to"
SAME_SNAPSHOT = "Choose two different snapshots"
CHOOSE_SNAPSHOT = "Choose a snapshot"
SPAN_NUMBER = "Enter a whole number of direct reports, from 1 to 100"

FORMAT_CHOICES = (
    ("auto", "Work it out from the file's header row"),
    ("organogram", "UK government organogram (senior file, with an optional junior file)"),
    ("lga", "Council transparency layout (Local Government Transparency Code)"),
    ("table", "Any HR establishment export (CSV or Excel), with a column mapping"),
)
PROBLEM_CHOICES = (
    ("strict", "Stop at any problem and save nothing"),
    ("lenient", "Fix the problems that can be fixed safely, and show me each fix before saving"),
)


class SnapshotFieldsForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Name of the snapshot", error_messages={"required": ENTER_NAME}
    )
    kind = forms.ChoiceField(choices=SnapshotKind.choices, widget=forms.RadioSelect, label="Kind")
    effective_date = date_field(
        label="Effective date (optional)",
        named="The effective date",
        help_text="The date the structure applies from, for example 1 4 2025",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Notes (optional)"
    )


#: The organisation's saved column mappings, by name (registered in registrations.py).
MAPPING_PICKER = records_source(
    key="column-mappings",
    noun="a saved column mapping",
    records=lambda organisation: ColumnMappingPreset.objects.filter(
        organisation=organisation
    ).order_by("name", "pk"),
)


class UploadForm(SnapshotFieldsForm):
    file = forms.FileField(
        label="The file of posts",
        help_text=(
            "A CSV file or an Excel workbook (.xlsx) with a header row. "
            "For an organogram, the senior file."
        ),
        error_messages={"required": CHOOSE_FILE, "empty": FILE_EMPTY},
    )
    junior_file = forms.FileField(
        required=False,
        label="Junior staff file (optional, organograms only)",
        error_messages={"empty": FILE_EMPTY},
    )
    fmt = forms.ChoiceField(
        choices=FORMAT_CHOICES, widget=forms.RadioSelect, label="Layout of the file", initial="auto"
    )
    problems = forms.ChoiceField(
        choices=PROBLEM_CHOICES,
        widget=forms.RadioSelect,
        label="If the file has problems",
        initial="strict",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A picker: the saved mappings may be many, and the page must not grow with them.
        self.fields["mapping"] = PickerField(
            source=MAPPING_PICKER.key,
            organisation=organisation,
            records=True,
            required=False,
            label="Column mapping (for an HR export)",
            empty_label="Choose the columns after uploading",
            help_text="A mapping you saved before. Leave it to match the columns on the next page.",
        )
        before = [name for name in self.fields if name not in ("mapping", "problems")]
        self.order_fields([*before, "mapping", "problems"])

    def clean_file(self) -> Any:
        return check_spreadsheet_upload(self.cleaned_data.get("file"), what="The file of posts")

    def clean_junior_file(self) -> Any:
        return check_spreadsheet_upload(
            self.cleaned_data.get("junior_file"), what="The junior staff file"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("junior_file") and data.get("fmt") in {"lga", "table"}:
            self.add_error("junior_file", JUNIOR_NEEDS_ORGANOGRAM)
        return data


class MappingForm(forms.Form):
    """Which column of the file holds each field the engine reads."""

    LABELS = {
        "post_id": ("Post ID", True),
        "reports_to": ("Reports to (the manager's post ID)", True),
        "title": ("Job title", False),
        "grade": ("Grade or tier", False),
        "unit_1": ("Directorate", False),
        "unit_2": ("Service", False),
        "unit_3": ("Team", False),
        "fte": ("FTE", False),
        "cost": ("Annual cost in pounds", False),
        "pay_band": ("Pay band, such as 35745 - 38223 (used when there is no cost)", False),
        "vacant": ("Vacant (Y, Yes, True, 1 or Vacant mean yes)", False),
        "agency": ("Agency", False),
    }

    save_as = forms.CharField(
        max_length=200,
        required=False,
        label="Remember this mapping as (optional)",
        help_text="Give it a name, such as Payroll export, to choose it next time.",
    )

    def __init__(
        self, *args: Any, columns: list[str], initial_mapping: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [(c, c) for c in columns]
        norm = {c.lower().replace(" ", "").replace("_", ""): c for c in columns}
        units = initial_mapping.get("unit") or [
            found
            for found in (
                norm.get("unit") or norm.get("directorate"),
                norm.get("service"),
                norm.get("team"),
            )
            if found
        ]
        for index, (name, (label, required)) in enumerate(self.LABELS.items()):
            if name.startswith("unit_"):
                position = int(name[-1]) - 1
                initial = units[position] if position < len(units) else ""
            else:
                initial = initial_mapping.get(name) or norm.get(name.replace("_", ""), "")
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=required,
                label=label,
                initial=initial,
                error_messages={
                    "required": CHOOSE_POST_ID if name == "post_id" else CHOOSE_REPORTS_TO
                },
            )
            # Keep the save_as box last.
            del index
        self.order_fields([*self.LABELS, "save_as"])

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        columns: dict[str, Any] = {
            name: data[name]
            for name in self.LABELS
            if not name.startswith("unit_") and data.get(name)
        }
        columns["unit"] = [data[f"unit_{i}"] for i in (1, 2, 3) if data.get(f"unit_{i}")]
        return columns


#: The kinds a snapshot's details may move it between: a scenario is made by
#: copying a snapshot, and becomes the as-is only when an admin promotes it.
DETAIL_KINDS = [choice for choice in SnapshotKind.choices if choice[0] != SnapshotKind.SCENARIO]


class SnapshotForm(SnapshotFieldsForm):
    """A draft snapshot's details. Its status is not one of them: admins approve and promote."""

    def __init__(self, *args: Any, snapshot: Snapshot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if snapshot.kind == SnapshotKind.SCENARIO:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = DETAIL_KINDS  # type: ignore[attr-defined]


class DesignRulesForm(forms.Form):
    target_span_min = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Lowest target span",
        error_messages={
            "required": SPAN_NUMBER,
            "invalid": SPAN_NUMBER,
            "min_value": SPAN_NUMBER,
            "max_value": SPAN_NUMBER,
        },
    )
    target_span_max = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Highest target span",
        error_messages={
            "required": SPAN_NUMBER,
            "invalid": SPAN_NUMBER,
            "min_value": SPAN_NUMBER,
            "max_value": SPAN_NUMBER,
        },
    )
    narrow_span_max = forms.IntegerField(
        min_value=0,
        max_value=99,
        label="Narrow span: at most this many reports",
        help_text="Managers with 1 to this many direct reports are listed as narrow spans.",
        error_messages={"required": SPAN_NUMBER, "invalid": SPAN_NUMBER},
    )
    max_layers = forms.IntegerField(
        min_value=1,
        max_value=30,
        required=False,
        label="Most layers allowed (optional)",
        help_text="Posts deeper than this are listed. Leave it empty for no limit.",
        error_messages={"invalid": "Enter a whole number of layers, from 1 to 30"},
    )


#: The snapshot picker the structure module registers (registrations.py).
SNAPSHOT_PICKER_KEY = "snapshots"


def _snapshot_field(organisation: Organisation, label: str) -> PickerField:
    return PickerField(
        source=SNAPSHOT_PICKER_KEY,
        organisation=organisation,
        records=True,
        label=label,
        empty_label="Choose a snapshot",
        error_messages={"required": CHOOSE_SNAPSHOT},
    )


class CompareWithForm(forms.Form):
    """The snapshot page's "Compare with": a picker, however many snapshots there are."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old"] = _snapshot_field(organisation, "Compare with")


#: How the comparison pairs posts: the value in the address, and its label.
PAIR_BY_ID, PAIR_BY_TITLE = "id", "title"
PAIRINGS = [
    (PAIR_BY_ID, "Post ID"),
    (PAIR_BY_TITLE, "Title and unit, for snapshots whose post IDs were given separately"),
]


class CompareForm(forms.Form):
    unit = forms.CharField(required=False, label="Only units whose name contains (optional)")
    tier = forms.CharField(required=False, label="Only this grade or tier (optional)")
    pairing = forms.ChoiceField(
        choices=PAIRINGS,
        required=False,
        label="Pair the posts of the two snapshots by",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old"] = _snapshot_field(organisation, "Before")
        self.fields["new"] = _snapshot_field(organisation, "After")
        self.fields["pairing"].initial = PAIR_BY_ID
        self.order_fields(["old", "new", "unit", "tier", "pairing"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("old") and data.get("new") and data["old"] == data["new"]:
            self.add_error("new", SAME_SNAPSHOT)
        return data


ENTER_SCENARIO_NAME = "Enter a name for the scenario, for example Resources review, option A"
ENTER_REASON = "Enter the reason for the change"
ENTER_WAVE = "Enter the date the change takes effect"
ENTER_MANAGER = "Enter the post ID of the new manager"
ENTER_GRADE = "Enter the new grade"
ENTER_TITLE = "Enter the new job title"
ENTER_COST = "Enter the annual cost in pounds, for example 42500 or 42500.50"
CHOOSE_UNIT = "Choose the unit"
ENTER_POST_ID = "Enter the new post's ID"
ENTER_FTE = "Enter the FTE as a number from 0 to 1.5, for example 1 or 0.6"
CHOOSE_ONE_SELECTION = "Choose a unit or list the post IDs, not both"
CHOOSE_A_SELECTION = "Choose a unit or list the post IDs"
CHOOSE_ACTION = "Choose what to do with the posts"
MOVE_NEEDS_TARGET = "Enter the new manager's post ID, choose a new unit, or both"
POST_PICKER_HINT = "Search by post ID, job title or unit, or type the post ID."

#: The single-post changes, as (kind, link text, page heading).
POST_CHANGES = (
    ("move", "Move to a new manager", "Move {post} to a new manager"),
    ("regrade", "Regrade", "Regrade {post}"),
    ("retitle", "Retitle", "Retitle {post}"),
    ("recost", "Re-cost", "Re-cost {post}"),
    ("reunit", "Move to another unit", "Move {post} to another unit"),
    ("delete", "Delete", "Delete {post}"),
)
BULK_ACTIONS = (
    ("move", "Move them as a block: to a new manager, a new unit or both"),
    ("regrade", "Regrade them all"),
    ("delete", "Delete them"),
)


def _unit_field(label: str, organisation: Organisation, *, required: bool) -> PickerField:
    """A unit picker: each unit with its full path, or its code typed by hand."""
    return PickerField(
        source="units",
        organisation=organisation,
        records=True,
        required=required,
        label=label,
        empty_label="Choose a unit",
        error_messages={"required": CHOOSE_UNIT},
    )


def _post_field(
    label: str, organisation: Organisation, snapshot: Snapshot, *, required: bool, **kwargs: Any
) -> PickerField:
    """A post picker over ``snapshot``: search by ID, title or unit, or type the post ID."""
    kwargs.setdefault("help_text", POST_PICKER_HINT)
    return PickerField(
        source="posts",
        organisation=organisation,
        scope=str(snapshot.pk),
        required=required,
        label=label,
        empty_label="Choose a post",
        **kwargs,
    )


def post_ids_from(text: str) -> list[str]:
    """Post IDs separated by commas, spaces or new lines."""
    return [part for part in re.split(r"[\s,;]+", text) if part]


class ScenarioCreateForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Name of the scenario",
        error_messages={"required": ENTER_SCENARIO_NAME},
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Notes (optional)"
    )


class ChangeFieldsForm(forms.Form):
    """The reason and wave every change records."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the change",
        error_messages={"required": ENTER_REASON},
    )
    effective_date = date_field(
        label="Takes effect on (the wave)",
        named="The date the change takes effect",
        help_text="For example, 1 4 2025. Changes on the same date form a wave.",
        enter=ENTER_WAVE,
    )


def _cost_field(required: bool, label: str) -> forms.DecimalField:
    return MoneyField(
        required=required,
        label=label,
        error_messages={
            "required": ENTER_COST,
            "invalid": ENTER_COST,
            "min_value": ENTER_COST,
            "max_digits": ENTER_COST,
            "max_value": ENTER_COST,
            "max_decimal_places": ENTER_COST,
        },
    )


class PostChangeForm(ChangeFieldsForm):
    """One change to one post; the fields shown depend on the kind of change."""

    def __init__(
        self,
        *args: Any,
        kind: str,
        organisation: Organisation,
        snapshot: Snapshot,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "move":
            self.fields["manager"] = _post_field(
                "New manager",
                organisation,
                snapshot,
                required=True,
                error_messages={"required": ENTER_MANAGER},
            )
        elif kind == "regrade":
            self.fields["grade"] = forms.CharField(
                max_length=120, label="New grade", error_messages={"required": ENTER_GRADE}
            )
        elif kind == "retitle":
            self.fields["title"] = forms.CharField(
                max_length=300, label="New job title", error_messages={"required": ENTER_TITLE}
            )
        elif kind == "recost":
            self.fields["cost"] = _cost_field(True, "New annual cost in pounds")
        elif kind == "reunit":
            self.fields["unit"] = _unit_field("New unit", organisation, required=True)
        elif kind == "delete":
            self.fields["reports_to"] = _post_field(
                "The manager its direct reports move to",
                organisation,
                snapshot,
                required=False,
                help_text="Needed when the post has direct reports: they move in the same change. "
                + POST_PICKER_HINT,
            )
        self.order_fields(
            [name for name in self.fields if name not in {"reason", "effective_date"}]
        )


class AddPostForm(ChangeFieldsForm):
    post_id = forms.CharField(
        max_length=120, label="Post ID", error_messages={"required": ENTER_POST_ID}
    )
    title = forms.CharField(
        max_length=300, label="Job title", error_messages={"required": ENTER_TITLE}
    )
    grade = forms.CharField(max_length=120, required=False, label="Grade (optional)")
    fte = forms.FloatField(
        min_value=0,
        max_value=1.5,
        initial=1,
        label="FTE",
        error_messages={
            "required": ENTER_FTE,
            "invalid": ENTER_FTE,
            "min_value": ENTER_FTE,
            "max_value": ENTER_FTE,
        },
    )
    cost = _cost_field(False, "Annual cost in pounds (optional)")
    vacant = forms.BooleanField(required=False, label="The post is vacant")

    def __init__(
        self, *args: Any, organisation: Organisation, snapshot: Snapshot, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field("Unit", organisation, required=True)
        self.fields["manager"] = _post_field(
            "Its manager",
            organisation,
            snapshot,
            required=False,
            help_text="Leave it empty for a top post. " + POST_PICKER_HINT,
        )
        self.order_fields(["post_id", "title", "grade", "unit", "manager", "fte", "cost", "vacant"])


class BulkChangeForm(ChangeFieldsForm):
    post_ids = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Or list the post IDs",
        help_text="Separated by commas, spaces or new lines.",
    )
    action = forms.ChoiceField(
        choices=BULK_ACTIONS,
        widget=forms.RadioSelect,
        label="What to do with the posts",
        error_messages={"required": CHOOSE_ACTION},
    )
    grade = forms.CharField(max_length=120, required=False, label="New grade (to regrade them)")

    def __init__(
        self, *args: Any, organisation: Organisation, snapshot: Snapshot, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"] = _post_field(
            "New manager (to move them)",
            organisation,
            snapshot,
            required=False,
            help_text="The posts whose manager is outside the selection move under this post; "
            "the others keep their managers. " + POST_PICKER_HINT,
        )
        self.fields["reports_to"] = _post_field(
            "The manager their remaining reports move to (to delete them)",
            organisation,
            snapshot,
            required=False,
            help_text="Needed when posts outside the selection report to a deleted post. "
            + POST_PICKER_HINT,
        )
        self.fields["unit"] = _unit_field(
            "Choose a unit: its posts and the posts of the units inside it",
            organisation,
            required=False,
        )
        self.fields["new_unit"] = _unit_field(
            "New unit (to move them)", organisation, required=False
        )
        self.order_fields(
            ["unit", "post_ids", "action", "manager", "new_unit", "grade", "reports_to"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_unit, has_ids = bool(data.get("unit")), bool(data.get("post_ids", "").strip())
        if has_unit and has_ids:
            self.add_error("post_ids", CHOOSE_ONE_SELECTION)
        elif not has_unit and not has_ids:
            self.add_error("unit", CHOOSE_A_SELECTION)
        action = data.get("action")
        if (
            action == "move"
            and not data.get("manager")
            and not data.get("new_unit")
            and "manager" not in self.errors
        ):
            self.add_error("manager", MOVE_NEEDS_TARGET)
        if action == "regrade" and not data.get("grade", "").strip():
            self.add_error("grade", ENTER_GRADE)
        return data


class RedundancyBandForm(forms.Form):
    grade = forms.CharField(
        max_length=120,
        label="Grade",
        help_text="As the posts give it, for example “PO1” or “Grade 8”.",
        error_messages={"required": "Enter the grade"},
    )
    cost = MoneyField(
        label="Cost of a redundancy from a post of this grade, in pounds",
        error_messages={
            "required": "Enter the cost of a redundancy in pounds",
            "invalid": "Enter the cost of a redundancy as an amount in pounds, like 30000",
            "max_decimal_places": "Enter the cost to the penny at most, like 30000.50",
            "min_value": "The cost of a redundancy cannot be negative",
            "max_value": "Enter a cost of a redundancy of £10,000,000 or less",
        },
    )
