"""On a phone the pages never scroll sideways: wide tables scroll in their own box,
and the golden thread's wrapped titles keep their indent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in, watched_context
from tests.e2e.test_register_layout import _page_width, _widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(demo: Any) -> list[str]:
    from goldenthread.operating_model.models import TomVersion
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot

    as_is = Snapshot.objects.get(organisation=demo, name=structure_demo.AS_IS)
    proposed = Snapshot.objects.get(organisation=demo, name=structure_demo.PROPOSED)
    versions = TomVersion.objects.filter(organisation=demo).order_by("number")
    adopted, draft = versions[0], versions[1]
    o = f"/o/{demo.slug}"
    return [
        f"{o}/",
        f"{o}/structures/{as_is.pk}/",
        f"{o}/structures/compare/?old={as_is.pk}&new={proposed.pk}",
        f"{o}/structures/{proposed.pk}/scenario/",
        f"{o}/golden-thread/",
        f"{o}/golden-thread/orphans/",
        f"{o}/operating-model/",
        f"{o}/operating-model/versions/{adopted.pk}/",
        f"{o}/operating-model/versions/{adopted.pk}/on-a-page/",
        f"{o}/operating-model/versions/{draft.pk}/compare/",
        f"{o}/history/",
    ]


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, csp_violations) -> None:
    from goldenthread.demo.builder import demo_load

    demo = demo_load(password=DEMO_PASSWORD).organisation
    wide: list[str] = []
    for width in (320, 375):
        context = watched_context(browser, csp_violations, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server.url, "demo-viewer")
        for path in _pages(demo):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            scroll, shown = _page_width(page)
            if scroll > shown:
                wide.append(f"{path} is {scroll}px on {shown}px: {_widest(page)}")
        context.close()
    assert wide == []


def test_a_wrapped_title_in_the_thread_keeps_its_indent(
    browser, live_server, csp_violations
) -> None:
    from goldenthread.demo.builder import demo_load

    demo = demo_load(password=DEMO_PASSWORD).organisation
    context = watched_context(browser, csp_violations, viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}/o/{demo.slug}/golden-thread/")
    # The left edge of each line of every indented title.
    lines = page.evaluate(
        """[...document.querySelectorAll('.gt-thread-item:not(.gt-thread-item--depth-0)')]
        .map((item) => {
          const range = document.createRange();
          range.selectNodeContents(item.querySelector('a'));
          const lefts = [...range.getClientRects()].map((r) => Math.round(r.left));
          return [0, lefts];
        })"""
    )
    wrapped = [lefts for _, lefts in lines if len(lefts) > 1]
    assert wrapped, "no title wraps at 320px: the test shows nothing"
    # Within a pixel or two of rounding, every line starts where the first does.
    assert all(max(lefts) - min(lefts) <= 2 for lefts in wrapped), wrapped
    context.close()
