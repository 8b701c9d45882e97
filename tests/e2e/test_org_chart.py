"""The org chart in a browser: drawn from the list, opened by keyboard and mouse, printed."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in, watched_context
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOXES = "li[data-gt-orgchart-box]"
#: Points of an A4 page on its side.
A4_LANDSCAPE = (842, 595)


@pytest.fixture
def demo_site(live_server):
    from goldenthread.demo.builder import demo_load

    demo_load(password=DEMO_PASSWORD)
    return live_server.url


def _chart_url(demo_site: str) -> str:
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot

    as_is = Snapshot.objects.get(name=structure_demo.AS_IS)
    return f"{demo_site}/o/brackenford/structures/{as_is.pk}/chart/"


def _drawn(page) -> int:
    page.locator(".gt-orgchart--drawn").wait_for()
    return page.locator(".gt-orgchart__svg .gt-orgchart__node").count()


def _visible_boxes(page) -> int:
    return page.locator(f"{BOXES}:visible").count()


def test_the_chart_is_drawn_from_the_list_and_opened_by_keyboard(page, demo_site) -> None:
    sign_in(page, demo_site, "demo-viewer")
    page.goto(_chart_url(demo_site).replace("chart/", ""))
    page.get_by_role("button", name="See the org chart").click()
    assert page.locator("h1").inner_text() == "Org chart"
    # Every box of the list is drawn, and only those.
    assert _drawn(page) == _visible_boxes(page) > 1
    assert describe(axe_violations(page)) == ""

    # A closed box (two levels down): reach its button with the keyboard and open it.
    closed = page.locator(f"{BOXES}:has(> .gt-orgchart__card button[aria-expanded=false])").first
    title = closed.get_attribute("data-title")
    span = int(closed.get_attribute("data-span") or 0)
    box_id = closed.get_attribute("id")
    before = _drawn(page)
    closed.locator(".gt-orgchart__title").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == f"Show the {span} direct report{'s' if span != 1 else ''} of {title}"
    page.keyboard.press("Enter")
    opened = page.locator(f"#{box_id} > .gt-orgchart__card button[aria-expanded=true]")
    opened.wait_for()
    # The reports are in the list and in the chart, and the focus stays on the button.
    reports = page.locator(f"#{box_id} > ul > {BOXES}")
    assert reports.count() == min(span, 30)
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    assert _drawn(page) == _visible_boxes(page) > before
    assert describe(axe_violations(page)) == ""

    # Enter again closes it: out of the list and the chart.
    page.keyboard.press("Enter")
    page.locator(f"#{box_id} > .gt-orgchart__card button[aria-expanded=false]").wait_for()
    assert _drawn(page) == before == _visible_boxes(page)


def test_a_click_on_a_box_in_the_chart_opens_it(page, demo_site) -> None:
    sign_in(page, demo_site, "demo-viewer")
    page.goto(_chart_url(demo_site))
    before = _drawn(page)
    closed = page.locator(f"{BOXES}:has(> .gt-orgchart__card button[aria-expanded=false])").first
    box_id = closed.get_attribute("id")
    page.locator(f'.gt-orgchart__svg g[data-for="{box_id}"]').click()
    page.locator(f"#{box_id} > .gt-orgchart__card button[aria-expanded=true]").wait_for()
    assert _drawn(page) > before
    assert _drawn(page) == _visible_boxes(page)


def test_the_chart_prints_on_one_a4_landscape_page(page, demo_site) -> None:
    sign_in(page, demo_site, "demo-viewer")
    page.goto(_chart_url(demo_site))
    _drawn(page)
    page.emulate_media(media="print")
    # On paper: the chart, not the list, and no buttons.
    assert page.locator(".gt-orgchart__svg").is_visible()
    assert not page.locator(".gt-orgchart__list--top").is_visible()
    svg = page.locator(".gt-orgchart__svg").bounding_box()
    assert svg is not None
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "the PDF names its page size"
    sizes = {(round(float(w)), round(float(h))) for w, h in boxes}
    assert sizes == {A4_LANDSCAPE}
    assert len(boxes) == 1, f"{len(boxes)} pages"


def test_without_javascript_the_list_is_the_chart(browser, csp_violations, demo_site) -> None:
    context = watched_context(
        browser, csp_violations, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        sign_in(page, demo_site, "demo-viewer")
        page.goto(_chart_url(demo_site))
        assert not page.locator(".gt-orgchart__svg").count()
        link = page.locator(".gt-orgchart__open").first
        name = link.text_content() or ""
        assert re.fullmatch(r"Show the \d+ direct reports? of .+", name)
        link.click()
        page.wait_for_load_state("networkidle")
        title = name.split(" of ", 1)[1]
        assert page.locator("h1").inner_text() == f"Org chart: {title}"
        page.get_by_role("link", name=re.compile("^Up to the manager")).click()
        page.wait_for_load_state("networkidle")
        assert page.locator(f"ul.gt-orgchart__list--top > {BOXES} > ul > {BOXES}").count() > 0
    finally:
        context.close()
