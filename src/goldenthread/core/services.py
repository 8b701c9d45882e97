"""Every write to units. Each is one transaction; refused writes raise ServiceError."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import ServiceError

from .models import Unit, UnitKind
from .selectors import unit_descendant_ids

CODE_TAKEN = "Another unit in {organisation} already has the code {code}"
PARENT_IS_SELF = "A unit cannot sit inside itself"
PARENT_IS_BELOW = "{parent} sits inside {unit}, so {unit} cannot sit inside it"
PARENT_ELSEWHERE = "The parent unit must belong to the same organisation"
HAS_CHILDREN = "{unit} has {count} unit{plural} inside it: move or delete those first"


def _record_user(unit: Unit, by: AbstractBaseUser | None) -> None:
    """Name ``by`` in the history; without it the history takes the request's user."""
    if by is not None and by.is_authenticated:
        unit._history_user = by  # type: ignore[attr-defined]


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise ServiceError(PARENT_ELSEWHERE, field="parent")
    if unit.pk is None:
        return
    if parent.pk == unit.pk:
        raise ServiceError(PARENT_IS_SELF, field="parent")
    if parent.pk in unit_descendant_ids(unit=unit):
        raise ServiceError(PARENT_IS_BELOW.format(parent=parent, unit=unit), field="parent")


def _check_code(unit: Unit) -> None:
    clash = Unit.objects.filter(organisation_id=unit.organisation_id, code__iexact=unit.code)
    if unit.pk is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ServiceError(
            CODE_TAKEN.format(organisation=unit.organisation, code=unit.code), field="code"
        )


@transaction.atomic
def unit_create(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str = UnitKind.SERVICE,
    parent: Unit | None = None,
    description: str = "",
    by: AbstractBaseUser | None = None,
) -> Unit:
    unit = Unit(
        organisation=organisation,
        code=code.strip(),
        name=name.strip(),
        kind=UnitKind(kind),
        parent=parent,
        description=description,
    )
    _check_code(unit)
    _check_parent(unit, parent)
    _record_user(unit, by)
    unit.save()
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    description: str,
    by: AbstractBaseUser | None = None,
) -> Unit:
    unit.code = code.strip()
    unit.name = name.strip()
    unit.kind = UnitKind(kind)
    unit.description = description
    _check_code(unit)
    _check_parent(unit, parent)
    unit.parent = parent
    _record_user(unit, by)
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    count = unit.children.count()
    if count:
        raise ServiceError(
            HAS_CHILDREN.format(unit=unit, count=count, plural="" if count == 1 else "s")
        )
    unit.delete()
