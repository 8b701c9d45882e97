"""The demo's quarterly updates: last quarter's, closed, and this quarter's, partly filled in.

Between the two, one action slips (its forecast moves past its due date, with
the delay's cause), one is completed and every updated action spends more, so
the programme's "what changed since the last quarter" has something to say;
the RAG part assesses the changed actions again, which moves their RAG.
Running it again changes nothing: each quarter's update is made once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import Action, ActionStatus, Programme, QuarterlyUpdate

from . import selectors, services

#: The delay an owner gives for an action that has slipped.
DELAY = "The supplier's delivery slipped; the team is waiting on the new system's release."
PROGRESS_BEFORE = "Work is under way as planned; the next milestone is on track."
PROGRESS_NOW = "Progress this quarter as reported by the owner at the programme board."
#: Spend an updated action adds in the quarter, when it has no budget to take a share of.
QUARTER_SPEND = Decimal("2500.00")
#: Days into a quarter the round of updates is closed.
CLOSE_AFTER_DAYS = 14


def _spend_in_quarter(action: Action) -> Decimal:
    if action.budget:
        return (action.budget / 10).quantize(Decimal("0.01"))
    return QUARTER_SPEND


def _open_actions(update: QuarterlyUpdate) -> list[Action]:
    return list(
        selectors.actions_in_scope(update=update)
        .exclude(status__in=selectors.ENDED)
        .order_by("reference")
    )


def _entry(
    action: Action,
    *,
    status: str,
    percent: int,
    forecast_on: dt.date | None,
    spend: Decimal | None,
    progress: str,
) -> services.ActionEntry:
    slipping = forecast_on is not None and action.due_on is not None and forecast_on > action.due_on
    return services.ActionEntry(
        action=action,
        status=status,
        percent_complete=100 if status == ActionStatus.COMPLETE else percent,
        forecast_on=forecast_on,
        spend=spend,
        progress=progress,
        delay=DELAY if slipping else "",
    )


def _targets(actions: list[Action]) -> tuple[Action | None, Action | None]:
    """The action that slips and the one completed between the two quarters."""
    dated = [action for action in actions if action.due_on is not None]
    slips = dated[0] if dated else None
    rest = [action for action in actions if action is not slips]
    return slips, rest[0] if rest else None


def load(*, organisation: Organisation, programme: Programme, by: Actor, today: dt.date) -> None:
    current = FinancialQuarter.of(today)
    previous = FinancialQuarter.of(current.start - dt.timedelta(days=1))
    made = {
        update.quarter
        for update in QuarterlyUpdate.objects.filter(organisation=organisation, programme=programme)
    }
    if previous.code not in made:
        update = services.quarterly_update_open(
            programme=programme,
            quarter=previous,
            by=by,
            today=previous.end - dt.timedelta(days=CLOSE_AFTER_DAYS),
        )
        actions = _open_actions(update)
        slips, completes = _targets(actions)
        entries = []
        for action in actions:
            spent = (action.spend or Decimal(0)) - _spend_in_quarter(action)
            entries.append(
                _entry(
                    action,
                    status=ActionStatus.IN_PROGRESS if action is completes else action.status,
                    percent=80 if action is completes else action.percent_complete,
                    forecast_on=action.due_on if action is slips else action.forecast_on,
                    spend=max(spent, Decimal(0)),
                    progress=PROGRESS_BEFORE,
                )
            )
        services.action_updates_record(update=update, entries=entries, by=by, today=today)
        services.quarterly_update_close(
            update=update,
            by=by,
            today=min(today, current.start + dt.timedelta(days=CLOSE_AFTER_DAYS)),
        )
    if current.code not in made:
        update = services.quarterly_update_open(
            programme=programme, quarter=current, by=by, today=today
        )
        actions = _open_actions(update)
        slips, completes = _targets(actions)
        # Partly filled in: the slipping and completed actions, then every other one.
        chosen = [action for action in (slips, completes) if action is not None]
        chosen += [action for action in actions[::2] if action not in chosen]
        entries = [
            _entry(
                action,
                status=ActionStatus.COMPLETE if action is completes else ActionStatus.IN_PROGRESS,
                percent=min(action.percent_complete + 20, 95),
                forecast_on=action.due_on + dt.timedelta(days=45)
                if action is slips and action.due_on is not None
                else action.forecast_on,
                spend=(action.spend or Decimal(0)) + _spend_in_quarter(action),
                progress=PROGRESS_NOW,
            )
            for action in chosen
        ]
        services.action_updates_record(update=update, entries=entries, by=by, today=today)
