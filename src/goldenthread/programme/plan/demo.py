"""The demo council's transformation programme: "Shaping our future".

Four phases, five workstreams and the actions of its plan by TOM target area,
with a few actions taken from the council's productivity plan. Dates, forecasts,
progress, budgets, spend and milestones are spread about ``today`` so that,
once the RAG rules run, every RAG occurs: actions on track, slipping by under
30 days and by more, with milestones missed, over budget, and complete.

Running it again changes nothing: each record is found by its name or
reference before it is made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.quarters import FinancialQuarter, financial_year_of
from goldenthread.performance.models import Level, ThreadItem, ThreadLink
from goldenthread.performance.services import thread_link_create
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    MilestoneStatus,
    Phase,
    PhaseStatus,
    Programme,
    ProgrammeStatus,
)

from . import services

PROGRAMME = "Shaping our future"
DESCRIPTION = (
    "The councils' transformation programme: a target operating model that enables "
    "prosperity, promotes resilience and prevents needs arising, delivered in four phases."
)

#: (name, start, end, gate criteria, status)
PHASES: tuple[tuple[str, dt.date, dt.date, str, str], ...] = (
    (
        "Mobilisation",
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
        "Programme board, workstream leads and the programme support team in place",
        PhaseStatus.COMPLETE,
    ),
    (
        "Exploration",
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
        "Approaches tested with exemplar councils; efficiency baseline agreed",
        PhaseStatus.COMPLETE,
    ),
    (
        "Learning and scaling",
        dt.date(2026, 1, 1),
        dt.date(2026, 9, 30),
        "Outcomes of exploration reviewed and found fit for purpose; costed benefits",
        PhaseStatus.IN_PROGRESS,
    ),
    (
        "Delivery",
        dt.date(2026, 10, 1),
        dt.date(2027, 3, 31),
        "Every service reviewed against the target operating model",
        PhaseStatus.NOT_STARTED,
    ),
)

#: (name, lead, scope)
WORKSTREAMS: tuple[tuple[str, str, str], ...] = (
    (
        "Demand led transformation",
        "Director of Communities",
        "Understand the nature of demand and prevent needs arising",
    ),
    (
        "Digital re-design",
        "Chief Digital Officer",
        "Re-design services around the customer, online by default",
    ),
    (
        "Next level sharing",
        "Director of Shared Services",
        "Common systems, strategies and architectures across both councils",
    ),
    (
        "Service model",
        "Director of Place",
        "Which services continue, are divested or are delivered another way",
    ),
    (
        "Programme support",
        "Programme Director",
        "Project management, business analysis, customer insight, finance and governance",
    ),
)

#: (target area, title, owner, workstream) — the plan's actions, by TOM target area.
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Strategy and Vision",
        "Develop organisational objectives",
        "Executive Board",
        "Programme support",
    ),
    (
        "Strategy and Vision",
        "Create strategies for achieving our objectives",
        "Executive Board",
        "Programme support",
    ),
    (
        "Strategy and Vision",
        "Prioritise our activity based on our objectives",
        "Director of Place",
        "Service model",
    ),
    (
        "Strategy and Vision",
        "Achieve financial sustainability in line with the middle case financial scenario",
        "Chief Finance Officer",
        "Programme support",
    ),
    (
        "Strategy and Vision",
        "Agree the objectives with both Cabinets",
        "Executive Board",
        "Programme support",
    ),
    (
        "Design Principles",
        "Understand nature of demand for services",
        "Director of Communities",
        "Demand led transformation",
    ),
    ("Design Principles", "Re-design services", "Chief Digital Officer", "Digital re-design"),
    (
        "Design Principles",
        "Common systems, strategies and architectures",
        "Director of Shared Services",
        "Next level sharing",
    ),
    (
        "Design Principles",
        "Embed the design principles in every service review",
        "Programme Director",
        "Programme support",
    ),
    (
        "Business Architecture Blueprint",
        "Adopt the platform concept as an overarching organisational design",
        "Executive Board",
        "Programme support",
    ),
    (
        "Business Architecture Blueprint",
        "Determine which services should be continued, divested or provided via an alternative "
        "delivery model",
        "Director of Place",
        "Service model",
    ),
    (
        "Business Architecture Blueprint",
        "Publish the business architecture blueprint",
        "Head of Business Architecture",
        "Next level sharing",
    ),
    (
        "Customers",
        "Achieve a channel shift in favour of online self service",
        "Head of Customer Services",
        "Next level sharing",
    ),
    (
        "Customers",
        "Procure and embed a single CRM system for case management",
        "Head of Customer Services",
        "Next level sharing",
    ),
    (
        "Customers",
        "Enable a web platform with customer interaction and feedback",
        "Chief Digital Officer",
        "Digital re-design",
    ),
    (
        "Customers",
        "Tell us once: one customer record across services",
        "Head of Customer Services",
        "Digital re-design",
    ),
    (
        "Channels",
        "Create pathways to partner services",
        "Director of Communities",
        "Next level sharing",
    ),
    (
        "Channels",
        "Create low code platform to host local developers",
        "Chief Digital Officer",
        "Next level sharing",
    ),
    (
        "Channels",
        "Create forums for communities of interest",
        "Director of Communities",
        "Demand led transformation",
    ),
    (
        "Channels",
        "Retire the legacy telephone payment line",
        "Head of Customer Services",
        "Digital re-design",
    ),
    (
        "Services",
        "Create service re-design approach",
        "Chief Digital Officer",
        "Demand led transformation",
    ),
    (
        "Services",
        "Re-design the council tax and benefits journey",
        "Head of Revenues and Benefits",
        "Digital re-design",
    ),
    (
        "Services",
        "Re-design waste and street scene requests",
        "Head of Environment",
        "Digital re-design",
    ),
    (
        "Services",
        "Review the housing options service against the TOM",
        "Head of Housing",
        "Service model",
    ),
    (
        "Locations",
        "Achieve a significant shift in home, remote and hybrid working",
        "Director of Shared Services",
        "Next level sharing",
    ),
    ("Locations", "Consolidate the office estate", "Head of Property", "Service model"),
    (
        "Locations",
        "Open community hubs in partner buildings",
        "Director of Communities",
        "Demand led transformation",
    ),
    (
        "Critical processes",
        "Map the critical processes and create consistent and efficient processes supported by IT",
        "Head of Business Architecture",
        "Next level sharing",
    ),
    (
        "Critical processes",
        "Automate the purchase-to-pay process",
        "Chief Finance Officer",
        "Next level sharing",
    ),
    (
        "Critical processes",
        "Standardise recruitment and onboarding",
        "Head of HR",
        "Next level sharing",
    ),
    (
        "People and organisation",
        "Design and implement an applied course in service re-design",
        "Programme Director",
        "Programme support",
    ),
    (
        "People and organisation",
        "Create an organisational structure based on new roles and consistent spans and layers",
        "Executive Board",
        "Service model",
    ),
    (
        "People and organisation",
        "Introduce a workforce plan for the new structure",
        "Head of HR",
        "Service model",
    ),
    (
        "People and organisation",
        "Run leadership development for the transformation",
        "Head of HR",
        "Programme support",
    ),
    (
        "Technology and data",
        "Create system wide IT architecture to support the TOM",
        "Chief Digital Officer",
        "Digital re-design",
    ),
    (
        "Technology and data",
        "Create a low code platform for local application development",
        "Chief Digital Officer",
        "Digital re-design",
    ),
    (
        "Technology and data",
        "Build a single data platform and performance dashboards",
        "Head of Insight",
        "Digital re-design",
    ),
    (
        "Technology and data",
        "Move the remaining servers to the cloud",
        "Chief Digital Officer",
        "Next level sharing",
    ),
    (
        "Performance and reward",
        "Design and implement a performance management system at every level",
        "Executive Board",
        "Next level sharing",
    ),
    (
        "Performance and reward",
        "Build transformation expectations into role descriptions for leadership tiers",
        "Executive Board",
        "Programme support",
    ),
    (
        "Performance and reward",
        "Ensure performance and reward system supports the culture we want to create",
        "Executive Board",
        "Programme support",
    ),
    ("Governance", "Provide governance to the programme", "Executive Board", "Programme support"),
    (
        "Governance",
        "Report progress, expenditure and any delay to Cabinet every quarter",
        "Programme Director",
        "Programme support",
    ),
    (
        "Governance",
        "Set up benefits tracking and the risk register",
        "Programme Director",
        "Programme support",
    ),
)

#: (area, title, lead, success criteria) — from the council's productivity plan.
PRODUCTIVITY_PLAN: tuple[tuple[str, str, str, str], ...] = (
    (
        "Workforce",
        "Review agency and consultancy costs across all services",
        "Kathy Freeman",
        "Agency and consultancy costs are reduced",
    ),
    (
        "Workforce",
        "Recruitment panel for all posts to see if the vacancy can be held or the role stopped",
        "Kathy Freeman",
        "Vacancies held wherever possible",
    ),
    ("Housing", "Focus on collecting former tenant arrears", "Paul Walker", "Arrears reduced"),
    (
        "Health and social care",
        "Review all high-cost social care placements",
        "Annette Kinsella",
        "Reduction in the cost of high-cost placements",
    ),
    (
        "Climate change",
        "Agree a flexible procurement framework for electricity and gas",
        "Paul Walker",
        "Energy spend is reduced",
    ),
)
SOURCE = "Productivity plan"


@dataclass(frozen=True)
class Shape:
    """How one demo action stands against ``today``: what the RAG rules will see."""

    #: Days from today to the due date.
    due: int
    #: Days the forecast runs after the due date (``None``: on the due date).
    slip: int | None
    status: str
    percent: int
    #: Spend as a share of the budget.
    spent: Decimal
    #: Whether one of its milestones is overdue and not complete.
    missed: bool = False


#: Repeated over the actions, so every RAG occurs several times.
SHAPES: tuple[Shape, ...] = (
    Shape(due=150, slip=None, status=ActionStatus.IN_PROGRESS, percent=40, spent=Decimal("0.4")),
    Shape(due=60, slip=14, status=ActionStatus.IN_PROGRESS, percent=55, spent=Decimal("0.6")),
    Shape(due=-120, slip=None, status=ActionStatus.COMPLETE, percent=100, spent=Decimal("0.95")),
    Shape(due=45, slip=75, status=ActionStatus.IN_PROGRESS, percent=30, spent=Decimal("0.5")),
    Shape(
        due=120,
        slip=None,
        status=ActionStatus.IN_PROGRESS,
        percent=35,
        spent=Decimal("0.3"),
        missed=True,
    ),
    Shape(due=200, slip=None, status=ActionStatus.NOT_STARTED, percent=0, spent=Decimal("0")),
    Shape(due=90, slip=None, status=ActionStatus.IN_PROGRESS, percent=70, spent=Decimal("1.3")),
    Shape(due=-30, slip=None, status=ActionStatus.IN_PROGRESS, percent=80, spent=Decimal("0.9")),
    Shape(due=100, slip=25, status=ActionStatus.IN_PROGRESS, percent=45, spent=Decimal("1.08")),
    Shape(due=-60, slip=None, status=ActionStatus.COMPLETE, percent=100, spent=Decimal("1.0")),
    Shape(due=240, slip=None, status=ActionStatus.ON_HOLD, percent=10, spent=Decimal("0.1")),
    Shape(due=-90, slip=None, status=ActionStatus.COMPLETE, percent=100, spent=Decimal("0.8")),
    Shape(due=75, slip=None, status=ActionStatus.IN_PROGRESS, percent=60, spent=Decimal("0.55")),
    Shape(due=-150, slip=None, status=ActionStatus.COMPLETE, percent=100, spent=Decimal("1.02")),
)
#: The programme runs from the start of its first phase to the end of its last.
PROGRAMME_START, PROGRAMME_END = PHASES[0][1], PHASES[-1][2]
#: How far apart, in days, the completed actions' due dates are spread back from today.
COMPLETED_EVERY = 19


def _phase_for(due: dt.date, phases: list[Phase]) -> Phase:
    """The phase whose dates hold ``due``: the last when it is later, the first when earlier."""
    for phase in phases:
        if phase.start_on and phase.end_on and phase.start_on <= due <= phase.end_on:
            return phase
    last_end = phases[-1].end_on
    return phases[-1] if last_end is not None and due > last_end else phases[0]


def _due(n: int, shape: Shape, today: dt.date) -> dt.date:
    """The action's due date: within the programme's dates where the shape allows.

    A complete action's is spread back over the programme so far; an overdue
    one's is before today; every other is after today, by the end of the
    programme when there is room.
    """
    day = dt.timedelta(days=1)
    if shape.status == ActionStatus.COMPLETE:
        due = max(today - (30 + COMPLETED_EVERY * n) * day, PROGRAMME_START + 45 * day)
        return due if due < today else today + shape.due * day
    if shape.due < 0:
        return today + shape.due * day
    latest = max(PROGRAMME_END, today + 60 * day)
    return max(min(today + shape.due * day, latest - (n % 15) * day), today + 20 * day)


def _fields(n: int, today: dt.date, phases: list[Phase]) -> dict[str, Any]:
    shape = SHAPES[n % len(SHAPES)]
    due = _due(n, shape, today)
    budget = Decimal(20_000 + 7_500 * (n % 9))
    complete = shape.status == ActionStatus.COMPLETE
    return {
        "due_on": due,
        "start_on": max(due - dt.timedelta(days=270), PROGRAMME_START),
        "forecast_on": due + dt.timedelta(days=shape.slip) if shape.slip else None,
        "completed_on": due - dt.timedelta(days=3) if complete else None,
        "design_by": FinancialQuarter.of(due - dt.timedelta(days=180)).code,
        "implement_from": FinancialQuarter.of(due - dt.timedelta(days=90)).code,
        "status": shape.status,
        "percent_complete": shape.percent,
        "budget": budget,
        "spend": (budget * shape.spent).quantize(Decimal("0.01")),
        "phase": _phase_for(due, phases),
    }


def _milestones(action: Action, n: int, today: dt.date, by: Actor) -> None:
    shape = SHAPES[n % len(SHAPES)]
    assert action.due_on is not None
    start = action.start_on or action.due_on - dt.timedelta(days=270)
    span = action.due_on - start
    planned = [
        ("Scope agreed", start + span / 4),
        ("Design signed off", start + span / 2),
        ("Go live", action.due_on - span / 10),
    ]
    have = set(action.milestones.values_list("title", flat=True))
    for title, due in planned:
        if title in have:
            continue
        if due < today and not shape.missed:
            status, completed = MilestoneStatus.COMPLETE, due
        elif due < today:
            status, completed = MilestoneStatus.PLANNED, None  # missed
        else:
            status, completed = MilestoneStatus.PLANNED, None
        services.milestone_create(
            action=action,
            title=title,
            due_on=due,
            status=status,
            completed_on=completed,
            by=by,
        )
    if shape.missed and "Supplier appointed" not in have:
        services.milestone_create(
            action=action,
            title="Supplier appointed",
            due_on=today - dt.timedelta(days=12),
            by=by,
        )


def _savings(action: Action, n: int, today: dt.date, by: Actor) -> None:
    if n % 3 or action.savings.exists():
        return
    year = financial_year_of(today)
    amount = Decimal(25_000 + 5_000 * (n % 5))
    services.action_savings_set(
        action=action,
        savings={year: amount, year + 1: amount * 2, year + 2: amount * 2},
        by=by,
    )


def _link_objectives(organisation: Organisation, actions: list[Action], by: Actor) -> None:
    """Link most actions to the golden thread's objectives; a few are left as orphans."""
    objectives = list(
        ThreadItem.objects.filter(organisation=organisation, level=Level.OBJECTIVE).order_by(
            "position", "pk"
        )
    )
    if not objectives:
        return
    linked = set(
        ThreadLink.objects.filter(
            organisation=organisation,
            content_type=ContentType.objects.get_for_model(Action),
            object_id__in=[a.pk for a in actions],
        ).values_list("object_id", flat=True)
    )
    for n, action in enumerate(actions):
        # Every seventh action serves no objective, so the orphans page has some.
        if n % 7 == 6 or action.pk in linked:
            continue
        thread_link_create(item=objectives[n % len(objectives)], target=action, by=by)


