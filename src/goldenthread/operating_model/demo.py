"""The demo council's operating model.

Brackenford has an adopted TOM (version 1, approved by its Executive), a draft
revision (version 2) with visible changes against it, and a set of design
principles with key considerations. The golden thread has its own demo
module. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor

from . import services
from .models import Component, PrincipleSet, TomVersion

#: Statements, change level and owner of each component of version 1, by template key.
VERSION_ONE: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "strategy_vision": (
        "medium",
        "Chief Executive",
        "A corporate plan with themes but few measurable targets.",
        (
            "Our vision is set by members and every plan traces back to it.",
            "Our objectives describe the difference we make to people's lives.",
            "Our resources follow our priorities, based on data and evidence.",
        ),
    ),
    "design_principles": (
        "low",
        "Head of Transformation",
        "",
        ("Every proposal for change is tested against our six design principles.",),
    ),
    "business_architecture": (
        "high",
        "Director of Resources",
        "Services organised around professional silos.",
        (
            "We work as a platform that draws together the networks of provision in the borough.",
            "Our support services serve both partner councils.",
        ),
    ),
    "customers": (
        "high",
        "Head of Customer Services",
        "Customers contact several services separately and repeat their story.",
        (
            "There is one doorway to all our services, with a personal account.",
            "Customers tell their story once.",
            "Customers help design our services.",
        ),
    ),
    "channels": (
        "medium",
        "Head of Customer Services",
        "Most contact is by telephone.",
        (
            "Online is our preferred channel for those able to use it.",
            "Telephone and face-to-face help stay for those who need them.",
        ),
    ),
    "services": (
        "medium",
        "Director of People",
        "",
        ("Services meet community objectives and statutory duties, co-designed with users.",),
    ),
    "locations": (
        "low",
        "Head of Property",
        "Three office buildings, one under-used.",
        (
            "We work from places that best support customer access and our ways of working.",
            "We share buildings with public sector partners where we can.",
        ),
    ),
    "critical_processes": (
        "medium",
        "Director of Resources",
        "",
        ("High-volume processes are mapped and optimised for consistency.",),
    ),
    "people_organisation": (
        "high",
        "Head of HR and Organisational Development",
        "Spans and layers vary widely between directorates.",
        (
            "Our structure has consistent layers and spans of control.",
            "One flexible workforce serves the priorities of both councils.",
            "We grow our own talent before recruiting from outside.",
        ),
    ),
    "technology_data": (
        "high",
        "Head of ICT and Digital",
        "Many specialist systems that do not share data.",
        (
            "Common systems by default, specialist systems by exception.",
            "We use data to understand, predict and change demand.",
        ),
    ),
    "performance_metrics": (
        "medium",
        "Head of Transformation and Performance",
        "Performance reported by directorate, with no link to individual objectives.",
        (
            "Performance is managed at organisation, directorate, team and individual level.",
            "Balanced scorecards link each service plan to the corporate plan.",
        ),
    ),
    "governance": (
        "low",
        "Monitoring Officer",
        "",
        (
            "Decisions are evidence-based, open and taken at the right level.",
            "We have clear schemes of delegation.",
        ),
    ),
}


def _principles(organisation: Organisation, by: Actor) -> PrincipleSet:
    existing = PrincipleSet.objects.filter(
        organisation=organisation, source="six-principles"
    ).first()
    if existing is not None:
        return existing
    return services.principle_set_create_from_template(
        by=by, organisation=organisation, key="six-principles"
    )


def _versions(organisation: Organisation, principle_set: PrincipleSet, by: Actor) -> None:
    if TomVersion.objects.filter(organisation=organisation).exists():
        return
    first = services.version_create(
        by=by,
        organisation=organisation,
        title="Brackenford Target Operating Model 2025–2028",
        summary="The first TOM, consulted on with staff, trade unions and members.",
        principle_set=principle_set,
    )
    for component in first.components.all():
        level, owner, as_is, statements = VERSION_ONE[component.key]
        services.component_update(
            by=by,
            component=component,
            name=component.name,
            purpose=component.purpose,
            as_is=as_is,
            change_level=level,
            owner=owner,
        )
        for text in statements:
            services.statement_create(by=by, component=component, text=text)
    services.version_consult(by=by, version=first)
    services.version_adopt(
        by=by,
        version=first,
        approved_by="Executive",
        approved_on=date(2025, 3, 12),
        decision_reference="Executive, 12 March 2025, minute 47",
    )

    second = services.version_create(
        by=by,
        organisation=organisation,
        title="Brackenford Target Operating Model: 2026 refresh",
        summary="Minor amendments under the delegation to the Chief Executive: a clearer "
        "customer promise, a new component for partnership working.",
    )
    by_key = {c.key: c for c in Component.objects.filter(version=second)}
    customers = by_key["customers"]
    tell_once = customers.statements.get(text="Customers tell their story once.")
    services.statement_update(
        by=by,
        statement=tell_once,
        text="Customers tell their story only once, whichever channel they use.",
    )
    services.statement_create(
        by=by, component=customers, text="Customers can track every request online."
    )
    channels = by_key["channels"]
    services.component_update(
        by=by,
        component=channels,
        name="Channels and access",
        purpose=channels.purpose,
        as_is=channels.as_is,
        change_level="high",
        owner=channels.owner,
    )
    locations = by_key["locations"]
    services.statement_delete(
        by=by,
        statement=locations.statements.get(
            text="We share buildings with public sector partners where we can."
        ),
    )
    partnership = services.component_create(
        by=by,
        version=second,
        name="Partnership working",
        purpose="How Brackenford and Eastmere share a workforce and services.",
        change_level="medium",
        owner="Joint Chief Executive",
    )
    services.statement_create(
        by=by, component=partnership, text="Every change delivers benefits for both councils."
    )


def demo_operating_model(organisation: Organisation, *, by: Actor = None) -> None:
    """Give the demo council its TOM versions and design principles (idempotent)."""
    principle_set = _principles(organisation, by)
    _versions(organisation, principle_set, by)
