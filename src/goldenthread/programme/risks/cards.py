"""The risk register's card on the organisation's dashboard: open risks and overdue reviews."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.kit.dashboard import Card, register

from .selectors import risk_counts

CARD_TITLE = "Risks: {open:,} open, {overdue:,} review{plural} overdue"


@register(55)
def risks_card(organisation: Organisation, membership: Membership) -> Card | None:
    counts = risk_counts(organisation=organisation)  # one aggregate query
    if not counts["total"]:
        return None
    register_url = reverse("programme:risk_list", kwargs={"org_slug": organisation.slug})
    overdue = counts["overdue"]
    return Card(
        title=CARD_TITLE.format(
            open=counts["open"], overdue=overdue, plural="" if overdue == 1 else "s"
        ),
        href=register_url,
        figure=f"{counts['open']:,}",
        figure_label="open risks",
        rows=(("Reviews overdue", f"{overdue:,}"),),
        links=(("See the overdue reviews", f"{register_url}?overdue=yes"),) if overdue else (),
    )
