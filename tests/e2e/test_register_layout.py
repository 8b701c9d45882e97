"""A register fits the screen it is read on: the filter panel folds away behind a
button on a phone and sits beside the rows on a desktop, and the page never
scrolls sideways (the rows scroll inside their own box when they must).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in, watched_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_posts(browser: Any, live_server: Any, width: int, violations: list[str]) -> Any:
    from goldenthread.demo.builder import demo_load
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot

    demo = demo_load(password=DEMO_PASSWORD).organisation
    as_is = Snapshot.objects.get(organisation=demo, name=structure_demo.AS_IS)
    context = watched_context(browser, violations, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}/o/{demo.slug}/structures/{as_is.pk}/posts/")
    page.wait_for_load_state("networkidle")
    return page


def _page_width(page: Any) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _widest(page: Any) -> list[str]:
    """The elements that reach past the screen's right edge, to say what widens the page."""
    return page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} `
                  + `${Math.round(e.getBoundingClientRect().right)}`)"""
    )


def test_on_a_phone_the_filters_fold_behind_a_button(browser, live_server, csp_violations) -> None:
    page = _open_posts(browser, live_server, 390, csp_violations)
    toggle = page.get_by_role("button", name="Show filter")
    assert toggle.is_visible()
    # The rows can be read and followed without opening the filters.
    assert not page.locator(".moj-filter").is_visible()
    first = page.locator("#register-rows table tbody tr a").first
    assert first.is_visible()
    toggle.click()
    assert page.locator(".moj-filter").is_visible()
    page.get_by_role("button", name="Close").click()
    assert not page.locator(".moj-filter").is_visible()
    scroll, width = _page_width(page)
    assert scroll <= width, f"the page is {scroll}px wide on a {width}px screen: {_widest(page)}"
    page.context.close()


def test_on_a_desktop_the_filters_sit_beside_the_rows(browser, live_server, csp_violations) -> None:
    page = _open_posts(browser, live_server, 1280, csp_violations)
    assert page.locator(".moj-filter").is_visible()
    assert page.locator("#register-rows table").is_visible()
    scroll, width = _page_width(page)
    assert scroll <= width, f"the page is {scroll}px wide on a {width}px screen: {_widest(page)}"
    page.context.close()
