"""Post IDs that disagree between columns: lost leading zeros and IDs used twice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from goldenthread.analysis.structure import summarise
from goldenthread.formats import errors
from goldenthread.formats.errors import StructureImportError
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import PostTable, build_structure, grade_rank
from tests.formats.test_structure_formats import MOD_JUNIOR, MOD_SENIOR, real

POST_ID = "Post Unique Reference"
REPORTS_TO = "Reports to Senior Post"
SENIOR_POST = "Reporting Senior Post"


def unpadded(value: str) -> str:
    return (value.lstrip("0") or "0") if value.isdigit() else value


def strip_column(source: Path, target: Path, column: str) -> Path:
    """A copy of ``source`` whose ``column`` lost its leading zeros, as a spreadsheet does."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(column)
    for row in rows[1:]:
        row[at] = unpadded(row[at])
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    return target


def managers(table: PostTable, lenient: bool = False) -> dict[str, str | None]:
    s = build_structure(table, lenient=lenient).structure
    ids = s.post_id.to_list()
    return {ids[i]: (ids[p] if p >= 0 else None) for i, p in enumerate(s.parent.tolist())}


# --- Lost leading zeros --------------------------------------------------------


def test_references_that_lost_their_zeros_are_named_in_strict_mode() -> None:
    table = PostTable.from_lists(
        ["00178009", "00178010", "00178011", "00178012"], [None, "178009", "178009", "178010"]
    )
    with pytest.raises(StructureImportError) as caught:
        build_structure(table)
    (problem,) = caught.value.problems
    assert problem.code == "leading-zeros"
    assert problem.message == errors.LEADING_ZEROS.format(
        count=3, what="reports-to values", row=2, value="178009", post_id="00178009"
    )
    assert (problem.row, problem.column, problem.value) == (2, "reports_to", "178009")


def test_lenient_matches_ignoring_leading_zeros_either_way_and_says_so() -> None:
    table = PostTable.from_lists(
        ["178009", "178010", "178011", "178012"], [None, "00178009", "178009", "0178010"]
    )
    result = build_structure(table, lenient=True)
    assert result.structure.parent.tolist() == [-1, 0, 0, 1]
    (repair,) = result.warnings
    assert repair.message == errors.REPAIRED_LEADING_ZEROS.format(
        count=2, what="reports-to values", row=2, value="00178009", post_id="178009"
    )


def test_zeros_are_never_ignored_when_two_posts_differ_only_by_them() -> None:
    # 012 and 12 are two posts: a reference 0012 could mean either.
    table = PostTable.from_lists(["012", "12", "013", "014"], [None, None, "0012", "12"])
    with pytest.raises(StructureImportError) as caught:
        build_structure(table)
    assert [p.code for p in caught.value.problems] == ["unknown-manager"]
    result = build_structure(table, lenient=True)
    assert result.structure.parent.tolist() == [-1, -1, -1, 1]
    assert [w.code for w in result.warnings] == ["unknown-manager"]


def test_zeros_matter_only_for_references_that_fail_and_ids_of_digits() -> None:
    # Every reference matches as written: nothing is said, even though 0A1
    # and A1 differ only by a zero (IDs with letters are never unpadded).
    table = PostTable.from_lists(["7", "07", "A1", "0A1"], [None, "7", None, "A1"])
    result = build_structure(table)
    assert result.structure.parent.tolist() == [-1, 0, -1, 2]
    assert result.warnings == ()
    with pytest.raises(StructureImportError) as caught:
        build_structure(PostTable.from_lists(["A1", "B1"], [None, "0A1"]))
    assert [p.code for p in caught.value.problems] == ["unknown-manager"]


def test_an_id_used_by_two_posts_is_not_a_target_for_unpadded_references() -> None:
    table = PostTable.from_lists(["1", "1", "5", "6"], [None, "5", None, "001"])
    with pytest.raises(StructureImportError) as caught:
        build_structure(table)
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["duplicate-id", "unknown-manager"]


def test_mod_senior_file_with_post_ids_stripped_of_zeros(tmp_path: Path) -> None:
    path = strip_column(real(MOD_SENIOR), tmp_path / "mod-senior.csv", POST_ID)
    with pytest.raises(StructureImportError) as caught:
        build_structure(read_organogram(path))
    problems = caught.value.problems
    zeros = [p for p in problems if p.code == "leading-zeros"]
    assert [p.message for p in zeros] == [
        errors.LEADING_ZEROS.format(
            count=294, what="reports-to values", row=5, value="00206135", post_id="206135"
        )
    ]
    # Stripping made two posts "1" (the SSRO's chief executive and MOD's
    # director of HR): references to 00000001 are not guessed.
    others = sorted((p.code, p.value) for p in problems if p.code != "leading-zeros")
    assert others == [("duplicate-id", "1")] + [("unknown-manager", "00000001")] * 3

    before = managers(read_organogram(real(MOD_SENIOR)))
    after = managers(read_organogram(path), lenient=True)
    unchanged = {
        post: manager
        for post, manager in before.items()
        if unpadded(post) not in {"0", "1"} and manager != "00000001"
    }
    assert {unpadded(p): m and unpadded(m) for p, m in unchanged.items()} == {
        unpadded(p): after[unpadded(p)] for p in unchanged
    }


def test_mod_references_stripped_of_zeros_with_junior_staff(tmp_path: Path) -> None:
    path = strip_column(real(MOD_SENIOR), tmp_path / "mod-senior.csv", REPORTS_TO)
    base = build_structure(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR)))
    result = build_structure(read_organogram(path, real(MOD_JUNIOR)), lenient=True)
    (repair, twins) = [w for w in result.warnings if w.code.startswith("leading-zeros")]
    assert repair.message == errors.REPAIRED_LEADING_ZEROS.format(
        count=295, what="reports-to values", row=5, value="206135", post_id="00206135"
    )
    # References to 00000001 now read 1, which is another post as written:
    # matched as written, with a warning to check them.
    assert twins.message == errors.ZERO_TWINS.format(
        count=7, what="reports-to values", row=75, value="1"
    )
    a, b = summarise(base.structure), summarise(result.structure)
    assert (b.posts, b.roots, b.layers, b.fte) == (a.posts, a.roots, a.layers, a.fte)


