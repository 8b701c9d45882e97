"""The units register: full paths, filters (with the units inside), sort, paging, downloads."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core import tables as core_tables
from goldenthread.core.columns import UNIT_COLUMNS
from goldenthread.core.models import UnitKind
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import column, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Tower Hamlets Council", slug="tower-hamlets")


@pytest.fixture
def units(organisation) -> dict[str, object]:
    """Two directorates, each with a Commissioning service and teams, and Audit: 23 units."""
    made: dict[str, object] = {}
    for directorate in ("People", "Place"):
        top = UnitFactory(
            organisation=organisation,
            name=directorate,
            code=directorate[:3].upper(),
            kind=UnitKind.DIRECTORATE,
        )
        made[directorate] = top
        for service in ("Commissioning", "Operations"):
            middle = UnitFactory(
                organisation=organisation,
                name=service,
                parent=top,
                code=f"{directorate[:3].upper()}-{service[:3].upper()}",
            )
            made[f"{directorate} / {service}"] = middle
            for team in range(1, 5):
                made[f"{directorate} / {service} / Team {team}"] = UnitFactory(
                    organisation=organisation,
                    name=f"Team {team}",
                    parent=middle,
                    kind=UnitKind.TEAM,
                    code=f"{directorate[:3].upper()}-{service[:3].upper()}-{team}",
                )
    UnitFactory(organisation=organisation, name="Audit", code="AUD", kind=UnitKind.SHARED_SERVICE)
    return made


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


def _url(organisation) -> str:
    return reverse("core:unit_list", kwargs={"org_slug": organisation.slug})


def test_units_are_listed_by_full_path_so_two_of_a_name_are_told_apart(
    viewer, organisation, units, django_assert_num_queries
) -> None:
    with django_assert_num_queries(8):
        html = page(viewer.get(_url(organisation)))
    assert text(html, ".gt-result-count") == "23 units"
    paths = column(html, 2)
    assert paths[:4] == [
        "Audit",
        "People",
        "People / Commissioning",
        "People / Commissioning / Team 1",
    ]
    assert "Place / Commissioning" in paths
    assert html.select_one('th[aria-sort="ascending"]').get_text(" ").split()[:2] == [
        "Full",
        "path",
    ]
    assert column(html, 5)[1] == "2"  # People has two units directly inside


def test_the_inside_filter_keeps_a_unit_and_every_unit_below_it(
    viewer, organisation, units
) -> None:
    place = units["Place"]
    html = page(viewer.get(_url(organisation), {"inside": place.pk, "kind": "team"}))
    assert column(html, 2) == [
        f"Place / {s} / Team {n}" for s in ("Commissioning", "Operations") for n in range(1, 5)
    ]
    assert texts(html, ".moj-filter__tag") == [
        "Remove this filter Place and the units inside",
        "Remove this filter Team",
    ]


def test_search_kind_sort_and_paging(viewer, organisation, units, monkeypatch) -> None:
    monkeypatch.setattr(core_tables, "UNITS", dataclasses.replace(core_tables.UNITS, page_size=4))
    url = _url(organisation)
    assert column(page(viewer.get(url, {"q": "commissioning"})), 2) == [
        "People / Commissioning",
        "Place / Commissioning",
    ]
    assert column(page(viewer.get(url, {"q": "PEO-OPE-3"})), 2) == ["People / Operations / Team 3"]
    html = page(
        viewer.get(
            url, {"kind": ["directorate", "shared_service"], "sort": "code", "order": "desc"}
        )
    )
    assert column(html, 3) == ["PLA", "PEO", "AUD"]
    second = page(viewer.get(url, {"sort": "child_count", "order": "desc", "page": "2"}))
    assert text(second, ".gt-page-range") == "Showing 5 to 8 of 23 units"
    assert column(second, 5) == ["2", "2", "0", "0"]


def test_download_gives_the_filtered_units_in_the_imports_layout(
    viewer, organisation, units
) -> None:
    response = viewer.get(_url(organisation), {"q": "team 2", "download": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The import's columns, so the file can be changed and imported again.
    assert rows[0] == list(UNIT_COLUMNS.names)
    # Exactly the filtered units, in the page's order (by full path).
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        ("PEO-COM-2", "Team 2", "team", "PEO-COM"),
        ("PEO-OPE-2", "Team 2", "team", "PEO-OPE"),
        ("PLA-COM-2", "Team 2", "team", "PLA-COM"),
        ("PLA-OPE-2", "Team 2", "team", "PLA-OPE"),
    ]


@pytest.mark.parametrize(
    "query",
    [{"inside": "x"}, {"inside": "-1"}, {"kind": "castle"}, {"sort": "path", "order": "up"}],
)
def test_bad_parameters_never_fail_the_units_page(viewer, organisation, units, query) -> None:
    assert viewer.get(_url(organisation), query).status_code == 200
