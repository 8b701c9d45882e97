"""Every read of the risk register, always given the organisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.analysis import risks as scoring
from goldenthread.performance.models import ThreadLink
from goldenthread.programme.models import (
    Action,
    Mitigation,
    Programme,
    Risk,
    RiskReview,
    RiskStatus,
)

__all__ = [
    "HeatMap",
    "RiskRise",
    "heat_map",
    "overdue",
    "risk_counts",
    "risk_get",
    "risk_list",
    "risk_register",
    "risk_untraced",
    "risks_of_action",
    "risks_overdue",
    "risks_risen",
]


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else timezone.localdate()


def risk_list(*, organisation: Organisation) -> QuerySet[Risk]:
    return Risk.objects.filter(organisation=organisation).select_related("programme")


def risk_register(*, organisation: Organisation) -> QuerySet[Risk]:
    """The risks as the register lists them."""
    return risk_list(organisation=organisation)


def risk_get(*, organisation: Organisation, pk: int) -> Risk:
    return risk_list(organisation=organisation).get(pk=pk)


def overdue(today: dt.date | None = None) -> Q:
    """Open risks whose next review is before ``today``."""
    return Q(status=RiskStatus.OPEN, next_review_on__lt=_today(today))


def risks_overdue(
    *, organisation: Organisation, programme: Programme | None = None, today: dt.date | None = None
) -> QuerySet[Risk]:
    """Open risks whose review is overdue, the longest overdue first."""
    found = risk_list(organisation=organisation).filter(overdue(today))
    if programme is not None:
        found = found.filter(programme=programme)
    return found.order_by("next_review_on", "reference")


def risk_counts(*, organisation: Organisation, today: dt.date | None = None) -> dict[str, int]:
    """How many risks, how many open and how many overdue for review: one query."""
    return Risk.objects.filter(organisation=organisation).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=RiskStatus.OPEN)),
        overdue=Count("pk", filter=overdue(today)),
    )


def risk_mitigations(*, risk: Risk) -> QuerySet[Mitigation]:
    return Mitigation.objects.filter(risk=risk).order_by("position", "pk")


def mitigation_get(*, organisation: Organisation, risk: Risk, pk: int) -> Mitigation:
    return Mitigation.objects.select_related("risk").get(
        risk__organisation=organisation, risk=risk, pk=pk
    )


def risk_reviews(*, risk: Risk) -> QuerySet[RiskReview]:
    return RiskReview.objects.filter(risk=risk).select_related("reviewed_by")


def risks_of_action(*, organisation: Organisation, action: Action) -> QuerySet[Risk]:
    """The risks linked to an action, the highest residual score first."""
    return (
        risk_list(organisation=organisation)
        .filter(actions=action)
        .order_by("-residual_score", "reference")
    )


@dataclass(frozen=True)
class HeatMap:
    """Counts of open risks by likelihood (rows, 5 at the top) and impact (columns, 1 first)."""

    inherent: bool
    counts: dict[tuple[int, int], int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, likelihood: int, impact: int) -> int:
        return self.counts.get((likelihood, impact), 0)


def heat_map(
    *, organisation: Organisation, programme: Programme | None = None, inherent: bool = False
) -> HeatMap:
    """Open risks counted in each cell of the 5×5 grid: one grouped query."""
    found = Risk.objects.filter(organisation=organisation, status=RiskStatus.OPEN)
    if programme is not None:
        found = found.filter(programme=programme)
    prefix = "inherent" if inherent else "residual"
    rows = (
        found.order_by()
        .values_list(f"{prefix}_likelihood", f"{prefix}_impact")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for likelihood, impact, n in rows:
        if likelihood in scoring.SCALE and impact in scoring.SCALE:
            counts[(likelihood, impact)] += n
    return HeatMap(inherent, dict(counts))


def risk_untraced(*, organisation: Organisation) -> QuerySet[Risk]:
    """Open risks that threaten no objective of the golden thread."""
    traced = ThreadLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Risk), object_id=OuterRef("pk")
    )
    open_risks = risk_list(organisation=organisation).filter(status=RiskStatus.OPEN)
    return open_risks.exclude(Exists(traced)).order_by("reference")


@dataclass(frozen=True)
class RiskRise:
    """A risk whose score rose across its reviews in a window: its score before and after."""

    risk: Risk
    before: int
    after: int
    reviewed_on: dt.date


def risks_risen(*, organisation: Organisation, since: dt.date, until: dt.date) -> list[RiskRise]:
    """Risks whose residual score rose across the reviews from ``since`` to ``until`` (inclusive).

    The score before is that of the last review before ``since`` when there
    is one, else of the first review in the window; the score after is that
    of the last review in the window. Two queries, however many risks; the
    biggest rise first.
    """
    reviews = (
        RiskReview.objects.filter(risk__organisation=organisation, reviewed_on__lte=until)
        .filter(
            Q(reviewed_on__gte=since)
            | Q(
                risk__in=RiskReview.objects.filter(
                    risk__organisation=organisation, reviewed_on__gte=since, reviewed_on__lte=until
                ).values("risk")
            )
        )
        .order_by("risk_id", "reviewed_on", "pk")
        .values_list("risk_id", "reviewed_on", "score")
    )
    by_risk: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for risk_id, reviewed_on, value in reviews:
        by_risk[risk_id].append((reviewed_on, value))
    rises: dict[int, tuple[int, int, dt.date]] = {}
    for risk_id, history in by_risk.items():
        earlier = [value for day, value in history if day < since]
        inside = [(day, value) for day, value in history if day >= since]
        if not inside:
            continue
        before = earlier[-1] if earlier else inside[0][1]
        last_day, after = inside[-1]
        if after > before:
            rises[risk_id] = (before, after, last_day)
    risks = risk_list(organisation=organisation).in_bulk(list(rises))
    found = [
        RiskRise(risks[pk], before, after, day)
        for pk, (before, after, day) in rises.items()
        if pk in risks
    ]
    return sorted(found, key=lambda rise: (rise.before - rise.after, rise.risk.reference))
