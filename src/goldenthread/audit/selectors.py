"""Reads of the audit trail (django-simple-history records), always for one organisation.

An audited model is any model with ``history = HistoricalRecords()`` and an
``organisation`` foreign key (or, for the organisation itself, its own id).
Users are audited too but belong to no organisation, so their history is not
shown on organisation pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import CharField, Value
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import is_aware, localtime

from goldenthread.accounts.models import Organisation, Role
from goldenthread.formats.money import pounds

CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
COMPARED_WITH_ORIGINAL = (
    "This record is a copy whose earlier history was not kept: the values before are those "
    "of the record it was copied from."
)
EARLIER_NOT_KEPT = "The values before this change were not kept, so what changed cannot be shown."


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


def history_role(model: type[models.Model]) -> str:
    """The least role that may read ``model``'s history: the role its own pages need.

    A model names it with a ``history_role`` class attribute (memberships,
    invitations and the organisation's settings are for admins); without one,
    every member may read it, as every member may read its pages.
    """
    return str(getattr(model, "history_role", Role.VIEWER))


def visible_models(role: str) -> list[type[models.Model]]:
    """The audited models whose history a member with ``role`` may read."""
    rank = Role.rank(role)
    return [model for model in audited_models() if rank >= Role.rank(history_role(model))]


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
    #: What the change's fields were compared with, when not the record's own previous state.
    note: str = ""


def _display(record: Any, field_name: str, value: Any) -> str:
    """``value`` of the field as a person reads it: dates as "14 March 2024", "Yes" or "No",
    counts with thousands separators, money in pounds, choices by label, people by name."""
    if value is None or value == "":
        return "–"
    field = record.instance_type._meta.get_field(field_name)
    if field.is_relation and field.related_model is not None:
        target = field.related_model._default_manager.filter(pk=value).first()
        if target is None:
            return f"#{value} (deleted)"
        if isinstance(target, AbstractBaseUser):
            return _person(target)
        return str(target)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField) and isinstance(value, datetime):
        moment = localtime(value) if is_aware(value) else value
        return date_format(moment, "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(field, models.DecimalField) and field.decimal_places == 2:
        # Every two-place decimal the product keeps is an amount of money in pounds.
        return pounds(value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _foreign_keys(model: type[models.Model]) -> list[str]:
    return [
        f.name for f in model._meta.concrete_fields if f.many_to_one and f.name != "history_user"
    ]


#: Fields of related records never needed to name them, and whose size a file
#: can choose (a job's problems, an upload's bytes): the history lists defer them.
_BULKY_FIELDS = (models.JSONField, models.BinaryField)


def _bulky_related(model: type[models.Model]) -> list[str]:
    return [
        f"{name}__{field.name}"
        for name in _foreign_keys(model)
        for field in model._meta.get_field(name).related_model._meta.concrete_fields  # type: ignore[union-attr]
        if isinstance(field, _BULKY_FIELDS)
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
    return _person(user)


def _person(user: Any) -> str:
    """A user as the history names people: "Full Name (username)", or the username alone."""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _change(record: Any, with_fields: bool) -> Change:
    model = record.instance_type
    fields: list[FieldChange] = []
    note = ""
    if with_fields:
        previous = record.prev_record
        excluded: list[str] = []
        if previous is None and record.history_type == "~":
            previous = _copied_from(record)
            if previous is not None:
                note = COMPARED_WITH_ORIGINAL
                # A copy has its own ID, sits elsewhere (another version's component)
                # and names its original: only its own values are compared.
                excluded = [model._meta.pk.name, *_foreign_keys(model)]
            else:
                note = EARLIER_NOT_KEPT
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=excluded)
            for change in delta.changes:
                verbose = model._meta.get_field(change.field).verbose_name
                fields.append(
                    FieldChange(
                        capfirst(str(verbose)),
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
                            capfirst(str(field.verbose_name)),
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
        note=note,
    )


def _copied_from(record: Any) -> Any:
    """The record a copy was made from, as it stood when the copy changed; else ``None``.

    A copy (a TOM revision's component or statement) names its original in
    ``baseline``. A copy whose own first history record was not kept is
    compared with its original, so a rewording still shows the old and new
    wording.
    """
    model = record.instance_type
    if not _has_field(model, "baseline"):
        return None
    if model._meta.get_field("baseline").related_model is not model:
        return None
    original = getattr(record, "baseline_id", None)
    if original is None:
        return None
    return (
        model.history.filter(id=original, history_date__lte=record.history_date)
        .order_by("-history_date", "-history_id")
        .first()
    )


class ChangeQuery:
    """Every change to the organisation's records, filtered, ordered and paged in the database.

    Each audited model keeps its history in its own table; the query is a
    union of those tables' (id, date, kind of record) with the filters applied
    to each, so a page of the merged history, and its count, come from the
    database however long the history is. Slicing gives :class:`Change`
    records, fetched with one query per kind of record, whatever the page holds.
    """

    #: The union is always ordered (for the paginator).
    ordered = True

    def __init__(
        self,
        *,
        organisation: Organisation,
        role: str = Role.VIEWER,
        models: Sequence[type[models.Model]] | None = None,
        user_id: int | None = None,
        first: datetime | None = None,
        after: datetime | None = None,
        descending: bool = True,
    ) -> None:
        self.organisation = organisation
        self.role = role
        visible = visible_models(role)
        self.models = tuple(visible if models is None else [m for m in models if m in visible])
        self.user_id = user_id
        self.first = first
        self.after = after
        self.descending = descending

    def _copy(self, **changes: Any) -> ChangeQuery:
        state = {
            "organisation": self.organisation,
            "role": self.role,
            "models": self.models,
            "user_id": self.user_id,
            "first": self.first,
            "after": self.after,
            "descending": self.descending,
            **changes,
        }
        return ChangeQuery(**state)

    def of_kinds(self, labels: Sequence[str]) -> ChangeQuery:
        """Only changes to records of these kinds (model labels, ``"core.unit"``)."""
        wanted = {label.lower() for label in labels}
        return self._copy(models=[m for m in self.models if m._meta.label_lower in wanted])

    def by_user(self, user_id: int) -> ChangeQuery:
        return self._copy(user_id=user_id)

    def between(self, first: datetime | None, after: datetime | None) -> ChangeQuery:
        """Changes at or after ``first`` and before ``after`` (either may be ``None``)."""
        return self._copy(first=first, after=after)

    def order_by(self, *terms: Any) -> ChangeQuery:
        """Newest first when the first term is descending (``"-history_date"``)."""
        head = terms[0] if terms else "-history_date"
        return self._copy(descending=isinstance(head, str) and head.startswith("-"))

    def _branches(self) -> list[Any]:
        branches = []
        for model in self.models:
            history = _scoped_history(model, self.organisation)
            if self.user_id is not None:
                history = history.filter(history_user_id=self.user_id)
            if self.first is not None:
                history = history.filter(history_date__gte=self.first)
            if self.after is not None:
                history = history.filter(history_date__lt=self.after)
            branches.append(
                history.order_by()
                .annotate(gt_record_kind=Value(model._meta.label_lower, output_field=CharField()))
                .values_list("history_id", "history_date", "gt_record_kind")
            )
        return branches

    def _union(self) -> Any:
        branches = self._branches()
        if not branches:
            return None
        union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        sign = "-" if self.descending else ""
        return union.order_by(f"{sign}history_date", f"{sign}gt_record_kind", f"{sign}history_id")

    def count(self) -> int:
        union = self._union()
        return 0 if union is None else int(union.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Change]:
        if not isinstance(index, slice):
            raise TypeError("a ChangeQuery gives its changes by slice")
        union = self._union()
        keys = [] if union is None else list(union[index])
        wanted: dict[str, list[int]] = {}
        for history_id, _when, kind in keys:
            wanted.setdefault(kind, []).append(history_id)
        found: dict[tuple[str, int], Change] = {}
        for model in self.models:
            label = model._meta.label_lower
            history = model.history.model  # type: ignore[attr-defined]
            # Every kind is fetched, even if absent from the page, so that the
            # page's queries do not depend on what it holds.
            records = (
                history.objects.filter(history_id__in=wanted.get(label) or [0])
                .select_related("history_user", *_foreign_keys(history))
                .defer(*_bulky_related(history))
            )
            for record in records:
                found[(label, record.history_id)] = _change(record, with_fields=False)
        return [
            found[(kind, history_id)]
            for history_id, _when, kind in keys
            if (kind, history_id) in found
        ]


def change_list(
    *, organisation: Organisation, role: str = Role.VIEWER, limit: int = 50
) -> list[Change]:
    """The most recent changes a member with ``role`` may see in the organisation, newest first."""
    return ChangeQuery(organisation=organisation, role=role)[:limit]


def change_kinds(role: str = Role.VIEWER) -> list[tuple[str, str]]:
    """``(model label, name)`` of every kind of record whose history ``role`` may read, by name."""
    kinds = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in visible_models(role)
    ]
    return sorted(kinds, key=lambda kind: kind[1])


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
