"""The RAG's services: assessment, history, versions of the rules, overrides and their end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.analysis import rag as engine
from goldenthread.jobs.models import Job
from goldenthread.programme.models import (
    Action,
    Milestone,
    QuarterlyUpdate,
    RagKind,
    RagRecord,
    RagRuleSet,
    RagSource,
)
from goldenthread.programme.plan import hooks
from goldenthread.programme.rag import selectors, services
from tests.factories import OrganisationFactory, member
from tests.programme.factories import make_action, make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Council", slug="brackenford")


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, name="Transformation")


@pytest.fixture
def owner(organisation):
    return member(organisation, Role.EDITOR, username="jsmith", full_name="J Smith")


@pytest.fixture
def chief(organisation):
    return member(organisation, Role.ADMIN, username="chief", full_name="A Chief")


def _fresh(action: Action) -> Action:
    return Action.objects.get(pk=action.pk)


def test_the_first_assessment_records_the_default_rules_as_version_1(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 4, 13))
    services.action_rag_refresh(action=action, by=owner, today=TODAY)
    rules = RagRuleSet.objects.get(organisation=programme.organisation)
    assert rules.version == 1
    assert rules.note == services.DEFAULT_NOTE
    assert engine.rules_from_json(rules.rules) == engine.DEFAULT_ACTION_RULES
    action = _fresh(action)
    assert action.rag == "amber"
    assert action.rag_reason == (
        "Amber: still open 18 days after the due date; amber is 1 to 30 days late."
    )
    assert action.computed_rag == "amber"
    assert action.forecast_rag == "amber"
    assert action.rag_rules == rules
    assert action.rag_assessed_on == TODAY
    current, forecast = action.rag_records.order_by("kind")
    assert (current.kind, current.previous, current.rag) == (RagKind.CURRENT, "", "amber")
    assert (current.source, current.rules, current.recorded_by) == (
        RagSource.COMPUTED,
        rules,
        owner,
    )
    assert forecast.kind == RagKind.FORECAST


def test_a_change_of_rag_is_kept_with_the_previous_rag(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 5, 1))
    for offset in (0, 1, 2, 31, 32):
        services.action_rag_refresh(
            action=action, by=owner, today=TODAY + dt.timedelta(days=offset)
        )
    moves = [
        (r.on, r.previous, r.rag)
        for r in RagRecord.objects.filter(action=action, kind=RagKind.CURRENT).order_by("on")
    ]
    assert moves == [
        (TODAY, "", "green"),
        (TODAY + dt.timedelta(days=1), "green", "amber"),
        (TODAY + dt.timedelta(days=31), "amber", "red"),
    ]
    red = RagRecord.objects.filter(action=action, rag="red", kind=RagKind.CURRENT).get()
    assert red.reason == "Red: still open 31 days after the due date; red is over 30 days late."


def test_complete_is_blue_and_cancelled_is_not_rated(programme) -> None:
    done = make_action(programme, status="complete", completed_on=TODAY)
    cancelled = make_action(programme, status="cancelled")
    held = make_action(programme, status="on_hold")
    services.actions_rag_refresh(actions=[done, cancelled, held], by=None, today=TODAY)
    assert (_fresh(done).rag, _fresh(done).forecast_rag) == ("blue", "blue")
    assert _fresh(cancelled).rag == ""
    assert (_fresh(held).rag, _fresh(held).rag_reason) == ("amber", "Amber: on hold.")


def test_milestones_and_budget_count(programme) -> None:
    action = make_action(
        programme,
        due_on=dt.date(2026, 12, 31),
        budget=Decimal("10000.00"),
        spend=Decimal("11000.00"),
    )
    for due in (dt.date(2026, 4, 1), dt.date(2026, 4, 2)):
        Milestone.objects.create(action=action, title=f"M {due}", due_on=due)
    services.action_rag_refresh(action=action, by=None, today=TODAY)
    assert _fresh(action).rag_reason == (
        "Red: 2 milestones missed; red is 2 or more missed milestones. "
        "Amber: spend 10% over budget; amber is over 0% up to 10%."
    )


def test_the_plan_hook_assesses_changed_actions(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2020, 1, 1))
    hooks.action_changed(action=action, by=owner)
    assert action.rag == "red"
    assert _fresh(action).rag == "red"


def test_the_organisation_refresh_is_bulk(programme, django_assert_num_queries) -> None:
    for number in range(30):
        make_action(programme, due_on=TODAY + dt.timedelta(days=number - 15))
    services.organisation_rag_refresh(organisation=programme.organisation, by=None, today=TODAY)
    # two savepoint pairs (the refresh, the rules in force), the actions, their milestones,
    # the rules in force; nothing written when nothing changed, whatever the number of actions
    # (a change writes one UPDATE for each set of equal values, and the records in bulk)
    with django_assert_num_queries(7):
        services.organisation_rag_refresh(organisation=programme.organisation, by=None, today=TODAY)


def test_a_new_version_of_the_rules_needs_an_admin_and_a_note(organisation, owner, chief) -> None:
    rules = engine.DEFAULT_ACTION_RULES.with_thresholds(
        "slippage", red=engine.Threshold(Decimal(14), inclusive=False)
    ).to_json()
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(organisation=organisation, rules=rules, note="x", by=owner)
    assert "admin" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(organisation=organisation, rules=rules, note=" ", by=chief)
    assert (refused.value.message, refused.value.field) == (services.RULES_NOTE_REQUIRED, "note")
    bad = engine.DEFAULT_ACTION_RULES.to_json()
    bad["measures"][0]["amber"]["from"] = 99
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(organisation=organisation, rules=bad, note="x", by=chief)
    assert refused.value.field == "slippage_amber"
    assert refused.value.message == engine.AMBER_NOT_BELOW_RED.format(field="slippage.amber")


def test_a_change_of_rules_is_a_new_version_and_reassesses_every_action(
    programme, chief, django_capture_on_commit_callbacks
) -> None:
    action = make_action(programme, due_on=TODAY - dt.timedelta(days=20))
    services.action_rag_refresh(action=action, by=None, today=TODAY)
    assert _fresh(action).rag == "amber"
    rules = engine.DEFAULT_ACTION_RULES.with_thresholds(
        "slippage", red=engine.Threshold(Decimal(14), inclusive=False)
    ).to_json()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.rag_rules_update(
            organisation=programme.organisation,
            rules=rules,
            note="Cabinet asked for a tighter tolerance",
            replaces=1,
            by=chief,
        )
    assert made.version == 2
    assert Job.objects.get(kind=services.REFRESH_JOB).status == "succeeded"
    action = _fresh(action)
    assert action.rag == "red"
    assert action.rag_rules == made
    record = action.rag_records.filter(kind=RagKind.CURRENT).latest("pk")
    assert (record.previous, record.rag, record.rules) == ("amber", "red", made)
    # the earlier record still names the rules that produced it
    first = action.rag_records.filter(kind=RagKind.CURRENT).earliest("pk")
    assert first.rules.version == 1
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(
            organisation=programme.organisation, rules=rules, note="again", by=chief
        )
    assert refused.value.message == services.RULES_UNCHANGED
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(
            organisation=programme.organisation,
            rules=engine.DEFAULT_ACTION_RULES.to_json(),
            note="back",
            replaces=1,
            by=chief,
        )
    assert refused.value.message.startswith("A Chief made version 2 of the rules")


def test_an_override_without_a_reason_is_refused(programme, owner) -> None:
    action = make_action(programme)
    with pytest.raises(ServiceError) as refused:
        services.action_override_set(
            action=action,
            rag="red",
            reason="  ",
            ends_on=dt.date(2026, 6, 30),
            by=owner,
            today=TODAY,
        )
    assert (refused.value.message, refused.value.field) == (
        services.OVERRIDE_REASON_REQUIRED,
        "reason",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rag": "blue"}, services.OVERRIDE_RAG_REQUIRED),
        ({"ends_on": None}, services.OVERRIDE_END_REQUIRED),
        ({"ends_on": TODAY}, services.OVERRIDE_END_NOT_AFTER_TODAY),
    ],
)
def test_an_override_needs_a_rag_and_an_end_after_today(programme, owner, fields, message) -> None:
    action = make_action(programme)
    values = {"rag": "red", "reason": "Contractor failed", "ends_on": dt.date(2026, 6, 30)}
    with pytest.raises(ServiceError) as refused:
        services.action_override_set(action=action, by=owner, today=TODAY, **{**values, **fields})
    assert refused.value.message == message


def test_an_override_runs_until_its_end_then_the_computed_rag_returns(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 9, 30))
    services.action_override_set(
        action=action,
        rag="red",
        reason="The supplier has gone into administration",
        ends_on=dt.date(2026, 6, 30),
        by=owner,
        today=TODAY,
    )
    action = _fresh(action)
    assert action.rag == "red"
    assert action.computed_rag == "green"
    assert action.rag_reason == (
        "Red (overridden by J Smith on 1 May 2026): The supplier has gone into administration; "
        "ends 30 June 2026."
    )
    assert action.history.latest().history_user == owner
    services.action_rag_refresh(action=action, by=None, today=dt.date(2026, 6, 30))
    assert _fresh(action).rag == "red"
    services.action_rag_refresh(action=action, by=None, today=dt.date(2026, 7, 1))
    action = _fresh(action)
    assert (action.rag, action.override_rag) == ("green", "")
    ended = action.rag_records.latest("pk")
    assert (ended.previous, ended.rag, ended.source) == ("red", "green", RagSource.OVERRIDE)
    assert ended.reason.startswith("The override ended on 30 June 2026; Green: on track")
    sources = list(
        action.rag_records.filter(kind=RagKind.CURRENT).order_by("pk").values_list("source", "rag")
    )
    assert sources == [("computed", "green"), ("override", "red"), ("override", "green")]


def test_renewing_and_clearing_an_override_are_recorded(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 9, 30))
    for _ in range(2):
        services.action_override_set(
            action=action,
            rag="amber",
            reason="Awaiting funding",
            until_update=True,
            by=owner,
            today=TODAY,
        )
    services.action_override_clear(action=action, by=owner, today=TODAY)
    reasons = [
        r.reason.split(":")[0]
        for r in action.rag_records.filter(source=RagSource.OVERRIDE).order_by("pk")
    ]
    assert reasons == [
        "Overridden by J Smith",
        "Override renewed by J Smith",
        "Override cleared by J Smith; Green",
    ]
    first = action.rag_records.filter(source=RagSource.OVERRIDE).earliest("pk")
    assert first.reason == (
        "Overridden by J Smith: Awaiting funding; ends at the next quarterly update."
    )
    with pytest.raises(ServiceError) as refused:
        services.action_override_clear(action=action, by=owner, today=TODAY)
    assert refused.value.message == services.NO_OVERRIDE


def test_closing_a_quarterly_update_ends_overrides_until_the_update(programme, owner) -> None:
    until = make_action(programme, due_on=dt.date(2026, 9, 30))
    dated = make_action(programme, due_on=dt.date(2026, 9, 30))
    services.action_override_set(
        action=until,
        rag="red",
        reason="Awaiting Cabinet",
        until_update=True,
        by=owner,
        today=TODAY,
    )
    services.action_override_set(
        action=dated,
        rag="red",
        reason="Awaiting Cabinet",
        ends_on=dt.date(2026, 12, 1),
        by=owner,
        today=TODAY,
    )
    update = QuarterlyUpdate.objects.create(
        organisation=programme.organisation,
        programme=programme,
        quarter=20261,
        opened_on=dt.date(2026, 7, 1),
        status="closed",
        closed_on=dt.date(2026, 7, 10),
    )
    hooks.quarter_closed(update=update, by=owner)
    assert (_fresh(until).rag, _fresh(until).override_rag) == ("green", "")
    assert _fresh(dated).rag == "red"
    assert (
        _fresh(until)
        .rag_records.latest("pk")
        .reason.startswith("The override ended with the quarterly update")
    )


def test_rag_changes_and_counts(programme, organisation) -> None:
    late = make_action(programme, due_on=dt.date(2026, 4, 1))
    make_action(programme, due_on=dt.date(2026, 9, 1))
    make_action(programme, status="complete")
    services.organisation_rag_refresh(organisation=organisation, by=None, today=TODAY)
    services.organisation_rag_refresh(
        organisation=organisation, by=None, today=dt.date(2026, 5, 20)
    )
    assert selectors.rag_counts(organisation=organisation) == {
        "red": 1,
        "amber": 0,
        "green": 1,
        "blue": 1,
        "": 0,
    }
    moves = selectors.rag_changes(
        organisation=organisation, since=dt.date(2026, 5, 2), until=dt.date(2026, 6, 30)
    )
    assert [(m.action, m.previous, m.rag) for m in moves if m.kind == "current"] == [
        (late, "amber", "red")
    ]
    other = OrganisationFactory()
    assert selectors.rag_counts(organisation=other)["red"] == 0
    assert not selectors.rag_changes(
        organisation=other, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31)
    ).exists()


def test_the_demo_makes_a_year_of_history_by_the_rules_once(programme, chief) -> None:
    from goldenthread.programme.rag import demo

    today = dt.date(2026, 11, 15)
    for number in range(8):
        make_action(
            programme,
            reference=f"D{number}",
            due_on=dt.date(2026, 1, 15) + dt.timedelta(days=40 * number),
            status="in_progress" if number != 7 else "complete",
        )
    # the plan's services assess each action as it is made
    services.organisation_rag_refresh(organisation=programme.organisation, by=None, today=today)
    demo.load(organisation=programme.organisation, programme=programme, by=chief, today=today)
    versions = RagRuleSet.objects.filter(organisation=programme.organisation).order_by("version")
    assert [(v.version, v.in_force_from) for v in versions] == [
        (1, dt.date(2025, 11, 15)),
        (2, dt.date(2026, 5, 15)),
    ]
    records = RagRecord.objects.filter(action__programme=programme)
    assert records.order_by("on").first().on == dt.date(2025, 11, 15)
    assert {r.rules.version for r in records} == {1, 2}
    overridden = Action.objects.filter(programme=programme).exclude(override_rag="")
    assert sorted((a.override_rag, a.override_until_update) for a in overridden) == [
        ("green", True),
        ("red", False),
    ]
    ended = records.filter(reason__startswith="The override ended on")
    assert ended.count() == 1
    count = records.count()
    demo.load(organisation=programme.organisation, programme=programme, by=chief, today=today)
    assert RagRecord.objects.filter(action__programme=programme).count() == count


def test_the_daily_command_assesses_every_organisation(programme) -> None:
    import io

    from django.core.management import call_command

    action = make_action(programme, due_on=dt.date(2026, 4, 1))
    out = io.StringIO()
    call_command("programme_rag_refresh", "--on", "2026-05-20", stdout=out)
    assert out.getvalue() == "brackenford: 1 actions changed\n"
    assert _fresh(action).rag == "red"  # still open 49 days after its due date
    assert _fresh(action).rag_assessed_on == dt.date(2026, 5, 20)


def test_completing_an_overridden_action_ends_its_override(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 9, 30))
    services.action_override_set(
        action=action, rag="red", reason="Supplier risk", until_update=True, by=owner, today=TODAY
    )
    Action.objects.filter(pk=action.pk).update(status="complete")
    action.status = "complete"
    services.action_rag_refresh(action=action, by=owner, today=TODAY)
    action = _fresh(action)
    assert (action.rag, action.override_rag) == ("blue", "")
    assert action.rag_records.filter(kind=RagKind.CURRENT).latest("pk").reason == (
        "The override ended: the action is complete; Complete."
    )


def _closed_update(programme, *, opened_on: dt.date, closed_on: dt.date) -> QuarterlyUpdate:
    return QuarterlyUpdate.objects.create(
        organisation=programme.organisation,
        programme=programme,
        quarter=20262,
        opened_on=opened_on,
        status="closed",
        closed_on=closed_on,
    )


def test_an_ended_override_gives_way_to_the_rag_assessed_on_the_close_date(
    programme, owner
) -> None:
    # Assessed green on 1 May; by the close on 10 July the action is 10 days late.
    action = make_action(programme, due_on=dt.date(2026, 6, 30))
    services.action_override_set(
        action=action,
        rag="red",
        reason="Awaiting Cabinet",
        until_update=True,
        by=owner,
        today=TODAY,
    )
    assert _fresh(action).computed_rag == "green"
    update = _closed_update(
        programme, opened_on=dt.date(2026, 7, 1), closed_on=dt.date(2026, 7, 10)
    )
    assert services.update_overrides_end(update=update, by=owner) == 1
    action = _fresh(action)
    assert (action.rag, action.override_rag) == ("amber", "")
    assert action.rag_assessed_on == dt.date(2026, 7, 10)
    assert action.rag_reason.startswith("Amber: still open 10 days after the due date")


def test_an_override_set_during_the_round_being_closed_stays(programme, owner) -> None:
    action = make_action(programme, due_on=dt.date(2026, 9, 30))
    services.action_override_set(
        action=action,
        rag="red",
        reason="Awaiting Cabinet",
        until_update=True,
        by=owner,
        today=dt.date(2026, 7, 5),
    )
    update = _closed_update(
        programme, opened_on=dt.date(2026, 7, 1), closed_on=dt.date(2026, 7, 10)
    )
    assert services.update_overrides_end(update=update, by=owner) == 0
    assert (_fresh(action).rag, _fresh(action).override_rag) == ("red", "red")


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_a_complete_or_cancelled_action_cannot_be_overridden(programme, owner, status) -> None:
    action = make_action(programme, due_on=dt.date(2026, 9, 30))
    Action.objects.filter(pk=action.pk).update(status=status)
    action = _fresh(action)
    with pytest.raises(ServiceError) as refused:
        services.action_override_set(
            action=action, rag="red", reason="Late", until_update=True, by=owner, today=TODAY
        )
    assert (refused.value.message, refused.value.field) == (services.OVERRIDE_NOT_OPEN, "rag")
    assert _fresh(action).override_rag == ""


def test_a_version_made_between_the_look_and_the_write_refuses_as_stale(
    organisation, chief, monkeypatch
) -> None:
    first = services.rag_rules_ensure(organisation=organisation, by=None, today=TODAY)
    rules = engine.DEFAULT_ACTION_RULES.with_thresholds(
        "slippage", red=engine.Threshold(Decimal(14), inclusive=False)
    ).to_json()
    misses = [1]
    real = services.rules_in_force

    def missed_it(*, organisation):
        # The first look misses version 1, as a look racing its making would.
        if misses:
            misses.pop()
            return None
        return real(organisation=organisation)

    monkeypatch.setattr(services, "rules_in_force", missed_it)
    with pytest.raises(ServiceError) as refused:
        services.rag_rules_update(
            organisation=organisation, rules=rules, note="Tighter", by=chief, reassess=False
        )
    assert refused.value.message.startswith(f"{services.person(None)} made version 1")
    assert RagRuleSet.objects.filter(organisation=organisation).get() == first


def test_two_first_assessments_at_once_make_one_version(organisation, monkeypatch) -> None:
    made = services.rag_rules_ensure(organisation=organisation, by=None, today=TODAY)
    misses = [1, 1]
    real = services.rules_in_force

    def missed_it(*, organisation):
        if misses:
            misses.pop()
            return None
        return real(organisation=organisation)

    monkeypatch.setattr(services, "rules_in_force", missed_it)
    assert services.rag_rules_ensure(organisation=organisation, by=None, today=TODAY) == made
    assert RagRuleSet.objects.filter(organisation=organisation).count() == 1
