"""An organisation structure and its spans, layers, roll-ups and costs.

A :class:`Structure` is a forest of posts held as columns: text columns as
polars Series and numbers as numpy arrays, with ``parent`` giving each post's
manager as an index (``-1`` for a top post). Build one from plain Python lists
with :meth:`Structure.from_lists`, or from a file through
:mod:`goldenthread.formats`, which also validates reporting lines.

:func:`post_metrics` gives the figures for every post and :func:`summarise`
the figures for the whole structure against :class:`DesignRules`.

Money is in pounds. A structure holds it as float (NaN when unknown); the
engine takes each post's own cost and junior cost to the penny (half a penny
away from zero, :func:`goldenthread.analysis.rules.pence`) and adds whole
pence, so every total (overall, by unit, by grade, by layer, management cost,
cost below a post) is exactly the sum of the per-post figures, whatever the
order. Every result carries :class:`decimal.Decimal` in pounds and pence, and
an unknown cost is ``None`` and counted, never taken as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import polars as pl

from goldenthread.analysis.hierarchy import CycleError, compute_hierarchy, find_cycles
from goldenthread.analysis.rules import DEFAULT_RULES, DesignRules, in_pounds, pence
from goldenthread.analysis.wording import counted

__all__ = [
    "GroupFigures",
    "PostMetrics",
    "SpanStats",
    "Structure",
    "StructureSummary",
    "post_metrics",
    "summarise",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

UNKNOWN_GROUP = "(none)"


def _floats(values: Sequence[float | None] | npt.ArrayLike, n: int) -> FloatArray:
    if isinstance(values, np.ndarray):
        arr = values.astype(np.float64, copy=False)
    else:
        seq = list(values)  # type: ignore[arg-type]
        arr = np.array([np.nan if v is None else v for v in seq], dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError("every column must have one value per post")
    return arr


def _bools(values: Sequence[bool] | npt.ArrayLike | None, n: int) -> BoolArray:
    if values is None:
        return np.zeros(n, dtype=np.bool_)
    arr = np.asarray(values, dtype=np.bool_)
    if arr.shape != (n,):
        raise ValueError("every column must have one value per post")
    return arr


def _text(name: str, values: Sequence[str | None] | pl.Series | None, n: int) -> pl.Series:
    if values is None:
        return pl.repeat("", n, dtype=pl.String, eager=True).alias(name)
    s = values if isinstance(values, pl.Series) else pl.Series(name, list(values))
    s = s.cast(pl.String).fill_null("").alias(name)
    if s.len() != n:
        raise ValueError("every column must have one value per post")
    return s


@dataclass(frozen=True)
class Structure:
    """A validated forest of posts.

    Attributes
    ----------
    post_id : polars.Series
        Post identifiers as text (leading zeros kept).
    parent : numpy.ndarray
        Index of each post's manager, ``-1`` for a top post.
    title, grade, unit : polars.Series
        Job title, grade (or tier) and unit path (e.g. ``"Place / Highways"``).
    fte : numpy.ndarray
        FTE of the post itself (a job share sums its holders).
    cost : numpy.ndarray
        Annual pay cost of the post itself in pounds; NaN when unknown.
    junior_fte, junior_cost : numpy.ndarray
        FTE and known cost of the junior staff who report to the post
        (aggregated rows of an organogram junior file). They are not posts:
        they never change layers, spans or the post's own FTE and cost, and
        are counted in the layer below the post (see :func:`summarise`).
    junior_unknown_cost : numpy.ndarray
        Number of those junior rows whose cost was unknown.
    vacant, agency : numpy.ndarray
        Flags.
    not_in_post_rows : int
        Rows for people paid but not in a post (organogram ID ``0``); they are
        not part of the structure.
    not_in_post_fte : float
        Their FTE.
    source : str
        Where the structure came from (a file name, or a label).
    match_key : polars.Series or None
        The key that pairs this structure's posts with another's in a diff;
        ``None`` means the post ID.
    """

    post_id: pl.Series
    parent: IntArray
    title: pl.Series
    grade: pl.Series
    unit: pl.Series
    fte: FloatArray
    cost: FloatArray
    junior_fte: FloatArray
    junior_cost: FloatArray
    junior_unknown_cost: IntArray
    vacant: BoolArray
    agency: BoolArray
    not_in_post_rows: int = 0
    not_in_post_fte: float = 0.0
    source: str = ""
    match_key: pl.Series | None = None

    def __post_init__(self) -> None:
        n = self.parent.shape[0]
        for name in ("post_id", "title", "grade", "unit"):
            if getattr(self, name).len() != n:
                raise ValueError(f"{name} must have one value per post")
        for name in (
            "fte",
            "cost",
            "junior_fte",
            "junior_cost",
            "junior_unknown_cost",
            "vacant",
            "agency",
        ):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have one value per post")

    def __len__(self) -> int:
        return int(self.parent.shape[0])

    @classmethod
    def from_lists(
        cls,
        post_id: Sequence[str] | pl.Series,
        parent: Sequence[int] | npt.ArrayLike,
        *,
        title: Sequence[str | None] | pl.Series | None = None,
        grade: Sequence[str | None] | pl.Series | None = None,
        unit: Sequence[str | None] | pl.Series | None = None,
        fte: Sequence[float | None] | npt.ArrayLike | None = None,
        cost: Sequence[float | None] | npt.ArrayLike | None = None,
        junior_fte: Sequence[float] | npt.ArrayLike | None = None,
        junior_cost: Sequence[float] | npt.ArrayLike | None = None,
        junior_unknown_cost: Sequence[int] | npt.ArrayLike | None = None,
        vacant: Sequence[bool] | npt.ArrayLike | None = None,
        agency: Sequence[bool] | npt.ArrayLike | None = None,
        source: str = "",
    ) -> Structure:
        """Build a structure from plain columns, checking it has no cycle.

        ``fte`` defaults to 1 per post; an unknown ``cost`` is ``None``.

        Raises
        ------
        CycleError
            If the parent indices contain a reporting cycle.

        Examples
        --------
        >>> s = Structure.from_lists(
        ...     ["CX1", "DIR1", "HOS1"], [-1, 0, 1],
        ...     title=["Chief Executive", "Director of Place", "Head of Highways"],
        ...     cost=[187_500, 132_000, None],
        ... )
        >>> len(s), s.post_id.to_list()
        (3, ['CX1', 'DIR1', 'HOS1'])
        """
        par = np.asarray(parent, dtype=np.int64)
        n = par.shape[0]
        if n and (par.min() < -1 or par.max() >= n):
            raise ValueError("parent holds an index outside the structure")
        cycles = find_cycles(par)
        if cycles:
            raise CycleError(f"reporting cycle through posts {cycles[0]}")
        zeros = np.zeros(n, dtype=np.float64)
        return cls(
            post_id=_text("post_id", post_id, n),
            parent=par,
            title=_text("title", title, n),
            grade=_text("grade", grade, n),
            unit=_text("unit", unit, n),
            fte=np.ones(n, dtype=np.float64) if fte is None else _floats(fte, n),
            cost=np.full(n, np.nan) if cost is None else _floats(cost, n),
            junior_fte=zeros.copy() if junior_fte is None else _floats(junior_fte, n),
            junior_cost=zeros.copy() if junior_cost is None else _floats(junior_cost, n),
            junior_unknown_cost=(
                np.zeros(n, dtype=np.int64)
                if junior_unknown_cost is None
                else np.asarray(junior_unknown_cost, dtype=np.int64).reshape(n)
            ),
            vacant=_bools(vacant, n),
            agency=_bools(agency, n),
            source=source,
        )


@dataclass(frozen=True)
class PostMetrics:
    """Figures for every post, aligned with the structure's columns.

    Attributes
    ----------
    layer : numpy.ndarray
        1 for a top post, 2 for its direct reports, and so on.
    span : numpy.ndarray
        Direct reports.
    reports_below : numpy.ndarray
        Posts anywhere below.
    fte : numpy.ndarray
        FTE of the post itself (never its junior staff).
    fte_below : numpy.ndarray
        FTE of the posts below the post.
    cost : numpy.ndarray
        Cost of the post itself to the penny (NaN when unknown; never its
        junior staff).
    cost_below : numpy.ndarray
        Known cost of the posts below: the sum of their costs to the penny.
    unknown_cost_below : numpy.ndarray
        Posts below whose cost is unknown (so ``cost_below`` is a floor).
    junior_fte_below, junior_cost_below : numpy.ndarray
        FTE and known cost of the junior staff below the post: those who
        report to it and those who report to any post below it.
    junior_unknown_cost_below : numpy.ndarray
        Junior rows among those whose cost is unknown.
    is_manager : numpy.ndarray
        Whether the post has at least one direct report (a post).
    """

    layer: IntArray
    span: IntArray
    reports_below: IntArray
    fte: FloatArray
    fte_below: FloatArray
    cost: FloatArray
    cost_below: FloatArray
    unknown_cost_below: IntArray
    junior_fte_below: FloatArray
    junior_cost_below: FloatArray
    junior_unknown_cost_below: IntArray
    is_manager: BoolArray


def post_metrics(structure: Structure) -> PostMetrics:
    """Layer, span, reports below and FTE and cost roll-ups of every post.

    Examples
    --------
    >>> s = Structure.from_lists(
    ...     ["CX", "D1", "D2", "H1"], [-1, 0, 0, 1],
    ...     fte=[1, 1, 0.8, 1], cost=[180_000, 120_000, 96_000, None],
    ... )
    >>> m = post_metrics(s)
    >>> m.layer.tolist(), m.span.tolist(), m.reports_below.tolist()
    ([1, 2, 2, 3], [2, 1, 0, 0], [3, 1, 0, 0])
    >>> m.fte_below.tolist(), m.cost_below.tolist(), m.unknown_cost_below.tolist()
    ([2.8, 1.0, 0.0, 0.0], [216000.0, 0.0, 0.0, 0.0], [1, 1, 0, 0])

    Junior staff (here 12 FTE reporting to D1) are rolled up apart:

    >>> s = Structure.from_lists(["CX", "D1"], [-1, 0], cost=[180_000, 120_000],
    ...                          junior_fte=[0, 12], junior_cost=[0, 360_000])
    >>> m = post_metrics(s)
    >>> m.fte.tolist(), m.fte_below.tolist(), m.junior_fte_below.tolist()
    ([1.0, 1.0], [1.0, 0.0], [12.0, 12.0])
    """
    s = structure
    unknown = np.isnan(s.cost)
    # Whole pence held as floats add exactly (below 2**53 pence), in any order.
    own = pence(s.cost).astype(np.float64)
    junior = pence(s.junior_cost).astype(np.float64)
    junior_unknown = s.junior_unknown_cost.astype(np.float64)
    values = np.vstack([s.fte, own, s.junior_fte, junior, junior_unknown])
    h = compute_hierarchy(s.parent, values, unknown)
    # The junior staff below a post include those who report to it.
    return PostMetrics(
        layer=h.layer,
        span=h.span,
        reports_below=h.reports_below,
        fte=s.fte,
        fte_below=h.below[0],
        cost=np.where(unknown, np.nan, own / 100),
        cost_below=h.below[1] / 100,
        unknown_cost_below=h.flagged_below,
        junior_fte_below=h.below[2] + s.junior_fte,
        junior_cost_below=(h.below[3] + junior) / 100,
        junior_unknown_cost_below=np.rint(h.below[4] + junior_unknown).astype(np.int64),
        is_manager=h.span > 0,
    )


@dataclass(frozen=True)
class SpanStats:
    """Spans of control of the managers (posts with at least one report).

    Attributes
    ----------
    minimum, median, mean, maximum : float
        Over managers only; all 0 when there are none.
    histogram : tuple of (int, int)
        ``(span, managers with that span)`` for every span that occurs.
    """

    minimum: int
    median: float
    mean: float
    maximum: int
    histogram: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GroupFigures:
    """Counts and costs for one unit or one grade.

    Attributes
    ----------
    name : str
        The unit path or grade (``"(none)"`` when blank).
    posts, managers, vacant : int
        Counts of posts.
    fte : float
        FTE of the posts themselves.
    cost : Decimal or None
        Known cost of the posts themselves (``None`` when no post's cost is
        known: unknown is never £0).
    unknown_cost_posts : int
        Posts whose cost is unknown (so ``cost`` is a floor).
    junior_fte, junior_cost : float, Decimal
        FTE and known cost of the junior staff who report to those posts (in
        the unit of the post they report to; zero in the figures by grade,
        as aggregated junior rows keep no grade of their own).
    junior_unknown_cost_rows : int
        Junior rows among those whose cost is unknown.
    """

    name: str
    posts: int
    managers: int
    vacant: int
    fte: float
    cost: Decimal | None
    unknown_cost_posts: int
    junior_fte: float = 0.0
    junior_cost: Decimal = Decimal("0.00")
    junior_unknown_cost_rows: int = 0


@dataclass(frozen=True)
class StructureSummary:
    """The figures of a whole structure, measured against design rules.

    Attributes
    ----------
    posts, roots, layers : int
        Posts, top posts and the number of layers (the deepest layer).
    posts_by_layer : tuple of int
        Posts in layer 1, 2, ...
    fte_by_layer, cost_by_layer : tuple of float, tuple of Decimal
        FTE and known cost of the posts in layer 1, 2, ... (their own).
    junior_fte_by_layer, junior_cost_by_layer : tuple of float, tuple of Decimal
        FTE and known cost of junior staff in layer 1, 2, ...: junior staff
        are counted in the layer below the post they report to, so these
        have one entry more than ``posts_by_layer`` (and layer 1 has none).
        Empty for an empty structure.
    fte, senior_fte, junior_fte : float
        Total FTE, and the part in posts and in junior staff.
    junior_posts : int
        Posts that junior staff report to.
    managers, non_managers : int
        Posts with and without direct reports.
    manager_ratio : float or None
        Non-managers per manager (``None`` with no managers).
    spans : SpanStats
        Spans of control of the managers.
    narrow_spans, below_target_spans, within_target_spans, wide_spans : int
        Managers by span against the rules: narrow is 1 to
        ``narrow_span_max``; below target is under ``target_span_min``
        (narrow included); wide is above ``target_span_max``.
    posts_beyond_max_layers : int
        Posts deeper than ``max_layers`` (0 when there is no limit).
    single_report_posts : int
        Managers with exactly one direct report.
    single_report_chains : int
        Chains of two or more such managers in a row (a post with one report
        whose one report also has one report, and so on).
    longest_single_report_chain : int
        Managers in the longest such chain (0 when there is none).
    total_cost : Decimal
        Known cost of posts and junior staff: ``posts_cost + junior_cost``.
    posts_cost, junior_cost : Decimal
        Known cost of the posts themselves, and of the junior staff.
    unknown_cost_posts : int
        Posts whose own cost is unknown (so every cost figure is a floor).
    junior_unknown_cost_rows : int
        Junior rows whose cost is unknown.
    management_cost : Decimal
        Known cost of the managers' own posts.
    management_cost_share : float or None
        ``management_cost / total_cost``, a share of the known cost of posts
        and junior staff (``None`` when no cost is known).
    vacant, agency : int
        Posts flagged vacant or agency.
    not_in_post_rows : int
        Organogram rows with ID ``0`` (paid but not in post), counted apart.
    by_unit, by_grade : tuple of GroupFigures
        Counts and costs per unit path and per grade, largest first.
    breaches : tuple of str
        One sentence per design rule the structure does not meet.
    """

    posts: int
    roots: int
    layers: int
    posts_by_layer: tuple[int, ...]
    fte_by_layer: tuple[float, ...]
    cost_by_layer: tuple[Decimal, ...]
    junior_fte_by_layer: tuple[float, ...]
    junior_cost_by_layer: tuple[Decimal, ...]
    fte: float
    senior_fte: float
    junior_fte: float
    junior_posts: int
    managers: int
    non_managers: int
    manager_ratio: float | None
    spans: SpanStats
    narrow_spans: int
    below_target_spans: int
    within_target_spans: int
    wide_spans: int
    posts_beyond_max_layers: int
    single_report_posts: int
    single_report_chains: int
    longest_single_report_chain: int
    total_cost: Decimal
    posts_cost: Decimal
    junior_cost: Decimal
    unknown_cost_posts: int
    junior_unknown_cost_rows: int
    management_cost: Decimal
    management_cost_share: float | None
    vacant: int
    agency: int
    not_in_post_rows: int
    by_unit: tuple[GroupFigures, ...]
    by_grade: tuple[GroupFigures, ...]
    breaches: tuple[str, ...] = field(default=())
    #: Posts whose cost is unknown, in each layer.
    unknown_cost_by_layer: tuple[int, ...] = field(default=())


def _span_stats(span: IntArray) -> SpanStats:
    managed = span[span > 0]
    if managed.size == 0:
        return SpanStats(0, 0.0, 0.0, 0, ())
    counts = np.bincount(managed)
    nz = np.flatnonzero(counts)
    return SpanStats(
        minimum=int(managed.min()),
        median=float(np.median(managed)),
        mean=round(float(managed.mean()), 4),
        maximum=int(managed.max()),
        histogram=tuple((int(k), int(counts[k])) for k in nz),
    )


def _single_report_chains(parent: IntArray, span: IntArray) -> tuple[int, int]:
    one = span == 1
    if not one.any():
        return 0, 0
    # Within the posts with one report, link each to its manager when the
    # manager also has one report; the layer in that sub-forest is the
    # position in a chain.
    n = parent.shape[0]
    idx = np.flatnonzero(one)
    local = np.full(n, -1, dtype=np.int64)
    local[idx] = np.arange(idx.size)
    par = parent[idx]
    up = np.where(par >= 0, local[np.maximum(par, 0)], -1)
    up = np.where(par >= 0, up, -1)
    h = compute_hierarchy(up)
    # A chain ends at a post whose one report is not itself a one-report post.
    ends = h.span == 0
    lengths = h.layer[ends]
    chains = int(np.count_nonzero(lengths >= 2))
    longest = int(lengths.max()) if chains else 0
    return chains, longest


def _groups(
    key: pl.Series, m: PostMetrics, s: Structure, own_pence: IntArray, junior: bool
) -> tuple[GroupFigures, ...]:
    """Figures per value of ``key``; with ``junior``, the posts' junior staff beside them."""
    zero = np.zeros(len(s), dtype=np.float64)
    no_pence = np.zeros(len(s), dtype=np.int64)
    frame = pl.DataFrame(
        {
            "name": key.replace("", UNKNOWN_GROUP),
            "manager": m.is_manager,
            "vacant": s.vacant,
            "fte": m.fte,
            "cost": own_pence,
            "unknown": np.isnan(m.cost),
            "junior_fte": s.junior_fte if junior else zero,
            "junior_cost": pence(s.junior_cost) if junior else no_pence,
            "junior_unknown": s.junior_unknown_cost if junior else zero.astype(np.int64),
        }
    )
    grouped = (
        frame.group_by("name")
        .agg(
            pl.len().alias("posts"),
            pl.col("manager").sum(),
            pl.col("vacant").sum(),
            pl.col("fte").sum(),
            pl.col("cost").sum(),
            pl.col("unknown").sum(),
            pl.col("junior_fte").sum(),
            pl.col("junior_cost").sum(),
            pl.col("junior_unknown").sum(),
        )
        .sort(["posts", "name"], descending=[True, False])
    )
    out = []
    for row in grouped.iter_rows(named=True):
        out.append(
            GroupFigures(
                name=str(row["name"]),
                posts=int(row["posts"]),
                managers=int(row["manager"]),
                vacant=int(row["vacant"]),
                fte=round(float(row["fte"]), 4),
                cost=in_pounds(row["cost"]) if row["unknown"] < row["posts"] else None,
                unknown_cost_posts=int(row["unknown"]),
                junior_fte=round(float(row["junior_fte"]), 4),
                junior_cost=in_pounds(row["junior_cost"]),
                junior_unknown_cost_rows=int(row["junior_unknown"]),
            )
        )
    return tuple(out)


