"""Every write to units. Each is one transaction; refused writes raise ServiceError.

Units are written only here: the units page, the units import and the units a
structure upload adds all come through these services, so every change is
checked the same way and its history names who made it (``by``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from simple_history.utils import bulk_create_with_history

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute

from .columns import CODE_MAX_LENGTH, NAME_MAX_LENGTH
from .models import Unit, UnitKind
from .pickers import unit_paths
from .selectors import unit_descendant_ids, unit_empty_list

CODE_TAKEN = "Another unit in {organisation} already has the code {code}"
PARENT_IS_SELF = "A unit cannot sit inside itself"
PARENT_IS_BELOW = "{parent} sits inside {unit}, so {unit} cannot sit inside it"
PARENT_ELSEWHERE = "The parent unit must belong to the same organisation"
HAS_CHILDREN = "{unit} has {count} unit{plural} inside it: move or delete those first"
IN_USE = "{unit} is still used elsewhere, so it cannot be deleted."
CODE_NEEDED = "Every unit needs a code"
CODE_TWICE = "The code {code} is given to more than one unit"
NO_SUCH_PARENT = "No unit has the code {code}"
CYCLE = "These units would sit inside each other: {codes}"
TOO_LONG = "The unit {what} {value} is {length} characters long; at most {limit} are kept"

#: The fields of a unit a bulk write may set, as the units import names them.
UNIT_FIELDS = ("code", "name", "kind", "parent_code", "description")


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
    by: Actor = None,
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
    attribute(unit, by)
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
    by: Actor = None,
) -> Unit:
    unit.code = code.strip()
    unit.name = name.strip()
    unit.kind = UnitKind(kind)
    unit.description = description
    _check_code(unit)
    _check_parent(unit, parent)
    unit.parent = parent
    attribute(unit, by)
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, by: Actor = None) -> None:
    count = unit.children.count()
    if count:
        raise ServiceError(
            HAS_CHILDREN.format(unit=unit, count=count, plural="" if count == 1 else "s")
        )
    attribute(unit, by)
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError:
        raise ServiceError(IN_USE.format(unit=unit)) from None


NOT_EMPTY = "{units} {verb} no longer empty, so nothing was deleted"
UNITS_GONE = "A unit chosen has been deleted since, so nothing was deleted: choose again"
INSIDE_NOT_CHOSEN = (
    "{units} {verb} units inside that are not ticked: tick those too, or leave {pronoun} out"
)
NONE_CHOSEN = "Choose at least one unit to delete"


def _verb(names: list[str], one: str, many: str) -> str:
    return one if len(names) == 1 else many


@transaction.atomic
def unit_bulk_delete_empty(
    *, organisation: Organisation, unit_ids: Iterable[int], by: Actor = None
) -> list[str]:
    """Delete the chosen empty units together, the units inside first; all or none.

    Each must still be empty (:func:`~.selectors.unit_empty_list`) and every
    unit inside it chosen too; otherwise nothing is deleted. Each deletion is
    in the units' history, naming ``by``. Returns the names deleted.
    """
    chosen = set(unit_ids)
    if not chosen:
        raise ServiceError(NONE_CHOSEN, field="units")
    # Lock the organisation's units so nothing is added inside them meanwhile.
    list(Unit.objects.select_for_update().filter(organisation=organisation).values_list("pk"))
    rows = {row.unit.pk: row for row in unit_empty_list(organisation=organisation)}
    children: dict[int, list[int]] = {}
    for pk, parent in Unit.objects.filter(organisation=organisation).values_list("pk", "parent_id"):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    if chosen - rows.keys():
        # Named by their paths: two units may share a name, and people know no unit's number.
        paths = {unit.pk: path for unit, path in unit_paths(organisation=organisation)}
        if chosen - paths.keys():
            raise ServiceError(UNITS_GONE, field="units")
        in_use = sorted(paths[pk] for pk in chosen - rows.keys())
        raise ServiceError(
            NOT_EMPTY.format(units=", ".join(in_use), verb=_verb(in_use, "is", "are")),
            field="units",
        )
    with_others = sorted(
        rows[pk].path for pk in chosen if any(child not in chosen for child in children.get(pk, []))
    )
    if with_others:
        raise ServiceError(
            INSIDE_NOT_CHOSEN.format(
                units=", ".join(with_others),
                verb=_verb(with_others, "has", "have"),
                pronoun=_verb(with_others, "it", "them"),
            ),
            field="units",
        )
    # Units listed in tree order: deleting from the end removes those inside first.
    ordered = [rows[pk].unit for pk in rows if pk in chosen]
    user = acting_user(by)
    for unit in reversed(ordered):
        attribute(unit, user)
        unit.delete()
    return [unit.name for unit in ordered]


@dataclass(frozen=True)
class UnitsWritten:
    """What :func:`unit_bulk_upsert` did: every unit it was given, by code (lower case)."""

    units: dict[str, Unit]
    added: int
    updated: int


def _in_tree_order(
    rows: list[dict[str, str]], existing: Mapping[str, Unit]
) -> list[list[dict[str, str]]]:
    """The rows in levels: each row after the row (or saved unit) it sits in.

    Refuses a parent code that is nowhere, and units that would sit inside
    each other.
    """
    given = {row["code"].lower(): row for row in rows}
    parent_of: dict[str, str] = {
        code: unit.parent.code.lower()
        for code, unit in existing.items()
        if unit.parent_id is not None and unit.parent is not None
    }
    for code, row in given.items():
        parent = row.get("parent_code", "").strip().lower()
        if parent and parent not in given and parent not in existing:
            raise ServiceError(NO_SUCH_PARENT.format(code=row["parent_code"]), field="parent_code")
        if parent:
            parent_of[code] = parent
        else:
            parent_of.pop(code, None)
    depth: dict[str, int] = {}
    for code in given:
        chain = [code]
        while chain[-1] not in depth and chain[-1] in parent_of:
            chain.append(parent_of[chain[-1]])
            if chain[-1] in chain[:-1]:
                raise ServiceError(CYCLE.format(codes=" → ".join(chain)), field="parent_code")
        # The last of the chain is a top unit or one whose depth is known.
        level = depth.get(chain[-1], 0)
        for link in reversed(chain[:-1]):
            level += 1
            depth[link] = level
        depth.setdefault(chain[-1], 0)
    levels: dict[int, list[dict[str, str]]] = {}
    for code, row in given.items():
        levels.setdefault(depth[code], []).append(row)
    return [levels[level] for level in sorted(levels)]


@transaction.atomic
def unit_bulk_upsert(
    *,
    organisation: Organisation,
    rows: Iterable[Mapping[str, Any]],
    by: Actor = None,
) -> UnitsWritten:
    """Add or update many units at once, matched by code (ignoring case), all or nothing.

    Each row gives a ``code`` and may give ``name``, ``kind``, ``parent_code``
    (a unit in the rows or already saved; empty for a top unit) and
    ``description``. A code already saved updates that unit; a new code adds
    one. New units are written in bulk, level by level, parents first, each
    with its history naming ``by``; a unit whose values do not change is not
    written.
    """
    wanted = [{field: str(row.get(field) or "").strip() for field in UNIT_FIELDS} for row in rows]
    seen: set[str] = set()
    for row in wanted:
        code = row["code"].lower()
        if not code:
            raise ServiceError(CODE_NEEDED, field="code")
        if code in seen:
            raise ServiceError(CODE_TWICE.format(code=row["code"]), field="code")
        seen.add(code)
        # A name or code too long to keep is refused, never cut short.
        for what, limit in (("code", CODE_MAX_LENGTH), ("name", NAME_MAX_LENGTH)):
            if len(row[what]) > limit:
                raise ServiceError(
                    TOO_LONG.format(
                        what=what, value=row[what][:60], length=len(row[what]), limit=limit
                    ),
                    field=what,
                )
    existing = {
        unit.code.lower(): unit
        for unit in Unit.objects.filter(organisation=organisation).select_related("parent")
    }
    user = acting_user(by)
    by_code = dict(existing)
    added = updated = 0
    for level in _in_tree_order(wanted, existing):
        new: list[Unit] = []
        for row in level:
            code = row["code"].lower()
            parent = by_code[row["parent_code"].lower()] if row["parent_code"] else None
            values = {
                "name": row["name"],
                "kind": UnitKind(row["kind"] or UnitKind.SERVICE),
                "description": row["description"],
                "parent_id": parent.pk if parent else None,
            }
            unit = existing.get(code)
            if unit is None:
                new.append(
                    Unit(organisation=organisation, code=row["code"], parent=parent, **values)
                )
                continue
            if any(getattr(unit, name) != value for name, value in values.items()):
                updated += 1
                for name, value in values.items():
                    setattr(unit, name, value)
                unit.parent = parent
                attribute(unit, user)
                unit.save()
        if new:
            for unit in bulk_create_with_history(new, Unit, default_user=user):
                by_code[unit.code.lower()] = unit
            added += len(new)
    return UnitsWritten(units={code: by_code[code] for code in seen}, added=added, updated=updated)
