"""The dashboard, browse, search, comparison and export pages of the demo council."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.structure import demo as structure_demo
from goldenthread.structure import services
from goldenthread.structure.models import Post, Snapshot
from goldenthread.structure.selectors import snapshot_figures
from tests.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD, member
from tests.html import attribute, column, hrefs, page, select
from tests.submitting import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, demo):
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    return client


def _as_is(demo) -> Snapshot:
    return Snapshot.objects.get(organisation=demo, name=structure_demo.AS_IS)


def _url(name: str, demo, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": demo.slug, **kwargs})


def test_the_snapshot_list_has_a_fixed_number_of_queries(
    viewer, demo, django_assert_num_queries
) -> None:
    # session, user, membership, the shell's organisations, whether there are
    # snapshots, count, rows
    with django_assert_num_queries(7):
        response = viewer.get(_url("snapshot_list", demo))
    assert response.status_code == 200
    assert structure_demo.PROPOSED in response.content.decode()


def test_the_dashboard_shows_headline_figures_charts_tables_and_exceptions(viewer, demo) -> None:
    snapshot = _as_is(demo)
    response = viewer.get(_url("snapshot_detail", demo, snapshot_id=snapshot.pk))
    html = response.content.decode()
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.posts == snapshot.post_count
    for heading in (
        "Headline figures",
        "Posts and FTE by layer",
        "Spans of control",
        "Narrow spans",
        "Over-wide spans",
        "Single-report chains",
    ):
        assert heading in html
    # Each chart is an image with a label, and its figures are in a table too.
    assert html.count('role="img"') == 4
    assert 'id="structure-charts"' in html
    assert "<script>" not in html.replace("<script src=", "")
    # The spans sentence adds up: below, within and above the band are every
    # manager; the narrow spans are some of those below.
    assert (
        summary.below_target_spans + summary.within_target_spans + summary.wide_spans
        == summary.managers
    )
    sentence = next(p for p in select(response, "main p") if "below the target band" in p)
    assert sentence.startswith(
        f"{summary.managers} managers: {summary.below_target_spans} below the target band "
        f"(of whom {summary.narrow_spans} with a narrow span of 1 to "
    )


MENU_ITEMS = "> a.govuk-button.govuk-button--secondary.moj-button-menu__item"


@pytest.mark.parametrize(
    ("username", "actions"),
    [
        ("demo-viewer", ["See the history of this snapshot"]),
        (
            "demo-editor",
            [
                # The demo's as-is is approved, so its details can no longer be changed.
                "Create a scenario from this snapshot",
                "See the history of this snapshot",
            ],
        ),
    ],
)
def test_the_dashboards_actions_and_downloads_are_moj_button_menus(
    client, demo, username, actions
) -> None:
    client.login(username=username, password=DEMO_PASSWORD)
    snapshot = _as_is(demo)
    html = page(client.get(_url("snapshot_detail", demo, snapshot_id=snapshot.pk)))
    menus = "main .moj-button-menu[data-module=moj-button-menu]"
    assert attribute(html, menus, "data-button-text") == [
        "More actions",
        "Download this snapshot",
    ]
    # Without JavaScript each is a row of secondary buttons.
    assert select(html, f".gt-snapshot-actions .moj-button-menu {MENU_ITEMS}") == actions
    downloads = f".moj-button-menu.gt-downloads {MENU_ITEMS}[download]"
    assert select(html, downloads) == [
        "Excel workbook",
        "Organogram senior file (CSV)",
        "Organogram junior file (CSV)",
        "Transparency file, top three tiers (CSV)",
        "Transparency file, every tier (CSV)",
    ]
    export = _url("snapshot_export", demo, snapshot_id=snapshot.pk, fmt="transparency.csv")
    assert hrefs(html, downloads)[-2:] == [export, f"{export}?tiers=all"]
    # Deleting stays a warning button of its own, never an item in a menu.
    warning = select(html, ".gt-snapshot-actions > a.govuk-button--warning")
    # The approved as-is can be deleted by an admin only: neither of these sees the button.
    assert warning == []


def test_the_design_rules_change_the_exceptions(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    response = submit(
        client,
        _url("design_rules", demo),
        {"target_span_min": "4", "target_span_max": "6", "narrow_span_max": "1", "max_layers": "5"},
    )
    assert response.status_code == 302
    snapshot = _as_is(demo)
    page = client.get(_url("snapshot_detail", demo, snapshot_id=snapshot.pk))
    assert "Posts deeper than the rule" in page.content.decode()
    assert page.context["rules"].max_layers == 5


def test_design_rules_out_of_order_are_refused(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    response = submit(
        client,
        _url("design_rules", demo),
        {"target_span_min": "9", "target_span_max": "6", "narrow_span_max": "1"},
    )
    assert services.SPAN_BAND_ORDER in response.content.decode()


def test_posts_page_searches_by_title_grade_and_id_with_fixed_queries(
    viewer, demo, django_assert_num_queries
) -> None:
    snapshot = _as_is(demo)
    url = _url("post_list", demo, snapshot_id=snapshot.pk)
    viewer.get(url)  # the grades and layers offered are kept for the snapshot's version
    with django_assert_num_queries(9):
        response = viewer.get(url)
    assert len(column(page(response), 2)) == 50
    assert column(page(viewer.get(url, {"q": "PEO2"})), 2) == ["PEO2"]
    assert column(page(viewer.get(url, {"q": "chief executive"})), 2) == ["CX1"]
    directors = page(viewer.get(url, {"q": "Director"}))
    # Every post whose title holds "director" (any case) or whose grade is Director,
    # and no other: an empty or partial result fails.
    assert sorted(column(directors, 2)) == sorted(
        [
            *("PEO1", "PEO2", "PEO5", "PEO8", "PEO9", "PEO10"),
            *("PLA1", "PLA2", "PLA4", "PLA6", "PLA8"),
            *("RES1", "RES2", "RES3", "RES5", "RES6", "RES7", "RES8", "RES10", "RES11", "RES13"),
            *("SHS1", "SHS2", "SHS4", "SHS9"),
        ]
    )
    titles, grades = column(directors, 1), column(directors, 3)
    assert all(
        "director" in title.lower() or grade == "Director"
        for title, grade in zip(titles, grades, strict=True)
    )
    assert column(page(viewer.get(url, {"q": "no such post anywhere"})), 2) == []


def test_a_post_page_shows_its_chain_to_the_top_and_its_reports(viewer, demo) -> None:
    snapshot = _as_is(demo)
    post = Post.objects.get(snapshot=snapshot, post_id="PEO3")
    response = viewer.get(_url("post_detail", demo, snapshot_id=snapshot.pk, post_pk=post.pk))
    chain = [p.post_id for p in response.context["chain"]]
    assert chain == ["CX1", "PEO1", "PEO2"]
    assert response.context["span"] == len(response.context["reports"])
    assert response.context["span"] >= 1


def test_a_unit_page_rolls_up_the_units_inside_with_fixed_queries(
    viewer, demo, django_assert_max_num_queries
) -> None:
    snapshot = _as_is(demo)
    people = Post.objects.get(snapshot=snapshot, post_id="PEO1").unit
    url = _url("snapshot_unit", demo, snapshot_id=snapshot.pk, unit_id=people.pk)
    viewer.get(url)
    with django_assert_max_num_queries(14):
        response = viewer.get(url)
    rollup = response.context["rollup"]
    in_people = Post.objects.filter(snapshot=snapshot, unit_path__startswith="People").count()
    assert rollup.posts == in_people


def test_the_comparison_gives_seed_000s_table_and_the_saving(viewer, demo) -> None:
    as_is = _as_is(demo)
    proposed = Snapshot.objects.get(organisation=demo, name=structure_demo.PROPOSED)
    response = viewer.get(_url("compare", demo), {"old": as_is.pk, "new": proposed.pk})
    html = response.content.decode()
    assert "Roles per directorate" in html
    rows = {r["name"]: r for r in response.context["directorates"]}
    assert rows["People"]["difference"] == 2
    diff = response.context["diff"]
    # The demo has grade bands: the two assistant directors removed cost the AD band.
    assert diff.redundancy.basis == "bands"
    assert diff.redundancy_cost == diff.redundancies * structure_demo.REDUNDANCY_BANDS["AD"]
    # Filtering by unit narrows the lists.
    place = viewer.get(
        _url("compare", demo), {"old": as_is.pk, "new": proposed.pk, "unit": "Place"}
    )
    removed = {t: items for t, items, _, _ in place.context["lists"]}["Posts removed"]
    assert [r.post_id for r in removed] == ["PLA8"]


def test_comparing_a_snapshot_with_itself_is_refused(viewer, demo) -> None:
    as_is = _as_is(demo)
    response = viewer.get(_url("compare", demo), {"old": as_is.pk, "new": as_is.pk})
    assert "Choose two different snapshots" in response.content.decode()


def _reimport(client, demo, capture, name: str, data: bytes, extra=None, junior=None):
    from tests.structure.conftest import confirm_latest_run, upload

    upload(
        client,
        demo,
        name,
        data,
        capture,
        snapshot_name=f"Reimport of {name}",
        extra=extra,
        junior=junior,
    )
    confirm_latest_run(client, demo, capture)
    return Snapshot.objects.get(organisation=demo, name=f"Reimport of {name}")


def _same(demo, a: Snapshot, b: Snapshot, *, cost: bool = True) -> None:
    fa, fb = (
        snapshot_figures(organisation=demo, snapshot=a),
        snapshot_figures(organisation=demo, snapshot=b),
    )
    sa, sb = fa.structure, fb.structure
    assert sa.post_id.to_list() == sb.post_id.to_list()
    assert sa.parent.tolist() == sb.parent.tolist()
    assert sa.title.to_list() == sb.title.to_list()
    assert sa.unit.to_list() == sb.unit.to_list()
    assert sa.vacant.tolist() == sb.vacant.tolist()
    if cost:
        assert fa.summary.total_cost == fb.summary.total_cost


def test_exports_read_back_to_the_same_structure(
    client, demo, django_capture_on_commit_callbacks
) -> None:
    member(demo, Role.EDITOR, username="exporter")
    client.login(username="exporter", password=PASSWORD)
    snapshot = _as_is(demo)

    def export(fmt: str, **query: str):
        url = _url("snapshot_export", demo, snapshot_id=snapshot.pk, fmt=fmt)
        return client.get(url, query)

    workbook = export("xlsx")
    assert workbook["Content-Disposition"].endswith('.xlsx"')
    sheets = CalamineWorkbook.from_filelike(io.BytesIO(workbook.content)).sheet_names
    assert sheets == ["About this file", "Posts", "Units", "Exceptions", "Summary"]
    preset = services.column_mapping_save(
        organisation=demo,
        name="goldenthread export",
        columns={
            k: k
            for k in ("post_id", "reports_to", "title", "grade", "fte", "cost", "vacant", "agency")
        }
        | {"unit": ["unit"]},
    )
    again = _reimport(
        client,
        demo,
        django_capture_on_commit_callbacks,
        "export.xlsx",
        workbook.content,
        extra={"mapping": preset.pk, "fmt": "table"},
    )
    _same(demo, snapshot, again)

    senior = export("senior.csv").content
    again = _reimport(client, demo, django_capture_on_commit_callbacks, "senior.csv", senior)
    _same(demo, snapshot, again)

    lga = export("transparency.csv", tiers="all").content
    assert b"95000 - 99999" in lga or b"100000 - 104999" in lga
    again = _reimport(client, demo, django_capture_on_commit_callbacks, "transparency.csv", lga)
    # Senior salaries are published in bands, so only the structure comes back exactly.
    _same(demo, snapshot, again, cost=False)

    top = export("transparency.csv").content.decode().splitlines()
    # Every post, not just the header line, has a level of 1 to 3.
    assert len(top) > 1
    assert top[0].split(",")[2] == "Level"
    assert {line.split(",")[2] for line in top[1:]} <= {"1", "2", "3"}


def test_every_date_in_the_structure_forms_is_a_govuk_date_input(client, demo) -> None:
    client.login(username="demo-editor", password=DEMO_PASSWORD)
    scenario = Snapshot.objects.get(organisation=demo, name=structure_demo.PROPOSED)
    boxes = "fieldset .govuk-date-input#id_effective_date input"
    for url in (
        _url("snapshot_upload", demo),
        _url("snapshot_edit", demo, snapshot_id=scenario.pk),
        _url("scenario_add_post", demo, snapshot_id=scenario.pk),
        _url("scenario_bulk", demo, snapshot_id=scenario.pk),
    ):
        assert attribute(page(client.get(url)), boxes, "name") == [
            "effective_date_day",
            "effective_date_month",
            "effective_date_year",
        ], url
