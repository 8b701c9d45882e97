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
from tests.e2e.test_register_layout import _page_width

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


def press(page: Any, name: str) -> None:
    """Follow the link drawn as a button (``.govuk-button``) in the page's main part."""
    page.locator("main .govuk-button", has_text=re.compile(f"^{re.escape(name)}$")).click()
    page.wait_for_load_state("networkidle")


def banner(page: Any) -> str:
    return str(page.locator(".govuk-notification-banner").inner_text())


#: The elements reaching past the screen's right edge that no box of their own scrolls:
#: what widens the page (a table inside a scrolling wrapper is not named).
OVERFLOWING = """[...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => {
    for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return false;
    }
    return true;
  })
  .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right
                 <= window.innerWidth + 1 || e.parentElement.tagName === 'MAIN')
  .slice(0, 6)
  .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} `
            + `${Math.round(e.getBoundingClientRect().right)}`)"""


#: Resolves once the page has reacted to a change of the screen's size.
SETTLED = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def checked(page: Any, wide: list[str]) -> None:
    """The page passes axe, and opened on a 375 px phone its body does not scroll sideways
    and it passes axe there too (a table that scrolls in its own box takes the focus).

    A page too wide is noted in ``wide`` (asserted empty at the end of the test, so one
    wide page does not hide what the rest of the journey finds).
    """
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{describe(violations)}"
    phone = page.context.new_page()
    try:
        phone.set_viewport_size(PHONE)
        phone.goto(page.url)
        phone.wait_for_load_state("networkidle")
        phone.evaluate(SETTLED)
        scroll, shown = _page_width(phone)
        if scroll > shown:
            wide.append(f"{page.url} is {scroll}px on {shown}px: {phone.evaluate(OVERFLOWING)}")
        violations = axe_violations(phone)
        assert violations == [], f"{page.url} at {shown}px\n{describe(violations)}"
    finally:
        phone.close()


def rag_panel(page: Any) -> Any:
    return page.locator(".gt-rag-panel")


def history_rows(page: Any) -> list[list[str]]:
    """The changes of the action's current RAG (not its forecast), the newest first."""
    rows = rag_panel(page).locator(".gt-rag-history tbody tr")
    cells = [row.locator("td").all_inner_texts() for row in rows.all()]
    return [row for row in cells if row[1] == "Current"]


def test_an_editor_plans_a_programme_and_its_rag_explains_itself(page: Any, site: str) -> None:
    from goldenthread.programme.models import Action, Programme

    today = dt.date.today()
    wide: list[str] = []
    _sign_in(page, site)

    # A programme starts with seed 001's four phases.
    page.goto(f"{site}/programme/")
    checked(page, wide)
    press(page, "Add a programme")
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
    press(page, "Add an action")
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
    assert history_rows(page)[0][2:4] == ["Not rated", "Amber"]
    checked(page, wide)

    # The owner forecasts completion 40 days late: red, with the new reason.
    press(page, "Change SOF-01")
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
    press(page, "Change SOF-01")
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
    fill_date(page, "Date the override ends", ends)
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


def _plan(late: int = 45) -> Any:
    """A programme with two actions, made through the plan's services: SOF-02 due ``late``
    days ago."""
    from goldenthread.accounts.models import Organisation
    from goldenthread.programme.plan import services

    organisation = Organisation.objects.get(slug=SLUG)
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
        ("SOF-02", "Close the Mill Road office", today - dt.timedelta(days=late)),
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
    press(page, "Import actions")
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


def _last_quarter_recorded(programme: Any) -> None:
    """The programme's previous quarter, updated and closed: both actions on track then."""
    from goldenthread.analysis.quarters import FinancialQuarter
    from goldenthread.programme.updates import services as updates

    today = dt.date.today()
    last = updates.quarterly_update_open(
        programme=programme, quarter=FinancialQuarter.of(today).previous(), by=None, today=today
    )
    updates.action_updates_record(
        update=last,
        entries=[
            updates.ActionEntry(
                action=action, status="in_progress", percent_complete=20, progress="Started."
            )
            for action in programme.actions.order_by("reference")
        ],
        by=None,
    )
    updates.quarterly_update_close(update=last, by=None)


