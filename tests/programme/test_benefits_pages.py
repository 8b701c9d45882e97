"""The benefits register's pages, through CSS selectors, with pinned query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.programme.benefits import services, views
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitType
from tests.html import column, error_summary, page, text, texts
from tests.programme.benefit_fixtures import *  # noqa: F403
from tests.programme.benefit_fixtures import add_benefit, as_role

pytestmark = pytest.mark.django_db


def url(name, organisation, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_the_register_lists_benefits_with_fixed_queries(
    viewer, organisation, benefits, django_assert_num_queries
):
    # session, user, membership, the shell's organisations, the settings,
    # the programme filter's choices, the count, the rows, the rows' actions
    with django_assert_num_queries(9):
        html = page(viewer.get(url("benefit_list", organisation)))
    assert text(html, ".gt-result-count") == "24 benefits"
    assert column(html, 1)[:2] == ["B-01", "B-02"]
    assert column(html, 6)[0] == "A-2"
    assert column(html, 7)[:4] == ["Medium (50%)", "High (80%)", "70%", "Low (25%)"]
    assert column(html, 9)[0] == "£3,000.01"


def test_filters_and_sorts_keep_the_queries_fixed(
    viewer, organisation, programme, benefits, django_assert_num_queries
):
    query = (
        f"?status=identified&owner=revenues&confidence-from=50&programme={programme.pk}"
        "&sort=planned_total&order=desc"
    )
    with django_assert_num_queries(9):
        html = page(viewer.get(url("benefit_list", organisation) + query))
    # Odd benefits are owned by the head of revenues; 50% and more: medium, high and 70%.
    assert column(html, 1) == [
        f"B-{n:02d}"
        for n in (23, 22, 21, 19, 18, 17, 15, 14, 13, 11, 10, 9, 7, 6, 5, 3, 2, 1)
        if n % 2 and n % 4 != 0
    ]
    by_type = page(viewer.get(url("benefit_list", organisation) + "?type=Cashable+saving"))
    assert set(column(by_type, 3)) == {"Cashable saving"}
    realised = page(
        viewer.get(url("benefit_list", organisation) + "?sort=realised_total&order=desc")
    )
    assert column(realised, 1)[0] == "B-24"
    searched = page(viewer.get(url("benefit_list", organisation) + "?q=B-07"))
    assert column(searched, 1) == ["B-07"]


def test_the_rows_download(viewer, organisation, benefits):
    response = viewer.get(url("benefit_list", organisation) + "?download=csv&sort=reference")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Benefit", "Type"]
    assert len(rows) == 25


def test_a_benefit_is_added_through_its_form(editor, organisation, programme, actions):
    missing = editor.post(url("benefit_create", organisation), {"status": "identified"})
    assert "Enter a reference for the benefit" in error_summary(missing)
    response = editor.post(
        url("benefit_create", organisation),
        {
            "reference": "B-9",
            "title": "Single view of debt",
            "type": BenefitType.PROCESS_EFFICIENCY,
            "programme": str(programme.pk),
            "actions": "A-1, A-77",
            "confidence": "high",
            "status": "identified",
        },
    )
    assert error_summary(response) == [services.UNKNOWN_ACTIONS.format(references="A-77")]
    response = editor.post(
        url("benefit_create", organisation),
        {
            "reference": "B-9",
            "title": "Single view of debt",
            "type": BenefitType.PROCESS_EFFICIENCY,
            "programme": str(programme.pk),
            "actions": "A-1, a-3",
            "confidence": "high",
            "status": "identified",
            "target_on_day": "31",
            "target_on_month": "3",
            "target_on_year": "2027",
        },
    )
    benefit = Benefit.objects.get()
    assert response["Location"] == url("benefit_detail", organisation, benefit_id=benefit.pk)
    html = page(editor.get(response["Location"]))
    assert texts(html, ".govuk-notification-banner__content") == [
        views.BENEFIT_ADDED.format(reference="B-9")
    ]
    assert text(html, ".gt-confidence") == "High (80%)"
    assert texts(html, ".gt-benefit-actions li") == ["A-1: Action 1", "A-3: Action 3"]
    assert benefit.target_on.isoformat() == "2027-03-31"


def test_a_benefit_is_changed_through_its_form(editor, organisation, actions):
    benefit = add_benefit(organisation, "B-1", actions="A-1")
    form = page(editor.get(url("benefit_edit", organisation, benefit_id=benefit.pk)))
    assert form.select_one("input[name=actions]")["value"] == "A-1"
    version = form.select_one(f"input[name={VERSION_FIELD}]")
    data = {
        "reference": "B-1",
        "title": "New title",
        "type": BenefitType.QUALITY,
        "actions": "A-2",
        "confidence": "40%",
        "status": "closed",
        "evidence": "",
    }
    data[VERSION_FIELD] = version["value"]
    response = editor.post(url("benefit_edit", organisation, benefit_id=benefit.pk), data)
    assert error_summary(response) == [services.NEEDS_EVIDENCE.format(status="closed")]
    data["evidence"] = "Dropped at the board"
    response = editor.post(url("benefit_edit", organisation, benefit_id=benefit.pk), data)
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert (benefit.title, benefit.status, benefit.confidence_percent) == (
        "New title",
        "closed",
        40,
    )
    assert [action.reference for action in benefit.actions.all()] == ["A-2"]


def test_the_profile_is_edited_on_its_page(editor, organisation):
    benefit = add_benefit(organisation, "B-1")
    services.benefit_profile_update(benefit=benefit, years={2025: (Decimal(100), None)}, by=None)
    edit = url("benefit_profile_edit", organisation, benefit_id=benefit.pk)
    form = page(editor.get(edit))
    version = form.select_one(f"input[name={VERSION_FIELD}]")
    data = {
        VERSION_FIELD: version["value"],
        "planned_2025": "£1,200.50",
        "realised_2025": "1,000",
        "new_year": "2026/27",
        "new_planned": "",
        "new_realised": "",
    }
    response = editor.post(edit, data)
    assert error_summary(response) == ["Enter the £ planned in 2026/27"]
    data["new_planned"] = "3,000"
    response = editor.post(edit, data)
    assert response.status_code == 302
    assert list(BenefitProfile.objects.values_list("year", "planned", "realised")) == [
        (2025, Decimal("1200.50"), Decimal("1000.00")),
        (2026, Decimal("3000.00"), None),
    ]
    html = page(editor.get(url("benefit_detail", organisation, benefit_id=benefit.pk)))
    assert texts(html, ".gt-profile tbody tr") == [
        "2025/26 £1,200.50 £1,000 £0",
        "2026/27 £3,000 – £0",
        "Total £4,200.50 £1,000 £0",
    ]


def test_viewers_read_and_editors_delete(client, organisation, benefits):
    viewer = as_role(client, organisation, Role.VIEWER, "vic")
    benefit = benefits[0]
    assert viewer.get(url("benefit_detail", organisation, benefit_id=benefit.pk)).status_code == 200
    assert viewer.get(url("benefit_edit", organisation, benefit_id=benefit.pk)).status_code == 403
    assert viewer.get(url("benefit_settings", organisation)).status_code == 403
    editor = as_role(client, organisation, Role.EDITOR, "eve")
    delete = url("benefit_delete", organisation, benefit_id=benefit.pk)
    assert "its cashable profile of 2 financial year(s)" in texts(editor.get(delete), "li")
    assert editor.get(url("benefit_settings", organisation)).status_code == 403
    editor.post(delete)
    assert not Benefit.objects.filter(pk=benefit.pk).exists()


def test_another_organisations_benefit_is_not_found(editor, other):
    theirs = add_benefit(other, "T-1")
    for name in ("benefit_detail", "benefit_edit", "benefit_delete", "benefit_profile_edit"):
        response = editor.get(
            reverse(f"programme:{name}", kwargs={"org_slug": "havering", "benefit_id": theirs.pk})
        )
        assert response.status_code == 404, name


def test_the_settings_page_adds_a_type_and_refuses_removing_one_in_use(admin, organisation):
    settings_url = url("benefit_settings", organisation)
    form = page(admin.get(settings_url))
    version = form.select_one(f"input[name={VERSION_FIELD}]")
    data = {
        VERSION_FIELD: version["value"],
        "added": "Carbon reduction",
        "confidence_low": "20",
        "confidence_medium": "50",
        "confidence_high": "85",
    }
    assert admin.post(settings_url, data).status_code == 302
    add_benefit(organisation, "B-1", type="Carbon reduction")
    form = page(admin.get(settings_url))
    data = {
        VERSION_FIELD: form.select_one(f"input[name={VERSION_FIELD}]")["value"],
        "type_0": "",
        "confidence_low": "20",
        "confidence_medium": "50",
        "confidence_high": "85",
    }
    response = admin.post(settings_url, data)
    assert error_summary(response) == [
        services.TYPE_IN_USE.format(
            type="Carbon reduction", count=1, plural="", s="s", references="B-1"
        )
    ]
