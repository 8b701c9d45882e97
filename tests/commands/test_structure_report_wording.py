"""The command-line reports count in good English and show money as pounds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goldenthread.commands.structure import app

runner = CliRunner()


def _files(tmp_path: Path) -> tuple[str, str]:
    """One top post with one report (a job share of two rows), each in a unit of its own."""
    old = tmp_path / "old.csv"
    old.write_text(
        "post_id,reports_to,title,unit,cost,fte\n"
        "A,,Head of Place,Place,80000,1\n"
        "B,A,Roads Officer,Roads,20000.25,0.5\n"
        "B,A,Roads Officer,Roads,20000.25,0.5\n",
        encoding="utf-8",
    )
    new = tmp_path / "new.csv"
    new.write_text("post_id,reports_to,title,unit,cost\nA,,Head of Place,Place,80000\n")
    return str(old), str(new)


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_analyse_says_one_of_each_in_the_singular(tmp_path: Path) -> None:
    old, _ = _files(tmp_path)
    lines = [line.strip() for line in _run("analyse", old).splitlines()]
    assert "2 posts from 3 rows (1 job share, 0 not-in-post rows apart)" in lines
    assert "1 top post, 2 layers" in lines
    assert any(line.startswith("Spans (managers only): 1 manager, min 1") for line in lines)
    assert "Single-report chains: 0 (longest 0); 1 manager with one report" in lines
    units = [line.split() for line in lines if line.startswith(("Place", "Roads"))]
    assert units == [
        ["Place", "1", "post", "1.00", "FTE", "£80,000.00"],
        ["Roads", "1", "post", "1.00", "FTE", "£40,000.50"],
    ]


def test_diff_shows_a_fall_in_cost_as_minus_pounds_in_its_column(tmp_path: Path) -> None:
    old, new = _files(tmp_path)
    lines = _run("diff", old, new).splitlines()
    assert lines[1].startswith("  0 posts added, 1 removed,")
    header = next(line for line in lines if line.lstrip().startswith("Unit"))
    rows = {line.split()[0]: line for line in lines if line.lstrip().startswith(("Place", "Roads"))}
    assert rows["Roads"].split()[-1] == "−£40,000.50"
    assert rows["Place"].split()[-1] == "£0.00"
    # Every amount ends under the end of the column's heading.
    assert {len(row) for row in rows.values()} == {len(header)}
    assert "£-" not in "\n".join(lines)
    assert (
        "Redundancy estimate: 1 filled post removed × £30,000.00, "
        "the flat cost per redundancy = £30,000.00"
    ) in lines


def test_diff_json_says_how_the_redundancy_estimate_was_made(tmp_path: Path) -> None:
    old, new = _files(tmp_path)
    data = json.loads(_run("diff", old, new, "--json"))
    assert (data["redundancy_basis"], data["cost_per_redundancy"]) == ("flat", "30000")
    assert data["redundancy_cost"] == "30000"


def test_diff_json_gives_no_basis_when_the_estimate_is_withheld(tmp_path: Path) -> None:
    old, _ = _files(tmp_path)
    other = tmp_path / "other.csv"
    other.write_text("post_id,reports_to,title,unit,cost\nX,,Head of Place,Place,80000\n")
    data = json.loads(_run("diff", old, str(other), "--json"))
    assert data["redundancy_withheld"]
    assert (data["redundancy_basis"], data["cost_per_redundancy"]) == (None, None)