def test_an_editor_runs_a_quarterly_update_and_reads_what_changed(page: Any, site: str) -> None:
    from goldenthread.analysis.quarters import FinancialQuarter
    from goldenthread.programme.models import Action, QuarterlyUpdate

    today = dt.date.today()
    # Both actions were on track at the last quarter's update.
    programme = _plan(late=-10)
    _last_quarter_recorded(programme)
    quarter = FinancialQuarter.of(today)
    wide: list[str] = []
    _sign_in(page, site)

    # From the programme's page to its quarterly updates, and open this quarter's.
    page.goto(f"{site}/programme/{programme.pk}/")
    page.locator("main").get_by_role("link", name="Quarterly updates").first.click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    press(page, "Open a quarterly update")
    checked(page, wide)
    assert page.get_by_label("Quarter").input_value() == quarter.label
    submit(page, "Open the update")
    assert f"The {quarter.label} update is open" in banner(page)
    assert page.locator("h1").inner_text() == f"{quarter.label} update"
    owners = page.locator(".gt-owners tbody tr")
    assert owners.first.locator("td").all_inner_texts()[:3] == [
        "Head of Customer Services",
        "2",
        "0",
    ]
    checked(page, wide)

    # The owner's page: every action of theirs in one form.
    owners.first.get_by_role("link", name="Head of Customer Services").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    first = page.locator("fieldset.gt-action-entry").filter(has_text="SOF-01")
    first.get_by_label("Progress this quarter").fill("Model agreed by the board; pilot under way.")
    first.get_by_label("Status").select_option(label="Complete")
    first.get_by_label("Per cent complete").fill("100")
    second = page.locator("fieldset.gt-action-entry").filter(has_text="SOF-02")
    second.get_by_label("Progress this quarter").fill("Lease surrender agreed.")
    due = Action.objects.get(reference="SOF-02").due_on
    group = second.get_by_role("group", name="Forecast completion date")
    forecast = due + dt.timedelta(days=40)
    group.get_by_label("Day").fill(str(forecast.day))
    group.get_by_label("Month").fill(str(forecast.month))
    group.get_by_label("Year").fill(str(forecast.year))
    second.get_by_label("Spend to date (£)").fill("12,500")
    second.get_by_label("Any delay, and its cause").fill("The landlord asked for three months.")
    submit(page, "Save the update")
    assert f"2 actions of Head of Customer Services updated for {quarter.label}." in banner(page)
    assert page.locator(".gt-update-progress").inner_text() == "2 of 2 actions updated."

    # Closing it asks first, then says so.
    press(page, "Close the update")
    checked(page, wide)
    submit(page, "Close the update")
    assert f"The {quarter.label} update is closed." in banner(page)
    assert QuarterlyUpdate.objects.get(quarter=quarter.code).status == "closed"

    # What changed since the last quarter: the RAG moves, the slipped and the completed.
    changes = page.locator(".gt-changes")
    assert (
        page.locator(".gt-changes-window")
        .inner_text()
        .startswith(f"Since the {quarter.previous().label} update")
    )
    assert changes.locator(".gt-completed").inner_text() == (
        "SOF-01: Design the customer contact model"
    )
    slipped = (forecast - due).days
    assert changes.locator(".gt-slipped").inner_text() == (
        f"SOF-02: Close the Mill Road office (forecast {slipped} days after its due date)"
    )
    moves = {
        cells[0]: cells[1:3]
        for cells in (
            row.locator("td").all_inner_texts()
            for row in changes.locator(".gt-rag-moves tbody tr").all()
        )
    }
    assert moves == {
        "SOF-01: Design the customer contact model": ["Green", "Complete"],
        "SOF-02: Close the Mill Road office": ["Green", "Red"],
    }
    reasons = changes.locator(".gt-rag-moves tbody tr").filter(has_text="SOF-02").inner_text()
    assert "Red: forecast 40 days after the due date; red is over 30 days late." in reasons
    assert "£12,500" in changes.locator(".gt-spend").inner_text()
    checked(page, wide)

    # The programme's page shows the same, from its panel.
    page.goto(f"{site}/programme/{programme.pk}/")
    panel = page.locator(".gt-updates-panel")
    assert "SOF-01: Design the customer contact model" in panel.inner_text()
    assert "SOF-02: Close the Mill Road office" in panel.locator(".gt-slipped").inner_text()
    checked(page, wide)
    # The programme's other views show both actions.
    for view in ("timeline", "board", "improvement-plan"):
        page.goto(f"{site}/programme/{programme.pk}/{view}/")
        text = page.locator("main").inner_text()
        assert "Design the customer contact model" in text, view
        assert "Close the Mill Road office" in text, view
        checked(page, wide)
    assert wide == [], "\n".join(wide)


