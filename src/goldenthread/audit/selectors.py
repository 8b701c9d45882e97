"""Reads of the audit trail (django-simple-history records), always for one organisation.

An audited model is any model with ``history = HistoricalRecords()`` and an
``organisation`` foreign key (or, for the organisation itself, its own id).
Users are audited too but belong to no organisation, so their history is not
shown on organisation pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from goldenthread.accounts.models import Organisation

CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


def audited_models() -> list[type[models.Model]]:
    """Every model whose history is kept and that belongs to an organisation."""
    found = []
    for model in apps.get_models():
        manager = getattr(model, "history", None)
        if manager is None or model._meta.label_lower.startswith("accounts.historical"):
            continue
        if model is Organisation or _has_field(model, "organisation"):
            found.append(model)
    return found


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def audited_model(label: str) -> type[models.Model] | None:
    for model in audited_models():
        if model._meta.label_lower == label.lower():
            return model
    return None


def _scoped_history(model: type[models.Model], organisation: Organisation) -> Any:
    history = model.history.all()  # type: ignore[attr-defined]
    if model is Organisation:
        return history.filter(id=organisation.pk)
    return history.filter(organisation_id=organisation.pk)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    kind: str
    model_label: str
    model_name: str
    object_id: int
    object_repr: str
    reason: str
    fields: tuple[FieldChange, ...] = ()


def _display(record: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    field = record.instance_type._meta.get_field(field_name)
    if field.is_relation and field.related_model is not None:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else f"#{value} (deleted)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _foreign_keys(model: type[models.Model]) -> list[str]:
    return [
        f.name for f in model._meta.concrete_fields if f.many_to_one and f.name != "history_user"
    ]


def _instance(record: Any) -> models.Model:
    """The record as an instance, carrying the related objects fetched with it.

    ``record.instance`` builds a fresh object; without the related objects that
    the history query selected, its ``__str__`` would cost a query per row.
    """
    instance = record.instance
    for field in instance._meta.concrete_fields:
        if field.many_to_one and field.name in record._state.fields_cache:
            field.set_cached_value(instance, record._state.fields_cache[field.name])
    return cast(models.Model, instance)


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return "The system"
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _change(record: Any, with_fields: bool) -> Change:
    model = record.instance_type
    fields: list[FieldChange] = []
    if with_fields:
        previous = record.prev_record
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                verbose = model._meta.get_field(change.field).verbose_name
                fields.append(
                    FieldChange(
                        str(verbose).capitalize(),
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        elif record.history_type == "+":
            for field in model._meta.fields:
                if field.name in {"id", "organisation"} or field.name.endswith("_at"):
                    continue
                value = getattr(record, field.attname, None)
                if value not in (None, ""):
                    fields.append(
                        FieldChange(
                            str(field.verbose_name).capitalize(),
                            "",
                            _display(record, field.name, value),
                        )
                    )
    return Change(
        when=record.history_date,
        who=_who(record),
        kind=CHANGE_TYPES.get(record.history_type, record.history_type),
        model_label=model._meta.label_lower,
        model_name=str(model._meta.verbose_name),
        object_id=record.id,
        object_repr=str(_instance(record)),
        reason=record.history_change_reason or "",
        fields=tuple(fields),
    )


def change_list(*, organisation: Organisation, limit: int = 50) -> list[Change]:
    """The most recent changes to anything in the organisation, newest first."""
    records: list[Any] = []
    for model in audited_models():
        history = _scoped_history(model, organisation)
        records.extend(
            history.select_related("history_user", *_foreign_keys(history.model)).order_by(
                "-history_date"
            )[:limit]
        )
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [_change(record, with_fields=False) for record in records[:limit]]


def record_history(
    *, organisation: Organisation, model: type[models.Model], object_id: int
) -> list[Change]:
    """Every change to one record, newest first, field by field. Empty if not the organisation's."""
    records = (
        _scoped_history(model, organisation)
        .filter(id=object_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [_change(record, with_fields=True) for record in records]
