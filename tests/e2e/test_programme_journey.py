"""An editor runs a programme in the browser: its plan, a RAG that explains itself and can
be overridden only with a reason, a quarterly update, benefits and risks, and the action
plan out to Excel and back.

Every main page visited passes axe, and none scrolls sideways on a 375 px phone.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe
from tests.e2e.test_register_layout import _page_width, _widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "brackenford"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site(live_server: Any) -> str:
    """An organisation with an editor, ``ed``; the address of its pages."""
    from goldenthread.accounts.models import Role
    from tests.factories import OrganisationFactory, member

    organisation = OrganisationFactory(name="Brackenford Borough Council", slug=SLUG)
    member(organisation, Role.EDITOR, username="ed", full_name="Edith Editor")
    return f"{live_server.url}/o/{SLUG}"


def _sign_in(page: Any, site: str) -> None:
    from tests.factories import PASSWORD

    sign_in(page, site.split("/o/")[0], "ed", PASSWORD)


def fill_date(page: Any, legend: str, on: dt.date | None) -> None:
    """Fill (or, with ``None``, empty) the GOV.UK date input whose legend is ``legend``."""
    group = page.get_by_role("group", name=legend)
    for box, value in (
        ("Day", on and on.day),
        ("Month", on and on.month),
        ("Year", on and on.year),
    ):
        group.get_by_label(box).fill(str(value) if value else "")


def submit(page: Any, button: str = "Save") -> None:
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state("networkidle")


def banner(page: Any) -> str:
    return str(page.locator(".govuk-notification-banner").inner_text())


def checked(page: Any, wide: list[str]) -> None:
    """The page passes axe, and on a 375 px phone its body does not scroll sideways.

    A page too wide is noted in ``wide`` (asserted empty at the end of the test, so one
    wide page does not hide what the rest of the journey finds).
    """
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{describe(violations)}"
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    scroll, shown = _page_width(page)
    if scroll > shown:
        wide.append(f"{page.url} is {scroll}px on {shown}px: {_widest(page)}")
    page.set_viewport_size(size)


def rag_panel(page: Any) -> Any:
    return page.locator(".gt-rag-panel")


def history_rows(page: Any) -> list[list[str]]:
    rows = rag_panel(page).locator(".gt-rag-history tbody tr")
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def test_an_editor_plans_a_programme_and_its_rag_explains_itself(page: Any, site: str) -> None:
    from goldenthread.programme.models import Action, Programme

    today = dt.date.today()
    wide: list[str] = []
    _sign_in(page, site)

    # A programme starts with seed 001's four phases.
    page.goto(f"{site}/programme/")
    checked(page, wide)
    page.locator("main").get_by_role("button", name="Add a programme").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    page.get_by_label("Name", exact=True).fill("Shaping our future")
    page.get_by_label("Senior responsible owner (optional)").fill("Chief Executive")
    assert page.get_by_label(re.compile("Start with the four phases")).is_checked()
    submit(page)
    assert "Shaping our future has been added." in banner(page)
    assert page.locator("h1").inner_text() == "Shaping our future"
    phases = [t.splitlines()[0] for t in page.locator(".gt-phases tbody th").all_inner_texts()]
    assert phases == ["Mobilisation", "Exploration", "Learning and scaling", "Delivery"]
    programme = Programme.objects.get(name="Shaping our future")
    checked(page, wide)

    # An action added through the form, due ten days ago and still open.
    page.locator("main").get_by_role("button", name="Add an action").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    assert page.get_by_label("Programme").input_value() == str(programme.pk)
    page.get_by_label("Reference (optional)").fill("SOF-01")
    page.get_by_label("Title").fill("Design the customer contact model")
    page.get_by_label("Owner (optional)").fill("Head of Customer Services")
    page.get_by_label("Phase (optional)").select_option(label="Exploration")
    due = today - dt.timedelta(days=10)
    fill_date(page, "Due (optional)", due)
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Per cent complete").fill("40")
    submit(page)
    assert "SOF-01 has been added." in banner(page)
    action = Action.objects.get(reference="SOF-01")

    # The rules rate it amber, and say why: the days late and the band.
    current = rag_panel(page).locator(".gt-rag-current")
    assert current.locator(".govuk-tag").inner_text() == "Amber"
    assert current.locator(".gt-rag-reason").inner_text() == (
        "Amber: still open 10 days after the due date; amber is 1 to 30 days late."
    )
    assert history_rows(page)[0][2:4] == ["None", "Amber"]
    checked(page, wide)

    # The owner forecasts completion 40 days late: red, with the new reason.
    page.locator("main").get_by_role("button", name="Change SOF-01").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    fill_date(page, "Forecast completion (optional)", due + dt.timedelta(days=40))
    submit(page)
    assert "SOF-01 has been saved." in banner(page)
    assert current.locator(".govuk-tag").inner_text() == "Red"
    assert current.locator(".gt-rag-reason").inner_text() == (
        "Red: forecast 40 days after the due date; red is over 30 days late."
    )
    # The history says what it was and what it is now, and why.
    newest = history_rows(page)[0]
    assert newest[2:4] == ["Amber", "Red"]
    assert "forecast 40 days after the due date" in newest[4]
    assert newest[6] == "Edith Editor"
    # The forecast brought back to 20 days late: amber again.
    page.locator("main").get_by_role("button", name="Change SOF-01").click()
    page.wait_for_load_state("networkidle")
    fill_date(page, "Forecast completion (optional)", due + dt.timedelta(days=20))
    submit(page)
    assert current.locator(".gt-rag-reason").inner_text() == (
        "Amber: forecast 20 days after the due date; amber is 1 to 30 days late."
    )
    assert history_rows(page)[0][2:4] == ["Red", "Amber"]

    # What green means: the rules in force, linked from the panel.
    rag_panel(page).get_by_role("link", name=re.compile("What green means")).click()
    page.wait_for_load_state("networkidle")
    assert "1 to 30 days" in page.locator("main").inner_text()
    checked(page, wide)
    page.go_back()
    page.wait_for_load_state("networkidle")

    # An override without a reason is refused, with the GOV.UK error summary.
    rag_panel(page).get_by_role("link", name="Override the RAG").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    page.get_by_label("Green").check()
    page.get_by_label("On a date").check()
    ends = today + dt.timedelta(days=60)
    fill_date(page, "Date the override ends, if on a date", ends)
    submit(page, "Override the RAG")
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "Enter why you are overriding the RAG" in summary.inner_text()
    summary.get_by_role("link", name="Enter why you are overriding the RAG").click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    checked(page, wide)
    action.refresh_from_db()
    assert action.override_rag == ""

    # With a reason it is shown as an override, with its end, beside the rules' RAG.
    page.get_by_label("Why are you overriding the RAG?").fill(
        "The supplier has confirmed delivery for next month."
    )
    submit(page, "Override the RAG")
    assert "The RAG of SOF-01 is overridden." in banner(page)
    assert current.locator(".govuk-tag").first.inner_text() == "Green"
    assert "The rules give Amber because: Amber: forecast 20 days" in current.inner_text()
    override = rag_panel(page).locator(".gt-rag-override .govuk-summary-list__value").inner_text()
    assert override.startswith("Green, set by Edith Editor on ")
    assert "The supplier has confirmed delivery for next month." in override
    assert override.endswith(f"Ends {ends.day} {ends:%B %Y}.")
    newest = history_rows(page)[0]
    assert newest[2:4] == ["Amber", "Green"]
    assert "(override)" in newest[4]
    checked(page, wide)

    # The actions register shows the action with its RAG.
    page.goto(f"{site}/programme/actions/?programme={programme.pk}")
    row = page.locator("#register-rows table tbody tr").filter(has_text="SOF-01")
    assert "Green" in row.inner_text()
    checked(page, wide)
    assert wide == [], "\n".join(wide)


def _plan(organisation_slug: str = SLUG) -> Any:
    """A programme with two actions, made through the plan's services."""
    from goldenthread.accounts.models import Organisation
    from goldenthread.programme.plan import services

    organisation = Organisation.objects.get(slug=organisation_slug)
    programme = services.programme_create(
        organisation=organisation,
        name="Shaping our future",
        phases=services.DEFAULT_PHASES,
        by=None,
    )
    digital = services.workstream_create(programme=programme, name="Digital re-design", by=None)
    today = dt.date.today()
    for reference, title, due in (
        ("SOF-01", "Design the customer contact model", today + dt.timedelta(days=90)),
        ("SOF-02", "Close the Mill Road office", today - dt.timedelta(days=45)),
    ):
        services.action_create(
            programme=programme,
            reference=reference,
            title=title,
            owner="Head of Customer Services",
            workstream=digital,
            due_on=due,
            status="in_progress",
            percent_complete=20,
            by=None,
        )
    return programme


