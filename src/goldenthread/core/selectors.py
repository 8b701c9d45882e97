"""Every read of units, always for one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, QuerySet

from goldenthread.accounts.models import Organisation

from .models import Unit

#: Units nest a few levels deep; a walk up stops here even if the data were to loop.
MAX_DEPTH = 50


def unit_list(*, organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation).select_related("parent")


def unit_register(*, organisation: Organisation) -> QuerySet[Unit]:
    """The units as the register lists them, each with the number of units directly inside."""
    return Unit.objects.filter(organisation=organisation).annotate(child_count=Count("children"))


def unit_get(*, organisation: Organisation, pk: int) -> Unit:
    return unit_list(organisation=organisation).get(pk=pk)


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int


def unit_tree(*, organisation: Organisation) -> list[UnitRow]:
    """Units in tree order (each parent before its children), with their depth.

    One query, whatever the number of units.
    """
    units = list(
        # Meta.ordering is not applied to GROUP BY queries: order explicitly.
        unit_list(organisation=organisation)
        .annotate(child_count=Count("children"))
        .order_by("name", "pk")
    )
    children: dict[int | None, list[Any]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[UnitRow] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        rows.append(UnitRow(unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return rows


def unit_descendant_ids(*, unit: Unit) -> set[int]:
    """Every unit below ``unit`` (not itself)."""
    pairs = list(
        Unit.objects.filter(organisation_id=unit.organisation_id).values_list("pk", "parent_id")
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent in pairs:
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(unit.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def unit_counts_by_kind(*, organisation: Organisation) -> dict[str, int]:
    rows = unit_list(organisation=organisation).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def unit_codes(*, organisation: Organisation) -> set[str]:
    """Every unit code of the organisation, in lower case."""
    return {
        code.lower()
        for code in Unit.objects.filter(organisation=organisation).values_list("code", flat=True)
    }


def unit_children(*, organisation: Organisation, unit: Unit) -> QuerySet[Unit]:
    """The units directly inside ``unit``."""
    return unit_list(organisation=organisation).filter(parent=unit)


def unit_ancestors(*, unit: Unit) -> list[Unit]:
    """The units ``unit`` sits in, the top one first."""
    ancestors: list[Unit] = []
    cursor = unit.parent
    while cursor is not None and len(ancestors) < MAX_DEPTH:
        ancestors.insert(0, cursor)
        cursor = cursor.parent
    return ancestors


@dataclass(frozen=True)
class UnitUse:
    """Records of one kind that name a unit, so that it cannot be deleted."""

    count: int
    things: str


def unit_uses(*, unit: Unit) -> list[UnitUse]:
    """What still names ``unit`` and keeps it from being deleted: units inside it, posts ...

    Found from the models that protect their link to a unit, so a module
    added later is counted without this function knowing it.
    """
    uses = []
    for relation in _protecting_relations():
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: unit}).count()
        if count:
            meta = model._meta
            uses.append(
                UnitUse(count, str(meta.verbose_name if count == 1 else meta.verbose_name_plural))
            )
    return uses


def _protecting_relations() -> list[models.ForeignObjectRel]:
    """The links to a unit that keep it from being deleted (posts, golden-thread items ...)."""
    return [
        field
        for field in Unit._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ForeignObjectRel) and field.on_delete is models.PROTECT
    ]


@dataclass(frozen=True)
class EmptyUnit:
    unit: Unit
    #: The unit's place: "People / Adult Social Care".
    path: str


def unit_empty_list(*, organisation: Organisation) -> list[EmptyUnit]:
    """The units that nothing uses: no post of any snapshot, no record of any module, and
    every unit inside them empty too; in tree order.

    Found from the models that protect their link to a unit, as :func:`unit_uses`
    does; one query for the units and one for each such model.
    """
    rows = unit_tree(organisation=organisation)
    used: set[int] = set()
    for relation in _protecting_relations():
        if relation.related_model is Unit:
            continue  # units inside: an empty unit's are empty too, and go with it
        name = relation.field.name
        used |= set(
            relation.related_model._base_manager.filter(**{f"{name}__organisation": organisation})
            .order_by()
            .values_list(f"{name}_id", flat=True)
            .distinct()
        )
    # A unit with a used unit inside it is in use: mark every unit above a used one.
    parent_of = {row.unit.pk: row.unit.parent_id for row in rows}
    busy: set[int] = set()
    for pk in used:
        cursor: int | None = pk
        depth = 0
        while cursor is not None and cursor not in busy and depth < MAX_DEPTH:
            busy.add(cursor)
            cursor = parent_of.get(cursor)
            depth += 1
    names = {row.unit.pk: row.unit.name for row in rows}
    empty = []
    for row in rows:
        if row.unit.pk in busy:
            continue
        path = [row.unit.name]
        cursor = row.unit.parent_id
        while cursor is not None and len(path) < MAX_DEPTH:
            path.insert(0, names.get(cursor, ""))
            cursor = parent_of.get(cursor)
        empty.append(EmptyUnit(row.unit, " / ".join(path)))
    return empty
