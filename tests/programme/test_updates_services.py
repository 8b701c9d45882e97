"""The quarterly update's services: open, record all or nothing, close, and the hooks."""

# The shared fixtures are imported by name, so pytest finds them; a test's argument
# of the same name is that fixture, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goldenthread.accounts.services import ServiceError
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import ActionStatus, ActionUpdate, UpdateStatus
from goldenthread.programme.plan import hooks
from goldenthread.programme.updates import services
from tests.factories import member
from tests.programme.factories import make_action, make_programme
from tests.programme.updates_support import (  # noqa: F401  (fixtures and helpers)
    QUARTER,
    TODAY,
    entry,
    open_update,
    organisation,
    programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(organisation):
    return member(organisation, "editor", username="owner")


@pytest.fixture
def calls():
    """Each call of the programme's hooks, recorded by a hook added for the test."""
    seen: list[tuple[str, object]] = []
    hooks.ACTIONS_CHANGED.add(
        "test.updates", lambda *, actions, by: seen.append(("actions", [a.pk for a in actions]))
    )
    hooks.QUARTER_CLOSED.add("test.updates", lambda *, update, by: seen.append(("closed", update)))
    yield seen
    hooks.ACTIONS_CHANGED._entries.pop("test.updates")
    hooks.QUARTER_CLOSED._entries.pop("test.updates")


def test_an_update_is_opened_once_a_quarter(programme, user) -> None:
    update = services.quarterly_update_open(
        programme=programme, quarter=QUARTER, by=user, today=TODAY
    )
    assert update.status == UpdateStatus.OPEN
    assert update.opened_on == TODAY
    assert update.history.get().history_user == user
    with pytest.raises(ServiceError) as refused:
        services.quarterly_update_open(programme=programme, quarter=QUARTER, by=user, today=TODAY)
    assert refused.value.message == services.QUARTER_TAKEN.format(quarter="2025/26 Q2")
    assert refused.value.field == "quarter"


def test_a_quarter_not_yet_started_is_refused(programme) -> None:
    with pytest.raises(ServiceError) as refused:
        services.quarterly_update_open(
            programme=programme, quarter=FinancialQuarter(2025, 3), by=None, today=TODAY
        )
    assert refused.value.message == services.QUARTER_AHEAD.format(
        quarter="2025/26 Q3", current="2025/26 Q2"
    )
    assert open_update(programme, FinancialQuarter(2025, 1)).quarter == 20251


def test_recording_changes_the_actions_and_keeps_them_as_they_stood(programme, user, calls) -> None:
    first = make_action(
        programme,
        owner="Jo Bloggs",
        budget=Decimal("10000.00"),
        due_on=dt.date(2025, 12, 31),
        rag="green",
    )
    second = make_action(programme, owner="Jo Bloggs", due_on=dt.date(2025, 9, 30))
    update = open_update(programme)
    recorded = services.action_updates_record(
        update=update,
        entries=[
            entry(
                first,
                status=ActionStatus.IN_PROGRESS,
                percent_complete=40,
                forecast_on=dt.date(2026, 1, 31),
                spend=Decimal("2500.50"),
                progress="Designs agreed",
                delay="Supplier late",
            ),
            entry(second, status=ActionStatus.COMPLETE, percent_complete=100),
        ],
        by=user,
        today=TODAY,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.percent_complete, first.forecast_on, first.spend) == (
        "in_progress",
        40,
        dt.date(2026, 1, 31),
        Decimal("2500.50"),
    )
    assert second.completed_on == TODAY
    assert first.history.latest().history_user == user
    snapshot = ActionUpdate.objects.get(update=update, action=first)
    assert snapshot == recorded[0]
    assert (snapshot.progress, snapshot.delay, snapshot.budget, snapshot.due_on) == (
        "Designs agreed",
        "Supplier late",
        Decimal("10000.00"),
        dt.date(2025, 12, 31),
    )
    # The RAG part assessed it again (its forecast is after its due date): the entry keeps
    # the RAG that assessment gave.
    assert (snapshot.rag, snapshot.forecast_rag) == (first.rag, first.forecast_rag)
    assert snapshot.recorded_by == user
    assert snapshot.history.get().history_user == user
    assert calls == [("actions", [first.pk, second.pk])]


def test_the_rag_after_the_hooks_is_kept_with_the_entry(programme) -> None:
    action = make_action(programme, rag="green")

    def assess(*, actions, by):
        for changed in actions:
            type(changed).objects.filter(pk=changed.pk).update(rag="red", forecast_rag="amber")

    hooks.ACTIONS_CHANGED.add("test.assess", assess, order=10_000)  # after the RAG part's
    try:
        services.action_updates_record(
            update=open_update(programme), entries=[entry(action)], by=None, today=TODAY
        )
    finally:
        hooks.ACTIONS_CHANGED._entries.pop("test.assess")
    snapshot = ActionUpdate.objects.get(action=action)
    assert (snapshot.rag, snapshot.forecast_rag) == ("red", "amber")


def test_one_bad_entry_saves_nothing(programme) -> None:
    good = make_action(programme, reference="A-1")
    bad = make_action(programme, reference="A-2", due_on=dt.date(2025, 9, 30))
    update = open_update(programme)
    with pytest.raises(ServiceError) as refused:
        services.action_updates_record(
            update=update,
            entries=[
                entry(good, percent_complete=50),
                entry(bad, forecast_on=dt.date(2025, 12, 1)),
            ],
            by=None,
            today=TODAY,
        )
    assert refused.value.message == services.DELAY_NEEDED.format(reference="A-2")
    assert refused.value.field == "delay"
    good.refresh_from_db()
    assert good.percent_complete == 0
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"percent_complete": 101}, services.PERCENT_RANGE),
        ({"status": ActionStatus.COMPLETE, "percent_complete": 90}, services.COMPLETE_NOT_100),
        ({"spend": Decimal("-1")}, services.SPEND_NEGATIVE),
    ],
)
def test_each_refusal_names_the_action(programme, fields, message) -> None:
    action = make_action(programme, reference="B-7")
    with pytest.raises(ServiceError) as refused:
        services.action_updates_record(
            update=open_update(programme), entries=[entry(action, **fields)], by=None
        )
    assert refused.value.message == message.format(reference="B-7")