def test_junior_references_that_lost_their_zeros(tmp_path: Path) -> None:
    junior = strip_column(real(MOD_JUNIOR), tmp_path / "mod-junior.csv", SENIOR_POST)
    base = build_structure(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR))).structure
    with pytest.raises(StructureImportError) as caught:
        build_structure(read_organogram(real(MOD_SENIOR), junior))
    (problem,) = caught.value.problems
    assert problem.message == errors.LEADING_ZEROS.format(
        count=4251,
        what="junior staff references to a senior post",
        row=2,
        value="155792",
        post_id="00155792",
    )
    assert (problem.file, problem.column) == (str(junior), SENIOR_POST)
    repaired = build_structure(read_organogram(real(MOD_SENIOR), junior), lenient=True)
    assert repaired.structure.junior_fte.tolist() == base.junior_fte.tolist()
    assert [w.code for w in repaired.warnings if w.file == str(junior)] == ["leading-zeros"]


# --- One ID, two posts ---------------------------------------------------------


def test_grades_rank_senior_civil_service_and_military_ranks() -> None:
    assert grade_rank("SCS4") > grade_rank("SCS3") > grade_rank("SCS2")  # type: ignore[operator]
    assert grade_rank("SCS2") > grade_rank("SCS1A") > grade_rank("SCS1")  # type: ignore[operator]
    assert grade_rank("OF-9") == grade_rank("SCS4")
    assert grade_rank("Permanent Secretary") == 4.0
    assert grade_rank("6") is None and grade_rank("") is None and grade_rank(None) is None


def duplicated(grades: list[str], costs: list[float | None] | None = None) -> PostTable:
    # X is used twice: a director under TOP, and another post under Y.
    return PostTable.from_lists(
        ["TOP", "X", "Y", "X", "R1", "R2"],
        [None, "TOP", "TOP", "Y", "X", "X"],
        title=["Chief Executive", "Director", "Director Y", "Head", "Officer", "Officer"],
        grade=["SCS4", grades[0], "SCS2", grades[1], "", ""],
        cost=costs or [None] * 6,
    )


@pytest.mark.parametrize(
    ("grades", "costs", "row", "reason"),
    [
        (["SCS2", "SCS1"], None, 2, "SCS2 is the most senior grade of the rows"),
        (["SCS1", "SCS2"], None, 4, "SCS2 is the most senior grade of the rows"),
        (
            ["6", "7"],
            [1.0, 90_000.0, 1.0, 95_000.0, 1.0, 1.0],
            4,
            "its pay (£95,000.00) is the highest of the rows",
        ),
        (
            ["SCS1", "OF-6"],
            None,
            2,
            "nothing else tells the rows apart, so the first in the file was taken",
        ),
    ],
)
def test_the_reports_of_a_duplicated_id_go_to_the_more_senior_row(
    grades: list[str], costs: list[float | None] | None, row: int, reason: str
) -> None:
    result = build_structure(duplicated(grades, costs), lenient=True)
    (repair,) = result.warnings
    assert repair.code == "duplicate-id"
    assert f"the 2 posts that report to X were attached to row {row} because {reason}" in (
        repair.message
    )
    s = result.structure
    ids = s.post_id.to_list()
    kept = ids.index("X")
    assert s.grade[kept] == grades[0 if row == 2 else 1]
    assert [ids[p] for p in s.parent[[ids.index("R1"), ids.index("R2")]]] == ["X", "X"]


def test_a_row_below_the_reports_is_not_given_them_whatever_its_grade() -> None:
    # Row 2's X (SCS3) reports to R1, which reports to X: attaching R1 to it
    # would close a loop, so the reports go to the SCS1 row (row 4).
    table = PostTable.from_lists(
        ["TOP", "X", "R1", "X"],
        [None, "R1", "X", "TOP"],
        grade=["SCS4", "SCS3", "", "SCS1"],
    )
    result = build_structure(table, lenient=True)
    (repair,) = result.warnings
    assert repair.message.endswith(
        "the post that reports to X was attached to row 4 because row 2 is itself below "
        "those posts, so attaching them there would make a reporting cycle"
    )
    assert managers(table, lenient=True) == {"TOP": None, "X~2": "R1", "R1": "X", "X": "TOP"}


def test_strict_mode_names_both_rows_of_a_duplicated_id() -> None:
    with pytest.raises(StructureImportError) as caught:
        build_structure(duplicated(["SCS2", "SCS1"]))
    (problem,) = caught.value.problems
    assert problem.message == (
        "post X appears on 2 rows with different managers: row 2 (SCS2 Director; reports to "
        "TOP) and row 4 (SCS1 Head; reports to Y); 2 posts report to X, so which of these "
        "rows is meant is unclear"
    )


def test_a_duplicated_id_nobody_reports_to_keeps_the_first_row() -> None:
    table = PostTable.from_lists(["A", "B", "B", "B"], [None, "A", None, "A"])
    result = build_structure(table, lenient=True)
    assert [w.message for w in result.warnings if w.code == "duplicate-id"] == [
        errors.REPAIRED_DUPLICATE.format(
            post_id="B",
            count=3,
            rows="rows 2 and 4 (reports to A) and row 3 (a top post)",
            renamed="row 3 became post B~2",
        )
    ]
    assert result.job_shares == 1
