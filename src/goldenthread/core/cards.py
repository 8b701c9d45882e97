"""The dashboard cards of the foundation: units and people."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation, Role
from goldenthread.accounts.selectors import membership_list
from goldenthread.kit.dashboard import Card, count_row, register

from .models import UnitKind
from .selectors import unit_counts_by_kind


@register(10)
def units_card(organisation: Organisation, membership: Membership) -> Card:
    counts = unit_counts_by_kind(organisation=organisation)
    total = sum(counts.values())
    return Card(
        title="Units",
        href=reverse("core:unit_list", kwargs={"org_slug": organisation.slug}),
        figure=f"{total:,}",
        figure_label="directorates, services and teams",
        rows=tuple(
            count_row(label, counts[value])
            for value, label in UnitKind.choices
            if counts.get(value)
        ),
        empty="" if total else "Add the organisation's directorates first, or import them.",
    )


@register(90)
def people_card(organisation: Organisation, membership: Membership) -> Card:
    roles = [m.role for m in membership_list(organisation=organisation)]
    # Only admins manage members; others see the counts alone.
    href = ""
    if membership.allows(Role.ADMIN):
        href = reverse("accounts:member_list", kwargs={"org_slug": organisation.slug})
    return Card(
        title="People",
        href=href,
        rows=tuple(count_row(label, roles.count(value)) for value, label in Role.choices),
        links=(("Manage members", href),) if href else (),
    )
