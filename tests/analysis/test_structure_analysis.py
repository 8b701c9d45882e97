"""Layers, spans, roll-ups, summaries and diffs on constructed structures."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.analysis.diff import diff_structures
from goldenthread.analysis.hierarchy import (
    CycleError,
    compute_hierarchy,
    find_cycles,
    naive_layers,
)
from goldenthread.analysis.rules import DesignRules, pounds
from goldenthread.analysis.structure import Structure, post_metrics, summarise


@st.composite
def forests(draw: st.DrawFn, max_size: int = 60) -> list[int]:
    """A random forest: each post reports to an earlier one or to none, then shuffled."""
    n = draw(st.integers(min_value=1, max_value=max_size))
    raw = [-1] + [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(1, n)]
    perm = draw(st.permutations(list(range(n))))
    new_of = {old: new for new, old in enumerate(perm)}
    out = [0] * n
    for old, p in enumerate(raw):
        out[new_of[old]] = -1 if p < 0 else new_of[p]
    return out


def naive_below(parent: list[int], values: list[float]) -> tuple[list[int], list[float]]:
    n = len(parent)
    count = [0] * n
    total = [0.0] * n
    for i in range(n):
        node = parent[i]
        while node >= 0:
            count[node] += 1
            total[node] += values[i]
            node = parent[node]
    return count, total


@settings(max_examples=60, deadline=None)
@given(forests(), st.data())
def test_layers_spans_and_rollups_match_a_naive_walk(
    parent: list[int], data: st.DataObject
) -> None:
    n = len(parent)
    values = data.draw(
        st.lists(st.floats(min_value=0, max_value=200_000, allow_nan=False), min_size=n, max_size=n)
    )
    h = compute_hierarchy(parent, [values])
    assert h.layer.tolist() == naive_layers(parent)
    assert h.span.tolist() == [sum(1 for p in parent if p == i) for i in range(n)]
    count, total = naive_below(parent, values)
    assert h.reports_below.tolist() == count
    assert np.allclose(h.below[0], total, rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(forests(max_size=40), st.data())
def test_a_random_cycle_is_always_reported(parent: list[int], data: st.DataObject) -> None:
    n = len(parent)
    size = data.draw(st.integers(min_value=1, max_value=n))
    members = data.draw(st.permutations(list(range(n))))[:size]
    cyclic = list(parent)
    for a, b in zip(members, members[1:] + members[:1], strict=True):
        cyclic[a] = b
    cycles = find_cycles(cyclic)
    assert len(cycles) == 1
    assert sorted(cycles[0]) == sorted(members)
    with pytest.raises(CycleError):
        compute_hierarchy(cyclic)


@settings(max_examples=40, deadline=None)
@given(forests(max_size=40), st.randoms(use_true_random=False))
def test_relabelling_posts_changes_nothing(parent: list[int], rnd: object) -> None:
    n = len(parent)
    ids = [f"{i:05d}" for i in range(n)]
    cost = [40_000.0 + 1_000 * i for i in range(n)]
    perm = list(range(n))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    pos = {old: new for new, old in enumerate(perm)}
    parent2 = [-1] * n
    ids2 = [""] * n
    cost2 = [0.0] * n
    for old in range(n):
        new = pos[old]
        parent2[new] = -1 if parent[old] < 0 else pos[parent[old]]
        ids2[new] = f"Z{old}"
        cost2[new] = cost[old]
    a = summarise(Structure.from_lists(ids, parent, cost=cost))
    b = summarise(Structure.from_lists(ids2, parent2, cost=cost2))
    assert a == b


def test_layers_of_a_deep_chain_need_few_rounds() -> None:
    n = 20_000
    parent = np.arange(n) - 1
    h = compute_hierarchy(parent, np.ones((1, n)))
    assert h.layer[-1] == n
    assert h.reports_below[0] == n - 1
    assert h.below[0][0] == n - 1


def test_flags_are_counted_below() -> None:
    h = compute_hierarchy([-1, 0, 0, 1], flags=[False, True, False, True])
    assert h.flagged_below.tolist() == [2, 1, 0, 0]


def council() -> Structure:
    # Chief executive; director of place (4 heads) and director of people (1 head,
    # who has 1 team manager); one unknown cost.
    ids = ["CX", "DP", "DA", "H1", "H2", "H3", "H4", "H5", "TM1"]
    parent = [-1, 0, 0, 1, 1, 1, 1, 2, 7]
    return Structure.from_lists(
        ids,
        parent,
        title=["Chief Executive", "Director of Place", "Director of People"]
        + ["Head of Service"] * 5
        + ["Team Manager"],
        grade=["CX", "D", "D", "HoS", "HoS", "HoS", "HoS", "HoS", "TM"],
        unit=["", "Place", "People", "Place", "Place", "Place", "Place", "People", "People"],
        fte=[1, 1, 1, 1, 0.6, 1, 1, 1, 1],
        cost=[180_000, 125_000, 125_000, 85_000, 51_000, 85_000, 85_000, 85_000, None],
        vacant=[False, False, False, False, False, True, False, False, False],
    )


def test_post_metrics_of_a_small_council() -> None:
    m = post_metrics(council())
    assert m.layer.tolist() == [1, 2, 2, 3, 3, 3, 3, 3, 4]
    assert m.span.tolist() == [2, 4, 1, 0, 0, 0, 0, 1, 0]
    assert m.reports_below.tolist() == [8, 4, 2, 0, 0, 0, 0, 1, 0]
    assert m.fte_below[0] == pytest.approx(7.6)
    assert m.cost_below[0] == 641_000
    assert m.unknown_cost_below.tolist() == [1, 0, 1, 0, 0, 0, 0, 1, 0]


def test_summary_against_rules() -> None:
    rules = DesignRules(target_span_min=3, target_span_max=3, max_layers=3)
    s = summarise(council(), rules)
    assert (s.posts, s.roots, s.layers) == (9, 1, 4)
    assert s.posts_by_layer == (1, 2, 5, 1)
    assert s.managers == 4
    assert (s.spans.minimum, s.spans.median, s.spans.mean, s.spans.maximum) == (1, 1.5, 2.0, 4)
    assert s.spans.histogram == ((1, 2), (2, 1), (4, 1))
    assert (s.narrow_spans, s.below_target_spans, s.within_target_spans, s.wide_spans) == (
        3,
        3,
        0,
        1,
    )
    assert s.posts_beyond_max_layers == 1
    assert (s.single_report_chains, s.longest_single_report_chain) == (1, 2)
    assert s.total_cost == Decimal("821000.00")
    assert s.unknown_cost_posts == 1
    assert s.management_cost == Decimal("515000.00")
    assert s.management_cost_share == pytest.approx(515_000 / 821_000, abs=1e-4)
    assert s.manager_ratio == pytest.approx(5 / 4)
    assert s.vacant == 1
    place = next(g for g in s.by_unit if g.name == "Place")
    assert (place.posts, place.fte, place.cost) == (5, 4.6, Decimal("431000.00"))
    assert next(g for g in s.by_unit if g.name == "(none)").posts == 1
    assert len(s.breaches) == 4


def test_from_lists_refuses_a_cycle() -> None:
    with pytest.raises(CycleError):
        Structure.from_lists(["A", "B"], [1, 0])


def test_rules_are_checked() -> None:
    with pytest.raises(ValueError):
        DesignRules(target_span_min=9, target_span_max=5)


def test_money_is_quantised_to_pence() -> None:
    assert pounds(0.125) == Decimal("0.13")
    assert pounds(float("nan")) is None


def test_diff_reports_moves_retitles_and_units() -> None:
    old = council()
    new = Structure.from_lists(
        ["CX", "DP", "DA", "H1", "H2", "H3", "H5", "TM1", "H6"],
        [-1, 0, 0, 1, 1, 2, 2, 6, 2],
        title=["Chief Executive", "Director of Place", "Director of People and Care"]
        + ["Head of Service"] * 4
        + ["Team Manager", "Head of Care"],
        grade=["CX", "D", "D", "HoS", "HoS", "HoS", "HoS", "TM2", "HoS"],
        unit=["", "Place", "People", "Place", "Place", "People", "People", "People", "People"],
        fte=[1, 1, 1, 1, 1, 1, 1, 1, 1],
        cost=[180_000, 125_000, 125_000, 85_000, 85_000, 85_000, 85_000, None, 90_000],
    )
    d = diff_structures(old, new, rules=DesignRules(cost_per_redundancy=Decimal("30000")))
    assert [p.post_id for p in d.added] == ["H6"]
    assert [p.post_id for p in d.removed] == ["H4"]
    assert [(c.post_id, c.before, c.after) for c in d.moved] == [("H3", "DP", "DA")]
    assert [(c.post_id, c.after) for c in d.retitled] == [("DA", "Director of People and Care")]
    assert [(c.post_id, c.before, c.after) for c in d.regraded] == [("TM1", "TM", "TM2")]
    assert [(c.post_id, c.before, c.after) for c in d.fte_changed] == [("H2", "0.6", "1")]
    assert d.total.posts_before == d.total.posts_after == 9
    place = next(u for u in d.by_unit if u.unit == "Place")
    assert (place.posts_before, place.posts_after, place.posts_change) == (5, 3, -2)
    assert d.redundancies == 1
    assert d.redundancy_cost == Decimal("30000")
    assert d.staffing_saving == Decimal("821000.00") - Decimal("860000.00")


def _chainy_forest(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly single-report chains with some branching and several top posts, shuffled."""
    parent = np.arange(n) - 1
    branch = rng.random(n) < 0.15
    parent[branch] = (rng.random(int(branch.sum())) * np.flatnonzero(branch)).astype(np.int64)
    parent[rng.random(n) < 0.01] = -1
    parent[0] = -1
    perm = rng.permutation(n)
    where = np.empty(n, dtype=np.int64)
    where[perm] = np.arange(n)
    out = np.full(n, -1, dtype=np.int64)
    has = parent >= 0
    out[where[has]] = where[parent[has]]
    return out


