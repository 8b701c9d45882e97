"""The structures' dashboard card: the current as-is and the scenarios in hand."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.kit.dashboard import Card, register

from .models import SnapshotKind, SnapshotStatus
from .selectors import snapshot_list


@register(30)
def structures_card(organisation: Organisation, membership: Membership) -> Card:
    snapshots = list(snapshot_list(organisation=organisation))
    slug = organisation.slug
    current = [
        s
        for s in snapshots
        if s.kind == SnapshotKind.AS_IS and s.status != SnapshotStatus.SUPERSEDED
    ]
    as_is = max(
        current, key=lambda s: (s.effective_date is not None, s.effective_date, s.pk), default=None
    )
    open_scenarios = [
        s
        for s in snapshots
        if s.kind in {SnapshotKind.SCENARIO, SnapshotKind.PROPOSED}
        and s.status == SnapshotStatus.DRAFT
    ]
    rows = [("Snapshots", f"{len(snapshots):,}")]
    links: list[tuple[str, str]] = []
    if as_is is not None:
        rows.insert(0, ("As-is", as_is.name))
        links.append(
            (
                "Spans and layers of the as-is",
                reverse(
                    "structure:snapshot_detail", kwargs={"org_slug": slug, "snapshot_id": as_is.pk}
                ),
            )
        )
    for scenario in open_scenarios:
        rows.append((f"{scenario.get_kind_display()} in draft", scenario.name))
        if scenario.base_id is not None:
            links.append(
                (
                    f"{scenario.name} against its base",
                    reverse("structure:compare", kwargs={"org_slug": slug})
                    + f"?old={scenario.base_id}&new={scenario.pk}",
                )
            )
    return Card(
        title="Structures",
        href=reverse("structure:snapshot_list", kwargs={"org_slug": slug}),
        figure=f"{as_is.post_count:,}" if as_is is not None else "",
        figure_label="posts in the as-is structure" if as_is is not None else "",
        rows=tuple(rows),
        links=tuple(links),
        empty=""
        if snapshots
        else "Upload the organisation's establishment or organogram to begin.",
    )
