"""Template tags that render Django forms with GOV.UK Design System markup."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from goldenthread.analysis.wording import counted as format_counted
from goldenthread.formats.money import pounds as format_pounds
from goldenthread.kit.dates import DateInputWidget, date_parts, wrong_parts_of

register = template.Library()


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, DateInputWidget):
        return "dateinput"
    # Django's CheckboxSelectMultiple is a RadioSelect: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


#: Django's empty choice, which says nothing to the person choosing.
DJANGO_EMPTY_LABEL = "---------"


def choose_label(label: str) -> str:
    """The empty choice of a list: "Choose a kind of unit", "Choose an owner".

    >>> choose_label("Kind of unit"), choose_label("Owner (optional)")
    ('Choose a kind of unit', 'Choose an owner')
    """
    noun = str(label).split(" (")[0].strip()
    noun = noun[:1].lower() + noun[1:]
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"Choose {article} {noun}"


def _with_empty_choice(field: forms.BoundField) -> forms.Widget | None:
    """The field's select with Django's "---------" replaced by "Choose a …".

    Every list in the application starts with a choice that says what to choose,
    whichever form declared it.
    """
    widget = field.field.widget
    choices = list(getattr(widget, "choices", ()))
    if not any(label == DJANGO_EMPTY_LABEL for _, label in choices):
        return None
    named: forms.Widget = copy.copy(widget)
    empty = choose_label(str(field.label))
    named.choices = [  # type: ignore[attr-defined]
        (value, empty if label == DJANGO_EMPTY_LABEL else label) for value, label in choices
    ]
    return named


def _wrong_parts(field: forms.BoundField) -> list[str]:
    """The boxes of a date input its errors are about."""
    return wrong_parts_of(field.form.errors.as_data().get(field.name, []))


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    """Render one field: label (or legend), hint, error message and control.

    Options: ``label_size`` (s, m, l, xl) when the label is the page heading,
    ``width`` (a govuk-input--width-N or govuk-!-width-* class), ``inputmode``.

    A date (:class:`~goldenthread.kit.dates.DateInputField`) is the GOV.UK date
    input: day, month and year boxes in a fieldset, its legend the label; only
    the boxes an error is about are marked in error.
    """
    kind = _kind(field)
    widget_classes = {
        "input": "govuk-input",
        "password": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
    }
    css = widget_classes.get(kind, "")
    if field.errors and css:
        css += f" {css}--error"
    if options.get("width"):
        css += f" {options['width']}"
    attrs: dict[str, Any] = {"class": css} if css else {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described and kind not in {"radios", "checkboxes"}:
        attrs["aria-describedby"] = " ".join(described)
    if options.get("inputmode"):
        attrs["inputmode"] = options["inputmode"]
    widget = None
    if kind == "select":
        widget = _with_empty_choice(field)
    if kind == "dateinput":
        # Three boxes in a fieldset; the error summary links to the first box
        # an error is about.
        wrong = _wrong_parts(field) if field.errors else []
        context = {
            "field": field,
            "kind": kind,
            "options": options,
            "parts": date_parts(field.html_name, field.value(), wrong),
            "describedby": " ".join(described),
        }
        return render_to_string("web/includes/field.html", context)
    context = {
        "field": field,
        "kind": kind,
        "options": options,
        "control": (
            field.as_widget(widget=widget, attrs=attrs)
            if kind not in {"radios", "checkboxes"}
            else ""
        ),
        "describedby": " ".join(described),
    }
    return render_to_string("web/includes/field.html", context)


@register.inclusion_tag("web/includes/error_summary.html")
def govuk_error_summary(*forms_: forms.Form) -> dict[str, Any]:
    """The error summary at the top of the page, linking to each field in error."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"href": "", "text": error})
        for field in form:
            for error in field.errors:
                target = field.auto_id
                if _kind(field) in {"radios", "checkboxes"}:
                    target = f"{field.auto_id}_0"
                elif _kind(field) == "dateinput":
                    target = f"{field.auto_id}_{_wrong_parts(field)[0]}"
                items.append({"href": f"#{target}", "text": error})
    return {"errors": items}


@register.filter
def pounds(value: Decimal | int | float | None) -> str:
    """Format money as pounds: see :func:`goldenthread.formats.money.pounds`."""
    return format_pounds(value)


@register.filter
def counted(count: int, noun: str) -> str:
    """``{{ n|counted:"post" }}`` shows "1 post" or "3 posts"."""
    return format_counted(count, noun)


@register.filter
def signed(value: int | float | None) -> str:
    """A change with its sign and thousands separators, a true minus sign for a fall.

    >>> signed(1234), signed(-3731), signed(0), signed(-0.5)
    ('+1,234', '−3,731', '0', '−0.5')
    """
    if value is None:
        return "–"
    if value == 0:
        return "0"
    text = f"{abs(value):,}" if isinstance(value, int) else f"{abs(value):,.10g}"
    return f"{'+' if value > 0 else '−'}{text}"
