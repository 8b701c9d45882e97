"""A programme with actions in every RAG, phase, status and workstream, for the overview's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from goldenthread.accounts.models import Organisation
from goldenthread.programme.models import Action, ActionStatus, Programme, Rag
from tests.programme.factories import make_action, make_programme, make_workstream

RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, "")
STATUSES = (
    ActionStatus.NOT_STARTED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.ON_HOLD,
    ActionStatus.COMPLETE,
    ActionStatus.CANCELLED,
)
AREAS = ("Housing", "Savings", "Workforce")
DUE = dt.date(2026, 3, 31)


def plan_programme(organisation: Organisation, actions: int = 24) -> tuple[Programme, list[Action]]:
    """A programme of ``actions`` actions, cycling through RAGs, phases, workstreams and statuses.

    Action ``i`` is due ``i`` weeks after 31 March 2026; every odd one is
    forecast ``i`` days late; each has a budget of £1,000 × (i + 1) and has
    spent £900 × (i + 1); every sixth comes from the productivity plan.
    """
    programme = make_programme(organisation, name="Transformation")
    phases = list(programme.phases.order_by("position"))
    workstreams = [
        make_workstream(programme, name=name, position=n)
        for n, name in enumerate(("Digital", "People", "Places"))
    ]
    made = []
    for i in range(actions):
        due = DUE + dt.timedelta(weeks=i)
        made.append(
            make_action(
                programme,
                reference=f"ACT-{i:03d}",
                title=f"Action {i:03d}",
                owner=f"Lead {i % 4}",
                rag=RAGS[i % 5],
                forecast_rag=RAGS[(i + 1) % 5],
                phase=phases[i % 4],
                workstream=workstreams[i % 3],
                status=STATUSES[i % 5],
                due_on=due,
                forecast_on=due + dt.timedelta(days=i) if i % 2 else None,
                budget=Decimal(1000 * (i + 1)),
                spend=Decimal(900 * (i + 1)),
                design_by=20252,
                implement_from=20253,
                target_area=AREAS[i % 3],
                success_criteria=f"Criterion {i}",
                source="productivity plan" if i % 6 == 0 else "",
                position=i,
            )
        )
    return programme, made
