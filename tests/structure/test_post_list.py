"""The posts register of a snapshot: filters, sort, paging, downloads, on the server."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.kit import tables as kit
from goldenthread.structure import selectors, services
from goldenthread.structure import tables as structure_tables
from goldenthread.structure.models import Post, Snapshot
from tests.factories import PASSWORD, member
from tests.html import column, page, text, texts

pytestmark = pytest.mark.django_db

CARE = [f"C{n:02d}" for n in range(1, 13)]
HOUSING = ["S1", "S2", "S3", "S4"]


def _posts() -> list[tuple]:
    """(post ID, reports to, title, grade, unit, cost, vacant, agency): 24 posts."""
    rows = [
        ("CX", None, "Chief Executive", "CEX", "", 180000, False, False),
        ("D1", "CX", "Director of People", "Director", "People", 130000, False, False),
        ("D2", "CX", "Director of Place", "Director", "Place", 130000, False, False),
        ("H1", "D1", "Head of Care", "HoS", "People / Care", 80000, False, False),
    ]
    for n, pid in enumerate(CARE, start=1):
        cost = None if pid == "C12" else 30000 + n * 100
        rows.append(
            (
                pid,
                "H1",
                "Care Officer",
                "Grade 6",
                "People / Care / Reablement",
                cost,
                n <= 3,
                n == 4,
            )
        )
    rows.append(("H2", "D2", "Head of Housing", "HoS", "Place / Housing", 80000, False, False))
    for pid in HOUSING:
        rows.append(
            (pid, "H2", "Housing Officer", "Grade 5", "Place / Housing", 31000, False, True)
        )
    rows.append(("T1", "H2", "Team Leader", "M1", "Place / Housing / Repairs", 45000, False, False))
    for pid in ("R1", "R2"):
        rows.append(
            (
                pid,
                "T1",
                "Repairs Officer",
                "Grade 4",
                "Place / Housing / Repairs",
                28000,
                False,
                False,
            )
        )
    return rows


@pytest.fixture(autouse=True)
def fresh_figures() -> None:
    selectors._figures.clear()
    selectors._choices.clear()


@pytest.fixture
def snapshot(organisation) -> Snapshot:
    rows = _posts()
    table = PostTable.from_lists(
        [r[0] for r in rows],
        [r[1] for r in rows],
        title=[r[2] for r in rows],
        grade=[r[3] for r in rows],
        unit=[r[4] for r in rows],
        cost=[None if r[5] is None else float(r[5]) for r in rows],
        vacant=[r[6] for r in rows],
        agency=[r[7] for r in rows],
        source="test",
    )
    return services.snapshot_create_from_structure(
        organisation=organisation, structure=build_structure(table).structure, name="As-is 2026"
    )


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


def _url(organisation, snapshot) -> str:
    return reverse(
        "structure:post_list", kwargs={"org_slug": organisation.slug, "snapshot_id": snapshot.pk}
    )


def _ids(response) -> list[str]:
    return column(page(response), 2)


def test_the_register_lists_every_post_with_its_layer_and_span_and_a_count(
    viewer, organisation, snapshot
) -> None:
    html = page(viewer.get(_url(organisation, snapshot)))
    assert text(html, ".gt-result-count") == "24 posts"
    assert len(texts(html, "table tbody tr")) == 24
    cx = html.select("table tbody tr")[0]
    assert [" ".join(td.get_text(" ").split()) for td in cx.select("td")] == [
        "Chief Executive",
        "CX",
        "CEX",
        "",
        "1",
        "2",
        "1",
        "£180,000",
    ]
    # The stored figures are the engine's.
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    stored = dict(Post.objects.filter(snapshot=snapshot).values_list("position", "span"))
    assert stored == {int(p): int(figures.metrics.span[i]) for i, p in enumerate(figures.positions)}


def test_the_register_runs_the_same_queries_whatever_the_filters(
    viewer, organisation, snapshot, django_assert_num_queries
) -> None:
    url = _url(organisation, snapshot)
    viewer.get(url)  # the grades and layers offered are kept for the snapshot's version
    # session, user, membership, snapshot, the shell's organisations, units,
    # count, rows, the IDs of their managers
    with django_assert_num_queries(9):
        response = viewer.get(url)
    assert len(_ids(response)) == 24
    people = Unit.objects.get(organisation=organisation, name="People", parent=None)
    query = {
        "unit": people.pk,
        "grade": ["Grade 6", "HoS"],
        "span": "0",
        "vacant": "no",
        "sort": "cost",
        "order": "desc",
        "q": "officer",
    }
    with django_assert_num_queries(9):
        response = viewer.get(url, query)
    assert _ids(response) == [*(f"C{n:02d}" for n in range(11, 3, -1)), "C12"]


def test_a_new_snapshot_and_its_scenario_hold_their_layers_and_spans_from_the_start(
    organisation, snapshot
) -> None:
    assert snapshot.figures_version == snapshot.version
    stored = dict(Post.objects.filter(snapshot=snapshot).values_list("post_id", "layer"))
    assert (stored["CX"], stored["D1"], stored["H1"], stored["C01"], stored["R1"]) == (
        1,
        2,
        3,
        4,
        5,
    )
    scenario = services.scenario_create(snapshot=snapshot, name="Option A")
    assert scenario.figures_version == scenario.version
    copied = dict(Post.objects.filter(snapshot=scenario).values_list("post_id", "layer"))
    assert copied == stored


def test_the_stored_figures_follow_a_change_to_the_posts(organisation, snapshot) -> None:
    scenario = services.scenario_create(snapshot=snapshot, name="Option A")
    import datetime

    services.scenario_post_change(
        snapshot=scenario,
        post_id="T1",
        kind="move",
        manager="CX",
        reason="Flatter",
        effective_date=datetime.date(2026, 4, 1),
    )
    scenario.refresh_from_db()
    assert scenario.figures_version != scenario.version
    services.post_figures_store(organisation=organisation, snapshot=scenario)
    layers = dict(Post.objects.filter(snapshot=scenario).values_list("post_id", "layer"))
    assert (layers["T1"], layers["R1"], layers["R2"]) == (2, 3, 3)
    assert Post.objects.get(snapshot=scenario, post_id="CX").span == 3
    assert Snapshot.objects.get(pk=scenario.pk).figures_version == scenario.version


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "housing officer"}, HOUSING),
        ({"q": "grade 6"}, CARE),
        ({"q": "r1"}, ["R1"]),
        ({"grade": ["Director", "M1"]}, ["D1", "D2", "T1"]),
        ({"layer": "5"}, ["R1", "R2"]),
        ({"layer": ["1", "2"]}, ["CX", "D1", "D2"]),
        ({"span": "11+"}, ["H1"]),
        ({"span": ["1-2", "3-5"]}, ["CX", "D1", "D2", "H2", "T1"]),
        ({"manager": "yes"}, ["CX", "D1", "D2", "H1", "H2", "T1"]),
        ({"manager": "no", "grade": "Grade 4"}, ["R1", "R2"]),
        ({"vacant": "yes"}, ["C01", "C02", "C03"]),
        ({"agency": "yes"}, ["C04", *HOUSING]),
        ({"agency": "no", "vacant": "no", "grade": "Grade 6"}, CARE[4:]),
    ],
)
def test_each_filter_narrows_the_rows_in_the_database(
    viewer, organisation, snapshot, query, expected
) -> None:
    assert _ids(viewer.get(_url(organisation, snapshot), query)) == expected


def test_the_unit_filter_includes_the_units_inside_and_names_units_by_full_path(
    viewer, organisation, snapshot
) -> None:
    place = Unit.objects.get(organisation=organisation, name="Place", parent=None)
    response = viewer.get(_url(organisation, snapshot), {"unit": place.pk})
    assert _ids(response) == ["D2", "H2", *HOUSING, "T1", "R1", "R2"]
    html = page(response)
    options = texts(html, "#filter-unit option")
    assert "Place / Housing / Repairs" in options
    assert text(html, ".moj-filter__selected .moj-filter-tags") == (
        "Remove this filter Place and the units inside"
    )


def test_sorting_runs_on_the_server_both_ways_and_marks_the_header(
    viewer, organisation, snapshot
) -> None:
    url = _url(organisation, snapshot)
    response = viewer.get(url, {"sort": "cost", "order": "asc", "grade": "Grade 6"})
    assert _ids(response) == [*CARE[:11], "C12"]  # no known cost: last
    response = viewer.get(url, {"sort": "cost", "order": "desc", "grade": "Grade 6"})
    assert _ids(response) == ["C11", "C10", *reversed(CARE[:9]), "C12"]
    html = page(response)
    header = html.select_one('th[aria-sort="descending"]')
    assert " ".join(header.get_text(" ").split()).startswith("Cost")
    assert header.a["href"] == "?grade=Grade+6&sort=cost&order=asc"
    assert len(html.select('th[aria-sort="none"]')) == 7
    spans = _ids(viewer.get(url, {"sort": "span", "order": "desc"}))
    assert spans[:4] == ["H1", "H2", "T1", "CX"]  # equal spans: the reverse of file order


def test_paging_keeps_the_filters_and_the_sort(viewer, organisation, snapshot, monkeypatch) -> None:
    monkeypatch.setattr(
        structure_tables, "POSTS", dataclasses.replace(structure_tables.POSTS, page_size=5)
    )
    url = _url(organisation, snapshot)
    query = {"grade": "Grade 6", "sort": "post_id", "order": "asc"}
    first = page(viewer.get(url, query))
    assert column(first, 2) == CARE[:5]
    assert text(first, ".gt-page-range") == "Showing 1 to 5 of 12 posts"
    assert texts(first, ".govuk-pagination__item") == ["1", "2", "3"]
    following = first.select_one(".govuk-pagination__next a")["href"]
    assert following == "?grade=Grade+6&sort=post_id&order=asc&page=2"
    second = page(viewer.get(url + following))
    assert column(second, 2) == CARE[5:10]
    assert text(second, '[aria-current="page"]') == "2"
    last = page(viewer.get(url, {**query, "page": "99"}))
    assert column(last, 2) == CARE[10:]


def test_the_filters_are_kept_in_the_url_and_each_tag_removes_one(
    viewer, organisation, snapshot
) -> None:
    html = page(
        viewer.get(_url(organisation, snapshot), {"grade": ["Grade 6", "HoS"], "vacant": "no"})
    )
    assert text(html, ".gt-result-count") == "11 posts"
    tags = {" ".join(a.get_text(" ").split()): a["href"] for a in html.select(".moj-filter__tag")}
    assert tags == {
        "Remove this filter Grade 6": "?grade=HoS&vacant=no",
        "Remove this filter HoS": "?grade=Grade+6&vacant=no",
        "Remove this filter Filled": "?grade=Grade+6&grade=HoS",
    }
    assert html.select_one(".gt-clear-filters")["href"] == "?"
    checked = [i["value"] for i in html.select("input[name=grade][checked]")]
    assert checked == ["Grade 6", "HoS"]
    assert html.select_one("input[name=vacant][value=no]").has_attr("checked")


def test_download_gives_exactly_the_filtered_sorted_rows_of_every_page(
    viewer, organisation, snapshot, monkeypatch
) -> None:
    monkeypatch.setattr(
        structure_tables, "POSTS", dataclasses.replace(structure_tables.POSTS, page_size=5)
    )
    url = _url(organisation, snapshot)
    query = {"grade": "Grade 6", "vacant": "no", "sort": "post_id", "order": "desc"}
    response = viewer.get(url, {**query, "download": "csv", "page": "2"})
    # A snapshot with no effective date: the file is named for the day it is downloaded.
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{organisation.slug}-posts-in-as-is-2026-{today}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Post",
        "ID",
        "Grade",
        "Unit",
        "Layer",
        "Direct reports",
        "FTE",
        "Cost",
        "Vacant",
        "Agency",
        "Reports to",
        "Junior staff (FTE)",
        "Junior staff cost",
    ]
    assert [r[1] for r in rows[1:]] == list(reversed(CARE[3:]))
    assert rows[1][10] == "H1"
    response = viewer.get(url, {**query, "download": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["About this file", "Posts in As-is 2026"]
    about = dict(book.get_sheet_by_name("About this file").to_python())
    # The About sheet says which filters chose the rows, and how many there are.
    assert about["Filter: Grade"] == "Grade 6"
    assert about["Rows"] == str(len(CARE[3:]))
    table = book.get_sheet_by_index(1).to_python()
    assert [r[1] for r in table[1:]] == list(reversed(CARE[3:]))
    assert table[1][7] == ""  # C12's cost is not known
    assert table[2][7] == 31100.0  # C11's, a number


@pytest.mark.parametrize(
    "query",
    [
        {"page": "x"},
        {"page": "-3"},
        {"sort": "nonsense", "order": "sideways"},
        {"sort": "title'; DROP TABLE structure_post;--"},
        {"unit": "abc"},
        {"unit": "999999"},
        {"layer": "x"},
        {"span": "12-40"},
        {"vacant": "maybe"},
        {"download": "exe"},
        {"q": "x" * 5000},
    ],
)
def test_bad_parameters_never_fail_the_page(viewer, organisation, snapshot, query) -> None:
    response = viewer.get(_url(organisation, snapshot), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_value_that_is_not_a_choice_is_shown_as_the_filters_problem(
    viewer, organisation, snapshot
) -> None:
    html = page(viewer.get(_url(organisation, snapshot), {"grade": ["Grade 6", "Grade 99"]}))
    assert text(html, "#filter-grade .govuk-error-message") == (
        "Error: " + kit.NOT_A_CHOICE.format(label="grade")
    )
    assert text(html, ".gt-result-count") == "12 posts"  # the known grade still applies


def test_no_match_says_so_and_offers_to_clear(viewer, organisation, snapshot) -> None:
    html = page(viewer.get(_url(organisation, snapshot), {"q": "astronaut"}))
    assert text(html, "p.gt-result-count") == "0 posts match these filters. Clear filters"
    assert not html.select("table")
