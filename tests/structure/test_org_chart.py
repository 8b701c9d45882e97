"""The org chart: the open part of the reporting lines, as a nested list the script draws."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.structure import orgchart
from goldenthread.structure.models import Post, Snapshot
from tests.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD, OrganisationFactory, member, snapshot_of
from tests.html import attribute, hrefs, parse, select, text
from tests.structure import test_pages
from tests.structure.test_pages import _as_is, _url

pytestmark = pytest.mark.django_db

viewer = test_pages.viewer

BOX = "li[data-gt-orgchart-box]"
TOP = "ul.gt-orgchart__list--top > " + BOX


def _box_ids(response, css: str = BOX) -> list[str]:
    return attribute(response, css, "data-post-id")


def test_the_chart_opens_at_the_top_two_levels_deep_in_a_fixed_number_of_queries(
    viewer, demo, django_assert_num_queries
) -> None:
    snapshot = _as_is(demo)
    url = _url("org_chart", demo, snapshot_id=snapshot.pk)
    viewer.get(url)  # the posts' layers and spans are stored by the first view
    # session, user, membership, snapshot, the top posts, one query for each
    # of the two levels below them, the shell's organisations
    with django_assert_num_queries(8):
        response = viewer.get(url)
    assert response.status_code == 200
    top = Post.objects.get(snapshot=snapshot, manager_position=None)
    directors = list(
        Post.objects.filter(snapshot=snapshot, manager_position=top.position).order_by("position")
    )
    below = Post.objects.filter(
        snapshot=snapshot, manager_position__in=[d.position for d in directors]
    )
    assert _box_ids(response, TOP) == [top.post_id]
    assert _box_ids(response, f"{TOP} > ul > {BOX}") == [d.post_id for d in directors]
    assert sorted(_box_ids(response, f"{TOP} > ul > {BOX} > ul > {BOX}")) == sorted(
        below.values_list("post_id", flat=True)
    )
    # Nothing deeper is sent: the third level is closed, each with a way to open it.
    assert select(response, f"{TOP} > ul > {BOX} > ul > {BOX} > ul") == []
    managers_below = [p for p in below if p.span]
    opens = hrefs(response, ".gt-orgchart__open")
    assert len(opens) == len(managers_below)
    assert opens[0] == _url(
        "org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=managers_below[0].pk
    )
    # Each box: title, ID, grade, FTE, cost, layer and span.
    facts = select(response, f"{TOP} > .gt-orgchart__card .gt-orgchart__facts")
    assert facts == [
        f"Grade {top.grade} · 1 FTE · £{top.cost:,.0f} · layer 1 · {len(directors)} direct reports"
    ]
    assert select(response, f"{TOP} > .gt-orgchart__card .gt-orgchart__title") == [top.title]
    assert attribute(response, TOP, "data-reports-url") == [
        _url("org_chart_reports", demo, snapshot_id=snapshot.pk, post_pk=top.pk)
    ]
    # The script that draws the chart is a file, and the page holds no inline script.
    assert attribute(response, "script[src*='orgchart']", "type") == ["module"]
    assert all(script.get("src") for script in parse(response).select("script"))


def test_a_post_chart_starts_at_the_post_and_goes_up_to_its_manager(
    viewer, demo, django_assert_num_queries
) -> None:
    snapshot = _as_is(demo)
    post = Post.objects.filter(snapshot=snapshot, layer=2).order_by("position").first()
    manager = Post.objects.get(snapshot=snapshot, position=post.manager_position)
    url = _url("org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=post.pk)
    viewer.get(url)
    # session, user, membership, snapshot, post, two levels below it, its
    # manager, the shell's organisations
    with django_assert_num_queries(9):
        response = viewer.get(url)
    assert _box_ids(response, TOP) == [post.post_id]
    assert select(response, "h1") == [f"Org chart: {post.title}"]
    up = _url("org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=manager.pk)
    assert hrefs(response, ".gt-orgchart__nav a")[0] == up
    assert select(response, ".gt-orgchart__nav a")[0] == (
        f"Up to the manager: {manager.title} ({manager.post_id})"
    )
    # The top post has no manager to go up to.
    top = Post.objects.get(snapshot=snapshot, manager_position=None)
    response = viewer.get(_url("org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=top.pk))
    assert not any("Up to the manager" in link for link in select(response, ".gt-orgchart__nav a"))


def test_a_unit_chart_starts_at_the_posts_whose_manager_is_outside_the_unit(viewer, demo) -> None:
    snapshot = _as_is(demo)
    unit = Unit.objects.get(organisation=demo, name="Adult Social Care")
    response = viewer.get(_url("org_chart_unit", demo, snapshot_id=snapshot.pk, unit_id=unit.pk))
    assert response.status_code == 200
    inside = {u.pk for u in Unit.objects.filter(organisation=demo) if _within(u, unit)}
    posts = list(Post.objects.filter(snapshot=snapshot, unit_id__in=inside))
    positions = {p.position for p in posts}
    heads = sorted(
        (p for p in posts if p.manager_position not in positions), key=lambda p: p.position
    )
    assert heads, "the unit has posts"
    assert _box_ids(response, TOP) == [p.post_id for p in heads[: orgchart.TOP_SHOWN]]
    assert "The posts of Adult Social Care as a table" in select(response, ".gt-orgchart__nav a")


def _within(unit: Unit, ancestor: Unit) -> bool:
    cursor: Unit | None = unit
    while cursor is not None:
        if cursor.pk == ancestor.pk:
            return True
        cursor = cursor.parent
    return False


def test_opening_a_box_answers_that_box_with_the_levels_below_it(
    viewer, demo, django_assert_num_queries
) -> None:
    snapshot = _as_is(demo)
    post = Post.objects.filter(snapshot=snapshot, layer=3, span__gt=0).order_by("position").first()
    url = _url("org_chart_reports", demo, snapshot_id=snapshot.pk, post_pk=post.pk)
    viewer.get(url)
    # session, user, membership, snapshot, post, two levels below it
    with django_assert_num_queries(7):
        response = viewer.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<main" not in html
    outer = parse(response).find_all(True, recursive=False)
    assert [element.get("id") for element in outer] == [f"chart-post-{post.pk}"]
    reports = Post.objects.filter(snapshot=snapshot, manager_position=post.position)
    assert sorted(_box_ids(response, f"#chart-post-{post.pk} > ul > {BOX}")) == sorted(
        reports.values_list("post_id", flat=True)
    )


@pytest.fixture
def wide(db):
    """A chief executive with 40 direct reports, each with 5, and 33 more top posts."""
    organisation = OrganisationFactory(name="Wide Council", slug="wide")
    rows = [("CX", "", "Chief Executive", "Corporate")]
    for d in range(40):
        rows.append((f"D{d:02d}", "CX", f"Director {d}", "Corporate"))
        rows.extend((f"D{d:02d}-{s}", f"D{d:02d}", "Officer", "Corporate") for s in range(5))
    rows.extend((f"T{t:02d}", "", f"Top post {t}", "Corporate") for t in range(33))
    snapshot = snapshot_of(organisation, rows)
    member(organisation, Role.VIEWER, username="wide-viewer")
    return organisation, snapshot


def test_a_box_shows_at_most_its_first_reports_and_counts_the_rest(client, wide) -> None:
    organisation, snapshot = wide
    client.login(username="wide-viewer", password=PASSWORD)
    response = client.get(_url("org_chart", organisation, snapshot_id=snapshot.pk))
    # 34 top posts: the first 30 are shown, and the rest counted with a link to the register.
    assert len(select(response, TOP)) == orgchart.TOP_SHOWN
    assert select(response, ".gt-orgchart > .gt-orgchart__more") == [
        "And 4 more top posts: see every post in the posts register."
    ]
    chief = f"{TOP}#chart-post-{Post.objects.get(snapshot=snapshot, post_id='CX').pk}"
    directors = _box_ids(response, f"{chief} > ul > {BOX}")
    assert directors == [f"D{d:02d}" for d in range(orgchart.REPORTS_SHOWN)]
    assert select(response, f"{chief} > .gt-orgchart__more") == [
        "And 10 more direct reports: see every direct report of Chief Executive"
    ]
    # The second level opens only while the response stays within its boxes.
    shown = len(select(response, BOX))
    assert shown <= orgchart.BOXES
    closed = select(response, f"{chief} > ul > {BOX} .gt-orgchart__open")
    assert closed, "some directors' reports did not fit and stay closed"
    assert (
        closed[0]
        == "Show the 5 direct reports of "
        + select(response, f"{chief} > ul > {BOX}:not(:has(ul)) .gt-orgchart__title")[0]
    )


def test_junior_staff_are_a_line_in_their_senior_posts_box_and_vacancies_are_marked(
    client, wide
) -> None:
    organisation, snapshot = wide
    Post.objects.filter(snapshot=snapshot, post_id="D00").update(
        junior_fte=11016.5, junior_cost=Decimal("310000.50"), junior_unknown_cost=2, vacant=True
    )
    client.login(username="wide-viewer", password=PASSWORD)
    director = Post.objects.get(snapshot=snapshot, post_id="D00")
    response = client.get(
        _url("org_chart_post", organisation, snapshot_id=snapshot.pk, post_pk=director.pk)
    )
    box = f"#chart-post-{director.pk}"
    assert select(response, f"{box} > .gt-orgchart__card .gt-orgchart__junior") == [
        "Junior staff below this post: 11,016.5 FTE, £310,000.50 (2 without a known cost)"
    ]
    assert attribute(response, box, "data-junior") == ["11,016.5 FTE, £310,000.50"]
    # The chart draws the FTE and the cost on lines of their own.
    assert attribute(response, box, "data-junior-fte") == ["11,016.5"]
    assert attribute(response, box, "data-junior-cost") == ["£310,000.50"]
    # Junior staff are no boxes: the director and its five officers only.
    assert len(select(response, BOX)) == 6
    assert select(response, f"{box} > .gt-orgchart__card .gt-orgchart__vacant") == ["Vacant"]
    assert attribute(response, box, "data-vacant") == [""]


def test_the_chart_is_linked_from_the_dashboard_the_unit_page_and_the_post_page(
    viewer, demo
) -> None:
    snapshot = _as_is(demo)
    chart = _url("org_chart", demo, snapshot_id=snapshot.pk)
    assert chart in hrefs(viewer.get(_url("snapshot_detail", demo, snapshot_id=snapshot.pk)), "a")
    unit = Unit.objects.get(organisation=demo, name="Adult Social Care")
    page = viewer.get(_url("snapshot_unit", demo, snapshot_id=snapshot.pk, unit_id=unit.pk))
    assert _url("org_chart_unit", demo, snapshot_id=snapshot.pk, unit_id=unit.pk) in hrefs(
        page, "a"
    )
    post = Post.objects.filter(snapshot=snapshot).order_by("position").first()
    page = viewer.get(_url("post_detail", demo, snapshot_id=snapshot.pk, post_pk=post.pk))
    assert _url("org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=post.pk) in hrefs(
        page, "a"
    )


def test_the_chart_stores_layers_and_spans_a_change_made_stale(viewer, demo) -> None:
    snapshot = _as_is(demo)
    top = Post.objects.get(snapshot=snapshot, manager_position=None)
    Post.objects.filter(snapshot=snapshot).update(layer=None, span=None)
    Snapshot.objects.filter(pk=snapshot.pk).update(figures_version=None)
    response = viewer.get(_url("org_chart", demo, snapshot_id=snapshot.pk))
    assert attribute(response, TOP, "data-layer") == ["1"]
    spans = Post.objects.filter(snapshot=snapshot, manager_position=top.position).count()
    assert attribute(response, TOP, "data-span") == [str(spans)]


def test_another_organisations_chart_is_not_found(client, demo, wide) -> None:
    organisation, snapshot = wide
    client.login(username="demo-viewer", password=DEMO_PASSWORD)
    post = Post.objects.filter(snapshot=snapshot).first()
    unit = Unit.objects.filter(organisation=organisation).first()
    own = _as_is(demo)
    own_post = Post.objects.filter(snapshot=own).first()
    urls = [
        # The other organisation's snapshot under its own address, and under ours.
        _url("org_chart", organisation, snapshot_id=snapshot.pk),
        _url("org_chart", demo, snapshot_id=snapshot.pk),
        _url("org_chart_post", demo, snapshot_id=snapshot.pk, post_pk=post.pk),
        _url("org_chart_reports", demo, snapshot_id=snapshot.pk, post_pk=post.pk),
        # Our snapshot with the other organisation's post or unit.
        _url("org_chart_post", demo, snapshot_id=own.pk, post_pk=post.pk),
        _url("org_chart_reports", demo, snapshot_id=own.pk, post_pk=post.pk),
        _url("org_chart_unit", demo, snapshot_id=own.pk, unit_id=unit.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Director 0" not in text(response)
    # A post of our own snapshot is found, so the refusals above are about whose it is.
    ok = client.get(_url("org_chart_reports", demo, snapshot_id=own.pk, post_pk=own_post.pk))
    assert ok.status_code == 200
