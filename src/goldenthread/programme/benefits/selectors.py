"""Every read of the benefits register, always given the organisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.quarters import financial_year_of
from goldenthread.performance.models import ThreadLink
from goldenthread.programme.models import (
    Action,
    Benefit,
    BenefitProfile,
    BenefitType,
    Programme,
    ProgrammeSettings,
)

from .confidence import effective_percent, level_percents, weighted

ZERO = Decimal("0.00")


def benefit_types(*, settings: ProgrammeSettings) -> list[str]:
    """The six standard types, then the organisation's own, in the order it gave them."""
    return [*BenefitType.values, *settings.benefit_types]


def benefit_list(*, organisation: Organisation) -> QuerySet[Benefit]:
    return Benefit.objects.filter(organisation=organisation).select_related("programme")


def benefit_get(*, organisation: Organisation, pk: int) -> Benefit:
    return benefit_list(organisation=organisation).get(pk=pk)


def confidence_value(settings: ProgrammeSettings) -> Any:
    """The effective confidence (%) in the database: the percentage, or the level's worth."""
    return Coalesce(
        "confidence_percent",
        Case(
            *(
                When(confidence_level=level, then=Value(percent))
                for level, percent in level_percents(settings).items()
            ),
            default=None,
            output_field=IntegerField(),
        ),
    )


def benefit_register(
    *, organisation: Organisation, settings: ProgrammeSettings
) -> QuerySet[Benefit]:
    """The benefits as the register lists them, each with its £ totals and effective confidence."""
    return benefit_list(organisation=organisation).annotate(
        planned_total=Sum("profile__planned"),
        realised_total=Sum("profile__realised"),
        confidence_value=confidence_value(settings),
    )


def benefit_action_references(*, benefit_ids: list[int]) -> dict[int, list[str]]:
    """Each benefit's actions' references, for a page of benefits, in one query."""
    through = Benefit.actions.through.objects.filter(benefit_id__in=benefit_ids)
    found: dict[int, list[str]] = defaultdict(list)
    for benefit_id, reference in through.order_by("action__reference").values_list(
        "benefit_id", "action__reference"
    ):
        found[benefit_id].append(reference)
    return found


def benefit_profile(*, benefit: Benefit) -> list[BenefitProfile]:
    return list(benefit.profile.order_by("year"))


def benefits_of_action(*, action: Action) -> QuerySet[Benefit]:
    """The benefits that come from an action."""
    return (
        action.benefits.filter(organisation=action.organisation)
        .annotate(planned_total=Sum("profile__planned"), realised_total=Sum("profile__realised"))
        .order_by("reference")
    )


def benefit_type_uses(*, organisation: Organisation, type: str) -> QuerySet[Benefit]:
    return benefit_list(organisation=organisation).filter(type=type).order_by("reference")


def benefit_untraced(*, organisation: Organisation) -> QuerySet[Benefit]:
    """Benefits that serve no objective of the golden thread."""
    traced = ThreadLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Benefit), object_id=OuterRef("pk")
    )
    return benefit_list(organisation=organisation).exclude(Exists(traced)).order_by("reference")


# --- money: the cashable profile -----------------------------------------------------


@dataclass
class Totals:
    """Planned, realised and weighted (planned × confidence) £, Decimal pounds with pence."""

    planned: Decimal = ZERO
    realised: Decimal = ZERO
    weighted: Decimal = ZERO

    def add(self, planned: Decimal, realised: Decimal, weight: Decimal) -> None:
        self.planned += planned
        self.realised += realised
        self.weighted += weight


@dataclass
class CashableSavings:
    """The cashable £ profile of an organisation's (or a programme's) benefits.

    ``years`` maps a financial year (the year it starts: 2025 is 2025/26) to its
    totals; ``by_type`` each benefit type to its totals over every year;
    ``cells`` each ``(year, type)`` to its totals. Years run in order.
    """

    years: dict[int, Totals] = field(default_factory=dict)
    by_type: dict[str, Totals] = field(default_factory=dict)
    cells: dict[tuple[int, str], Totals] = field(default_factory=dict)
    total: Totals = field(default_factory=Totals)


def cashable_savings(
    *,
    organisation: Organisation,
    programme: Programme | None = None,
    settings: ProgrammeSettings | None = None,
) -> CashableSavings:
    """Planned and realised £ of the benefits' cashable profiles, by financial year and by type.

    **The finance module reads this** as the programme's savings (finance sits
    above the programme and may call its selectors; the programme never
    imports finance). It is the one place the profile is summed: one aggregate
    query over :class:`~goldenthread.programme.models.BenefitProfile`, grouped by
    year, benefit type and confidence, whatever the number of benefits.

    Every amount is a ``Decimal`` in pounds with pence. ``realised`` counts
    only the years where something was realised (a blank is not £0 realised,
    but adds nothing). ``weighted`` is planned × the benefit's confidence
    (the percentage, or the organisation's percentage for its level), rounded
    to the penny for each year, type and confidence; a benefit without a
    confidence weighs nothing. Pass ``programme`` for one programme's benefits only; ``settings``
    saves a query when the caller has them.
    """
    from goldenthread.programme.preferences import programme_settings

    settings = settings or programme_settings(organisation=organisation)
    profiles = BenefitProfile.objects.filter(benefit__organisation=organisation)
    if programme is not None:
        profiles = profiles.filter(benefit__programme=programme)
    grouped = (
        profiles.order_by()
        .values("year", "benefit__type", "benefit__confidence_percent", "benefit__confidence_level")
        .annotate(planned_sum=Sum("planned"), realised_sum=Sum("realised"))
        .order_by("year", "benefit__type")
    )
    savings = CashableSavings()
    for row in grouped:
        planned = row["planned_sum"] or ZERO
        realised = row["realised_sum"] or ZERO
        percent = effective_percent(
            row["benefit__confidence_percent"], row["benefit__confidence_level"], settings
        )
        weight = weighted(planned, percent)
        year, kind = row["year"], row["benefit__type"]
        for totals in (
            savings.years.setdefault(year, Totals()),
            savings.by_type.setdefault(kind, Totals()),
            savings.cells.setdefault((year, kind), Totals()),
            savings.total,
        ):
            totals.add(planned, realised, weight)
    return savings


def this_financial_year(today: dt.date | None = None) -> int:
    return financial_year_of(today or dt.date.today())
