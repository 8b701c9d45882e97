"""`goldenthread structure analyse` and `diff` from the command line."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goldenthread.commands.structure import app

REAL = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real").resolve()
runner = CliRunner()


def real(name: str) -> str:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real data file {name} is not present in ../shared/data/real")
    return str(path)


def test_analyse_json_has_the_documented_keys(tmp_path: Path) -> None:
    out = tmp_path / "posts.csv"
    result = runner.invoke(
        app,
        [
            "analyse",
            real("department_for_communities_and_local_government-2011-09-30-senior.csv"),
            "--json",
            "--per-post",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "posts",
        "roots",
        "layers",
        "posts_by_layer",
        "managers",
        "span_max",
        "span_mean",
        "span_histogram",
        "fte",
        "warnings",
    ):
        assert key in data
    assert (data["posts"], data["roots"], data["layers"]) == (98, 3, 4)
    assert data["posts_by_layer"] == [3, 4, 24, 67]
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 98
    assert list(rows[0])[:7] == [
        "post_id",
        "reports_to",
        "layer",
        "span",
        "reports_below",
        "fte",
        "cost",
    ]


def test_analyse_readable_report_with_junior_file() -> None:
    result = runner.invoke(
        app,
        [
            "analyse",
            real("ministry_of_defence-2016-03-31-senior.csv"),
            real("ministry_of_defence-2016-03-31-junior.csv"),
            "--format",
            "organogram",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "704 posts from 705 rows" in result.stdout
    assert "11 top posts, 5 layers" in result.stdout
    assert "junior staff 191,423.62" in result.stdout


def test_analyse_exits_2_and_lists_every_problem() -> None:
    result = runner.invoke(app, ["analyse", real("300913-DWP.xls-senior.csv")])
    assert result.exit_code == 2
    assert "1 problem in the input" in result.stderr
    assert "DWP135 appears on 2 rows with different managers: row 116" in result.stderr
    assert "8 posts report to DWP135" in result.stderr


def test_analyse_lenient_reports_warnings_in_json() -> None:
    result = runner.invoke(
        app, ["analyse", real("300913-DWP.xls-senior.csv"), "--lenient", "--json"]
    )
    assert result.exit_code == 0, result.output
    codes = {w["code"] for w in json.loads(result.stdout)["warnings"]}
    assert codes == {"duplicate-id", "job-share"}


def test_analyse_with_mapping_and_rules(tmp_path: Path) -> None:
    data = tmp_path / "establishment.csv"
    data.write_text(
        "Position,Manager,Job,Dir,Band\n"
        "P1,TOP,Chief Executive,,180000 - 184999\n"
        "P2,P1,Director,Place,120000 - 124999\n"
        "P3,P2,Head of Service,Place,80000 - 84999\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\npost_id = "Position"\nreports_to = "Manager"\ntitle = "Job"\n'
        'unit = ["Dir"]\npay_band = "Band"\n[options]\ntop_markers = ["TOP"]\n',
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text("[rules]\nmax_layers = 2\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "analyse",
            str(data),
            "--format",
            "table",
            "--mapping",
            str(mapping),
            "--rules",
            str(rules),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["posts"], out["layers"], out["posts_beyond_max_layers"]) == (3, 3, 1)
    assert out["total_cost"] == "387498.50"
    assert out["single_report_chains"] == 1


def test_diff_json_mod() -> None:
    result = runner.invoke(
        app,
        [
            "diff",
            real("ministry_of_defence-2015-09-30-senior.csv"),
            real("ministry_of_defence-2016-03-31-senior.csv"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    for key in ("added", "removed", "moved", "retitled", "regraded", "by_unit"):
        assert key in d
    assert (len(d["added"]), len(d["removed"]), len(d["moved"])) == (159, 106, 87)
    army = next(u for u in d["by_unit"] if u["unit"] == "Army")
    assert (army["posts_before"], army["posts_after"], army["posts_change"]) == (110, 0, -110)


def test_diff_lenient_lists_the_repairs_of_both_files(tmp_path: Path) -> None:
    old = real("300913-DWP.xls-senior.csv")
    new = tmp_path / "dwp-after.csv"
    new.write_bytes(Path(old).read_bytes().replace(b"Director of DWP Portfolio", b"Head of"))
    result = runner.invoke(app, ["diff", old, str(new), "--lenient", "--json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    found = {(w["structure"], w["file"], w["code"], w["row"]) for w in warnings}
    assert {
        ("before", old, "duplicate-id", 116),
        ("after", str(new), "duplicate-id", 116),
    } <= found
    assert {w["structure"] for w in warnings if w["code"] == "job-share"} == {"before", "after"}

    result = runner.invoke(app, ["diff", old, str(new), "--lenient"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"4 warnings for the structure before ({old}):" in out
    assert f"4 warnings for the structure after ({new}):" in out
    assert f"  {old}, row 116, column 'Post Unique Reference': post DWP135 appears" in out
    assert f"  {new}, row 116, column 'Post Unique Reference': post DWP135 appears" in out
    assert out.index(f"structure after ({new})") > out.index(f"  {old}, row 116")


def test_diff_council_files_say_how_posts_were_matched() -> None:
    trafford = real("trafford_council_organisation_structure.csv")
    result = runner.invoke(app, ["diff", trafford, trafford])
    assert result.exit_code == 0, result.output
    assert "matched by title, directorate and service" in result.stdout


def test_the_command_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "from goldenthread.commands import structure\n"
        "assert 'django' not in sys.modules, 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_per_post_file_writes_formula_looking_titles_inert(tmp_path: Path) -> None:
    from goldenthread.formats.tabular import read_table
    from goldenthread.structure.exports import ORGANOGRAM_SENIOR

    posts = tmp_path / "senior.csv"
    with posts.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ORGANOGRAM_SENIOR)
        writer.writerow(["P1", "N/D", "SCS1", "=1+1", "People", "XX", "1", "90000", "90000"])
        writer.writerow(["P2", "N/D", "G7", "@SUM(A1)", "People", "P1", "1", "41000", "41000"])
    out = tmp_path / "per-post.csv"
    result = runner.invoke(app, ["analyse", str(posts), "--per-post", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["title"] for row in rows] == ["'=1+1", "'@SUM(A1)"]
    assert [row["cost"] for row in rows] == ["90000", "41000"]
    table = read_table(data, "per-post.csv")
    title = table.header.index("title")
    assert [row.values[title] for row in table.rows] == ["=1+1", "@SUM(A1)"]


def _posts_file(path: Path, ids: list[str]) -> str:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["post_id", "reports_to", "title", "unit", "cost"])
        writer.writerow([ids[0], "", "Head of Highways", "Place", "80000"])
        for post_id in ids[1:]:
            writer.writerow([post_id, ids[0], "Highways Officer", "Place", "40000"])
    return str(path)


def test_diff_warns_when_few_ids_pair_and_withholds_the_redundancy_estimate(
    tmp_path: Path,
) -> None:
    old = _posts_file(tmp_path / "old.csv", ["A1", "A2", "A3", "A4"])
    new = _posts_file(tmp_path / "new.csv", ["B1", "B2", "B3", "B4"])
    result = runner.invoke(app, ["diff", old, new])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith(
        "  Warning: Only 0 of the 4 posts of the smaller structure pair with a post"
    )
    assert "--pair-by title" in lines[2]
    assert "Redundancy estimate: Not estimated: too few posts pair by post ID" in result.stdout
    assert "Net saving in the first year: not estimated" in result.stdout
    data = json.loads(runner.invoke(app, ["diff", old, new, "--json"]).stdout)
    assert (data["paired"], data["redundancy_cost"], data["net_saving_first_year"]) == (
        0,
        None,
        None,
    )
    assert data["pairing_unreliable"] and data["redundancy_withheld"]


def test_diff_pairs_by_title_and_unit_when_asked(tmp_path: Path) -> None:
    old = _posts_file(tmp_path / "old.csv", ["A1", "A2", "A3", "A4"])
    new = _posts_file(tmp_path / "new.csv", ["B1", "B2", "B3", "B4"])
    data = json.loads(runner.invoke(app, ["diff", old, new, "--json", "--pair-by", "title"]).stdout)
    assert data["matched_by"] == "title and unit"
    assert (len(data["added"]), len(data["removed"]), data["redundancy_cost"]) == (0, 0, "0")
    assert data["pairing_unreliable"] is None


def test_diff_pairs_a_council_file_with_its_organogram_export_by_id(tmp_path: Path) -> None:
    from goldenthread.formats.detect import read_posts
    from goldenthread.formats.posts import build_structure
    from goldenthread.formats.writing import write_csv
    from goldenthread.structure.exports import ORGANOGRAM_SENIOR

    trafford = real("trafford_council_organisation_structure.csv")
    structure = build_structure(read_posts(trafford), lenient=True).structure
    ids = structure.post_id.to_list()
    rows = [
        (ids[i], "N/D", "", "", "", ids[p] if p >= 0 else "XX", 1, "", "")
        for i, p in enumerate(structure.parent.tolist())
    ]
    export = tmp_path / "senior.csv"
    export.write_bytes(write_csv(ORGANOGRAM_SENIOR, rows))
    result = runner.invoke(app, ["diff", trafford, str(export), "--lenient", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["matched_by"], len(data["added"]), len(data["removed"])) == ("post ID", 0, 0)
