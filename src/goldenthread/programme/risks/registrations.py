"""What the risk register adds to the kit's registries (called from ``AppConfig.ready()``).

* risks are linkable: each can say which TOM components it delivers and
  which objectives it threatens;
* the risk picker;
* the orphans page's section of open risks that threaten no objective;
* the heat map and the overdue reviews on a programme's page, and the risks
  linked to an action on the action's page;
* the dashboard card and the two importers register themselves on import.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import query_id
from goldenthread.kit import links, orphans, panels, pickers
from goldenthread.kit.lists import capped
from goldenthread.operating_model.models import DeliveryKind
from goldenthread.programme.models import Action, Programme, Risk

from . import cards, importing, presenters, selectors  # noqa: F401  (cards and importers register)
from .rules import risk_rules

RISK = "risk"
#: How many overdue reviews the programme's page lists before it links to the register.
OVERDUE_SHOWN = 10


def risk_url(organisation: Organisation, risk: Risk) -> str:
    return reverse(
        "programme:risk_detail", kwargs={"org_slug": organisation.slug, "risk_id": risk.pk}
    )


def _register_url(organisation: Organisation) -> str:
    return reverse("programme:risk_list", kwargs={"org_slug": organisation.slug})


RISK_KIND = links.LinkableKind(
    key=RISK,
    label="risk",
    model=Risk,
    queryset=lambda organisation: selectors.risk_list(organisation=organisation),
    url=risk_url,
    delivery_kind=DeliveryKind.RISK,
    title=lambda risk: f"{risk.reference}: {risk.title}",
    detail=lambda risk: risk.get_status_display(),
)


# The risk picker ---------------------------------------------------------------------


def _option(risk: Risk) -> pickers.Option:
    return pickers.Option(str(risk.pk), f"{risk.reference}: {risk.title}", risk)


def _options(
    organisation: Organisation, scope: str, query: str, limit: int | None
) -> list[pickers.Option]:
    found = selectors.risk_list(organisation=organisation).order_by("reference")
    for word in query.split():
        found = found.filter(Q(reference__icontains=word) | Q(title__icontains=word))
    return [_option(risk) for risk in (found[:limit] if limit else found)]


def _find(organisation: Organisation, scope: str, value: str) -> pickers.Option | None:
    found = selectors.risk_list(organisation=organisation)
    risk = found.filter(reference__iexact=value.strip()).first()
    pk = query_id(value)
    if risk is None and pk is not None:
        risk = found.filter(pk=pk).first()
    return _option(risk) if risk is not None else None


RISK_PICKER = pickers.PickerSource(
    key="risks",
    noun="a risk",
    options=_options,
    find=_find,
    count=lambda organisation, scope: selectors.risk_list(organisation=organisation).count(),
    hint="enter the risk's reference, or choose it from the list",
)


# The orphans page --------------------------------------------------------------------


def untraced_risks(organisation: Organisation) -> orphans.OrphanSection | None:
    rows = tuple(
        orphans.OrphanRow(str(risk), risk_url(organisation, risk), risk.owner)
        for risk in selectors.risk_untraced(organisation=organisation)
    )
    return orphans.OrphanSection(
        title="Open risks that threaten no objective",
        rows=rows,
        empty="None: every open risk is linked to an objective of the golden thread.",
        headings=("Risk", "Owner"),
    )


# Panels --------------------------------------------------------------------------------


def programme_risks_panel(organisation: Organisation, programme: Programme) -> panels.Panel:
    """The programme's heat map of open risks and its overdue reviews."""
    rules = risk_rules(organisation=organisation)
    register_url = _register_url(organisation)
    grid = presenters.heat_map_grid(
        selectors.heat_map(organisation=organisation, programme=programme),
        rules,
        register_url=register_url,
        toggle_url="",
        programme=programme,
    )
    overdue = capped(
        selectors.risks_overdue(organisation=organisation, programme=programme),
        limit=OVERDUE_SHOWN,
    )
    return panels.Panel(
        "programme/risks/_programme_panel.html",
        {
            "heat_map": grid,
            "overdue": overdue,
            "programme": programme,
            "register_url": register_url,
            "programme_url": f"{register_url}?programme={programme.pk}",
            "overdue_url": f"{register_url}?programme={programme.pk}&overdue=yes&status=open",
        },
    )


def action_risks_panel(organisation: Organisation, action: Action) -> panels.Panel:
    """The risks linked to an action."""
    return panels.Panel(
        "programme/risks/_action_panel.html",
        {
            "risks": capped(selectors.risks_of_action(organisation=organisation, action=action)),
            "action": action,
        },
    )


def register() -> None:
    links.LINKABLE.add(RISK_KIND.key, RISK_KIND, order=60)
    pickers.PICKERS.add(RISK_PICKER.key, RISK_PICKER)
    orphans.ORPHANS.add("programme.untraced-risks", untraced_risks, order=60)
    panels.slot(panels.PAGE_PANELS, "programme-page").add(
        "programme.risks", programme_risks_panel, order=60
    )
    panels.slot(panels.PAGE_PANELS, "programme-action").add(
        "programme.action-risks", action_risks_panel, order=60
    )


__all__: list[Any] = ["RISK_KIND", "RISK_PICKER", "register", "risk_url"]
