"""Benchmark of the programme pages on PostgreSQL; refreshes its section of docs/benchmarks.md.

Run from the repository root, with PostgreSQL at 127.0.0.1:5432 (trust
authentication); the benchmark creates and drops its own database,
``goldenthread_bench_programme``:

    .venv/bin/python benchmarks/bench_programme.py

It fills one organisation with a programme of 5,000 actions (about three
milestones each, savings, a year of RAG history), 2,000 benefits (each with a
three-year cashable profile), 1,000 risks (about four reviews each, with
mitigations) and two quarterly updates that record every action, then
requests each page of the module through Django's test client, which measures
the server's whole handling of the request (middleware, tenancy guard,
queries, template). The first request of each page is timed apart; the median
is of the requests after it. A page whose part is not built yet is reported
as such, not an error. It also times the XLSX export of the 5,000 actions and
the bulk reassessment of their RAG.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATABASE = "goldenthread_bench_programme"
SECTION = "## Programme pages"
COMMAND = ".venv/bin/python benchmarks/bench_programme.py"
SEED = 20_261_202
ACTIONS = 5_000
BENEFITS = 2_000
RISKS = 1_000
#: Milestones of an action: from two to four, three on average.
MILESTONES = (2, 3, 4)
PROFILE_YEARS = 3
#: Reviews of a risk: from three to five, four on average.
REVIEWS = (3, 4, 5)
#: RAG records generated for each action before the rules assess it once more.
RAG_HISTORY = 6
REPEATS = 9
#: The export and the bulk reassessment are slower; fewer repeats keep the run short.
SLOW_REPEATS = 3
TARGET_REGISTER_SECONDS = 0.3
TARGET_DASHBOARD_SECONDS = 0.5
TARGET_EXPORT_SECONDS = 3.0

ORGANISATION_SLUG = "bench-programme"
PHASES = ("Mobilisation", "Exploration", "Learning and scaling", "Delivery")
WORKSTREAMS = (
    "Customer access",
    "Digital and data",
    "One workforce",
    "Commissioning and procurement",
    "Assets and estates",
    "Income and commercial",
    "Adult social care",
    "Children's services",
    "Place and regeneration",
    "Corporate services",
)
TARGET_AREAS = (
    "Customer contact",
    "Digital platforms",
    "Workforce and culture",
    "Commissioning",
    "Property",
    "Income",
    "Governance",
    "Data and insight",
)
VERBS = ("Review", "Redesign", "Automate", "Consolidate", "Procure", "Retire", "Pilot", "Embed")
OBJECTS = (
    "the contact centre scripts",
    "council tax billing",
    "the case management system",
    "waste round routing",
    "the planning portal",
    "agency staff spend",
    "office accommodation",
    "the fleet contract",
    "the complaints process",
    "income collection",
    "the intranet",
    "school transport eligibility",
)
FIRST_NAMES = ("Amira", "Ben", "Chloe", "Dev", "Ellen", "Farid", "Grace", "Hugh", "Isla", "Jon")
LAST_NAMES = ("Ahmed", "Bell", "Clarke", "Dunn", "Evans", "Frost", "Gill", "Hart", "Iqbal", "Jones")
OWN_BENEFIT_TYPE = "Carbon reduction"
OWN_RISK_CATEGORY = "Climate"


def today() -> dt.date:
    """The day the data is generated around; every other date is an offset from it."""
    return dt.date.today()


@dataclass
class Volume:
    """What the generator made, and the records the pages are requested for."""

    counts: dict[str, int] = field(default_factory=dict)
    programme_id: int = 0
    action_id: int = 0
    benefit_id: int = 0
    risk_id: int = 0
    update_id: int = 0
    previous_update_id: int = 0
    quarter: int = 0
    owner: str = ""
    rag_refresh: str = ""
    rag_seconds: float | None = None


# --- the data --------------------------------------------------------------


def generate(organisation: Any, user: Any, day: dt.date, seed: int = SEED) -> Volume:
    """Fill ``organisation`` with a programme at the benchmark's size.

    The rows are written with ``bulk_create`` through the models, from a
    fixed seed and dates counted from ``day``: this builds test data at
    volume, it is not a user's write, so it does not go through the
    services (the main records still get their creation in their history).
    The RAG fields are then made real by the rag part's bulk refresh
    service when it exists (``Volume.rag_refresh`` says what happened).
    """
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from goldenthread.analysis.quarters import FinancialQuarter, financial_year_of
    from goldenthread.programme.models import (
        Action,
        ActionSaving,
        ActionStatus,
        ActionUpdate,
        Benefit,
        BenefitProfile,
        BenefitStatus,
        BenefitType,
        Confidence,
        Milestone,
        MilestoneStatus,
        Mitigation,
        MitigationStatus,
        Phase,
        PhaseStatus,
        Programme,
        ProgrammeSettings,
        QuarterlyUpdate,
        Rag,
        RagKind,
        RagRecord,
        RagSource,
        Risk,
        RiskCategory,
        RiskReview,
        RiskStatus,
        UpdateStatus,
        Workstream,
    )

    rng = random.Random(seed)
    volume = Volume()
    days = dt.timedelta

    def money(low: int, high: int) -> Decimal:
        """Pounds and pence from ``low`` to ``high`` hundred pounds."""
        return Decimal(rng.randrange(low * 10_000, high * 10_000)) / 100

    with transaction.atomic():
        ProgrammeSettings.objects.create(
            organisation=organisation,
            benefit_types=[OWN_BENEFIT_TYPE],
            risk_categories=[OWN_RISK_CATEGORY],
        )
        programme = bulk_create_with_history(
            [
                Programme(
                    organisation=organisation,
                    name="Shaping our future",
                    description="The council's transformation programme.",
                    sponsor="Chief Executive",
                    start_on=day - days(730),
                    end_on=day + days(1095),
                )
            ],
            Programme,
            default_user=user,
        )[0]
        volume.programme_id = programme.pk
        phase_statuses = (
            PhaseStatus.COMPLETE,
            PhaseStatus.COMPLETE,
            PhaseStatus.IN_PROGRESS,
            PhaseStatus.NOT_STARTED,
        )
        phases = bulk_create_with_history(
            [
                Phase(
                    programme=programme,
                    name=name,
                    position=position,
                    start_on=day - days(730) + days(455 * position),
                    end_on=day - days(730) + days(455 * position + 454),
                    gate_criteria=f"The {name.lower()} gate review approves the business case.",
                    status=phase_statuses[position],
                )
                for position, name in enumerate(PHASES)
            ],
            Phase,
            default_user=user,
        )
        phases = list(Phase.objects.filter(programme=programme).order_by("position"))
        bulk_create_with_history(
            [
                Workstream(
                    programme=programme,
                    name=name,
                    lead=f"{FIRST_NAMES[i]} {LAST_NAMES[-1 - i]}",
                    scope=f"Everything the programme changes in {name.lower()}.",
                    position=i,
                )
                for i, name in enumerate(WORKSTREAMS)
            ],
            Workstream,
            default_user=user,
        )
        workstreams = list(Workstream.objects.filter(programme=programme).order_by("position"))
        owners = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]

        # Actions, with a synthetic RAG the rules replace when the rag part is built.
        statuses = (
            [ActionStatus.COMPLETE] * 25
            + [ActionStatus.IN_PROGRESS] * 45
            + [ActionStatus.NOT_STARTED] * 20
            + [ActionStatus.ON_HOLD] * 5
            + [ActionStatus.CANCELLED] * 5
        )
        slips = (0, 0, 0, 0, 5, 12, 25, 40, 75, 120)
        actions = []
        for i in range(ACTIONS):
            start = day - days(rng.randrange(0, 720))
            due = start + days(rng.randrange(60, 720))
            status = rng.choice(statuses)
            if due < day - days(60) and status == ActionStatus.NOT_STARTED:
                status = ActionStatus.IN_PROGRESS
            span = (due - start).days
            design = FinancialQuarter.of(start + days(span // 3)).code
            implement = max(design, FinancialQuarter.of(start + days(2 * span // 3)).code)
            percent = {
                ActionStatus.COMPLETE: 100,
                ActionStatus.NOT_STARTED: 0,
                ActionStatus.CANCELLED: rng.randrange(0, 60),
            }.get(status, rng.randrange(5, 95))
            forecast = None
            completed = None
            if status == ActionStatus.COMPLETE:
                completed = min(day, due + days(rng.choice(slips)))
            elif status in (ActionStatus.IN_PROGRESS, ActionStatus.ON_HOLD):
                forecast = due + days(rng.choice(slips))
            slip = ((forecast or due) - due).days
            rag = (
                Rag.BLUE
                if status == ActionStatus.COMPLETE
                else Rag.RED
                if slip > 30
                else Rag.AMBER
                if slip > 0
                else Rag.GREEN
            )
            budget = money(50, 5000) if rng.random() < 0.7 else None
            spend = None
            if budget is not None and status != ActionStatus.NOT_STARTED:
                spend = (budget * Decimal(rng.randrange(10, 130)) / 100).quantize(Decimal("0.01"))
            phase = phases[min(3, max(0, (due - (day - days(730))).days // 455))]
            actions.append(
                Action(
                    organisation=organisation,
                    programme=programme,
                    reference=f"A{i + 1:05d}",
                    title=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({i + 1})",
                    description="Part of the programme's plan for "
                    f"{rng.choice(TARGET_AREAS).lower()}.",
                    target_area=rng.choice(TARGET_AREAS),
                    owner=rng.choice(owners),
                    workstream=rng.choice(workstreams),
                    phase=phase,
                    design_by=design,
                    implement_from=implement,
                    start_on=start,
                    due_on=due,
                    forecast_on=forecast,
                    completed_on=completed,
                    status=status,
                    percent_complete=percent,
                    success_criteria="The new process runs without the old one.",
                    budget=budget,
                    spend=spend,
                    source="Productivity plan" if rng.random() < 0.1 else "",
                    position=i,
                    rag=rag,
                    rag_reason="Generated before the rules assessed it.",
                    computed_rag=rag,
                    computed_reason="Generated before the rules assessed it.",
                    forecast_rag=rag,
                    forecast_reason="Generated before the rules assessed it.",
                    rag_assessed_on=day - days(30),
                )
            )
        bulk_create_with_history(actions, Action, default_user=user, batch_size=1000)
        actions = list(Action.objects.filter(organisation=organisation).order_by("position"))

        milestones = []
        savings = []
        records = []
        this_year = financial_year_of(day)
        walk = (Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED)
        for action in actions:
            start, due = action.start_on, action.due_on
            assert start is not None and due is not None
            count = rng.choice(MILESTONES)
            for position in range(count):
                when = start + (due - start) * (position + 1) // (count + 1)
                done = when < day and rng.random() < 0.8
                milestones.append(
                    Milestone(
                        action=action,
                        title=f"Stage {position + 1} of {action.reference}",
                        due_on=when,
                        completed_on=when + days(rng.randrange(0, 20)) if done else None,
                        status=MilestoneStatus.COMPLETE if done else MilestoneStatus.PLANNED,
                        position=position,
                    )
                )
            if rng.random() < 0.4:
                for year in range(this_year, this_year + rng.randrange(1, 4)):
                    savings.append(ActionSaving(action=action, year=year, amount=money(10, 2000)))
            # A year of monthly reviews: four of the current RAG, two of the forecast.
            previous = {RagKind.CURRENT: "", RagKind.FORECAST: ""}
            for step in range(RAG_HISTORY):
                kind = RagKind.FORECAST if step in (1, 3) else RagKind.CURRENT
                rag = rng.choice(walk)
                if step == RAG_HISTORY - 1:
                    rag = action.rag
                elif step == 3:
                    rag = action.forecast_rag
                records.append(
                    RagRecord(
                        organisation=organisation,
                        action=action,
                        kind=kind,
                        on=day - days(60 * (RAG_HISTORY - step)),
                        previous=previous[kind],
                        rag=rag,
                        reason=f"Generated: {rag} at the review.",
                        source=RagSource.OVERRIDE if step == 4 else RagSource.COMPUTED,
                        recorded_by=user,
                    )
                )
                previous[kind] = rag
        Milestone.objects.bulk_create(milestones, batch_size=5000)
        ActionSaving.objects.bulk_create(savings, batch_size=5000)
        RagRecord.objects.bulk_create(records, batch_size=5000)

        # Benefits, each with a three-year profile and the actions it comes from.
        types = [choice.value for choice in BenefitType] + [OWN_BENEFIT_TYPE]
        benefit_statuses = (
            [BenefitStatus.IDENTIFIED] * 15
            + [BenefitStatus.PLANNED] * 30
            + [BenefitStatus.REALISING] * 30
            + [BenefitStatus.REALISED] * 20
            + [BenefitStatus.CLOSED] * 5
        )
        benefits = []
        for i in range(BENEFITS):
            kind = types[i % len(types)]
            level = rng.random() < 0.5
            benefits.append(
                Benefit(
                    organisation=organisation,
                    programme=programme,
                    reference=f"B{i + 1:04d}",
                    type=kind,
                    title=f"{kind} from {rng.choice(OBJECTS)} ({i + 1})",
                    description="What the change brings to residents and the council.",
                    owner=rng.choice(owners),
                    measure="Cost per transaction",
                    baseline="£4.20",
                    baseline_on=day - days(400),
                    target="£2.10",
                    target_on=day + days(rng.randrange(0, 700)),
                    actual="£3.15" if rng.random() < 0.5 else "",
                    actual_on=day - days(rng.randrange(0, 90)),
                    confidence_level=rng.choice(list(Confidence)) if level else "",
                    confidence_percent=None if level else rng.randrange(10, 100),
                    status=rng.choice(benefit_statuses),
                    evidence="Finance confirmed the budget reduction.",
                )
            )
        bulk_create_with_history(benefits, Benefit, default_user=user, batch_size=1000)
        benefits = list(Benefit.objects.filter(organisation=organisation).order_by("reference"))
        profiles = []
        benefit_links = []
        for benefit in benefits:
            realised = benefit.status in (BenefitStatus.REALISING, BenefitStatus.REALISED)
            for year in range(this_year - 1, this_year - 1 + PROFILE_YEARS):
                planned = money(0, 3000)
                profiles.append(
                    BenefitProfile(
                        benefit=benefit,
                        year=year,
                        planned=planned,
                        realised=(planned * Decimal(rng.randrange(50, 120)) / 100).quantize(
                            Decimal("0.01")
                        )
                        if realised and year <= this_year
                        else None,
                    )
                )
            for action in rng.sample(actions, rng.randrange(1, 4)):
                benefit_links.append(
                    Benefit.actions.through(benefit_id=benefit.pk, action_id=action.pk)
                )
        BenefitProfile.objects.bulk_create(profiles, batch_size=5000)
        Benefit.actions.through.objects.bulk_create(benefit_links, batch_size=5000)

        # Risks, reviewed on their cycle, some of them overdue.
        categories = [choice.value for choice in RiskCategory] + [OWN_RISK_CATEGORY]
        risks = []
        review_rows: list[tuple[int, list[tuple[int, int]]]] = []
        for i in range(RISKS):
            likelihood, impact = rng.randrange(2, 6), rng.randrange(2, 6)
            trend = [
                (
                    max(1, min(5, likelihood + rng.randrange(-1, 2))),
                    max(1, min(5, impact + rng.randrange(-1, 2))),
                )
                for _ in range(rng.choice(REVIEWS))
            ]
            residual_l, residual_i = trend[-1]
            score = residual_l * residual_i
            every = 30 if score >= 12 else 90 if score >= 5 else 180
            overdue = rng.random() < 0.15
            last = day - days(every + rng.randrange(1, 60) if overdue else rng.randrange(0, every))
            risks.append(
                Risk(
                    organisation=organisation,
                    programme=programme,
                    reference=f"R{i + 1:04d}",
                    title=f"Delay to {rng.choice(OBJECTS)} ({i + 1})",
                    cause="Suppliers cannot start before the contract ends.",
                    event="The new service starts late.",
                    effect="The saving slips into the next financial year.",
                    category=categories[i % len(categories)],
                    owner=rng.choice(owners),
                    inherent_likelihood=min(5, likelihood + 1),
                    inherent_impact=min(5, impact + 1),
                    residual_likelihood=residual_l,
                    residual_impact=residual_i,
                    residual_score=score,
                    status=RiskStatus.CLOSED if rng.random() < 0.1 else RiskStatus.OPEN,
                    last_reviewed_on=last,
                    next_review_on=last + days(every),
                )
            )
            review_rows.append((every, trend))
        bulk_create_with_history(risks, Risk, default_user=user, batch_size=1000)
        risks = list(Risk.objects.filter(organisation=organisation).order_by("reference"))
        reviews = []
        mitigations = []
        risk_links = []
        for risk, (every, trend) in zip(risks, review_rows, strict=True):
            assert risk.last_reviewed_on is not None
            for n, (likelihood, impact) in enumerate(trend):
                on = risk.last_reviewed_on - days(every * (len(trend) - 1 - n))
                reviews.append(
                    RiskReview(
                        risk=risk,
                        reviewed_on=on,
                        likelihood=likelihood,
                        impact=impact,
                        score=likelihood * impact,
                        note="Reviewed at the programme board.",
                        next_review_on=on + days(every),
                        reviewed_by=user,
                    )
                )
            for position in range(2):
                mitigations.append(
                    Mitigation(
                        risk=risk,
                        description=f"Mitigation {position + 1}: agree an interim arrangement.",
                        owner=rng.choice(owners),
                        due_on=day + days(rng.randrange(-90, 180)),
                        status=rng.choice(list(MitigationStatus)),
                        position=position,
                    )
                )
            for action in rng.sample(actions, rng.randrange(1, 3)):
                risk_links.append(Risk.actions.through(risk_id=risk.pk, action_id=action.pk))
        RiskReview.objects.bulk_create(reviews, batch_size=5000)
        Mitigation.objects.bulk_create(mitigations, batch_size=5000)
        Risk.actions.through.objects.bulk_create(risk_links, batch_size=5000)

        # Two quarterly updates: the last quarter's, closed, and this quarter's, open.
        current = FinancialQuarter.of(day)
        last = current.previous()
        updates = QuarterlyUpdate.objects.bulk_create(
            [
                QuarterlyUpdate(
                    organisation=organisation,
                    programme=programme,
                    quarter=last.code,
                    status=UpdateStatus.CLOSED,
                    opened_on=last.end - days(20),
                    closed_on=last.end + days(14),
                ),
                QuarterlyUpdate(
                    organisation=organisation,
                    programme=programme,
                    quarter=current.code,
                    status=UpdateStatus.OPEN,
                    opened_on=current.end - days(20),
                ),
            ]
        )
        action_updates = []
        for n, update in enumerate(updates):
            for action in actions:
                if n == 1 and rng.random() < 0.4:
                    continue  # not every owner has reported this quarter yet
                earlier = n == 0
                action_updates.append(
                    ActionUpdate(
                        update=update,
                        action=action,
                        progress="Workshops held with the service; design agreed.",
                        delay="Waiting for the supplier." if action.forecast_on else "",
                        status=ActionStatus.IN_PROGRESS
                        if earlier and action.status == ActionStatus.COMPLETE
                        else action.status,
                        percent_complete=max(0, action.percent_complete - (20 if earlier else 0)),
                        forecast_on=action.forecast_on,
                        spend=action.spend,
                        budget=action.budget,
                        rag=rng.choice(walk) if earlier else action.rag,
                        forecast_rag=rng.choice(walk) if earlier else action.forecast_rag,
                        due_on=action.due_on,
                        recorded_by=user,
                    )
                )
        ActionUpdate.objects.bulk_create(action_updates, batch_size=5000)

        # The golden thread and the operating model: most records are linked, some orphans.
        link_to_thread(organisation, user, rng, actions, benefits, risks)

    # The pages' subjects: a busy owner, an action with benefits and risks, a risk with reviews.
    busiest = Counter(action.owner for action in actions).most_common(1)[0][0]
    linked = Counter(link.action_id for link in benefit_links + risk_links).most_common(1)
    volume.owner = busiest
    volume.action_id = linked[0][0]
    volume.benefit_id = benefits[0].pk
    volume.risk_id = max(risks, key=lambda r: r.residual_score).pk
    volume.update_id = updates[1].pk
    volume.previous_update_id = updates[0].pk
    volume.quarter = current.code
    volume.rag_refresh, volume.rag_seconds = first_rag_refresh(organisation, user, day)
    volume.counts = table_counts(organisation)
    return volume


def link_to_thread(organisation: Any, user: Any, rng: random.Random, *records: list[Any]) -> None:
    """An adopted TOM of twelve components and a golden thread of twenty objectives,
    with about three records in four linked to a component and to an objective."""
    from django.contrib.contenttypes.models import ContentType
    from simple_history.utils import bulk_create_with_history

    from goldenthread.operating_model.models import (
        Component,
        ComponentLink,
        DeliveryKind,
        TomVersion,
        VersionStatus,
    )
    from goldenthread.performance.models import Level, ThreadItem, ThreadLink

    version = TomVersion.objects.create(
        organisation=organisation,
        number=1,
        title="Target operating model",
        status=VersionStatus.ADOPTED,
    )
    bulk_create_with_history(
        [
            Component(organisation=organisation, version=version, name=area, position=n)
            for n, area in enumerate(TARGET_AREAS + WORKSTREAMS[:4])
        ],
        Component,
        default_user=user,
    )
    components = list(Component.objects.filter(version=version))
    vision = ThreadItem.objects.create(
        organisation=organisation, level=Level.VISION, title="A council that works for everyone"
    )
    priorities = [
        ThreadItem.objects.create(
            organisation=organisation,
            level=Level.PRIORITY,
            parent=vision,
            title=f"Priority {n + 1}",
            position=n,
        )
        for n in range(4)
    ]
    bulk_create_with_history(
        [
            ThreadItem(
                organisation=organisation,
                level=Level.OBJECTIVE,
                parent=priorities[n % 4],
                title=f"Objective {n + 1}: better {rng.choice(OBJECTS)}",
                position=n,
            )
            for n in range(20)
        ],
        ThreadItem,
        default_user=user,
    )
    objectives = list(ThreadItem.objects.filter(organisation=organisation, level=Level.OBJECTIVE))
    component_links = []
    thread_links = []
    for rows, kind in zip(
        records, (DeliveryKind.ACTION, DeliveryKind.BENEFIT, DeliveryKind.RISK), strict=True
    ):
        content_type = ContentType.objects.get_for_model(rows[0])
        for row in rows:
            if rng.random() < 0.75:
                component_links.append(
                    ComponentLink(
                        organisation=organisation,
                        component=rng.choice(components),
                        kind=kind,
                        content_type=content_type,
                        object_id=row.pk,
                    )
                )
            if rng.random() < 0.75:
                thread_links.append(
                    ThreadLink(
                        organisation=organisation,
                        item=rng.choice(objectives),
                        content_type=content_type,
                        object_id=row.pk,
                    )
                )
    ComponentLink.objects.bulk_create(component_links, batch_size=5000)
    ThreadLink.objects.bulk_create(thread_links, batch_size=5000)


def rag_refresh_service() -> Any:
    """The rag part's bulk refresh, or ``None`` while that part is not built."""
    try:
        from goldenthread.programme.rag import services
    except ImportError:
        return None
    return getattr(services, "organisation_rag_refresh", None)


