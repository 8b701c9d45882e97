"""What the risk register adds to other pages: the programme's heat map and overdue reviews,
an action's risks, the orphans page, and the demo's register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Membership, Role
from goldenthread.kit.panels import page_panels
from goldenthread.programme.models import Mitigation, Risk, RiskCategory, RiskReview, RiskStatus
from goldenthread.programme.risks import demo, registrations, selectors
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import select, texts
from tests.programme.factories import make_action, make_programme
from tests.programme.risk_fixtures import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, name="Shaping our Future")


def org_request(rf, organisation, path="/"):
    membership = member(organisation, Role.VIEWER, username="vi")
    request = rf.get(path)
    request.user = membership
    request.organisation = organisation
    request.membership = Membership.objects.get(user=membership, organisation=organisation)
    return request


def test_the_programme_page_panel_has_fixed_queries_whatever_its_risks(
    rf, organisation, programme, django_assert_num_queries
) -> None:
    today = timezone.localdate()
    other = make_programme(organisation, name="Another")
    for number in range(1, 31):
        make_risk(
            organisation,
            f"R{number}",
            programme=programme,
            residual_likelihood=number % 5 + 1,
            residual_impact=5,
            next_review_on=today - dt.timedelta(days=number),
        )
    make_risk(organisation, "X1", programme=other, next_review_on=today - dt.timedelta(days=1))
    request = org_request(rf, organisation)
    # The risk settings, the heat map's grouped count, the first overdue reviews and their count
    # (the shell's own queries come apart: the panel is rendered inside a page).
    with django_assert_num_queries(5):
        panel = registrations.programme_risks_panel(organisation, programme)
        html = render_to_string(panel.template, panel.context, request)
    assert "gt-programme-risks" in "".join(page_panels("programme-page", request, programme))
    assert texts(html, ".gt-heat-map caption") == [
        "Open risks by residual likelihood and impact (30 in all)"
    ]
    overdue = select(html, ".gt-overdue-reviews li a")
    assert len(overdue) == 10 and overdue[0] == "R30: Risk R30"
    assert "Showing the first 10 of 30 overdue reviews" in select(html, ".gt-capped")[0]


def test_an_action_page_lists_its_risks(rf, organisation, programme) -> None:
    action = make_action(programme, reference="A1")
    make_risk(organisation, "R1", actions=[action], residual_likelihood=5, residual_impact=5)
    make_risk(organisation, "R2", actions=[action])
    make_risk(organisation, "R3")
    rendered = page_panels("programme-action", org_request(rf, organisation), action)
    html = "".join(str(part) for part in rendered if "gt-action-risks" in part)
    assert select(html, ".gt-action-risks__list a") == ["R1: Risk R1", "R2: Risk R2"]


def test_open_risks_with_no_objective_are_on_the_orphans_page(client, organisation) -> None:
    make_risk(organisation, "R1", title="Capacity and Expertise", owner="Programme Director")
    make_risk(organisation, "R2", status=RiskStatus.CLOSED)
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    page = client.get(reverse("performance:orphans", kwargs={"org_slug": organisation.slug}))
    headings = texts(page, ".gt-orphans h2")
    assert "Open risks that threaten no objective (1)" in headings
    assert "R1: Capacity and Expertise" in select(page, ".gt-orphans table td a")


def test_the_demo_register_has_shape_and_loads_once(organisation, programme) -> None:
    for position in range(8):
        make_action(programme, reference=f"A{position + 1}", position=position)
    today = dt.date(2026, 3, 31)
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    risks = Risk.objects.filter(organisation=organisation)
    assert risks.count() >= 15
    assert {
        "Capacity and Expertise",
        "Pace of Programme",
        "Complexity of achieving savings",
    } <= set(risks.values_list("title", flat=True))
    assert set(RiskCategory.values) | {demo.OWN_CATEGORY} == set(
        risks.values_list("category", flat=True)
    )
    for risk in risks:
        assert 3 <= risk.reviews.count() <= 6
        assert risk.mitigations.exists()
    assert selectors.risks_overdue(organisation=organisation, today=today).count() >= 3
    assert Risk.actions.through.objects.filter(risk__organisation=organisation).exists()
    rose = selectors.risks_risen(
        organisation=organisation, since=today - dt.timedelta(days=200), until=today
    )
    assert rose
    counts = (risks.count(), RiskReview.objects.count(), Mitigation.objects.count())
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    assert (risks.count(), RiskReview.objects.count(), Mitigation.objects.count()) == counts


def test_the_programme_and_action_pages_show_the_risk_panels(client, organisation, programme):
    action = make_action(programme, reference="A1")
    make_risk(
        organisation,
        "R1",
        programme=programme,
        actions=[action],
        next_review_on=timezone.localdate() - dt.timedelta(days=3),
    )
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    slug = organisation.slug
    page = client.get(
        reverse(
            "programme:programme_detail", kwargs={"org_slug": slug, "programme_id": programme.pk}
        )
    )
    assert select(page, ".gt-programme-risks .gt-overdue-reviews li a") == ["R1: Risk R1"]
    assert select(page, '.gt-programme-risks td[data-likelihood="3"][data-impact="3"] a')
    action_page = client.get(
        reverse("programme:action_detail", kwargs={"org_slug": slug, "action_id": action.pk})
    )
    assert select(action_page, ".gt-action-risks__list a") == ["R1: Risk R1"]
    risk_page = client.get(
        reverse(
            "programme:risk_detail", kwargs={"org_slug": slug, "risk_id": action.risks.get().pk}
        )
    )
    assert select(risk_page, ".gt-actions a") == ["A1: " + action.title]
