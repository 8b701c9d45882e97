"""The operating model's dashboard card: the adopted TOM and the drafts in hand."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.kit.dashboard import Card, register

from .models import VersionStatus
from .selectors import principle_set_list, version_list

#: The card names this many versions in hand, newest first; the TOM page lists more.
CARD_OPEN_VERSIONS = 3


@register(20)
def operating_model_card(organisation: Organisation, membership: Membership) -> Card:
    versions = list(version_list(organisation=organisation))
    adopted = next((v for v in versions if v.status == VersionStatus.ADOPTED), None)
    open_versions = [
        v for v in versions if v.status in {VersionStatus.DRAFT, VersionStatus.CONSULTATION}
    ]
    slug = organisation.slug
    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    if adopted is not None:
        adopted_on = f" on {adopted.approved_on:%-d %B %Y}" if adopted.approved_on else ""
        rows.append(("Adopted", f"{adopted}{adopted_on}"))
        links.append(
            (
                "The TOM on a page",
                reverse(
                    "operating_model:version_page",
                    kwargs={"org_slug": slug, "version_id": adopted.pk},
                ),
            )
        )
    if len(open_versions) > CARD_OPEN_VERSIONS:
        rows.append(("Versions in hand", f"{len(open_versions):,}, the newest below"))
    for version in open_versions[:CARD_OPEN_VERSIONS]:
        rows.append((version.get_status_display(), str(version)))
        if adopted is not None:
            links.append(
                (
                    f"How version {version.number} differs from the adopted one",
                    reverse(
                        "operating_model:version_compare",
                        kwargs={"org_slug": slug, "version_id": version.pk},
                    ),
                )
            )
    rows.append(
        ("Sets of design principles", str(principle_set_list(organisation=organisation).count()))
    )
    return Card(
        title="Operating model",
        href=reverse("operating_model:tom_home", kwargs={"org_slug": slug}),
        rows=tuple(rows),
        links=tuple(links),
        empty="" if versions else "No TOM yet: start the first version from the 12-part template.",
    )
