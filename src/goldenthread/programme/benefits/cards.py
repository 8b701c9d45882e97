"""The organisation dashboard's "Benefits" card: planned against realised £ this financial year."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.analysis.quarters import financial_year_label
from goldenthread.formats.money import pounds
from goldenthread.kit.dashboard import Card, register

from . import selectors


@register(55)
def benefits_card(organisation: Organisation, membership: Membership) -> Card:
    savings = selectors.cashable_savings(organisation=organisation)
    year = selectors.this_financial_year()
    label = financial_year_label(year)
    totals = savings.years.get(year, selectors.Totals())
    return Card(
        title="Benefits",
        href=reverse("programme:benefit_list", kwargs={"org_slug": organisation.slug}),
        figure=pounds(totals.realised),
        figure_label=f"realised in {label}",
        rows=(
            (f"Planned in {label}", pounds(totals.planned)),
            (f"Weighted by confidence in {label}", pounds(totals.weighted)),
        ),
        empty="" if savings.years else "Add the programme's benefits and their cashable £.",
    )
