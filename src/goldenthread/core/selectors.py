"""Every read of units, always for one organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from goldenthread.accounts.models import Organisation

from .models import Unit


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
    children: dict[int | None, list[Unit]] = {}
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
