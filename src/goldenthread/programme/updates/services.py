"""Every write of the quarterly updates: open a quarter, record owners' entries, close it.

An entry is what an owner says of one action in a quarter: progress, status,
per cent complete, forecast completion, spend to date, and any delay with its
cause. Recording entries changes the actions themselves (status, per cent,
forecast and spend) and keeps, beside each entry, the action as it then stood
with its RAG assessed again, so a later quarter can say what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Programme,
    QuarterlyUpdate,
    UpdateStatus,
)
from goldenthread.programme.plan import hooks

QUARTER_TAKEN = "The programme already has an update for {quarter}"
QUARTER_AHEAD = "{quarter} has not started yet: choose {current} or an earlier quarter"
UPDATE_CLOSED = "The {quarter} update is closed, so it cannot be changed"
ALREADY_CLOSED = "The {quarter} update is already closed"
NOT_IN_PROGRAMME = "{reference} is not an action of {programme}"
PERCENT_RANGE = "{reference}: enter the per cent complete as a whole number from 0 to 100"
COMPLETE_NOT_100 = "{reference}: an action marked complete is 100% complete"
DELAY_NEEDED = (
    "{reference}: say what delays it and why, as its forecast completion is after its due date"
)
SPEND_NEGATIVE = "{reference}: enter the spend to date as an amount of £0 or more"

#: Statuses an owner may report; "complete" also sets the completion date.
ENTRY_STATUSES = tuple(ActionStatus)


@dataclass(frozen=True)
class ActionEntry:
    """What an owner reports for one action in a quarter."""

    action: Action
    status: str
    percent_complete: int
    forecast_on: dt.date | None = None
    spend: Decimal | None = None
    progress: str = ""
    delay: str = ""


def entry_problems(entry: ActionEntry) -> list[tuple[str, str]]:
    """Each problem with ``entry`` as ``(field, message)``; the form, the import and the
    service all check through here, so each refuses the same entries."""
    reference = entry.action.reference
    problems = []
    if not 0 <= entry.percent_complete <= 100:
        problems.append(("percent_complete", PERCENT_RANGE.format(reference=reference)))
    elif entry.status == ActionStatus.COMPLETE and entry.percent_complete != 100:
        problems.append(("percent_complete", COMPLETE_NOT_100.format(reference=reference)))
    if entry.spend is not None and entry.spend < 0:
        problems.append(("spend", SPEND_NEGATIVE.format(reference=reference)))
    due = entry.action.due_on
    if (
        entry.forecast_on is not None
        and due is not None
        and entry.forecast_on > due
        and entry.status not in (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
        and not entry.delay.strip()
    ):
        problems.append(("delay", DELAY_NEEDED.format(reference=reference)))
    return problems


@transaction.atomic
def quarterly_update_open(
    *,
    programme: Programme,
    quarter: FinancialQuarter,
    by: Actor,
    today: dt.date | None = None,
) -> QuarterlyUpdate:
    """Open the round of updates for ``quarter``: one per quarter, never a quarter ahead."""
    today = today or timezone.localdate()
    current = FinancialQuarter.of(today)
    if quarter > current:
        raise ServiceError(
            QUARTER_AHEAD.format(quarter=quarter.label, current=current.label), field="quarter"
        )
    if QuarterlyUpdate.objects.filter(programme=programme, quarter=quarter.code).exists():
        raise ServiceError(QUARTER_TAKEN.format(quarter=quarter.label), field="quarter")
    update = QuarterlyUpdate(
        organisation=programme.organisation,
        programme=programme,
        quarter=quarter.code,
        opened_on=today,
    )
    attribute(update, by)
    update.save()
    return update


def _refuse_unless_open(update: QuarterlyUpdate) -> None:
    if not update.is_open:
        raise ServiceError(UPDATE_CLOSED.format(quarter=update.period.label))


@transaction.atomic
def quarterly_update_close(
    *, update: QuarterlyUpdate, by: Actor, today: dt.date | None = None
) -> QuarterlyUpdate:
    """Close the round: its entries can no longer change, and the programme's parts are told."""
    locked = QuarterlyUpdate.objects.select_for_update().get(pk=update.pk)
    if not locked.is_open:
        raise ServiceError(ALREADY_CLOSED.format(quarter=update.period.label))
    update.status = UpdateStatus.CLOSED
    update.closed_on = today or timezone.localdate()
    attribute(update, by)
    update.save(update_fields=["status", "closed_on"])
    hooks.quarter_closed(update=update, by=by)
    return update