@pytest.mark.parametrize("jumping", [False, True])
def test_chains_and_branches_match_a_naive_walk(
    jumping: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from goldenthread.analysis import hierarchy

    if jumping:
        # Decide after one layer that the structure is too deep to walk.
        monkeypatch.setattr(hierarchy, "_CHECK_LAYERS", 1)
        monkeypatch.setattr(hierarchy, "_LAYER_COST", 1.0)
    rng = np.random.default_rng(7)
    for _ in range(25):
        n = int(rng.integers(1, 400))
        parent = _chainy_forest(rng, n)
        values = rng.uniform(0, 90_000, n).round(2)
        flags = rng.random(n) < 0.2
        h = compute_hierarchy(parent, [values], flags)
        plist = parent.tolist()
        assert h.layer.tolist() == naive_layers(plist)
        assert h.span.tolist() == np.bincount(parent[parent >= 0], minlength=n).tolist()
        count, total = naive_below(plist, values.tolist())
        assert h.reports_below.tolist() == count
        assert np.allclose(h.below[0], total, rtol=1e-9, atol=1e-6)
        expect_flags = [0] * n
        for i in np.flatnonzero(flags).tolist():
            node = plist[i]
            while node >= 0:
                expect_flags[node] += 1
                node = plist[node]
        assert h.flagged_below.tolist() == expect_flags
        assert find_cycles(parent) == []


def test_cycles_below_a_forest_are_listed_once() -> None:
    # 0 is a top post with 1 and 2 below; 3 -> 4 -> 5 -> 3 is a loop with 6
    # and 7 hanging under it; 8 reports to itself.
    parent = [-1, 0, 1, 4, 5, 3, 3, 6, 8]
    assert find_cycles(parent) == [[3, 4, 5], [8]]
    with pytest.raises(CycleError):
        compute_hierarchy(parent)


def test_an_empty_structure_has_no_layers() -> None:
    h = compute_hierarchy(np.zeros(0, dtype=np.int64), np.zeros((2, 0)), np.zeros(0, dtype=bool))
    assert h.layer.size == 0 and h.below.shape == (2, 0)
    assert find_cycles([]) == []
