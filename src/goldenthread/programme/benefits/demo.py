"""The demo council's benefits: seed 000's benefits and more, each type, with cashable profiles.

Idempotent: a benefit whose reference is already there is left as it is, and
its profile is set to the same figures again (which changes nothing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.quarters import financial_year_of
from goldenthread.programme.models import Benefit, BenefitStatus, BenefitType, Programme

from . import services

T = BenefitType
S = BenefitStatus

#: (title, type, description, owner, confidence, status, £ a year planned or 0 for none)
BENEFITS: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    (
        "Improved customer service at the Town Hall Reception",
        T.END_USER_EXPERIENCE,
        "Counting who comes to the reception and why lets the customer services team shape the "
        "offer at the Town Hall, staffed in full and trained as one team.",
        "Head of Customer Services",
        "high",
        S.REALISED,
        0,
    ),
    (
        "Improved security at the Town Hall Reception",
        T.END_USER_EXPERIENCE,
        "The reception follows the same security approach as the appointment centre, so staff "
        "and visitors are safer.",
        "Facilities Manager",
        "high",
        S.REALISING,
        0,
    ),
    (
        "Customer experience improved for young people moving to adult services",
        T.END_USER_EXPERIENCE,
        "One all-age brokerage service plans each young person's move to adult care in good "
        "time, with one officer who knows them.",
        "Head of Brokerage",
        "medium",
        S.PLANNED,
        0,
    ),
    (
        "Cross Council working to improve customer experience",
        T.END_USER_EXPERIENCE,
        "A customer experience strategy for the whole council gives support teams one way of "
        "working, including the careful use of AI.",
        "Director of Customer",
        "60%",
        S.PLANNED,
        0,
    ),
    (
        "Single view of debt",
        T.PROCESS_EFFICIENCY,
        "Data from the warehouse and the services that carry most debt is brought together, so "
        "officers see everything a debtor owes and their circumstances in one place.",
        "Head of Revenues",
        "medium",
        S.REALISING,
        120_000,
    ),
    (
        "Audit of Governance meetings",
        T.PROCESS_EFFICIENCY,
        "Every governance meeting was mapped by theme, so duplicated meetings can be stopped "
        "and officer time given back.",
        "Head of Democratic Services",
        "high",
        S.REALISED,
        45_000,
    ),
    (
        "Cross Council service redesigns",
        T.PROCESS_EFFICIENCY,
        "Each directorate redesigns its services with roles that put support staff at the heart "
        "of delivery.",
        "Strategic Director of Resources",
        "low",
        S.PLANNED,
        250_000,
    ),
    (
        "Improved processes and practices",
        T.PROCESS_EFFICIENCY,
        "Service leads review and tidy their processes as everyday work once the change is made.",
        "Head of Quality",
        "55%",
        S.IDENTIFIED,
        30_000,
    ),
    (
        "Long term process and system change",
        T.PROCESS_EFFICIENCY,
        "Legal, audit and procurement described how things work now and how they should work, "
        "to plan the systems that follow.",
        "Head of Procurement",
        "low",
        S.IDENTIFIED,
        80_000,
    ),
    (
        "Increased flexibility in team resources",
        T.QUALITY,
        "Training lets brokerage and quality officers work across each other's areas, so the "
        "teams cover absence and peaks.",
        "Head of Brokerage",
        "high",
        S.REALISING,
        0,
    ),
    (
        "Income and Debt Board",
        T.QUALITY,
        "A board that looks at the council's whole debt position each month, which no one held "
        "before.",
        "Director of Finance",
        "medium",
        S.REALISED,
        0,
    ),
    (
        "Increased data intelligence for commissioning",
        T.QUALITY,
        "More use of digital platforms gives commissioners better data to plan with.",
        "Head of Commissioning",
        "50%",
        S.PLANNED,
        0,
    ),
    (
        "Commercial financial analysis",
        T.QUALITY,
        "An analysis of the income the council collects from commercial activity, shared with "
        "the services that earn it.",
        "Head of Commercial",
        "medium",
        S.CLOSED,
        0,
    ),
    (
        "Reduced agency spend in adult social care",
        T.CASHABLE_SAVING,
        "Permanent recruitment replaces agency social workers as posts are filled.",
        "Director of Adult Services",
        "medium",
        S.REALISING,
        400_000,
    ),
    (
        "Fewer office buildings",
        T.CASHABLE_SAVING,
        "Two leased offices are given up as teams share the Town Hall.",
        "Head of Property",
        "high",
        S.REALISED,
        310_000,
    ),
    (
        "Single contact centre",
        T.CASHABLE_SAVING,
        "Three contact centres become one, with one telephony contract.",
        "Head of Customer Services",
        "75%",
        S.PLANNED,
        180_000,
    ),
    (
        "Badges and passes paid for only when in use",
        T.CASHABLE_SAVING,
        "Cleaner databases mean the council stops paying for passes nobody holds.",
        "Facilities Manager",
        "high",
        S.REALISED,
        12_500,
    ),
    (
        "Avoided residential placements",
        T.COST_AVOIDANCE,
        "Better support at home delays or avoids moves into residential care.",
        "Director of Adult Services",
        "low",
        S.REALISING,
        600_000,
    ),
    (
        "Avoided temporary accommodation",
        T.COST_AVOIDANCE,
        "Earlier housing advice keeps families out of bed and breakfast.",
        "Head of Housing Needs",
        "medium",
        S.PLANNED,
        220_000,
    ),
    (
        "Income and debt collection improved",
        T.INCOME,
        "A survey of every service that collects income showed where debt builds up; those "
        "services now chase it sooner.",
        "Head of Revenues",
        "medium",
        S.REALISING,
        150_000,
    ),
    (
        "Commercial income from traded services",
        T.INCOME,
        "Schools and neighbouring councils buy the council's payroll and legal services.",
        "Head of Commercial",
        "35%",
        S.IDENTIFIED,
        90_000,
    ),
    (
        "Balanced scorecards for service plans",
        T.QUALITY,
        "Services with a usable scorecard present their service plan to their teams from it.",
        "Head of Performance",
        "high",
        S.REALISED,
        0,
    ),
)

#: What part of a year's planned £ was realised in past years, by status.
REALISED_SHARE: dict[str, Decimal] = {
    S.REALISED: Decimal("1.00"),
    S.CLOSED: Decimal("1.00"),
    S.REALISING: Decimal("0.70"),
}
EVIDENCE = "Measured at the quarterly review against the baseline; signed off by the owner."


def load(*, organisation: Organisation, programme: Programme, by: Actor, today: dt.date) -> None:
    actions = list(programme.actions.order_by("position", "reference"))
    this_year = financial_year_of(today)
    years = (this_year - 1, this_year, this_year + 1)
    for index, (title, kind, description, owner, confidence, status, amount) in enumerate(
        BENEFITS, start=1
    ):
        reference = f"BEN-{index:02d}"
        benefit = Benefit.objects.filter(organisation=organisation, reference=reference).first()
        if benefit is None:
            chosen = (
                [actions[(index * 3 + step) % len(actions)] for step in (0, 7)][: 1 + index % 2]
                if actions
                else []
            )
            benefit = services.benefit_create(
                organisation=organisation,
                reference=reference,
                title=title,
                type=kind,
                description=description,
                owner=owner,
                programme=programme,
                actions=[action.reference for action in chosen],
                measure="£ saved a year" if amount else "Residents' and staff feedback",
                baseline="£0" if amount else "Survey of 2024",
                baseline_on=dt.date(this_year - 1, 4, 1),
                target=f"£{amount:,} a year" if amount else "Better than the baseline",
                target_on=dt.date(this_year + 2, 3, 31),
                confidence=confidence,
                status=status,
                evidence=EVIDENCE if status in services.NEEDING_EVIDENCE else "",
                by=by,
            )
        if not amount:
            continue
        share = REALISED_SHARE.get(status)
        profile: dict[int, tuple[Decimal | None, Decimal | None]] = {}
        for step, year in enumerate(years):
            planned = Decimal(amount) * (step + 1) / 3
            planned = planned.quantize(Decimal("0.01"))
            realised = (
                (planned * share).quantize(Decimal("0.01")) if share and year < this_year else None
            )
            profile[year] = (planned, realised)
        services.benefit_profile_update(benefit=benefit, years=profile, by=by)
