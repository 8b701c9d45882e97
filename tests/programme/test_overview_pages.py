"""The programme's timeline, board and improvement plan, through what their pages show."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.performance.models import Level
from goldenthread.performance.services import thread_item_create, thread_link_create
from goldenthread.programme.models import ActionStatus, Rag
from goldenthread.programme.overview.selectors import BOARD_COLUMN_LIMIT
from goldenthread.programme.overview.views import PLAN_PAGE_SIZE, TIMELINE_PAGE_SIZE
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import parse, select, text
from tests.programme.factories import make_action, make_programme, make_workstream
from tests.programme.overview_data import plan_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havering", slug="havering")


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


def url(name: str, programme, **query: object) -> str:
    address = reverse(
        f"programme:{name}",
        kwargs={"org_slug": programme.organisation.slug, "programme_id": programme.pk},
    )
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def register(programme, **filters: object) -> str:
    base = reverse("programme:action_list", kwargs={"org_slug": programme.organisation.slug})
    query = "&".join(
        f"{key}={value}" for key, value in {"programme": programme.pk, **filters}.items()
    )
    return f"{base}?{query}"


# ---- the timeline --------------------------------------------------------------------------


def test_the_timeline_shows_each_action_by_quarter(viewer, organisation) -> None:
    programme = make_programme(organisation, name="Transformation")
    digital = make_workstream(programme, name="Digital", position=0)
    make_action(
        programme,
        reference="CRM-1",
        title="Replace the CRM",
        workstream=digital,
        start_on=dt.date(2025, 4, 1),
        design_by=20252,
        implement_from=20253,
        due_on=dt.date(2026, 6, 30),
    )
    html = viewer.get(url("timeline", programme)).content
    assert select(html, "h1") == ["Timeline"]
    headings = [h.removesuffix(" (now)") for h in select(html, ".gt-timeline thead th")]
    assert headings == [
        "Action",
        "2025/26 Q1",
        "2025/26 Q2",
        "2025/26 Q3",
        "2025/26 Q4",
        "2026/27 Q1",
    ]
    assert select(html, ".gt-timeline tbody .gt-timeline__group th") == ["Digital"]
    assert select(html, ".gt-timeline tbody td") == [
        "Design",
        "Design",
        "Implementation",
        "Implementation",
        "Implementation, due",
    ]
    assert select(html, ".gt-timeline tbody th[scope=row] a") == ["CRM-1: Replace the CRM"]
    assert parse(html).select_one(".gt-table-scroll table caption") is not None


def test_the_timeline_filters_by_workstream_and_phase(viewer, organisation) -> None:
    programme = make_programme(organisation)
    phases = list(programme.phases.order_by("position"))
    digital = make_workstream(programme, name="Digital")
    people = make_workstream(programme, name="People")
    make_action(programme, reference="D-1", workstream=digital, phase=phases[0])
    make_action(programme, reference="D-2", workstream=digital, phase=phases[1])
    make_action(programme, reference="P-1", workstream=people, phase=phases[0])

    def shown(**query: object) -> list[str]:
        html = viewer.get(url("timeline", programme, **query)).content
        return [ref.split(":")[0] for ref in select(html, ".gt-timeline tbody th[scope=row] a")]

    assert shown() == ["D-1", "D-2", "P-1"]
    assert shown(workstream=digital.pk) == ["D-1", "D-2"]
    assert shown(workstream=digital.pk, phase=phases[0].pk) == ["D-1"]
    assert shown(phase=phases[0].pk) == ["D-1", "P-1"]
    # An id from elsewhere, or no id at all, filters nothing.
    assert shown(workstream="nonsense") == ["D-1", "D-2", "P-1"]
    html = viewer.get(url("timeline", programme, workstream=people.pk, phase=phases[3].pk)).content
    assert "No action matches these filters." in text(html)


def test_the_timeline_is_paged_with_fixed_queries(
    viewer, organisation, django_assert_num_queries
) -> None:
    programme, _ = plan_programme(organisation, actions=TIMELINE_PAGE_SIZE + 5)
    # session, user, membership, the shell's organisation and memberships; the programme, its
    # workstreams and phases, the span of quarters, the count, the page of actions
    with django_assert_num_queries(11):
        html = viewer.get(url("timeline", programme)).content
    assert len(select(html, ".gt-timeline tbody th[scope=row]")) == TIMELINE_PAGE_SIZE
    assert (
        text(html, ".gt-page-range")
        == f"Showing 1 to {TIMELINE_PAGE_SIZE} of {TIMELINE_PAGE_SIZE + 5} actions"
    )
    second = viewer.get(url("timeline", programme, page=2)).content
    assert len(select(second, ".gt-timeline tbody th[scope=row]")) == 5


def test_the_timeline_of_an_empty_programme(viewer, organisation) -> None:
    programme = make_programme(organisation)
    html = viewer.get(url("timeline", programme)).content
    assert "This programme has no actions yet." in text(html)


# ---- the board -----------------------------------------------------------------------------


def test_the_board_shows_cards_by_status(viewer, organisation) -> None:
    programme = make_programme(organisation)
    make_action(
        programme,
        reference="A-1",
        title="Agree the TOM",
        owner="Kathy Freeman",
        status=ActionStatus.IN_PROGRESS,
        rag=Rag.AMBER,
        due_on=dt.date(2026, 8, 31),
    )
    make_action(programme, reference="A-2", status=ActionStatus.COMPLETE, rag=Rag.BLUE)
    html = viewer.get(url("board", programme)).content
    assert select(html, ".gt-board__column h2") == [
        "Not started (0)",
        "In progress (1)",
        "On hold (0)",
        "Complete (1)",
        "Cancelled (0)",
    ]
    card = parse(html).select(".gt-board__column")[1].select_one(".gt-board__card")
    assert text(card) == "A-1 Agree the TOM Owner Kathy Freeman Due 31 Aug 2026 RAG Amber"
    assert select(html, ".gt-board__more") == []


def test_each_column_of_the_board_is_capped(
    viewer, organisation, django_assert_num_queries
) -> None:
    programme = make_programme(organisation)
    for n in range(30):
        make_action(
            programme,
            reference=f"S-{n:02d}",
            status=ActionStatus.NOT_STARTED,
            due_on=dt.date(2026, 4, 1) + dt.timedelta(days=n),
        )
    make_action(programme, reference="H-1", status=ActionStatus.ON_HOLD)
    # session, user, membership, the shell's organisation and memberships; the programme, the
    # counts by status, the first ten of each status
    with django_assert_num_queries(8):
        html = viewer.get(url("board", programme)).content
    first = parse(html).select(".gt-board__column")[0]
    assert len(first.select(".gt-board__card")) == BOARD_COLUMN_LIMIT
    assert text(first.select_one(".gt-board__card .gt-board__ref")) == "S-00"
    more = first.select_one(".gt-board__more a")
    assert text(more) == "and 20 more not started actions"
    assert more["href"] == register(programme, status="not_started")


# ---- the improvement plan ------------------------------------------------------------------


def _objective(organisation, title: str):
    vision = thread_item_create(organisation=organisation, level=Level.VISION, title="Vision")
    return thread_item_create(
        organisation=organisation, level=Level.PRIORITY, title=title, parent=vision
    )


def test_the_improvement_plan_is_laid_out_as_councils_publish_it(viewer, organisation) -> None:
    programme = make_programme(organisation)
    objective = _objective(organisation, "Reduce agency and consultancy cost")
    review = make_action(
        programme,
        reference="W-1",
        title="Review agency costs",
        target_area="Workforce",
        success_criteria="Agency and consultancy costs are reduced",
        owner="Kathy Freeman",
        due_on=dt.date(2026, 3, 31),
        rag=Rag.GREEN,
    )
    make_action(
        programme,
        reference="W-2",
        title="Recruitment panel for all posts",
        target_area="Workforce",
        owner="Kathy Freeman",
        status=ActionStatus.COMPLETE,
        rag=Rag.BLUE,
        source="productivity plan",
    )
    make_action(
        programme,
        reference="H-1",
        title="Collect former tenant arrears",
        target_area="Housing",
        due_on=None,
        implement_from=20263,
        rag=Rag.RED,
    )
    thread_link_create(item=objective, target=review)
    html = viewer.get(url("improvement_plan", programme)).content
    assert select(html, ".gt-plan-table thead th") == [
        "Area",
        "Objective",
        "Success criteria",
        "Action",
        "Lead",
        "Timescale",
        "RAG",
    ]
    # Grouped by area, each area once for its rows.
    areas = parse(html).select(".gt-plan-table th[scope=rowgroup]")
    assert [(text(area), area["rowspan"]) for area in areas] == [
        ("Housing", "1"),
        ("Workforce", "2"),
    ]
    rows = parse(html).select(".gt-plan-table tbody tr")
    assert text(rows[0]) == (
        "Housing Not linked to an objective H-1: Collect former tenant arrears Not set "
        "2026/27 Q3 Red"
    )
    assert text(rows[1]) == (
        "Workforce Reduce agency and consultancy cost Agency and consultancy costs are reduced "
        "W-1: Review agency costs Kathy Freeman 31 Mar 2026 Green"
    )
    # From another plan: greyed, and saying so in words.
    assert "gt-plan-table__other" in rows[2]["class"]
    assert text(rows[2].select_one(".gt-plan-table__from")) == "From: productivity plan"
    assert text(rows[2]).endswith("Kathy Freeman Complete Complete")


def test_the_improvement_plan_reads_fixed_queries_and_pages(
    viewer, organisation, django_assert_num_queries
) -> None:
    programme, actions = plan_programme(organisation, actions=PLAN_PAGE_SIZE + 4)
    objective = _objective(organisation, "Financial stability")
    for action in actions[:30]:
        thread_link_create(item=objective, target=action)
    # session, user, membership, the shell's organisation and memberships; the programme, the
    # count, the page of actions, their objectives
    with django_assert_num_queries(9):
        html = viewer.get(url("improvement_plan", programme)).content
    assert len(select(html, ".gt-plan-table tbody tr")) == PLAN_PAGE_SIZE
    assert select(html, ".gt-plan-table th[scope=rowgroup]") == ["Housing", "Savings", "Workforce"]
    assert (
        text(html, ".gt-page-range")
        == f"Showing 1 to {PLAN_PAGE_SIZE} of {PLAN_PAGE_SIZE + 4} actions"
    )


def test_the_improvement_plan_downloads_in_the_same_layout(viewer, organisation) -> None:
    programme, actions = plan_programme(organisation, actions=7)
    objective = _objective(organisation, "Financial stability")
    thread_link_create(item=objective, target=actions[0])
    response = viewer.get(url("improvement_plan", programme, download="xlsx"))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="havering-transformation-improvement-plan-'
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = [tuple(row) for row in book.get_sheet_by_name("Improvement plan").to_python()]
    assert rows[0] == (
        "Area",
        "Objective",
        "Success criteria",
        "Action",
        "Lead",
        "Timescale",
        "RAG",
        "From",
    )
    # Housing (0, 3, 6), Savings (1, 4), Workforce (2, 5): the area once for its group.
    assert [row[0] for row in rows[1:]] == ["Housing", "", "", "Savings", "", "Workforce", ""]
    first = rows[1]
    assert first[1:5] == ("Financial stability", "Criterion 0", "ACT-000: Action 000", "Lead 0")
    assert first[6:] == ("Red", "productivity plan")
    assert first[5] in (dt.date(2026, 3, 31), dt.datetime(2026, 3, 31))  # due, as a date
    assert rows[2][1] == "Not linked to an objective"


def test_another_organisations_programme_is_not_found(viewer, organisation) -> None:
    other = make_programme(OrganisationFactory(), name="Theirs")
    for name in ("timeline", "board", "improvement_plan"):
        address = reverse(
            f"programme:{name}", kwargs={"org_slug": organisation.slug, "programme_id": other.pk}
        )
        assert viewer.get(address).status_code == 404


def test_the_timeline_chart_is_given_escaped_labels_and_dates(viewer, organisation) -> None:
    programme = make_programme(organisation)
    make_action(
        programme,
        reference="X-1",
        title='<a href="https://x.example">Sign in</a>',
        design_by=20252,
        implement_from=20253,
        due_on=dt.date(2026, 3, 31),
    )
    html = viewer.get(url("timeline", programme)).content
    data = json.loads(parse(html).select_one("#programme-gantt").string)
    assert data == [
        {
            "label": 'X-1: &lt;a href="https://x.example"&gt;Sign in&lt;/a&gt;',
            "design": ["2025-07-01", "2025-10-01"],
            "implementation": ["2025-10-01", "2026-04-01"],
            "due": "2026-03-31",
        }
    ]
    assert parse(html).select_one("#chart-gantt")["role"] == "img"


# ---- the programme's page and the organisation's dashboard ---------------------------------


def test_the_programme_page_opens_with_the_counts_and_links_the_views(viewer, organisation) -> None:
    programme, _ = plan_programme(organisation, actions=6)
    response = viewer.get(
        reverse(
            "programme:programme_detail",
            kwargs={"org_slug": organisation.slug, "programme_id": programme.pk},
        )
    )
    assert select(response, ".gt-programme-overview h2") == [
        "Actions by RAG and phase",
        "Slipping actions",
        "Spend against budget",
        "Views of the plan",
    ]
    for href in parse(response).select(".gt-programme-views a[href]"):
        assert viewer.get(href["href"]).status_code == 200
    # Each count leads to the register showing just those actions.
    for link in parse(response).select(".gt-rag-by-phase a[href]"):
        count = link.contents[0].strip()
        register_page = viewer.get(link["href"])
        assert select(register_page, ".govuk-error-summary") == []
        assert text(register_page, ".gt-result-count").split()[0] == count, link["href"]


def test_the_more_link_of_a_board_column_shows_that_status(viewer, organisation) -> None:
    programme = make_programme(organisation)
    for n in range(BOARD_COLUMN_LIMIT + 2):
        make_action(programme, reference=f"H-{n:02d}", status=ActionStatus.ON_HOLD)
    html = viewer.get(url("board", programme)).content
    more = parse(html).select_one(".gt-board__more a")
    register_page = viewer.get(more["href"])
    assert text(register_page, ".gt-result-count").split()[0] == str(BOARD_COLUMN_LIMIT + 2)


def test_the_dashboard_shows_the_programme_card(viewer, organisation) -> None:
    plan_programme(organisation, actions=6)
    response = viewer.get(reverse("core:home", kwargs={"org_slug": organisation.slug}))
    assert "Programme" in select(response, ".gt-card h2")
