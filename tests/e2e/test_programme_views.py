"""The programme's page, timeline, board and improvement plan in a browser: axe, a phone, paper."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in, watched_context
from tests.e2e.test_accessibility import axe_violations, describe
from tests.e2e.test_register_layout import _page_width, _widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(demo: Any) -> list[str]:
    from tests.programme.overview_data import plan_programme

    programme, _ = plan_programme(demo, actions=30)
    base = f"/o/{demo.slug}/programme/{programme.pk}/"
    return [base, base + "timeline/", base + "board/", base + "improvement-plan/"]


def test_the_programme_views_pass_axe_and_draw_the_chart(page, live_server) -> None:
    from goldenthread.demo.builder import demo_load

    demo = demo_load(password=DEMO_PASSWORD).organisation
    paths = _pages(demo)
    sign_in(page, live_server.url, "demo-viewer")
    failures = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            failures[path] = describe(violations)
    assert failures == {}
    page.goto(f"{live_server.url}{paths[1]}")
    page.wait_for_selector("#chart-gantt .main-svg")


def test_the_views_fit_a_phone(browser, live_server, csp_violations) -> None:
    from goldenthread.demo.builder import demo_load

    demo = demo_load(password=DEMO_PASSWORD).organisation
    paths = _pages(demo)
    context = watched_context(browser, csp_violations, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "demo-viewer")
    wide = []
    for path in paths[1:]:  # the views; the programme's own page is the plan's
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        scroll, shown = _page_width(page)
        if scroll > shown:
            wide.append(f"{path} is {scroll}px on {shown}px: {_widest(page)}")
    context.close()
    assert wide == []


def test_the_improvement_plan_prints_on_a4_landscape(page, live_server) -> None:
    from goldenthread.demo.builder import demo_load

    demo = demo_load(password=DEMO_PASSWORD).organisation
    plan = _pages(demo)[3]
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}{plan}")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").is_visible()
    assert not page.locator(".gt-improvement-plan .govuk-button").is_visible()
    # The table fits the width of A4 landscape less its margins (277 mm at 96 px an inch).
    page.set_viewport_size({"width": 1047, "height": 740})
    width = page.evaluate("document.querySelector('.gt-plan-table').getBoundingClientRect().width")
    assert width <= 1047
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
