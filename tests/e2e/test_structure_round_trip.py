"""A snapshot downloaded as a workbook and uploaded again compares with itself as unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD, skip_or_fail
from tests.e2e.conftest import download_snapshot, sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
TRAFFORD = "trafford_council_organisation_structure.csv"


def _upload(page, base: str, name: str, path: Path) -> None:
    page.goto(f"{base}/o/brackenford/structures/upload/")
    page.get_by_label("Name of the snapshot").fill(name)
    page.get_by_label("The file of posts").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # No column to match: straight to the check's preview.
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")


def test_a_downloaded_workbook_uploaded_again_shows_no_change(page, live_server, tmp_path):
    from goldenthread.demo.builder import demo_load
    from goldenthread.structure.models import Snapshot

    if not (REAL / TRAFFORD).exists():
        skip_or_fail(f"the real data file {TRAFFORD} is not beside the repository")
    demo_load(password=DEMO_PASSWORD)
    base = live_server.url
    sign_in(page, base, "demo-editor")

    # A council file without post IDs: its posts are numbered from their rows.
    _upload(page, base, "Trafford", REAL / TRAFFORD)
    first = Snapshot.objects.get(name="Trafford")
    workbook = download_snapshot(
        page,
        f"{base}/o/brackenford/structures/{first.pk}/",
        "Excel workbook",
        tmp_path / "trafford.xlsx",
    )

    _upload(page, base, "Trafford, read back", workbook)
    again = Snapshot.objects.get(name="Trafford, read back")
    assert again.post_count == first.post_count

    # Compare the two from the new snapshot's page.
    page.goto(f"{base}/o/brackenford/structures/{again.pk}/")
    page.get_by_label("Compare with").fill("Trafford")
    page.get_by_role("option", name=re.compile(r"^Trafford\b(?!, read back)")).first.click()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main")
    headings = main.locator("h3").all_inner_texts()
    assert headings[:2] == ["Posts added: 0", "Posts removed: 0"]
    assert all(heading.endswith(": 0") for heading in headings)
    summary = dict(
        zip(
            main.locator(".govuk-summary-list__key").all_inner_texts(),
            main.locator(".govuk-summary-list__value").all_inner_texts(),
            strict=True,
        )
    )
    assert summary["Staffing saving"] == "£0 a year"
    assert summary["Redundancy estimate"].startswith("0 filled posts removed")
    assert summary["Net saving in the first year"] == "£0"
    assert main.locator("#pairing-unreliable").count() == 0
    assert describe(axe_violations(page)) == ""
