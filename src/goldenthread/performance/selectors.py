"""Every read of the golden thread, always for one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import Count, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.thread import Node, orphans, tree_order
from goldenthread.core.models import Unit, UnitKind

from .models import Level, ThreadItem, ThreadLink


def thread_item_list(*, organisation: Organisation) -> QuerySet[ThreadItem]:
    return ThreadItem.objects.filter(organisation=organisation).select_related("unit", "parent")


def thread_item_register(*, organisation: Organisation) -> QuerySet[ThreadItem]:
    """The items as the register lists them, each with the number of items contributing to it."""
    return thread_item_list(organisation=organisation).annotate(child_count=Count("children"))


def thread_item_get(*, organisation: Organisation, pk: int) -> ThreadItem:
    return thread_item_list(organisation=organisation).get(pk=pk)


@dataclass(frozen=True)
class ThreadRow:
    item: ThreadItem
    depth: int
    child_count: int


def thread_tree(*, organisation: Organisation) -> list[ThreadRow]:
    """The whole thread from the vision down, each item before what contributes to it.

    One query, whatever the number of items. Orphans come after the traced tree.
    """
    items = list(thread_item_list(organisation=organisation).order_by("position", "pk"))
    by_pk = {item.pk: item for item in items}
    counts: dict[int, int] = {}
    for item in items:
        if item.parent_id is not None:
            counts[item.parent_id] = counts.get(item.parent_id, 0) + 1
    nodes = [Node(item.pk, item.level, item.parent_id) for item in items]
    # Visions first among the roots, so orphans follow the traced tree.
    nodes.sort(key=lambda node: node.parent is not None or node.level != Level.VISION)
    return [
        ThreadRow(by_pk[cast(int, node.key)], depth, counts.get(cast(int, node.key), 0))
        for node, depth in tree_order(nodes)
    ]


def thread_orphans(*, organisation: Organisation) -> list[ThreadItem]:
    items = list(thread_item_list(organisation=organisation).order_by("position", "pk"))
    by_pk = {item.pk: item for item in items}
    found = orphans(Node(item.pk, item.level, item.parent_id) for item in items)
    return [by_pk[node.key] for node in found]  # type: ignore[index]


def directorates_without_plan(*, organisation: Organisation) -> QuerySet[Unit]:
    """Directorates and shared services with no service plan in the thread."""
    planned = ThreadItem.objects.filter(
        organisation=organisation, level=Level.SERVICE_PLAN, unit__isnull=False
    ).values("unit_id")
    return (
        Unit.objects.filter(
            organisation=organisation, kind__in=[UnitKind.DIRECTORATE, UnitKind.SHARED_SERVICE]
        )
        .exclude(pk__in=planned)
        .order_by("name")
    )


def thread_ancestors(*, item: ThreadItem) -> list[ThreadItem]:
    """What ``item`` contributes to, up to the top, nearest last."""
    chain: list[ThreadItem] = []
    seen = {item.pk}
    cursor = item.parent
    while cursor is not None and cursor.pk not in seen:
        chain.insert(0, cursor)
        seen.add(cursor.pk)
        cursor = cursor.parent
    return chain


def thread_children(*, item: ThreadItem) -> QuerySet[ThreadItem]:
    return (
        ThreadItem.objects.filter(organisation_id=item.organisation_id, parent=item)
        .select_related("unit")
        .order_by("position", "pk")
    )


def thread_visions(*, organisation: Organisation) -> QuerySet[ThreadItem]:
    return ThreadItem.objects.filter(organisation=organisation, level=Level.VISION).order_by(
        "position", "pk"
    )


def thread_parent_choices(*, organisation: Organisation) -> QuerySet[ThreadItem]:
    """Items that something can contribute to (every level but individual objectives)."""
    return (
        ThreadItem.objects.filter(organisation=organisation)
        .exclude(level=Level.INDIVIDUAL_OBJECTIVE)
        .order_by("position", "pk")
    )


def thread_link_get(*, organisation: Organisation, pk: int) -> ThreadLink:
    return ThreadLink.objects.select_related("item").get(organisation=organisation, pk=pk)


def thread_links_of(
    *, organisation: Organisation, content_type_id: int, object_id: int
) -> QuerySet[ThreadLink]:
    """The items one record of another module contributes to."""
    return (
        ThreadLink.objects.filter(
            organisation=organisation, content_type_id=content_type_id, object_id=object_id
        )
        .select_related("item")
        .order_by("item__position", "pk")
    )


def thread_contributions(*, item: ThreadItem) -> QuerySet[ThreadLink]:
    """The records of other modules that contribute to ``item``."""
    return ThreadLink.objects.filter(organisation_id=item.organisation_id, item=item).order_by("pk")
