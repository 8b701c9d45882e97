"""Money in the structure engine adds whole pence: every total is the sum of its parts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.analysis.structure import Structure, post_metrics, summarise

AMOUNT = st.floats(min_value=0, max_value=5_000_000, allow_nan=False).map(lambda v: round(v, 3))


def _penny(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@st.composite
def structures(draw: st.DrawFn) -> tuple[list[int], list[float | None], list[float], list[str]]:
    n = draw(st.integers(min_value=1, max_value=30))
    parent = [-1] + [draw(st.integers(min_value=-1, max_value=i - 1)) for i in range(1, n)]
    cost = draw(st.lists(st.none() | AMOUNT, min_size=n, max_size=n))
    junior = draw(st.lists(AMOUNT, min_size=n, max_size=n))
    unit = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    return parent, cost, junior, unit


def _build(parent, cost, junior, unit, order):  # type: ignore[no-untyped-def]
    where = {old: new for new, old in enumerate(order)}
    return Structure.from_lists(
        [f"P{i}" for i in order],
        [-1 if parent[i] < 0 else where[parent[i]] for i in order],
        cost=[cost[i] for i in order],
        junior_cost=[junior[i] for i in order],
        junior_fte=[1.0] * len(order),
        unit=[unit[i] for i in order],
        grade=[unit[i] for i in order],
    )


@settings(max_examples=60, deadline=None)
@given(structures(), st.randoms(use_true_random=False))
def test_totals_are_the_sum_of_each_posts_pence_in_any_order(data, rnd) -> None:  # type: ignore[no-untyped-def]
    parent, cost, junior, unit = data
    order = list(range(len(parent)))
    rnd.shuffle(order)
    posts = sum((_penny(c) for c in cost if c is not None), Decimal("0.00"))
    juniors = sum((_penny(j) for j in junior), Decimal("0.00"))
    for structure in (
        _build(parent, cost, junior, unit, range(len(parent))),
        _build(parent, cost, junior, unit, order),
    ):
        s = summarise(structure)
        assert (s.posts_cost, s.junior_cost, s.total_cost) == (posts, juniors, posts + juniors)
        assert sum(s.cost_by_layer) == posts and sum(s.junior_cost_by_layer) == juniors
        assert sum(g.cost or 0 for g in s.by_unit) == posts
        assert sum(g.cost or 0 for g in s.by_grade) == posts
        assert sum(g.junior_cost for g in s.by_unit) == juniors
        managers = sum(
            (_penny(c) for i, c in enumerate(cost) if c is not None and i in set(parent)),
            Decimal("0.00"),
        )
        assert s.management_cost == managers
        m = post_metrics(structure)
        roots = structure.parent < 0
        below = sum(Decimal(f"{v:.2f}") for v in m.cost_below[roots])
        own = sum(Decimal(f"{v:.2f}") for v in m.cost[roots] if v == v)
        assert below + own == posts
        assert sum(Decimal(f"{v:.2f}") for v in m.junior_cost_below[roots]) == juniors
