"""An editor models a scenario in the browser: a bulk move, a deletion, undo, export and import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import download_snapshot, sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYROLL = "Brackenford and Eastmere Shared Services / Payroll and Pensions"


@pytest.fixture
def demo_site(live_server):
    from goldenthread.demo.builder import demo_load

    demo_load(password=DEMO_PASSWORD)
    return live_server.url


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    """Fill a GOV.UK date input found by its legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_an_editor_models_a_scenario_and_takes_it_round_trip(
    page, demo_site, tmp_path: Path
) -> None:
    from goldenthread.core.models import Unit
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Post, Snapshot

    as_is = Snapshot.objects.get(name=structure_demo.AS_IS)
    sign_in(page, demo_site, "demo-editor")
    page.goto(f"{demo_site}/o/brackenford/structures/{as_is.pk}/")
    # The dashboard's secondary actions are an MoJ button menu.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Create a scenario from this snapshot").click()
    page.get_by_label("Name of the scenario").fill("Payroll option")
    page.get_by_role("button", name="Create the scenario").click()
    page.wait_for_load_state("networkidle")
    assert "Payroll option: changes and difference" in page.locator("h1").inner_text()
    scenario = Snapshot.objects.get(name="Payroll option")
    assert scenario.post_count == as_is.post_count

    # A bulk move: the payroll team, as a block, to Resources.
    page.get_by_role("button", name="Change many posts at once").click()
    payroll = Unit.objects.get(organisation__slug="brackenford", name=PAYROLL.split(" / ")[-1])
    # The unit picker: type part of its name and choose it from the list, which
    # shows each unit's full path.
    page.get_by_label("Choose a unit").fill(payroll.name)
    page.get_by_role("option", name=re.compile(re.escape(payroll.name))).first.click()
    # The new manager's picker searches thousands of posts; its ID typed by hand is enough.
    page.get_by_label("New manager (to move them)").fill("RES1")
    page.get_by_label("Reason for the change").fill("Payroll returns to the council")
    fill_date(page, "Takes effect on", "1", "10", "2025")
    page.get_by_role("button", name="Record the change").click()
    page.wait_for_load_state("networkidle")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert re.search(r"Moved the \d+ posts of Payroll and Pensions under RES1", banner)

    # A deletion of a post with reports, which move to its manager.
    page.goto(f"{demo_site}/o/brackenford/structures/{scenario.pk}/posts/?q=PLA8")
    page.get_by_role("link", name="Assistant Director Regeneration").click()
    page.get_by_role("link", name="Delete PLA8").click()
    page.get_by_label("Reason for the change").fill("Regeneration led by the director")
    fill_date(page, "Takes effect on", "1", "4", "2025")
    page.get_by_role("button", name="Delete the post").click()
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Error:")
    assert "without a manager" in page.locator(".govuk-error-summary").inner_text()
    assert describe(axe_violations(page)) == ""
    # Type only once the picker is enhanced: text typed into the plain box before
    # the script replaces it would not reach the field the form sends.
    page.locator(".autocomplete__wrapper").first.wait_for()
    page.get_by_label("The manager its direct reports move to").fill("PLA1")
    page.get_by_role("button", name="Delete the post").click()
    page.wait_for_load_state("networkidle")

    # The difference from the base, and the changes by wave.
    main = page.locator("main").inner_text()
    assert "1 removed" in main
    assert "Wave of 1 April 2025" in main and "Wave of 1 October 2025" in main
    assert Post.objects.filter(snapshot=scenario).count() == as_is.post_count - 1
    assert describe(axe_violations(page)) == ""

    # Undo the deletion.
    page.get_by_role("button", name=re.compile(r"Undo Deleted PLA8")).click()
    page.wait_for_load_state("networkidle")
    assert "The change has been undone" in page.locator(".govuk-notification-banner").inner_text()
    assert "0 removed" in page.locator("main").inner_text()
    assert Post.objects.filter(snapshot=scenario).count() == as_is.post_count
    assert describe(axe_violations(page)) == ""

    # Export the scenario and upload it again as a new snapshot.
    senior = download_snapshot(
        page,
        f"{demo_site}/o/brackenford/structures/{scenario.pk}/",
        "Organogram senior file (CSV)",
        tmp_path / "payroll-option-senior.csv",
    )
    page.goto(f"{demo_site}/o/brackenford/structures/upload/")
    page.get_by_label("Name of the snapshot").fill("Payroll option, read back")
    page.get_by_label("The file of posts").set_input_files(str(senior))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")
    again = Snapshot.objects.get(name="Payroll option, read back")
    assert again.post_count == scenario.post_count
