from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation
from goldenthread.kit.pickers import PickerField

from .columns import UNIT_COLUMNS
from .models import UnitKind

#: The unit picker source core registers (core/pickers.py).
UNIT_PICKER_KEY = "units"

ENTER_CODE = "Enter a code for the unit, for example PEO"
ENTER_NAME = "Enter the unit's name"


class UnitForm(forms.Form):
    # The import's columns and this form share one declaration of each rule.
    name = UNIT_COLUMNS.get("name").form_field(error_messages={"required": ENTER_NAME})
    code = UNIT_COLUMNS.get("code").form_field(
        help_text="A short reference unique in your organisation, for example PEO or PEO-ASC.",
        error_messages={
            "required": ENTER_CODE,
            "invalid": "A code may contain only letters, numbers, dots, hyphens and underscores",
        },
    )
    kind = forms.ChoiceField(
        choices=UnitKind.choices, widget=forms.RadioSelect, label="Kind of unit"
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Description (optional)"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The unit picker shows each unit's full path, so two units of the same
        # name ("Commissioning" in two directorates) are told apart.
        self.fields["parent"] = PickerField(
            source=UNIT_PICKER_KEY,
            organisation=organisation,
            records=True,
            required=False,
            empty_label="Nothing: a top-level unit",
            label="Sits inside (optional)",
        )
        self.order_fields(["name", "code", "kind", "parent", "description"])


class EmptyUnitsForm(forms.Form):
    """The empty units to delete together, chosen by ticking them."""

    units = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Units to delete",
        help_text="Only units that nothing uses are listed: no post in any structure, no "
        "record of any module, and no unit inside them that is used.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one unit to delete"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = choices  # type: ignore[attr-defined]
