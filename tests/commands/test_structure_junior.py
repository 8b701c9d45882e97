"""`goldenthread structure analyse` keeps junior staff apart from the posts they report to."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from goldenthread.commands.structure import app
from tests.commands.test_structure_commands import real

runner = CliRunner()
MOD = ("ministry_of_defence-2016-03-31-senior.csv", "ministry_of_defence-2016-03-31-junior.csv")


def _analyse(*options: str) -> str:
    result = runner.invoke(app, ["analyse", real(MOD[0]), real(MOD[1]), *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_report_counts_junior_staff_in_the_layer_below_their_post() -> None:
    lines = [line.strip() for line in _analyse().splitlines()]
    assert "Posts by layer: 1: 11, 2: 78, 3: 251, 4: 363, 5: 1" in lines
    assert "FTE of posts by layer: 1: 11.00, 2: 78.68, 3: 251.00, 4: 362.94, 5: 1.00" in lines
    assert (
        "Junior staff: 191,423.62 FTE reporting to 23 posts, counted in the layer below "
        "the post they report to (FTE, not posts): 2: 190,841.21, 3: 582.41"
    ) in lines
    assert (
        "Cost: £6,329,136,127.39 known (posts £19,899,919.00, junior staff "
        "£6,309,236,208.39); 542 posts and 22 junior rows with unknown cost"
    ) in lines


def test_the_json_gives_posts_and_junior_staff_apart_by_layer_and_unit() -> None:
    out = json.loads(_analyse("--json"))
    assert out["posts_by_layer"] == [11, 78, 251, 363, 1]
    assert out["fte_by_layer"] == [11.0, 78.68, 251.0, 362.94, 1.0]
    assert out["cost_by_layer"] == [
        "1747495.50",
        "6742473.50",
        "11292450.50",
        "117499.50",
        "0.00",
    ]
    assert out["junior_fte_by_layer"] == [0.0, 190841.21, 582.41, 0.0, 0.0, 0.0]
    assert out["junior_cost_by_layer"][:3] == ["0.00", "6285382105.94", "23854102.45"]
    assert (out["posts_cost"], out["junior_cost"], out["total_cost"]) == (
        "19899919.00",
        "6309236208.39",
        "6329136127.39",
    )
    assert (out["unknown_cost_posts"], out["junior_unknown_cost_rows"], out["junior_posts"]) == (
        542,
        22,
        23,
    )
    army = next(u for u in out["by_unit"] if u["name"] == "Army Command")
    assert army["posts"] == 112 and army["fte"] < 113
    assert army["junior_fte"] > 87_000
    assert all(g["junior_fte"] == 0 for g in out["by_grade"])


def test_the_per_post_file_has_each_posts_own_figures_and_its_junior_staff_apart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "posts.csv"
    _analyse("--per-post", str(path))
    with path.open(encoding="utf-8-sig") as fh:
        rows = {row["post_id"]: row for row in csv.DictReader(fh)}
    chief = rows["1167535"]  # Chief of the General Staff
    assert chief["title"] == "Chief of the General Staff"
    assert (chief["layer"], chief["fte"], chief["cost"]) == ("1", "1", "177499.5")
    assert (chief["junior_fte"], chief["junior_cost"]) == ("87792.63", "2747109766.09")
    assert float(chief["junior_fte_below"]) >= 87792.63
    assert float(chief["fte_below"]) < 200
    total = sum(float(r["junior_fte"]) for r in rows.values())
    tops = sum(float(r["junior_fte_below"]) for r in rows.values() if r["reports_to"] == "")
    assert round(total, 2) == round(tops, 2) == 191_423.62


def test_the_report_gives_each_units_junior_staff_beside_its_posts() -> None:
    army = next(line for line in _analyse().splitlines() if line.strip().startswith("Army Comm"))
    posts, junior = army.split("; junior staff ")
    assert posts.split()[-4:] == ["posts", "112.00", "FTE", "£3,574,985.00"]
    assert junior.startswith("87,792.63 FTE")


def test_diff_adds_posts_at_their_own_cost_and_reports_junior_staff_apart() -> None:
    args = ["diff", real("ministry_of_defence-2015-09-30-senior.csv"), real(MOD[0])]
    args += ["--new-junior", real(MOD[1]), "--lenient"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    chief = next(r for r in d["added"] if r["post_id"] == "00212421")
    assert (chief["cost"], chief["junior_cost"]) == ("287499.50", "404385693.54")
    assert d["total"]["cost_after"] == "19899919.00"
    assert d["total"]["junior_fte_after"] == 191423.62
    assert (d["junior_compared"], d["junior_saving"]) == (False, "0.00")
    assert d["staffing_saving"] == d["posts_saving"] == "-657498.50"
    text = runner.invoke(app, args).stdout
    assert "Junior staff (FTE, not posts): 0.00 FTE before, 191,423.62 after (+191,423.62)" in text
    assert (
        "Staffing saving (known costs of posts only, as only one structure has junior staff): "
        "−£657,498.50"
    ) in text


def test_every_junior_cost_total_agrees_to_the_penny(tmp_path: Path) -> None:
    """The total, by unit, by layer, the per-post column and the diff add the same pence."""
    path = tmp_path / "posts.csv"
    out = json.loads(_analyse("--json", "--per-post", str(path)))
    total = Decimal(out["junior_cost"])
    assert total == Decimal("6309236208.39")
    assert sum(Decimal(u["junior_cost"]) for u in out["by_unit"]) == total
    assert sum(Decimal(c) for c in out["junior_cost_by_layer"]) == total
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(Decimal(r["junior_cost"]) for r in rows) == total
    tops = [r for r in rows if r["reports_to"] == ""]
    assert sum(Decimal(r["junior_cost_below"]) for r in tops) == total
    # The posts' own costs agree the same way.
    posts = Decimal(out["posts_cost"])
    assert sum(Decimal(u["cost"] or "0") for u in out["by_unit"]) == posts
    assert sum(Decimal(c) for c in out["cost_by_layer"]) == posts
    assert sum(Decimal(r["cost"] or "0") for r in rows) == posts
    assert Decimal(out["total_cost"]) == posts + total
    args = ["diff", real(MOD[0]), real(MOD[0]), "--old-junior", real(MOD[1])]
    result = runner.invoke(app, [*args, "--new-junior", real(MOD[1]), "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)["total"]
    assert Decimal(d["junior_cost_before"]) == total
    assert Decimal(d["cost_before"]) == posts
