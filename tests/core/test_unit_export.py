"""Units out to XLSX and CSV, inert and typed, and back in through the units import unchanged."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.core.columns import UNIT_COLUMNS
from goldenthread.core.models import Unit, UnitKind
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.core.test_unit_import import upload
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db

#: Names a spreadsheet would run as formulas if they were written as they are.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]
FIELDS = ("code", "name", "kind", "parent__code", "description")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    user = member(organisation, Role.EDITOR, username="ed", full_name="Ed Jones")
    client.login(username="ed", password=PASSWORD)
    client.user = user
    return client


@pytest.fixture
def units(organisation):
    top = UnitFactory(
        organisation=organisation, code="PEO", name="People", kind=UnitKind.DIRECTORATE
    )
    for n, text in enumerate(FORMULAS):
        UnitFactory(
            organisation=organisation,
            code=f"F{n}",
            name=text,
            kind=UnitKind.SHARED_SERVICE,
            parent=top,
            description=f"{text} in the description",
        )
    UnitFactory(organisation=organisation, code="TAB", name="Tabbed", description="\tcmd")
    return top


def _export(client, organisation, fmt: str):
    url = reverse("core:unit_export", kwargs={"org_slug": organisation.slug, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return response


def _rows(response, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_name("Units").to_python()


def _import(client, organisation, name: str, data: bytes, capture) -> ImportRun:
    """Upload ``data`` on the units import page; its check runs and its preview is ready."""
    return upload(client, organisation, name, data, capture)


def _state(organisation) -> list[tuple]:
    return sorted(Unit.objects.filter(organisation=organisation).values_list(*FIELDS))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_looking_units_are_exported_inert(editor, organisation, units, fmt) -> None:
    response = _export(editor, organisation, fmt)
    assert response["Content-Disposition"] == f'attachment; filename="brackenford-units.{fmt}"'
    rows = _rows(response, fmt)
    assert rows[0] == list(UNIT_COLUMNS.names)
    by_code = {row[0]: row for row in rows[1:]}
    for n, text in enumerate(FORMULAS):
        _code, name, kind, parent, description = by_code[f"F{n}"]
        assert (name, kind, parent) == ("'" + text, "shared service", "PEO")
        assert description == f"'{text} in the description"
    assert by_code["TAB"][4] == "'\tcmd"
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert all(b"<f>" not in archive.read(part) for part in archive.namelist())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_again_with_no_change(
    editor, organisation, units, fmt, django_capture_on_commit_callbacks
) -> None:
    # The import strips whitespace round a value, as the units service does, so
    # a description that begins with a tab is the one value that cannot come back.
    Unit.objects.filter(code="TAB").delete()
    before = _state(organisation)
    data = _export(editor, organisation, fmt).content
    run = _import(editor, organisation, f"units.{fmt}", data, django_capture_on_commit_callbacks)
    # Every unit reads back exactly as it is: the preview has nothing to add or change.
    assert run.status == ImportStatus.READY, run.problems
    assert (run.counts.get("create"), run.counts.get("update"), run.counts.get("unchanged")) == (
        0,
        0,
        5,
    )
    assert run.problems == []
    assert _state(organisation) == before
    # The export carries every unit of the organisation, each name as it is.
    names = {name for _code, name, *_ in before}
    assert set(FORMULAS) <= names


def test_the_workbook_says_what_it_is(editor, organisation, units) -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(_export(editor, organisation, "xlsx").content))
    assert book.sheet_names == ["About this file", "Units"]
    about = dict(book.get_sheet_by_name("About this file").to_python())
    assert about["File"] == "Units"
    assert about["Organisation"] == "Brackenford Borough Council"
    assert about["Exported by"] == "Ed Jones (ed)"
    assert about["Sheets"] == "Units"


def test_another_format_is_not_found(editor, organisation) -> None:
    url = reverse("core:unit_export", kwargs={"org_slug": organisation.slug, "fmt": "xls"})
    assert editor.get(url).status_code == 404
