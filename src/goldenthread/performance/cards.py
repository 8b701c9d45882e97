"""The golden thread's dashboard card: items by level, and what is traced to nothing."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.kit.dashboard import Card, count_row, register

from .models import Level
from .selectors import directorates_without_plan, thread_item_list, thread_orphans


@register(40)
def golden_thread_card(organisation: Organisation, membership: Membership) -> Card:
    counts = dict(
        thread_item_list(organisation=organisation)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    total = sum(counts.values())
    orphans = len(thread_orphans(organisation=organisation))
    unplanned = directorates_without_plan(organisation=organisation).count()
    slug = organisation.slug
    rows = [count_row(label, counts[value]) for value, label in Level.choices if counts.get(value)]
    rows.append(("Not traced to an objective", f"{orphans:,}"))
    rows.append(("Directorates without a service plan", f"{unplanned:,}"))
    return Card(
        title="Golden thread",
        href=reverse("performance:thread", kwargs={"org_slug": slug}),
        figure=f"{total:,}",
        figure_label="items from the vision to individual objectives",
        rows=tuple(rows),
        links=(("What is not traced", reverse("performance:orphans", kwargs={"org_slug": slug})),)
        if orphans or unplanned
        else (),
        empty="" if total else "Start the thread with the organisation's vision.",
    )