def test_an_editor_adds_a_benefit_with_its_cashable_profile(page: Any, site: str) -> None:
    from goldenthread.analysis.quarters import financial_year_label

    today = dt.date.today()
    year = financial_year_label(today.year if today.month >= 4 else today.year - 1)
    programme = _plan()
    wide: list[str] = []
    _sign_in(page, site)

    # A benefit of the programme, coming from one of its actions.
    page.goto(f"{site}/programme/benefits/")
    checked(page, wide)
    press(page, "Add a benefit")
    checked(page, wide)
    page.get_by_label("Reference").fill("B-1")
    page.get_by_label("Title").fill("Fewer avoidable calls to the contact centre")
    page.get_by_label("Type of benefit").select_option(label="Process efficiency gain")
    page.get_by_label("Programme (optional)").select_option(label=programme.name)
    page.get_by_label("The actions it comes from (optional)").fill("SOF-01")
    page.get_by_label("Confidence of delivery (optional)").fill("70%")
    page.get_by_label("Planned").check()
    submit(page)
    assert "B-1 has been added." in banner(page)
    assert (
        "SOF-01: Design the customer contact model"
        in page.locator(".gt-benefit-actions").inner_text()
    )
    checked(page, wide)
    # Its cashable profile: £50,000 planned this financial year.
    page.get_by_role("link", name="Change the cashable profile of B-1").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    page.get_by_label("Add a financial year (optional)").fill(year)
    page.get_by_label("Planned £ in that year").fill("50,000")
    submit(page)
    assert "The cashable profile of B-1 has been saved." in banner(page)
    profile = page.locator(".gt-profile tbody tr").first.locator("th, td").all_inner_texts()
    assert profile[:2] == [year, "£50,000"]
    checked(page, wide)

    # The programme's page: planned against realised, by year and by type.
    page.goto(f"{site}/programme/{programme.pk}/")
    panel = page.locator(".gt-benefits-panel")
    assert "£50,000 planned" in panel.locator(".gt-benefits-this-year").inner_text()
    kinds = panel.locator(".gt-benefits-types tbody tr").first.locator("th, td")
    assert kinds.all_inner_texts()[:2] == ["Process efficiency gain", "£50,000"]
    checked(page, wide)
    # The action it comes from names it.
    page.goto(f"{site}/programme/actions/{programme.actions.get(reference='SOF-01').pk}/")
    assert "B-1" in page.locator("main").inner_text()
    checked(page, wide)
    # The register lists it.
    page.goto(f"{site}/programme/benefits/")
    assert (
        "Fewer avoidable calls to the contact centre" in page.locator("#register-rows").inner_text()
    )
    checked(page, wide)
    assert wide == [], "\n".join(wide)


