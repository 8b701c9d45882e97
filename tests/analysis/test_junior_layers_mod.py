"""MOD 2016 senior and junior files: layer figures against an independent computation.

The expected figures are worked out here from the two CSV files with plain
Python and polars only (no reader, no engine): each post's layer by walking its
reporting line; a post's cost as the midpoint of its pay floor and ceiling; a
junior row's cost as the midpoint of its pay scale times its FTE, counted in
the layer below the senior post it reports to. Money is added as the engine
shows it: each post's own cost, and the cost of the junior staff reporting to
it, rounded to the penny (half a penny away from zero), then summed exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest

from goldenthread.analysis.structure import post_metrics, summarise
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import build_structure
from tests.formats.test_structure_formats import MOD_JUNIOR, MOD_SENIOR, real


def _pay(text: str | None) -> float | None:
    """A pay figure in pounds; blank, "N/D", anything unreadable or 0 is unknown."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value or None


def _midpoint(low: float | None, high: float | None) -> float | None:
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def _penny(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _expected() -> dict[str, list[float]]:
    senior = pl.read_csv(real(MOD_SENIOR), infer_schema=False)
    junior = pl.read_csv(real(MOD_JUNIOR), infer_schema=False)
    posts: dict[str, dict[str, object]] = {}
    for row in senior.iter_rows(named=True):
        pid = row["Post Unique Reference"].strip()
        cost = _midpoint(_pay(row["Actual Pay Floor (£)"]), _pay(row["Actual Pay Ceiling (£)"]))
        fte = float(row["FTE"]) if (row["FTE"] or "").strip() else 1.0
        if pid in posts:  # a job share: FTE and cost add up; unknown stays unknown
            post = posts[pid]
            post["fte"] = float(post["fte"]) + fte  # type: ignore[arg-type]
            known = post["cost"] is not None and cost is not None
            post["cost"] = float(post["cost"]) + cost if known else None  # type: ignore[arg-type,operator]
            continue
        posts[pid] = {"to": row["Reports to Senior Post"].strip(), "fte": fte, "cost": cost}
    layer: dict[str, int] = {}
    for pid in posts:
        depth, node = 1, str(posts[pid]["to"])
        while node.upper() != "XX":
            depth, node = depth + 1, str(posts[node]["to"])
        layer[pid] = depth
    deepest = max(layer.values())
    out: dict[str, list] = {
        key: [0.0] * (deepest + 1) for key in ("posts", "fte", "junior_fte", "junior_unknown")
    }
    out |= {key: [Decimal("0.00")] * (deepest + 1) for key in ("cost", "junior_cost")}
    for pid, post in posts.items():
        i = layer[pid] - 1
        out["posts"][i] += 1
        out["fte"][i] += float(post["fte"])  # type: ignore[arg-type]
        out["cost"][i] += _penny(float(post["cost"] or 0.0))  # type: ignore[arg-type]
    junior_cost: dict[str, Decimal] = {}
    for row in junior.iter_rows(named=True):
        # Counted in the layer below the senior post: index layer (not layer - 1).
        i = layer[row["Reporting Senior Post"].strip()]
        fte = float(row["Number of Posts in FTE"] or 0)
        scale = _midpoint(_pay(row["Payscale Minimum (£)"]), _pay(row["Payscale Maximum (£)"]))
        out["junior_fte"][i] += fte
        if scale is None:
            out["junior_unknown"][i] += 1
        else:
            to = row["Reporting Senior Post"].strip()
            # Exactly, in decimal: float sums would drift a penny on these sizes.
            exact = Decimal(repr(scale)) * Decimal(repr(fte))
            junior_cost[to] = junior_cost.get(to, Decimal(0)) + exact
    for to, cost in junior_cost.items():
        out["junior_cost"][layer[to]] += cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    out["rows"] = [float(junior.height)]
    return out


def test_mod_2016_layers_with_junior_staff_agree_with_an_independent_computation() -> None:
    expected = _expected()
    result = build_structure(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR)))
    s = summarise(result.structure)
    layers = s.layers
    assert layers == 5 and expected["rows"] == [6350.0]
    assert s.posts_by_layer == tuple(int(v) for v in expected["posts"][:layers])
    assert s.posts_by_layer == (11, 78, 251, 363, 1)
    assert s.fte_by_layer == pytest.approx(expected["fte"][:layers], abs=1e-6)
    assert list(s.cost_by_layer) == expected["cost"][:layers]
    assert s.junior_fte_by_layer == pytest.approx(expected["junior_fte"], abs=1e-6)
    assert list(s.junior_cost_by_layer) == expected["junior_cost"]
    # Layer 1 holds the 11 top posts only; their junior staff are in layer 2.
    assert s.junior_fte_by_layer[0] == 0
    assert s.fte_by_layer[0] < 12
    assert sum(s.junior_fte_by_layer) == pytest.approx(191_423.62, abs=0.01)
    assert s.junior_fte_by_layer[1] > 190_000
    # Totals: posts and junior staff apart, and together.
    assert s.senior_fte == pytest.approx(sum(expected["fte"]), abs=1e-6)
    assert s.posts_cost == sum(expected["cost"])
    assert s.junior_cost == sum(expected["junior_cost"])
    assert s.total_cost == s.posts_cost + s.junior_cost
    assert s.junior_unknown_cost_rows == int(sum(expected["junior_unknown"]))
    # Roll-ups: every post's and every junior row's FTE ends up under the roots.
    m = post_metrics(result.structure)
    roots = result.structure.parent < 0
    assert (m.fte[roots].sum() + m.fte_below[roots].sum()) == pytest.approx(s.senior_fte)
    assert m.junior_fte_below[roots].sum() == pytest.approx(s.junior_fte)
