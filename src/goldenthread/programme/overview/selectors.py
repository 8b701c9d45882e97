"""What the programme's overview pages read: counts, slipping actions, spend, and the views' rows.

Every read is given the organisation, and each is a fixed number of queries
whatever the number of actions: counts and sums are aggregated in the
database, and lists are capped or paged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.formats.money import pounds
from goldenthread.kit.lists import Capped, capped
from goldenthread.performance.models import ThreadItem, ThreadLink
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    Phase,
    Programme,
    ProgrammeStatus,
    Rag,
    Workstream,
)
from goldenthread.programme.plan import rags
from goldenthread.programme.plan.selectors import programme_list

#: The slipping actions the programme's page lists; the register holds the rest.
SLIPPING_LIMIT = 10
#: The cards each column of the board shows, the soonest due; "and N more" opens the register.
BOARD_COLUMN_LIMIT = 10
#: Statuses in the order the board shows them, left to right.
BOARD_STATUSES = (
    ActionStatus.NOT_STARTED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.ON_HOLD,
    ActionStatus.COMPLETE,
    ActionStatus.CANCELLED,
)
#: Statuses of actions that are finished with, so cannot slip.
CLOSED_STATUSES = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
#: RAG ratings in the order the counts show them; "" is an action not rated yet.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, "")
NOT_RATED = rags.NOT_RATED

_MONEY = DecimalField(max_digits=16, decimal_places=2)
_ZERO = Value(Decimal("0"), output_field=_MONEY)


def rag_label(rag: str) -> str:
    """ "Red", "Amber", "Green", "Complete", or "Not rated" for no RAG."""
    return rags.label(rag)


def programme_actions(*, programme: Programme) -> QuerySet[Action]:
    return Action.objects.filter(organisation=programme.organisation, programme=programme)


def programme_phases(*, programme: Programme) -> list[Phase]:
    return list(Phase.objects.filter(programme=programme).order_by("position", "pk"))


def programme_workstreams(*, programme: Programme) -> list[Workstream]:
    return list(Workstream.objects.filter(programme=programme).order_by("position", "name"))


# ---- counts by RAG and phase ---------------------------------------------------------


@dataclass(frozen=True)
class RagPhaseCounts:
    """How many actions have each RAG in each phase, now and forecast at the year's end.

    ``current[(rag, phase_id)]`` and ``forecast[(rag, phase_id)]`` count
    actions; a ``phase_id`` of ``None`` is an action in no phase.
    """

    phases: Sequence[Phase]
    current: dict[tuple[str, int | None], int]
    forecast: dict[tuple[str, int | None], int]

    @property
    def total(self) -> int:
        return sum(self.current.values())

    @property
    def unphased(self) -> bool:
        """Whether any action is in no phase, so the table needs a column for them."""
        return any(phase is None for _, phase in self.current)

    def by_rag(self, counts: dict[tuple[str, int | None], int]) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for (rag, _), count in counts.items():
            totals[rag] += count
        return dict(totals)

    def by_phase(self) -> dict[int | None, int]:
        totals: dict[int | None, int] = defaultdict(int)
        for (_, phase), count in self.current.items():
            totals[phase] += count
        return dict(totals)


def rag_phase_counts(*, programme: Programme, phases: Sequence[Phase]) -> RagPhaseCounts:
    """The programme's actions counted by current and forecast RAG and by phase: one query."""
    current: dict[tuple[str, int | None], int] = defaultdict(int)
    forecast: dict[tuple[str, int | None], int] = defaultdict(int)
    grouped = (
        programme_actions(programme=programme)
        .order_by()
        .values_list("phase_id", "rag", "forecast_rag")
        .annotate(n=Count("pk"))
    )
    for phase_id, rag, forecast_rag, n in grouped:
        current[(rag or "", phase_id)] += n
        forecast[(forecast_rag or "", phase_id)] += n
    return RagPhaseCounts(phases=phases, current=dict(current), forecast=dict(forecast))


# ---- slipping actions ------------------------------------------------------------------


