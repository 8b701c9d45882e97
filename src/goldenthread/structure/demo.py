"""The demo council's structures: as implemented, as-is, and a proposal.

Brackenford's senior roles per directorate follow the pattern of seed 000's
table (People 10, Place 9, Resources 13, the shared service 9). The proposal
is a scenario made from the as-is by recorded changes, in two waves: two
roles added in People, one Place role removed and another added, two
Resources roles not replaced, then HR and payroll returning from the shared
service, each team moved as a block.

Posts below the senior roles are generated with a seeded random generator, so
every load gives the same structure.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from goldenthread.accounts.models import Membership, Organisation, Role
from goldenthread.accounts.services import Actor
from goldenthread.formats.posts import PostTable, build_structure

from . import selectors, services
from .models import Snapshot, SnapshotKind, SnapshotStatus

SEED = 2023
IMPLEMENTED = "Structure as implemented, April 2023"
AS_IS = "As-is structure, March 2024"
PROPOSED = "Proposed structure, 2025"
APPROVED = "Transformation team review, 2024"
#: The decision that approved the transformation team review.
APPROVAL: dict[str, Any] = {
    "decided_by": "Councillor Priya Shah, Cabinet Member for Resources",
    "body": "Portfolio Holder delegated decision",
    "decided_on": datetime.date(2024, 9, 12),
    "minute_reference": "PHD/2024/17",
}
#: The one-off cost of a redundancy by grade band; the grades below Grade 8
#: have none, and cost the organisation's flat amount (seed 001's £30,000).
REDUNDANCY_BANDS = {
    "Director": Decimal("62000.00"),
    "AD": Decimal("54000.00"),
    "HoS": Decimal("46000.00"),
    "M2": Decimal("38000.00"),
    "M1": Decimal("34000.00"),
    "Grade 8": Decimal("26000.00"),
}

PEOPLE, PLACE, RESOURCES, SHARED = (
    "People",
    "Place",
    "Resources",
    "Brackenford and Eastmere Shared Services",
)

#: (post ID, title, grade, unit path, reports to, heads a unit with staff)
SENIOR: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("CX1", "Chief Executive", "CEX", "", "", False),
    ("PEO1", "Strategic Director of People", "Director", PEOPLE, "CX1", False),
    (
        "PEO2",
        "Assistant Director Adult Social Care",
        "AD",
        f"{PEOPLE} / Adult Social Care",
        "PEO1",
        False,
    ),
    (
        "PEO3",
        "Head of Front Door and Reablement",
        "HoS",
        f"{PEOPLE} / Adult Social Care / Front Door and Reablement",
        "PEO2",
        True,
    ),
    (
        "PEO4",
        "Head of Learning Disabilities",
        "HoS",
        f"{PEOPLE} / Adult Social Care / Learning Disabilities",
        "PEO2",
        True,
    ),
    (
        "PEO5",
        "Assistant Director Children's Services",
        "AD",
        f"{PEOPLE} / Children's Services",
        "PEO1",
        False,
    ),
    (
        "PEO6",
        "Head of Early Help",
        "HoS",
        f"{PEOPLE} / Children's Services / Early Help",
        "PEO5",
        True,
    ),
    (
        "PEO7",
        "Head of Children's Social Work",
        "HoS",
        f"{PEOPLE} / Children's Services / Children's Social Work",
        "PEO5",
        True,
    ),
    ("PEO8", "Director of Public Health", "Director", f"{PEOPLE} / Public Health", "PEO1", True),
    ("PEO9", "Assistant Director Education", "AD", PEOPLE, "PEO1", True),
    ("PEO10", "Assistant Director Commissioning", "AD", PEOPLE, "PEO1", True),
    ("PLA1", "Strategic Director of Place", "Director", PLACE, "CX1", False),
    (
        "PLA2",
        "Assistant Director Planning and Building Control",
        "AD",
        f"{PLACE} / Planning and Building Control",
        "PLA1",
        True,
    ),
    (
        "PLA3",
        "Head of Building Control",
        "HoS",
        f"{PLACE} / Planning and Building Control",
        "PLA2",
        True,
    ),
    ("PLA4", "Assistant Director Housing", "AD", f"{PLACE} / Housing", "PLA1", True),
    ("PLA5", "Head of Housing Standards", "HoS", f"{PLACE} / Housing", "PLA4", True),
    (
        "PLA6",
        "Assistant Director Environment",
        "AD",
        f"{PLACE} / Environment and Waste",
        "PLA1",
        True,
    ),
    (
        "PLA7",
        "Head of Waste and Street Cleansing",
        "HoS",
        f"{PLACE} / Environment and Waste",
        "PLA6",
        True,
    ),
    ("PLA8", "Assistant Director Regeneration", "AD", f"{PLACE} / Regeneration", "PLA1", True),
    ("PLA9", "Head of Economic Development", "HoS", f"{PLACE} / Regeneration", "PLA8", True),
    ("RES1", "Strategic Director of Resources", "Director", RESOURCES, "CX1", False),
    ("RES2", "Director of Finance", "Director", f"{RESOURCES} / Finance", "RES1", True),
    (
        "RES3",
        "Assistant Director Finance, People and Place",
        "AD",
        f"{RESOURCES} / Finance",
        "RES2",
        True,
    ),
    ("RES4", "Head of Finance Resources", "HoS", f"{RESOURCES} / Finance", "RES2", True),
    (
        "RES5",
        "Director of Customer Services",
        "Director",
        f"{RESOURCES} / Customer Services",
        "RES1",
        False,
    ),
    (
        "RES6",
        "Assistant Director Customer Services",
        "AD",
        f"{RESOURCES} / Customer Services",
        "RES5",
        True,
    ),
    (
        "RES7",
        "Assistant Director Bereavement and Registration",
        "AD",
        f"{RESOURCES} / Customer Services",
        "RES5",
        True,
    ),
    (
        "RES8",
        "Director of Law and Governance",
        "Director",
        f"{RESOURCES} / Law and Governance",
        "RES1",
        True,
    ),
    (
        "RES9",
        "Head of Democratic Services",
        "HoS",
        f"{RESOURCES} / Law and Governance",
        "RES8",
        True,
    ),
    (
        "RES10",
        "Assistant Director Transformation",
        "AD",
        f"{RESOURCES} / Transformation and Performance",
        "RES1",
        True,
    ),
    (
        "RES11",
        "Assistant Director Innovation",
        "AD",
        f"{RESOURCES} / Transformation and Performance",
        "RES10",
        False,
    ),
    (
        "RES12",
        "Head of Performance and Insight",
        "HoS",
        f"{RESOURCES} / Transformation and Performance",
        "RES10",
        True,
    ),
    (
        "RES13",
        "Assistant Director Insight, Policy and Strategy",
        "AD",
        f"{RESOURCES} / Transformation and Performance",
        "RES10",
        False,
    ),
    ("SHS1", "Director of Shared Services", "Director", SHARED, "CX1", False),
    (
        "SHS2",
        "Director of HR and Organisational Development",
        "Director",
        f"{SHARED} / HR and Organisational Development",
        "SHS1",
        True,
    ),
    (
        "SHS3",
        "Head of Workforce Development",
        "HoS",
        f"{SHARED} / HR and Organisational Development",
        "SHS2",
        True,
    ),
    (
        "SHS4",
        "Director of ICT and Digital",
        "Director",
        f"{SHARED} / ICT and Digital",
        "SHS1",
        False,
    ),
    ("SHS5", "Head of ICT Operations", "HoS", f"{SHARED} / ICT and Digital", "SHS4", True),
    ("SHS6", "Head of Digital Services", "HoS", f"{SHARED} / ICT and Digital", "SHS4", True),
    ("SHS7", "Head of ICT Stabilisation", "HoS", f"{SHARED} / ICT and Digital", "SHS4", True),
    (
        "SHS8",
        "Head of Payroll and Pensions",
        "HoS",
        f"{SHARED} / Payroll and Pensions",
        "SHS1",
        True,
    ),
    (
        "SHS9",
        "Deputy Director of Exchequer and Transactional Services",
        "Director",
        SHARED,
        "SHS1",
        True,
    ),
)

#: Annual pay (low, high) in pounds by grade.
PAY = {
    "CEX": (187_500, 187_500),
    "Director": (125_000, 145_000),
    "AD": (95_000, 112_000),
    "HoS": (74_000, 89_000),
    "M2": (52_000, 62_000),
    "M1": (44_000, 50_000),
    "Grade 8": (36_000, 41_000),
    "Grade 6": (29_000, 34_000),
    "Grade 4": (23_500, 27_000),
}
STAFF_TITLES = {
    "Adult Social Care": ("Social Worker", "Occupational Therapist", "Reablement Officer"),
    "Children's Services": ("Social Worker", "Family Support Worker", "Early Help Practitioner"),
    "Public Health": ("Public Health Practitioner", "Health Improvement Officer"),
    "Housing": ("Housing Officer", "Homelessness Prevention Officer"),
    "Environment and Waste": (
        "Waste Operative",
        "Street Cleansing Operative",
        "Enforcement Officer",
    ),
    "Customer Services": ("Customer Adviser", "Registrar"),
    "Finance": ("Accountant", "Finance Officer"),
    "ICT and Digital": ("ICT Analyst", "Developer"),
    "Payroll and Pensions": ("Payroll Officer", "Pensions Officer"),
}


@dataclass
class _Posts:
    ids: list[str] = field(default_factory=list)
    reports_to: list[str | None] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    grade: list[str] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    cost: list[float | None] = field(default_factory=list)
    vacant: list[bool] = field(default_factory=list)
    agency: list[bool] = field(default_factory=list)

    def add(
        self, rng: random.Random, pid: str, to: str | None, title: str, grade: str, unit: str
    ) -> None:
        low, high = PAY[grade]
        self.ids.append(pid)
        self.reports_to.append(to)
        self.title.append(title)
        self.grade.append(grade)
        self.unit.append(unit)
        self.cost.append(float(rng.randrange(low, high + 1, 250)) if high > low else float(low))
        self.vacant.append(rng.random() < 0.07)
        self.agency.append(rng.random() < 0.03)


def _staff_titles(unit: str) -> tuple[str, ...]:
    for part in reversed(unit.split(" / ")):
        if part in STAFF_TITLES:
            return STAFF_TITLES[part]
    return ("Officer", "Senior Officer", "Assistant")


def as_is_posts(scale: float = 1.0) -> _Posts:
    """The as-is structure: the senior roles and the teams below them."""
    rng = random.Random(SEED)
    posts = _Posts()
    for pid, title, grade, unit, to, heads in SENIOR:
        posts.add(rng, pid, to or None, title, grade, unit)
        posts.vacant[-1] = pid == "RES3"
        posts.agency[-1] = False
        if not heads:
            continue
        front_line = unit.startswith(PEOPLE) or "Environment" in unit
        managers = max(1, round(rng.randint(3, 6) * scale * (1.6 if front_line else 1)))
        for m in range(1, managers + 1):
            mid = f"{pid}-M{m}"
            posts.add(rng, mid, pid, f"Service Manager {m}", "M2", unit)
            leaders = rng.choice((1, 2, 3, 3, 4, 5))
            for t in range(1, leaders + 1):
                tid = f"{mid}-T{t}"
                posts.add(rng, tid, mid, "Team Leader", "M1", unit)
                staff = rng.choice((1, 2, 4, 6, 7, 8, 9, 10, 12, 14))
                titles = _staff_titles(unit)
                for s in range(1, staff + 1):
                    grade = rng.choice(("Grade 8", "Grade 6", "Grade 6", "Grade 4"))
                    posts.add(rng, f"{tid}-S{s}", tid, rng.choice(titles), grade, unit)
    return posts


def _implemented(posts: _Posts) -> _Posts:
    """A year earlier: fewer agency posts, some of today's vacancies then filled."""
    rng = random.Random(SEED + 1)
    earlier = _Posts(**{k: list(v) for k, v in posts.__dict__.items()})
    for i in range(len(earlier.ids)):
        if earlier.vacant[i] and rng.random() < 0.5:
            earlier.vacant[i] = False
        earlier.agency[i] = earlier.agency[i] and rng.random() < 0.5
    earlier.vacant[earlier.ids.index("RES3")] = False
    return earlier


