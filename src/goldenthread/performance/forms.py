from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation
from goldenthread.kit.pickers import PickerField

from .models import Level, Perspective, ThreadItem
from .registrations import PARENTS

CHOOSE_LEVEL = "Choose the level of the item"
ENTER_TITLE = "Enter a title"


class ThreadItemForm(forms.Form):
    level = forms.ChoiceField(
        choices=Level.choices,
        widget=forms.RadioSelect,
        label="Level",
        error_messages={"required": CHOOSE_LEVEL},
    )
    title = forms.CharField(max_length=300, error_messages={"required": ENTER_TITLE})
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label="Measures of success (optional)",
        help_text="One a line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    perspective = forms.ChoiceField(
        choices=[("", "Not a service plan item"), *Perspective.choices],
        required=False,
        label="Balanced scorecard perspective (service plans only)",
    )
    owner = forms.CharField(
        max_length=200,
        required=False,
        label="Owner (optional)",
        help_text="A role, for example “Director of Place”.",
    )

    def __init__(
        self, *args: Any, organisation: Organisation, item: ThreadItem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = PickerField(
            source="thread-items",
            organisation=organisation,
            scope=PARENTS,
            records=True,
            required=False,
            label="Contributes to",
            help_text="A priority contributes to the vision, an objective to a priority, a "
            "service plan to an objective, a team objective to a service plan, and an "
            "individual objective to a team objective or a service plan.",
            empty_label="Nothing yet (the vision, or an item not yet traced)",
        )
        self.fields["unit"] = PickerField(
            source="units",
            organisation=organisation,
            records=True,
            required=False,
            label="Unit (optional)",
            help_text="The directorate, service or team whose plan or objective this is.",
            empty_label="None",
        )
        self.fields["post_reference"] = PickerField(
            source="posts",
            organisation=organisation,
            required=False,
            label="Post (individual objectives only)",
            help_text="The post's ID in the current as-is structure, for example BBC-RES-0142: "
            "search by ID, job title or unit. Objectives are held by a post, not by a "
            "person's name.",
        )
        self.order_fields(
            [
                "level",
                "title",
                "parent",
                "description",
                "measures",
                "unit",
                "perspective",
                "post_reference",
                "owner",
            ]
        )
