"""Every read of the quarterly updates, given the organisation.

:func:`quarter_changes` says what changed since the programme's previous
update, reading the other parts' records directly (the models are shared) in
a fixed number of queries whatever the programme's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.wording import counted
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Benefit,
    BenefitProfile,
    BenefitStatus,
    Programme,
    QuarterlyUpdate,
    Rag,
    RagKind,
    RagRecord,
    RiskReview,
)

#: How the update pages name the owners' group of actions that have no owner.
NO_OWNER = "No owner"
#: Statuses that end an action: one ended before the quarter is not asked about.
ENDED = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)


def update_list(*, organisation: Organisation) -> QuerySet[QuarterlyUpdate]:
    return QuarterlyUpdate.objects.filter(organisation=organisation).select_related("programme")


def update_get(*, organisation: Organisation, pk: int) -> QuarterlyUpdate:
    return update_list(organisation=organisation).get(pk=pk)


def programme_updates(*, programme: Programme) -> QuerySet[QuarterlyUpdate]:
    """The programme's updates, the latest quarter first."""
    return QuarterlyUpdate.objects.filter(programme=programme).order_by("-quarter")


def programme_get(*, organisation: Organisation, pk: int) -> Programme:
    return Programme.objects.filter(organisation=organisation).get(pk=pk)


def previous_update(*, update: QuarterlyUpdate) -> QuarterlyUpdate | None:
    """The programme's update for the latest quarter before this one's."""
    return (
        QuarterlyUpdate.objects.filter(programme_id=update.programme_id, quarter__lt=update.quarter)
        .order_by("-quarter")
        .first()
    )


def actions_in_scope(*, update: QuarterlyUpdate) -> QuerySet[Action]:
    """The programme's actions the update asks about: all but those that ended before its
    quarter (complete before it started, or cancelled), unless an owner has reported on
    them in this round."""
    reported = ActionUpdate.objects.filter(update=update, action=OuterRef("pk"))
    ended_before = Q(status__in=ENDED) & (
        Q(completed_on__isnull=True) | Q(completed_on__lt=update.period.start)
    )
    return (
        Action.objects.filter(programme_id=update.programme_id)
        .alias(reported=Exists(reported))
        .exclude(ended_before & Q(reported=False))
    )


@dataclass(frozen=True)
class OwnerProgress:
    """One owner's share of a round: how many of their actions are updated."""

    owner: str
    total: int
    updated: int

    @property
    def name(self) -> str:
        return self.owner or NO_OWNER

    @property
    def done(self) -> bool:
        return self.updated >= self.total


def owner_progress(*, update: QuarterlyUpdate) -> list[OwnerProgress]:
    """Each owner with their actions in scope and how many are updated: one query."""
    rows = (
        actions_in_scope(update=update)
        .order_by()
        .values("owner")
        .annotate(
            total=Count("pk", distinct=True),
            updated=Count("updates", filter=Q(updates__update=update), distinct=True),
        )
        .order_by("owner")
    )
    found = [OwnerProgress(row["owner"], row["total"], row["updated"]) for row in rows]
    # Actions without an owner come last, under "No owner".
    return sorted(found, key=lambda progress: (progress.owner == "", progress.owner.lower()))


def owner_actions(*, update: QuarterlyUpdate, owner: str) -> list[Action]:
    """The owner's actions in scope (``""`` for those with no owner), in the plan's order."""
    if "\x00" in owner:  # names no owner, and PostgreSQL refuses it in a query
        return []
    return list(
        actions_in_scope(update=update)
        .filter(owner=owner)
        .select_related("workstream")
        .order_by("position", "reference")
    )


def entries_by_action(
    *, update: QuarterlyUpdate, actions: Iterable[Action] | None = None
) -> dict[int, ActionUpdate]:
    """This round's entries, by action id (of ``actions``, or all): one query."""
    found = ActionUpdate.objects.filter(update=update)
    if actions is not None:
        found = found.filter(action__in=[action.pk for action in actions])
    return {entry.action_id: entry for entry in found}


def action_entries(*, action: Action) -> QuerySet[ActionUpdate]:
    """An action's entries in every quarterly update, the latest quarter first."""
    return (
        ActionUpdate.objects.filter(action=action)
        .select_related("update")
        .order_by("-update__quarter")
    )


# ---------------------------------------------------------------------------
# What changed since the last quarter.


