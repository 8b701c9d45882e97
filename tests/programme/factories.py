"""Programme records for tests, built with their history naming who made them."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import create_attributed
from goldenthread.programme.models import Action, Phase, Programme, Workstream

_numbers = count(1)

DEFAULT_PHASES = ("Mobilisation", "Exploration", "Learning and scaling", "Delivery")


def make_programme(organisation: Organisation, name: str = "", **fields: Any) -> Programme:
    programme = create_attributed(
        Programme,
        by=None,
        organisation=organisation,
        name=name or f"Programme {next(_numbers)}",
        **fields,
    )
    for position, phase in enumerate(DEFAULT_PHASES):
        create_attributed(Phase, by=None, programme=programme, name=phase, position=position)
    return programme


def make_workstream(programme: Programme, name: str = "", **fields: Any) -> Workstream:
    return create_attributed(
        Workstream,
        by=None,
        programme=programme,
        name=name or f"Workstream {next(_numbers)}",
        **fields,
    )


def make_action(programme: Programme, **fields: Any) -> Action:
    number = next(_numbers)
    fields.setdefault("reference", f"A{number}")
    fields.setdefault("title", f"Action {number}")
    fields.setdefault("due_on", dt.date(2026, 3, 31))
    return create_attributed(
        Action, by=None, organisation=programme.organisation, programme=programme, **fields
    )
