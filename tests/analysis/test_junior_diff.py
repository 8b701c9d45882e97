"""Comparing structures with junior staff: posts at their own cost, junior staff apart."""

from __future__ import annotations

from decimal import Decimal

from goldenthread.analysis.diff import diff_structures
from goldenthread.analysis.structure import Structure
from goldenthread.formats.organogram import read_organogram
from goldenthread.formats.posts import build_structure
from tests.formats.test_structure_formats import MOD_2015, MOD_JUNIOR, MOD_SENIOR, real


def _pair() -> tuple[Structure, Structure]:
    old = Structure.from_lists(
        ["CX", "D1", "D2"],
        [-1, 0, 0],
        unit=["Corporate", "Place", "People"],
        cost=[180_000, 120_000, 100_000],
        junior_fte=[10, 5, 0],
        junior_cost=[300_000, 150_000, 0],
    )
    # D1 goes with its junior staff; D3 comes with junior staff of its own;
    # the chief executive's junior staff grow from 10 to 12 FTE.
    new = Structure.from_lists(
        ["CX", "D2", "D3"],
        [-1, 0, 0],
        unit=["Corporate", "People", "Place"],
        cost=[180_000, 100_000, 110_000],
        junior_fte=[12, 0, 4],
        junior_cost=[360_000, 0, 120_000],
    )
    return old, new


def test_posts_added_and_removed_are_at_their_own_cost() -> None:
    d = diff_structures(*_pair())
    assert [(r.post_id, r.cost) for r in d.added] == [("D3", Decimal("110000.00"))]
    assert [(r.post_id, r.cost) for r in d.removed] == [("D1", Decimal("120000.00"))]
    assert [(r.junior_fte, r.junior_cost) for r in d.added] == [(4.0, Decimal("120000.00"))]
    assert [(r.junior_fte, r.junior_cost) for r in d.removed] == [(5.0, Decimal("150000.00"))]
    # A change to its junior staff is not a change to the post's FTE or cost.
    assert d.fte_changed == () and d.cost_changed == ()


def test_junior_staff_changes_are_reported_apart() -> None:
    d = diff_structures(*_pair())
    assert [
        (c.post_id, c.fte_before, c.fte_after, c.cost_before, c.cost_after)
        for c in d.junior_changed
    ] == [
        ("CX", 10.0, 12.0, Decimal("300000.00"), Decimal("360000.00")),
        ("D3", 0.0, 4.0, Decimal("0.00"), Decimal("120000.00")),
        ("D1", 5.0, 0.0, Decimal("150000.00"), Decimal("0.00")),
    ]
    t = d.total
    assert (t.posts_before, t.posts_after, t.fte_before, t.fte_after) == (3, 3, 3.0, 3.0)
    assert (t.cost_before, t.cost_after) == (Decimal("400000.00"), Decimal("390000.00"))
    assert (t.junior_fte_before, t.junior_fte_after, t.junior_fte_change) == (15.0, 16.0, 1.0)
    assert (t.junior_cost_before, t.junior_cost_after, t.junior_cost_change) == (
        Decimal("450000.00"),
        Decimal("480000.00"),
        Decimal("30000.00"),
    )
    place = next(u for u in d.by_unit if u.unit == "Place")
    assert (place.junior_fte_before, place.junior_fte_after) == (5.0, 4.0)
    # The saving counts posts and junior staff: £10,000 on posts, £30,000 more
    # on junior staff.
    assert (d.posts_saving, d.junior_saving) == (Decimal("10000.00"), Decimal("-30000.00"))
    assert d.staffing_saving == Decimal("-20000.00")
    assert d.junior_compared
    # Junior staff are not posts: the redundancy estimate counts posts only.
    assert d.redundancies == 1


def test_with_junior_staff_on_one_side_only_the_saving_counts_posts_only() -> None:
    old, new = _pair()
    bare = Structure.from_lists(old.post_id, old.parent, unit=old.unit, cost=old.cost)
    d = diff_structures(bare, new)
    assert not d.junior_compared
    assert d.total.junior_fte_before == 0 and d.total.junior_fte_after == 16
    assert d.posts_saving == Decimal("10000.00")
    assert d.junior_saving == Decimal("0.00")
    assert d.staffing_saving == Decimal("10000.00")


def test_mod_2016_with_junior_staff_against_2015_adds_posts_at_their_own_cost() -> None:
    old = build_structure(read_organogram(real(MOD_2015)), lenient=True).structure
    new = build_structure(read_organogram(real(MOD_SENIOR), real(MOD_JUNIOR))).structure
    d = diff_structures(old, new)
    chief = next(r for r in d.added if r.post_id == "00212421")
    assert chief.title == "Chief Executive Officer"
    assert chief.cost == Decimal("287499.50")
    assert chief.junior_cost == Decimal("404385693.54")
    assert max(r.cost or 0 for r in d.added) < Decimal("1000000")
    assert d.total.cost_change == Decimal("19899919.00") - Decimal("19242420.50")
    assert round(sum(c.fte_after - c.fte_before for c in d.junior_changed), 2) == 191_423.62
    assert not d.junior_compared
    assert d.staffing_saving == d.posts_saving == Decimal("19242420.50") - Decimal("19899919.00")