def first_rag_refresh(organisation: Any, user: Any, day: dt.date) -> tuple[str, float | None]:
    """Make every action's RAG what the organisation's rules say, through the rag part."""
    from goldenthread.programme.models import RagRecord, RagRuleSet

    refresh = rag_refresh_service()
    if refresh is None:
        print(
            "the rag part's organisation_rag_refresh is not built: the actions keep "
            "the generated RAG"
        )
        return "left as generated: the rag part's bulk refresh is not built yet", None
    start = time.perf_counter()
    changed = refresh(organisation=organisation, by=user, today=day)
    seconds = time.perf_counter() - start
    rules = RagRuleSet.objects.filter(organisation=organisation).order_by("-version").first()
    if rules is not None:
        # The generated history is shown with the rules now in force.
        RagRecord.objects.filter(organisation=organisation, rules=None).update(rules=rules)
    print(f"first RAG assessment of {ACTIONS:,} actions: {seconds:.2f} s, {changed} changed")
    return (
        "assessed by the organisation's rules (the rag part's bulk refresh"
        + (f", which changed {changed:,} of them)" if isinstance(changed, int) else ")"),
        seconds,
    )


def table_counts(organisation: Any) -> dict[str, int]:
    from goldenthread.operating_model.models import ComponentLink
    from goldenthread.performance.models import ThreadLink
    from goldenthread.programme.models import (
        Action,
        ActionSaving,
        ActionUpdate,
        Benefit,
        BenefitProfile,
        Milestone,
        Mitigation,
        RagRecord,
        Risk,
        RiskReview,
    )

    return {
        "actions": Action.objects.filter(organisation=organisation).count(),
        "milestones": Milestone.objects.filter(action__organisation=organisation).count(),
        "savings": ActionSaving.objects.filter(action__organisation=organisation).count(),
        "RAG records": RagRecord.objects.filter(organisation=organisation).count(),
        "benefits": Benefit.objects.filter(organisation=organisation).count(),
        "profile years": BenefitProfile.objects.filter(benefit__organisation=organisation).count(),
        "risks": Risk.objects.filter(organisation=organisation).count(),
        "risk reviews": RiskReview.objects.filter(risk__organisation=organisation).count(),
        "mitigations": Mitigation.objects.filter(risk__organisation=organisation).count(),
        "action updates": ActionUpdate.objects.filter(update__organisation=organisation).count(),
        "links to TOM components": ComponentLink.objects.filter(organisation=organisation).count(),
        "links to objectives": ThreadLink.objects.filter(organisation=organisation).count(),
    }


