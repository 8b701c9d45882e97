"""The import kit on its own: reading cells by their declared type, the report of
problems and notes, the preview's counts, the template workbook and the docs tables."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from goldenthread.accounts.models import Role
from goldenthread.kit import importing
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.kit.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CellError,
    Plan,
    Report,
    RowPlan,
    read_cell,
    read_rows,
    template_workbook,
    unquote_formula,
)
from tests.factories import PASSWORD, OrganisationFactory, member

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"

BUDGET = Columns(
    "line",
    [
        Column(
            "code",
            "Code",
            required=True,
            max_length=6,
            pattern=r"[A-Z]+\d*",
            pattern_hint="capital letters then digits",
        ),
        Column("title", "Title", required=True),
        Column("amount", "Amount", type=ColumnType.MONEY),
        Column("starts", "Starts on", type=ColumnType.DATE),
        Column("staff", "Staff", type=ColumnType.INTEGER),
        Column("open", "Open", type=ColumnType.BOOLEAN),
        Column(
            "rag",
            "RAG",
            type=ColumnType.CHOICE,
            choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
        ),
    ],
    key="code",
)


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("'=SUM(A1:A9)", "=SUM(A1:A9)"),
        ("'+44 20 7946 0000", "+44 20 7946 0000"),
        ("'-5 posts", "-5 posts"),
        ("'@mention", "@mention"),
        ("'\tindented", "\tindented"),
        ("'\rreturn", "\rreturn"),
        ("'quoted'", "'quoted'"),  # a quote before anything else is the user's own
        ("''=A1", "''=A1"),  # only a quote directly before a formula character
        ("=A1", "=A1"),
        ("'", "'"),
        ("", ""),
    ],
)
def test_a_quote_the_export_added_before_a_formula_is_removed(cell: str, read: str) -> None:
    assert unquote_formula(cell) == read


def test_text_cells_lose_the_exports_quote_and_other_types_are_not_touched() -> None:
    assert read_cell(BUDGET.get("title"), "'=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"
    with pytest.raises(CellError):
        read_cell(BUDGET.get("amount"), "'-100")


@pytest.mark.parametrize(
    ("name", "cell", "value"),
    [
        ("amount", "42500", Decimal("42500.00")),
        ("amount", "£42,500.50", Decimal("42500.50")),
        ("amount", "-1,250", Decimal("-1250.00")),
        ("starts", "2026-03-31", dt.date(2026, 3, 31)),
        ("starts", "2026-03-31T00:00:00", dt.date(2026, 3, 31)),
        ("starts", "1/4/2026", dt.date(2026, 4, 1)),
        ("staff", "1,200", 1200),
        ("open", "Yes", True),
        ("open", "n", False),
        ("rag", "AMBER", "amber"),
        ("rag", "green", "green"),
        ("title", "  padded  ", "padded"),
        ("title", "", None),
    ],
)
def test_each_type_reads_its_cells(name: str, cell: str, value: object) -> None:
    assert read_cell(BUDGET.get(name), cell) == value


@pytest.mark.parametrize(
    ("name", "cell", "message"),
    [
        (
            "amount",
            "12,5",
            importing.NOT_A_NUMBER.format(expected="an amount in pounds, such as 42,500.00"),
        ),
        (
            "amount",
            "about 40k",
            importing.NOT_A_NUMBER.format(expected="an amount in pounds, such as 42,500.00"),
        ),
        (
            "amount",
            "1,00",
            importing.NOT_A_NUMBER.format(expected="an amount in pounds, such as 42,500.00"),
        ),
        (
            "amount",
            "10.555",
            importing.TOO_PRECISE.format(
                places=2, expected="an amount in pounds, such as 42,500.00"
            ),
        ),
        (
            "starts",
            "31/02/2026",
            importing.NOT_A_DATE.format(expected="a date, such as 2026-03-31 or 31/03/2026"),
        ),
        (
            "starts",
            "March 2026",
            importing.NOT_A_DATE.format(expected="a date, such as 2026-03-31 or 31/03/2026"),
        ),
        ("staff", "2.5", importing.NOT_MATCHING.format(expected="a whole number")),
        ("open", "maybe", importing.NOT_YES_NO),
        ("rag", "purple", importing.NOT_A_CHOICE.format(choices="red, amber, green")),
        ("code", "TOOLONG1", importing.TOO_LONG.format(length=8, limit=6)),
        (
            "code",
            "ab1",
            importing.NOT_MATCHING.format(
                expected="text, at most 6 characters, capital letters then digits"
            ),
        ),
    ],
)
def test_a_cell_that_cannot_be_read_is_never_guessed(name: str, cell: str, message: str) -> None:
    with pytest.raises(CellError) as refused:
        read_cell(BUDGET.get(name), cell)
    assert str(refused.value) == message
    assert "expected" in message


def test_every_problem_names_file_row_column_value_and_what_was_expected() -> None:
    data = (
        b"Code,Title,Amount,Starts on,Colour\n"
        b"A1,First,100,2026-04-01,blue\n"
        b"A2,,12;5,,\n"
        b"A1,Again,,,\n"
    )
    report = Report("budget.csv")
    rows = read_rows(BUDGET, "budget.csv", data, report)
    assert rows is not None and [row.number for row in rows] == [2, 3, 4]
    assert rows[0]["amount"] == Decimal("100.00") and rows[0].has("starts")
    assert not rows[0].has("staff")  # a column not in the file is told apart from a blank one
    assert report.problems == [
        {
            "file": "budget.csv",
            "row": 3,
            "column": "Title",
            "value": None,
            "message": importing.MISSING_VALUE.format(expected="text"),
        },
        {
            "file": "budget.csv",
            "row": 3,
            "column": "Amount",
            "value": "12;5",
            "message": importing.NOT_A_NUMBER.format(
                expected="an amount in pounds, such as 42,500.00"
            ),
        },
        {
            "file": "budget.csv",
            "row": 4,
            "column": "Code",
            "value": "A1",
            "message": importing.DUPLICATE_KEY.format(value="A1", other=2, thing="line"),
        },
    ]
    # The unknown column is a note, apart from the problems.
    assert report.notes == [
        {
            "file": "budget.csv",
            "row": 1,
            "column": "Colour",
            "value": None,
            "message": importing.IGNORED_COLUMN.format(column="Colour"),
        }
    ]


def test_a_workbook_that_opens_with_a_sheet_about_the_file_is_read_from_its_records() -> None:
    from goldenthread.formats.writing import Sheet, write_xlsx

    data = write_xlsx(
        [
            Sheet("About", ("What", "Value"), [("Organisation", "Somerset Council")]),
            Sheet("Lines", ("code", "title", "amount"), [("B7", "Roads", Decimal("10.50"))]),
        ]
    )
    report = Report("lines.xlsx")
    rows = read_rows(BUDGET, "lines.xlsx", data, report)
    assert report.problems == [] and report.notes == []
    assert rows is not None and [(row.number, row["code"]) for row in rows] == [(2, "B7")]


def test_a_missing_required_column_stops_the_reading_at_the_header() -> None:
    report = Report("budget.csv")
    assert read_rows(BUDGET, "budget.csv", b"code,amount\nA1,5\n", report) is None
    assert [(p["row"], p["column"]) for p in report.problems] == [(1, "title")]
    assert "expected the columns code, title, amount" in report.problems[0]["message"]


def test_an_unreadable_file_is_one_problem() -> None:
    report = Report("budget.xlsx")
    assert read_rows(BUDGET, "budget.xlsx", b"not a workbook", report) is None
    assert len(report.problems) == 1
    assert "not an Excel workbook" in report.problems[0]["message"]


def test_the_plan_counts_every_row_and_caps_the_preview() -> None:
    plan = Plan(
        rows=[RowPlan(CREATE, f"N{n}") for n in range(5)]
        + [RowPlan(UPDATE, "U1", changes=("Name: A → B",))]
        + [RowPlan(UNCHANGED, f"S{n}") for n in range(3)],
        intro="Saving adds lines.",
    )
    assert plan.counts() == {"create": 5, "update": 1, "unchanged": 3}
    preview = plan.preview(limit=2)
    assert [row["key"] for row in preview["create"]] == ["N0", "N1"]
    assert preview["update"][0]["changes"] == ("Name: A → B",)
    assert preview["intro"] == "Saving adds lines."


def test_the_template_workbook_has_the_headers_and_explains_each_column() -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(template_workbook(BUDGET)))
    assert book.sheet_names == ["Lines", "About the columns"]
    assert book.get_sheet_by_index(0).to_python() == [list(BUDGET.names)]
    about = book.get_sheet_by_index(1).to_python()
    assert about[0] == list(importing.TEMPLATE_HEADER)
    assert about[1] == [
        "code",
        "Code",
        "yes",
        "text, at most 6 characters, capital letters then digits",
    ]
    assert about[7][3] == "one of: red, amber, green"
    # What the template says a row holds, the import reads back.
    report = Report("filled.xlsx")
    from goldenthread.formats.writing import Sheet, write_xlsx

    filled = write_xlsx([Sheet("Lines", BUDGET.names, [("B7", "Roads", Decimal("10.50"))])])
    rows = read_rows(BUDGET, "filled.xlsx", filled, report)
    assert report.problems == [] and rows is not None
    assert rows[0]["amount"] == Decimal("10.50")


def test_an_importer_needs_a_name_and_an_unknown_one_is_not_found() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        importing.register_importer(importing.Importer())
    with pytest.raises(KeyError):
        importing.importer_get("no-such-register")


@pytest.mark.django_db
def test_an_unknown_register_has_no_template(client) -> None:
    organisation = OrganisationFactory(slug="somerset")
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    url = reverse(
        "kit:import_template", kwargs={"org_slug": "somerset", "importer": "no-such-register"}
    )
    assert client.get(url).status_code == 404
    # A viewer may download a register's template: it holds no data.
    url = reverse("kit:import_template", kwargs={"org_slug": "somerset", "importer": "units"})
    assert client.get(url).status_code == 200


def test_the_guide_shows_each_registers_current_columns() -> None:
    registers = {name: found for name, found in importing._IMPORTERS.items() if found.columns}
    assert {"units", "structure"} <= set(registers)
    stale = []
    for name, importer in sorted(registers.items()):
        assert importer.guide, f"the {name} importer names no guide page"
        page = (GUIDE / importer.guide).read_text()
        if importer.columns.docs_table() not in page:  # type: ignore[union-attr]
            stale.append(f"docs/guide/{importer.guide} ({name})")
    assert stale == [], (
        "These guide pages do not have the current table of the register's columns: "
        "paste the output of Columns.docs_table() into them"
    )


class _Broken(importing.Importer):
    name = "broken-for-test"
    thing, things = "thing", "things"
    register_url_name = "core:unit_list"
    upload_url_name = "core:unit_import"

    def plan(self, run, report, progress):
        raise RuntimeError("a bug in the register's reader")


@pytest.mark.django_db
def test_a_check_that_breaks_fails_the_run_and_saves_nothing(
    client, django_capture_on_commit_callbacks
) -> None:
    from goldenthread.kit.models import ImportRun, ImportStatus

    organisation = OrganisationFactory(slug="somerset")
    importing.register_importer(_Broken())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = importing.import_run_create(
                organisation=organisation,
                importer=_Broken.name,
                filename="things.csv",
                data=b"a\n1\n",
                by=None,
            )
        run = ImportRun.objects.get(pk=run.pk)
        assert run.status == ImportStatus.FAILED
        assert run.summary == importing.CHECK_STOPPED.format(
            reason=importing.UNEXPECTED.format(job=run.check_job_id)
        )
        assert run.check_job.status == "failed"
        # A failed run cannot be confirmed, and has no repairs to apply.
        with pytest.raises(importing.ServiceError) as refused:
            importing.import_run_confirm(run=run, by=None)
        assert refused.value.message == importing.NOT_READY.format(
            status="problems found: nothing was saved"
        )
        with pytest.raises(importing.ServiceError) as refused:
            importing.import_run_repair(run=run, by=None)
        assert refused.value.message == importing.NO_REPAIRS
    finally:
        importing._IMPORTERS.pop(_Broken.name)
