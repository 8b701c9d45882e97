"""Shared fixtures, and the rules for tests that need PostgreSQL or Chromium.

Without PostgreSQL or Chromium those tests are skipped with the reason shown.
GOLDENTHREAD_REQUIRE_ALL=1 (set by .ci/run) turns each such skip into a failure,
so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator

import pytest

REQUIRE_ALL = os.environ.get("GOLDENTHREAD_REQUIRE_ALL") == "1"
POSTGRES_RUN = os.environ.get("GOLDENTHREAD_TEST_POSTGRES") == "1"
PG_HOST = os.environ.get("GOLDENTHREAD_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("GOLDENTHREAD_TEST_PG_PORT", "5432"))
DEMO_PASSWORD = "demo-test-password-4821"
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "client", "admin_client"}


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` — or fail, when CI requires every test to run."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (GOLDENTHREAD_REQUIRE_ALL=1: this may not be skipped)")
    pytest.skip(reason)


def _postgres_answers() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=2):
            return True
    except OSError:
        return False


def _uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & DB_FIXTURES) or item.get_closest_marker("django_db") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not POSTGRES_RUN:
        # Tests marked postgres need a database other processes and threads
        # share (the SQLite test database lives in memory): the PostgreSQL run has them.
        postgres_only = [item for item in items if item.get_closest_marker("postgres")]
        if postgres_only:
            config.hook.pytest_deselected(items=postgres_only)
            items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        return
    # The PostgreSQL run repeats only the tests that touch the database: the
    # pure analysis tests gain nothing from a second run.
    keep = [item for item in items if _uses_database(item)]
    deselected = [item for item in items if not _uses_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep
    if not _postgres_answers():
        reason = f"PostgreSQL is not answering at {PG_HOST}:{PG_PORT}"
        if REQUIRE_ALL:
            raise pytest.UsageError(f"{reason}, and GOLDENTHREAD_REQUIRE_ALL=1 requires it")
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under GOLDENTHREAD_REQUIRE_ALL=1 any skip (missing data, database or browser) fails."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, which GOLDENTHREAD_REQUIRE_ALL=1 forbids: {reason}"


def pytest_report_header(config: pytest.Config) -> str:
    return "database: " + ("PostgreSQL" if POSTGRES_RUN else "SQLite")


@pytest.fixture
def demo(db: None) -> Iterator[object]:
    """The demo organisation, with its users' password set to DEMO_PASSWORD."""
    from goldenthread.demo.builder import demo_load

    yield demo_load(password=DEMO_PASSWORD).organisation


def chromium_path() -> str | None:
    return os.environ.get("GOLDENTHREAD_CHROMIUM") or shutil.which("chromium")
