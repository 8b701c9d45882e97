"""The programme's card on the organisation's dashboard: programmes, actions by RAG, slipping."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.kit.dashboard import Card, count_row, register

from . import selectors

#: After the golden thread's card (40): the programme delivers what the thread sets out.
CARD_ORDER = 45
#: The card's row counting open actions that are late, as the RAG rules judge it.
SLIPPING_ROW = "Slipping: past due or forecast late"


@register(CARD_ORDER)
def programme_card(organisation: Organisation, membership: Membership) -> Card:
    counts = selectors.organisation_counts(organisation=organisation)
    slug = organisation.slug
    rows = [count_row("Programme", counts.programmes)]
    rows += [
        (selectors.rag_label(rag), f"{counts.by_rag[rag]:,}")
        for rag in selectors.RAG_ORDER
        if counts.by_rag.get(rag)
    ]
    rows.append((SLIPPING_ROW, f"{counts.slipping:,}"))
    return Card(
        title="Programme",
        href=reverse("programme:programme_list", kwargs={"org_slug": slug}),
        figure=f"{counts.actions:,}",
        figure_label="actions by current RAG",
        rows=tuple(rows),
        empty="" if counts.programmes else "Set up a programme, then add or import its actions.",
    )
