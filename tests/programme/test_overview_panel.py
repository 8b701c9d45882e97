"""The programme dashboard's own panel and the organisation's programme card."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.kit import panels
from goldenthread.kit.dashboard import CARDS
from goldenthread.programme.models import ActionStatus, Rag
from goldenthread.programme.overview import selectors
from goldenthread.programme.overview.cards import SLIPPING_ROW, programme_card
from goldenthread.programme.overview.panels import programme_panel
from tests.factories import OrganisationFactory, member
from tests.html import parse, select, text
from tests.programme.factories import make_action, make_programme, make_workstream
from tests.programme.overview_data import DUE, plan_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havering", slug="havering")


def _render(organisation, programme) -> str:
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    request.organisation = organisation
    panel = programme_panel(organisation, programme)
    return render_to_string(panel.template, {**panel.context, "current_organisation": organisation})


def _seen(tag) -> str:
    """The text a sighted reader sees: without the visually hidden words."""
    tag = copy.copy(tag)
    for hidden in tag.select(".govuk-visually-hidden"):
        hidden.decompose()
    return text(tag)


def test_the_panel_is_first_on_the_programme_page() -> None:
    slot = panels.slot(panels.PAGE_PANELS, "programme-page")
    assert slot.keys()[0] == "programme.overview"


def test_the_card_is_registered() -> None:
    assert "goldenthread.programme.overview.cards.programme_card" in CARDS


def test_counts_by_rag_and_phase_link_to_the_register(organisation) -> None:
    programme = make_programme(organisation, name="Transformation")
    mobilisation, exploration = list(programme.phases.order_by("position"))[:2]
    make_action(programme, rag=Rag.RED, forecast_rag=Rag.RED, phase=mobilisation)
    make_action(programme, rag=Rag.RED, forecast_rag=Rag.AMBER, phase=mobilisation)
    make_action(programme, rag=Rag.GREEN, forecast_rag=Rag.AMBER, phase=exploration)
    make_action(programme, rag="", phase=None)
    html = _render(organisation, programme)
    headings = select(html, ".gt-rag-by-phase thead th")
    assert headings == [
        "RAG",
        "Mobilisation",
        "Exploration",
        "Learning and scaling",
        "Delivery",
        "No phase",
        "All phases",
    ]
    rows = parse(html).select(".gt-rag-by-phase tbody tr")
    assert _seen(rows[0]) == "Red 2 0 0 0 0 2"
    assert _seen(rows[2]) == "Green 0 1 0 0 0 1"
    assert _seen(rows[4]) == "Not rated 0 0 0 0 1 1"
    assert _seen(rows[5]) == "All RAGs 2 1 0 0 1 4"
    red_link = rows[0].select_one("td a")
    assert red_link["href"] == (
        reverse("programme:action_list", kwargs={"org_slug": "havering"})
        + f"?programme={programme.pk}&rag=red&phase={mobilisation.pk}"
    )
    assert text(red_link) == "2 red actions in Mobilisation"
    # Counts of nought, and of actions in no phase or not rated, link nowhere.
    assert rows[4].select("a") == []
    forecast = parse(html).select(".gt-rag-forecast tbody tr")
    assert [text(row) for row in forecast] == [
        "Red 2 1",
        "Amber 0 2",
        "Green 1 0",
        "Complete 0 0",
        "Not rated 1 1",
    ]


def test_slipping_actions_are_the_open_ones_late_as_the_rag_judges(organisation) -> None:
    programme = make_programme(organisation)
    today = timezone.localdate()
    ahead = today + dt.timedelta(days=30)

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    make_action(programme, reference="LATE-5", due_on=ahead, forecast_on=ahead + dt.timedelta(5))
    make_action(programme, reference="LATE-40", due_on=ahead, forecast_on=ahead + dt.timedelta(40))
    make_action(programme, reference="ON-TIME", due_on=ahead, forecast_on=ahead)
    make_action(programme, reference="EARLY", due_on=ahead, forecast_on=ahead - dt.timedelta(3))
    make_action(programme, reference="NOT-DUE", due_on=ahead)
    make_action(
        programme,
        reference="DONE",
        due_on=ahead,
        forecast_on=ahead + dt.timedelta(days=9),
        status=ActionStatus.COMPLETE,
    )
    # Past the due date with no forecast: late by the days since it was due.
    make_action(programme, reference="OVERDUE", due_on=days(-10))
    # A forecast that has itself passed: late until today, not just until the forecast.
    make_action(programme, reference="FORECAST-PASSED", due_on=days(-20), forecast_on=days(-5))
    # Past due and forecast further still: late until the forecast.
    make_action(programme, reference="FORECAST-AHEAD", due_on=days(-15), forecast_on=days(10))
    make_action(programme, reference="CANCELLED", due_on=days(-10), status=ActionStatus.CANCELLED)
    make_action(programme, reference="FINISHED", due_on=days(-10), status=ActionStatus.COMPLETE)
    html = _render(organisation, programme)
    assert text(html, ".gt-slipping-count") == (
        "5 actions are late: past their due date or forecast to finish after it."
    )
    refs = [cell.split(":")[0] for cell in select(html, ".gt-slipping tbody td:nth-child(1)")]
    assert refs == ["LATE-40", "FORECAST-AHEAD", "FORECAST-PASSED", "OVERDUE", "LATE-5"]
    assert select(html, ".gt-slipping tbody td:nth-child(5)") == ["40", "25", "20", "10", "5"]
    assert select(html, ".gt-slipping tbody td:nth-child(4)")[3] == "Not set"


def test_slipping_is_judged_on_the_day_given(organisation) -> None:
    programme = make_programme(organisation)
    due = dt.date(2026, 3, 31)
    make_action(programme, reference="NO-FORECAST", due_on=due)
    make_action(programme, reference="ON-TIME", due_on=due, forecast_on=due)
    before = selectors.programme_slipping(programme=programme, today=due)
    assert before.total == 0
    after = selectors.programme_slipping(programme=programme, today=due + dt.timedelta(days=3))
    assert [(row.action.reference, row.days_late) for row in after.items] == [
        ("NO-FORECAST", 3),
        ("ON-TIME", 3),
    ]


def test_slipping_actions_are_capped(organisation) -> None:
    programme, _ = plan_programme(organisation, actions=50)
    html = _render(organisation, programme)
    slipping = selectors.programme_slipping(programme=programme)
    assert slipping.total > selectors.SLIPPING_LIMIT
    assert len(select(html, ".gt-slipping tbody tr")) == selectors.SLIPPING_LIMIT
    assert "Showing the first 10 of" in text(html, ".gt-capped")


def test_spend_against_budget_by_workstream_in_pounds(organisation) -> None:
    programme = make_programme(organisation)
    digital = make_workstream(programme, name="Digital", position=0)
    people = make_workstream(programme, name="People", position=1)
    make_action(programme, workstream=digital, budget=Decimal("1000.50"), spend=Decimal("1200.00"))
    make_action(programme, workstream=digital, budget=Decimal("500.00"), spend=None)
    make_action(programme, workstream=people, budget=Decimal("2000.00"), spend=Decimal("500.25"))
    make_action(programme, workstream=None, budget=None, spend=None)
    spend = selectors.programme_spend(programme=programme)
    assert [(row.workstream, row.budget, row.spend) for row in spend.rows] == [
        ("Digital", Decimal("1500.50"), Decimal("1200.00")),
        ("People", Decimal("2000.00"), Decimal("500.25")),
        ("No workstream", Decimal("0"), Decimal("0")),
    ]
    assert spend.total.budget == Decimal("3500.50")
    html = _render(organisation, programme)
    rows = parse(html).select(".gt-spend tbody tr")
    assert text(rows[0]) == "Digital 2 £1,500.50 £1,200 £300.50 under 80%"
    assert text(rows[1]) == "People 1 £2,000 £500.25 £1,499.75 under 25%"
    assert text(rows[2]) == "No workstream 1 £0 £0 On budget –"
    assert text(rows[3]) == "All workstreams 4 £3,500.50 £1,700.25 £1,800.25 under 49%"
    assert [text(row) for row in parse(html).select(".gt-spend .gt-total")] == [text(rows[3])]


def test_an_overspend_says_over(organisation) -> None:
    programme = make_programme(organisation)
    make_action(programme, budget=Decimal("100"), spend=Decimal("150"))
    html = _render(organisation, programme)
    assert "£50 over" in text(html, ".gt-spend tbody tr:first-child")


def test_the_panel_links_to_the_views(organisation) -> None:
    programme = make_programme(organisation)
    html = _render(organisation, programme)
    kwargs = {"org_slug": "havering", "programme_id": programme.pk}
    assert [a["href"] for a in parse(html).select(".gt-programme-views a")] == [
        reverse("programme:timeline", kwargs=kwargs),
        reverse("programme:board", kwargs=kwargs),
        reverse("programme:improvement_plan", kwargs=kwargs),
    ]
    assert "This programme has no actions yet." in text(html)


def test_the_panel_reads_a_fixed_number_of_queries(organisation, django_assert_num_queries) -> None:
    programme, _ = plan_programme(organisation, actions=24)
    # the phases, the counts by RAG and phase, the slipping count and first ten, the spend
    with django_assert_num_queries(5):
        _render(organisation, programme)


def test_the_card_counts_programmes_actions_by_rag_and_slipping(
    organisation, django_assert_num_queries
) -> None:
    plan_programme(organisation, actions=24)
    make_programme(organisation, name="Second")
    other = OrganisationFactory()
    plan_programme(other, actions=5)
    membership = member(organisation, Role.VIEWER).memberships.get()
    # the programmes, the actions by RAG, the slipping count
    with django_assert_num_queries(3):
        card = programme_card(organisation, membership)
    assert card.figure == "24"
    rows = dict(card.rows)
    assert rows["Programmes"] == "2"
    assert rows["Red"] == "5" and rows["Not rated"] == "4"
    # odd actions are forecast late, and open ones past due are late whatever their forecast;
    # complete (i % 5 == 3) and cancelled (i % 5 == 4) actions are not
    today = timezone.localdate()
    late = [
        i
        for i in range(24)
        if i % 5 not in (3, 4) and (i % 2 or DUE + dt.timedelta(weeks=i) < today)
    ]
    assert rows[SLIPPING_ROW] == str(len(late))


def test_the_card_counts_actions_past_due_with_no_forecast_as_slipping(organisation) -> None:
    plan_programme(organisation, actions=24)
    # Ten weeks after the first due date, the open actions due before then are late too.
    today = DUE + dt.timedelta(weeks=10)
    counts = selectors.organisation_counts(organisation=organisation, today=today)
    late = [
        i
        for i in range(24)
        if i % 5 not in (3, 4) and (i % 2 or DUE + dt.timedelta(weeks=i) < today)
    ]
    assert counts.slipping == len(late)
    assert selectors.organisation_counts(organisation=organisation, today=DUE).slipping == len(
        [i for i in range(24) if i % 2 and i % 5 not in (3, 4)]
    )


def test_the_card_says_what_to_do_first(organisation) -> None:
    membership = member(organisation, Role.VIEWER).memberships.get()
    card = programme_card(organisation, membership)
    assert card.empty.startswith("Set up a programme")


def test_spent_percent_rounds_halves_up() -> None:
    # 12.5% and 2.5% round up, as money does elsewhere, not to the even neighbour.
    assert selectors.SpendRow("Digital", 1, Decimal("8"), Decimal("1")).spent_percent == 13
    assert selectors.SpendRow("Digital", 1, Decimal("40"), Decimal("1")).spent_percent == 3
