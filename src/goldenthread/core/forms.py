from __future__ import annotations

from typing import Any

from django import forms

from goldenthread.accounts.models import Organisation

from .columns import CODE_MAX_LENGTH, CODE_PATTERN
from .models import Unit, UnitKind

ENTER_CODE = "Enter a code for the unit, for example PEO"
ENTER_NAME = "Enter the unit's name"


class UnitForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": ENTER_NAME})
    code = forms.RegexField(
        regex=f"^{CODE_PATTERN}$",
        max_length=CODE_MAX_LENGTH,
        help_text="A short reference unique in your organisation, for example PEO or PEO-ASC.",
        error_messages={
            "required": ENTER_CODE,
            "invalid": "A code may contain only letters, numbers, dots, hyphens and underscores",
        },
    )
    kind = forms.ChoiceField(
        choices=UnitKind.choices, widget=forms.RadioSelect, label="Kind of unit"
    )
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="Sits inside (optional)",
        empty_label="Nothing: a top-level unit",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Description (optional)"
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
