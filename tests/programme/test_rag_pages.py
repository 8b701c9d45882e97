"""The RAG's pages: the rules in words and every version, changing them, overrides, the panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Membership, Role
from goldenthread.analysis import rag as engine
from goldenthread.programme.models import Action, RagRuleSet
from goldenthread.programme.rag import presenting, services
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_summary, links, parse, text, texts
from tests.programme.factories import make_action, make_programme
from tests.submitting import date_input, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Council", slug="brackenford")


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, name="Transformation")


def _login(client, organisation, role: str, username: str):
    member(organisation, role, username=username, full_name=f"{username.title()} Person")
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def viewer(client, organisation):
    return _login(client, organisation, Role.VIEWER, "viewer")


@pytest.fixture
def editor(client, organisation):
    return _login(client, organisation, Role.EDITOR, "editor")


@pytest.fixture
def admin(client, organisation):
    return _login(client, organisation, Role.ADMIN, "admin")


def _url(organisation, name: str, **kwargs) -> str:
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def _tighter(version: int) -> dict:
    return engine.DEFAULT_ACTION_RULES.with_thresholds(
        "slippage", red=engine.Threshold(Decimal(30 + version), inclusive=False)
    ).to_json()


def test_the_rules_page_shows_the_defaults_in_words_before_any_assessment(
    viewer, organisation
) -> None:
    html = viewer.get(_url(organisation, "rag_rules"))
    assert text(html, ".gt-in-force").startswith("No action has been assessed yet")
    rules = texts(html, ".gt-rag-rules .govuk-summary-list__value li")
    assert "Amber when the forecast completion is 1 to 30 days after the due date" in rules
    assert "Red when the forecast completion is over 30 days after the due date" in rules
    assert "Red at 2 or more missed milestones" in rules
    assert "Amber when spend is over 0% up to 10% over budget" in rules
    assert not parse(html).select("a[href$='/rag-rules/change/']")  # viewers change nothing
    assert not RagRuleSet.objects.exists()  # reading makes nothing


def test_the_rules_page_lists_every_version_with_fixed_queries(
    admin, organisation, django_assert_num_queries
) -> None:
    services.rag_rules_ensure(organisation=organisation, by=None)
    for version in range(2, 26):
        services.rag_rules_update(
            organisation=organisation,
            rules=_tighter(version),
            note=f"Change {version}",
            by=None,
            reassess=False,
        )
    # session, user, membership, the shell's other organisations, the versions with who made them
    with django_assert_num_queries(5):
        html = admin.get(_url(organisation, "rag_rules"))
    assert text(html, "h2.gt-rules-heading") == "The rules in force: version 25"
    rows = parse(html).select(".gt-rag-versions tbody tr")
    assert len(rows) == 25
    assert texts(html, ".gt-rag-versions tbody tr:first-child td")[0] == "Version 25 (in force)"
    assert texts(html, ".gt-rag-versions tbody tr:last-child td")[2] == "the system"
    assert ("Version 1", _url(organisation, "rag_rules_version", version=1)) in links(
        html, ".gt-rag-versions a"
    )
    assert "Red when the forecast completion is over 55 days after the due date" in texts(
        html, ".gt-rag-rules li"
    )


def test_a_version_page_shows_its_rules_who_when_and_why(viewer, organisation) -> None:
    services.rag_rules_ensure(organisation=organisation, by=None)
    services.rag_rules_update(
        organisation=organisation,
        rules=_tighter(2),
        note="Cabinet's tolerance",
        by=None,
        reassess=False,
    )
    html = viewer.get(_url(organisation, "rag_rules_version", version=1))
    assert text(html, "h1") == "RAG rules for actions, version 1"
    assert text(html, ".govuk-tag") == "Replaced"
    assert "Red when the forecast completion is over 30 days after the due date" in texts(
        html, ".gt-rag-rules li"
    )
    html = viewer.get(_url(organisation, "rag_rules_version", version=2))
    assert text(html, ".govuk-tag") == "In force"
    assert "Cabinet's tolerance" in texts(html, ".gt-rag-version dd")


def test_another_organisations_versions_and_actions_are_not_found(admin, organisation) -> None:
    other = OrganisationFactory()
    services.rag_rules_ensure(organisation=other, by=None)
    action = make_action(make_programme(other))
    assert admin.get(_url(organisation, "rag_rules_version", version=1)).status_code == 404
    assert admin.get(_url(organisation, "action_override", action_id=action.pk)).status_code == 404
    assert (
        admin.get(_url(organisation, "action_override_clear", action_id=action.pk)).status_code
        == 404
    )


def test_only_an_admin_changes_the_rules(editor, organisation) -> None:
    assert editor.get(_url(organisation, "rag_rules_edit")).status_code == 403


def test_changing_the_rules_makes_a_new_version_and_reassesses(
    admin, organisation, programme, django_capture_on_commit_callbacks
) -> None:
    action = make_action(programme, due_on=timezone.localdate() - dt.timedelta(days=20))
    services.action_rag_refresh(action=action, by=None)
    url = _url(organisation, "rag_rules_edit")
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(admin, url, {"slippage_red": "14", "note": "Tighter for Cabinet"})
    assert response.status_code == 302
    made = RagRuleSet.objects.get(organisation=organisation, version=2)
    assert made.note == "Tighter for Cabinet"
    assert made.created_by.username == "admin"
    assert Action.objects.get(pk=action.pk).rag == "red"
    html = admin.get(_url(organisation, "rag_rules"))
    assert "Red when the forecast completion is over 14 days after the due date" in texts(
        html, ".gt-rag-rules li"
    )


def test_the_rules_form_names_what_is_wrong(admin, organisation) -> None:
    url = _url(organisation, "rag_rules_edit")
    page = admin.get(url)
    assert error_summary(submit(admin, url, {"note": ""}, page=page)) == [
        services.RULES_NOTE_REQUIRED
    ]
    page = admin.get(url)
    refused = submit(admin, url, {"slippage_amber": "40", "note": "Looser"}, page=page)
    assert error_summary(refused) == [engine.AMBER_NOT_BELOW_RED.format(field="slippage.amber")]
    assert not RagRuleSet.objects.filter(organisation=organisation, version__gt=1).exists()


def test_an_override_without_a_reason_is_refused_on_the_page(
    editor, organisation, programme
) -> None:
    action = make_action(programme)
    url = _url(organisation, "action_override", action_id=action.pk)
    refused = submit(editor, url, {"rag": "red", "reason": "", "ends": "update"})
    assert error_summary(refused) == [services.OVERRIDE_REASON_REQUIRED]
    refused = submit(
        editor, url, {"rag": "red", "reason": "x", "ends": "date", **date_input("ends_on", "")}
    )
    assert error_summary(refused) == ["Enter the date the override ends"]
    assert Action.objects.get(pk=action.pk).override_rag == ""


def test_an_override_is_set_and_cleared_through_the_pages(editor, organisation, programme) -> None:
    action = make_action(programme, due_on=dt.date(2099, 1, 1))
    url = _url(organisation, "action_override", action_id=action.pk)
    ends = timezone.localdate() + dt.timedelta(days=30)
    response = submit(
        editor,
        url,
        {
            "rag": "red",
            "reason": "Supplier in administration",
            "ends": "date",
            **date_input("ends_on", f"{ends.day}/{ends.month}/{ends.year}"),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert (action.rag, action.computed_rag, action.override_ends_on) == ("red", "green", ends)
    html = editor.get(url)
    assert text(html, "h1") == "Renew the override"
    assert "The rules give Green" in text(html, ".gt-rag-now")
    clear = _url(organisation, "action_override_clear", action_id=action.pk)
    assert editor.post(clear, {}).status_code == 302
    assert Action.objects.get(pk=action.pk).rag == "green"


def test_viewers_cannot_override(viewer, organisation, programme) -> None:
    action = make_action(programme)
    assert viewer.get(_url(organisation, "action_override", action_id=action.pk)).status_code == 403


def _panel(action: Action, role: str = Role.EDITOR) -> str:
    panel = presenting.action_panel(action.organisation, action)
    membership = Membership(organisation=action.organisation, role=role)
    return render_to_string(
        panel.template,
        {
            **panel.context,
            "current_organisation": action.organisation,
            "current_membership": membership,
        },
    )


def test_the_panel_shows_the_rag_its_reasons_the_override_and_history(programme) -> None:
    owner = member(programme.organisation, Role.EDITOR, username="js", full_name="J Smith")
    action = make_action(programme, due_on=dt.date(2026, 5, 1))
    for day in (dt.date(2026, 4, 1), dt.date(2026, 5, 10), dt.date(2026, 6, 5)):
        services.action_rag_refresh(action=action, by=None, today=day)
    services.action_override_set(
        action=action,
        rag="amber",
        reason="Recovery plan agreed",
        until_update=True,
        by=owner,
        today=dt.date(2026, 6, 6),
    )
    html = _panel(action)
    assert text(html, ".gt-rag-current dd > .govuk-tag") == "Amber"
    assert text(html, ".gt-rag-reason") == (
        "Amber (overridden by J Smith on 6 June 2026): Recovery plan agreed; "
        "ends at the next quarterly update."
    )
    assert text(html, ".gt-rag-computed") == (
        "The rules give Red because: Red: still open 36 days after the due date; "
        "red is over 30 days late."
    )
    assert "set by J Smith on 6 June 2026" in text(html, ".gt-rag-override")
    rows = parse(html).select(".gt-rag-history tbody tr")
    current = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in rows
        if row.select("td")[1].get_text() == "Current"
    ]
    assert [(row[2], row[3]) for row in current] == [
        ("Red", "Amber"),
        ("Amber", "Red"),
        ("Green", "Amber"),
        ("Not rated", "Green"),
    ]
    assert current[2][4] == (
        "Amber: still open 9 days after the due date; amber is 1 to 30 days late."
    )
    assert current[2][5] == "under rules version 1"
    assert (
        "under rules version 1",
        reverse(
            "programme:rag_rules_version",
            kwargs={"org_slug": programme.organisation.slug, "version": 1},
        ),
    ) in links(html, ".gt-rag-history a")
    assert "Override" in text(html, ".gt-rag-override")
    assert not parse(_panel(action, Role.VIEWER)).select(".gt-rag-override a")


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_the_panel_offers_no_override_for_a_complete_or_cancelled_action(programme, status) -> None:
    action = make_action(programme, due_on=dt.date(2026, 5, 1))
    assert parse(_panel(action)).select(".gt-rag-override a")
    Action.objects.filter(pk=action.pk).update(status=status)
    action = Action.objects.get(pk=action.pk)
    assert not parse(_panel(action)).select(".gt-rag-override a")


def test_the_panel_queries_do_not_grow_with_the_history(
    programme, django_assert_num_queries
) -> None:
    action = make_action(programme, due_on=dt.date(2026, 5, 1), budget=Decimal("100.00"))
    for step in range(40):
        spend = Decimal(95 + 10 * (step % 2))
        Action.objects.filter(pk=action.pk).update(spend=spend)
        action.spend = spend
        services.action_rag_refresh(action=action, by=None, today=dt.date(2026, 4, 1))
    action = Action.objects.select_related("rag_rules", "organisation").get(pk=action.pk)
    # the history's count, its first 25 rows with their rules and who recorded them
    with django_assert_num_queries(2):
        html = _panel(action)
    assert len(parse(html).select(".gt-rag-history tbody tr")) == 25
    # each of the 40 assessments moves the current and the forecast RAG: two records each
    assert text(html, ".gt-capped") == "Showing the first 25 of 80 changes."


def test_the_action_page_shows_the_rag_panel_with_queries_that_do_not_grow(
    editor, organisation, programme
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action = make_action(programme, due_on=dt.date(2026, 5, 1), budget=Decimal("100.00"))
    url = _url(organisation, "action_detail", action_id=action.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor.get(url).status_code == 200
        return len(captured)

    services.action_rag_refresh(action=action, by=None, today=dt.date(2026, 4, 1))
    queries()  # the first request of a session reads more than the next
    few = queries()
    for step in range(30):
        action.spend = Decimal(95 + 10 * (step % 2))
        Action.objects.filter(pk=action.pk).update(spend=action.spend)
        services.action_rag_refresh(action=action, by=None, today=dt.date(2026, 4, 1))
    assert queries() == few
    html = editor.get(url)
    assert text(html, ".gt-rag-panel h2") == "RAG"
    assert ("Override the RAG", _url(organisation, "action_override", action_id=action.pk)) in (
        links(html, ".gt-rag-override a")
    )
    assert text(html, ".gt-capped") == "Showing the first 25 of 60 changes."


def test_an_action_made_by_the_plan_is_rated_at_once(editor, organisation, programme) -> None:
    from goldenthread.programme.plan import services as plan

    action = plan.action_create(
        programme=programme, title="Close the Tuesday depot", due_on=dt.date(2020, 1, 1), by=None
    )
    assert Action.objects.get(pk=action.pk).rag == "red"
    html = editor.get(_url(organisation, "action_detail", action_id=action.pk))
    assert text(html, ".gt-rag-current dd > .govuk-tag") == "Red"
    assert text(html, ".gt-rag-reason").startswith("Red: still open")
