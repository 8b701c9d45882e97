"""The snapshots register: 20+ snapshots filtered, sorted, paged and downloaded."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import services
from goldenthread.structure import tables as structure_tables
from goldenthread.structure.models import Snapshot, SnapshotKind, SnapshotStatus
from tests.factories import PASSWORD, member
from tests.html import column, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots(organisation) -> list[Snapshot]:
    """22 snapshots: as-is structures dated monthly through 2025, then proposals."""
    structure = build_structure(
        PostTable.from_lists(["CX", "D1", "D2"], [None, "CX", "CX"], source="test")
    ).structure
    made = []
    for n in range(22):
        made.append(
            services.snapshot_create_from_structure(
                organisation=organisation,
                structure=structure,
                name=f"Structure {n:02d}",
                kind=SnapshotKind.AS_IS if n < 12 else SnapshotKind.PROPOSED,
                status=SnapshotStatus.APPROVED if n % 2 else SnapshotStatus.DRAFT,
                effective_date=dt.date(2025, n + 1, 1) if n < 12 else None,
            )
        )
    return made


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


def _url(organisation) -> str:
    return reverse("structure:snapshot_list", kwargs={"org_slug": organisation.slug})


def test_the_newest_come_first_with_a_fixed_number_of_queries(
    viewer, organisation, snapshots, django_assert_num_queries
) -> None:
    # session, user, membership, the shell's organisations, whether there are
    # snapshots, count, rows
    with django_assert_num_queries(7):
        html = page(viewer.get(_url(organisation)))
    assert text(html, ".gt-result-count") == "22 snapshots"
    names = column(html, 1)
    assert names[:2] == ["Structure 11", "Structure 10"]
    assert names[11] == "Structure 00"
    assert column(html, 4)[0] == "1 December 2025"
    assert column(html, 4)[-1] == "Not given"  # no date: last
    assert len(names) == 22
    assert texts(html, ".govuk-button:not(.moj-button-menu__item)") == [
        "Compare two snapshots",
        "Apply filters",
    ]


def test_filters_sort_paging_and_download(viewer, organisation, snapshots, monkeypatch) -> None:
    monkeypatch.setattr(
        structure_tables, "SNAPSHOTS", dataclasses.replace(structure_tables.SNAPSHOTS, page_size=4)
    )
    url = _url(organisation)
    html = page(viewer.get(url, {"kind": "as_is", "status": "approved", "sort": "name"}))
    assert column(html, 1) == ["Structure 01", "Structure 03", "Structure 05", "Structure 07"]
    assert text(html, ".gt-page-range") == "Showing 1 to 4 of 6 snapshots"
    dated = page(viewer.get(url, {"effective-from": "1/3/2025", "effective-to": "31/5/2025"}))
    assert column(dated, 1) == ["Structure 04", "Structure 03", "Structure 02"]
    found = page(viewer.get(url, {"q": "structure 2"}))
    assert column(found, 1) == ["Structure 21", "Structure 20"]  # undated: newest first
    response = viewer.get(url, {"kind": "proposed", "download": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Snapshot", "Kind", "Status", "Effective date", "Posts", "Based on"]
    assert sorted(r[0] for r in rows[1:]) == [f"Structure {n}" for n in range(12, 22)]
    assert {r[4] for r in rows[1:]} == {"3"}


@pytest.mark.parametrize(
    "query", [{"kind": "x"}, {"effective-from": "yesterday"}, {"sort": "base", "order": "no"}]
)
def test_bad_parameters_never_fail(viewer, organisation, snapshots, query) -> None:
    assert viewer.get(_url(organisation), query).status_code == 200
