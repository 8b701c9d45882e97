"""Counts of every noun the application shows read as good English."""

from __future__ import annotations

import pytest

from goldenthread.accounts.models import Role
from goldenthread.analysis.rules import DesignRules
from goldenthread.analysis.structure import summarise
from goldenthread.analysis.wording import counted, plural
from goldenthread.core.models import UnitKind
from goldenthread.performance.models import Level
from tests.analysis.test_structure_analysis import council

#: Each label counted on a dashboard card, with its plural as a reader expects it.
PLURALS = {
    "Vision": "Visions",
    "Priority": "Priorities",
    "Objective": "Objectives",
    "Service plan": "Service plans",
    "Team objective": "Team objectives",
    "Individual objective": "Individual objectives",
    "Directorate": "Directorates",
    "Service": "Services",
    "Team": "Teams",
    "Shared service": "Shared services",
    "Other": "Others",
    "Viewer": "Viewers",
    "Editor": "Editors",
    "Admin": "Admins",
    "post": "posts",
    "column": "columns",
    "layer": "layers",
    "manager": "managers",
    "direct report": "direct reports",
    "chain": "chains",
    "principle": "principles",
    "change": "changes",
    "scenario": "scenarios",
    "hour": "hours",
    "box": "boxes",
    "branch": "branches",
    "day": "days",
    "person": "people",
}


@pytest.mark.parametrize(("one", "many"), sorted(PLURALS.items()))
def test_each_noun_has_its_plural(one: str, many: str) -> None:
    assert plural(one) == many


def test_every_label_the_cards_count_is_listed() -> None:
    labels = {label for choices in (Level, UnitKind, Role) for _, label in choices.choices}
    assert labels <= PLURALS.keys()


def test_one_of_a_thing_is_singular_and_thousands_have_separators() -> None:
    assert counted(1, "post") == "1 post"
    assert counted(0, "post") == "0 posts"
    assert counted(4435, "Priority") == "4,435 Priorities"


def test_design_rule_breaches_count_one_in_the_singular() -> None:
    rules = DesignRules(target_span_min=3, target_span_max=3, max_layers=3)
    breaches = summarise(council(), rules).breaches
    assert breaches == (
        "4 layers, more than the 3 allowed (1 post below layer 3)",
        "3 managers have fewer than 3 direct reports",
        "1 manager has more than 3 direct reports",
        "1 chain of managers with a single report each",
    )