@dataclass(frozen=True)
class ActionState:
    """An action as it stood at one time: a quarter's entry, or its history."""

    action_id: int
    reference: str
    title: str
    status: str
    rag: str
    forecast_on: dt.date | None
    due_on: dt.date | None
    spend: Decimal | None
    budget: Decimal | None

    def slipped(self, day: dt.date) -> bool:
        """Whether the action, still open, is slipping on ``day``: forecast after its due
        date, or past its due date with no forecast or a forecast already past (the RAG
        treats both as late)."""
        if self.status in ENDED or self.due_on is None:
            return False
        if self.forecast_on is not None and self.forecast_on > self.due_on:
            return True
        return self.due_on < day and (self.forecast_on is None or self.forecast_on < day)

    def slip(self, day: dt.date) -> str:
        """How the action slips on ``day``, in a few words."""
        if self.forecast_on is not None and self.due_on is not None:
            if self.forecast_on > self.due_on:
                days = (self.forecast_on - self.due_on).days
                return f"forecast {counted(days, 'day')} after its due date"
            return "past its due date, and its forecast has passed"
        return "past its due date, with no forecast"


#: An entry's fields in :class:`ActionState`'s order.
STATE_FIELDS = (
    "action_id",
    "action__reference",
    "action__title",
    "status",
    "rag",
    "forecast_on",
    "due_on",
    "spend",
    "budget",
)


@dataclass(frozen=True)
class RagMove:
    action_id: int
    reference: str
    title: str
    before: str
    after: str
    reason: str = ""

    @property
    def before_label(self) -> str:
        return Rag(self.before).label if self.before in Rag.values else self.before

    @property
    def after_label(self) -> str:
        return Rag(self.after).label if self.after in Rag.values else self.after


@dataclass(frozen=True)
class ActionLine:
    action_id: int
    reference: str
    title: str
    detail: str = ""


@dataclass(frozen=True)
class BenefitLine:
    benefit_id: int
    reference: str
    title: str
    realised: Decimal


@dataclass(frozen=True)
class RiskRise:
    risk_id: int
    reference: str
    title: str
    before: int
    after: int
    on: dt.date


@dataclass(frozen=True)
class QuarterChanges:
    """What changed in a programme between its previous update and this one."""

    update: QuarterlyUpdate
    previous: QuarterlyUpdate | None
    #: The window, both days included.
    since: dt.date
    until: dt.date
    rag_moves: list[RagMove] = field(default_factory=list)
    slipped: list[ActionLine] = field(default_factory=list)
    completed: list[ActionLine] = field(default_factory=list)
    spend: Decimal = Decimal(0)
    spend_to_date: Decimal = Decimal(0)
    budget: Decimal = Decimal(0)
    benefits: list[BenefitLine] = field(default_factory=list)
    benefits_realised: Decimal = Decimal(0)
    risks: list[RiskRise] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (
            self.rag_moves
            or self.slipped
            or self.completed
            or self.spend
            or self.benefits
            or self.risks
        )


def _window(update: QuarterlyUpdate, previous: QuarterlyUpdate | None) -> tuple[dt.date, dt.date]:
    since = previous.period.next().start if previous is not None else update.period.start
    return min(since, update.period.start), update.period.end


def _moment(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the service's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _states_at(
    programme: Programme, moment: dt.datetime, recorded: QuarterlyUpdate | None
) -> dict[int, ActionState]:
    """Each action of the programme as its history had it just before ``moment``, but those
    the ``recorded`` update has an entry for (the entry says it): one query.

    The RAG is read from the action's RAG records (the latest current one before the day of
    ``moment``), as the RAG part writes the action's RAG without history."""
    history: Any = Action.history.model
    latest = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rag = (
        RagRecord.objects.filter(
            action_id=OuterRef("id"), kind=RagKind.CURRENT, on__lt=timezone.localdate(moment)
        )
        .order_by("-on", "-pk")
        .values("rag")[:1]
    )
    rows = (
        history.objects.filter(programme_id=programme.pk, history_date__lt=moment)
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
        .annotate(rag_then=Coalesce(Subquery(rag), Value("")))
        .values_list("id", "reference", "title", "status", "rag_then", *STATE_FIELDS[5:])
    )
    if recorded is not None:
        rows = rows.exclude(id__in=ActionUpdate.objects.filter(update=recorded).values("action_id"))
    return {row[0]: ActionState(*row) for row in rows}


def _entry_states(update: QuarterlyUpdate | None) -> dict[int, ActionState]:
    """Each action as the update's entry recorded it: one query, read as plain values."""
    if update is None:
        return {}
    # No ordering: the rows become a dict, and the models' default orderings would join
    # and sort through the update, the action, their programmes and organisations.
    rows = ActionUpdate.objects.filter(update=update).order_by().values_list(*STATE_FIELDS)
    return {row[0]: ActionState(*row) for row in rows}


def _rag_reasons(programme: Programme, since: dt.date, until: dt.date) -> dict[int, str]:
    """The reason of each action's latest change of current RAG in the window: one query."""
    records = RagRecord.objects.filter(
        action__programme=programme, kind=RagKind.CURRENT, on__gte=since, on__lte=until
    ).order_by("action_id", "on", "pk")
    return dict(records.values_list("action_id", "reason"))


