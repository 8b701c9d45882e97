"""Build the demo: Brackenford Borough Council, a fictional English council.

Brackenford shares a workforce with its partner, Eastmere District Council
(as Havant and East Hampshire do), and runs a shared back-office service
with it (as Havering's oneSource does). Its directorates follow seed 000:
People, Place and Resources.

Running the builder again brings the demo back to the same state: it never
duplicates data. Each module adds its part of the demo here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from goldenthread.accounts import services as account_services
from goldenthread.accounts.models import Membership, Organisation, OrganisationKind, Role
from goldenthread.accounts.services import Actor
from goldenthread.core import selectors as core_selectors
from goldenthread.core import services as core_services
from goldenthread.core.models import UnitKind
from goldenthread.operating_model import services as tom_services
from goldenthread.operating_model.demo import demo_operating_model
from goldenthread.operating_model.models import (
    Component,
    ComponentLink,
    DeliveryKind,
    VersionStatus,
)
from goldenthread.performance import services as thread_services
from goldenthread.performance.demo import demo_golden_thread
from goldenthread.performance.models import ThreadItem, ThreadLink
from goldenthread.programme.benefits import demo as benefits_demo
from goldenthread.programme.models import Action, Benefit, Programme, Risk
from goldenthread.programme.plan import demo as plan_demo
from goldenthread.programme.rag import demo as rag_demo
from goldenthread.programme.risks import demo as risks_demo
from goldenthread.programme.updates import demo as updates_demo
from goldenthread.structure.demo import demo_structures

#: Golden-thread items and the adopted TOM's components (by template key) they deliver.
DEMO_LINKS = (
    (
        "One front door for every resident request",
        "channels",
        "Digital first, phone for those who need it",
    ),
    ("Resources: a digital contact centre", "channels", ""),
    ("More adults living independently at home", "services", "Reablement before long-term care"),
)

DEMO_SLUG = "brackenford"
PARTNER_SLUG = "eastmere"
DEMO_USERS = (
    ("demo-admin", "Alex Admin", "Head of Transformation", Role.ADMIN),
    ("demo-editor", "Eden Editor", "Organisation Design Lead", Role.EDITOR),
    ("demo-viewer", "Vic Viewer", "Councillor, Scrutiny Committee", Role.VIEWER),
)

#: (code, name, kind, parent code, description)
BRACKENFORD_UNITS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "PEO",
        "People",
        UnitKind.DIRECTORATE,
        "",
        "Adult social care, children's services, education and public health.",
    ),
    (
        "PEO-ASC",
        "Adult Social Care",
        UnitKind.SERVICE,
        "PEO",
        "Assessment, reablement and commissioned care for adults.",
    ),
    ("PEO-ASC-FD", "Front Door and Reablement", UnitKind.TEAM, "PEO-ASC", ""),
    ("PEO-ASC-LD", "Learning Disabilities", UnitKind.TEAM, "PEO-ASC", ""),
    (
        "PEO-CS",
        "Children's Services",
        UnitKind.SERVICE,
        "PEO",
        "Early help, social work and children in care.",
    ),
    ("PEO-CS-EH", "Early Help", UnitKind.TEAM, "PEO-CS", ""),
    ("PEO-CS-SW", "Children's Social Work", UnitKind.TEAM, "PEO-CS", ""),
    ("PEO-PH", "Public Health", UnitKind.SERVICE, "PEO", ""),
    ("PLA", "Place", UnitKind.DIRECTORATE, "", "Planning, housing, environment and regeneration."),
    ("PLA-PLN", "Planning and Building Control", UnitKind.SERVICE, "PLA", ""),
    (
        "PLA-HOU",
        "Housing",
        UnitKind.SERVICE,
        "PLA",
        "Homelessness prevention, allocations and housing standards.",
    ),
    ("PLA-ENV", "Environment and Waste", UnitKind.SERVICE, "PLA", ""),
    ("PLA-REG", "Regeneration", UnitKind.SERVICE, "PLA", ""),
    (
        "RES",
        "Resources",
        UnitKind.DIRECTORATE,
        "",
        "Finance, customer services, law and governance, transformation.",
    ),
    (
        "RES-FIN",
        "Finance",
        UnitKind.SERVICE,
        "RES",
        "The S151 officer's team: budgets, MTFS and treasury.",
    ),
    (
        "RES-CUS",
        "Customer Services",
        UnitKind.SERVICE,
        "RES",
        "Contact centre, digital channels and face-to-face help.",
    ),
    ("RES-LEG", "Law and Governance", UnitKind.SERVICE, "RES", ""),
    (
        "RES-TRF",
        "Transformation and Performance",
        UnitKind.SERVICE,
        "RES",
        "The programme office and performance team.",
    ),
    (
        "SHS",
        "Brackenford and Eastmere Shared Services",
        UnitKind.SHARED_SERVICE,
        "",
        "HR, ICT, payroll and procurement shared with Eastmere.",
    ),
    ("SHS-HR", "HR and Organisational Development", UnitKind.TEAM, "SHS", ""),
    ("SHS-ICT", "ICT and Digital", UnitKind.TEAM, "SHS", ""),
    ("SHS-PAY", "Payroll and Pensions", UnitKind.TEAM, "SHS", ""),
)

EASTMERE_UNITS: tuple[tuple[str, str, str, str, str], ...] = (
    ("COM", "Communities", UnitKind.DIRECTORATE, "", ""),
    ("ENV", "Environment", UnitKind.DIRECTORATE, "", ""),
    ("COR", "Corporate Services", UnitKind.DIRECTORATE, "", ""),
)


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
    password: str
    created: bool


def _organisation(
    slug: str, name: str, kind: str, ons_code: str, description: str, by: Actor
) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    return (
        account_services.organisation_create(
            name=name, slug=slug, kind=kind, ons_code=ons_code, description=description, by=by
        ),
        True,
    )


def _units(
    organisation: Organisation,
    rows: tuple[tuple[str, str, str, str, str], ...],
    by: Actor,
) -> None:
    """Add the units the demo names that are missing; units already there are left as they are."""
    taken = core_selectors.unit_codes(organisation=organisation)
    core_services.unit_bulk_upsert(
        organisation=organisation,
        rows=[
            {
                "code": code,
                "name": name,
                "kind": kind,
                "parent_code": parent_code,
                "description": description,
            }
            for code, name, kind, parent_code, description in rows
            if code.lower() not in taken
        ],
        by=by,
    )


@transaction.atomic
def demo_load(*, password: str | None = None) -> DemoResult:
    """Create (or bring back) the demo organisations, units and users."""
    password = password or secrets.token_urlsafe(12)
    # The demo's admin builds it, so the audit trail names a person for every change.
    User = get_user_model()
    users = {}
    for username, full_name, _, _ in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_create(
                username=username, password=password, full_name=full_name
            )
        else:
            account_services.user_set_password(user=user, password=password, by=user)
        users[username] = user
    admin = users["demo-admin"]
    organisation, created = _organisation(
        DEMO_SLUG,
        "Brackenford Borough Council",
        OrganisationKind.COUNCIL,
        "",
        "A fictional English borough council in a partnership with Eastmere District Council, "
        "sharing one workforce and a back-office shared service.",
        admin,
    )
    partner, _ = _organisation(
        PARTNER_SLUG,
        "Eastmere District Council",
        OrganisationKind.COUNCIL,
        "",
        "Brackenford's fictional partner council.",
        admin,
    )
    _units(organisation, BRACKENFORD_UNITS, admin)
    _units(partner, EASTMERE_UNITS, admin)
    for username, _, job_title, role in DEMO_USERS:
        user = users[username]
        if not Membership.objects.filter(organisation=organisation, user=user).exists():
            account_services.membership_create(
                organisation=organisation, user=user, role=role, job_title=job_title, by=admin
            )
    # The admin works for both partners, so the organisation switcher has a use.
    if not Membership.objects.filter(organisation=partner, user=admin).exists():
        account_services.membership_create(
            organisation=partner,
            user=admin,
            role=Role.ADMIN,
            job_title="Joint Head of Transformation",
            by=admin,
        )
    demo_operating_model(organisation, by=admin)
    demo_golden_thread(organisation, by=admin)
    _demo_links(organisation, by=admin)
    demo_structures(organisation, by=admin)
    _demo_programme(organisation, by=admin)
    return DemoResult(organisation=organisation, password=password, created=created)


def _demo_programme(organisation: Organisation, *, by: Actor) -> None:
    """The transformation programme: its plan, a year of RAG, benefits, risks, two updates."""
    today = timezone.localdate()
    programme = plan_demo.load(organisation=organisation, by=by, today=today)
    for part in (rag_demo, benefits_demo, risks_demo, updates_demo):
        part.load(organisation=organisation, programme=programme, by=by, today=today)
    _demo_programme_links(organisation, programme, by=by)


#: The TOM component each of the plan's target areas is about (seed 001's table).
AREA_COMPONENTS = {
    "strategy and vision": "strategy_vision",
    "design principles": "design_principles",
    "business architecture blueprint": "business_architecture",
    "customers": "customers",
    "channels": "channels",
    "services": "services",
    "locations": "locations",
    "critical processes": "critical_processes",
    "people and organisation": "people_organisation",
    "technology and data": "technology_data",
    "performance and reward": "performance_metrics",
    "governance": "governance",
}


def _demo_programme_links(organisation: Organisation, programme: Programme, *, by: Actor) -> None:
    """Trace the programme to the TOM and the golden thread (once).

    Each action delivers the component of its target area; a benefit or a risk
    serves the objectives of the first action it comes from or treats, and
    delivers that action's component. Every fifth benefit and risk is left
    untraced, so the orphans page has some.
    """
    if ComponentLink.objects.filter(organisation=organisation, kind=DeliveryKind.ACTION).exists():
        return
    components = {
        component.key: component
        for component in Component.objects.filter(
            organisation=organisation, version__status=VersionStatus.ADOPTED
        )
    }
    action_type = ContentType.objects.get_for_model(Action)
    objectives: dict[int, list[ThreadItem]] = {}
    for link in ThreadLink.objects.filter(
        organisation=organisation, content_type=action_type
    ).select_related("item"):
        objectives.setdefault(link.object_id, []).append(link.item)

    def component_of(action: Action) -> Component | None:
        return components.get(AREA_COMPONENTS.get(action.target_area.strip().lower(), ""))

    actions = list(programme.actions.order_by("position", "reference"))
    for action in actions:
        component = component_of(action)
        if component is not None:
            tom_services.component_link_create(
                component=component, kind=DeliveryKind.ACTION, target=action, by=by
            )
    traced: list[tuple[str, Benefit | Risk, Action | None]] = [
        (DeliveryKind.BENEFIT, benefit, benefit.actions.order_by("position").first())
        for benefit in Benefit.objects.filter(organisation=organisation).order_by("reference")
    ] + [
        (DeliveryKind.RISK, risk, risk.actions.order_by("position").first())
        for risk in Risk.objects.filter(organisation=organisation).order_by("reference")
    ]
    for n, (kind, record, source) in enumerate(traced):
        if source is None or n % 5 == 4:
            continue
        for item in objectives.get(source.pk, [])[:1]:
            thread_services.thread_link_create(item=item, target=record, by=by)
        component = component_of(source)
        if component is not None:
            tom_services.component_link_create(component=component, kind=kind, target=record, by=by)


def _demo_links(organisation: Organisation, *, by: Actor) -> None:
    """Link a few objectives to the components of the adopted TOM they deliver (once)."""
    if ComponentLink.objects.filter(organisation=organisation).exists():
        return
    for title, key, note in DEMO_LINKS:
        item = ThreadItem.objects.filter(organisation=organisation, title=title).first()
        component = Component.objects.filter(
            organisation=organisation, key=key, version__status=VersionStatus.ADOPTED
        ).first()
        if item is not None and component is not None:
            tom_services.component_link_create(
                by=by, component=component, kind="objective", target=item, note=note
            )
