"""The import kit reads uploads within the limits the settings give, and says how it read them."""

from __future__ import annotations

from typing import Any

from goldenthread.formats.sources import ReadLimits
from goldenthread.kit.columns import Column, Columns
from goldenthread.kit.importing import Report, read_rows
from goldenthread.kit.limits import read_limits

UNITS = Columns("unit", [Column("code", "Code", required=True), Column("name", "Name")], key="code")


def test_the_limits_come_from_the_settings(settings: Any) -> None:
    assert read_limits() == ReadLimits()
    settings.GOLDENTHREAD_READ_MAX_ROWS = 10
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = 3
    settings.GOLDENTHREAD_READ_MAX_CELLS = 20
    settings.GOLDENTHREAD_READ_MAX_UNPACKED_BYTES = 1000
    settings.GOLDENTHREAD_READ_MAX_COMPRESSION_RATIO = 7
    settings.GOLDENTHREAD_READ_MAX_TOTAL_CHARS = 30
    assert read_limits() == ReadLimits(
        max_rows=10,
        max_columns=3,
        max_cells=20,
        max_unpacked_bytes=1000,
        max_compression_ratio=7,
        max_total_chars=30,
    )


def test_an_import_is_refused_past_the_column_limit_of_the_settings(settings: Any) -> None:
    settings.GOLDENTHREAD_READ_MAX_COLUMNS = 2
    report = Report("units.csv")
    assert read_rows(UNITS, "units.csv", b"code,name,extra\nPEO,People,x\n", report) is None
    assert [(p["row"], p["message"]) for p in report.problems] == [
        (1, "units.csv: this file has 3 columns; at most 2 are read")
    ]


def test_limits_passed_in_win_over_the_settings() -> None:
    report = Report("units.csv")
    data = b"code,name\n" + b"PEO,People\n" * 5
    assert read_rows(UNITS, "units.csv", data, report, limits=ReadLimits(max_rows=3)) is None
    assert report.problems[0]["row"] == 5


def test_a_utf16_file_finds_its_code_column() -> None:
    report = Report("units.csv")
    data = "code\tname\r\nPEO\tPeople\r\n".encode("utf-16")
    rows = read_rows(UNITS, "units.csv", data, report)
    assert report.problems == []
    assert rows is not None
    assert [(row.number, row.values) for row in rows] == [(2, {"code": "PEO", "name": "People"})]


def test_a_windows_1252_file_is_read_with_a_note() -> None:
    report = Report("units.csv")
    rows = read_rows(UNITS, "units.csv", "code,name\nCAF,Café\n".encode("cp1252"), report)
    assert rows is not None and rows[0].values["name"] == "Café"
    assert [n["message"] for n in report.notes] == [
        "units.csv: the file is not UTF-8 text; it was read as Windows-1252 text"
    ]


def test_an_unclosed_quote_no_longer_swallows_the_rows_after_it() -> None:
    report = Report("units.csv")
    data = b'code,name\nPEO,People\nCOM,"Communities\nFIN,Finance\n'
    assert read_rows(UNITS, "units.csv", data, report) is None
    assert [(p["row"], p["message"]) for p in report.problems] == [
        (3, "units.csv: a quoted value starting on this row is never closed")
    ]
