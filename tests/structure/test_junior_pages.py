"""The structure pages of the MOD 2016 senior and junior files: junior staff in their place."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from functools import cache

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.analysis.structure import Structure
from goldenthread.core.models import Unit
from goldenthread.formats.money import pounds
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import build_structure
from goldenthread.structure.models import Post, Snapshot
from goldenthread.structure.services import snapshot_create_from_structure
from tests.html import select, select_one
from tests.structure.conftest import real_file

pytestmark = pytest.mark.django_db

SENIOR = "ministry_of_defence-2016-03-31-senior.csv"
JUNIOR = "ministry_of_defence-2016-03-31-junior.csv"
EARLIER = "ministry_of_defence-2015-09-30-senior.csv"


@cache
def _structure(*names: str) -> Structure:
    return build_structure(
        read_organogram(*(real_file(name) for name in names)), lenient=True
    ).structure


@pytest.fixture
def mod_2016(organisation) -> Snapshot:
    return snapshot_create_from_structure(
        organisation=organisation, structure=_structure(SENIOR, JUNIOR), name="MOD 2016"
    )


def _get(client, organisation, name: str, **kwargs):
    url = reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})
    response = client.get(url)
    assert response.status_code == 200
    return response


def _dashboard(client, organisation, snapshot):
    return _get(client, organisation, "snapshot_detail", snapshot_id=snapshot.pk)


def _headline(response) -> dict[str, str]:
    keys = select(response, "#headline-figures .govuk-summary-list__key")
    values = select(response, "#headline-figures .govuk-summary-list__value")
    return dict(zip(keys, values, strict=True))


def test_the_layers_table_counts_junior_staff_in_the_layer_below_their_post(
    viewer, organisation, mod_2016
) -> None:
    response = _dashboard(viewer, organisation, mod_2016)
    assert select(response, "#layers-table thead th") == [
        "Layer",
        "Posts",
        "FTE of posts",
        "Known cost of posts",
        "Junior staff (FTE)",
        "Known cost of junior staff",
    ]
    rows = [select(row, "th, td") for row in _rows(response, "#layers-table tbody tr")]
    assert rows == [
        ["1", "11", "11.0", "£1,747,495.50", "0.0", "£0"],
        ["2", "78", "78.7", "£6,742,473.50", "190,841.2", _junior_cost(mod_2016, 2)],
        ["3", "251", "251.0", "£11,292,450.50", "582.4", _junior_cost(mod_2016, 3)],
        ["4", "363", "362.9", "£117,499.50", "0.0", "£0"],
        ["5", "1", "1.0", "–", "0.0", "£0"],
    ]
    # The stored posts keep each post's junior staff cost to the penny, by the
    # engine's rule: the page's layer 2 is the engine's figure read from the file.
    assert _junior_cost(mod_2016, 2) == "£6,285,382,105.94"


def _junior_cost(snapshot: Snapshot, layer: int) -> str:
    """The known cost of the junior staff of the stored posts one layer up, added up here."""
    posts = Post.objects.filter(snapshot=snapshot, layer=layer - 1)
    return pounds(sum(posts.values_list("junior_cost", flat=True), Decimal(0)))


def test_the_layers_chart_draws_junior_staff_as_a_series_of_their_own(
    viewer, organisation, mod_2016
) -> None:
    response = _dashboard(viewer, organisation, mod_2016)
    plot = json.loads(select_one(response, "#structure-charts"))
    assert [(r["layer"], r["posts"], r["fte"], r["junior_fte"]) for r in plot["layers"]] == [
        (1, 11, 11.0, 0.0),
        (2, 78, 78.7, 190841.2),
        (3, 251, 251.0, 582.4),
        (4, 363, 362.9, 0.0),
        (5, 1, 1.0, 0.0),
    ]


def test_the_dashboard_says_how_junior_rows_are_counted(viewer, organisation, mod_2016) -> None:
    response = _dashboard(viewer, organisation, mod_2016)
    note = " ".join(select(response, "#junior-staff p"))
    for words in (
        "191,423.6 FTE of junior staff report to 23 posts",
        "aggregated rows",
        "not posts",
        "in the layer below the post they report to",
        "FTE, not posts",
        "never change layers, spans",
        "a post's own FTE and cost never include them",
        "22 junior rows have no known pay",
    ):
        assert words in note, words
    headline = _headline(response)
    assert headline["Posts"] == "704"
    assert headline["FTE"] == "192,128.2: posts 704.6, junior staff 191,423.6"
    assert headline["Known annual cost"] == (
        "£6,329,136,127.39: posts £19,899,919, junior staff £6,309,236,208.39 "
        "(at least: 542 posts and 22 junior rows without a known cost)"
    )


def test_a_snapshot_without_junior_staff_says_nothing_of_them(viewer, organisation) -> None:
    snapshot = snapshot_create_from_structure(
        organisation=organisation, structure=_structure(EARLIER), name="MOD 2015"
    )
    response = _dashboard(viewer, organisation, snapshot)
    assert select(response, "#junior-staff") == []
    assert select(response, "#layers-table thead th") == [
        "Layer",
        "Posts",
        "FTE of posts",
        "Known cost of posts",
    ]
    assert "junior" not in _headline(response)["FTE"]


def test_the_unit_table_and_unit_page_keep_junior_staff_apart(
    viewer, organisation, mod_2016
) -> None:
    response = _dashboard(viewer, organisation, mod_2016)
    headers = select(response, "#unit-table thead th")
    assert headers == [
        "Unit",
        "Posts",
        "Managers",
        "FTE of posts",
        "Known cost of posts",
        "Junior staff (FTE)",
        "Known cost of junior staff",
    ]
    army = next(
        select(row, "th, td")
        for row in _rows(response, "#unit-table tbody tr")
        if select(row, "th") == ["Army Command"]
    )
    assert army[1:] == ["112", "27", "112.0", "£3,574,985", "87,792.6", "£2,747,109,766.09"]
    unit = Unit.objects.get(organisation=organisation, name="Army Command")
    page = _get(viewer, organisation, "snapshot_unit", snapshot_id=mod_2016.pk, unit_id=unit.pk)
    keys = select(page, ".govuk-summary-list__key")
    values = dict(zip(keys, select(page, ".govuk-summary-list__value"), strict=True))
    assert values["FTE of posts"] == "112.0"
    assert values["Known annual cost of posts"].startswith("£3,574,985")
    assert values["Junior staff"] == (
        "87,792.6 FTE reporting to these posts, known cost £2,747,109,766.09 "
        "(1 junior row without known pay)"
    )


def test_a_post_page_gives_its_own_cost_and_its_junior_staff_apart(
    viewer, organisation, mod_2016
) -> None:
    post = Post.objects.get(snapshot=mod_2016, post_id="1167535")  # Chief of the General Staff
    page = _get(viewer, organisation, "post_detail", snapshot_id=mod_2016.pk, post_pk=post.pk)
    keys = select(page, ".govuk-summary-list__key")
    values = dict(zip(keys, select(page, ".govuk-summary-list__value"), strict=True))
    assert values["FTE"] == "1"
    assert values["Annual cost"] == "£177,499.50"
    assert values["Junior staff reporting to this post"] == (
        "87,792.6 FTE, known cost £2,747,109,766.09 (1 junior row without known pay)"
    )
    below = values["Junior staff below this post"]
    assert below.startswith("87,792.6 FTE in all")


def test_the_post_list_gives_each_posts_own_figures_and_downloads_its_junior_staff(
    viewer, organisation, mod_2016
) -> None:
    url = reverse(
        "structure:post_list", kwargs={"org_slug": organisation.slug, "snapshot_id": mod_2016.pk}
    )
    response = viewer.get(url, {"q": "1167535"})
    assert response.status_code == 200
    # A sortable heading says how it sorts, after a comma, to screen readers.
    headers = [h.split(",")[0] for h in select(response, "#register-rows thead th")]
    cells = select(response, "#register-rows tbody tr:first-child td")
    row = dict(zip(headers, cells, strict=True))
    assert (row["FTE"], row["Cost"]) == ("1", "£177,499.50")
    download = viewer.get(url, {"q": "1167535", "download": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [
        (r["FTE"], r["Cost"], r["Junior staff (FTE)"], r["Junior staff cost"]) for r in rows
    ] == [("1", "177499.50", "87792.63", "2747109766.09")]


def test_the_comparison_adds_a_post_at_its_own_cost_and_gives_junior_staff_apart(
    viewer, organisation, mod_2016
) -> None:
    earlier = snapshot_create_from_structure(
        organisation=organisation, structure=_structure(EARLIER), name="MOD 2015"
    )
    url = reverse("structure:compare", kwargs={"org_slug": organisation.slug})
    response = viewer.get(url, {"old": earlier.pk, "new": mod_2016.pk})
    assert response.status_code == 200
    added = next(
        table
        for table in _rows(response, "table")
        if "Posts added" in " ".join(select(table, "caption"))
    )
    chief = next(
        select(row, "td") for row in added.select("tbody tr") if "00212421" in row.get_text()
    )
    assert chief == [
        "00212421",
        "Chief Executive Officer",
        "Defence Equipment and Support",
        "£287,499.50",
        "11,016.5",
    ]
    summary = " ".join(select(response, "#junior-staff-changes p, #junior-staff-changes dd"))
    assert "0.0 FTE before, 191,423.6 after" in summary
    assert "Only one of the two snapshots has junior staff" in summary
    saving = dict(
        zip(
            select(response, ".govuk-summary-list__key"),
            select(response, ".govuk-summary-list__value"),
            strict=True,
        )
    )
    assert saving["Staffing saving"].startswith("−£657,498.50 a year")
    changed = [select(row, "td") for row in _rows(response, "#junior-staff-changes tbody tr")]
    assert len(changed) == 23
    assert ["00212421", "Chief Executive Officer", "0.0", "11,016.5", "£0"] in [
        row[:5] for row in changed
    ]


def _rows(response, css: str):
    from tests.html import parse

    return parse(response).select(css)


def test_the_workbook_gives_junior_staff_apart_by_unit_and_in_the_summary(
    viewer, organisation, mod_2016
) -> None:
    url = reverse(
        "structure:snapshot_export",
        kwargs={"org_slug": organisation.slug, "snapshot_id": mod_2016.pk, "fmt": "xlsx"},
    )
    response = viewer.get(url)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    units = book.get_sheet_by_name("Units").to_python()
    assert units[0] == [
        "unit",
        "posts",
        "managers",
        "vacant",
        "fte",
        "cost",
        "unknown_cost_posts",
        "junior_fte",
        "junior_cost",
        "junior_unknown_cost_rows",
    ]
    army = next(row for row in units if row[0] == "Army Command")
    assert army[4:] == [112.0, 3574985.0, 82.0, 87792.63, 2747109766.09, 1.0]
    summary = dict(book.get_sheet_by_name("Summary").to_python()[1:])
    assert summary["FTE of posts"] == 704.62
    assert summary["FTE of junior staff"] == 191423.62
    assert summary["Known cost of posts (£)"] == 19899919.0
    assert summary["Junior rows with unknown cost"] == 22.0