def slipping_actions(
    *, organisation: Organisation, today: dt.date | None = None
) -> QuerySet[Action]:
    """Open actions that are late, the latest first.

    An action is late as its RAG rules judge it: its owner forecasts completion
    after the due date, or the due date has passed with no forecast, or with a
    forecast that has itself passed. Its days late run from the due date to the
    later of the forecast and today.
    """
    today = today or timezone.localdate()
    on = Value(today, output_field=DateField())
    late = ExpressionWrapper(
        Greatest(Coalesce(F("forecast_on"), on), on) - F("due_on"), output_field=DurationField()
    )
    overdue = Q(forecast_on__gt=F("due_on")) | Q(due_on__lt=today, forecast_on__isnull=True)
    overdue |= Q(due_on__lt=today, forecast_on__lt=today)
    return (
        Action.objects.filter(overdue, organisation=organisation)
        .exclude(status__in=CLOSED_STATUSES)
        .annotate(late=late)
        .order_by("-late", "due_on", "reference")
    )


@dataclass(frozen=True)
class Slipping:
    action: Action

    @property
    def days_late(self) -> int:
        late: dt.timedelta = self.action.late  # type: ignore[attr-defined]
        return late.days


def programme_slipping(
    *, programme: Programme, limit: int = SLIPPING_LIMIT, today: dt.date | None = None
) -> Capped[Slipping]:
    """The programme's slipping actions, the latest first, at most ``limit``: two queries."""
    found = capped(
        slipping_actions(organisation=programme.organisation, today=today).filter(
            programme=programme
        ),
        limit=limit,
    )
    return Capped([Slipping(action) for action in found.items], found.total)


# ---- spend against budget ------------------------------------------------------------


@dataclass(frozen=True)
class SpendRow:
    workstream: str
    actions: int
    budget: Decimal
    spend: Decimal

    @property
    def variance(self) -> Decimal:
        """Spend less budget: above nought is an overspend."""
        return self.spend - self.budget

    @property
    def variance_text(self) -> str:
        """ "£1,200 over", "£300 under" or "On budget"."""
        variance = self.variance
        if not variance:
            return "On budget"
        return f"{pounds(abs(variance))} {'over' if variance > 0 else 'under'}"

    @property
    def spent_percent(self) -> int | None:
        if not self.budget:
            return None
        return int((self.spend / self.budget * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Spend:
    rows: Sequence[SpendRow]
    total: SpendRow


NO_WORKSTREAM = "No workstream"


def programme_spend(*, programme: Programme) -> Spend:
    """The sum of the actions' budgets and spend, by workstream in order: one query."""
    grouped = (
        programme_actions(programme=programme)
        .order_by()
        .values("workstream_id")
        .annotate(
            name=F("workstream__name"),
            position=F("workstream__position"),
            n=Count("pk"),
            budget_total=Coalesce(Sum("budget"), _ZERO),
            spend_total=Coalesce(Sum("spend"), _ZERO),
        )
        .order_by(F("position").asc(nulls_last=True), "name")
    )
    rows = [
        SpendRow(row["name"] or NO_WORKSTREAM, row["n"], row["budget_total"], row["spend_total"])
        for row in grouped
    ]
    total = SpendRow(
        "All workstreams",
        sum(row.actions for row in rows),
        sum((row.budget for row in rows), Decimal(0)),
        sum((row.spend for row in rows), Decimal(0)),
    )
    return Spend(rows=rows, total=total)


# ---- the organisation's card -------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationCounts:
    programmes: int
    active: int
    by_rag: dict[str, int]
    slipping: int

    @property
    def actions(self) -> int:
        return sum(self.by_rag.values())


def organisation_counts(
    *, organisation: Organisation, today: dt.date | None = None
) -> OrganisationCounts:
    """Programmes, actions by RAG and slipping actions across the organisation: three queries."""
    programmes = programme_list(organisation=organisation).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=ProgrammeStatus.ACTIVE))
    )
    by_rag: dict[str, int] = defaultdict(int)
    grouped = (
        Action.objects.filter(organisation=organisation)
        .order_by()
        .values_list("rag")
        .annotate(n=Count("pk"))
    )
    for rag, n in grouped:
        by_rag[rag or ""] += n
    return OrganisationCounts(
        programmes=programmes["total"],
        active=programmes["active"],
        by_rag=dict(by_rag),
        slipping=slipping_actions(organisation=organisation, today=today).count(),
    )


