"""What changed since the last quarter, on a built scenario, in a fixed number of queries."""

# The shared fixtures are imported by name, so pytest finds them; a test's argument
# of the same name is that fixture, not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import create_attributed
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    Benefit,
    BenefitProfile,
    BenefitStatus,
    RagRecord,
    RagSource,
    Risk,
    RiskReview,
)
from goldenthread.programme.plan import hooks
from goldenthread.programme.updates import demo, panels, selectors, services
from goldenthread.programme.updates.selectors import quarter_changes
from tests.factories import PASSWORD, member
from tests.html import hrefs, select, text
from tests.programme.factories import make_action, make_programme
from tests.programme.updates_support import (  # noqa: F401  (fixtures and helpers)
    entry,
    organisation,
    programme,
    url,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = FinancialQuarter.of(TODAY)
BEFORE = FinancialQuarter.of(NOW.start - dt.timedelta(days=1))
DUE = NOW.end + dt.timedelta(days=30)


def _assess(*, actions, by) -> None:
    """The RAG as a simple rule gives it: red once the forecast is after the due date."""
    for action in actions:
        slipping = (
            action.forecast_on is not None
            and action.due_on is not None
            and (action.forecast_on > action.due_on)
        )
        rag = "blue" if action.status == ActionStatus.COMPLETE else "red" if slipping else "green"
        Action.objects.filter(pk=action.pk).update(rag=rag)


@pytest.fixture(autouse=True)
def assess():
    hooks.ACTIONS_CHANGED.add("test.assess", _assess, order=10_000)
    yield
    hooks.ACTIONS_CHANGED._entries.pop("test.assess")


def _risk(programme, reference: str, scores: list[tuple[dt.date, int]]) -> Risk:
    risk = create_attributed(
        Risk,
        by=None,
        organisation=programme.organisation,
        programme=programme,
        reference=reference,
        title=f"Risk {reference}",
        category="Financial",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    for on, score in scores:
        create_attributed(
            RiskReview,
            by=None,
            risk=risk,
            reviewed_on=on,
            likelihood=1,
            impact=score,
            score=score,
            next_review_on=on + dt.timedelta(days=30),
        )
    return risk


@pytest.fixture
def scenario(programme):
    slips = make_action(
        programme, reference="A-1", title="New front door", due_on=DUE, budget=Decimal("10000.00")
    )
    completes = make_action(
        programme,
        reference="A-2",
        title="Close the old system",
        due_on=DUE,
        budget=Decimal("5000.00"),
    )
    slipped = make_action(programme, reference="A-3", title="Already late", due_on=DUE)
    previous = services.quarterly_update_open(
        programme=programme, quarter=BEFORE, by=None, today=TODAY
    )
    services.action_updates_record(
        update=previous,
        entries=[
            entry(
                slips,
                status="in_progress",
                percent_complete=30,
                forecast_on=DUE,
                spend=Decimal("100.00"),
            ),
            entry(completes, status="in_progress", percent_complete=80),
            entry(
                slipped,
                status="in_progress",
                percent_complete=10,
                forecast_on=DUE + dt.timedelta(days=10),
                spend=Decimal("200.00"),
                delay="Waiting on the contractor",
            ),
        ],
        by=None,
    )
    services.quarterly_update_close(update=previous, by=None, today=TODAY)
    current = services.quarterly_update_open(programme=programme, quarter=NOW, by=None, today=TODAY)
    services.action_updates_record(
        update=current,
        entries=[
            entry(
                slips,
                forecast_on=DUE + dt.timedelta(days=20),
                spend=Decimal("600.00"),
                delay="The supplier went into administration",
            ),
            entry(completes, status="complete", percent_complete=100, spend=Decimal("1000.00")),
            entry(slipped, progress="No change", delay="Still waiting on the contractor"),
        ],
        by=None,
    )
    RagRecord.objects.create(
        organisation=programme.organisation,
        action=slips,
        on=TODAY,
        previous="green",
        rag="red",
        reason="red: forecast 20 days after the due date",
        source=RagSource.COMPUTED,
    )
    realised = create_attributed(
        Benefit,
        by=None,
        organisation=programme.organisation,
        programme=programme,
        reference="B-1",
        type="Cashable saving",
        title="Fewer letters posted",
        status=BenefitStatus.REALISING,
    )
    realised.status = BenefitStatus.REALISED
    realised.save()
    create_attributed(
        BenefitProfile,
        by=None,
        benefit=realised,
        year=NOW.year,
        planned=Decimal("15000"),
        realised=Decimal("12000.00"),
    )
    earlier = create_attributed(
        Benefit,
        by=None,
        organisation=programme.organisation,
        programme=programme,
        reference="B-2",
        type="Quality improvement",
        title="Realised long ago",
        status=BenefitStatus.REALISED,
    )
    earlier.history.update(history_date=timezone.now() - dt.timedelta(days=400))
    _risk(programme, "R-1", [(BEFORE.start, 6), (NOW.start, 12)])
    _risk(programme, "R-2", [(BEFORE.start, 12), (NOW.start, 8)])
    return current


def test_what_changed_since_the_last_quarter(
    programme, scenario, django_assert_num_queries
) -> None:
    # the previous update; the actions' history at the window's start and end; the two
    # updates' entries; the RAG records; benefits become realised; their profiles; the
    # risks' reviews
    with django_assert_num_queries(9):
        changes = quarter_changes(programme=programme, update=scenario)
    assert changes.previous is not None and changes.previous.quarter == BEFORE.code
    assert (changes.since, changes.until) == (NOW.start, NOW.end)
    assert [(m.reference, m.before, m.after) for m in changes.rag_moves] == [
        ("A-1", "green", "red"),
        ("A-2", "green", "blue"),
    ]
    # The reason of the latest change of RAG in the window.
    assert changes.rag_moves[0].reason == "red: forecast 20 days after the due date"
    assert [(line.reference, line.detail) for line in changes.slipped] == [
        ("A-1", "forecast 20 days after its due date")
    ]
    assert [line.reference for line in changes.completed] == ["A-2"]
    assert changes.spend == Decimal("1500.00")
    assert changes.spend_to_date == Decimal("1800.00")
    assert changes.budget == Decimal("15000.00")
    assert [(b.reference, b.realised) for b in changes.benefits] == [("B-1", Decimal("12000.00"))]
    assert changes.benefits_realised == Decimal("12000.00")
    assert [(r.reference, r.before, r.after) for r in changes.risks] == [("R-1", 6, 12)]


def test_the_queries_do_not_grow_with_the_programme(
    programme, scenario, django_assert_num_queries
) -> None:
    more = [make_action(programme, due_on=DUE) for _ in range(20)]
    services.action_updates_record(update=scenario, entries=[entry(a) for a in more], by=None)
    for n in range(5):
        _risk(programme, f"R-{n + 10}", [(BEFORE.start, 4), (NOW.start, 9)])
    with django_assert_num_queries(9):
        changes = quarter_changes(programme=programme, update=scenario)
    assert len(changes.risks) == 6


def test_without_a_previous_update_the_window_opens_with_the_quarter(programme) -> None:
    action = make_action(programme, due_on=DUE, spend=Decimal("50.00"))
    update = services.quarterly_update_open(programme=programme, quarter=NOW, by=None, today=TODAY)
    services.action_updates_record(
        update=update, entries=[entry(action, spend=Decimal("80.00"))], by=None
    )
    changes = quarter_changes(programme=programme, update=update)
    assert changes.previous is None
    assert changes.since == NOW.start
    assert changes.spend == Decimal("80.00")  # the action's history starts in the window


def test_the_pages_show_what_changed(client, organisation, programme, scenario) -> None:
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    response = client.get(url(organisation, "update_detail", update_id=scenario.pk))
    assert text(response, ".gt-rag-moves-count") == "2"
    assert text(response, ".gt-slipped-count") == "1"
    assert select(response, ".gt-completed li") == ["A-2: Close the old system"]
    # A blue RAG is shown by its label.
    assert select(response, ".gt-rag-moves tbody td:nth-child(3)") == ["Red", "Complete"]
    assert text(response, ".gt-spend").startswith("£1,500")
    benefit = Benefit.objects.get(reference="B-1")
    assert hrefs(response, ".gt-benefits a") == [
        url(organisation, "benefit_detail", benefit_id=benefit.pk)
    ]
    assert select(response, ".gt-risks li")[0].startswith("R-1: Risk R-1 (from 6 to 12")


def test_the_programme_panel_shows_the_latest_update(organisation, programme, scenario) -> None:
    panel = panels.programme_changes_panel(organisation, programme)
    assert panel.context["changes"].update == scenario
    html = render_to_string(panel.template, panel.context)
    assert text(html, ".gt-slipped-count") == "1"
    assert hrefs(html, ".gt-updates-panel > p a")[0] == url(
        organisation, "update_detail", update_id=scenario.pk
    )
    empty = panels.programme_changes_panel(organisation, make_programme(organisation, "New"))
    assert empty.context["changes"] is None


def test_the_action_panel_lists_its_entries(organisation, programme, scenario) -> None:
    action = Action.objects.get(reference="A-1")
    panel = panels.action_updates_panel(organisation, action)
    assert [e.update.quarter for e in panel.context["entries"]] == [NOW.code, BEFORE.code]
    assert panel.context["entries"][0].delay == "The supplier went into administration"
    assert panel.context["entries"][0].rag == "red"
    html = render_to_string(panel.template, panel.context)
    assert select(html, ".gt-action-updates tbody td:first-child") == [NOW.label, BEFORE.label]
    assert select(html, ".gt-action-updates tbody td:nth-child(5)") == ["Red", "Green"]


def test_the_demo_makes_two_updates_with_changes_and_runs_twice(programme) -> None:
    for n in range(6):
        make_action(
            programme,
            owner=f"Owner {n % 2}",
            due_on=DUE,
            budget=Decimal("8000"),
            spend=Decimal("3000"),
            status="in_progress",
            percent_complete=20,
        )
    demo.load(organisation=programme.organisation, programme=programme, by=None, today=TODAY)
    demo.load(organisation=programme.organisation, programme=programme, by=None, today=TODAY)
    updates = list(selectors.programme_updates(programme=programme))
    assert [(u.quarter, u.status) for u in updates] == [(NOW.code, "open"), (BEFORE.code, "closed")]
    current, previous = updates
    assert previous.actions.count() == 6
    assert 0 < current.actions.count() < 6
    changes = quarter_changes(programme=programme, update=current)
    assert len(changes.slipped) == 1
    assert len(changes.completed) == 1
    assert changes.spend == Decimal("800.00") * current.actions.count()
    assert len(changes.rag_moves) >= 2


def test_the_programme_and_action_pages_show_the_panels(
    client, organisation, programme, scenario
) -> None:
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    page = client.get(url(organisation, "programme_detail", programme_id=programme.pk))
    assert text(page, ".gt-updates-panel .gt-slipped-count") == "1"
    slipped = Action.objects.get(reference="A-1")
    assert hrefs(page, ".gt-updates-panel .gt-slipped a") == [
        url(organisation, "action_detail", action_id=slipped.pk)
    ]
    action_page = client.get(url(organisation, "action_detail", action_id=slipped.pk))
    assert select(action_page, ".gt-action-updates tbody td:first-child") == [
        NOW.label,
        BEFORE.label,
    ]


def test_late_actions_without_a_later_forecast_are_newly_slipped(programme) -> None:
    due = NOW.start + dt.timedelta(days=5)
    unforecast = make_action(programme, reference="S-1", title="No forecast", due_on=due)
    passed = make_action(programme, reference="S-2", title="Forecast passed", due_on=due)
    one_day = make_action(programme, reference="S-3", title="A day late", due_on=DUE)
    later = make_action(programme, reference="S-4", title="Due later", due_on=DUE)
    previous = services.quarterly_update_open(
        programme=programme, quarter=BEFORE, by=None, today=TODAY
    )
    services.action_updates_record(
        update=previous,
        entries=[
            entry(unforecast, status="in_progress", percent_complete=40),
            entry(passed, status="in_progress", percent_complete=40, forecast_on=due),
            entry(one_day, status="in_progress", percent_complete=40, forecast_on=DUE),
            entry(later, status="in_progress", percent_complete=40),
        ],
        by=None,
    )
    services.quarterly_update_close(update=previous, by=None, today=TODAY)
    current = services.quarterly_update_open(programme=programme, quarter=NOW, by=None, today=TODAY)
    services.action_updates_record(
        update=current,
        entries=[
            entry(unforecast),
            entry(passed, forecast_on=due - dt.timedelta(days=2)),
            entry(one_day, forecast_on=DUE + dt.timedelta(days=1), delay="Waiting on a supplier"),
            entry(later),
        ],
        by=None,
    )
    changes = quarter_changes(programme=programme, update=current)
    assert [(line.reference, line.detail) for line in changes.slipped] == [
        ("S-1", "past its due date, with no forecast"),
        ("S-2", "past its due date, and its forecast has passed"),
        ("S-3", "forecast 1 day after its due date"),
    ]


def test_long_lists_of_benefits_and_risks_say_they_are_cut(organisation, programme) -> None:
    update = services.quarterly_update_open(programme=programme, quarter=NOW, by=None, today=TODAY)
    changes = selectors.QuarterChanges(
        update=update,
        previous=None,
        since=NOW.start,
        until=NOW.end,
        benefits=[selectors.BenefitLine(n, f"B-{n}", "Benefit", Decimal(0)) for n in range(1, 31)],
        risks=[selectors.RiskRise(n, f"R-{n}", "Risk", 2, 9, NOW.start) for n in range(1, 28)],
    )
    html = render_to_string(
        "programme/updates/_changes.html", {"changes": changes, "org_slug": organisation.slug}
    )
    assert len(select(html, ".gt-benefits li")) == 25
    assert "Showing the first 25 of 30." in text(html, ".gt-changes")
    assert "Showing the first 25 of 27." in text(html, ".gt-changes")
