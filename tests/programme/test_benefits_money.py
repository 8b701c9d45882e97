"""The cashable profile read for the finance module, the panels, the card, links and orphans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from goldenthread.kit import dashboard, links, orphans, panels
from goldenthread.operating_model import services as tom_services
from goldenthread.operating_model.models import ComponentLink
from goldenthread.performance import services as thread_services
from goldenthread.performance.models import Level, ThreadLink
from goldenthread.programme.benefits import demo, selectors, services
from goldenthread.programme.benefits.registrations import BENEFIT
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitType
from tests.html import texts
from tests.programme.benefit_fixtures import *  # noqa: F403
from tests.programme.benefit_fixtures import add_benefit
from tests.programme.factories import make_action, make_programme

pytestmark = pytest.mark.django_db


def test_cashable_savings_sum_to_the_penny_by_year_and_type(
    organisation, other, programme, benefits, django_assert_num_queries
):
    add_benefit(other, "T-1")  # another organisation's benefits are not counted
    services.benefit_profile_update(
        benefit=Benefit.objects.get(reference="T-1"), years={2025: (Decimal(999), None)}, by=None
    )
    # the settings, the one aggregate query
    with django_assert_num_queries(2):
        savings = selectors.cashable_savings(organisation=organisation)
    planned_2025 = sum(Decimal(1000 * n) + Decimal("0.01") for n in range(1, 25))
    assert savings.years[2025].planned == planned_2025 == Decimal("300000.24")
    assert savings.years[2025].realised == Decimal(500 * 300)
    assert savings.years[2026].planned == Decimal(2000 * 300)
    assert savings.years[2026].realised == Decimal(0)
    assert savings.total.planned == Decimal("900000.24")
    assert sum(t.planned for t in savings.by_type.values()) == savings.total.planned
    assert all(isinstance(t.planned, Decimal) for t in savings.years.values())
    # Weighted: planned × confidence (low 25%, medium 50%, high 80%, or the percentage).
    percent = {0: 25, 1: 50, 2: 80, 3: 70}
    expected = sum(
        (Decimal(1000 * n) + Decimal("0.01")) * percent[n % 4] / 100 for n in range(1, 25)
    )
    assert abs(savings.years[2025].weighted - expected) <= Decimal("0.02")
    one = selectors.cashable_savings(
        organisation=organisation, programme=make_programme(organisation)
    )
    assert one.years == {}


def test_the_programme_panel_shows_realised_against_planned(organisation, programme, benefits):
    source = panels.slot(panels.PAGE_PANELS, "programme-page").get("benefits")
    panel = source(organisation, programme)
    assert [label for label, _current, _totals in panel.context["years"]] == ["2025/26", "2026/27"]
    html = render_to_string(panel.template, panel.context)
    assert texts(html, ".gt-benefits-years tbody tr")[-1].startswith(
        "All years £900,000.24 £150,000 "
    )
    assert len(texts(html, ".gt-benefits-types tbody tr")) == len(BenefitType.values)


def test_an_action_page_panel_lists_its_benefits(organisation, actions, benefits):
    source = panels.slot(panels.PAGE_PANELS, "programme-action").get("benefits")
    panel = source(organisation, actions[1])
    assert [b.reference for b in panel.context["benefits"].items] == [
        "B-01",
        "B-06",
        "B-11",
        "B-16",
        "B-21",
    ]


def test_the_dashboard_card_shows_this_years_money(organisation, benefits, monkeypatch):
    monkeypatch.setattr(selectors, "this_financial_year", lambda today=None: 2025)
    builder = next(b for b in dashboard.CARDS if b.__name__ == "benefits_card")
    card = builder(organisation, None)
    assert (card.title, card.figure) == ("Benefits", "£150,000")
    assert card.rows[0] == ("Planned in 2025/26", "£300,000.24")


def test_benefits_link_to_objectives_and_components_and_orphans_list_the_rest(
    organisation, benefits
):
    assert links.LINKABLE.get(BENEFIT).delivery_kind == "benefit"
    objective = thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="Balanced budget"
    )
    thread_services.thread_link_create(item=objective, target=benefits[0])
    version = tom_services.version_create(organisation=organisation, title="TOM")
    tom_services.component_link_create(
        component=version.components.first(), kind="benefit", target=benefits[1]
    )
    section = next(
        s
        for s in orphans.orphan_sections(organisation=organisation)
        if s.title == "Benefits that serve no objective"
    )
    assert section.total == 23
    assert section.rows[0].title.startswith("B-02")
    services.benefit_delete(benefit=benefits[1], by=None)
    assert not ComponentLink.objects.exists()
    assert ThreadLink.objects.count() == 1


def test_both_link_ends_accept_a_benefit(editor, organisation, benefits):
    objective = thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="Balanced budget"
    )
    benefit = benefits[0]
    add = reverse(
        "performance:thread_link_create",
        kwargs={"org_slug": organisation.slug, "kind": BENEFIT, "record_id": benefit.pk},
    )
    done = editor.post(add, {"item": str(objective.pk)})
    assert done.status_code == 302
    assert ThreadLink.objects.get().object_id == benefit.pk
    version = tom_services.version_create(organisation=organisation, title="TOM")
    component = version.components.first()
    add = reverse(
        "operating_model:component_link_create",
        kwargs={"org_slug": organisation.slug, "kind": BENEFIT, "record_id": benefit.pk},
    )
    editor.post(add, {"component": str(component.pk)})
    assert ComponentLink.objects.get().kind == "benefit"
    detail = editor.get(
        reverse(
            "programme:benefit_detail",
            kwargs={"org_slug": organisation.slug, "benefit_id": benefit.pk},
        )
    )
    assert "Balanced budget (Objective) Remove the link to Balanced budget" in texts(
        detail, "main li"
    )


def test_the_demo_makes_benefits_of_every_type_once(organisation, programme):
    for n in range(1, 11):
        make_action(programme, reference=f"D-{n}", position=n)
    today = dt.date(2026, 6, 1)
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    counts = (
        Benefit.objects.count(),
        BenefitProfile.objects.count(),
        Benefit.history.count(),
        BenefitProfile.history.count(),
    )
    demo.load(organisation=organisation, programme=programme, by=None, today=today)
    assert counts == (
        Benefit.objects.count(),
        BenefitProfile.objects.count(),
        Benefit.history.count(),
        BenefitProfile.history.count(),
    )
    assert counts[0] >= 20
    assert set(Benefit.objects.values_list("type", flat=True)) == set(BenefitType.values)
    assert set(BenefitProfile.objects.values_list("year", flat=True)) == {2025, 2026, 2027}
    assert BenefitProfile.objects.filter(year=2025, realised__isnull=False).exists()
    assert not BenefitProfile.objects.filter(year=2026, realised__isnull=False).exists()
    assert Benefit.objects.filter(title="Single view of debt").exists()
    assert len(set(Benefit.objects.values_list("status", flat=True))) == 5
    assert Benefit.actions.through.objects.count() > 20