# --- the pages -------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    label: str
    #: URL names in the ``programme`` namespace, tried in order (the first that exists).
    names: tuple[str, ...]
    query: str = ""
    target: float | None = None
    #: Count the register's rows from the page (``.gt-result-count``).
    register: bool = False
    repeats: int = REPEATS


PAGES = (
    PageSpec(
        "Actions register: one programme, in progress, red or amber, by due date",
        ("action_list",),
        "?programme={programme_id}&status=in_progress&rag=red&rag=amber&sort=due_on&order=asc",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Actions register: a word of the title, by owner",
        ("action_list",),
        "?q=contract&sort=owner&order=asc",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Actions register: default order",
        ("action_list",),
        "",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Benefits register: planned or realising, by planned £",
        ("benefit_list",),
        "?status=planned&status=realising&sort=planned_total&order=desc",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Benefits register: default order",
        ("benefit_list",),
        "",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Risks register: open, residual score 8 or more, by next review",
        ("risk_list",),
        "?status=open&score-from=8&sort=next_review&order=asc",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Risks register: default order",
        ("risk_list",),
        "",
        TARGET_REGISTER_SECONDS,
        register=True,
    ),
    PageSpec(
        "Programme dashboard (every part's panels)",
        ("programme_detail",),
        "",
        TARGET_DASHBOARD_SECONDS,
    ),
    PageSpec(
        "Export of 5,000 actions (XLSX)",
        ("action_export",),
        "",
        TARGET_EXPORT_SECONDS,
        repeats=SLOW_REPEATS,
    ),
    PageSpec("Timeline", ("timeline", "programme_timeline", "action_timeline")),
    PageSpec("Board by status", ("board", "programme_board", "action_board")),
    PageSpec(
        "Improvement plan",
        ("improvement_plan", "programme_improvement_plan", "action_improvement_plan"),
    ),
    PageSpec("RAG rules", ("rag_rules",)),
    PageSpec("Quarterly updates of the programme", ("update_list",)),
    PageSpec("This quarter's update", ("update_detail",)),
    PageSpec("One owner's update page (the busiest owner)", ("update_owner",), "?owner={owner}"),
    PageSpec("An action's page", ("action_detail",)),
    PageSpec("A benefit's page", ("benefit_detail",)),
    PageSpec("A risk's page", ("risk_detail",)),
)


