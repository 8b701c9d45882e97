"""An admin approves a scenario in the browser, recording the decision, and finds it again."""

from __future__ import annotations

import re

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


def test_an_admin_approves_a_scenario_with_its_decision_record(page, demo_site) -> None:
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot, SnapshotStatus, StructureDecision

    proposed = Snapshot.objects.get(name=structure_demo.PROPOSED)
    sign_in(page, demo_site, "demo-admin")
    page.goto(f"{demo_site}/o/brackenford/structures/{proposed.pk}/scenario/")
    page.get_by_role("button", name="Approve the scenario").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == (
        f"Record the decision approving {structure_demo.PROPOSED}"
    )
    consequences = page.locator(".gt-consequences").inner_text()
    assert "are frozen" in consequences
    assert describe(axe_violations(page)) == ""

    # A date left incomplete is refused and named, and nothing is approved.
    page.get_by_label("Who made the decision").fill("Councillor Ann Lee, Leader of the Council")
    page.get_by_label("Body or delegation").fill("Cabinet")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Minute or decision reference").fill("Minute 52")
    page.get_by_role("button", name="Approve the scenario").click()
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Date of the decision must include a month" in summary
    # The summary's link goes to the box that is missing.
    page.locator(".govuk-error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_decided_on_month"
    assert describe(axe_violations(page)) == ""
    proposed.refresh_from_db()
    assert proposed.status == SnapshotStatus.DRAFT

    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Approve the scenario").click()
    page.wait_for_load_state("networkidle")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{structure_demo.PROPOSED} has been approved." in banner
    decision = page.locator(".gt-decision").filter(
        has_text=f"Approval of {structure_demo.PROPOSED}"
    )
    record = decision.inner_text()
    assert "Councillor Ann Lee, Leader of the Council" in record
    assert "Cabinet" in record and "14 March 2025" in record and "Minute 52" in record
    assert describe(axe_violations(page)) == ""
    proposed.refresh_from_db()
    assert proposed.status == SnapshotStatus.APPROVED
    recorded = StructureDecision.objects.get(snapshot=proposed)

    # The decision's own history, and the organisation's audit history.
    decision.get_by_role("link", name=re.compile("History")).click()
    page.wait_for_load_state("networkidle")
    assert "Cabinet" in page.locator("main").inner_text()
    page.goto(f"{demo_site}/o/brackenford/history/")
    history = page.locator("main").inner_text()
    assert str(recorded) in history
