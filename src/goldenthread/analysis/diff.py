"""Comparing two structures: what changed, per unit, and what it saves.

Posts are paired by their match key: the post ID, or for files without IDs
(council transparency files) title, directorate and service. When a key
occurs more than once, the first occurrence in one structure pairs with the
first in the other, the second with the second, and so on.

A paired post is *moved* when its manager's key differs, *retitled*,
*regraded*, or has changed FTE or cost. Per unit, posts, FTE and cost are
given before and after (the shape of a "roles per directorate, proposed and
implemented" table). The staffing saving is the known cost before minus the
known cost after; the redundancy estimate counts removed posts that were not
vacant at a configurable cost per post (£30,000 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from goldenthread.analysis.redundancy import RedundancyEstimate, redundancy_estimate
from goldenthread.analysis.rules import DEFAULT_RULES, DesignRules, pounds
from goldenthread.analysis.structure import UNKNOWN_GROUP, Structure

__all__ = [
    "PostChange",
    "PostRef",
    "StructureDiff",
    "UnitChange",
    "diff_structures",
]

_TOP = ""


@dataclass(frozen=True)
class PostRef:
    """A post added or removed.

    Attributes
    ----------
    post_id, title, unit : str
    cost : Decimal or None
        Its known cost.
    """

    post_id: str
    title: str
    unit: str
    cost: Decimal | None


@dataclass(frozen=True)
class PostChange:
    """One change to a post present in both structures.

    Attributes
    ----------
    post_id : str
        The post's ID in the new structure.
    title : str
        Its title in the new structure.
    before, after : str
        The old and new value (for a move, the managers' IDs; blank for a top
        post).
    """

    post_id: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class UnitChange:
    """Posts, FTE and cost of one unit (or the total) before and after.

    The cost figures are known costs; ``unknown_cost_before`` and
    ``unknown_cost_after`` count the posts whose cost is unknown.
    """

    unit: str
    posts_before: int
    posts_after: int
    posts_change: int
    fte_before: float
    fte_after: float
    fte_change: float
    cost_before: Decimal
    cost_after: Decimal
    cost_change: Decimal
    unknown_cost_before: int
    unknown_cost_after: int


@dataclass(frozen=True)
class StructureDiff:
    """Everything that changed between two structures.

    Attributes
    ----------
    matched_by : str
        How posts were paired (``"post ID"`` or e.g. ``"title, directorate
        and service"``).
    added, removed : tuple of PostRef
        Posts only in the new, or only in the old, structure.
    moved, retitled, regraded, fte_changed, cost_changed : tuple of PostChange
        Changes to posts in both.
    total : UnitChange
        The whole structure before and after.
    by_unit : tuple of UnitChange
        Per unit (new unit for posts in the new structure, old unit for
        removed posts), ordered by unit.
    staffing_saving : Decimal
        Known cost before minus known cost after (negative when cost rises).
    redundancies : int
        Removed posts that were not vacant.
    redundancy_cost : Decimal
        The cost of those redundancies: see ``redundancy``.
    net_saving_first_year : Decimal
        ``staffing_saving - redundancy_cost``.
    redundancy : RedundancyEstimate
        How the redundancy cost was made: the flat cost per post, or the
        grade bands (and the flat cost for grades with none).
    """

    matched_by: str
    added: tuple[PostRef, ...]
    removed: tuple[PostRef, ...]
    moved: tuple[PostChange, ...]
    retitled: tuple[PostChange, ...]
    regraded: tuple[PostChange, ...]
    fte_changed: tuple[PostChange, ...]
    cost_changed: tuple[PostChange, ...]
    total: UnitChange
    by_unit: tuple[UnitChange, ...]
    staffing_saving: Decimal
    redundancies: int
    redundancy_cost: Decimal
    net_saving_first_year: Decimal
    redundancy: RedundancyEstimate


def _frame(s: Structure) -> pl.DataFrame:
    key = s.match_key if s.match_key is not None else s.post_id
    keys = key.cast(pl.String).fill_null("")
    # Pair repeated keys in order of occurrence.
    occurrence = pl.DataFrame({"k": keys}).select(pl.int_range(pl.len()).over("k")).to_series()
    pair_key = pl.select(pl.format("{}#{}", keys, occurrence)).to_series()
    par = s.parent
    has = par >= 0
    manager = np.full(len(s), None, dtype=object)
    ids = s.post_id.to_numpy()
    manager[has] = ids[par[has]]
    manager_pair = np.full(len(s), _TOP, dtype=object)
    manager_pair[has] = pair_key.to_numpy()[par[has]]
    cost = np.where(np.isnan(s.cost), np.nan, s.cost + s.junior_cost)
    unknown = np.isnan(s.cost) | (s.junior_unknown_cost > 0)
    return pl.DataFrame(
        {
            "key": pair_key,
            "post_id": s.post_id,
            "manager": pl.Series(manager.tolist(), dtype=pl.String).fill_null(_TOP),
            "manager_key": pl.Series(manager_pair.tolist(), dtype=pl.String),
            "title": s.title,
            "grade": s.grade,
            "unit": s.unit.replace("", UNKNOWN_GROUP),
            "fte": s.fte + s.junior_fte,
            "cost": pl.Series(cost).fill_nan(None),
            "known": np.where(np.isnan(s.cost), 0.0, s.cost) + s.junior_cost,
            "unknown": unknown,
            "vacant": s.vacant,
        }
    )


def _refs(frame: pl.DataFrame) -> tuple[PostRef, ...]:
    return tuple(
        PostRef(str(pid), str(title), str(unit), pounds(cost))
        for pid, title, unit, cost in frame.select("post_id", "title", "unit", "cost").iter_rows()
    )


def _changes(both: pl.DataFrame, column: str, show: str | None = None) -> tuple[PostChange, ...]:
    shown = show or column
    changed = both.filter(pl.col(column) != pl.col(f"{column}_old"))
    rows = changed.select(
        "post_id",
        pl.col("title").alias("_title"),
        pl.col(f"{shown}_old").cast(pl.String).alias("_before"),
        pl.col(shown).cast(pl.String).alias("_after"),
    ).iter_rows()
    return tuple(PostChange(str(p), str(t), b or "", a or "") for p, t, b, a in rows)


def _per_unit(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    def agg(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return frame.group_by("unit").agg(
            pl.len().alias(f"posts{suffix}"),
            pl.col("fte").sum().alias(f"fte{suffix}"),
            pl.col("known").sum().alias(f"cost{suffix}"),
            pl.col("unknown").sum().alias(f"unknown{suffix}"),
        )

    joined = agg(old, "_before").join(agg(new, "_after"), on="unit", how="full", coalesce=True)
    return joined.fill_null(0).sort("unit")


def _unit_change(name: str, row: dict[str, object]) -> UnitChange:
    def f(key: str) -> float:
        value = row[key]
        return float(value) if isinstance(value, int | float) else 0.0

    before, after = pounds(f("cost_before")), pounds(f("cost_after"))
    assert before is not None and after is not None
    return UnitChange(
        unit=name,
        posts_before=int(f("posts_before")),
        posts_after=int(f("posts_after")),
        posts_change=int(f("posts_after")) - int(f("posts_before")),
        fte_before=round(f("fte_before"), 4),
        fte_after=round(f("fte_after"), 4),
        fte_change=round(f("fte_after") - f("fte_before"), 4),
        cost_before=before,
        cost_after=after,
        cost_change=after - before,
        unknown_cost_before=int(f("unknown_before")),
        unknown_cost_after=int(f("unknown_after")),
    )


def diff_structures(
    old: Structure,
    new: Structure,
    *,
    rules: DesignRules = DEFAULT_RULES,
    matched_by: str = "post ID",
) -> StructureDiff:
    """Compare two structures.

    Parameters
    ----------
    old, new : Structure
        Before and after.
    rules : DesignRules, optional
        Supplies the cost per redundancy (default £30,000).
    matched_by : str, optional
        How the structures' match keys were made, repeated in the result.

    Examples
    --------
    A service of a head and four officers becomes a head and three officers,
    one of them regraded:

    >>> old = Structure.from_lists(
    ...     ["H1", "O1", "O2", "O3", "O4"], [-1, 0, 0, 0, 0],
    ...     grade=["SM2", "PO1", "PO1", "PO1", "PO1"], unit=["Highways"] * 5,
    ...     cost=[72_000, 41_000, 41_000, 41_000, 41_000])
    >>> new = Structure.from_lists(
    ...     ["H1", "O1", "O2", "O3"], [-1, 0, 0, 0],
    ...     grade=["SM2", "PO2", "PO1", "PO1"], unit=["Highways"] * 4,
    ...     cost=[72_000, 44_500, 41_000, 41_000])
    >>> d = diff_structures(old, new)
    >>> [p.post_id for p in d.removed], [(c.post_id, c.before, c.after) for c in d.regraded]
    (['O4'], [('O1', 'PO1', 'PO2')])
    >>> d.total.posts_change, d.staffing_saving, d.redundancy_cost, d.net_saving_first_year
    (-1, Decimal('37500.00'), Decimal('30000'), Decimal('7500.00'))
    """
    a, b = _frame(old), _frame(new)
    added = b.join(a.select("key"), on="key", how="anti", maintain_order="left")
    removed = a.join(b.select("key"), on="key", how="anti", maintain_order="left")
    both = b.join(
        a.select(
            "key",
            pl.col("manager").alias("manager_old"),
            pl.col("manager_key").alias("manager_key_old"),
            pl.col("title").alias("title_old"),
            pl.col("grade").alias("grade_old"),
            pl.col("fte").alias("fte_old"),
            pl.col("cost").alias("cost_old"),
        ),
        on="key",
        how="inner",
        maintain_order="left",
    )
    fte_changed = both.filter((pl.col("fte") - pl.col("fte_old")).abs() > 1e-9)
    cost_changed = both.filter(
        (pl.col("cost").is_null() != pl.col("cost_old").is_null())
        | ((pl.col("cost") - pl.col("cost_old")).abs() > 0.005)
    )
    units = _per_unit(a, b)
    by_unit = tuple(_unit_change(str(r["unit"]), r) for r in units.iter_rows(named=True))
    totals = units.drop("unit").sum().row(0, named=True)
    total = _unit_change("Total", totals)
    filled_grades = removed.filter(~pl.col("vacant")).get_column("grade").to_list()
    estimate = redundancy_estimate(
        [grade or "" for grade in filled_grades],
        flat=rules.cost_per_redundancy,
        bands=rules.redundancy_bands,
    )
    filled, redundancy_cost = estimate.posts, estimate.total
    saving = total.cost_before - total.cost_after
    return StructureDiff(
        matched_by=matched_by,
        added=_refs(added),
        removed=_refs(removed),
        moved=_changes(both, "manager_key", show="manager"),
        retitled=_changes(both, "title"),
        regraded=_changes(both, "grade"),
        fte_changed=tuple(
            PostChange(str(p), str(t), f"{o:g}", f"{n:g}")
            for p, t, o, n in fte_changed.select("post_id", "title", "fte_old", "fte").iter_rows()
        ),
        cost_changed=tuple(
            PostChange(
                str(p),
                str(t),
                "unknown" if o is None else str(pounds(o)),
                "unknown" if n is None else str(pounds(n)),
            )
            for p, t, o, n in cost_changed.select(
                "post_id", "title", "cost_old", "cost"
            ).iter_rows()
        ),
        total=total,
        by_unit=by_unit,
        staffing_saving=saving,
        redundancies=filled,
        redundancy_cost=redundancy_cost,
        net_saving_first_year=saving - redundancy_cost,
        redundancy=estimate,
    )
