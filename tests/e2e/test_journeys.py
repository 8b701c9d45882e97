"""Whole journeys in the browser: sign in with each role, import units, see problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    from goldenthread.demo.builder import demo_load

    demo_load(password=DEMO_PASSWORD)
    return live_server.url


@pytest.mark.parametrize(
    ("username", "role"),
    [("demo-admin", "Admin"), ("demo-editor", "Editor"), ("demo-viewer", "Viewer")],
)
def test_each_demo_user_signs_in_and_out(page, demo_site, username, role) -> None:
    sign_in(page, demo_site, username)
    if username == "demo-admin":  # a member of two organisations chooses one
        page.get_by_role("link", name="Brackenford Borough Council").click()
    assert page.locator("h1").inner_text() == "Brackenford Borough Council"
    assert page.locator(".govuk-caption-l").inner_text() == role
    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()


def test_an_editor_imports_units_and_sees_every_problem_of_a_bad_file(
    page, demo_site, tmp_path: Path
) -> None:
    sign_in(page, demo_site, "demo-editor")
    page.goto(f"{demo_site}/o/brackenford/units/import/")
    assert describe(axe_violations(page)) == ""
    bad = tmp_path / "units.csv"
    bad.write_text("code,name,kind,parent_code\nNEW,,service,\nNEW2,Second,planet,NOPE\n")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    assert "The file cannot be saved: nothing was saved" in page.content()
    rows = page.locator(".gt-import-findings[data-kind=problems] tbody tr")
    assert rows.count() == 3
    assert "NOPE" in rows.nth(2).inner_text()
    assert describe(axe_violations(page)) == ""

    # Upload a corrected file: previewed, then saved.
    page.get_by_role("link", name="Upload a corrected file").click()
    good = tmp_path / "good.csv"
    good.write_text("code,name,kind,parent_code\nPEO-ASC-OT,Occupational Therapy,team,PEO-ASC\n")
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".gt-import-counts td").all_inner_texts() == ["1", "0", "0"]
    assert "PEO-ASC-OT" in page.locator(".gt-import-rows[data-action=create]").inner_text()
    assert describe(axe_violations(page)) == ""
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")
    assert "1 unit added, 0 changed and 0 left as they were, from good.csv." in page.content()
    assert describe(axe_violations(page)) == ""
    page.get_by_role("link", name="See what changed").click()
    assert page.get_by_role("link", name="Occupational Therapy").is_visible()


def test_a_viewer_is_told_they_cannot_change_data(page, demo_site) -> None:
    sign_in(page, demo_site, "demo-viewer")
    response = page.goto(f"{demo_site}/o/brackenford/units/add/")
    assert response is not None and response.status == 403
    assert "You need the editor role" in page.content()
    assert describe(axe_violations(page)) == ""
