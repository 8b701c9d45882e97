"""A year of RAG history for the demonstration programme, made by the rules themselves.

The programme's actions are assessed at monthly steps over the past twelve
months, so every change in their history is what the rules gave on that day.
Half way through the year the council tightens its rules (version 2, with a
note), and three owners override a RAG: one until a date, one until the next
quarterly update, and one whose override has already run out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis import rag as engine
from goldenthread.programme.models import Action, ActionStatus, Programme, RagRuleSet

from . import services

#: The note of the demonstration's second version of the rules (and how a second load knows).
DEMO_NOTE = (
    "Cabinet asked that an action forecast more than 20 days late show red, from the "
    "mid-year report."
)
MONTHS = 12
#: The step (in months from the first) at which the rules change.
RULES_CHANGE_STEP = 6

OVERRIDES = [
    # (step, RAG, reason, days until it ends, or None for "until the next quarterly update")
    (3, "amber", "The contract award slipped, but the supplier has agreed to recover it.", 45),
    (MONTHS, "red", "The lead officer has left; no replacement before the summer.", 60),
    (9, "red", "Legal advice delays the consultation until the new year.", 30),
    (MONTHS, "green", "The board accepted the late start: the new plan is on track.", None),
    (MONTHS, "amber", "Recruitment to the two analyst posts is at risk.", 90),
]


def _month_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def load(*, organisation: Organisation, programme: Programme, by: Actor, today: dt.date) -> None:
    """Assess the programme's actions monthly over the past year, change the rules, override."""
    if RagRuleSet.objects.filter(organisation=organisation, note=DEMO_NOTE).exists():
        return
    start = _month_before(today, MONTHS)
    services.rag_history_restart(programme=programme, by=by, since=start)
    actions = list(Action.objects.filter(programme=programme).order_by("position", "reference"))
    if not actions:
        return
    open_actions = [
        action
        for action in actions
        if action.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
    ]
    tighter = engine.DEFAULT_ACTION_RULES.with_thresholds(
        "slippage", red=engine.Threshold(Decimal(20), inclusive=False)
    )
    overridden: set[int] = set()
    for step in range(MONTHS + 1):
        day = _month_before(today, MONTHS - step)
        if step == RULES_CHANGE_STEP:
            services.rag_rules_update(
                organisation=organisation,
                rules=tighter.to_json(),
                note=DEMO_NOTE,
                by=by,
                today=day,
                reassess=False,
            )
        services.actions_rag_refresh(actions=actions, by=by, today=day)
        for when, rag, reason, days in OVERRIDES:
            if when != step:
                continue
            # An override says something the rules do not: the first open action not yet
            # overridden whose computed RAG differs from it.
            action = next(
                (
                    candidate
                    for candidate in open_actions
                    if candidate.pk not in overridden and candidate.computed_rag != rag
                ),
                None,
            )
            if action is not None:
                overridden.add(action.pk)
                services.action_override_set(
                    action=action,
                    rag=rag,
                    reason=reason,
                    ends_on=day + dt.timedelta(days=days) if days else None,
                    until_update=days is None,
                    by=by,
                    today=day,
                )