def load(*, organisation: Organisation, by: Actor, today: dt.date) -> Programme:
    """Make the demo programme in ``organisation``, or find it as an earlier run left it."""
    programme = Programme.objects.filter(organisation=organisation, name=PROGRAMME).first()
    if programme is None:
        programme = services.programme_create(
            organisation=organisation,
            name=PROGRAMME,
            description=DESCRIPTION,
            sponsor="Chief Executive",
            start_on=PHASES[0][1],
            end_on=PHASES[-1][2],
            status=ProgrammeStatus.ACTIVE,
            by=by,
        )
    phases = {phase.name: phase for phase in programme.phases.all()}
    for position, (name, start, end, gate, status) in enumerate(PHASES):
        if name not in phases:
            description = dict(services.DEFAULT_PHASES)[name]
            phases[name] = services.phase_create(
                programme=programme,
                name=name,
                description=description,
                start_on=start,
                end_on=end,
                gate_criteria=gate,
                status=status,
                position=position,
                by=by,
            )
    ordered = [phases[name] for name, *_rest in PHASES]
    workstreams = {w.name: w for w in programme.workstreams.all()}
    for position, (name, lead, scope) in enumerate(WORKSTREAMS):
        if name not in workstreams:
            workstreams[name] = services.workstream_create(
                programme=programme, name=name, lead=lead, scope=scope, position=position, by=by
            )
    existing = {a.reference: a for a in Action.objects.filter(organisation=organisation)}
    actions = []
    rows = [
        (f"SOF-{n + 1:02d}", area, title, owner, workstreams[stream], "", "")
        for n, (area, title, owner, stream) in enumerate(ACTIONS)
    ] + [
        (f"PP-{n + 1:02d}", area, title, lead, None, SOURCE, criteria)
        for n, (area, title, lead, criteria) in enumerate(PRODUCTIVITY_PLAN)
    ]
    for n, (reference, area, title, owner, workstream, source, criteria) in enumerate(rows):
        action = existing.get(reference)
        if action is None:
            action = services.action_create(
                programme=programme,
                reference=reference,
                title=title,
                target_area=area,
                owner=owner,
                workstream=workstream,
                source=source,
                success_criteria=criteria,
                by=by,
                **_fields(n, today, ordered),
            )
        _milestones(action, n, today, by)
        _savings(action, n, today, by)
        actions.append(action)
    _link_objectives(organisation, actions, by)
    return programme
