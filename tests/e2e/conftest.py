"""Browser fixtures: Playwright driving Debian's Chromium (it cannot be downloaded here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD, chromium_path, skip_or_fail

# Playwright's synchronous API runs an event loop in the test's thread; the
# ORM calls the tests make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Flags for a headless Chromium on a machine whose only network is loopback.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        skip_or_fail("Chromium is not installed (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        skip_or_fail("Playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: Reports each Content-Security-Policy violation of every page the browser
#: opens to the test, before the page's own scripts run.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.gtCspViolation(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""
#: How Chromium's console names a refusal by the Content-Security-Policy.
CSP_CONSOLE_WORDS = "Content Security Policy"


@pytest.fixture(autouse=True)
def csp_violations() -> Iterator[list[str]]:
    """Every Content-Security-Policy violation of the browser contexts the test opens.

    The test fails on any: each context comes from :func:`watched_context`.
    """
    violations: list[str] = []
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def watched_context(browser: Any, violations: list[str], **options: Any) -> Any:
    """A browser context whose every page reports its CSP violations into ``violations``."""
    context = browser.new_context(**options)

    def report(violation: str) -> None:
        violations.append(violation)

    context.expose_function("gtCspViolation", report)
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message: Any) -> None:
        if CSP_CONSOLE_WORDS in message.text:
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.on("console", on_console)
    return context


@pytest.fixture
def page(browser: Any, csp_violations: list[str]) -> Iterator[Any]:
    """A page in a fresh context; the test fails on any Content-Security-Policy violation."""
    context = watched_context(browser, csp_violations, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Any, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def download_snapshot(page: Any, snapshot_url: str, button: str, path: Any) -> Any:
    """Save the file the snapshot page's download menu gives for ``button`` at ``path``."""
    page.goto(snapshot_url)
    page.get_by_role("button", name="Download this snapshot").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    download.value.save_as(path)
    return path