# ---- the timeline --------------------------------------------------------------------------


def timeline_actions(
    *, programme: Programme, workstream: int | None = None, phase: int | None = None
) -> QuerySet[Action]:
    """The actions the timeline lays out, by workstream in order, then as the plan orders them."""
    actions = programme_actions(programme=programme)
    if workstream is not None:
        actions = actions.filter(workstream_id=workstream)
    if phase is not None:
        actions = actions.filter(phase_id=phase)
    return actions.select_related("workstream").order_by(
        F("workstream__position").asc(nulls_last=True),
        F("workstream__name").asc(nulls_last=True),
        "position",
        "reference",
    )


@dataclass(frozen=True)
class QuarterBounds:
    """The earliest and latest quarters and due dates of a set of actions."""

    first_quarter: int | None
    last_quarter: int | None
    first_start: dt.date | None
    first_due: dt.date | None
    last_due: dt.date | None


def quarter_bounds(actions: QuerySet[Action]) -> QuarterBounds:
    """The span of ``actions``' design-by, implement-from, start and due: one query."""
    found = actions.order_by().aggregate(
        first_design=Min("design_by"),
        first_implement=Min("implement_from"),
        last_design=Max("design_by"),
        last_implement=Max("implement_from"),
        first_start=Min("start_on"),
        first_due=Min("due_on"),
        last_due=Max("due_on"),
    )
    firsts = [q for q in (found["first_design"], found["first_implement"]) if q]
    lasts = [q for q in (found["last_design"], found["last_implement"]) if q]
    return QuarterBounds(
        first_quarter=min(firsts) if firsts else None,
        last_quarter=max(lasts) if lasts else None,
        first_start=found["first_start"],
        first_due=found["first_due"],
        last_due=found["last_due"],
    )


# ---- the board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    actions: Sequence[Action]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.actions)


def board_columns(*, programme: Programme, limit: int = BOARD_COLUMN_LIMIT) -> list[BoardColumn]:
    """Each status's first ``limit`` actions, soonest due first, and its count: two queries."""
    actions = programme_actions(programme=programme)
    totals = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))
    ranked = (
        actions.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[F("due_on").asc(nulls_last=True), F("reference").asc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by(F("due_on").asc(nulls_last=True), "reference")
    )
    shown: dict[str, list[Action]] = defaultdict(list)
    for action in ranked:
        shown[action.status].append(action)
    return [
        BoardColumn(
            status=str(status),
            label=str(status.label),
            actions=shown[status],
            total=totals.get(status, 0),
        )
        for status in BOARD_STATUSES
    ]


# ---- the improvement plan ------------------------------------------------------------------


def improvement_plan_actions(*, programme: Programme) -> QuerySet[Action]:
    """The actions as the improvement plan lists them: by TOM target area, then as planned."""
    return programme_actions(programme=programme).order_by("target_area", "position", "reference")


def action_objectives(
    *, organisation: Organisation, actions: Iterable[Action] | QuerySet[Action]
) -> dict[int, list[ThreadItem]]:
    """The golden-thread items each of ``actions`` contributes to, by action id: one query.

    ``actions`` may be a queryset (read as a subquery, for a whole
    programme's export) or the actions of one page.
    """
    ids: Any = (
        actions.values("pk") if isinstance(actions, QuerySet) else [action.pk for action in actions]
    )
    links = (
        ThreadLink.objects.filter(
            organisation=organisation,
            content_type__app_label=Action._meta.app_label,
            content_type__model=Action._meta.model_name,
            object_id__in=ids,
        )
        .select_related("item")
        .order_by("item__position", "item__pk")
    )
    found: dict[int, list[ThreadItem]] = defaultdict(list)
    for link in links:
        found[link.object_id].append(link.item)
    return dict(found)
