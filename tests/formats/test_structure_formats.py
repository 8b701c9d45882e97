"""Reading real organogram, council and HR files, and the import rules."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from goldenthread.analysis.diff import diff_structures
from goldenthread.analysis.structure import post_metrics, summarise
from goldenthread.formats import errors
from goldenthread.formats.detect import detect_format, load_rules
from goldenthread.formats.errors import StructureImportError
from goldenthread.formats.lga import read_lga
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.formats.reading import FormatError
from goldenthread.formats.table import ColumnMapping, read_table

REAL = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real").resolve()
DCLG = "department_for_communities_and_local_government-2011-09-30-senior.csv"
MOD_SENIOR = "ministry_of_defence-2016-03-31-senior.csv"
MOD_JUNIOR = "ministry_of_defence-2016-03-31-junior.csv"
MOD_2015 = "ministry_of_defence-2015-09-30-senior.csv"
DWP = "300913-DWP.xls-senior.csv"
TRAFFORD = "trafford_council_organisation_structure.csv"


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real data file {name} is not present in ../shared/data/real")
    return path


# --- DCLG 2011-09-30: small enough to check by hand -------------------------


def test_dclg_figures_checked_by_hand() -> None:
    result = build_structure(read_organogram(real(DCLG)))
    s = summarise(result.structure)
    # 103 rows: four "Not in post" rows share ID 0 and are counted apart;
    # CLG163 is a job share of two rows (0.71 + 0.49 FTE) -> 98 posts.
    assert result.rows_read == 103
    assert s.not_in_post_rows == 4
    assert result.job_shares == 1
    assert s.posts == 98
    # The Permanent Secretary and two deputy directors reporting straight to XX.
    assert s.roots == 3
    assert s.layers == 4
    assert s.posts_by_layer == (3, 4, 24, 67)
    job_share = [w for w in result.warnings if w.code == "job-share"]
    assert len(job_share) == 1
    assert job_share[0].message == errors.JOB_SHARE.format(
        post_id="CLG163", count=2, rows="101, 102", fte="1.2"
    )
    ids = result.structure.post_id.to_list()
    fte = result.structure.fte[ids.index("CLG163")]
    assert fte == pytest.approx(1.2)


# --- MOD 2016-03-31: checked against a separate plain-Python computation -----


def plain_mod() -> dict[str, object]:
    with real(MOD_SENIOR).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    manager: dict[str, str] = {}
    for r in rows:
        manager.setdefault(r["Post Unique Reference"], r["Reports to Senior Post"])
    layer: dict[str, int] = {}
    for post in manager:
        depth, node = 1, manager[post]
        while node.upper() != "XX":
            depth += 1
            node = manager[node]
        layer[post] = depth
    with real(MOD_JUNIOR).open(encoding="utf-8") as fh:
        junior = list(csv.DictReader(fh))
    junior_fte: dict[str, float] = defaultdict(float)
    for r in junior:
        junior_fte[r["Reporting Senior Post"]] += float(r["Number of Posts in FTE"])
    by_layer = Counter(layer.values())
    spans = Counter(m for m in manager.values() if m.upper() != "XX")
    return {
        "posts": len(manager),
        "roots": sum(1 for m in manager.values() if m.upper() == "XX"),
        "by_layer": tuple(by_layer[i] for i in range(1, max(by_layer) + 1)),
        "junior_fte": sum(junior_fte.values()),
        "junior_posts": len(junior_fte),
        "span_max": max(spans.values()),
        "managers": len(spans),
        "reports_below": {
            p: sum(1 for q in manager if _under(q, p, manager))
            for p in ("00155792",)
            if p in manager
        },
    }


def _under(post: str, boss: str, manager: dict[str, str]) -> bool:
    node = manager[post]
    while node.upper() != "XX":
        if node == boss:
            return True
        node = manager[node]
    return False


def test_mod_2016_matches_a_plain_computation() -> None:
    expected = plain_mod()
    result = build_structure(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR)))
    s = summarise(result.structure)
    assert s.posts == expected["posts"] == 704
    assert s.roots == expected["roots"] == 11
    assert s.posts_by_layer == expected["by_layer"] == (11, 78, 251, 363, 1)
    assert s.layers == 5
    assert s.managers == expected["managers"]
    assert s.spans.maximum == expected["span_max"]
    assert s.junior_fte == pytest.approx(expected["junior_fte"])
    assert s.junior_fte == pytest.approx(191_423.62)
    assert int((result.structure.junior_fte > 0).sum()) == expected["junior_posts"] == 23
    # Junior staff never change spans: every junior-only post is a leaf.
    m = post_metrics(result.structure)
    assert m.span.sum() == s.posts - s.roots
    # Roll-up: all FTE ends up under the roots, posts' and junior staff's apart.
    roots = result.structure.parent < 0
    assert (m.fte_below[roots] + m.fte[roots]).sum() == pytest.approx(s.senior_fte)
    assert m.junior_fte_below[roots].sum() == pytest.approx(s.junior_fte)
    ids = result.structure.post_id.to_list()
    for post, below in expected["reports_below"].items():  # type: ignore[attr-defined]
        assert m.reports_below[ids.index(post)] == below


def test_mod_ids_keep_leading_zeros_and_unknown_pay_is_not_zero() -> None:
    result = build_structure(read_organogram(real(MOD_SENIOR)))
    ids = result.structure.post_id.to_list()
    assert "00000609" in ids
    s = summarise(result.structure)
    # Pay given as N/D, blank or 0 is unknown, never zero.
    assert s.unknown_cost_posts > 500
    assert (result.structure.cost[~(result.structure.cost != result.structure.cost)] > 0).all()


def test_mod_diff_2015_to_2016_with_per_unit_counts() -> None:
    old = build_structure(read_organogram(real(MOD_2015)))
    new = build_structure(read_organogram(real(MOD_SENIOR)))
    exact = [w for w in old.warnings if w.code == "exact-duplicate"]
    assert [(w.row, w.message) for w in exact] == [(553, errors.EXACT_DUPLICATE.format(first=552))]
    d = diff_structures(old.structure, new.structure)
    old_ids = set(old.structure.post_id.to_list())
    new_ids = set(new.structure.post_id.to_list())
    assert len(d.added) == len(new_ids - old_ids) == 159
    assert len(d.removed) == len(old_ids - old_ids.intersection(new_ids)) == 106
    assert len(d.moved) == 87
    assert (d.total.posts_before, d.total.posts_after) == (651, 704)
    units = {u.unit: u for u in d.by_unit}
    assert (units["Army"].posts_before, units["Army"].posts_after) == (110, 0)
    assert (units["Army Command"].posts_before, units["Army Command"].posts_after) == (0, 112)
    assert sum(u.posts_change for u in d.by_unit) == d.total.posts_change == 53


# --- DWP 2013: broken by its publisher ---------------------------------------


DWP135_ROWS = (
    "row 116 (SCS1 Work Services Director, North West; reports to DWP29) and "
    "row 201 (SCS4 Permanent Secretary; a top post)"
)


def test_dwp_fails_strictly_naming_dwp135_with_both_rows() -> None:
    table = read_organogram(real(DWP))
    with pytest.raises(StructureImportError) as caught:
        build_structure(table)
    # The reporting cycle DWP202 → DWP135 → DWP29 → DWP202 exists only when
    # DWP135 is read as the director; the one problem is the shared ID.
    (duplicate,) = caught.value.problems
    assert duplicate.code == "duplicate-id"
    assert duplicate.message == errors.DUPLICATE_CONFLICT.format(
        post_id="DWP135", count=2, rows=DWP135_ROWS
    ) + errors.DUPLICATE_REPORTS.format(reporting="8 posts report to", post_id="DWP135")
    assert (duplicate.row, duplicate.column, duplicate.value) == (
        116,
        "Post Unique Reference",
        "DWP135",
    )
    assert duplicate.file.endswith(DWP)


def test_dwp_lenient_attaches_the_reports_to_the_permanent_secretary() -> None:
    result = build_structure(read_organogram(real(DWP)), lenient=True)
    codes = Counter(w.code for w in result.warnings)
    assert codes == {"duplicate-id": 1, "job-share": 3}
    (repair,) = [w for w in result.warnings if w.code == "duplicate-id"]
    assert repair.message == errors.REPAIRED_DUPLICATE_ATTACHED.format(
        post_id="DWP135",
        count=2,
        rows=DWP135_ROWS,
        renamed="row 116 became post DWP135~2",
        attached="the 8 posts that report to DWP135 were attached",
        row=201,
        reason="row 116 is itself below those posts, so attaching them there would make a "
        "reporting cycle",
    )
    s = result.structure
    ids = s.post_id.to_list()
    perm_sec, director = ids.index("DWP135"), ids.index("DWP135~2")
    # The lower-case "xx" marks the Permanent Secretary as a top post.
    assert s.parent[perm_sec] == -1 and s.title[perm_sec] == "Permanent Secretary"
    assert ids[s.parent[director]] == "DWP29"
    assert (s.parent == perm_sec).sum() == 8
    summary = summarise(s)
    assert (summary.posts, summary.roots) == (229 - 3, 1)


# --- Trafford: council layout without IDs ------------------------------------


def test_trafford_managers_are_inferred_from_levels() -> None:
    table = read_lga(real(TRAFFORD))
    result = build_structure(table)
    assert result.matched_by == "title, directorate and service"
    assert any(w.message == errors.INFERRED_PARENTS for w in result.warnings)
    s = summarise(result.structure)
    assert (s.posts, s.roots, s.layers) == (80, 1, 4)
    assert s.posts_by_layer == (1, 7, 29, 43)
    assert s.vacant == 11
    wide = [w for w in result.warnings if w.code == "wide-pay-band"]
    assert [w.row for w in wide] == [5, 41, 55]
    # "195000 - 199999" for the chief executive is a midpoint, not zero.
    assert result.structure.cost[0] == pytest.approx(197_499.5)


def test_trafford_diff_with_itself_matches_by_title() -> None:
    a = build_structure(read_lga(real(TRAFFORD)))
    d = diff_structures(a.structure, a.structure, matched_by=a.matched_by)
    assert d.matched_by == "title, directorate and service"
    assert not d.added and not d.removed and not d.moved


# --- Generic tables and the rules, on small files ----------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_listed_with_file_row_column_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hr.csv",
        "post_id,reports_to,title,fte,cost\n"
        "001,XX,Chief Executive,1,180000\n"
        "002,001,Director,one,125000\n"
        "003,003,Head of Audit,1,80000\n"
        "004,999,Head of Legal,1,£80k\n"
        "005,006,Officer,1,30000\n"
        "006,005,Officer,1,30000\n",
    )
    with pytest.raises(StructureImportError) as caught:
        build_structure(read_table(path))
    found = [(p.code, p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        ("not-a-number", 3, "fte", "one"),
        ("self-report", 4, "reports_to", "003"),
        ("not-a-number", 5, "cost", "£80k"),
        ("unknown-manager", 5, "reports_to", "999"),
        ("cycle", 6, "reports_to", "006"),
    ]
    assert caught.value.problems[1].message == errors.SELF_REPORT.format(post_id="003")
    assert caught.value.problems[3].message == errors.UNKNOWN_MANAGER.format(
        post_id="004", manager="999"
    )


def test_lenient_repairs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hr.csv",
        "post_id,reports_to,title,fte,cost\n"
        "001,xx,Chief Executive,1,180000\n"
        "002,001,Director,1,£125k\n"
        "003,003,Head of Audit,1,80000\n"
        "004,999,Head of Legal,1,80000\n",
    )
    result = build_structure(read_table(path), lenient=True)
    messages = [w.message for w in result.warnings]
    assert errors.REPAIRED_NUMBER.format(column="cost") in messages
    assert errors.REPAIRED_SELF_REPORT.format(post_id="003") in messages
    assert errors.REPAIRED_UNKNOWN_MANAGER.format(post_id="004", manager="999") in messages
    assert result.structure.parent.tolist() == [-1, 0, -1, -1]


def test_markers_zero_ids_job_shares_and_pay_bands(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hr.csv",
        "Position,Manager,Title,Directorate,Service,FTE,Band\n"
        "0100,N/A,Chief Executive,,,1,195000 - 199999\n"
        "0200,0100,Director of Place,Place,,1,N/D\n"
        "0300,0200,Head of Highways,Place,Highways,0.5,70000 - 74999\n"
        "0300,0200,Head of Highways,Place,Highways,0.5,70000 - 74999\n"
        "0,0200,Not in post,Place,,1,0\n"
        "0400,Xx,Monitoring Officer,,,1,0\n",
    )
    mapping = ColumnMapping(
        post_id="Position",
        reports_to="Manager",
        title="Title",
        unit=("Directorate", "Service"),
        fte="FTE",
        cost=None,
        pay_band="Band",
    )
    result = build_structure(read_table(path, mapping))
    st = result.structure
    assert st.post_id.to_list() == ["0100", "0200", "0300", "0400"]
    assert st.parent.tolist() == [-1, 0, 1, -1]
    assert st.not_in_post_rows == 1
    assert st.fte.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert st.unit.to_list() == ["", "Place", "Place / Highways", ""]
    cost = st.cost.tolist()
    assert cost[0] == 197_499.5
    assert cost[1] != cost[1]  # N/D is unknown (NaN), not zero
    assert cost[2] == 144_999.0  # two halves of a job share
    assert cost[3] != cost[3]  # 0 is unknown


def test_xlsx_numbers_are_cast_to_text(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "establishment.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Posts")
    rows: list[list[object]] = [
        ["post_id", "reports_to", "title", "fte", "cost", "vacant"],
        [1001, "XX", "Chief Executive", 1, 180000, ""],
        [1002, 1001, "Director", 0.8, 100000.5, "Y"],
        ["01003", 1001, "Director", 1, "", "N"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    result = build_structure(read_table(path))
    st = result.structure
    assert st.post_id.to_list() == ["1001", "1002", "01003"]
    assert st.parent.tolist() == [-1, 0, 0]
    assert st.fte.tolist() == [1.0, 0.8, 1.0]
    assert st.vacant.tolist() == [False, True, False]


def test_missing_column_is_a_format_error(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "id,boss\n1,XX\n")
    with pytest.raises(FormatError) as caught:
        read_table(path)
    assert caught.value.problems[0].code == "missing-column"


def test_post_table_from_lists_for_programs() -> None:
    table = PostTable.from_lists(
        ["CX", "D1", "D1"], [None, "CX", "CX"], fte=[1.0, 0.5, 0.5], cost=[180_000, 60_000, None]
    )
    result = build_structure(table)
    assert len(result.structure) == 2
    assert result.structure.fte.tolist() == [1.0, 1.0]
    assert result.structure.cost[1] != result.structure.cost[1]


def test_format_detection_and_rules_file(tmp_path: Path) -> None:
    assert detect_format(real(DCLG)) == "organogram"
    assert detect_format(real(TRAFFORD)) == "lga"
    rules = write(tmp_path, "rules.toml", "target_span_min = 6\nmax_layers = 5\n")
    loaded = load_rules(rules)
    assert (loaded.target_span_min, loaded.max_layers) == (6, 5)


@pytest.mark.parametrize("sorted_hashes", [True, False])
def test_index_of_matches_a_dictionary(
    sorted_hashes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import polars as pl

    from goldenthread.formats import posts

    if not sorted_hashes:
        monkeypatch.setattr(posts, "_INDEX_BITS", 0)  # the hash join
    rng = np.random.default_rng(3)
    for _ in range(40):
        ids = [f"{v:05d}" for v in rng.choice(2_000, int(rng.integers(0, 80)), replace=False)]
        lookup = [
            None if rng.random() < 0.1 else f"{int(rng.integers(0, 2_000)):05d}"
            for _ in range(int(rng.integers(0, 120)))
        ]
        where = {v: i for i, v in enumerate(ids)}
        got = posts.index_of(pl.Series(ids, dtype=pl.String), pl.Series(lookup, dtype=pl.String))
        assert got.tolist() == [where.get(v, -1) if v is not None else -1 for v in lookup]
