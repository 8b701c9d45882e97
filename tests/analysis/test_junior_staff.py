"""Junior staff: counted in the layer below their senior post, apart from its own figures."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from goldenthread.analysis.structure import Structure, post_metrics, summarise


def _structure() -> Structure:
    # A chief executive (layer 1) with 10 FTE of junior staff costing
    # £300,000; two directors (layer 2), the first with 5 FTE of junior staff
    # costing £150,000 of which one row has no known pay; a head of service
    # (layer 3) under the first director, with no junior staff.
    return Structure.from_lists(
        ["CX", "D1", "D2", "H1"],
        [-1, 0, 0, 1],
        unit=["Corporate", "Place", "People", "Place"],
        grade=["CEX", "DIR", "DIR", "HOS"],
        fte=[1, 1, 0.5, 1],
        cost=[180_000, 120_000, 60_000, 80_000],
        junior_fte=[10, 5, 0, 0],
        junior_cost=[300_000, 150_000, 0, 0],
        junior_unknown_cost=[0, 1, 0, 0],
    )


def test_each_post_keeps_its_own_fte_and_cost_apart_from_its_junior_staff() -> None:
    m = post_metrics(_structure())
    assert m.fte.tolist() == [1, 1, 0.5, 1]
    assert m.cost.tolist() == [180_000, 120_000, 60_000, 80_000]
    # Below each post: the posts below, and apart from them the junior staff
    # who report to it or to any post below it.
    assert m.fte_below.tolist() == [2.5, 1, 0, 0]
    assert m.cost_below.tolist() == [260_000, 80_000, 0, 0]
    assert m.unknown_cost_below.tolist() == [0, 0, 0, 0]
    assert m.junior_fte_below.tolist() == [15, 5, 0, 0]
    assert m.junior_cost_below.tolist() == [450_000, 150_000, 0, 0]
    assert m.junior_unknown_cost_below.tolist() == [1, 1, 0, 0]


def test_junior_staff_do_not_change_layers_spans_or_reports_below() -> None:
    with_junior = _structure()
    s = with_junior
    without = Structure.from_lists(
        s.post_id, s.parent, fte=s.fte, cost=s.cost, unit=s.unit, grade=s.grade
    )
    a, b = post_metrics(with_junior), post_metrics(without)
    for name in ("layer", "span", "reports_below", "fte", "cost", "fte_below", "cost_below"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    sa, sb = summarise(with_junior), summarise(without)
    for name in ("posts", "layers", "posts_by_layer", "fte_by_layer", "cost_by_layer", "spans"):
        assert getattr(sa, name) == getattr(sb, name), name
    assert (sa.managers, sa.management_cost) == (sb.managers, sb.management_cost)


def test_junior_staff_are_counted_in_the_layer_below_their_senior_post() -> None:
    s = summarise(_structure())
    assert s.layers == 3
    assert s.posts_by_layer == (1, 2, 1)
    # Layer figures of posts are the posts' own.
    assert s.fte_by_layer == (1.0, 1.5, 1.0)
    assert s.cost_by_layer == (Decimal("180000.00"), Decimal("180000.00"), Decimal("80000.00"))
    # Junior staff of the layer-1 post are in layer 2, those of a layer-2
    # post in layer 3; one entry more than the layers of posts.
    assert s.junior_fte_by_layer == (0.0, 10.0, 5.0, 0.0)
    assert s.junior_cost_by_layer == (
        Decimal("0.00"),
        Decimal("300000.00"),
        Decimal("150000.00"),
        Decimal("0.00"),
    )
    assert (s.fte, s.senior_fte, s.junior_fte) == (18.5, 3.5, 15.0)
    assert s.posts_cost == Decimal("440000.00")
    assert s.junior_cost == Decimal("450000.00")
    assert s.total_cost == Decimal("890000.00")
    # The unknown pay of a junior row is counted apart from posts.
    assert s.unknown_cost_posts == 0
    assert s.junior_unknown_cost_rows == 1
    assert s.junior_posts == 2


def test_the_deepest_posts_junior_staff_are_a_layer_of_their_own() -> None:
    s = summarise(
        Structure.from_lists(
            ["A", "B"], [-1, 0], cost=[10, 20], junior_fte=[0, 3], junior_cost=[0, 90]
        )
    )
    assert s.layers == 2
    assert s.posts_by_layer == (1, 1)
    assert s.junior_fte_by_layer == (0.0, 0.0, 3.0)


def test_unit_figures_keep_junior_staff_apart_and_grades_leave_them_out() -> None:
    s = summarise(_structure())
    place = next(g for g in s.by_unit if g.name == "Place")
    assert (place.posts, place.fte, place.cost) == (2, 2.0, Decimal("200000.00"))
    assert (place.junior_fte, place.junior_cost, place.junior_unknown_cost_rows) == (
        5.0,
        Decimal("150000.00"),
        1,
    )
    assert place.unknown_cost_posts == 0
    # Aggregated junior rows keep no grade of their own, so no grade holds them.
    cex = next(g for g in s.by_grade if g.name == "CEX")
    assert (cex.fte, cex.cost, cex.junior_fte) == (1.0, Decimal("180000.00"), 0.0)


def test_an_empty_structure_has_no_layers_of_junior_staff() -> None:
    s = summarise(Structure.from_lists([], []))
    assert s.junior_fte_by_layer == () and s.cost_by_layer == ()


@pytest.mark.parametrize("unknown", [0, 2])
def test_a_post_with_unknown_pay_is_unknown_whatever_its_junior_staff(unknown: int) -> None:
    s = Structure.from_lists(
        ["A", "B"],
        [-1, 0],
        cost=[None, 50_000],
        junior_fte=[4, 0],
        junior_cost=[100_000, 0],
        junior_unknown_cost=[unknown, 0],
    )
    m = post_metrics(s)
    assert np.isnan(m.cost[0]) and m.cost[1] == 50_000
    summary = summarise(s)
    assert summary.unknown_cost_posts == 1
    assert summary.junior_unknown_cost_rows == unknown
    assert summary.total_cost == Decimal("150000.00")