def test_an_editor_adds_a_risk_and_sees_the_heat_map_and_the_overdue_review(
    page: Any, site: str
) -> None:
    from goldenthread.programme.models import Risk

    today = dt.date.today()
    programme = _plan()
    wide: list[str] = []
    _sign_in(page, site)

    # A risk of the programme: an impact of 6 is refused, naming the field.
    page.goto(f"{site}/programme/{programme.pk}/")
    page.locator(".gt-programme-risks").get_by_role("link", name="add a risk to it").click()
    page.wait_for_load_state("networkidle")
    checked(page, wide)
    assert page.get_by_label("Programme (optional)").input_value() == str(programme.pk)
    page.get_by_label("Reference").fill("R1")
    page.get_by_label("Title").fill("Staff do not take up the new contact model")
    page.get_by_label("If or because (the cause)").fill("the change is not explained well")
    page.get_by_label("Then (the event)").fill("staff keep the old ways of working")
    page.get_by_label("Resulting in (the effect)").fill("the savings are not realised")
    page.get_by_label("Category").select_option(label="People")
    page.get_by_label("Owner (optional)").fill("Head of HR")
    for label, value in (
        ("Inherent likelihood", "4"),
        ("Inherent impact", "6"),
        ("Residual likelihood", "3"),
        ("Residual impact", "4"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_label("Open").check()
    # Its review fell due three days ago.
    fill_date(page, "Next review (optional)", today - dt.timedelta(days=3))
    page.get_by_label("Actions that treat it (optional)").fill("SOF-01")
    submit(page)
    assert page.title().startswith("Error:")
    assert (
        "Inherent impact must be a whole number from 1 to 5"
        in page.locator(".govuk-error-summary").inner_text()
    )
    checked(page, wide)
    page.get_by_label("Inherent impact").fill("5")
    submit(page)
    assert "R1 has been added." in banner(page)
    risk = Risk.objects.get(reference="R1")
    # The risk's page warns that its review is overdue.
    assert "The review of this risk is overdue" in page.locator(".gt-overdue-warning").inner_text()
    checked(page, wide)

    # The programme's page: the heat map counts it in its cell, and flags the overdue review.
    page.goto(f"{site}/programme/{programme.pk}/")
    panel = page.locator(".gt-programme-risks")
    cells = panel.locator("#heat-map-residual .gt-heat-map__cell")
    counts = {
        (cell.get_attribute("data-likelihood"), cell.get_attribute("data-impact")): (
            cell.inner_text().split()[0]
        )
        for cell in cells.all()
    }
    assert len(counts) == 25
    assert {place: count for place, count in counts.items() if count != "0"} == {("3", "4"): "1"}
    assert (
        "(score 12, High)"
        in cells.and_(page.locator("[data-likelihood='3'][data-impact='4']")).inner_text()
    )
    overdue = panel.locator(".gt-overdue-reviews").inner_text()
    assert "R1: Staff do not take up the new contact model" in overdue
    assert "Review overdue" in overdue
    checked(page, wide)
    # And the organisation's dashboard.
    page.goto(f"{site}/")
    assert "Risks: 1 open, 1 review overdue" in page.locator("main").inner_text()
    checked(page, wide)
    # The register shows the heat map too, and the risk.
    page.goto(f"{site}/programme/risks/")
    assert "R1" in page.locator("#register-rows").inner_text()
    checked(page, wide)

    # Recording the review sets the next one, and the flag goes.
    page.goto(f"{site}/programme/risks/{risk.pk}/")
    press(page, "Record a review of R1")
    checked(page, wide)
    fill_date(page, "Date of the review", today)
    page.get_by_label("Likelihood").fill("2")
    page.get_by_label("Impact").fill("4")
    page.get_by_label("Note (optional)").fill("Briefings held with every team.")
    submit(page, "Record the review")
    assert "The review of R1 has been recorded: next review" in banner(page)
    risk.refresh_from_db()
    assert risk.next_review_on is not None and risk.next_review_on > today
    assert page.locator(".gt-overdue-warning").count() == 0
    assert "Briefings held with every team." in page.locator(".gt-reviews").inner_text()
    checked(page, wide)
    page.goto(f"{site}/programme/{programme.pk}/")
    assert page.locator(".gt-programme-risks .gt-overdue-reviews").count() == 0
    assert wide == [], "\n".join(wide)
