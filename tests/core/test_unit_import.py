"""Units in from CSV and Excel, all or nothing, and out again."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.core import importing
from goldenthread.core.models import Unit
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.jobs.models import Job, JobStatus
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import error_summary, select

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def upload(client, organisation, name: str, data: bytes, django_capture_on_commit_callbacks):
    file = io.BytesIO(data)
    file.name = name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:unit_import", kwargs={"org_slug": organisation.slug}), {"file": file}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.latest("pk")


GOOD = b"""code,name,kind,parent_code,description
PEO,People,directorate,,
PEO-ASC,Adult Social Care,service,PEO,Care for adults
PLA,Place,Directorate,,
"""


def test_a_good_csv_adds_every_unit_with_its_parent(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    job = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.problems
    assert job.summary == "3 units added and 0 updated from units.csv."
    asc = Unit.objects.get(organisation=organisation, code="PEO-ASC")
    assert asc.parent.code == "PEO"
    assert asc.kind == "service"
    assert Unit.objects.get(code="PLA").kind == "directorate"
    # The importing user is recorded in the audit trail.
    assert asc.history.first().history_user.username == "ed"


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    UnitFactory(organisation=organisation, code="OLD", name="Old name")
    bad = b"""code,name,kind,parent_code
OLD,New name,service,
A,,service,
B,Bee,galaxy,
A,Again,service,
C,Sea,service,NOPE
D,Dee,service,E
E,Eee,service,D
"""
    job = upload(editor, organisation, "bad.csv", bad, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    found = {(p["row"], p["column"], p["message"]) for p in job.problems}
    assert (3, "name", importing.MISSING_VALUE.format(column="name")) in found
    assert any(row == 4 and column == "kind" for row, column, _ in found)
    assert (5, "code", importing.DUPLICATE_CODE.format(code="A", other=3)) in found
    assert (6, "parent_code", importing.UNKNOWN_PARENT.format(code="NOPE")) in found
    assert any(
        row == 7 and column == "parent_code" and "inside itself" in m for row, column, m in found
    )
    assert job.summary.startswith(f"{len(job.problems)} problems found in bad.csv")
    # Nothing saved: the existing unit is unchanged and no new unit exists.
    assert list(Unit.objects.filter(organisation=organisation).values_list("code", "name")) == [
        ("OLD", "Old name")
    ]
    page = editor.get(
        reverse("jobs:job_detail", kwargs={"org_slug": organisation.slug, "job_id": job.pk})
    )
    assert select(page, ".govuk-error-summary__title") == ["The job failed: nothing was saved"]
    assert select(page, "main table caption") == [f"{len(job.problems)} problems found"]
    assert "NOPE" in select(page, "main table tbody td")


def test_a_missing_column_is_named(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    job = upload(
        editor, organisation, "units.csv", b"code,title\nA,B\n", django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.FAILED
    assert job.problems[0]["column"] == "name"
    assert job.problems[0]["row"] == 1


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(editor, organisation) -> None:
    file = io.BytesIO(b"%PDF-1.4")
    file.name = "units.pdf"
    response = editor.post(
        reverse("core:unit_import", kwargs={"org_slug": organisation.slug}), {"file": file}
    )
    [problem] = error_summary(response)
    assert "must be a CSV file or an Excel workbook" in problem
    assert not Job.objects.exists()


def test_a_broken_workbook_fails_with_a_message(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    job = upload(
        editor, organisation, "units.xlsx", b"not a zip", django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.FAILED
    assert "could not be read as an Excel workbook" in job.summary


def test_an_excel_file_imports_and_updates_by_code(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    UnitFactory(organisation=organisation, code="PEO", name="People (old)")
    data = write_xlsx(
        [
            Sheet(
                "Units",
                ("Code", "Name", "Kind", "Parent code"),
                [("PEO", "People", "directorate", ""), ("007", "Bond Team", "team", "PEO")],
            )
        ]
    )
    job = upload(editor, organisation, "units.xlsx", data, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED, job.problems
    assert job.summary == "1 unit added and 1 updated from units.xlsx."
    assert Unit.objects.get(code="PEO").name == "People"
    # Codes are text: leading zeros survive.
    assert Unit.objects.get(code="007").parent.code == "PEO"


def test_export_then_import_gives_the_same_units(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    job = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    before = sorted(
        Unit.objects.filter(organisation=organisation).values_list(
            "code", "name", "kind", "parent__code", "description"
        )
    )
    for fmt in ("csv", "xlsx"):
        response = editor.get(
            reverse("core:unit_export", kwargs={"org_slug": organisation.slug, "fmt": fmt})
        )
        assert response.status_code == 200
        assert f'filename="somerset-units.{fmt}"' in response["Content-Disposition"]
        job = upload(
            editor,
            organisation,
            f"units.{fmt}",
            response.content,
            django_capture_on_commit_callbacks,
        )
        assert job.status == JobStatus.SUCCEEDED, job.problems
        assert job.summary == f"0 units added and 3 updated from units.{fmt}."
        after = sorted(
            Unit.objects.filter(organisation=organisation).values_list(
                "code", "name", "kind", "parent__code", "description"
            )
        )
        assert after == before


def test_the_excel_export_has_a_header_and_every_unit(editor, organisation) -> None:
    UnitFactory(organisation=organisation, code="A", name="Alpha")
    response = editor.get(
        reverse("core:unit_export", kwargs={"org_slug": organisation.slug, "fmt": "xlsx"})
    )
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("Units")
        .to_python()
    )
    assert rows[0] == ["code", "name", "kind", "parent_code", "description"]
    assert rows[1][:3] == ["A", "Alpha", "service"]
