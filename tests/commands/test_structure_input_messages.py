"""What `goldenthread structure analyse` says of malformed files, rules and mappings:
each message names the file it is about once, with the line, key or row, and
its JSON is valid JSON whatever the input."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goldenthread.commands.structure import app, dumps
from goldenthread.formats.writing import Sheet, write_xlsx
from tests.formats.test_structure_formats import DCLG, real

runner = CliRunner()


def strict_json(text: str) -> Any:
    """``text`` parsed as JSON, refusing NaN and Infinity as JSON itself does."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def dclg_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(real(DCLG).read_text(encoding="utf-8"))))


def write(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return str(path)


def cell(column: str, row: int, value: str) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    return change


def blank_and_header(rows: list[list[str]]) -> None:
    rows.insert(5, [""] * len(rows[0]))
    rows.insert(8, list(rows[0]))


VARIANTS: dict[str, Callable[[list[list[str]]], None]] = {
    "comma-fte": cell("FTE", 3, "0,5"),
    "negative-fte": cell("FTE", 4, "-1"),
    "inf-fte": cell("FTE", 4, "inf"),
    "nan-fte": cell("FTE", 4, "nan"),
    "huge-pay": cell("Actual Pay Floor (£)", 4, "1e300"),
    "negative-pay": cell("Actual Pay Ceiling (£)", 4, "-40000"),
    "blank-reports-to": cell("Reports to Senior Post", 6, ""),
    "blank-and-header": blank_and_header,
    "as-it-is": lambda rows: None,
}


@pytest.mark.parametrize("lenient", [False, True])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_json_is_valid_json_for_every_variant(
    tmp_path: Path, variant: str, lenient: bool
) -> None:
    rows = dclg_rows()
    VARIANTS[variant](rows)
    path = write(tmp_path / f"{variant}.csv", rows)
    result = runner.invoke(app, ["analyse", path, "--json", *(["--lenient"] if lenient else [])])
    assert result.exit_code in (0, 2), result.output
    out = strict_json(result.stdout)
    if result.exit_code == 0:
        assert out["fte"] < 200
        assert all(w["message"] and "None" not in w["message"] for w in out["warnings"])
    else:
        assert out["problems"]
        assert all(p["row"] is not None for p in out["problems"])


def test_the_printed_json_never_holds_nan_or_infinity() -> None:
    text = dumps({"mean": float("nan"), "top": [float("inf"), -float("inf"), 1.5]})
    assert strict_json(text) == {"mean": None, "top": [None, None, 1.5]}


def test_a_diff_prints_valid_json(tmp_path: Path) -> None:
    path = write(tmp_path / "one.csv", [["post_id", "reports_to"], ["A", "XX"]])
    for command in (["analyse", path], ["diff", path, path]):
        result = runner.invoke(app, [*command, "--json"])
        assert result.exit_code == 0, result.output
        strict_json(result.stdout)


# --- The file named once ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("junk.csv", bytes(range(256)) * 20, "the file is not UTF-8, UTF-16 or Windows-1252 text"),
        (
            "posts.xlsx",
            b"post_id,reports_to\nA,XX\n",
            "the file is CSV text, not an Excel workbook; name it .csv",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_named_once(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["analyse", str(path)])
    assert result.exit_code == 2
    assert f"  {path}: {message}\n" in result.stderr
    assert result.stderr.count(name) == 1


# --- How the file was read ----------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding", "notes"),
    [
        ("\t", "utf-8", ["the values are separated by tabs, not commas; the file was read so"]),
        (
            ";",
            "utf-8",
            ["the values are separated by semicolons, not commas; the file was read so"],
        ),
        (",", "utf-16", ["the file is UTF-16 text, not UTF-8; it was read as UTF-16"]),
        (",", "utf-8-sig", []),
        (",", "utf-8", []),
    ],
)
def test_a_file_read_another_way_than_utf8_commas_says_so(
    tmp_path: Path, delimiter: str, encoding: str, notes: list[str]
) -> None:
    path = write(tmp_path / "posts.csv", dclg_rows(), delimiter, encoding)
    result = runner.invoke(app, ["analyse", path, "--json"])
    assert result.exit_code == 0, result.output
    out = strict_json(result.stdout)
    assert out["posts"] == 98
    assert [w["message"] for w in out["warnings"] if w["code"] == "read-as"] == notes


def test_a_ragged_row_in_a_semicolon_file_says_how_it_was_split(tmp_path: Path) -> None:
    rows = dclg_rows()
    rows[4].append("extra")
    path = write(tmp_path / "posts.csv", rows, ";")
    result = runner.invoke(app, ["analyse", path])
    assert result.exit_code == 2
    assert (
        f"{path}, row 5: this row has 23 values; the header has 22 "
        "(the values were taken as separated by semicolons)"
    ) in result.stderr


# --- Workbooks: the row as Excel shows it -------------------------------------


def test_a_workbook_problem_after_a_blank_row_names_the_row_excel_shows(tmp_path: Path) -> None:
    rows = dclg_rows()
    header, body = rows[0], [list(r) for r in rows[1:12]]
    body.insert(3, [None] * len(header))  # Excel row 5 is blank
    body[6][header.index("FTE")] = "abc"  # Excel row 8
    path = tmp_path / "posts.xlsx"
    path.write_bytes(write_xlsx([Sheet("Posts", header, body)]))
    result = runner.invoke(app, ["analyse", str(path), "--format", "organogram", "--json"])
    assert result.exit_code == 2
    problems = strict_json(result.stdout)["problems"]
    assert [(p["row"], p["column"], p["value"]) for p in problems if p["column"] == "FTE"] == [
        (8, "FTE", "abc")
    ]
    warnings = strict_json(result.stdout)["warnings"]
    assert [(w["row"], w["code"]) for w in warnings if w["code"] == "blank-row"] == [
        (5, "blank-row")
    ]


# --- Rules and mapping files --------------------------------------------------


def test_a_malformed_mapping_names_the_mapping_file_and_line(tmp_path: Path) -> None:
    data = write(tmp_path / "posts.csv", [["post_id", "reports_to"], ["A", "XX"]])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("[columns]\npost_id = [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["analyse", data, "--format", "table", "--mapping", str(mapping)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{mapping}, line 2: the file is not valid TOML: invalid value at column 12"
    )


@pytest.mark.parametrize(
    ("text", "key", "found"),
    [
        ("[columns]\npost_id = 7\n", "columns.post_id", "7"),
        ("[columns]\nunit = [1, 2]\n", "columns.unit", "[1, 2]"),
        ('[columns]\nmanager = "Boss"\n', "columns.manager", None),
        ('[options]\ntop_markers = "XX"\nsheet = 1\n', "options.sheet", "1"),
        ('columns = "post_id"\n', "columns", "'post_id'"),
    ],
)
def test_a_mapping_value_of_the_wrong_kind_names_the_file_and_key(
    tmp_path: Path, text: str, key: str, found: str | None
) -> None:
    data = write(tmp_path / "posts.csv", [["post_id", "reports_to"], ["A", "XX"]])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["analyse", data, "--format", "table", "--mapping", str(mapping)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{mapping}, key {key!r}: ")
    if found is not None:
        assert f"(found {found};" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "key", "found", "expected"),
    [
        ('target_span_min = "five"', "target_span_min", "'five'", "a whole number of 1 or more"),
        ("target_span_max = 7.5", "target_span_max", "7.5", "a whole number at least"),
        ("narrow_span_max = -1", "narrow_span_max", "-1", "a whole number of 0 or more"),
        ("max_layers = true", "max_layers", "True", "a whole number of 1 or more"),
        ("max_layers = 0", "max_layers", "0", "a whole number of 1 or more"),
        ('cost_per_redundancy = "lots"', "cost_per_redundancy", "'lots'", "an amount in pounds"),
        ("cost_per_redundancy = -5", "cost_per_redundancy", "-5", "an amount in pounds"),
        ("cost_per_redundancy = nan", "cost_per_redundancy", "nan", "an amount in pounds"),
        ("[rules]\ntarget_span_min = [5]", "target_span_min", "[5]", "a whole number"),
        ("target_span_min = 9", "target_span_max", "8", "a whole number at least"),
        ("spans = 5", "spans", None, "one of target_span_min"),
    ],
)
def test_a_rule_of_the_wrong_kind_names_the_file_key_value_and_expectation(
    tmp_path: Path, text: str, key: str, found: str | None, expected: str
) -> None:
    data = write(tmp_path / "posts.csv", [["post_id", "reports_to"], ["A", "XX"]])
    rules = tmp_path / "rules.toml"
    rules.write_text(text + "\n", encoding="utf-8")
    result = runner.invoke(app, ["analyse", data, "--rules", str(rules)])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"{rules}, key {key!r}: "), message
    if found is not None:
        assert f"(found {found}; expected {expected}" in message
    else:
        assert f"(expected {expected}" in message
    assert "Traceback" not in result.output


def test_a_rules_file_that_is_not_toml_names_its_line(tmp_path: Path) -> None:
    data = write(tmp_path / "posts.csv", [["post_id", "reports_to"], ["A", "XX"]])
    rules = tmp_path / "rules.toml"
    rules.write_text("target_span_min = 5\ntarget_span_max =\n", encoding="utf-8")
    result = runner.invoke(app, ["analyse", data, "--rules", str(rules)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{rules}, line 2: the file is not valid TOML: ")
