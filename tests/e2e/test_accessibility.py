"""Every page reachable from the navigation, for each demo role, passes axe-core (WCAG 2.2 AA).

The pages are found by crawling links from the organisation's dashboard, so a
module's pages are checked as soon as the navigation reaches them.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.conftest import sign_in

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: The crawl visits at most this many addresses of one URL pattern (one unit
#: page stands for all of them) and this many pages in all.
PER_PATTERN = 2
MAX_PAGES = 400
#: Links that download a file or would end the session are not pages to check.
SKIP_SUFFIXES = (".csv", ".xlsx", ".docx", ".json")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe.from_file(AXE_SCRIPT) if AXE_SCRIPT.exists() else Axe()
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return list(results.response["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']}: {violation['help']} at {targets}")
    return "\n".join(lines)


def crawl(page: Any, base_url: str, start: str) -> dict[str, list[dict[str, Any]]]:
    """Visit every same-site page reachable from ``start``; return axe violations by URL."""
    host = urlparse(base_url).netloc
    queue: deque[str] = deque([start])
    seen: set[str] = {start}
    per_pattern: dict[str, int] = {}
    found: dict[str, list[dict[str, Any]]] = {}
    while queue:
        assert len(found) < MAX_PAGES, "the crawl reached its cap: raise MAX_PAGES"
        url = queue.popleft()
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"{url} answered {response and response.status}"
        )
        found[url] = axe_violations(page)
        # A link marked ``download`` (a register's "Download these rows") is a file.
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.href)"
        ):
            href, _ = urldefrag(href)
            parsed = urlparse(href)
            if parsed.netloc != host or href in seen or parsed.path.endswith(SKIP_SUFFIXES):
                continue
            if parsed.path.startswith(("/static/", "/admin/")):
                continue
            try:
                match = resolve(parsed.path)
            except Resolver404:
                continue
            pattern = match.view_name
            if per_pattern.get(pattern, 0) >= PER_PATTERN:
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            seen.add(href)
            queue.append(href)
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["demo-admin", "demo-editor", "demo-viewer"])
def test_every_reachable_page_passes_axe(page, live_server, username: str) -> None:
    from goldenthread.demo.builder import DEMO_SLUG, demo_load
    from tests.conftest import DEMO_PASSWORD

    demo_load(password=DEMO_PASSWORD)
    sign_in(page, live_server.url, username)
    results = crawl(page, live_server.url, f"{live_server.url}/o/{DEMO_SLUG}/")
    # The crawl reached the pages of the navigation, not just the dashboard.
    paths = {urlparse(url).path for url in results}
    assert f"/o/{DEMO_SLUG}/units/" in paths
    assert len(results) >= 8
    failures = {url: describe(v) for url, v in results.items() if v}
    assert failures == {}, "\n\n".join(f"{url}\n{text}" for url, text in failures.items())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_error_pages_pass_axe(page, live_server) -> None:
    paths = ["/", "/cookies/", "/accessibility/", "/sign-in/", "/no-such-page/"]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], f"{path}\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_forms_with_errors_pass_axe(page, live_server) -> None:
    """The error summary and error messages are checked too, not just clean forms."""
    from goldenthread.demo.builder import DEMO_SLUG, demo_load
    from tests.conftest import DEMO_PASSWORD

    demo_load(password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert describe(axe_violations(page)) == ""

    sign_in(page, live_server.url, "demo-admin")
    for path in ("units/add/", "members/add/", "settings/", "units/import/"):
        page.goto(f"{live_server.url}/o/{DEMO_SLUG}/{path}")
        if path == "settings/":
            page.get_by_label("Cost of one redundancy, in pounds").fill("lots")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".govuk-error-summary").is_visible(), path
        assert describe(axe_violations(page)) == "", path
