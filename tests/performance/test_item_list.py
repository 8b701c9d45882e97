"""The golden thread items register: filters, sort, paging, downloads, fixed queries."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import UnitKind
from goldenthread.performance import services
from goldenthread.performance import tables as performance_tables
from goldenthread.performance.models import Level
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import column, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="London Borough of Havering", slug="havering")


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


@pytest.fixture
def thread(organisation):
    """A vision, 2 priorities, 4 objectives, 4 service plans, 8 team objectives,
    3 individual objectives and 2 orphans: 24 items."""
    people = UnitFactory(organisation=organisation, name="People", kind=UnitKind.DIRECTORATE)
    care = UnitFactory(organisation=organisation, name="Care", parent=people)
    place = UnitFactory(organisation=organisation, name="Place", kind=UnitKind.DIRECTORATE)

    def add(level, title, parent=None, **extra):
        return services.thread_item_create(
            organisation=organisation, level=level, title=title, parent=parent, **extra
        )

    vision = add(Level.VISION, "A borough to be proud of")
    for p in (1, 2):
        priority = add(Level.PRIORITY, f"Priority {p}", vision)
        for o in (1, 2):
            objective = add(Level.OBJECTIVE, f"Objective {p}.{o}", priority)
            unit = care if p == 1 else place
            plan = add(
                Level.SERVICE_PLAN,
                f"Plan {p}.{o}",
                objective,
                unit=unit,
                perspective="customer" if o == 1 else "financial",
                owner=f"Owner {p}{o}",
            )
            for t in (1, 2):
                team = add(Level.TEAM_OBJECTIVE, f"Team objective {p}.{o}.{t}", plan, unit=unit)
    for n in (1, 2, 3):
        add(Level.INDIVIDUAL_OBJECTIVE, f"Individual {n}", team, post_reference=f"P-{n}")
    add(Level.OBJECTIVE, "Orphan objective")
    add(Level.TEAM_OBJECTIVE, "Orphan team objective", unit=people)
    return {"people": people, "care": care, "place": place, "vision": vision}


def _url(organisation) -> str:
    return reverse("performance:item_list", kwargs={"org_slug": organisation.slug})


def test_the_items_are_listed_from_the_vision_down_with_fixed_queries(
    viewer, organisation, thread, django_assert_num_queries
) -> None:
    # session, user, membership, the shell's organisations, units, count, rows
    with django_assert_num_queries(7):
        html = page(viewer.get(_url(organisation)))
    assert text(html, ".gt-result-count") == "24 items"
    assert column(html, 2)[:3] == ["Vision", "Priority", "Priority"]
    assert column(html, 2)[-1] == "Individual objective"
    first = [" ".join(td.get_text(" ").split()) for td in html.select("tbody tr")[0].select("td")]
    assert first == ["A borough to be proud of", "Vision", "", "", "", "", "", "2"]
    with django_assert_num_queries(7):
        viewer.get(_url(organisation), {"unit": thread["people"].pk, "level": "team_objective"})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "service_plan"}, ["Plan 1.1", "Plan 1.2", "Plan 2.1", "Plan 2.2"]),
        ({"perspective": "financial"}, ["Plan 1.2", "Plan 2.2"]),
        ({"q": "owner 21"}, ["Plan 2.1"]),
        ({"q": "p-2"}, ["Individual 2"]),
        (
            {"linked": "no"},
            ["A borough to be proud of", "Orphan objective", "Orphan team objective"],
        ),
        ({"level": "team_objective", "linked": "no"}, ["Orphan team objective"]),
    ],
)
def test_each_filter(viewer, organisation, thread, query, expected) -> None:
    assert column(page(viewer.get(_url(organisation), query)), 1) == expected


def test_the_unit_filter_includes_the_units_inside(viewer, organisation, thread) -> None:
    html = page(
        viewer.get(_url(organisation), {"unit": thread["people"].pk, "level": "service_plan"})
    )
    assert column(html, 1) == ["Plan 1.1", "Plan 1.2"]  # held by Care, inside People
    assert texts(html, ".moj-filter__tag") == [
        "Remove this filter Service plan",
        "Remove this filter People and the units inside",
    ]


def test_sort_paging_and_download(viewer, organisation, thread, monkeypatch) -> None:
    monkeypatch.setattr(
        performance_tables, "ITEMS", dataclasses.replace(performance_tables.ITEMS, page_size=5)
    )
    url = _url(organisation)
    query = {"level": "team_objective", "sort": "title", "order": "desc"}
    html = page(viewer.get(url, {**query, "page": "2"}))
    assert column(html, 1) == [
        "Team objective 1.2.1",
        "Team objective 1.1.2",
        "Team objective 1.1.1",
        "Orphan team objective",
    ]
    assert html.select_one('th[aria-sort="descending"] a')["href"] == (
        "?level=team_objective&sort=title&order=asc"
    )
    by_parent = page(viewer.get(url, {"sort": "parent", "level": "objective"}))
    assert column(by_parent, 4) == ["Priority 1", "Priority 1", "Priority 2", "Priority 2", ""]
    response = viewer.get(url, {**query, "download": "csv", "page": "2"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 9
    assert rows[1][0] == "Team objective 2.2.2"
    assert rows[1][3] == "Plan 2.2"


@pytest.mark.parametrize(
    "query", [{"level": "chaos"}, {"unit": "1e9"}, {"linked": "perhaps"}, {"page": "9999"}]
)
def test_bad_parameters_never_fail(viewer, organisation, thread, query) -> None:
    assert viewer.get(_url(organisation), query).status_code == 200
