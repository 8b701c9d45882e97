"""The demo programme: its phases, workstreams and actions, spread for every RAG; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.programme.models import (
    Action,
    ActionSaving,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Phase,
    Programme,
    Workstream,
)
from goldenthread.programme.plan import demo
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 15)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


def counts():
    return [
        model.objects.count()
        for model in (Programme, Phase, Workstream, Action, Milestone, ActionSaving)
    ]


def test_the_demo_programme_has_its_phases_workstreams_and_actions(organisation) -> None:
    programme = demo.load(organisation=organisation, by=None, today=TODAY)
    assert programme.name == "Shaping our future"
    assert list(programme.phases.values_list("name", flat=True)) == [
        "Mobilisation",
        "Exploration",
        "Learning and scaling",
        "Delivery",
    ]
    phases = programme.phases.all()
    assert (phases.first().start_on, phases.last().end_on) == (
        dt.date(2025, 4, 1),
        dt.date(2027, 3, 31),
    )
    assert programme.workstreams.count() == 5
    actions = programme.actions.all()
    own = actions.filter(source="")
    assert own.count() == 44
    assert set(actions.exclude(source="").values_list("source", flat=True)) == {"Productivity plan"}
    assert len(set(own.values_list("target_area", flat=True))) == 12


def test_its_actions_are_spread_for_every_rag(organisation) -> None:
    programme = demo.load(organisation=organisation, by=None, today=TODAY)
    actions = list(programme.actions.all())
    open_actions = [a for a in actions if a.status not in ("complete", "cancelled")]
    slips = [((a.forecast_on or a.due_on) - a.due_on).days for a in open_actions if a.due_on]
    assert any(1 <= slip <= 30 for slip in slips)
    assert any(slip > 30 for slip in slips)
    assert any(a.due_on < TODAY for a in open_actions)
    assert any(a.spend > a.budget for a in actions)
    assert any(a.status == ActionStatus.COMPLETE for a in actions)
    missed = Milestone.objects.filter(status=MilestoneStatus.PLANNED, due_on__lt=TODAY)
    assert missed.exists()
    for action in actions:
        assert action.implement_from >= action.design_by


def test_loading_it_again_changes_nothing(organisation) -> None:
    demo.load(organisation=organisation, by=None, today=TODAY)
    before = counts()
    demo.load(organisation=organisation, by=None, today=TODAY)
    assert counts() == before
