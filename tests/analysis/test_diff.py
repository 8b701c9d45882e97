"""Comparing two structures: pairing, its reliability, and money to the penny."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.analysis.diff import BY_ID, BY_TITLE, diff_structures, pairing
from goldenthread.analysis.structure import Structure


def _service(ids, **columns) -> Structure:
    n = len(ids)
    return Structure.from_lists(
        ids,
        [-1] + [0] * (n - 1),
        title=["Head of Highways"] + ["Highways Officer"] * (n - 1),
        unit=["Place / Highways"] * n,
        **columns,
    )


def test_a_council_file_without_ids_pairs_with_its_export_by_id():
    """Read without IDs, a file carries a match key of title, directorate and service;
    its export carries the row IDs. Paired by ID, every post pairs."""
    old = _service(["row-2", "row-3", "row-4"], cost=[80_000, 40_000, 40_000])
    old = Structure(**{**old.__dict__, "match_key": pl.Series(["head|place|highways"] * 3)})
    new = _service(["row-2", "row-3", "row-4"], cost=[80_000, 40_000, 40_000])
    new = Structure(**{**new.__dict__, "match_key": new.post_id})
    d = diff_structures(old, new, matched_by=pairing("title, directorate and service", BY_ID))
    assert (len(d.added), len(d.removed), d.paired) == (0, 0, 3)
    assert d.redundancy_cost == Decimal(0) and not d.pairing_unreliable


def test_few_shared_ids_withhold_the_redundancy_estimate_and_say_why():
    old = _service(["A1", "A2", "A3", "A4"], cost=[80_000, 40_000, 40_000, 40_000])
    new = _service(["A1", "B2", "B3", "B4"], cost=[80_000, 40_000, 40_000, 40_000])
    d = diff_structures(old, new)
    assert d.paired == 1
    assert d.pairing_unreliable.startswith("Only 1 of the 4 posts of the smaller structure")
    assert (d.redundancies, d.redundancy_cost, d.net_saving_first_year) == (None, None, None)
    assert d.redundancy_withheld.startswith("Not estimated")
    assert d.staffing_saving == Decimal("0.00")
    by_title = diff_structures(old, new, matched_by=BY_TITLE)
    assert (by_title.paired, len(by_title.added), len(by_title.removed)) == (4, 0, 0)
    assert by_title.matched_by == "title and unit"
    assert by_title.redundancy_cost == Decimal(0) and not by_title.redundancy_withheld


def test_half_the_smaller_structure_paired_is_reliable():
    old = _service(["A1", "A2", "A3", "A4"])
    new = _service(["A1", "A2", "B3", "B4", "B5", "B6"])
    d = diff_structures(old, new)
    assert d.paired == 2 and not d.pairing_unreliable and d.redundancies == 2


def test_title_pairing_ignores_case_and_spaces_and_pairs_repeats_in_order():
    old = _service(["A1", "A2", "A3"], cost=[80_000, 40_000, 41_000])
    new = Structure.from_lists(
        ["X", "Y", "Z"],
        [-1, 0, 0],
        title=["head of  HIGHWAYS", "Highways officer", "Highways Officer "],
        unit=["Place / Highways"] * 3,
        cost=[80_000, 40_000, 41_000],
    )
    d = diff_structures(old, new, matched_by=BY_TITLE)
    assert (d.paired, d.cost_changed, d.moved) == (3, (), ())


@settings(max_examples=50, deadline=None)
@given(
    pence=st.lists(st.integers(1, 10_000_000_000), min_size=2, max_size=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_money_is_summed_in_pence_whatever_the_order(pence, seed):
    n = len(pence)
    ids = [f"P{i}" for i in range(n)]
    cost = [p / 100 for p in pence]
    order = np.random.default_rng(seed).permutation(n)
    old = Structure.from_lists(ids, [-1] * n, unit=["X"] * n, cost=cost)
    new = Structure.from_lists(
        [ids[i] for i in order], [-1] * n, unit=["X"] * n, cost=[cost[i] for i in order]
    )
    d = diff_structures(old, new)
    assert d.total.cost_before == Decimal(sum(pence)) / 100
    assert d.total.cost_after == d.total.cost_before
    assert (d.staffing_saving, d.cost_changed) == (Decimal("0.00"), ())


def test_junior_cost_is_added_to_the_penny():
    old = Structure.from_lists(
        ["P1"], [-1], cost=[50_000.10], junior_fte=[3.0], junior_cost=[999.99]
    )
    d = diff_structures(old, old)
    assert d.total.cost_before == Decimal("50000.10")
    assert d.total.junior_cost_before == Decimal("999.99")


def _keyed(ids, parents, titles, units) -> Structure:
    s = Structure.from_lists(ids, parents, title=titles, unit=units)
    return Structure(**{**s.__dict__, "match_key": pl.Series([t.lower() for t in titles])})


def test_a_changed_post_carries_the_units_of_the_rows_it_pairs():
    """Paired by a match key, the row IDs name other posts: the units are the paired rows'."""
    old = _keyed(
        ["row-2", "row-3", "row-4"],
        [-1, 0, 0],
        ["Head", "Officer", "Clerk"],
        ["Place", "Place / Roads", "Place / Parks"],
    )
    new = _keyed(
        ["row-2", "row-3", "row-4"],
        [-1, 0, 1],
        ["Head", "Clerk", "Officer"],
        ["Place", "Place / Parks", "Place / Bridges"],
    )
    d = diff_structures(old, new, matched_by="title")
    assert [(c.post_id, c.before, c.after, c.unit_before, c.unit_after) for c in d.moved] == [
        ("row-4", "row-2", "row-3", "Place / Roads", "Place / Bridges")
    ]