#: The reason given for each directorate's changes, as in a council report.
PROPOSAL_NOTES = {
    PEOPLE: "Two assistant director roles added for quality assurance and commissioning",
    PLACE: "Assistant Director Regeneration deleted; Head of Climate and Sustainability added",
    RESOURCES: "HR and payroll roles absorbed from the shared service; two AD roles not replaced",
    SHARED: "HR and payroll return to the council after the split",
}
WAVE_1 = datetime.date(2025, 4, 1)
WAVE_2 = datetime.date(2025, 10, 1)


def _middle(grade: str) -> Decimal:
    low, high = PAY[grade]
    return Decimal((low + high) // 2)


def _proposer(organisation: Organisation, by: Actor) -> Actor:
    """The editor proposes the changes; without one, whoever builds the demo does."""
    editor = (
        Membership.objects.filter(organisation=organisation, role=Role.EDITOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return editor.user if editor else by


def _propose(organisation: Organisation, as_is: Snapshot, by: Actor) -> Snapshot:
    """Seed 000's kind of changes, each recorded in the scenario with its reason.

    The first wave changes the senior roles of People, Place and Resources;
    the second brings HR and payroll back from the shared service, each team
    moved as a block with one change.
    """
    user = _proposer(organisation, by)
    scenario = services.scenario_create(
        snapshot=as_is,
        name=PROPOSED,
        notes=" ".join(f"{unit}: {text}." for unit, text in PROPOSAL_NOTES.items()),
        by=user,
    )
    services.snapshot_set_effective_date(snapshot=scenario, effective_date=WAVE_1, by=user)
    units = services.units_for_paths(
        organisation=organisation,
        paths=[
            PEOPLE,
            f"{PLACE} / Regeneration",
            f"{RESOURCES} / Transformation and Performance",
            f"{RESOURCES} / Finance",
            f"{SHARED} / HR and Organisational Development",
            f"{SHARED} / Payroll and Pensions",
        ],
        by=user,
    )
    common: dict[str, Any] = {"snapshot": scenario, "by": user}
    for pid, title, why in (
        (
            "PEO11",
            "Assistant Director All-Age Quality Assurance",
            "One quality assurance lead across adults' and children's services",
        ),
        (
            "PEO12",
            "Assistant Director Integrated Commissioning",
            "Commissioning joined up with the health partners",
        ),
    ):
        services.scenario_post_add(
            post_id=pid,
            title=title,
            grade="AD",
            unit=units[PEOPLE],
            manager="PEO1",
            fte=1.0,
            cost=_middle("AD"),
            reason=why,
            effective_date=WAVE_1,
            **common,
        )
    services.scenario_post_change(
        post_id="PLA8",
        kind="delete",
        reports_to="PLA1",
        reason="Regeneration is led by the strategic director; the assistant director role goes",
        effective_date=WAVE_1,
        **common,
    )
    services.scenario_post_add(
        post_id="PLA10",
        title="Head of Climate and Sustainability",
        grade="HoS",
        unit=units[f"{PLACE} / Regeneration"],
        manager="PLA1",
        fte=1.0,
        cost=_middle("HoS"),
        reason="The climate emergency declaration needs a named lead",
        effective_date=WAVE_1,
        **common,
    )
    services.scenario_bulk_change(
        post_ids=["RES3", "RES11"],
        action="delete",
        reports_to="RES2",
        reason="Two assistant director roles not replaced: one vacant, one folded into "
        "transformation",
        effective_date=WAVE_1,
        **common,
    )
    for team, destination, why in (
        (
            f"{SHARED} / HR and Organisational Development",
            f"{RESOURCES} / Transformation and Performance",
            "HR returns to the council; organisational development joins transformation",
        ),
        (
            f"{SHARED} / Payroll and Pensions",
            f"{RESOURCES} / Finance",
            "Payroll returns to the council and joins finance",
        ),
    ):
        unit = units[team]
        selected = selectors.scenario_selection(snapshot=scenario, unit=unit)
        services.scenario_bulk_change(
            post_ids=selected,
            action="move",
            manager="RES1",
            unit=units[destination],
            label=f"the {len(selected)} posts of {unit.name}",
            reason=why,
            effective_date=WAVE_2,
            **common,
        )
    services.scenario_post_change(
        post_id="SHS2",
        kind="retitle",
        title="Assistant Director HR and Organisational Development",
        reason="The role leads a service of the council, no longer a shared directorate",
        effective_date=WAVE_2,
        **common,
    )
    services.scenario_post_change(
        post_id="SHS2",
        kind="regrade",
        grade="AD",
        reason="Evaluated at assistant director level",
        effective_date=WAVE_2,
        **common,
    )
    for pid, grade in (("SHS2", "AD"), ("SHS8", "HoS")):
        services.scenario_post_change(
            post_id=pid,
            kind="recost",
            cost=_middle(grade),
            reason="Costed at the middle of the council's pay band",
            effective_date=WAVE_2,
            **common,
        )
    return scenario


def _approved(organisation: Organisation, as_is: Snapshot, by: Actor) -> Snapshot:
    """A small scenario already approved, with the decision that approved it.

    The editor proposes it; the admin, who builds the demo, records the decision.
    """
    user = _proposer(organisation, by)
    scenario = services.scenario_create(
        snapshot=as_is,
        name=APPROVED,
        notes="The transformation team's assistant director role is not replaced.",
        by=user,
    )
    services.scenario_post_change(
        snapshot=scenario,
        post_id="RES11",
        kind="delete",
        reports_to="RES2",
        reason="The role is folded into the head of transformation's",
        effective_date=datetime.date(2024, 10, 1),
        by=user,
    )
    services.scenario_approve(snapshot=scenario, by=by, **APPROVAL)
    return scenario


def _create(
    organisation: Organisation,
    posts: _Posts,
    name: str,
    kind: str,
    status: str,
    date: datetime.date,
    notes: str,
    base: Snapshot | None = None,
    by: Actor = None,
) -> Snapshot:
    table = PostTable.from_lists(
        posts.ids,
        posts.reports_to,
        title=posts.title,
        grade=posts.grade,
        unit=posts.unit,
        cost=posts.cost,
        vacant=posts.vacant,
        agency=posts.agency,
        source="demo",
    )
    structure = build_structure(table).structure
    return services.snapshot_create_from_structure(
        organisation=organisation,
        structure=structure,
        name=name,
        kind=kind,
        status=status,
        effective_date=date,
        notes=notes,
        source="Generated for the demo",
        base=base,
        by=by,
    )


def demo_structures(
    organisation: Organisation,
    *,
    scale: float | None = None,
    by: Actor = None,
) -> None:
    """Add the demo snapshots once; a second call changes nothing.

    ``scale`` shrinks the teams below the senior roles; by default it is the
    setting ``GOLDENTHREAD_DEMO_STRUCTURE_SCALE`` (1: a few thousand posts).
    """
    if scale is None:
        scale = float(getattr(settings, "GOLDENTHREAD_DEMO_STRUCTURE_SCALE", 1.0))
    if Snapshot.objects.filter(organisation=organisation, name=AS_IS).exists():
        return
    current = as_is_posts(scale)
    _create(
        organisation,
        _implemented(current),
        IMPLEMENTED,
        SnapshotKind.IMPLEMENTED,
        SnapshotStatus.SUPERSEDED,
        datetime.date(2023, 4, 1),
        "The senior structure launched in November 2022 and implemented in April 2023.",
        by=by,
    )
    as_is = _create(
        organisation,
        current,
        AS_IS,
        SnapshotKind.AS_IS,
        SnapshotStatus.APPROVED,
        datetime.date(2024, 3, 31),
        "The structure as it stands, with the Resources review to come.",
        by=by,
    )
    _propose(organisation, as_is, by)
    _approved(organisation, as_is, by)
    if selectors.redundancy_band_list(organisation=organisation).exists():
        return
    for grade, cost in REDUNDANCY_BANDS.items():
        services.redundancy_band_create(organisation=organisation, grade=grade, cost=cost, by=by)