def url_values(organisation: Any, volume: Volume) -> dict[str, Any]:
    """A value for every URL argument the module's pages may take."""
    from django.utils.text import slugify

    return {
        "org_slug": organisation.slug,
        "programme_id": volume.programme_id,
        "action_id": volume.action_id,
        "benefit_id": volume.benefit_id,
        "risk_id": volume.risk_id,
        "update_id": volume.update_id,
        "quarterly_update_id": volume.update_id,
        "quarter": volume.quarter,
        "owner": volume.owner,
        "owner_slug": slugify(volume.owner),
        "fmt": "xlsx",
    }


def url_for(spec: PageSpec, values: dict[str, Any]) -> tuple[str | None, str]:
    """The page's address, or ``None`` and why there is none (its part not built yet)."""
    from django.urls import get_resolver, reverse

    resolver = get_resolver()
    if "programme" not in resolver.namespace_dict:
        return None, "not built"
    _, programme = resolver.namespace_dict["programme"]
    missing: list[str] = []
    for name in spec.names:
        for possibilities, *_ in programme.reverse_dict.getlist(name):
            for _, params in possibilities:
                lacking = [p for p in params if p not in values]
                if lacking:
                    missing = lacking
                    continue
                kwargs = {p: values[p] for p in params}
                query = spec.query.format(**{k: quote_plus(str(v)) for k, v in values.items()})
                return reverse(f"programme:{name}", kwargs=kwargs) + query, ""
    if missing:
        return None, f"not built (no value for {', '.join(missing)})"
    return None, "not built"