def _read_sheet(path: Path) -> tuple[list[str], list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    # The workbook opens with a sheet about the file; the actions follow.
    assert workbook.sheet_names == ["About this file", "Actions"]
    rows = workbook.get_sheet_by_name("Actions").to_python()
    return [str(cell) for cell in rows[0]], [list(row) for row in rows[1:]]


def _write_sheet(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Actions")
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime | dt.date):
                sheet.write_datetime(number, column, value, dates)
            elif value is None or value == "":
                continue
            else:
                sheet.write(number, column, value)
    workbook.close()


def _upload(page: Any, site: str, path: Path) -> None:
    page.goto(f"{site}/programme/actions/")
    page.locator("main").get_by_role("button", name="Import actions").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Upload a file").set_input_files(str(path))
    submit(page, "Upload and check")
    # The check runs in the background; the page updates itself until it is done.
    page.wait_for_function(
        "!document.querySelector('main').innerText.includes('The file is being checked')"
    )
    page.wait_for_load_state("networkidle")


def test_an_editor_takes_the_action_plan_to_excel_and_back(
    page: Any, site: str, tmp_path: Path
) -> None:
    from goldenthread.programme.models import Action

    programme = _plan()
    wide: list[str] = []
    _sign_in(page, site)

    # The action plan downloads as a workbook from the actions register.
    page.goto(f"{site}/programme/actions/")
    checked(page, wide)
    page.get_by_text("Download the plan to change it in a spreadsheet").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every action (Excel)").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.suffix == ".xlsx"
    header, rows = _read_sheet(exported)
    assert header[:3] == ["reference", "programme", "title"]
    by_reference = {row[0]: row for row in rows}
    assert set(by_reference) == {"SOF-01", "SOF-02"}

    # In the spreadsheet: one title changed, one row added, and a row that is wrong.
    title = header.index("title")
    by_reference["SOF-02"][title] = "Close the Mill Road office and move its staff"
    added = [""] * len(header)
    added[0], added[1], added[title] = "SOF-03", programme.name, "Review agency spend"
    added[header.index("status")] = "not started"
    added[header.index("percent_complete")] = 0
    wrong = list(added)
    wrong[0], wrong[header.index("status")] = "SOF-04", "Nearly done"
    edited = tmp_path / "actions-edited.xlsx"
    _write_sheet(edited, header, [by_reference["SOF-01"], by_reference["SOF-02"], added, wrong])

    # The wrong row is refused, with its row and column, and nothing is saved.
    _upload(page, site, edited)
    assert page.title().startswith("Error:")
    main = page.locator("main").inner_text()
    assert "nothing was saved" in main
    problems = page.locator(".gt-import-findings[data-kind=problems] tbody tr")
    assert [row.locator("td").all_inner_texts() for row in problems.all()] == [
        [
            "actions-edited.xlsx",
            "5",
            "status",
            "Nearly done",
            "expected one of: not started, in progress, complete, on hold, cancelled",
        ]
    ]
    checked(page, wide)
    assert not Action.objects.filter(reference="SOF-03").exists()

    # Corrected, the preview lists what it creates and updates before anything is saved.
    _write_sheet(edited, header, [by_reference["SOF-01"], by_reference["SOF-02"], added])
    _upload(page, site, edited)
    counts = {
        cells[0]: cells[1]
        for cells in (
            row.locator("th, td").all_inner_texts()
            for row in page.locator(".gt-import-counts tbody tr").all()
        )
    }
    # The row left as exported is left as it is: the export imports again unchanged.
    assert counts == {
        "Actions to add": "1",
        "Actions to change": "1",
        "Actions left as they are": "1",
    }
    changed = page.locator(".gt-import-rows").filter(has_text="SOF-02").inner_text()
    assert "Close the Mill Road office and move its staff" in changed
    assert (
        "Review agency spend"
        in page.locator(".gt-import-rows").filter(has_text="SOF-03").inner_text()
    )
    checked(page, wide)
    assert Action.objects.get(reference="SOF-02").title == "Close the Mill Road office"

    submit(page, "Save these changes")
    page.wait_for_function("!document.querySelector('main').innerText.includes('being saved')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".govuk-panel__title").inner_text() == "Saved"
    checked(page, wide)

    # The register shows the change and the new action.
    page.goto(f"{site}/programme/actions/?programme={programme.pk}")
    rows_text = page.locator("#register-rows table tbody").inner_text()
    assert "Close the Mill Road office and move its staff" in rows_text
    assert "Review agency spend" in rows_text
    assert Action.objects.get(reference="SOF-03").programme == programme
    assert wide == [], "\n".join(wide)
