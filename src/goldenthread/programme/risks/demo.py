"""The demo council's risk register: seed 001's risks and more, a year of reviews each.

The first four risks are the transformation programme's own high-level risk
analysis, in its words; the rest cover every category, one of them the
council's own. Each has mitigations and three to six reviews over the past
year, so its trend has a shape, and some reviews are overdue. Loading twice
adds nothing: a risk whose reference is already there is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.programme.models import (
    Action,
    MitigationStatus,
    Programme,
    Risk,
    RiskCategory,
    RiskStatus,
)

from . import services
from .rules import risk_rules

#: The council's own category, beside the standard ones.
OWN_CATEGORY = "Political and member"

PLANNED, DOING, DONE = (
    MitigationStatus.PLANNED,
    MitigationStatus.IN_PROGRESS,
    MitigationStatus.DONE,
)


@dataclass(frozen=True)
class DemoRisk:
    reference: str
    title: str
    category: str
    cause: str
    event: str
    effect: str
    owner: str
    inherent: tuple[int, int]
    #: Residual likelihood and impact at each review, oldest first.
    reviews: tuple[tuple[int, int], ...]
    #: Days before today of the last review: more than the band's frequency makes it overdue.
    last_ago: int
    mitigations: tuple[tuple[str, str, str], ...] = ()
    #: Positions of the programme's actions (in their order) that treat the risk.
    actions: tuple[int, ...] = ()
    status: str = RiskStatus.OPEN


RISKS: tuple[DemoRisk, ...] = (
    DemoRisk(
        "R01",
        "Capacity and Expertise",
        RiskCategory.QUALITY,
        "the Councils do not have sufficient capacity and expertise to deliver the programme",
        "there is a risk to timescales and cost of delivery as well as quality in achieving the "
        "vision, benefits, and objectives; single points of failure may occur where there is "
        "insufficient cover in specific skills staff capacity",
        "delay, higher cost and a weaker operating model",
        "Programme Director",
        (4, 4),
        ((4, 4), (4, 3), (3, 3), (3, 3), (3, 2)),
        12,
        (
            (
                "Critical friend (the Advisor) assurance role to provide Strategic Projects Board "
                "with regular feedback, assurance, and recommendations.",
                "Programme Director",
                DONE,
            ),
            (
                "The Advisor network to resource expertise as required throughout the Programme.",
                "Programme Director",
                DOING,
            ),
            (
                "Rigorous management of corporate projects to ensure resources are used most "
                "effectively any issues are identified and managed early.",
                "Head of Programme Office",
                DOING,
            ),
            (
                "Defined and resourced Programme roles for workstream leads and Programme "
                "Support ensuring capacity.",
                "Head of HR and OD",
                DONE,
            ),
        ),
        (0, 1),
    ),
    DemoRisk(
        "R02",
        "Accurate Cost & savings estimates",
        RiskCategory.FINANCIAL,
        "initial cost and savings estimates are high level predictions",
        "they may vary from expectation as Programme develops",
        "savings fall short of the medium-term financial strategy",
        "Chief Finance Officer (S151)",
        (4, 5),
        ((4, 4), (4, 4), (3, 4), (3, 4)),
        75,
        (
            (
                "Further, more detailed financial analysis work is planned as the programme "
                "progresses, and further iterations of the TOM.",
                "Chief Finance Officer (S151)",
                DOING,
            ),
            (
                "Approval of Individual business cases for procurement of solutions.",
                "Strategic Projects Board",
                PLANNED,
            ),
            (
                "Programme governance in place to monitor and report actual costs and savings "
                "against initial high-level estimates with variances tested against business "
                "case.",
                "Head of Programme Office",
                DONE,
            ),
        ),
        (2,),
    ),
    DemoRisk(
        "R03",
        "Pace of Programme",
        RiskCategory.DELIVERY,
        "the programme timescales do not allow for development of further iterations of the "
        "TOM, testing and learning from prototype development and re-design",
        "quality of outcomes may be affected; a pace that is too slow to deliver benefits will "
        "risk losing engagement and confidence of key stakeholders",
        "benefits arrive late and stakeholders lose confidence",
        "Programme Director",
        (4, 4),
        ((3, 3), (3, 4), (4, 4), (4, 4), (4, 5)),
        50,
        (
            (
                "Programme Support function in place to coordinate activity, ensure progress and "
                "alert to any deviation from the plan.",
                "Head of Programme Office",
                DONE,
            ),
            ("Programme Governance to monitoring delivery.", "Strategic Projects Board", DOING),
            ("Governance checkpoints as part of programme.", "Programme Director", PLANNED),
        ),
        (1, 3),
    ),
    DemoRisk(
        "R04",
        "Complexity of achieving savings",
        RiskCategory.QUALITY,
        "savings targets are met by cutting services without careful redesign",
        "the changes may not fit with delivery of the vision and objectives",
        "service quality falls",
        "Director of Transformation",
        (4, 4),
        ((3, 4), (3, 4), (3, 3)),
        20,
        (
            (
                "Applied course in service redesign to ensure expertise in re design.",
                "Head of HR and OD",
                DOING,
            ),
        ),
        (4,),
    ),
    DemoRisk(
        "R05",
        "Council tax and business rates income below forecast",
        RiskCategory.FINANCIAL,
        "collection rates fall as household costs rise",
        "income is below the budget assumptions",
        "the programme's savings must cover a larger gap",
        "Chief Finance Officer (S151)",
        (3, 4),
        ((3, 4), (3, 4), (4, 4), (4, 4)),
        20,
        (
            (
                "Monthly collection monitoring reported to the S151 officer.",
                "Revenues Manager",
                DONE,
            ),
        ),
    ),
    DemoRisk(
        "R06",
        "Legacy case management system cannot be switched off",
        RiskCategory.TECHNOLOGY,
        "the new platform does not yet hold every service's casework",
        "the old system must run alongside it beyond its contract",
        "double licence costs and two places to look",
        "Head of Digital",
        (4, 3),
        ((4, 3), (4, 3), (3, 3), (2, 3), (2, 3), (2, 2)),
        30,
        (
            ("Migration plan for each service's casework.", "Head of Digital", DOING),
            ("Negotiate a short extension of the legacy contract.", "Procurement Lead", DONE),
        ),
        (5,),
    ),
    DemoRisk(
        "R07",
        "Cyber attack disrupts the new digital front door",
        RiskCategory.TECHNOLOGY,
        "more services move online through one platform",
        "a cyber attack takes the platform down",
        "residents cannot reach services and data may be lost",
        "Head of Digital",
        (3, 5),
        ((3, 5), (2, 5), (2, 5)),
        130,
        (
            ("Penetration test before each release.", "Head of Digital", DONE),
            (
                "Offline continuity plan for each contact channel.",
                "Customer Services Manager",
                PLANNED,
            ),
        ),
    ),
    DemoRisk(
        "R08",
        "Staff morale and turnover during restructure",
        RiskCategory.PEOPLE,
        "staff are uncertain about their roles while the structure changes",
        "experienced staff leave",
        "knowledge is lost and services slow down",
        "Head of HR and OD",
        (4, 4),
        ((3, 3), (3, 4), (4, 4), (3, 4)),
        45,
        (
            ("Monthly staff briefings and a questions inbox.", "Chief Executive", DONE),
            (
                "Retention payments for roles with single points of failure.",
                "Head of HR and OD",
                PLANNED,
            ),
        ),
        (0,),
    ),
    DemoRisk(
        "R09",
        "Trade union consultation extends the timetable",
        RiskCategory.PEOPLE,
        "formal consultation on the new structure takes longer than planned",
        "implementation dates move",
        "savings from the restructure arrive a quarter late",
        "Head of HR and OD",
        (3, 3),
        ((3, 3), (2, 3), (2, 3)),
        10,
        (("Early engagement with union representatives.", "Head of HR and OD", DONE),),
    ),
    DemoRisk(
        "R10",
        "Procurement challenge to the platform contract",
        RiskCategory.LEGAL,
        "an unsuccessful bidder challenges the award",
        "the contract is suspended",
        "delay to the digital workstream and legal costs",
        "Monitoring Officer",
        (2, 4),
        ((2, 4), (2, 4), (1, 4)),
        100,
        (("Legal review of the award decision before standstill.", "Monitoring Officer", DONE),),
    ),
    DemoRisk(
        "R11",
        "Data protection breach while sharing data between services",
        RiskCategory.LEGAL,
        "services share residents' data to build one view of the customer",
        "personal data is shared without a lawful basis",
        "a fine from the regulator and loss of residents' trust",
        "Data Protection Officer",
        (3, 4),
        ((3, 4), (2, 4), (2, 3), (2, 3)),
        25,
        (
            (
                "Data protection impact assessment for each data share.",
                "Data Protection Officer",
                DONE,
            ),
            ("Data sharing agreements signed by each service.", "Data Protection Officer", DOING),
        ),
    ),
    DemoRisk(
        "R12",
        "Public reaction to changes in face-to-face services",
        RiskCategory.REPUTATIONAL,
        "reception desks close as services move online",
        "residents and the press react against the change",
        "damage to the council's reputation and pressure to reverse it",
        "Head of Communications",
        (3, 3),
        ((3, 3), (3, 3), (4, 3), (4, 3), (4, 4)),
        40,
        (
            ("Communications strategy and stakeholder plan.", "Head of Communications", DONE),
            ("Assisted digital support in libraries.", "Customer Services Manager", DOING),
        ),
        (6,),
    ),
    DemoRisk(
        "R13",
        "Partner organisations do not adopt the shared model",
        RiskCategory.PARTNERSHIP,
        "health and voluntary sector partners have their own priorities",
        "they do not take part in the shared front door",
        "residents still meet several front doors",
        "Director of Communities",
        (3, 3),
        ((3, 3), (3, 3), (3, 2)),
        60,
        (("Partnership board with a shared delivery plan.", "Director of Communities", DOING),),
    ),
    DemoRisk(
        "R14",
        "Supplier cannot deliver the platform on time",
        RiskCategory.PARTNERSHIP,
        "the platform supplier is stretched across several councils",
        "its releases slip",
        "the digital workstream misses its quarter",
        "Procurement Lead",
        (3, 4),
        ((2, 3), (3, 3), (3, 4), (3, 4)),
        15,
        (("Monthly contract meetings with delivery milestones.", "Procurement Lead", DONE),),
        (5,),
    ),
    DemoRisk(
        "R15",
        "Members do not agree the new operating model",
        OWN_CATEGORY,
        "the operating model changes how members' casework is handled",
        "Cabinet defers the decision",
        "the programme pauses while it is reconsidered",
        "Chief Executive",
        (2, 5),
        ((2, 5), (2, 4), (1, 4)),
        90,
        (("Member briefings before each Cabinet report.", "Chief Executive", DONE),),
    ),
    DemoRisk(
        "R16",
        "Quality of data migrated to the new platform",
        RiskCategory.QUALITY,
        "records in the old systems are incomplete or duplicated",
        "poor data moves to the new platform",
        "staff and residents cannot trust what it shows",
        "Head of Digital",
        (4, 3),
        ((4, 3), (3, 3), (3, 2), (2, 2)),
        200,
        (("Data cleansing before each migration.", "Head of Digital", DONE),),
        status=RiskStatus.CLOSED,
    ),
)


def _review_dates(today: dt.date, count: int, last_ago: int) -> list[dt.date]:
    """``count`` review dates over the past year, the last ``last_ago`` days before today."""
    last = today - dt.timedelta(days=last_ago)
    first = today - dt.timedelta(days=360)
    if count == 1 or last <= first:
        return [last] * count
    step = (last - first).days / (count - 1)
    return [first + dt.timedelta(days=round(index * step)) for index in range(count)]


def _own_category(organisation: Organisation, by: Actor) -> None:
    rules = risk_rules(organisation=organisation)
    if OWN_CATEGORY in rules.own_categories:
        return
    services.risk_settings_update(
        organisation=organisation,
        categories=[*rules.own_categories, OWN_CATEGORY],
        matrix=[list(row) for row in rules.matrix],
        bands=[
            {"name": b.name, "from": b.low, "to": b.high, "review_days": b.review_days}
            for b in rules.bands
        ],
        review_days=rules.default_days,
        by=by,
    )


def load(*, organisation: Organisation, programme: Programme, by: Actor, today: dt.date) -> None:
    """Add the demo's risks to ``programme``; those already there are left as they are."""
    _own_category(organisation, by)
    actions = list(Action.objects.filter(programme=programme).order_by("position", "reference"))
    taken = set(Risk.objects.filter(organisation=organisation).values_list("reference", flat=True))
    for demo in RISKS:
        if demo.reference in taken:
            continue
        first = demo.reviews[0]
        risk = services.risk_create(
            organisation=organisation,
            programme=programme,
            reference=demo.reference,
            title=demo.title,
            category=demo.category,
            cause=demo.cause,
            event=demo.event,
            effect=demo.effect,
            owner=demo.owner,
            inherent_likelihood=demo.inherent[0],
            inherent_impact=demo.inherent[1],
            residual_likelihood=first[0],
            residual_impact=first[1],
            actions=[actions[i] for i in demo.actions if i < len(actions)],
            today=today,
            by=by,
        )
        for description, owner, status in demo.mitigations:
            due = today + dt.timedelta(days=90 if status != DONE else -60)
            services.mitigation_create(
                risk=risk, description=description, owner=owner, due_on=due, status=status, by=by
            )
        dates = _review_dates(today, len(demo.reviews), demo.last_ago)
        for index, ((likelihood, impact), day) in enumerate(zip(demo.reviews, dates, strict=True)):
            note = "Scores reviewed at the Strategic Projects Board." if index else "First review."
            services.risk_review_create(
                risk=risk,
                reviewed_on=day,
                likelihood=likelihood,
                impact=impact,
                note=note,
                today=today,
                by=by,
            )
        if demo.status != RiskStatus.OPEN:
            risk.refresh_from_db()
            services.risk_update(
                risk=risk,
                reference=risk.reference,
                title=risk.title,
                category=risk.category,
                programme=risk.programme,
                cause=risk.cause,
                event=risk.event,
                effect=risk.effect,
                owner=risk.owner,
                inherent_likelihood=risk.inherent_likelihood,
                inherent_impact=risk.inherent_impact,
                residual_likelihood=risk.residual_likelihood,
                residual_impact=risk.residual_impact,
                status=demo.status,
                review_days=risk.review_days,
                next_review_on=risk.next_review_on,
                today=today,
                by=by,
            )