def fetch(client: Any, url: str) -> Any:
    response = client.get(url)
    if getattr(response, "streaming", False):
        response.content_bytes = b"".join(response.streaming_content)
    else:
        response.content_bytes = response.content
    return response


def time_page(client: Any, url: str, repeats: int) -> dict[str, Any]:
    """The first request, then the medians of ``repeats`` more: the time, the Python
    process's CPU time, and the time spent waiting on the database's statements."""
    from django.db import connection

    # Django resets its query log at each request, so count through a wrapper.
    queries: list[tuple[str, float]] = []
    waited = [0.0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - start))

    def wait(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - start

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        response = fetch(client, url)
        cold = time.perf_counter() - start
    if response.status_code != 200:
        return {"status": f"answered {response.status_code}"}
    warm, cpu, database = [], [], []
    with connection.execute_wrapper(wait):
        for _ in range(repeats):
            waited[0] = 0.0
            start, started = time.perf_counter(), time.process_time()
            fetch(client, url)
            warm.append(time.perf_counter() - start)
            cpu.append(time.process_time() - started)
            database.append(waited[0])
    return {
        "status": "",
        "cold": cold,
        "median": statistics.median(warm),
        "cpu": statistics.median(cpu),
        "database": statistics.median(database),
        "queries": len(queries),
        "sql": queries,
        "body": response.content_bytes,
    }


RESULT_COUNT = re.compile(rb'class="[^"]*gt-result-count[^"]*">\s*([^<.]+)')


def run_pages(client: Any, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    timings: dict[str, dict[str, Any]] = {}
    for spec in PAGES:
        url, why = url_for(spec, values)
        if url is None:
            timings[spec.label] = {"status": why}
            print(f"{spec.label}: {why}")
            continue
        try:
            t = time_page(client, url, spec.repeats)
        except Exception as error:  # a page of a part under construction may fail
            t = {"status": f"fails: {type(error).__name__}: {str(error)[:120]}"}
        t["url"] = url
        if spec.register and "body" in t:
            found = RESULT_COUNT.search(t["body"])
            t["rows"] = found.group(1).decode().strip() if found else ""
        if "body" in t:
            t["size"] = len(t.pop("body"))
        timings[spec.label] = t
        if t["status"]:
            print(f"{spec.label}: {t['status']} ({url})")
        else:
            print(
                f"{spec.label}: first {t['cold']:.3f} s, median {t['median']:.3f} s "
                f"(CPU {t['cpu']:.3f} s, statements {t['database']:.3f} s), "
                f"{t['queries']} queries {t.get('rows', '')} ({url})"
            )
    return timings


def rag_reassessment(organisation: Any, user: Any, day: dt.date) -> dict[str, tuple[float, Any]]:
    """The bulk reassessment the same day (nothing to change) and a quarter later (RAGs move).

    Each is ``(seconds, what the service returned)``.
    """
    refresh = rag_refresh_service()
    if refresh is None:
        return {}
    same = []
    for _ in range(SLOW_REPEATS):
        start = time.perf_counter()
        changed = refresh(organisation=organisation, by=user, today=day)
        same.append(time.perf_counter() - start)
    start = time.perf_counter()
    moved = refresh(organisation=organisation, by=user, today=day + dt.timedelta(days=91))
    later = time.perf_counter() - start
    return {
        f"the same day (median of {SLOW_REPEATS})": (statistics.median(same), changed),
        "a quarter later": (later, moved),
    }


def print_queries(label: str, queries: list[tuple[str, float]]) -> None:
    """The page's queries, the same statement with other values counted once, slowest first."""
    shapes: dict[str, list[float]] = {}
    for sql, seconds in queries:
        shapes.setdefault(re.sub(r"\b\d+\b", "N", sql), []).append(seconds)
    print(f"--- {label}: {len(queries)} queries")
    for sql, times in sorted(shapes.items(), key=lambda item: -sum(item[1])):
        print(f"{len(times):5d} × {sum(times) * 1000:7.1f} ms  {sql[:600]}")


def profile_page(client: Any, url: str, lines: int = 40) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    fetch(client, url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(25)


# --- the run ---------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-doc", action="store_true", help="do not update the docs")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a run with --keep left, without generating again",
    )
    parser.add_argument("--queries", action="store_true", help="print each page's queries, grouped")
    parser.add_argument(
        "--profile",
        metavar="LABEL",
        help="profile one request of the pages whose label has this, or the RAG reassessment",
    )
    args = parser.parse_args()

    from bench_structure import machine
    from bench_structure_web import drop_database, fresh_database, setup_django, update_doc

    if not args.reuse:
        fresh_database(DATABASE)
    load = [os.getloadavg()[0]]
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            setup_django(var_dir, DATABASE)
            results = run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(DATABASE)
    load.append(os.getloadavg()[0])
    results["load"] = load
    section = report(results, machine())
    print(section)
    if not args.no_doc and not args.profile:
        update_doc(section, SECTION)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from goldenthread.accounts import services as accounts
    from goldenthread.accounts.models import Organisation, Role

    day = today()
    if args.reuse:
        organisation = Organisation.objects.get(slug=ORGANISATION_SLUG)
        user = get_user_model().objects.get(username="bench-admin")
        volume = reuse_volume(organisation)
    else:
        organisation = accounts.organisation_create(
            name="Benchmark Borough Council", slug=ORGANISATION_SLUG
        )
        user = accounts.user_create(username="bench-admin", password="bench-password-7731")
        accounts.membership_create(organisation=organisation, user=user, role=Role.ADMIN)
        start = time.perf_counter()
        volume = generate(organisation, user, day)
        print(f"generated in {time.perf_counter() - start:.1f} s: {volume.counts}")
    # PostgreSQL's autovacuum updates the planner's statistics within a minute
    # of a bulk insert; measure the pages as they run from then on.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    values = url_values(organisation, volume)
    if args.profile:
        for spec in PAGES:
            url, _ = url_for(spec, values)
            if args.profile.lower() in spec.label.lower() and url:
                print(f"=== {spec.label} ({url})")
                fetch(client, url)
                profile_page(client, url)
        refresh = rag_refresh_service()
        if args.profile.lower() in "rag reassessment" and refresh is not None:
            print("=== RAG reassessment, half a year later")
            profiler = cProfile.Profile()
            profiler.runcall(
                refresh, organisation=organisation, by=user, today=day + dt.timedelta(days=182)
            )
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        raise SystemExit(0)
    timings = run_pages(client, values)
    if args.queries:
        for label, t in timings.items():
            if "sql" in t:
                print_queries(label, t["sql"])
    rag = rag_reassessment(organisation, user, day)
    for label, (seconds, changed) in rag.items():
        print(f"RAG reassessment of {ACTIONS:,} actions, {label}: {seconds:.2f} s, {changed}")
    return {"volume": volume, "pages": timings, "rag": rag}


def reuse_volume(organisation: Any) -> Volume:
    """The pages' subjects, found again in a database a previous run kept."""
    from django.db.models import Count

    from goldenthread.programme.models import Action, Programme, QuarterlyUpdate, Risk

    volume = Volume(counts=table_counts(organisation), rag_refresh="kept from an earlier run")
    volume.programme_id = Programme.objects.get(organisation=organisation).pk
    actions = Action.objects.filter(organisation=organisation)
    busiest = actions.values("owner").annotate(n=Count("pk")).order_by("-n", "owner").first()
    volume.owner = busiest["owner"] if busiest else ""
    linked = actions.annotate(n=Count("benefits", distinct=True) + Count("risks", distinct=True))
    volume.action_id = linked.order_by("-n", "pk").values_list("pk", flat=True)[0]
    volume.benefit_id = organisation.benefits.order_by("reference").values_list("pk", flat=True)[0]
    risks = Risk.objects.filter(organisation=organisation)
    volume.risk_id = risks.order_by("-residual_score", "reference").values_list("pk", flat=True)[0]
    updates = QuarterlyUpdate.objects.filter(organisation=organisation).order_by("-quarter")
    volume.update_id, volume.previous_update_id = [u.pk for u in updates[:2]]
    volume.quarter = updates[0].quarter
    return volume


def report(results: dict[str, Any], machine: str) -> str:
    volume: Volume = results["volume"]
    pages: dict[str, dict[str, Any]] = results["pages"]
    rag: dict[str, tuple[float, Any]] = results["rag"]
    load: list[float] = results["load"]

    def verdict(seconds: float, target: float | None) -> str:
        if target is None:
            return "none set"
        shown = f"{target * 1000:.0f} ms" if target < 1 else f"{target:.0f} s"
        return f"under {shown}: " + ("met" if seconds < target else "**not met**")

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    counts = ", ".join(f"{n:,} {what}" for what, n in volume.counts.items())
    lines = [
        SECTION,
        "",
        f"Machine: {machine}; PostgreSQL 15 on the same machine.",
        "",
        f"Load on the machine (one-minute load average, other work included): {load[0]:.1f} "
        f"at the start of the run, {load[-1]:.1f} at the end; with more than one runnable "
        "process per core every time here is inflated.",
        "",
        f"Command: `{COMMAND}`",
        "",
        f"One organisation, one programme: {counts}; two quarterly updates "
        "(the last quarter's, closed, and this quarter's, open). The records are generated "
        "from a fixed seed with dates counted from the day of the run; the RAG of every "
        f"action is then {volume.rag_refresh}.",
        "",
        "Server time is Django's whole handling of a request in-process (middleware, "
        "tenancy guard, queries, template), measured with its test client; for the "
        "export, until the whole file is written. The queries are those of the first "
        f"request; the median is of the {REPEATS} requests after it "
        f"({SLOW_REPEATS} for the export). Python CPU is the median CPU time of the "
        "server's process for a request, which the machine's load inflates much less than "
        "the elapsed time; statements, the median time spent waiting on the database's "
        "statements (included in the elapsed time).",
        "",
        "| Page | First request | Median | Python CPU | Statements | Queries | Target (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for spec in PAGES:
        t = pages[spec.label]
        label = spec.label + (f" ({t['rows']})" if t.get("rows") else "")
        if spec.repeats == SLOW_REPEATS and t.get("size"):
            label += f" ({t['size'] / 1024:,.0f} KiB)"
        if t["status"]:
            lines.append(f"| {label} | {t['status']} | | | | | |")
            continue
        lines.append(
            f"| {label} | {ms(t['cold'])} | {ms(t['median'])} | {ms(t['cpu'])} | "
            f"{ms(t['database'])} | {t['queries']} | "
            f"{verdict(t['median'], spec.target)} |"
        )
    lines.append("")
    missed = [
        (spec, pages[spec.label])
        for spec in PAGES
        if spec.target is not None
        and not pages[spec.label]["status"]
        and pages[spec.label]["median"] >= spec.target
    ]
    for spec, t in missed:
        own = t["cpu"] + t["database"]
        lines.append(
            f"{spec.label}: not met in elapsed time; its own work, the process's CPU time "
            f"and the wait on its statements, is {ms(own)} "
            + (
                "(within the target: the rest is the wait for a core on the loaded machine)."
                if own < spec.target
                else "(over the target on its own)."
            )
        )
        lines.append("")
    if volume.rag_seconds is not None or rag:
        lines.append(
            f"RAG assessment of the {ACTIONS:,} actions by the rag part's "
            "`organisation_rag_refresh` (every action's current and forecast year-end RAG, "
            "and a record of each change):"
        )
        lines.append("")
        if volume.rag_seconds is not None:
            lines.append(f"- first, over the generated RAG: {ms(volume.rag_seconds)}")
        lines += [
            f"- again, {label}: {ms(seconds)}"
            + (f" ({changed:,} changed)" if isinstance(changed, int) else "")
            for label, (seconds, changed) in rag.items()
        ]
    else:
        lines.append(
            "The bulk RAG reassessment (`organisation_rag_refresh`) is not built yet: not measured."
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