def test_an_action_of_another_programme_is_refused(organisation, programme) -> None:
    other = make_action(make_programme(organisation, "Other"), reference="O-1")
    with pytest.raises(ServiceError) as refused:
        services.action_updates_record(
            update=open_update(programme), entries=[entry(other)], by=None
        )
    assert refused.value.message == services.NOT_IN_PROGRAMME.format(
        reference="O-1", programme=programme
    )


def test_recording_again_replaces_the_quarters_entry_and_keeps_its_history(programme) -> None:
    action = make_action(programme)
    update = open_update(programme)
    services.action_updates_record(
        update=update, entries=[entry(action, progress="First")], by=None
    )
    services.action_updates_record(
        update=update, entries=[entry(action, progress="Second")], by=None
    )
    snapshot = ActionUpdate.objects.get()
    assert snapshot.progress == "Second"
    assert [row.progress for row in snapshot.history.order_by("history_id")] == ["First", "Second"]


def test_closing_calls_the_hook_and_a_closed_update_refuses_writes(programme, user, calls) -> None:
    action = make_action(programme)
    update = open_update(programme)
    services.quarterly_update_close(update=update, by=user, today=TODAY)
    assert (update.status, update.closed_on) == (UpdateStatus.CLOSED, TODAY)
    assert update.history.latest().history_user == user
    assert calls == [("closed", update)]
    with pytest.raises(ServiceError) as refused:
        services.action_updates_record(update=update, entries=[entry(action)], by=user)
    assert refused.value.message == services.UPDATE_CLOSED.format(quarter="2025/26 Q2")
    with pytest.raises(ServiceError) as again:
        services.quarterly_update_close(update=update, by=user)
    assert again.value.message == services.ALREADY_CLOSED.format(quarter="2025/26 Q2")
    assert calls == [("closed", update)]


def test_closing_ends_the_overrides_set_until_the_next_update(programme, user) -> None:
    from goldenthread.programme.rag.services import action_override_set

    action = make_action(programme, due_on=dt.date(2026, 3, 31))
    action_override_set(
        action=action,
        rag="amber",
        reason="Supplier at risk",
        until_update=True,
        by=user,
        today=TODAY,
    )
    update = open_update(programme)
    services.quarterly_update_close(update=update, by=user, today=TODAY)
    action.refresh_from_db()
    assert action.override_rag == ""
