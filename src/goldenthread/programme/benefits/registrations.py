"""What the benefits register adds to the kit's registries (called from ``AppConfig.ready()``).

* benefits are linkable: each can say which objective it serves and which TOM
  components it delivers;
* the orphans page's section of benefits that serve no objective;
* the programme page's panel (realised against planned £, by year and type)
  and an action page's panel (the benefits that come from it);
* the importers of benefits and of their cashable profiles, and the
  dashboard card (both register themselves when imported).
"""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.quarters import financial_year_label
from goldenthread.kit import links, orphans, panels
from goldenthread.kit.lists import LIST_LIMIT, Capped
from goldenthread.operating_model.models import DeliveryKind
from goldenthread.programme.models import Action, Benefit, Programme
from goldenthread.programme.preferences import programme_settings

from . import selectors

BENEFIT = "benefit"


def benefit_url(organisation: Organisation, benefit: Benefit) -> str:
    return reverse(
        "programme:benefit_detail", kwargs={"org_slug": organisation.slug, "benefit_id": benefit.pk}
    )


BENEFIT_KIND = links.LinkableKind(
    key=BENEFIT,
    label="benefit",
    model=Benefit,
    queryset=lambda organisation: selectors.benefit_list(organisation=organisation),
    url=benefit_url,
    delivery_kind=DeliveryKind.BENEFIT,
    title=lambda benefit: f"{benefit.reference}: {benefit.title}",
    detail=lambda benefit: benefit.get_status_display(),
)


def untraced_benefits(organisation: Organisation) -> orphans.OrphanSection:
    rows = tuple(
        orphans.OrphanRow(str(benefit), benefit_url(organisation, benefit), benefit.type)
        for benefit in selectors.benefit_untraced(organisation=organisation)
    )
    return orphans.OrphanSection(
        title="Benefits that serve no objective",
        rows=rows,
        empty="None: every benefit serves an objective of the golden thread.",
        headings=("Benefit", "Type"),
    )


def programme_panel(organisation: Organisation, programme: Programme) -> panels.Panel:
    """Benefits realised against planned £: in total, each financial year, and by type."""
    settings = programme_settings(organisation=organisation)
    savings = selectors.cashable_savings(
        organisation=organisation, programme=programme, settings=settings
    )
    this_year = selectors.this_financial_year()
    return panels.Panel(
        "programme/benefits/_programme_panel.html",
        {
            "savings": savings,
            "years": [
                (financial_year_label(year), year == this_year, totals)
                for year, totals in sorted(savings.years.items())
            ],
            "this_year": savings.years.get(this_year),
            "this_year_label": financial_year_label(this_year),
            "types": sorted(savings.by_type.items()),
            "benefits_url": reverse(
                "programme:benefit_list", kwargs={"org_slug": organisation.slug}
            )
            + f"?programme={programme.pk}",
        },
    )


def action_panel(organisation: Organisation, action: Action) -> panels.Panel:
    """The benefits that come from an action: one query, and a count only when there are more."""
    found = selectors.benefits_of_action(action=action)
    first = list(found[: LIST_LIMIT + 1])
    total = len(first) if len(first) <= LIST_LIMIT else found.count()
    return panels.Panel(
        "programme/benefits/_action_panel.html",
        {"benefits": Capped(first[:LIST_LIMIT], total)},
    )


def register() -> None:
    # The importers and the card register themselves when their modules are imported.
    from . import cards, importing  # noqa: F401

    links.LINKABLE.add(BENEFIT, BENEFIT_KIND, order=30)
    orphans.ORPHANS.add("programme.untraced-benefits", untraced_benefits, order=50)
    panels.slot(panels.PAGE_PANELS, "programme-page").add("benefits", programme_panel, order=30)
    panels.slot(panels.PAGE_PANELS, "programme-action").add("benefits", action_panel, order=30)
