"""Edit forms that cannot undo someone else's change: optimistic locking by audit history.

An edit form carries the *version* of the record it was read at: the id of
the record's latest historical row (django-simple-history writes one on every
save, with who and when). Saving locks the record's row, compares its version
with the form's and only then saves, all in one transaction: when someone
else saved in between, the save is refused with their name and the time, and
the page shows what they saved beside what was typed.

:func:`edit_save` is that check and save; every edit page runs through it
(the kit's ``form_page``, and the accounts pages that sit below the kit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from .forms import apply_service_error
from .services import ServiceError

__all__ = [
    "NO_VERSION",
    "STALE",
    "VERSION_FIELD",
    "Difference",
    "EditOutcome",
    "StaleEdit",
    "differences",
    "edit_context",
    "edit_save",
    "record_version",
]

#: The hidden field of an edit form naming the version it was read at.
VERSION_FIELD = "record_version"
STALE = "{who} changed this {what} at {when} since you opened it. Your changes have not been saved."
#: A save that does not say which version it changes cannot be checked, so it is refused too.
NO_VERSION = (
    "This form did not say which version of the {what} it changes, so your changes have not "
    "been saved. Check the saved values below and save again."
)
#: Who made a change the history does not name (a job, a command, the demo).
SOMEONE = "Someone else"
#: How an empty value is shown beside a filled one.
EMPTY = "Not given"


class StaleEdit(ServiceError):
    """A save refused because the record changed since the form was read."""


@dataclass(frozen=True)
class Difference:
    """A field whose saved value is not what was typed: its label and both values, as shown."""

    label: str
    yours: str
    saved: str


def _history(record: models.Model) -> Any:
    attribute = getattr(record._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        raise TypeError(f"{type(record).__name__} keeps no history, so its edits cannot be checked")
    return getattr(type(record), attribute).model


def _latest(record: models.Model) -> Any:
    """The record's latest historical row (with its user), or ``None`` before its first save."""
    if record.pk is None:
        return None
    return (
        _history(record)
        .objects.filter(**{record._meta.pk.attname: record.pk})
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )


def record_version(record: models.Model) -> str:
    """The version an edit form of ``record`` carries: its latest history row's id ("0": none)."""
    latest = _latest(record)
    return str(latest.history_id) if latest is not None else "0"


def _who(user: Any) -> str:
    if user is None:
        return SOMEONE
    full_name = user.get_full_name().strip()
    username = user.get_username()
    return f"{full_name} ({username})" if full_name else username


def _when(moment: dt.datetime) -> str:
    """``14:02`` today, ``14:02 on 1 December 2026`` another day (local time)."""
    local = timezone.localtime(moment)
    clock = local.strftime("%H:%M")
    if local.date() == timezone.localdate():
        return clock
    return f"{clock} on {date_format(local.date(), 'j F Y')}"


def _stale(record: models.Model, submitted: str | None) -> StaleEdit | None:
    """Why a save of ``record`` read at version ``submitted`` must be refused, or ``None``."""
    latest = _latest(record)
    current = str(latest.history_id) if latest is not None else "0"
    what = str(record._meta.verbose_name)
    if not submitted:
        return StaleEdit(NO_VERSION.format(what=what))
    if submitted == current:
        return None
    if latest is None:
        return StaleEdit(NO_VERSION.format(what=what))
    return StaleEdit(
        STALE.format(who=_who(latest.history_user), what=what, when=_when(latest.history_date))
    )


def _lock(record: models.Model) -> None:
    """Hold the record's row until the transaction ends (PostgreSQL; SQLite serialises writes)."""
    if record.pk is not None:
        manager = type(record)._base_manager
        list(manager.select_for_update().filter(pk=record.pk).values_list("pk", flat=True))


@dataclass
class EditOutcome:
    """What :func:`edit_save` did: saved, with what the service returned, or refused.

    ``stale`` is the refusal when the record changed since the form was read.
    """

    saved: bool = False
    result: Any = None
    stale: StaleEdit | None = None


def edit_save(
    request: HttpRequest,
    form: forms.Form,
    record: models.Model,
    save: Callable[[dict[str, Any]], Any],
) -> EditOutcome:
    """Validate ``form``; if ``record`` is unchanged since it was read, ``save(cleaned_data)``.

    A refusal is shown on the form: its own errors, the service's, or a
    :class:`StaleEdit` when someone else saved the record since the form was
    read; nothing is saved then. The version check and the save are one
    transaction with the record's row locked.
    """
    submitted = request.POST.get(VERSION_FIELD)
    outcome = EditOutcome()
    if not form.is_valid():
        outcome.stale = _stale(record, submitted)
    else:
        try:
            with transaction.atomic():
                _lock(record)
                stale = _stale(record, submitted)
                if stale is not None:
                    raise stale
                if record.pk is not None:
                    # The fields the form does not set (counters kept by other
                    # writes) are saved as they are now, not as the page read them.
                    record.refresh_from_db()
                outcome.result = save(form.cleaned_data)
                outcome.saved = True
        except StaleEdit as refused:
            outcome.stale = refused
        except ServiceError as error:
            apply_service_error(form, error)
    if outcome.stale is not None:
        form.add_error(None, outcome.stale.message)
    return outcome


def edit_context(
    request: HttpRequest, form: forms.Form, record: models.Model, outcome: EditOutcome | None
) -> dict[str, Any]:
    """What an edit page's template needs: its form's version, and a stale save's differences.

    A page shown afresh, or refused as stale, carries the record's version
    now (so saving again is accepted); a page refused for its own errors
    keeps the version it was read at.
    """
    if request.method == "POST" and (outcome is None or outcome.stale is None):
        version = request.POST.get(VERSION_FIELD, "")
    else:
        version = record_version(record)
    stale = outcome is not None and outcome.stale is not None
    return {
        "record_version": version,
        "stale_differences": differences(form) if stale else [],
        "stale": stale,
    }


# What the refused page shows -------------------------------------------------------


def _normal(field: forms.Field, value: Any) -> Any:
    """``value`` (typed or saved) as the field compares it, or the text typed if it cannot."""
    if hasattr(field, "source") and hasattr(field, "prepare_value"):
        # A picker: its value is the option's key, its record, or what was typed.
        prepared = field.prepare_value(value)
        return "" if prepared is None else str(prepared).strip()
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return "" if value is None else str(value)


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return EMPTY
    if hasattr(field, "_label") and isinstance(value, str):
        return str(field._label(value) or value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat(field.choices)}
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(str(item), item)) for item in value)
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(item) for item in value)
    return str(value)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def differences(form: forms.Form) -> list[Difference]:
    """The fields where what was typed is not what is saved now, each with both values.

    The form's ``initial`` is the record as the page read it, so on a refused
    save it holds the values someone else saved.
    """
    rows = []
    for name, field in form.fields.items():
        if field.disabled or isinstance(field.widget, forms.HiddenInput):
            continue
        typed = _normal(field, form[name].data)
        saved = _normal(field, form.get_initial_for_field(field, name))
        if _comparable(typed) != _comparable(saved):
            label = str(field.label or name.replace("_", " ").capitalize())
            rows.append(Difference(label, _shown(field, typed), _shown(field, saved)))
    return rows


def _comparable(value: Any) -> Any:
    if value is None or value == "":
        return ""
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value
