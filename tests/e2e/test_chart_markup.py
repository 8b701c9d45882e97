"""In the browser: a unit named as a link is drawn in the treemap as plain text."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.structure.test_chart_text import markup_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_treemap_draws_markup_as_text(page, live_server) -> None:
    from goldenthread.demo.builder import demo_load

    organisation = demo_load(password=DEMO_PASSWORD).organisation
    snapshot = markup_snapshot(organisation)
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}/o/{organisation.slug}/structures/{snapshot.pk}/")
    page.locator("#chart-units g.slice").first.wait_for(state="attached")
    page.get_by_role("tab", name="By reporting line").click()
    page.locator("#chart-line g.slice").first.wait_for(state="attached")
    for chart in ("#chart-units", "#chart-line"):
        assert page.locator(f"{chart} a").count() == 0
        assert page.locator(f"{chart} svg b, {chart} [style*='40px']").count() == 0
    # The name is drawn whole, as the characters it was typed with.
    drawn = page.locator("#chart-units").text_content() or ""
    assert '<a href="https://evil.example/">Session expired' in drawn
