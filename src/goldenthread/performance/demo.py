"""The demo council's golden thread, from its vision down to individual objectives.

Running it again changes nothing.
"""

from __future__ import annotations

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.core.models import Unit

from . import services
from .models import Level, Perspective, ThreadItem

#: (key, level, parent key, title, unit code, perspective, post, owner, measures)
THREAD: tuple[tuple[str, str, str, str, str, str, str, str, str], ...] = (
    ("vision", Level.VISION, "", "A borough where everyone can thrive", "", "", "", "Leader", ""),
    (
        "p-customer",
        Level.PRIORITY,
        "vision",
        "Better customer service and resident engagement",
        "",
        "",
        "",
        "Cabinet Member for Customers",
        "",
    ),
    (
        "p-digital",
        Level.PRIORITY,
        "vision",
        "Digital capability",
        "",
        "",
        "",
        "Cabinet Member for Resources",
        "",
    ),
    (
        "p-finance",
        Level.PRIORITY,
        "vision",
        "Financial stability",
        "",
        "",
        "",
        "Cabinet Member for Finance",
        "",
    ),
    (
        "o-one-door",
        Level.OBJECTIVE,
        "p-customer",
        "One front door for every resident request",
        "",
        "",
        "",
        "Director of Resources",
        "80% of requests resolved at first contact\nComplaints down by a quarter",
    ),
    (
        "o-independence",
        Level.OBJECTIVE,
        "p-customer",
        "More adults living independently at home",
        "",
        "",
        "",
        "Director of People",
        "Reablement: 85% at home 91 days after discharge",
    ),
    (
        "o-balanced",
        Level.OBJECTIVE,
        "p-finance",
        "A balanced budget without drawing on reserves by 2027/28",
        "",
        "",
        "",
        "Director of Resources (S151)",
        "Gap after transformation closed\nReserves above the minimum balance",
    ),
    (
        "sp-res",
        Level.SERVICE_PLAN,
        "o-one-door",
        "Resources: a digital contact centre",
        "RES",
        Perspective.CUSTOMER,
        "",
        "Director of Resources",
        "Online share of contacts above 60%",
    ),
    (
        "sp-res-fin",
        Level.SERVICE_PLAN,
        "o-balanced",
        "Resources: savings delivered as planned",
        "RES",
        Perspective.FINANCIAL,
        "",
        "Director of Resources",
        "90% of planned savings delivered",
    ),
    (
        "sp-peo",
        Level.SERVICE_PLAN,
        "o-independence",
        "People: reablement first",
        "PEO",
        Perspective.INTERNAL_PROCESS,
        "",
        "Director of People",
        "Every new referral offered reablement",
    ),
    (
        "sp-pla",
        Level.SERVICE_PLAN,
        "o-balanced",
        "Place: skills for a digital workforce",
        "PLA",
        Perspective.LEARNING_GROWTH,
        "",
        "Director of Place",
        "Every manager trained in data skills",
    ),
    (
        "t-cus",
        Level.TEAM_OBJECTIVE,
        "sp-res",
        "Customer Services: resolve at first contact",
        "RES-CUS",
        "",
        "",
        "Head of Customer Services",
        "First-contact resolution reported monthly",
    ),
    (
        "t-fd",
        Level.TEAM_OBJECTIVE,
        "sp-peo",
        "Front Door: a reablement offer within two days",
        "PEO-ASC-FD",
        "",
        "",
        "Team Manager, Front Door",
        "",
    ),
    (
        "i-cus-lead",
        Level.INDIVIDUAL_OBJECTIVE,
        "t-cus",
        "Launch the resident account",
        "RES-CUS",
        "",
        "RES6",
        "",
        "Resident account live by September",
    ),
    (
        "i-fd-ot",
        Level.INDIVIDUAL_OBJECTIVE,
        "t-fd",
        "Assess every new referral within two working days",
        "PEO-ASC-FD",
        "",
        "PEO3",
        "",
        "",
    ),
    (
        "t-orphan",
        Level.TEAM_OBJECTIVE,
        "",
        "Planning: clear the backlog of householder applications",
        "PLA-PLN",
        "",
        "",
        "Head of Planning",
        "Backlog under 100 cases",
    ),
)


def _thread(organisation: Organisation, by: Actor) -> None:
    if ThreadItem.objects.filter(organisation=organisation).exists():
        return
    units = {unit.code: unit for unit in Unit.objects.filter(organisation=organisation)}
    made: dict[str, ThreadItem] = {}
    for key, level, parent, title, unit, perspective, post, owner, measures in THREAD:
        made[key] = services.thread_item_create(
            by=by,
            organisation=organisation,
            level=level,
            title=title,
            parent=made.get(parent),
            unit=units.get(unit),
            perspective=perspective,
            post_reference=post,
            owner=owner,
            measures=measures,
        )


def demo_golden_thread(organisation: Organisation, *, by: Actor = None) -> None:
    """Give the demo council its golden thread (idempotent)."""
    _thread(organisation, by)
