"""Malformed variants of real files: each reads right, reads with its repair said
aloud, or fails naming the file, the row as a spreadsheet shows it, the column,
the value found and what was expected."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.formats import errors
from goldenthread.formats.errors import Problem, StructureImportError
from goldenthread.formats.lga import read_lga
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import BuildResult, PostTable, build_structure
from goldenthread.formats.table import ColumnMapping, read_table
from goldenthread.formats.values import (
    JUNIOR_FTE,
    PAY,
    POST_FTE,
    NumberFault,
    parse_pay_bands,
    read_number,
    read_numbers,
)
from goldenthread.kit.columns import Column, ColumnType
from goldenthread.kit.importing import CellError, read_cell
from tests.formats.test_structure_formats import DCLG, MOD_JUNIOR, MOD_SENIOR, TRAFFORD, real


def rows_of(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(real(name).read_text(encoding="utf-8"))))


def write_rows(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        rows
    )
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def dclg_variant(tmp_path: Path, change: Callable[[list[list[str]]], None]) -> Path:
    """The DCLG senior file with ``change`` made to its rows (the header is rows[0])."""
    rows = rows_of(DCLG)
    change(rows)
    return write_rows(tmp_path / "variant.csv", rows)


def set_cell(column: str, row: int, value: str) -> Callable[[list[list[str]]], None]:
    """A change setting ``column`` of spreadsheet row ``row`` (the header is row 1)."""

    def change(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    return change


def problems_of(table: PostTable, *, lenient: bool = False) -> list[Problem]:
    with pytest.raises(StructureImportError) as caught:
        build_structure(table, lenient=lenient)
    return list(caught.value.problems)


def built(table: PostTable, *, lenient: bool = False) -> BuildResult:
    return build_structure(table, lenient=lenient)


FTE = "FTE"
FLOOR = "Actual Pay Floor (£)"
CEILING = "Actual Pay Ceiling (£)"
REPORTS_TO = "Reports to Senior Post"
FTE_RANGE = "a number of FTE from 0 to 10"
PAY_RANGE = "an amount in pounds from 0 to 10,000,000"


# --- Numbers: one parser for every reader ------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code", "message"),
    [
        (FTE, "0,5", "decimal-comma", errors.DECIMAL_COMMA.format(column=FTE)),
        (FTE, "1,25", "decimal-comma", errors.DECIMAL_COMMA.format(column=FTE)),
        (FTE, "-1", "out-of-range", errors.NEGATIVE_NUMBER.format(column=FTE)),
        (FTE, "inf", "not-a-number", errors.NOT_A_NUMBER.format(column=FTE)),
        (FTE, "Infinity", "not-a-number", errors.NOT_A_NUMBER.format(column=FTE)),
        (FTE, "11", "out-of-range", errors.ABOVE_RANGE.format(column=FTE, maximum="10")),
        (FTE, "1,250", "out-of-range", errors.ABOVE_RANGE.format(column=FTE, maximum="10")),
        (FTE, "£1", "not-a-number", errors.NOT_A_NUMBER.format(column=FTE)),
        (FTE, "(1)", "not-a-number", errors.NOT_A_NUMBER.format(column=FTE)),
        (FTE, "1e0", "scientific-notation", errors.SCIENTIFIC_NOTATION.format(column=FTE)),
        (FLOOR, "1e300", "scientific-notation", errors.SCIENTIFIC_NOTATION.format(column=FLOOR)),
        (FLOOR, "-50000", "out-of-range", errors.NEGATIVE_NUMBER.format(column=FLOOR)),
        (FLOOR, "(50,000)", "not-a-number", errors.NOT_A_NUMBER.format(column=FLOOR)),
        (FLOOR, "£-50,000", "out-of-range", errors.NEGATIVE_NUMBER.format(column=FLOOR)),
        (
            FLOOR,
            "9" * 400,
            "out-of-range",
            errors.ABOVE_RANGE.format(column=FLOOR, maximum="10,000,000"),
        ),
        (
            CEILING,
            "10,000,000.01",
            "out-of-range",
            errors.ABOVE_RANGE.format(column=CEILING, maximum="10,000,000"),
        ),
        (CEILING, "72.500,00", "decimal-comma", errors.DECIMAL_COMMA.format(column=CEILING)),
    ],
)
def test_a_senior_number_that_cannot_be_read_is_a_problem_naming_row_and_column(
    tmp_path: Path, column: str, value: str, code: str, message: str
) -> None:
    path = dclg_variant(tmp_path, set_cell(column, 4, value))
    found = problems_of(read_organogram(path))
    expected = FTE_RANGE if column == FTE else PAY_RANGE
    assert [(p.code, p.file, p.row, p.column, p.value, p.expected) for p in found] == [
        (code, str(path), 4, column, value, expected)
    ]
    assert found[0].message == message


@pytest.mark.parametrize(
    ("column", "value", "read"),
    [
        (FTE, "0.5", 0.5),
        (FTE, " .5 ", 0.5),
        (FTE, "10", 10.0),
        (FTE, "0", 0.0),
        (FLOOR, "£72,500", 72500.0),
        (FLOOR, "£ 72,500.50", 72500.5),
        (FLOOR, "72500", 72500.0),
    ],
)
def test_a_senior_number_within_its_range_reads(
    tmp_path: Path, column: str, value: str, read: float
) -> None:
    def change(rows: list[list[str]]) -> None:
        set_cell(column, 4, value)(rows)
        if column == FLOOR:
            set_cell(CEILING, 4, value)(rows)

    table = read_organogram(dclg_variant(tmp_path, change))
    posts = table.posts.filter(pl.col("row") == 4)
    assert posts["fte" if column == FTE else "cost"].to_list() == [read]


def test_lenient_takes_unreadable_pay_as_unknown_and_says_so(tmp_path: Path) -> None:
    def change(rows: list[list[str]]) -> None:
        set_cell(FLOOR, 4, "1e300")(rows)
        set_cell(CEILING, 4, "80000")(rows)

    result = built(read_organogram(dclg_variant(tmp_path, change)), lenient=True)
    repairs = [w for w in result.warnings if w.row == 4 and w.column == FLOOR]
    assert [w.message for w in repairs] == [
        errors.TAKEN_AS_UNKNOWN.format(problem=errors.SCIENTIFIC_NOTATION.format(column=FLOOR))
    ]
    # The post's cost is the ceiling alone: the floor is unknown, never 1e300.
    index = result.structure.post_id.to_list().index(rows_of(DCLG)[3][0])
    assert result.structure.cost[index] == 80000.0


@pytest.mark.parametrize("value", ["0,5", "-1", "inf", "11"])
def test_lenient_never_guesses_an_fte(tmp_path: Path, value: str) -> None:
    path = dclg_variant(tmp_path, set_cell(FTE, 4, value))
    found = problems_of(read_organogram(path), lenient=True)
    assert [(p.row, p.column, p.value) for p in found] == [(4, FTE, value)]


def test_junior_fte_has_a_wider_range_than_a_post(tmp_path: Path) -> None:
    senior = real(MOD_SENIOR)
    rows = rows_of(MOD_JUNIOR)
    fte = rows[0].index("Number of Posts in FTE")
    largest = max(float(r[fte]) for r in rows[1:] if r[fte].replace(".", "").isdigit())
    assert largest > 10  # real junior rows hold thousands of FTE
    built(read_organogram(senior, real(MOD_JUNIOR)))
    rows[1][fte] = "1,000,001"
    path = write_rows(tmp_path / "junior.csv", rows)
    found = problems_of(read_organogram(senior, path))
    assert [(p.code, p.file, p.row, p.column, p.expected) for p in found] == [
        (
            "out-of-range",
            str(path),
            2,
            "Number of Posts in FTE",
            "a number of FTE from 0 to 1,000,000",
        )
    ]


def test_council_salary_and_band_use_the_same_rules(tmp_path: Path) -> None:
    rows = rows_of(TRAFFORD)
    band, top = rows[0].index("SalaryBand"), rows[0].index("MaximumSalary")
    rows[2][band] = "-5 - 10"
    rows[3][band] = "95000 - 1e300"
    rows[4][top] = "-65059"
    rows[5][top] = "65059,50"
    path = write_rows(tmp_path / "council.csv", rows)
    found = problems_of(read_lga(path))
    assert [(p.code, p.row, p.column, p.value) for p in found] == [
        ("not-a-number", 3, "SalaryBand", "-5 - 10"),
        ("not-a-number", 4, "SalaryBand", "95000 - 1e300"),
        ("out-of-range", 5, "MaximumSalary", "-65059"),
        ("decimal-comma", 6, "MaximumSalary", "65059,50"),
    ]


def test_a_mapped_table_uses_the_same_rules(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(
        'Position,Manager,FTE,Cost\n1,XX,1,"£180,000"\n2,1,"0,8",30000\n3,1,1,-30000\n4,1,1,1e6\n',
        encoding="utf-8",
    )
    mapping = ColumnMapping(post_id="Position", reports_to="Manager", fte="FTE", cost="Cost")
    found = problems_of(read_table(path, mapping))
    assert [(p.code, p.row, p.column, p.value) for p in found] == [
        ("decimal-comma", 3, "FTE", "0,8"),
        ("out-of-range", 4, "Cost", "-30000"),
        ("scientific-notation", 5, "Cost", "1e6"),
    ]


def test_read_numbers_never_gives_a_value_that_is_not_finite() -> None:
    text = pl.Series(["inf", "-inf", "nan", "NaN", "1e309", "9" * 400, "Infinity", "0x10"])
    for rule in (POST_FTE, JUNIOR_FTE, PAY):
        values, _faults = read_numbers(text, rule)
        assert values.is_null().all()
    mid, _faults, _wide = parse_pay_bands(pl.Series(["1e309 - 1e310", "9" * 400 + " - 1"]))
    assert mid.is_null().all()


# --- Blank references, blank rows and repeated headers ------------------------


def test_a_blank_senior_reports_to_is_a_problem_not_a_top_post(tmp_path: Path) -> None:
    path = dclg_variant(tmp_path, set_cell(REPORTS_TO, 6, " "))
    found = problems_of(read_organogram(path))
    assert [(p.code, p.row, p.column, p.value, p.expected) for p in found] == [
        ("blank-reports-to", 6, REPORTS_TO, None, "a post ID, or XX for a top post")
    ]
    assert found[0].message == errors.BLANK_REPORTS_TO
    assert "None" not in str(found[0])
    result = built(read_organogram(path), lenient=True)
    repairs = [w for w in result.warnings if w.code == "blank-reports-to"]
    assert [(w.row, w.message) for w in repairs] == [(6, errors.REPAIRED_BLANK_REPORTS_TO)]
    post = result.structure.post_id.to_list().index(rows_of(DCLG)[5][0])
    assert result.structure.parent[post] == -1


def test_a_blank_junior_reports_to_names_its_row_and_never_none(tmp_path: Path) -> None:
    rows = rows_of(MOD_JUNIOR)
    column = rows[0].index("Reporting Senior Post")
    fte = rows[0].index("Number of Posts in FTE")
    rows[2][column] = ""
    path = write_rows(tmp_path / "junior.csv", rows)
    found = problems_of(read_organogram(real(MOD_SENIOR), path))
    assert [(p.code, p.file, p.row, p.column, p.value) for p in found] == [
        ("blank-reports-to", str(path), 3, "Reporting Senior Post", None)
    ]
    assert "None" not in str(found[0])
    result = built(read_organogram(real(MOD_SENIOR), path), lenient=True)
    repairs = [w for w in result.warnings if w.code == "blank-reports-to"]
    assert [w.message for w in repairs] == [errors.REPAIRED_BLANK_SENIOR.format(fte=rows[2][fte])]
    whole = built(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR)))
    left_out = float(rows[2][fte])
    assert result.structure.junior_fte.sum() == pytest.approx(
        whole.structure.junior_fte.sum() - left_out
    )


def with_blank_and_header(rows: list[list[str]]) -> None:
    rows.insert(5, [""] * len(rows[0]))  # row 6
    rows.insert(8, list(rows[0]))  # row 9


def test_a_repeated_header_row_is_named_as_such(tmp_path: Path) -> None:
    path = dclg_variant(tmp_path, with_blank_and_header)
    found = problems_of(read_organogram(path))
    assert [(p.code, p.row, p.message) for p in found] == [
        ("repeated-header", 9, errors.REPEATED_HEADER)
    ]


def test_lenient_skips_blank_rows_and_repeated_headers_and_lists_each(tmp_path: Path) -> None:
    path = dclg_variant(tmp_path, with_blank_and_header)
    result = built(read_organogram(path), lenient=True)
    plain = built(read_organogram(real(DCLG)))
    assert len(result.structure) == len(plain.structure)
    assert result.structure.fte.sum() == pytest.approx(plain.structure.fte.sum())
    said = [(w.code, w.row, w.message) for w in result.warnings if w.code != "job-share"]
    assert said == [
        ("blank-row", 6, errors.SKIPPED_BLANK_ROW),
        ("repeated-header", 9, errors.SKIPPED_HEADER),
    ]


def test_blank_rows_are_noted_in_every_mode(tmp_path: Path) -> None:
    def blanks(rows: list[list[str]]) -> None:
        for _ in range(3):
            rows.insert(5, [""] * len(rows[0]))  # rows 6 to 8

    result = built(read_organogram(dclg_variant(tmp_path, blanks)))
    assert [(w.row, w.message) for w in result.warnings if w.code == "blank-row"] == [
        (6, errors.SKIPPED_BLANK_ROWS.format(first=6, last=8))
    ]


# --- Council files: Level ----------------------------------------------------


@pytest.mark.parametrize("level", ["", "2.5", "x", "0", "-1", "1e9"])
def test_a_council_level_that_cannot_be_read_is_a_problem_and_no_gap(
    tmp_path: Path, level: str
) -> None:
    rows = rows_of(TRAFFORD)
    rows[4][rows[0].index("Level")] = level
    path = write_rows(tmp_path / "council.csv", rows)
    table = read_lga(path)
    gaps = [f for f in table.findings if f.code == "level-gap"]
    assert all(str(10**9) not in f.message for f in gaps)
    assert not any(f.row == 5 for f in gaps)
    found = problems_of(table)
    assert [(p.code, p.row, p.column, p.value) for p in found] == [("bad-level", 5, "Level", level)]


def test_a_council_level_gap_names_the_levels(tmp_path: Path) -> None:
    rows = rows_of(TRAFFORD)
    level = rows[0].index("Level")
    assert rows[3][level] == "3" and rows[2][level] == "2"
    rows[3][level] = "4"
    path = write_rows(tmp_path / "council.csv", rows)
    gaps = [f for f in read_lga(path).findings if f.code == "level-gap"]
    assert [(f.row, f.message) for f in gaps] == [(4, errors.LEVEL_GAP.format(level=4, previous=2))]


# --- One grammar: the import kit reads a number as the structure readers do ----

NUMBER_TEXTS = st.text(alphabet="0123456789,.-£() eE", max_size=12) | st.sampled_from(
    ["0,5", "1,250", "1,250.50", "£-5", "(1,250)", "inf", "1e3", ".5", "72.500,00", "0,500"]
)


@settings(max_examples=100, deadline=None)
@given(NUMBER_TEXTS)
def test_one_number_grammar_for_the_readers_and_the_import_kit(text: str) -> None:
    values, faults = read_numbers(pl.Series([text]), replace(PAY, minimum=-1e300, maximum=1e300))
    try:
        exact: Decimal | None = read_number(text, pounds=True)
        fault = None
    except NumberFault as error:
        exact, fault = None, error.fault
    if values.is_null()[0] and faults[0] is None:
        return  # a missing value (blank, N/A, "-" ...) or a pay of 0
    assert faults[0] == fault
    if exact is not None:
        assert values[0] == pytest.approx(float(exact))
    money = Column("cost", "Cost", type=ColumnType.MONEY)
    if exact is not None and exact == exact.quantize(Decimal("0.01")):
        assert read_cell(money, text) == exact.quantize(Decimal("0.01"))
    elif fault is not None:
        with pytest.raises(CellError):
            read_cell(money, text)
