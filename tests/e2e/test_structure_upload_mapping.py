"""An HR export uploaded in the browser: its page waits for the inspection job,
moves on by itself to the mapping once the header is read, and the columns
chosen there lead to the check."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = b"""Post ref,Manager ref,Job title,Directorate
CX1,XX,Chief Executive,Office
DIR1,CX1,Director of People,People
DIR2,CX1,Director of Place,Place
"""


class HeldQueue:
    """Stands in for the task queue: jobs wait until the test runs them."""

    def __init__(self) -> None:
        self.held: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.held.append(job_id)


def test_the_upload_waits_for_its_inspection_then_asks_for_the_columns(
    page: Any, live_server: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    from goldenthread.demo.builder import demo_load
    from goldenthread.jobs import services as job_services
    from goldenthread.jobs.runner import job_run

    demo_load(password=DEMO_PASSWORD)
    sign_in(page, live_server.url, "demo-editor")
    queue = HeldQueue()
    monkeypatch.setattr(job_services, "run_job", queue)
    export = tmp_path / "payroll.csv"
    export.write_bytes(EXPORT)

    page.goto(f"{live_server.url}/o/brackenford/structures/upload/")
    page.get_by_label("Name of the snapshot").fill("Payroll")
    page.get_by_label("The file of posts").set_input_files(str(export))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Reading the file"
    assert "Waiting to start" in page.locator("#job-progress").inner_text()
    assert describe(axe_violations(page)) == ""

    # The worker reads the file; the page, polling, moves on to the mapping.
    monkeypatch.undo()
    (inspection,) = queue.held
    assert job_run(job_id=inspection).status == "succeeded"
    page.wait_for_url("**/mapping/")
    assert page.locator("h1").inner_text() == "Match the columns"
    post_id = page.get_by_label("Post ID", exact=True)
    assert post_id.locator("option").all_inner_texts() == [
        "Not in this file",
        "Post ref",
        "Manager ref",
        "Job title",
        "Directorate",
    ]
    assert describe(axe_violations(page)) == ""
    post_id.select_option("Post ref")
    page.get_by_label("Reports to (the manager's post ID)").select_option("Manager ref")
    page.get_by_label("Job title", exact=True).select_option("Job title")
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state("networkidle")
    assert "Save these changes" in page.content()