#: The action's fields an entry sets, besides its completion date.
ACTION_FIELDS = ("status", "percent_complete", "forecast_on", "spend")


def _apply(entry: ActionEntry, today: dt.date) -> list[str]:
    """Set the entry's values on its action; the names of the fields that changed."""
    action = entry.action
    changed = []
    for name in ACTION_FIELDS:
        value = getattr(entry, name)
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)
    if action.status == ActionStatus.COMPLETE and action.completed_on is None:
        action.completed_on = today
        changed.append("completed_on")
    elif action.status != ActionStatus.COMPLETE and action.completed_on is not None:
        action.completed_on = None
        changed.append("completed_on")
    return changed


@transaction.atomic
def action_updates_record(
    *,
    update: QuarterlyUpdate,
    entries: Sequence[ActionEntry],
    by: Actor,
    today: dt.date | None = None,
) -> list[ActionUpdate]:
    """Record every entry, or none: change each action, assess its RAG again, and keep the
    entry with the action as it then stood. An entry made again in the same quarter
    replaces that quarter's (its history keeps the earlier one)."""
    locked = QuarterlyUpdate.objects.select_for_update().get(pk=update.pk)
    _refuse_unless_open(locked)
    for entry in entries:
        if entry.action.programme_id != update.programme_id:
            raise ServiceError(
                NOT_IN_PROGRAMME.format(
                    reference=entry.action.reference, programme=update.programme
                )
            )
        problems = entry_problems(entry)
        if problems:
            field, message = problems[0]
            raise ServiceError(message, field=field)
    today = today or timezone.localdate()
    actions = []
    for entry in entries:
        changed = _apply(entry, today)
        if changed:
            attribute(entry.action, by)
            entry.action.save(update_fields=changed)
        actions.append(entry.action)
    hooks.actions_changed(actions=actions, by=by)
    # The hooks may assess the RAG again in the database: read it as they left it.
    rags = {
        pk: (rag, forecast)
        for pk, rag, forecast in Action.objects.filter(pk__in=[a.pk for a in actions])
        .order_by()
        .values_list("pk", "rag", "forecast_rag")
    }
    existing = {
        found.action_id: found
        for found in ActionUpdate.objects.filter(update=update, action__in=actions)
    }
    user = acting_user(by)
    recorded = []
    for entry in entries:
        action = entry.action
        row = existing.get(action.pk) or ActionUpdate(update=update, action=action)
        row.progress = entry.progress.strip()
        row.delay = entry.delay.strip()
        row.status = action.status
        row.percent_complete = action.percent_complete
        row.forecast_on = action.forecast_on
        row.spend = action.spend
        row.budget = action.budget
        row.due_on = action.due_on
        row.rag, row.forecast_rag = rags.get(action.pk, (action.rag, action.forecast_rag))
        row.recorded_by = user
        attribute(row, by)
        row.save()
        recorded.append(row)
    return recorded


__all__ = [
    "ALREADY_CLOSED",
    "COMPLETE_NOT_100",
    "DELAY_NEEDED",
    "NOT_IN_PROGRAMME",
    "PERCENT_RANGE",
    "QUARTER_AHEAD",
    "QUARTER_TAKEN",
    "SPEND_NEGATIVE",
    "UPDATE_CLOSED",
    "ActionEntry",
    "action_updates_record",
    "entry_problems",
    "quarterly_update_close",
    "quarterly_update_open",
]
