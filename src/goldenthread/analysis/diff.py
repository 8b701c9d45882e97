"""Comparing two structures: what changed, per unit, and what it saves.

Posts are paired by their post ID, or for two files without IDs (council
transparency files) by their match key, title, directorate and service; or,
when asked, by title and unit (:data:`BY_TITLE`), for two structures whose
IDs were assigned apart. When a key occurs more than once, the first
occurrence in one structure pairs with the first in the other, the second
with the second, and so on.

When fewer than half of the posts of the smaller structure find a pair, the
pairing is unreliable: posts that are the same would be counted as removed
and added. The result says so (:attr:`StructureDiff.pairing_unreliable`) and
withholds the redundancy estimate, which would count those posts as
redundancies.

Money is summed in whole pence, each post's cost rounded to the penny first
(as a stored snapshot holds it), so the same posts in another order give the
same totals to the penny.

A paired post is *moved* when its manager's key differs, *retitled*,
*regraded*, or has changed FTE or cost. Per unit, posts, FTE and cost are
given before and after (the shape of a "roles per directorate, proposed and
implemented" table). The staffing saving is the known cost before minus the
known cost after; the redundancy estimate counts removed posts that were not
vacant at a configurable cost per post (£30,000 by default).

Junior staff (the aggregated rows of an organogram junior file) are not posts:
every post's FTE and cost here are its own, and the junior staff who report to
a post are compared apart (:attr:`StructureDiff.junior_changed` and the junior
figures of each :class:`UnitChange`). The saving counts junior staff only when
both structures have them; otherwise the saving is the posts' alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import polars as pl

from goldenthread.analysis.redundancy import RedundancyEstimate, redundancy_estimate
from goldenthread.analysis.rules import DEFAULT_RULES, DesignRules, in_pounds
from goldenthread.analysis.rules import pence as _pence
from goldenthread.analysis.structure import UNKNOWN_GROUP, Structure

__all__ = [
    "BY_ID",
    "BY_TITLE",
    "JuniorChange",
    "PostChange",
    "PostRef",
    "StructureDiff",
    "UnitChange",
    "diff_structures",
    "pairing",
    "title_unit_key",
]

_TOP = ""

#: How a comparison pairs posts: by post ID (the default) ...
BY_ID = "post ID"
#: ... or by title and unit, for structures whose IDs were assigned apart.
BY_TITLE = "title and unit"
#: The share of the smaller structure's posts below which pairing is unreliable.
RELIABLE_SHARE = 0.5

UNRELIABLE = (
    "Only {paired:,} of the {smaller:,} posts of the smaller structure pair with a post "
    "of the other by {matched_by}, fewer than half: posts that are the same may be counted "
    "as removed and added."
)
WITHHELD = "Not estimated: too few posts pair by {matched_by} for the posts removed to be known."


@dataclass(frozen=True)
class PostRef:
    """A post added or removed.

    Attributes
    ----------
    post_id, title, unit : str
    cost : Decimal or None
        Its own known cost (never its junior staff's).
    junior_fte, junior_cost : float, Decimal
        FTE and known cost of the junior staff who report to it.
    """

    post_id: str
    title: str
    unit: str
    cost: Decimal | None
    junior_fte: float = 0.0
    junior_cost: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class JuniorChange:
    """A change to the junior staff who report to a post.

    Attributes
    ----------
    post_id, title, unit : str
        The post they report to (as in the new structure, or the old one for
        a removed post).
    fte_before, fte_after : float
        FTE of its junior staff before and after (0 where the post is not).
    cost_before, cost_after : Decimal
        Their known cost before and after.
    """

    post_id: str
    title: str
    unit: str
    fte_before: float
    fte_after: float
    cost_before: Decimal
    cost_after: Decimal


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
    unit_before, unit_after : str
        The unit of the post in the old structure and of the post it pairs
        with in the new one (their IDs may differ when posts pair by title
        and unit or by a match key).
    """

    post_id: str
    title: str
    before: str
    after: str
    unit_before: str
    unit_after: str


@dataclass(frozen=True)
class UnitChange:
    """Posts, FTE and cost of one unit (or the total) before and after.

    The posts' figures are their own; the cost figures are known costs, and
    ``unknown_cost_before`` and ``unknown_cost_after`` count the posts whose
    cost is unknown. The ``junior_`` figures are those of the junior staff
    who report to the unit's posts, and ``junior_unknown_before`` and
    ``junior_unknown_after`` count junior rows whose cost is unknown.
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
    junior_fte_before: float = 0.0
    junior_fte_after: float = 0.0
    junior_fte_change: float = 0.0
    junior_cost_before: Decimal = Decimal("0.00")
    junior_cost_after: Decimal = Decimal("0.00")
    junior_cost_change: Decimal = Decimal("0.00")
    junior_unknown_before: int = 0
    junior_unknown_after: int = 0


@dataclass(frozen=True)
class StructureDiff:
    """Everything that changed between two structures.

    Attributes
    ----------
    matched_by : str
        How posts were paired (``"post ID"`` or e.g. ``"title, directorate
        and service"``).
    added, removed : tuple of PostRef
        Posts only in the new, or only in the old, structure, at their own
        cost.
    moved, retitled, regraded, fte_changed, cost_changed : tuple of PostChange
        Changes to posts in both (their own FTE and cost).
    junior_changed : tuple of JuniorChange
        Posts whose junior staff changed in FTE or cost: posts in both (in
        the new structure's order), then added and removed posts with junior
        staff.
    total : UnitChange
        The whole structure before and after.
    by_unit : tuple of UnitChange
        Per unit (new unit for posts in the new structure, old unit for
        removed posts), ordered by unit.
    staffing_saving : Decimal
        Known cost before minus known cost after (negative when cost rises):
        ``posts_saving + junior_saving``.
    posts_saving, junior_saving : Decimal
        The part from posts, and from junior staff (zero unless
        ``junior_compared``).
    junior_compared : bool
        Whether both structures have junior staff, so that theirs count in the
        saving. With junior staff on one side only (one snapshot read without
        its junior file) the change in junior staff is not a saving or a cost.
    redundancies : int or None
        Removed posts that were not vacant (posts only: junior staff are not
        in the redundancy estimate; ``None`` when withheld).
    redundancy_cost : Decimal or None
        The cost of those redundancies: see ``redundancy`` (``None`` when
        withheld).
    net_saving_first_year : Decimal or None
        ``staffing_saving - redundancy_cost`` (``None`` when withheld).
    paired : int
        Posts present in both structures.
    pairing_unreliable : str
        Empty, or why the pairing cannot be relied on (fewer than half of the
        smaller structure's posts paired).
    redundancy_withheld : str
        Empty, or why the redundancy estimate is not given.
    redundancy : RedundancyEstimate or None
        How the redundancy cost was made: the flat cost per post, or the
        grade bands (and the flat cost for grades with none); ``None`` when
        withheld.
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
    redundancies: int | None
    redundancy_cost: Decimal | None
    net_saving_first_year: Decimal | None
    junior_changed: tuple[JuniorChange, ...]
    posts_saving: Decimal
    junior_saving: Decimal
    junior_compared: bool
    redundancy: RedundancyEstimate | None
    paired: int = 0
    pairing_unreliable: str = ""
    redundancy_withheld: str = ""


def title_unit_key(title: pl.Series, unit: pl.Series) -> pl.Series:
    """The key pairing posts by title and unit: each in lower case, spaces collapsed.

    >>> title_unit_key(pl.Series(["Head of  Highways"]), pl.Series(["Place / Roads"])).to_list()
    ['head of highways|place / roads']
    """
    frame = pl.DataFrame({"t": title, "u": unit}).fill_null("")
    norm = [
        pl.col(c).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars() for c in "tu"
    ]
    return frame.select(pl.concat_str(norm, separator="|")).to_series()


def _keys(s: Structure, matched_by: str) -> pl.Series:
    if matched_by == BY_TITLE:
        return title_unit_key(s.title, s.unit)
    if matched_by != BY_ID and s.match_key is not None:
        return s.match_key.cast(pl.String)
    return s.post_id.cast(pl.String)


def _frame(s: Structure, matched_by: str) -> pl.DataFrame:
    keys = _keys(s, matched_by).fill_null("")
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
    known = _pence(s.cost)
    unknown = np.isnan(s.cost)
    return pl.DataFrame(
        {
            "key": pair_key,
            "post_id": s.post_id,
            "manager": pl.Series(manager.tolist(), dtype=pl.String).fill_null(_TOP),
            "manager_key": pl.Series(manager_pair.tolist(), dtype=pl.String),
            "title": s.title,
            "grade": s.grade,
            "unit": s.unit.replace("", UNKNOWN_GROUP),
            "fte": s.fte,
            # In pence; null when the post's own cost is unknown.
            "cost": pl.Series(known).set(pl.Series(unknown), None),
            "known": known,
            "unknown": unknown,
            "vacant": s.vacant,
            "junior_fte": s.junior_fte,
            "junior_cost": _pence(s.junior_cost),
            "junior_unknown": s.junior_unknown_cost,
        }
    )


def _money(pence: object) -> Decimal | None:
    return None if pence is None else _known(pence)


def _known(pence: object) -> Decimal:
    return in_pounds(pence)  # type: ignore[arg-type]


def _refs(frame: pl.DataFrame) -> tuple[PostRef, ...]:
    rows = frame.select("post_id", "title", "unit", "cost", "junior_fte", "junior_cost")
    return tuple(
        PostRef(
            str(pid),
            str(title),
            str(unit),
            _money(cost),
            round(float(jfte), 4),
            _known(jcost),
        )
        for pid, title, unit, cost, jfte, jcost in rows.iter_rows()
    )


def _junior_changes(
    old: pl.DataFrame, new: pl.DataFrame, removed: pl.DataFrame
) -> tuple[JuniorChange, ...]:
    """Posts whose junior staff differ: those in the new structure, then removed ones."""
    before = old.select(
        "key",
        pl.col("junior_fte").alias("fte_before"),
        pl.col("junior_cost").alias("cost_before"),
    )
    after = new.join(before, on="key", how="left", maintain_order="left").select(
        "post_id",
        "title",
        "unit",
        pl.col("fte_before").fill_null(0.0),
        pl.col("junior_fte").alias("fte_after"),
        pl.col("cost_before").fill_null(0),
        pl.col("junior_cost").alias("cost_after"),
    )
    gone = removed.select(
        "post_id",
        "title",
        "unit",
        pl.col("junior_fte").alias("fte_before"),
        pl.lit(0.0).alias("fte_after"),
        pl.col("junior_cost").alias("cost_before"),
        pl.lit(0, dtype=pl.Int64).alias("cost_after"),
    )
    changed = pl.concat([after, gone]).filter(
        ((pl.col("fte_after") - pl.col("fte_before")).abs() > 1e-9)
        | (pl.col("cost_after") != pl.col("cost_before"))
    )
    return tuple(
        JuniorChange(
            str(pid),
            str(title),
            str(unit),
            round(float(fb), 4),
            round(float(fa), 4),
            _known(cb),
            _known(ca),
        )
        for pid, title, unit, fb, fa, cb, ca in changed.iter_rows()
    )


def _changes(both: pl.DataFrame, column: str, show: str | None = None) -> tuple[PostChange, ...]:
    shown = show or column
    changed = both.filter(pl.col(column) != pl.col(f"{column}_old"))
    return _post_changes(
        changed, f"{shown}_old", shown, lambda value: "" if value is None else str(value)
    )


def _post_changes(
    changed: pl.DataFrame, before: str, after: str, show: Callable[[Any], str]
) -> tuple[PostChange, ...]:
    """A change for each paired row of ``changed``, its values shown by ``show``."""
    rows = changed.select(
        "post_id",
        pl.col("title").alias("_title"),
        pl.col(before).alias("_before"),
        pl.col(after).alias("_after"),
        "unit_old",
        "unit",
    ).iter_rows()
    return tuple(
        PostChange(str(p), str(t), show(b), show(a), str(ub), str(ua))
        for p, t, b, a, ub, ua in rows
    )


def _per_unit(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    def agg(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return frame.group_by("unit").agg(
            pl.len().alias(f"posts{suffix}"),
            pl.col("fte").sum().alias(f"fte{suffix}"),
            pl.col("known").sum().alias(f"cost{suffix}"),
            pl.col("unknown").sum().alias(f"unknown{suffix}"),
            pl.col("junior_fte").sum().alias(f"junior_fte{suffix}"),
            pl.col("junior_cost").sum().alias(f"junior_cost{suffix}"),
            pl.col("junior_unknown").sum().alias(f"junior_unknown{suffix}"),
        )

    joined = agg(old, "_before").join(agg(new, "_after"), on="unit", how="full", coalesce=True)
    return joined.fill_null(0).sort("unit")


def _unit_change(name: str, row: dict[str, object]) -> UnitChange:
    def f(key: str) -> float:
        value = row[key]
        return float(value) if isinstance(value, int | float) else 0.0

    def fte(key: str) -> tuple[float, float, float]:
        before, after = f(f"{key}_before"), f(f"{key}_after")
        return round(before, 4), round(after, 4), round(after - before, 4)

    def money(key: str) -> tuple[Decimal, Decimal, Decimal]:
        before, after = _money(row[f"{key}_before"] or 0), _money(row[f"{key}_after"] or 0)
        assert before is not None and after is not None
        return before, after, after - before

    posts_before, posts_after = int(f("posts_before")), int(f("posts_after"))
    fte_before, fte_after, fte_change = fte("fte")
    cost_before, cost_after, cost_change = money("cost")
    junior_fte_before, junior_fte_after, junior_fte_change = fte("junior_fte")
    junior_cost_before, junior_cost_after, junior_cost_change = money("junior_cost")
    return UnitChange(
        unit=name,
        posts_before=posts_before,
        posts_after=posts_after,
        posts_change=posts_after - posts_before,
        fte_before=fte_before,
        fte_after=fte_after,
        fte_change=fte_change,
        cost_before=cost_before,
        cost_after=cost_after,
        cost_change=cost_change,
        unknown_cost_before=int(f("unknown_before")),
        unknown_cost_after=int(f("unknown_after")),
        junior_fte_before=junior_fte_before,
        junior_fte_after=junior_fte_after,
        junior_fte_change=junior_fte_change,
        junior_cost_before=junior_cost_before,
        junior_cost_after=junior_cost_after,
        junior_cost_change=junior_cost_change,
        junior_unknown_before=int(f("junior_unknown_before")),
        junior_unknown_after=int(f("junior_unknown_after")),
    )


def pairing(old_matched_by: str, new_matched_by: str, *, by_title: bool = False) -> str:
    """How to pair two structures read with ``old_matched_by`` and ``new_matched_by`` keys.

    By title and unit when asked; by the structures' own match key when both
    were read with the same one (two council files without IDs); else by
    post ID, which every structure has (an export keeps the IDs a file
    without them was given).

    >>> pairing("title, directorate and service", "post ID")
    'post ID'
    >>> pairing("title, directorate and service", "title, directorate and service")
    'title, directorate and service'
    >>> pairing("post ID", "post ID", by_title=True)
    'title and unit'
    """
    if by_title:
        return BY_TITLE
    return old_matched_by if old_matched_by == new_matched_by else BY_ID


def diff_structures(
    old: Structure,
    new: Structure,
    *,
    rules: DesignRules = DEFAULT_RULES,
    matched_by: str = BY_ID,
) -> StructureDiff:
    """Compare two structures.

    Parameters
    ----------
    old, new : Structure
        Before and after.
    rules : DesignRules, optional
        Supplies the cost per redundancy (default £30,000).
    matched_by : str, optional
        How posts pair: :data:`BY_ID` (the default) by post ID;
        :data:`BY_TITLE` by title and unit; anything else names the match key
        both structures were read with (e.g. ``"title, directorate and
        service"`` for council files without IDs) and pairs by it.

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

    The same service renumbered: by ID nothing pairs, so the redundancy
    estimate is withheld; by title and unit every post pairs.

    >>> renumbered = Structure.from_lists(
    ...     ["A", "B", "C", "D"], [-1, 0, 0, 0],
    ...     title=["Head", "Officer", "Officer", "Officer"], unit=["Highways"] * 4)
    >>> before = Structure.from_lists(
    ...     ["H1", "O1", "O2", "O3"], [-1, 0, 0, 0],
    ...     title=["Head", "Officer", "Officer", "Officer"], unit=["Highways"] * 4)
    >>> d = diff_structures(before, renumbered)
    >>> d.paired, d.redundancy_cost, bool(d.pairing_unreliable)
    (0, None, True)
    >>> d = diff_structures(before, renumbered, matched_by=BY_TITLE)
    >>> d.paired, len(d.added), len(d.removed), d.redundancy_cost
    (4, 0, 0, Decimal('0'))
    """
    a, b = _frame(old, matched_by), _frame(new, matched_by)
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
            pl.col("unit").alias("unit_old"),
        ),
        on="key",
        how="inner",
        maintain_order="left",
    )
    fte_changed = both.filter((pl.col("fte") - pl.col("fte_old")).abs() > 1e-9)
    cost_changed = both.filter(
        (pl.col("cost").is_null() != pl.col("cost_old").is_null())
        | (pl.col("cost") != pl.col("cost_old"))
    )
    units = _per_unit(a, b)
    by_unit = tuple(_unit_change(str(r["unit"]), r) for r in units.iter_rows(named=True))
    totals = units.drop("unit").sum().row(0, named=True)
    total = _unit_change("Total", totals)
    posts_saving = total.cost_before - total.cost_after
    compared = _has_junior(old) and _has_junior(new)
    junior_saving = (
        total.junior_cost_before - total.junior_cost_after if compared else Decimal("0.00")
    )
    saving = posts_saving + junior_saving
    shown = "post ID" if matched_by == BY_ID else matched_by
    smaller = min(len(old), len(new))
    unreliable = ""
    if both.height < smaller * RELIABLE_SHARE:
        unreliable = UNRELIABLE.format(paired=both.height, smaller=smaller, matched_by=shown)
    filled: int | None = None
    redundancy_cost: Decimal | None = None
    net: Decimal | None = None
    estimate: RedundancyEstimate | None = None
    if not unreliable:
        filled_grades = removed.filter(~pl.col("vacant")).get_column("grade").to_list()
        estimate = redundancy_estimate(
            [grade or "" for grade in filled_grades],
            flat=rules.cost_per_redundancy,
            bands=rules.redundancy_bands,
        )
        filled, redundancy_cost = estimate.posts, estimate.total
        net = saving - redundancy_cost
    return StructureDiff(
        matched_by=shown,
        added=_refs(added),
        removed=_refs(removed),
        moved=_changes(both, "manager_key", show="manager"),
        retitled=_changes(both, "title"),
        regraded=_changes(both, "grade"),
        fte_changed=_post_changes(fte_changed, "fte_old", "fte", lambda fte: f"{fte:g}"),
        cost_changed=_post_changes(
            cost_changed,
            "cost_old",
            "cost",
            lambda pence: "unknown" if pence is None else str(_money(pence)),
        ),
        total=total,
        by_unit=by_unit,
        staffing_saving=saving,
        redundancies=filled,
        redundancy_cost=redundancy_cost,
        net_saving_first_year=net,
        paired=both.height,
        pairing_unreliable=unreliable,
        redundancy_withheld=WITHHELD.format(matched_by=shown) if unreliable else "",
        junior_changed=_junior_changes(a, b, removed),
        posts_saving=posts_saving,
        junior_saving=junior_saving,
        junior_compared=compared,
        redundancy=estimate,
    )


def _has_junior(s: Structure) -> bool:
    """Whether junior staff report to any of the posts (read from a junior file)."""
    return bool((s.junior_fte > 0).any() or (s.junior_unknown_cost > 0).any())