def _realised_benefits(
    programme: Programme, since: dt.date, until: dt.date
) -> tuple[list[BenefitLine], Decimal]:
    """Benefits whose status became realised in the window (read from their history), with
    the £ realised in their profiles: two queries."""
    history: Any = Benefit.history.model
    before = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    became = (
        history.objects.filter(
            programme_id=programme.pk,
            status=BenefitStatus.REALISED,
            history_date__gte=_moment(since),
            history_date__lt=_moment(until + dt.timedelta(days=1)),
        )
        .annotate(before=Subquery(before))
        .exclude(before=BenefitStatus.REALISED)
        .order_by("reference", "history_date")
        .values_list("id", "reference", "title")
    )
    found: dict[int, tuple[str, str]] = {}
    for pk, reference, title in became:
        found.setdefault(pk, (reference, title))
    realised = dict(
        BenefitProfile.objects.filter(benefit_id__in=list(found))
        .order_by()
        .values("benefit_id")
        .annotate(total=Sum("realised"))
        .values_list("benefit_id", "total")
        if found
        else []
    )
    lines = [
        BenefitLine(pk, reference, title, realised.get(pk) or Decimal(0))
        for pk, (reference, title) in found.items()
    ]
    return lines, sum((line.realised for line in lines), Decimal(0))


def _risks_risen(programme: Programme, since: dt.date, until: dt.date) -> list[RiskRise]:
    """Reviews in the window whose residual score is above the risk's review before: one
    query. A risk reviewed more than once is listed once, from the first score to the last."""
    before = (
        RiskReview.objects.filter(risk=OuterRef("risk"))
        .filter(
            Q(reviewed_on__lt=OuterRef("reviewed_on"))
            | Q(reviewed_on=OuterRef("reviewed_on"), pk__lt=OuterRef("pk"))
        )
        .order_by("-reviewed_on", "-pk")
        .values("score")[:1]
    )
    reviews = (
        RiskReview.objects.filter(
            risk__programme=programme, reviewed_on__gte=since, reviewed_on__lte=until
        )
        .annotate(before=Subquery(before))
        .order_by("risk_id", "reviewed_on", "pk")
        .values_list("risk_id", "risk__reference", "risk__title", "before", "score", "reviewed_on")
    )
    first: dict[int, RiskRise] = {}
    for risk_id, reference, title, previous, score, on in reviews:
        start = first[risk_id].before if risk_id in first else previous
        if start is None:
            continue
        first[risk_id] = RiskRise(risk_id, reference, title, start, score, on)
    return sorted(
        (rise for rise in first.values() if rise.after > rise.before),
        key=lambda rise: (-rise.after, rise.reference),
    )


def quarter_changes(*, programme: Programme, update: QuarterlyUpdate) -> QuarterChanges:
    """What changed between the programme's previous update and ``update``.

    Each action is compared as the previous update recorded it (or, without
    one, as its history had it when the window opened) with this update's
    entry (or its history when the window closed). Nine queries, whatever the
    programme's size.
    """
    previous = previous_update(update=update)
    since, until = _window(update, previous)
    before = {**_states_at(programme, _moment(since), previous), **_entry_states(previous)}
    after = {
        **_states_at(programme, _moment(until + dt.timedelta(days=1)), update),
        **_entry_states(update),
    }
    reasons = _rag_reasons(programme, since, until)
    end = until + dt.timedelta(days=1)
    moves, slipped, completed = [], [], []
    spend = spend_to_date = budget = Decimal(0)
    for action_id, now in sorted(after.items(), key=lambda item: item[1].reference):
        then = before.get(action_id)
        spend_to_date += now.spend or 0
        budget += now.budget or 0
        spend += (now.spend or 0) - ((then.spend or 0) if then else 0)
        if then is not None and then.rag and now.rag and then.rag != now.rag:
            moves.append(
                RagMove(
                    action_id,
                    now.reference,
                    now.title,
                    then.rag,
                    now.rag,
                    reasons.get(action_id, ""),
                )
            )
        if now.slipped(end) and not (then is not None and then.slipped(since)):
            slipped.append(ActionLine(action_id, now.reference, now.title, now.slip(end)))
        if now.status == ActionStatus.COMPLETE and (
            then is None or then.status != ActionStatus.COMPLETE
        ):
            completed.append(ActionLine(action_id, now.reference, now.title))
    benefits, realised = _realised_benefits(programme, since, until)
    return QuarterChanges(
        update=update,
        previous=previous,
        since=since,
        until=until,
        rag_moves=moves,
        slipped=slipped,
        completed=completed,
        spend=spend,
        spend_to_date=spend_to_date,
        budget=budget,
        benefits=benefits,
        benefits_realised=realised,
        risks=_risks_risen(programme, since, until),
    )


def latest_changes(*, programme: Programme) -> QuarterChanges | None:
    """What changed at the programme's latest update, or ``None`` before its first."""
    latest = programme_updates(programme=programme).first()
    if latest is None:
        return None
    return quarter_changes(programme=programme, update=latest)
