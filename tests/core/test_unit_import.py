"""Units in from CSV and Excel through the import kit: check, preview, confirm, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.core import importing, services
from goldenthread.core.columns import UNIT_COLUMNS
from goldenthread.core.models import Unit
from goldenthread.formats.sources import DAMAGED_WORKBOOK
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.kit import importing as kit
from goldenthread.kit.models import ImportRun, ImportStatus
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import links, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def unit(organisation, **fields) -> Unit:
    return UnitFactory(organisation=organisation, **fields)


def upload(client, organisation, name: str, data: bytes, capture) -> ImportRun:
    """Upload a file on the units import page and let its check run."""
    file = io.BytesIO(data)
    file.name = name
    with capture(execute=True):
        response = client.post(
            reverse("core:unit_import", kwargs={"org_slug": organisation.slug}), {"file": file}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    assert response["Location"] == run_url(organisation, run)
    run.refresh_from_db()
    return run


def run_url(organisation, run, page: str = "import_run") -> str:
    return reverse(f"kit:{page}", kwargs={"org_slug": organisation.slug, "run_id": run.pk})


def confirm(client, organisation, run, capture) -> ImportRun:
    with capture(execute=True):
        response = client.post(run_url(organisation, run, "import_confirm"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == run_url(organisation, run)
    run.refresh_from_db()
    return run


GOOD = b"""code,name,kind,parent_code,description
PEO,People,directorate,,
PEO-ASC,Adult Social Care,service,PEO,Care for adults
PLA,Place,Directorate,,
"""


def test_a_good_csv_is_previewed_then_saved_with_every_parent(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 3, "update": 0, "unchanged": 0}
    # Nothing is saved by the check.
    assert not Unit.objects.exists()
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".gt-import-counts td") == ["3", "0", "0"]
    assert texts(page, ".gt-import-rows[data-action=create] tbody td:nth-child(2)") == [
        "PEO",
        "PEO-ASC",
        "PLA",
    ]
    assert texts(page, "main form button") == ["Save these changes"]

    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    assert run.summary == "3 units added, 0 changed and 0 left as they were, from units.csv."
    asc = Unit.objects.get(organisation=organisation, code="PEO-ASC")
    assert asc.parent.code == "PEO"
    assert asc.kind == "service" and asc.description == "Care for adults"
    assert Unit.objects.get(code="PLA").kind == "directorate"
    # The importing user is recorded in the audit trail, once per unit.
    assert asc.history.count() == 1
    assert asc.history.first().history_user.username == "ed"
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".govuk-panel__body") == [run.summary]
    assert links(page, "main p a") == [
        ("See what changed", reverse("core:unit_list", kwargs={"org_slug": organisation.slug}))
    ]


def test_the_preview_tells_new_changed_and_unchanged_units_apart(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    peo = unit(organisation, code="PEO", name="People", kind="directorate")
    unit(organisation, code="PLA", name="Place (old)", kind="directorate")
    data = (
        b"code,name,kind,parent_code\n"
        b"PEO,People,directorate,\n"
        b"PLA,Place,directorate,PEO\n"
        b"NEW,New,team,PLA\n"
    )
    run = upload(editor, organisation, "units.csv", data, django_capture_on_commit_callbacks)
    assert run.counts == {"create": 1, "update": 1, "unchanged": 1}
    assert run.preview["update"][0]["changes"] == [
        "Name: Place (old) → Place",
        "Sits inside: (blank) → PEO",
    ]
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".gt-import-rows[data-action=unchanged] tbody td:nth-child(2)") == ["PEO"]
    assert texts(page, ".gt-import-rows[data-action=update] tbody li") == [
        "Name: Place (old) → Place",
        "Sits inside: (blank) → PEO",
    ]
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    # The unchanged unit was not written again.
    assert peo.history.count() == 1
    assert Unit.objects.get(code="NEW").parent.parent == peo


def test_a_column_left_out_leaves_that_field_alone(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    peo = unit(organisation, code="PEO", name="People", kind="directorate")
    unit(organisation, code="ASC", name="Care", kind="team", parent=peo, description="Adults")
    run = upload(
        editor,
        organisation,
        "units.csv",
        b"code,name\nASC,Care\n",
        django_capture_on_commit_callbacks,
    )
    assert run.counts == {"create": 0, "update": 0, "unchanged": 1}
    # A file that changes nothing offers nothing to save.
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".gt-import-nothing") == [
        "The file changes nothing, so there is nothing to save."
    ]


def test_every_problem_names_file_row_column_and_what_was_expected(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    unit(organisation, code="OLD", name="Old name")
    bad = b"""code,name,kind,parent_code,notes
