"""A quote inside a value that is not in quotes is refused with its cell, by every reader.

The csv module reads ``00206191",...`` (a file whose opening quote was lost)
as the value ``00206191"``: a post that matches nothing, read in silence. The
bounded reader refuses it, in strict and lenient imports alike, naming the
file, the row as a spreadsheet shows it and the column.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goldenthread.formats.detect import read_posts
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import build_structure
from goldenthread.formats.reading import FormatError, read_frame
from goldenthread.formats.sources import STRAY_QUOTE
from goldenthread.formats.tabular import TableError, read_table
from goldenthread.kit.importing import Report, read_rows
from goldenthread.structure.columns import REDUNDANCY_BAND_COLUMNS

REAL = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real").resolve()
MOD_SENIOR = "ministry_of_defence-2016-03-31-senior.csv"
EXPECTED = "a value with a quote must be wholly in quotes, with the quote doubled"


def stray(value: str) -> str:
    return STRAY_QUOTE.format(found=repr(value))


def mod_without_an_opening_quote(tmp_path: Path) -> Path:
    """The MOD 2016 senior file with one opening quote taken off (row 11, the 10th post)."""
    source = REAL / MOD_SENIOR
    if not source.exists():
        pytest.skip(f"real data file {MOD_SENIOR} is not present in ../shared/data/real")
    lines = source.read_bytes().split(b"\n")
    assert lines[10].startswith(b'"00206191","N/D"')
    lines[10] = lines[10][1:]
    path = tmp_path / "mod-senior.csv"
    path.write_bytes(b"\n".join(lines))
    return path


# Each file, and the row, column and value of its stray quote.
TINY = [
    (b'grade,cost\nSCS1,30000\nSCS2",40000\n', 3, "grade", 'SCS2"'),
    (b'grade,cost\nSCS1,30000\n12" pipe,40000\n', 3, "grade", '12" pipe'),
    (b'grade;cost\r\nSCS1;"30,000"\r\nSCS2;40"000\r\n', 3, "cost", '40"000'),
    (b'grade,cost\n"SCS1\nsenior",30000\n\nSCS2, "4"\n', 4, "cost", ' "4"'),
    (b'grade,co"st\nSCS1,30000\n', 1, "B", 'co"st'),
]


@pytest.mark.parametrize(("data", "row", "column", "value"), TINY)
def test_the_import_kit_reader_refuses_a_stray_quote_with_its_cell(
    data: bytes, row: int, column: str, value: str
) -> None:
    with pytest.raises(TableError) as caught:
        read_table(data, "bands.csv")
    problem = caught.value.problem
    assert (problem.row, problem.column) == (row, column)
    assert problem.message == f"bands.csv: {stray(value)}"
    assert EXPECTED in problem.message
    report = Report("bands.csv")
    assert read_rows(REDUNDANCY_BAND_COLUMNS, "bands.csv", data, report) is None
    (entry,) = report.problems
    assert (entry["row"], entry["column"]) == (row, column)


@pytest.mark.parametrize(("data", "row", "column", "value"), TINY)
def test_the_structure_reader_refuses_a_stray_quote_with_its_cell(
    tmp_path: Path, data: bytes, row: int, column: str, value: str
) -> None:
    # The first files are plain enough for the fast reading but for the quote.
    path = tmp_path / "posts.csv"
    path.write_bytes(data)
    with pytest.raises(FormatError) as caught:
        read_frame(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert problem.message == stray(value)


def test_values_wholly_in_quotes_with_their_quotes_doubled_are_read() -> None:
    data = b'grade,cost\n"12"" pipe",30000\n"SCS ""2""",""""\n"",x\n'
    table = read_table(data, "bands.csv")
    assert [row.values for row in table.rows] == [
        ('12" pipe', "30000"),
        ('SCS "2"', '"'),
        ("", "x"),
    ]


def test_mod_with_an_opening_quote_lost_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = mod_without_an_opening_quote(tmp_path)
    with pytest.raises(FormatError) as caught:
        read_organogram(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (11, "Post Unique Reference")
    assert problem.message == stray('00206191"')
    assert str(problem).startswith(f"{path}, row 11, column 'Post Unique Reference': ")
    # Lenient or strict, the structure is never built from the file.
    for lenient in (False, True):
        with pytest.raises(FormatError):
            build_structure(read_posts(path), lenient=lenient)


def test_mod_with_an_opening_quote_lost_is_refused_by_the_import_kit(tmp_path: Path) -> None:
    path = mod_without_an_opening_quote(tmp_path)
    with pytest.raises(TableError) as caught:
        read_table(path.read_bytes(), path.name)
    problem = caught.value.problem
    assert (problem.row, problem.column) == (11, "Post Unique Reference")
    assert problem.message == f"{path.name}: {stray('00206191' + chr(34))}"
