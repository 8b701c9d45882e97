"""The plan's services: every write attributed, every refusal by its constant, hooks called."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goldenthread.accounts.services import ServiceError, create_attributed
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    Benefit,
    MilestoneStatus,
    Risk,
)
from goldenthread.programme.plan import hooks, services
from tests.factories import OrganisationFactory, UserFactory, snapshot_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def user():
    return UserFactory(username="ed")


@pytest.fixture
def programme(organisation):
    return services.programme_create(
        organisation=organisation,
        name="Shaping our future",
        phases=services.DEFAULT_PHASES,
        by=None,
    )


@pytest.fixture
def changed():
    """The actions each call of the actions-changed hook was given."""
    calls: list[list[str]] = []
    hooks.ACTIONS_CHANGED.add(
        "test.recorder", lambda *, actions, by: calls.append([a.reference for a in actions])
    )
    yield calls
    hooks.ACTIONS_CHANGED.remove("test.recorder")


def refusal(call, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call(*args, **kwargs)
    return refused.value


def test_every_write_names_who_made_it(organisation, user) -> None:
    programme = services.programme_create(organisation=organisation, name="P", by=user)
    phase = services.phase_create(programme=programme, name="Mobilisation", by=user)
    workstream = services.workstream_create(programme=programme, name="Digital", by=user)
    action = services.action_create(
        programme=programme, title="A", phase=phase, workstream=workstream, by=user
    )
    milestone = services.milestone_create(
        action=action, title="M", due_on=dt.date(2026, 1, 1), by=user
    )
    services.action_savings_set(action=action, savings={2025: Decimal("10")}, by=user)
    for record in (programme, phase, workstream, action, milestone, action.savings.get()):
        assert record.history.latest().history_user == user


def test_the_default_phases_come_in_order_with_their_descriptions(programme) -> None:
    assert list(programme.phases.values_list("name", "position")) == [
        ("Mobilisation", 0),
        ("Exploration", 1),
        ("Learning and scaling", 2),
        ("Delivery", 3),
    ]
    assert all(programme.phases.values_list("description", flat=True))


def test_names_are_used_once(organisation, programme) -> None:
    error = refusal(
        services.programme_create, organisation=organisation, name="SHAPING our future", by=None
    )
    assert (error.message, error.field) == (
        services.PROGRAMME_NAME_TAKEN.format(organisation=organisation, name="SHAPING our future"),
        "name",
    )
    error = refusal(services.phase_create, programme=programme, name="delivery", by=None)
    assert error.message == services.PHASE_NAME_TAKEN.format(programme=programme, name="delivery")
    services.workstream_create(programme=programme, name="Digital", by=None)
    error = refusal(services.workstream_create, programme=programme, name="digital", by=None)
    assert error.field == "name"


def test_references_are_unique_in_the_organisation(organisation, programme) -> None:
    services.action_create(programme=programme, reference="A-1", title="A", by=None)
    error = refusal(
        services.action_create, programme=programme, reference="a-1", title="B", by=None
    )
    assert (error.message, error.field) == (
        services.REFERENCE_TAKEN.format(organisation=organisation, reference="a-1"),
        "reference",
    )


def test_blank_references_take_the_next_free_one(programme) -> None:
    services.action_create(programme=programme, reference="A-002", title="Given", by=None)
    first = services.action_create(programme=programme, title="First", by=None)
    second = services.action_create(programme=programme, title="Second", by=None)
    assert (first.reference, second.reference) == ("A-003", "A-004")


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        (
            {"design_by": 20253, "implement_from": 20252},
            services.IMPLEMENT_BEFORE_DESIGN.format(design_by="2025/26 Q3"),
            "implement_from",
        ),
        ({"percent_complete": 101}, services.PERCENT_RANGE, "percent_complete"),
        ({"percent_complete": -1}, services.PERCENT_RANGE, "percent_complete"),
        (
            {"start_on": dt.date(2026, 1, 2), "due_on": dt.date(2026, 1, 1)},
            services.DUE_BEFORE_START,
            "due_on",
        ),
        (
            {"budget": Decimal("-1")},
            services.NEGATIVE_MONEY.format(label="The budget"),
            "budget",
        ),
        ({"status": "finished"}, services.STATUS_UNKNOWN, "status"),
    ],
)
def test_bad_fields_are_refused_on_their_field(programme, fields, message, field) -> None:
    error = refusal(services.action_create, programme=programme, title="A", by=None, **fields)
    assert (error.message, error.field) == (message, field)
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("design_by", "implement_from"), [(20252, 20252), (20252, 20253), (20254, 20261)]
)
def test_implement_from_the_design_quarter_or_later_is_accepted(
    programme, design_by, implement_from
) -> None:
    action = services.action_create(
        programme=programme,
        title="A",
        design_by=design_by,
        implement_from=implement_from,
        by=None,
    )
    assert (action.design_by, action.implement_from) == (design_by, implement_from)


@pytest.mark.parametrize("percent", [0, 100])
def test_per_cent_complete_runs_from_0_to_100(programme, percent) -> None:
    action = services.action_create(
        programme=programme, title="A", percent_complete=percent, by=None
    )
    assert action.percent_complete == percent


def test_a_workstream_of_another_programme_is_refused(organisation, programme) -> None:
    other = services.programme_create(organisation=organisation, name="Other", by=None)
    theirs = services.workstream_create(programme=other, name="Theirs", by=None)
    error = refusal(
        services.action_create, programme=programme, title="A", workstream=theirs, by=None
    )
    assert (error.message, error.field) == (
        services.NOT_THIS_PROGRAMME.format(what="workstream", programme=programme),
        "workstream",
    )


def test_a_post_id_is_checked_against_the_current_as_is_structure(organisation, programme) -> None:
    # Before there is a structure, any ID is taken as given.
    early = services.action_create(programme=programme, title="A", owner_post="X-9", by=None)
    assert early.owner_post == "X-9"
    snapshot_of(organisation, [("CX1", None, "Chief Executive", "")])
    error = refusal(
        services.action_create, programme=programme, title="B", owner_post="NOPE", by=None
    )
    assert (error.message, error.field) == (
        services.NO_SUCH_POST.format(value="NOPE"),
        "owner_post",
    )
    action = services.action_create(programme=programme, title="C", owner_post="cx1", by=None)
    assert action.owner_post == "CX1"


def test_a_due_date_in_a_closed_quarter_is_a_warning_only(programme) -> None:
    action = services.action_create(
        programme=programme, title="Late", due_on=dt.date(2025, 6, 30), by=None
    )
    today = dt.date(2025, 7, 1)  # the first day of 2025/26 Q2: Q1 is over
    assert services.action_warnings(action, today) == [
        services.DUE_IN_CLOSED_QUARTER.format(
            reference=action.reference, due="30 June 2025", quarter="2025/26 Q1"
        )
    ]
    assert services.action_warnings(action, dt.date(2025, 6, 30)) == []
    done = services.action_update(action=action, title="Late", status="complete", by=None)
    assert services.action_warnings(done, today) == []
    assert done.completed_on == dt.date(2025, 6, 30)


def test_changes_to_an_action_its_milestones_and_savings_call_the_hooks(programme, changed) -> None:
    action = services.action_create(programme=programme, reference="A-1", title="A", by=None)
    services.action_update(action=action, title="A, renamed", by=None)
    milestone = services.milestone_create(
        action=action, title="M", due_on=dt.date(2026, 1, 1), by=None
    )
    services.milestone_update(milestone=milestone, title="M2", due_on=dt.date(2026, 2, 1), by=None)
    services.milestone_complete(milestone=milestone, on=dt.date(2026, 1, 30), by=None)
    services.milestone_delete(milestone=milestone, by=None)
    services.action_savings_set(action=action, savings={2025: Decimal("5")}, by=None)
    # Setting the same savings again changes nothing, so calls nothing.
    services.action_savings_set(action=action, savings={2025: Decimal("5")}, by=None)
    assert changed == [["A-1"]] * 7


def test_milestones_complete_with_their_day(programme) -> None:
    action = services.action_create(programme=programme, title="A", by=None)
    milestone = services.milestone_create(
        action=action,
        title="M",
        due_on=dt.date(2026, 1, 1),
        completed_on=dt.date(2025, 12, 1),
        by=None,
    )
    assert milestone.completed_on is None  # a planned milestone has no completion day
    services.milestone_complete(milestone=milestone, on=dt.date(2026, 1, 3), by=None)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (
        MilestoneStatus.COMPLETE,
        dt.date(2026, 1, 3),
    )


def test_savings_are_set_changed_and_removed_by_year(programme) -> None:
    action = services.action_create(programme=programme, title="A", by=None)
    services.action_savings_set(
        action=action, savings={2025: Decimal("100.50"), 2026: Decimal("200")}, by=None
    )
    saved = services.action_savings_set(
        action=action, savings={2025: None, 2027: Decimal("300")}, by=None
    )
    assert [(s.year, s.amount) for s in saved] == [
        (2026, Decimal("200.00")),
        (2027, Decimal("300")),
    ]
    error = refusal(
        services.action_savings_set, action=action, savings={2026: Decimal("-1")}, by=None
    )
    assert error.message == services.NEGATIVE_MONEY.format(label="The saving in 2026/27")


def _benefit(organisation, action) -> Benefit:
    benefit = create_attributed(
        Benefit,
        by=None,
        organisation=organisation,
        reference="B-1",
        type="process_efficiency",
        title="Fewer calls",
    )
    benefit.actions.add(action)
    return benefit


def _risk(organisation, action) -> Risk:
    risk = create_attributed(
        Risk,
        by=None,
        organisation=organisation,
        reference="R-1",
        title="Suppliers late",
        category="delivery",
        inherent_likelihood=3,
        inherent_impact=3,
        residual_likelihood=2,
        residual_impact=2,
    )
    risk.actions.add(action)
    return risk


def test_an_action_that_benefits_or_risks_link_to_cannot_be_deleted(
    organisation, programme
) -> None:
    action = services.action_create(programme=programme, reference="A-1", title="A", by=None)
    _benefit(organisation, action)
    _risk(organisation, action)
    error = refusal(services.action_delete, action=action, by=None)
    assert error.message == services.ACTION_LINKED.format(
        reference="A-1", links="benefit B-1: Fewer calls, risk R-1: Suppliers late"
    )
    assert Action.objects.filter(pk=action.pk).exists()


def test_deleting_an_action_deletes_its_milestones_and_savings(programme, user) -> None:
    action = services.action_create(programme=programme, title="A", by=None)
    services.milestone_create(action=action, title="M", due_on=dt.date(2026, 1, 1), by=None)
    services.action_savings_set(action=action, savings={2025: Decimal("1")}, by=None)
    services.action_delete(action=action, by=user)
    assert not Action.objects.exists()
    assert Action.history.filter(history_type="-").get().history_user == user


def test_a_phase_or_workstream_with_actions_cannot_be_deleted(programme) -> None:
    phase = programme.phases.get(name="Delivery")
    workstream = services.workstream_create(programme=programme, name="Digital", by=None)
    for n in (1, 2):
        services.action_create(
            programme=programme,
            reference=f"A-{n}",
            title=f"Action {n}",
            phase=phase,
            workstream=workstream,
            by=None,
        )
    error = refusal(services.phase_delete, phase=phase, by=None)
    assert error.message == services.PHASE_HAS_ACTIONS.format(
        count="2",
        s="s",
        are="are",
        them="them",
        name="Delivery",
        actions="A-1: Action 1, A-2: Action 2",
    )
    error = refusal(services.workstream_delete, workstream=workstream, by=None)
    assert error.message.startswith("2 actions are in the workstream Digital")


def test_a_programme_with_actions_cannot_be_deleted(programme) -> None:
    services.action_create(programme=programme, title="A", by=None)
    error = refusal(services.programme_delete, programme=programme, by=None)
    assert error.message == services.PROGRAMME_HAS_ACTIONS.format(
        programme=programme, count="1", s="", are="is", them="it"
    )


def test_a_programme_without_actions_is_deleted_with_its_phases(programme) -> None:
    services.programme_delete(programme=programme, by=None)
    assert not type(programme).objects.exists()


def test_completing_an_action_records_when(programme) -> None:
    action = services.action_create(
        programme=programme,
        title="A",
        due_on=dt.date(2026, 3, 31),
        forecast_on=dt.date(2026, 4, 10),
        status=ActionStatus.COMPLETE,
        by=None,
    )
    assert action.completed_on == dt.date(2026, 4, 10)
    reopened = services.action_update(
        action=action, title="A", status=ActionStatus.IN_PROGRESS, by=None
    )
    assert reopened.completed_on is None
