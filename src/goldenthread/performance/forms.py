from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation
from goldenthread.core.models import Unit

from .models import Level, Perspective, ThreadItem
from .selectors import thread_parent_choices

CHOOSE_LEVEL = "Choose the level of the item"
ENTER_TITLE = "Enter a title"


class ParentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_level_display()}: {obj.title}"


class ThreadItemForm(forms.Form):
    level = forms.ChoiceField(
        choices=Level.choices,
        widget=forms.RadioSelect,
        label="Level",
        error_messages={"required": CHOOSE_LEVEL},
    )
    title = forms.CharField(max_length=300, error_messages={"required": ENTER_TITLE})
    parent = ParentChoiceField(
        queryset=ThreadItem.objects.none(),
        required=False,
        label="Contributes to",
        help_text="A priority contributes to the vision, an objective to a priority, a service "
        "plan to an objective, a team objective to a service plan, and an individual objective "
        "to a team objective or a service plan.",
        empty_label="Nothing yet (the vision, or an orphan)",
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label="Measures of success (optional)",
        help_text="One a line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="Unit (optional)",
        help_text="The directorate, service or team whose plan or objective this is.",
        empty_label="None",
    )
    perspective = forms.ChoiceField(
        choices=[("", "Not a service plan item"), *Perspective.choices],
        required=False,
        label="Balanced scorecard perspective (service plans only)",
    )
    post_reference = forms.CharField(
        max_length=100,
        required=False,
        label="Post (individual objectives only)",
        help_text="The post's id from the establishment, for example P-1042. Objectives are "
        "held by a post, not by a person's name.",
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
        parents = thread_parent_choices(organisation=organisation)
        if item is not None:
            parents = parents.exclude(pk=item.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
