"""The plan's pages: programmes, their phases and workstreams, the actions register and pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.programme.models import Action, ActionStatus, Programme, Rag
from goldenthread.programme.plan import services
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import column, error_summary, hrefs, select, text
from tests.submitting import date_input, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    user = member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    client.user = user
    return client


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


@pytest.fixture
def programme(organisation):
    return services.programme_create(
        organisation=organisation,
        name="Shaping our future",
        phases=services.DEFAULT_PHASES,
        by=None,
    )


def url(organisation, name, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def test_a_new_programme_starts_with_the_four_phases(editor, organisation) -> None:
    response = submit(
        editor,
        url(organisation, "programme_create"),
        {"name": "Shaping our future", "status": "active", "default_phases": "on"},
    )
    response = editor.get(response["Location"])
    programme = Programme.objects.get(organisation=organisation)
    assert select(response, ".gt-phases tbody th") == [
        f"{name} {description}" for name, description in services.DEFAULT_PHASES
    ]
    assert programme.history.get().history_user.username == "ed"


def test_a_programme_may_start_without_phases(editor, organisation) -> None:
    data = {"name": "Small", "status": "active", "default_phases": ""}
    submit(editor, url(organisation, "programme_create"), data)
    assert not Programme.objects.get(name="Small").phases.exists()


def test_a_programme_name_is_used_once(editor, organisation, programme) -> None:
    response = submit(editor, url(organisation, "programme_create"), {"name": "shaping OUR future"})
    assert error_summary(response) == [
        services.PROGRAMME_NAME_TAKEN.format(organisation=organisation, name="shaping OUR future")
    ]


def test_the_programme_page_lists_phases_workstreams_and_links_its_actions(
    viewer, organisation, programme
) -> None:
    services.workstream_create(programme=programme, name="Digital re-design", lead="CDO", by=None)
    services.action_create(programme=programme, title="Build the portal", by=None)
    response = viewer.get(url(organisation, "programme_detail", programme_id=programme.pk))
    assert text(response, "h1") == "Shaping our future"
    assert select(response, ".gt-workstreams tbody th") == ["Digital re-design"]
    assert text(response, ".gt-actions-link") == "1 action"


def test_the_programme_page_links_the_rest_of_the_programme(
    viewer, organisation, programme
) -> None:
    response = viewer.get(url(organisation, "programme_detail", programme_id=programme.pk))
    mine = f"?programme={programme.pk}"
    assert hrefs(response, ".gt-programme-links a") == [
        url(organisation, "action_list") + mine,
        url(organisation, "benefit_list") + mine,
        url(organisation, "risk_list") + mine,
        url(organisation, "update_list", programme_id=programme.pk),
        url(organisation, "rag_rules"),
    ]
    assert select(response, ".gt-programme-links a") == [
        "Actions register",
        "Benefits register",
        "Risk register",
        "Quarterly updates",
        "RAG rules: what red, amber and green mean",
    ]
    # Each register the links open filters by the programme they name.
    for name in ("action_list", "benefit_list", "risk_list"):
        page = viewer.get(url(organisation, name) + mine)
        assert page.status_code == 200
        assert f'<option value="{programme.pk}" selected>' in page.content.decode()


def test_the_programme_page_tables_scroll_on_a_phone(viewer, organisation, programme) -> None:
    services.workstream_create(programme=programme, name="Digital re-design", lead="CDO", by=None)
    response = viewer.get(url(organisation, "programme_detail", programme_id=programme.pk))
    assert len(select(response, ".gt-table-scroll > .gt-phases")) == 1
    assert len(select(response, ".gt-table-scroll > .gt-workstreams")) == 1


def test_the_service_navigation_leads_to_the_programmes(viewer, organisation) -> None:
    response = viewer.get(reverse("core:home", kwargs={"org_slug": organisation.slug}))
    assert url(organisation, "programme_list") in hrefs(response, "a")


def test_an_editor_adds_an_action_and_sees_its_quarters(editor, organisation, programme) -> None:
    phase = programme.phases.get(name="Exploration")
    response = submit(
        editor,
        url(organisation, "action_create"),
        {
            "programme": str(programme.pk),
            "title": "Redesign the customer journey",
            "target_area": "Customers",
            "owner": "Head of Customer Services",
            "phase": str(phase.pk),
            "design_by": "2025/26 Q2",
            "implement_from": "Q3 2025-26",
            **date_input("due_on", "31/3/2026"),
            "status": "in_progress",
            "percent_complete": "40",
            "budget": "£25,000",
            "spend": "12,500.50",
        },
    )
    response = editor.get(response["Location"])
    action = Action.objects.get(organisation=organisation)
    assert action.reference == "A-001"
    assert (action.design_by, action.implement_from) == (20252, 20253)
    assert action.budget == Decimal("25000.00")
    assert text(response, ".gt-design-by") == "2025/26 Q2"
    assert text(response, ".gt-implement-from") == "2025/26 Q3"
    assert text(response, ".gt-budget") == "£25,000"
    assert action.history.get().history_user.username == "ed"


def test_implement_from_before_design_by_is_refused_on_its_field(
    editor, organisation, programme
) -> None:
    response = submit(
        editor,
        url(organisation, "action_create"),
        {
            "programme": str(programme.pk),
            "title": "Too early",
            "design_by": "2025/26 Q3",
            "implement_from": "2025/26 Q2",
            "status": "not_started",
            "percent_complete": "0",
        },
    )
    assert error_summary(response) == [
        services.IMPLEMENT_BEFORE_DESIGN.format(design_by="2025/26 Q3")
    ]
    assert not Action.objects.exists()


def test_a_quarter_that_cannot_be_read_names_what_was_expected(
    editor, organisation, programme
) -> None:
    response = submit(
        editor,
        url(organisation, "action_create"),
        {
            "programme": str(programme.pk),
            "title": "Typo",
            "design_by": "2025 quarter two",
            "status": "not_started",
            "percent_complete": "0",
        },
    )
    assert error_summary(response) == [
        "Design by must be a financial-year quarter such as 2025/26 Q2 (Q1 is April to June)"
    ]


def test_the_register_greys_actions_from_another_plan(viewer, organisation, programme) -> None:
    services.action_create(programme=programme, title="Own", by=None)
    services.action_create(
        programme=programme, title="Borrowed", source="Productivity plan", by=None
    )
    response = viewer.get(url(organisation, "action_list"))
    assert text(response, ".gt-result-count") == "2 actions"
    assert select(response, "tr.gt-other-plan .gt-source-tag") == ["From: Productivity plan"]
    mine = viewer.get(url(organisation, "action_list") + "?own=yes")
    assert column(mine, 2) == ["Own"]
    other = viewer.get(url(organisation, "action_list") + "?own=no")
    assert column(other, 2) == ["Borrowed From: Productivity plan"]


def test_the_action_page_shows_a_due_date_in_a_closed_quarter_as_a_warning(
    viewer, organisation, programme
) -> None:
    action = services.action_create(
        programme=programme, title="Late", due_on=dt.date(2020, 6, 30), by=None
    )
    response = viewer.get(url(organisation, "action_detail", action_id=action.pk))
    assert select(response, ".gt-action-warning .govuk-warning-text__text") == [
        "Warning A-001 is due on 30 June 2020, in 2020/21 Q1, a quarter already over: "
        "check the due date, or record a forecast"
    ]


def test_an_action_of_another_organisation_is_not_found(viewer, programme) -> None:
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    theirs = services.programme_create(organisation=other, name="Theirs", by=None)
    action = services.action_create(programme=theirs, title="Theirs", by=None)
    mine = programme.organisation
    assert viewer.get(url(mine, "action_detail", action_id=action.pk)).status_code == 404
    assert viewer.get(url(mine, "programme_detail", programme_id=theirs.pk)).status_code == 404


def test_an_action_can_be_edited_and_deleted(editor, organisation, programme) -> None:
    action = services.action_create(programme=programme, title="Draft", by=None)
    response = editor.get(url(organisation, "action_edit", action_id=action.pk))
    assert response.status_code == 200
    submit(editor, url(organisation, "action_delete", action_id=action.pk), {})
    assert not Action.objects.exists()


def test_rag_tags_show_in_the_register(viewer, organisation, programme) -> None:
    action = services.action_create(
        programme=programme, title="Rated", status=ActionStatus.IN_PROGRESS, by=None
    )
    Action.objects.filter(pk=action.pk).update(rag=Rag.AMBER)
    response = viewer.get(url(organisation, "action_list") + "?rag=amber")
    assert select(response, ".gt-rag") == ["Amber"]


@pytest.fixture
def many(organisation, programme):
    """24 actions over two workstreams, every fourth from another plan, the first with 25
    milestones and three years of savings."""
    workstreams = [
        services.workstream_create(programme=programme, name=name, by=None)
        for name in ("Digital re-design", "Service model")
    ]
    phases = list(programme.phases.all())
    actions = [
        services.action_create(
            programme=programme,
            reference=f"A-{n:03d}",
            title=f"Action {n}",
            owner=f"Lead {n % 3}",
            workstream=workstreams[n % 2],
            phase=phases[n % 4],
            due_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            implement_from=20253,
            source="Productivity plan" if n % 4 == 0 else "",
            budget=Decimal(1000 * n),
            by=None,
        )
        for n in range(1, 25)
    ]
    for n in range(25):
        services.milestone_create(
            action=actions[0], title=f"Milestone {n}", due_on=dt.date(2026, 1, 1 + n), by=None
        )
    services.action_savings_set(
        action=actions[0], savings={year: Decimal(year) for year in (2025, 2026, 2027)}, by=None
    )
    return actions


def test_the_programmes_page_has_a_fixed_number_of_queries(
    viewer, organisation, programme, many, django_assert_num_queries
) -> None:
    for n in range(21):
        services.programme_create(organisation=organisation, name=f"Programme {n:02d}", by=None)
    # Session, user, membership, the shell's organisations; the count, the rows with
    # their counts.
    with django_assert_num_queries(6):
        response = viewer.get(url(organisation, "programme_list") + "?sort=action_count&order=desc")
    assert text(response, ".gt-result-count") == "22 programmes"
    assert column(response, 1)[0] == "Shaping our future"
    assert column(response, 7)[0] == "24"


@pytest.mark.parametrize(
    "query",
    ["", "?sort=due_on&order=desc", "?status=not_started&workstream=1&sort=title&own=yes"],
)
def test_the_actions_register_has_a_fixed_number_of_queries(
    viewer, organisation, many, query, django_assert_num_queries
) -> None:
    # Session, user, membership, the shell's organisations; the programme, workstream and
    # phase filters' choices; the count, the rows with their programme, workstream and phase.
    with django_assert_num_queries(9):
        response = viewer.get(url(organisation, "action_list") + query)
    assert response.status_code == 200


def test_the_actions_register_filters_and_sorts(viewer, organisation, many) -> None:
    digital = many[0].programme.workstreams.get(name="Digital re-design")
    response = viewer.get(
        url(organisation, "action_list")
        + f"?workstream={digital.pk}&own=yes&sort=due_on&order=desc&owner=Lead+1"
    )
    # Odd numbers are in Service model; of the even ones, every fourth is another plan's.
    assert column(response, 1) == ["A-022", "A-010"]
    dated = viewer.get(url(organisation, "action_list") + "?due-from=2026-01-20&due-to=2026-01-22")
    assert column(dated, 1) == ["A-019", "A-020", "A-021"]
    search = viewer.get(url(organisation, "action_list") + "?q=A-007")
    assert column(search, 1) == ["A-007"]


def test_the_action_page_has_a_fixed_number_of_queries(
    viewer, organisation, many, django_assert_num_queries
) -> None:
    # Session, user, membership; the action with its programme, workstream and phase; its
    # milestones; its savings; the history link's content type; its links to TOM components
    # and to the golden thread. Each part's panel: the RAG's (its records and their count),
    # the benefits' (the organisation, then the benefits that come from it), the quarterly
    # updates' (its entries), the risks' (the first risks, their count). The shell's
    # organisations are read once, for the page and its panels. Content types are cached
    # across tests: start from none.
    ContentType.objects.clear_cache()
    with django_assert_num_queries(17):
        response = viewer.get(url(organisation, "action_detail", action_id=many[0].pk))
    assert len(select(response, ".gt-milestones tbody tr")) == 25
    assert select(response, ".gt-savings tbody th") == ["2025/26", "2026/27", "2027/28", "Total"]
    assert text(response, ".gt-savings-total") == "£6,078"


def test_the_register_downloads_its_rows_in_the_import_layout(viewer, organisation, many) -> None:
    response = viewer.get(url(organisation, "action_list") + "?own=no&download=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("reference,programme,title")
    assert len(lines) == 1 + 6


def test_phases_and_workstreams_are_added_changed_and_deleted(
    editor, organisation, programme
) -> None:
    response = submit(
        editor,
        url(organisation, "phase_create", programme_id=programme.pk),
        {
            "name": "Benefits review",
            "gate_criteria": "Benefits measured",
            "status": "not_started",
            **date_input("start_on", "1/4/2027"),
            **date_input("end_on", "30/9/2027"),
        },
    )
    detail = url(organisation, "programme_detail", programme_id=programme.pk)
    assert response["Location"] == detail + "#phases"
    phase = programme.phases.get(name="Benefits review")
    assert (phase.position, phase.end_on) == (4, dt.date(2027, 9, 30))
    submit(
        editor,
        url(organisation, "phase_edit", phase_id=phase.pk),
        {"name": "Benefits realisation"},
    )
    phase.refresh_from_db()
    assert (phase.name, phase.gate_criteria) == ("Benefits realisation", "Benefits measured")
    submit(
        editor,
        url(organisation, "workstream_create", programme_id=programme.pk),
        {"name": "Next level sharing", "lead": "Director of Shared Services"},
    )
    workstream = programme.workstreams.get()
    services.action_create(programme=programme, title="Shared CRM", workstream=workstream, by=None)
    refused = editor.get(url(organisation, "workstream_delete", workstream_id=workstream.pk))
    assert select(refused, ".govuk-error-summary__list li, .govuk-warning-text__text") != []
    assert "A-001: Shared CRM" in refused.content.decode()
    submit(editor, url(organisation, "phase_delete", phase_id=phase.pk), {})
    assert not programme.phases.filter(pk=phase.pk).exists()


def test_milestones_are_added_completed_changed_and_deleted_on_the_action_page(
    editor, organisation, programme
) -> None:
    action = services.action_create(programme=programme, title="Shared CRM", by=None)
    detail = url(organisation, "action_detail", action_id=action.pk)
    response = submit(
        editor,
        url(organisation, "milestone_create", action_id=action.pk),
        {"title": "Supplier appointed", "status": "planned", **date_input("due_on", "1/3/2020")},
    )
    assert response["Location"] == detail + "#milestones"
    page = editor.get(detail)
    assert select(page, ".gt-milestones tbody td:nth-of-type(2)") == ["Missed"]
    milestone = action.milestones.get()
    submit(editor, url(organisation, "milestone_complete", milestone_id=milestone.pk), {})
    milestone.refresh_from_db()
    assert milestone.status == "complete" and milestone.completed_on is not None
    submit(
        editor,
        url(organisation, "milestone_edit", milestone_id=milestone.pk),
        {"title": "Supplier signed"},
    )
    milestone.refresh_from_db()
    assert milestone.title == "Supplier signed"
    submit(editor, url(organisation, "milestone_delete", milestone_id=milestone.pk), {})
    assert not action.milestones.exists()


def test_savings_are_edited_a_row_a_year_and_a_year_is_added(
    editor, organisation, programme
) -> None:
    action = services.action_create(programme=programme, title="Shared CRM", by=None)
    savings = url(organisation, "action_savings", action_id=action.pk)
    submit(editor, savings, {"new_year": "2025/26", "new_amount": "£40,000"})
    submit(editor, savings, {"amount_2025": "45,000", "new_year": "2026-27", "new_amount": "90000"})
    assert list(action.savings.values_list("year", "amount")) == [
        (2025, Decimal("45000.00")),
        (2026, Decimal("90000.00")),
    ]
    page = editor.get(url(organisation, "action_detail", action_id=action.pk))
    assert text(page, ".gt-savings-total") == "£135,000"
    bad = submit(editor, savings, {"new_year": "next year", "new_amount": "1"})
    assert error_summary(bad) == ["Enter a financial year such as 2025/26"]
    submit(editor, savings, {"amount_2025": ""})
    assert list(action.savings.values_list("year", flat=True)) == [2026]


def test_viewers_see_no_change_links_and_cannot_post(viewer, organisation, programme) -> None:
    action = services.action_create(programme=programme, title="Shared CRM", by=None)
    page = viewer.get(url(organisation, "action_detail", action_id=action.pk))
    assert url(organisation, "action_edit", action_id=action.pk) not in hrefs(page, "a")
    assert viewer.get(url(organisation, "action_edit", action_id=action.pk)).status_code == 403