def _pence_by_layer(layer: IntArray, whole_pence: IntArray, count: int) -> tuple[Decimal, ...]:
    """The sum of ``whole_pence`` in each of layers 1 to ``count``, in pounds."""
    if not layer.size:
        return ()
    sums = np.zeros(count + 1, dtype=np.int64)
    np.add.at(sums, layer, whole_pence)
    return tuple(in_pounds(v) for v in sums[1:])


def summarise(
    structure: Structure,
    rules: DesignRules = DEFAULT_RULES,
    metrics: PostMetrics | None = None,
) -> StructureSummary:
    """The figures of a whole structure, measured against ``rules``.

    Parameters
    ----------
    structure : Structure
        The posts.
    rules : DesignRules, optional
        Target spans and the layer limit.
    metrics : PostMetrics, optional
        Reuse figures already computed with :func:`post_metrics`.

    Examples
    --------
    A chief executive with three directors; the director of place has six
    heads of service, the others one each.

    >>> parent = [-1, 0, 0, 0] + [1] * 6 + [2, 3]
    >>> cost = [187_500, 132_000, 128_000, 128_000] + [82_000] * 8
    >>> s = Structure.from_lists([f"P{i}" for i in range(12)], parent, cost=cost)
    >>> summary = summarise(s, DesignRules(target_span_min=5, target_span_max=8))
    >>> summary.posts, summary.roots, summary.layers, summary.posts_by_layer
    (12, 1, 3, (1, 3, 8))
    >>> summary.managers, summary.spans.maximum, summary.narrow_spans
    (4, 6, 2)
    >>> summary.total_cost, summary.management_cost
    (Decimal('1231500.00'), Decimal('575500.00'))
    """
    m = metrics if metrics is not None else post_metrics(structure)
    n = len(structure)
    own = pence(structure.cost)
    junior = pence(structure.junior_cost)
    layers = int(m.layer.max()) if n else 0

    def per_layer(layer: IntArray, weights: FloatArray | None, count: int) -> FloatArray:
        if not n:
            return np.zeros(0, dtype=np.float64)
        return np.bincount(layer, weights=weights, minlength=count + 1)[1:].astype(np.float64)

    by_layer = per_layer(m.layer, None, layers)
    fte_layer = per_layer(m.layer, m.fte, layers)
    # Junior staff are counted in the layer below the post they report to.
    junior_fte_layer = per_layer(m.layer + 1, structure.junior_fte, layers + 1)
    managers = int(np.count_nonzero(m.is_manager))
    span = m.span
    managed = span > 0
    narrow = int(np.count_nonzero(managed & (span <= rules.narrow_span_max)))
    below = int(np.count_nonzero(managed & (span < rules.target_span_min)))
    wide = int(np.count_nonzero(span > rules.target_span_max))
    within = managers - below - wide
    beyond = 0
    if rules.max_layers is not None:
        beyond = int(np.count_nonzero(m.layer > rules.max_layers))
    chains, longest = _single_report_chains(structure.parent, span)
    posts_total = int(own.sum())
    junior_total = int(junior.sum())
    total = posts_total + junior_total
    mgmt = int(own[m.is_manager].sum())
    breaches = []
    if rules.max_layers is not None and layers > rules.max_layers:
        breaches.append(
            f"{layers} layers, more than the {rules.max_layers} allowed "
            f"({counted(beyond, 'post')} below layer {rules.max_layers})"
        )
    if below:
        breaches.append(
            f"{counted(below, 'manager')} {'has' if below == 1 else 'have'} fewer than "
            f"{counted(rules.target_span_min, 'direct report')}"
        )
    if wide:
        breaches.append(
            f"{counted(wide, 'manager')} {'has' if wide == 1 else 'have'} more than "
            f"{counted(rules.target_span_max, 'direct report')}"
        )
    if chains:
        breaches.append(f"{counted(chains, 'chain')} of managers with a single report each")
    return StructureSummary(
        posts=n,
        roots=int(np.count_nonzero(structure.parent < 0)),
        layers=layers,
        posts_by_layer=tuple(int(v) for v in by_layer),
        fte_by_layer=tuple(round(float(v), 4) for v in fte_layer),
        cost_by_layer=_pence_by_layer(m.layer, own, layers),
        junior_fte_by_layer=tuple(round(float(v), 4) for v in junior_fte_layer),
        junior_cost_by_layer=_pence_by_layer(m.layer + 1, junior, layers + 1),
        fte=round(float(structure.fte.sum() + structure.junior_fte.sum()), 4),
        senior_fte=round(float(structure.fte.sum()), 4),
        junior_fte=round(float(structure.junior_fte.sum()), 4),
        junior_posts=int(np.count_nonzero(structure.junior_fte > 0)),
        managers=managers,
        non_managers=n - managers,
        manager_ratio=round((n - managers) / managers, 4) if managers else None,
        spans=_span_stats(span),
        narrow_spans=narrow,
        below_target_spans=below,
        within_target_spans=within,
        wide_spans=wide,
        posts_beyond_max_layers=beyond,
        single_report_posts=int(np.count_nonzero(span == 1)),
        single_report_chains=chains,
        longest_single_report_chain=longest,
        total_cost=in_pounds(total),
        posts_cost=in_pounds(posts_total),
        junior_cost=in_pounds(junior_total),
        unknown_cost_posts=int(np.count_nonzero(np.isnan(m.cost))),
        junior_unknown_cost_rows=int(structure.junior_unknown_cost.sum()),
        management_cost=in_pounds(mgmt),
        management_cost_share=round(mgmt / total, 4) if total > 0 else None,
        vacant=int(np.count_nonzero(structure.vacant)),
        agency=int(np.count_nonzero(structure.agency)),
        not_in_post_rows=structure.not_in_post_rows,
        by_unit=_groups(structure.unit, m, structure, own, junior=True),
        by_grade=_groups(structure.grade, m, structure, own, junior=False),
        breaches=tuple(breaches),
        unknown_cost_by_layer=tuple(
            int(v)
            for v in np.bincount(m.layer, weights=np.isnan(structure.cost), minlength=layers + 1)[
                1:
            ]
        ),
    )