OLD,New name,service,,
A,,service,,
B,Bee,galaxy,,
A,Again,service,,
C,Sea,service,NOPE,
D,Dee,service,E,
E,Eee,service,D,
bad code,Spaces,team,,
"""
    run = upload(editor, organisation, "bad.csv", bad, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    found = {(p["file"], p["row"], p["column"], p["message"]) for p in run.problems}
    assert (
        "bad.csv",
        3,
        "name",
        kit.MISSING_VALUE.format(expected="text, at most 200 characters"),
    ) in found
    assert (
        "bad.csv",
        4,
        "kind",
        kit.NOT_A_CHOICE.format(choices="directorate, service, team, shared service, other"),
    ) in found
    assert (
        "bad.csv",
        5,
        "code",
        kit.DUPLICATE_KEY.format(value="A", other=3, thing="unit"),
    ) in found
    assert ("bad.csv", 6, "parent_code", importing.UNKNOWN_PARENT.format(code="NOPE")) in found
    assert any(
        row == 7 and column == "parent_code" and "inside itself" in m
        for _f, row, column, m in found
    )
    # The same rule as the unit form: a code has no spaces.
    assert (
        "bad.csv",
        9,
        "code",
        kit.NOT_MATCHING.format(expected=UNIT_COLUMNS.get("code").describe()),
    ) in found
    assert run.problem_count == len(run.problems) == 7
    # A column the import does not read is a note, shown apart from the problems.
    assert [note["column"] for note in run.notes] == ["notes"]
    assert run.summary == "7 problems found in bad.csv. Nothing was saved."
    # Nothing saved.
    assert list(Unit.objects.values_list("code", "name")) == [("OLD", "Old name")]

    page = editor.get(run_url(organisation, run))
    assert page.status_code == 200
    assert texts(page, ".govuk-error-summary__title") == [
        "The file cannot be saved: nothing was saved"
    ]
    rows = texts(page, ".gt-import-findings[data-kind=problems] tbody tr")
    assert len(rows) == 7
    assert any("NOPE" in row for row in rows)
    assert len(texts(page, ".gt-import-notes .gt-import-findings tbody tr")) == 1
    assert texts(page, ".govuk-button-group a") == ["Upload a corrected file"]
    # No repairs for units, so none are offered.
    assert editor.post(run_url(organisation, run, "import_repair")).status_code == 200
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.FAILED


def test_a_missing_column_is_named_on_the_header_row(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = upload(
        editor, organisation, "units.csv", b"code,title\nA,B\n", django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.FAILED
    assert run.problems[0]["column"] == "name" and run.problems[0]["row"] == 1
    assert (
        "expected the columns code, name, kind, parent_code, description"
        in run.problems[0]["message"]
    )


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(editor, organisation) -> None:
    file = io.BytesIO(b"%PDF-1.4")
    file.name = "units.pdf"
    response = editor.post(
        reverse("core:unit_import", kwargs={"org_slug": organisation.slug}), {"file": file}
    )
    assert "must be a CSV file or an Excel workbook" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_broken_workbook_fails_with_a_message(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    # A zip archive by its first bytes (the form checks those), but no workbook.
    broken = b"PK\x03\x04not a zip"
    run = upload(editor, organisation, "units.xlsx", broken, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    assert run.problems[0]["message"] == "units.xlsx: " + DAMAGED_WORKBOOK.format(
        reason="its zip directory is missing"
    )


def test_an_excel_file_with_headings_imports_and_updates_by_code(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    unit(organisation, code="PEO", name="People (old)", kind="directorate")
    data = write_xlsx(
        [
            Sheet(
                "Units",
                ("Code", "Name", "Kind", "Parent code"),
                [("PEO", "People", "directorate", ""), ("007", "Bond Team", "team", "PEO")],
            )
        ]
    )
    run = upload(editor, organisation, "units.xlsx", data, django_capture_on_commit_callbacks)
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    assert run.summary == "1 unit added, 1 changed and 0 left as they were, from units.xlsx."
    assert Unit.objects.get(code="PEO").name == "People"
    # Codes are text: leading zeros survive.
    assert Unit.objects.get(code="007").parent.code == "PEO"


def test_units_moving_under_each_other_save_in_a_safe_order(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    a = unit(organisation, code="A", name="A")
    unit(organisation, code="B", name="B", parent=a)
    # B becomes the top and A moves under it: saved parents first, no step makes a loop.
    data = b"code,name,parent_code\nA,A,B\nB,B,\n"
    run = upload(editor, organisation, "units.csv", data, django_capture_on_commit_callbacks)
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    assert Unit.objects.get(code="A").parent.code == "B"
    assert Unit.objects.get(code="B").parent is None


def test_a_failure_in_the_middle_of_saving_saves_nothing(
    editor, organisation, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    unit(organisation, code="PEO", name="People (old)")
    run = upload(
        editor,
        organisation,
        "units.csv",
        b"code,name\nPEO,People\nA,Alpha\nB,Beta\nC,Gamma\n",
        django_capture_on_commit_callbacks,
    )
    real_create = services.unit_create
    calls = []

    def failing_create(**fields):
        calls.append(fields["code"])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real_create(**fields)

    monkeypatch.setattr(services, "unit_create", failing_create)
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert calls == ["A", "B"]  # the first new unit was written before the failure
    assert run.status == ImportStatus.FAILED
    assert run.summary.startswith("Saving stopped and nothing was saved")
    assert list(Unit.objects.values_list("code", "name")) == [("PEO", "People (old)")]
    page = editor.get(run_url(organisation, run))
    assert texts(page, ".govuk-error-summary__body") == [run.summary]


def test_a_change_after_the_check_stops_the_save(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = upload(
        editor,
        organisation,
        "units.csv",
        b"code,name\nA,Alpha\n",
        django_capture_on_commit_callbacks,
    )
    unit(organisation, code="A", name="Someone else's")
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    assert run.summary == kit.CHANGED_SINCE_CHECK.format(file="units.csv")
    assert Unit.objects.get(code="A").name == "Someone else's"


def test_a_change_after_the_check_stops_the_save_even_when_the_counts_agree(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    """The preview said "Old → Alpha"; someone renames it meanwhile: still one change, another."""
    unit(organisation, code="A", name="Old")
    run = upload(
        editor,
        organisation,
        "units.csv",
        b"code,name\nA,Alpha\n",
        django_capture_on_commit_callbacks,
    )
    assert run.counts["update"] == 1
    Unit.objects.filter(code="A").update(name="Renamed meanwhile")
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED
    assert run.summary == kit.CHANGED_SINCE_CHECK.format(file="units.csv")
    assert Unit.objects.get(code="A").name == "Renamed meanwhile"


def test_discarding_saves_nothing_and_cannot_be_confirmed_afterwards(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    page = editor.get(run_url(organisation, run, "import_discard"))
    assert texts(page, "h1") == ["Discard the upload of units.csv"]
    response = editor.post(run_url(organisation, run, "import_discard"))
    assert response["Location"] == reverse("core:unit_list", kwargs={"org_slug": organisation.slug})
    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED and bytes(run.data) == b""
    response = editor.post(run_url(organisation, run, "import_confirm"))
    assert response.status_code == 200
    assert texts(response, ".govuk-error-summary__list li") == [
        kit.NOT_READY.format(status="discarded: nothing was saved")
    ]
    assert not Unit.objects.exists()


def test_viewers_cannot_import_or_see_an_import(
    client, organisation, editor, django_capture_on_commit_callbacks
) -> None:
    run = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    member(organisation, Role.VIEWER, username="vi")
    client.logout()
    client.login(username="vi", password=PASSWORD)
    assert (
        client.get(reverse("core:unit_import", kwargs={"org_slug": organisation.slug})).status_code
        == 403
    )
    for page in ("import_run", "import_confirm", "import_discard"):
        assert client.get(run_url(organisation, run, page)).status_code == 403
    assert client.post(run_url(organisation, run, "import_confirm")).status_code == 403
    assert not Unit.objects.exists()


def test_another_organisations_import_answers_404(
    client, organisation, editor, django_capture_on_commit_callbacks
) -> None:
    run = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    member(other, Role.ADMIN, username="them")
    client.logout()
    client.login(username="them", password=PASSWORD)
    for page in ("import_run", "import_confirm", "import_discard", "import_repair"):
        assert client.get(run_url(other, run, page)).status_code == 404
    assert client.post(run_url(other, run, "import_confirm")).status_code == 404
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.READY


def test_the_import_page_shows_the_declared_columns_and_the_template(editor, organisation) -> None:
    page = editor.get(reverse("core:unit_import", kwargs={"org_slug": organisation.slug}))
    assert texts(page, ".gt-import-columns tbody td:first-child") == list(UNIT_COLUMNS.names)
    template = editor.get(
        reverse("kit:import_template", kwargs={"org_slug": organisation.slug, "importer": "units"})
    )
    assert template.status_code == 200
    assert "somerset-units-import-template.xlsx" in template["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert book.sheet_names == ["Units", "About the columns"]
    assert book.get_sheet_by_index(0).to_python()[0] == list(UNIT_COLUMNS.names)


def test_export_then_import_changes_nothing(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = upload(editor, organisation, "units.csv", GOOD, django_capture_on_commit_callbacks)
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    for fmt in ("csv", "xlsx"):
        response = editor.get(
            reverse("core:unit_export", kwargs={"org_slug": organisation.slug, "fmt": fmt})
        )
        assert response.status_code == 200
        run = upload(
            editor,
            organisation,
            f"units.{fmt}",
            response.content,
            django_capture_on_commit_callbacks,
        )
        assert run.status == ImportStatus.READY, run.problems
        assert run.counts == {"create": 0, "update": 0, "unchanged": 3}


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_page_runs_the_same_queries_whatever_the_rows(
    editor, organisation, django_capture_on_commit_callbacks, django_assert_num_queries, count
) -> None:
    for n in range(count):
        unit(organisation, code=f"OLD{n}", name=f"Old {n}")
    lines = [f"OLD{n},Renamed {n}" for n in range(count)] + [
        f"NEW{n},New {n}" for n in range(count)
    ]
    data = ("code,name\n" + "\n".join(lines) + "\n").encode()
    run = upload(editor, organisation, "units.csv", data, django_capture_on_commit_callbacks)
    assert run.counts == {"create": count, "update": count, "unchanged": 0}
    with django_assert_num_queries(PREVIEW_QUERIES):
        page = editor.get(run_url(organisation, run))
    assert len(texts(page, ".gt-import-rows tbody tr")) == 2 * count


#: Session, user, the membership (twice: the guard and the navigation), the run with its
#: jobs and organisation in one, and the session's save; none per row.
PREVIEW_QUERIES = 8
