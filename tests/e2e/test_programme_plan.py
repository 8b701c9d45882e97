"""In a browser: add a programme and an action, download the plan, change it, import it again."""

from __future__ import annotations

import csv

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_programme_and_its_actions_from_the_navigation_to_a_round_trip(
    page, live_server, tmp_path
):
    from goldenthread.demo.builder import demo_load
    from goldenthread.programme.models import Action

    demo_load(password=DEMO_PASSWORD)
    base = live_server.url
    sign_in(page, base, "demo-editor")

    page.get_by_role("link", name="Programme", exact=True).first.click()
    page.get_by_role("button", name="Add a programme").click()
    page.get_by_label("Name").fill("Ready for the future")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Ready for the future"
    assert page.locator(".gt-phases tbody th").count() == 4
    assert describe(axe_violations(page)) == ""

    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("Title").fill("Achieve a channel shift to online self service")
    page.get_by_label("TOM target area (optional)").fill("Customers")
    page.get_by_label("Design by (optional)").fill("2025/26 Q2")
    page.get_by_label("Implement from (optional)").fill("2025/26 Q1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    # Implement-from before design-by is refused on its field.
    assert (
        "Implement from must be the same quarter as design by"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_label("Implement from (optional)").fill("2025/26 Q3")
    page.get_by_label("Budget (optional)").fill("£40,000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".gt-implement-from").inner_text() == "2025/26 Q3"
    assert describe(axe_violations(page)) == ""

    page.get_by_role("link", name="Actions", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert describe(axe_violations(page)) == ""
    page.get_by_text("Download the plan to change it in a spreadsheet").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every action (Excel)").click()
    path = tmp_path / "actions.xlsx"
    download.value.save_as(path)

    # Change the title in a spreadsheet, as an officer would (saved as CSV), and import it.
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Actions").to_python()
    title = rows[0].index("title")
    for row in rows[1:]:
        if row[0] == "A-001":
            row[title] = "Achieve a channel shift to self service"
    changed_path = tmp_path / "actions-changed.csv"
    with changed_path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(
            [["" if cell is None else str(cell) for cell in row] for row in rows]
        )

    page.get_by_role("button", name="Import actions").click()
    page.locator("input[type=file]").set_input_files(str(changed_path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "1 to change" in page.locator("main").inner_text().replace("\n", " ") or (
        "Title: Achieve a channel shift to online self service" in page.locator("main").inner_text()
    )
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")
    assert Action.objects.get(reference="A-001").title == "Achieve a channel shift to self service"
