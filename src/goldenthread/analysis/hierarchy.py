"""Array algorithms on a reporting hierarchy stored as a parent array.

A hierarchy of ``n`` posts is one integer array ``parent`` of length ``n``:
``parent[i]`` is the index of the post that post ``i`` reports to, or ``-1``
for a top post (a root). Everything here is vectorised with numpy; nothing
walks the tree one post at a time except the listing of cycles, which only
visits the posts that are on a cycle.

The central routine puts the posts in *breadth-first order*, one layer after
another, with the reports of each post next to each other and in the order
of their managers. One sort of the parent array groups the posts by manager;
each layer is then gathered from the one above in a few numpy operations, and
a layer in which every post has exactly one report takes a single gather. In
that order every roll-up (posts, FTE and cost below each post) is a pass from
the deepest layer up: a sum over contiguous runs (``numpy.add.reduceat``) for
a layer of managers, and one cumulative sum over a whole block of consecutive
single-report layers, which is how deep chains cost no more than a wide
structure. A post that the breadth-first walk never reaches is on a
reporting cycle or below one.

For pathologically deep structures (hundreds of thousands of layers) the
per-layer work would dominate, so the engine switches to *pointer jumping*
(ancestor doubling): each round every post replaces its pointer with its
pointer's pointer, so after ``k`` rounds it points ``2**k`` levels up; layers
and roll-ups need ``ceil(log2(depth))`` rounds of work on every post.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "CycleError",
    "Hierarchy",
    "compute_hierarchy",
    "find_cycles",
    "naive_layers",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


_PACK_BITS = 26
_PACK = 1 << _PACK_BITS
_PACK_LIMIT = _PACK
_HIGH = 32
_LOW = np.int64((1 << _HIGH) - 1)
_HUGE = (1 << 31) - 1
# Rough costs on one core, in seconds: of a layer of the breadth-first walk
# and roll-up, and of one round of pointer jumping per post. Checked after
# _CHECK_LAYERS layers (and each doubling after), by projecting the depth.
_LAYER_COST = 20e-6
_JUMP_COST = 60e-9
_CHECK_LAYERS = 1024
_CHAIN_STEPS = 32


class CycleError(ValueError):
    """The parent array contains a reporting cycle, so layers are undefined."""


@dataclass(frozen=True)
class Hierarchy:
    """Layers, spans and roll-ups of every post.

    Attributes
    ----------
    layer : numpy.ndarray
        Layer of each post; a top post is layer 1.
    span : numpy.ndarray
        Number of direct reports of each post.
    reports_below : numpy.ndarray
        Number of posts anywhere below each post (all levels, not itself).
    below : numpy.ndarray
        Shape ``(k, n)``: the sum of each of the ``k`` value rows over the
        posts below each post (not itself). Empty when no values were given.
    flagged_below : numpy.ndarray
        Number of flagged posts below each post (zeros without flags).
    """

    layer: IntArray
    span: IntArray
    reports_below: IntArray
    below: FloatArray
    flagged_below: IntArray


def _as_parent(parent: npt.ArrayLike) -> IntArray:
    arr = np.asarray(parent, dtype=np.int64)
    if arr.ndim != 1:
        raise ValueError("parent must be one-dimensional")
    n = arr.shape[0]
    if n and (arr.min() < -1 or arr.max() >= n):
        raise ValueError("parent holds an index outside the structure")
    return arr


def compute_hierarchy(
    parent: npt.ArrayLike,
    values: npt.ArrayLike | None = None,
    flags: npt.ArrayLike | None = None,
) -> Hierarchy:
    """Layers, spans, reports below and value roll-ups of every post.

    Parameters
    ----------
    parent : array_like of int
        ``parent[i]`` is the index of the manager of post ``i``, or ``-1``.
    values : array_like of float, optional
        One row per quantity to roll up, shape ``(k, n)`` (or ``(n,)`` for a
        single quantity). NaN is not allowed: pass unknown values as 0 and
        count the unknowns with ``flags``.
    flags : array_like of bool, optional
        Posts to count below each post (e.g. posts with unknown cost).

    Returns
    -------
    Hierarchy
        Per-post layer, span, reports below, sums below and flagged below.

    Raises
    ------
    CycleError
        If some post never reaches a top post.

    Examples
    --------
    A director (0) with two heads of service (1, 2); one head has two team
    leaders (3, 4) on salaries of £41,000 and £43,500.

    >>> h = compute_hierarchy([-1, 0, 0, 1, 1], [[0, 0, 0, 41_000, 43_500]])
    >>> h.layer.tolist(), h.span.tolist(), h.reports_below.tolist()
    ([1, 2, 2, 3, 3], [2, 2, 0, 0, 0], [4, 2, 0, 0, 0])
    >>> h.below[0].tolist()
    [84500.0, 84500.0, 0.0, 0.0, 0.0]
    """
    par = _as_parent(parent)
    n = par.shape[0]
    if values is None:
        vals = np.zeros((0, n), dtype=np.float64)
    else:
        vals = np.atleast_2d(np.asarray(values, dtype=np.float64))
        if vals.ndim != 2 or vals.shape[1] != n:
            raise ValueError("values must have one column per post")
    flag = None if flags is None else np.asarray(flags, dtype=np.bool_)
    if flag is not None and flag.shape != (n,):
        raise ValueError("flags must have one entry per post")
    span = np.bincount(par[par >= 0], minlength=n).astype(np.int64, copy=False)
    # Row 0 counts posts and, packed above bit _PACK, flagged posts: both are
    # integers well inside float64's exact range, so one pass does both.
    pack = flag is not None and n < _PACK_LIMIT
    k = vals.shape[0]
    rows = 1 + k + (1 if flag is not None and not pack else 0)
    walk = _breadth_first(par, span) if n else None
    if walk is None:
        return _by_jumping(par, span, vals, flag, pack, rows)
    order, bounds, reports = walk
    if bounds[-1] < n:
        raise CycleError("the structure contains a reporting cycle")
    # Rows in breadth-first order; the spare row is for the layer.
    acc = np.empty((rows + 1, n), dtype=np.float64)
    if flag is None:
        acc[0] = 1.0
    else:
        ordered_flag = flag[order]
        if pack:
            np.multiply(ordered_flag, float(_PACK), out=acc[0])
            acc[0] += 1.0
        else:
            acc[0] = 1.0
            acc[rows - 1] = ordered_flag
    _gather_rows(vals, order, acc[1 : 1 + k])
    _roll_up(acc[:rows], bounds, reports)
    widths = np.diff(np.asarray(bounds, dtype=np.int64)).astype(np.int64)
    acc[rows] = np.repeat(np.arange(1, widths.size + 1, dtype=np.float64), widths)
    # Back to the caller's order.
    total = np.empty_like(acc)
    _gather_rows(acc, order, total, scatter=True)
    return _finish(total[rows].astype(np.int64), span, total[:rows], vals, flag, pack)


def _gather_rows(rows: FloatArray, index: IntArray, out: FloatArray, scatter: bool = False) -> None:
    """``out[j] = rows[j][index]`` (or ``out[j][index] = rows[j]``), two rows at a time.

    A gather or scatter at random addresses costs a cache miss per element
    whatever its size, so two rows travel together as the halves of one
    complex number.
    """
    pair = np.empty(index.shape[0], dtype=np.complex128)
    moved = np.empty_like(pair)
    count = rows.shape[0]
    for j in range(0, count - 1, 2):
        pair.real = rows[j]
        pair.imag = rows[j + 1]
        if scatter:
            moved[index] = pair
        else:
            np.take(pair, index, out=moved)
        out[j] = moved.real
        out[j + 1] = moved.imag
    if count % 2:
        if scatter:
            out[count - 1][index] = rows[count - 1]
        else:
            np.take(rows[count - 1], index, out=out[count - 1])


def _finish(
    layer: IntArray,
    span: IntArray,
    total: FloatArray,
    vals: FloatArray,
    flag: npt.NDArray[np.bool_] | None,
    pack: bool,
) -> Hierarchy:
    """Unpack the rolled-up rows (each post's subtree, itself included)."""
    n = span.shape[0]
    k = vals.shape[0]
    # Sums of whole numbers below 2**53 are exact in float64.
    if pack:
        packed = total[0].astype(np.int64)
        count = packed & (_PACK - 1)
        flagged = (packed >> _PACK_BITS) - flag
    else:
        count = total[0].astype(np.int64)
        flagged = (
            total[-1].astype(np.int64) - flag if flag is not None else np.zeros(n, dtype=np.int64)
        )
    below = np.subtract(total[1 : 1 + k], vals)
    return Hierarchy(
        layer=layer,
        span=span,
        reports_below=count - 1,
        below=below,
        flagged_below=flagged,
    )


def _children_order(par: IntArray) -> IntArray:
    """Post indices grouped by manager, top posts first, each group in index order."""
    n = par.shape[0]
    if n < _HUGE:
        # Sorting (manager, index) packed in one integer is a plain sort,
        # several times faster than an argsort.
        key = (par + 1) << _HIGH
        key |= np.arange(n, dtype=np.int64)
        key.sort()
        key &= _LOW
        return key
    return np.argsort(par, kind="stable").astype(np.int64)


def _breadth_first(
    par: IntArray, span: IntArray
) -> tuple[IntArray, list[int], list[IntArray | None]] | None:
    """Posts in breadth-first order, where each layer starts, and the spans.

    ``order[bounds[i]:bounds[i + 1]]`` is layer ``i + 1``; the reports of the
    posts of a layer make up the next layer, grouped by manager in the
    managers' order. ``reports[i]`` holds the spans of the posts of layer
    ``i + 1``, or None when each has exactly one report (so layer ``i + 2``
    lists their reports one for one). The walk stops at the last layer with
    reports, so ``bounds[-1] < n`` means some posts are not below a top post:
    they are on or under a cycle.

    Returns None (without finishing) when the structure is so deep that the
    work per layer would cost more than pointer jumping.
    """
    n = par.shape[0]
    kids = _children_order(par)
    roots = n - int(np.count_nonzero(par >= 0))
    start = np.cumsum(span)
    start -= span
    start += roots
    # Where each post's reports start in `kids`, and how many: one integer.
    info = start << _HIGH
    info |= span
    # The one report of each single-report post, -1 for every other post:
    # made when the walk first meets a layer of single reports.
    only: IntArray | None = None
    order = np.empty(n, dtype=np.int64)
    order[:roots] = kids[:roots]
    bounds = [0, roots]
    reports: list[IntArray | None] = []
    a, e = 0, roots
    check = _CHECK_LAYERS
    chain = False
    while e > a:
        f = order[a:e]
        if chain:
            if only is None:
                only = np.where(span == 1, kids[np.minimum(start, n - 1)], -1)
            # Follow the single reports a few layers at a time and check for
            # the end of a chain (-1) once per stretch, not once per layer.
            m = e - a
            top, steps = e, 0
            while steps < _CHAIN_STEPS and e + m <= n:
                order[e : e + m] = only[order[a:e]]
                a, e = e, e + m
                steps += 1
            stretch = order[top:e]
            good = steps
            if steps and stretch.min() < 0:
                good = int(np.flatnonzero(stretch < 0)[0]) // m
            reports.extend([None] * good)
            bounds.extend(range(top + m, top + good * m + 1, m))
            if good == steps and steps:
                if len(bounds) > check:
                    check *= 2
                    if _too_deep(len(bounds) * n / e, n):
                        return None
                continue
            # Carry on from the last complete layer, which has a post
            # without exactly one report.
            e = top + good * m
            a = e - m
            f = order[a:e]
        got = info[f]
        c = got & _LOW
        tot = int(c.sum())
        if tot == 0:
            break
        s = got >> _HIGH
        if tot == c.size and c.min() == 1:
            order[e : e + tot] = kids[s]
            reports.append(None)
            chain = True
        else:
            cum = np.cumsum(c)
            s -= cum
            s += c
            idx = np.repeat(s, c)
            idx += np.arange(tot, dtype=np.int64)
            order[e : e + tot] = kids[idx]
            reports.append(c)
            chain = False
        a, e = e, e + tot
        bounds.append(e)
        if len(bounds) > check:
            check *= 2
            if _too_deep(len(bounds) * n / e, n):
                return None
    return order, bounds, reports


def _too_deep(layers: float, n: int) -> bool:
    """Whether about ``layers`` layers cost more layer by layer than by jumping."""
    return layers * _LAYER_COST > _JUMP_COST * n * float(np.log2(layers))


def _roll_up(acc: FloatArray, bounds: list[int], reports: list[IntArray | None]) -> None:
    """Add every post's column into its manager's, from the deepest layer up.

    ``acc`` has one column per post in breadth-first order; on return each
    column holds the total over the post's subtree (the post included).
    """
    rows = acc.shape[0]
    i = len(reports) - 1
    while i >= 0:
        c = reports[i]
        if c is None:
            # Layers j + 1 .. i + 2 have equal width m, and post p of each
            # reports to post p of the one above: the totals are one
            # cumulative sum from the bottom.
            j = i
            while j > 0 and reports[j - 1] is None:
                j -= 1
            lo, hi = bounds[j], bounds[i + 2]
            m = bounds[j + 1] - lo
            block = acc[:, lo:hi].reshape(rows, -1, m)[:, ::-1]
            np.cumsum(block, axis=1, out=block)
            i = j - 1
            continue
        a, e, z = bounds[i], bounds[i + 1], bounds[i + 2]
        # The reports of layer i + 1 are grouped by manager in the managers'
        # order, so the manager of each is a sorted local index and the
        # scatter is sequential.
        manager = np.repeat(np.arange(e - a, dtype=np.int64), c)
        for row in acc:
            row[a:e] += np.bincount(manager, weights=row[e:z], minlength=e - a)
        i -= 1


def _by_jumping(
    par: IntArray,
    span: IntArray,
    vals: FloatArray,
    flag: npt.NDArray[np.bool_] | None,
    pack: bool,
    rows: int,
) -> Hierarchy:
    """Layers and roll-ups by pointer jumping (for very deep structures)."""
    n = par.shape[0]
    # One extra column is a sink for posts with nothing (more) above them.
    acc = np.zeros((rows, n + 1), dtype=np.float64)
    acc[0, :n] = 1.0
    if flag is not None:
        if pack:
            acc[0, :n] += flag * _PACK
        else:
            acc[-1, :n] = flag
    acc[1 : 1 + vals.shape[0], :n] = vals
    has_parent = par >= 0
    # `jump` is capped at the top post (which points at itself with distance
    # 0), so the update needs no masking. Each round the posts exactly `step`
    # below their `jump` send their partial sums to it. The distance is kept
    # in the high 32 bits of the same integer as the pointer, so one gather
    # per round advances both.
    link = np.where(has_parent, par, np.arange(n, dtype=np.int64))
    link |= has_parent.astype(np.int64) << _HIGH
    step = 1
    max_rounds = int(np.ceil(np.log2(n + 1))) + 1 if n else 0
    rounds = 0
    sink = np.int64(n)
    while True:
        jump = link & _LOW
        exact = (link >> _HIGH) == step
        if not exact.any():
            break
        if rounds > max_rounds:
            raise CycleError("the structure contains a reporting cycle")
        target = np.where(exact, jump, sink)
        for row in range(rows):
            acc[row] += np.bincount(target, weights=acc[row, :n], minlength=n + 1)
        ahead = link[jump]
        link = ((link & ~_LOW) + (ahead & ~_LOW)) | (ahead & _LOW)
        step *= 2
        rounds += 1
    return _finish((link >> _HIGH) + 1, span, acc[:, :n], vals, flag, pack)


def find_cycles(parent: npt.ArrayLike) -> list[list[int]]:
    """Every reporting cycle, each as the list of post indices on it.

    Each cycle starts at its smallest index and follows the reporting line;
    cycles are ordered by that first index. A self-report is a cycle of one.

    Parameters
    ----------
    parent : array_like of int
        ``parent[i]`` is the index of the manager of post ``i``, or ``-1``.

    Returns
    -------
    list of list of int
        Empty when the structure is a forest.

    Examples
    --------
    Posts 1 → 2 → 3 → 1 form a loop; post 4 reports into it; post 5 reports
    to itself.

    >>> find_cycles([-1, 2, 3, 1, 1, 5])
    [[1, 2, 3], [5]]
    >>> find_cycles([-1, 0, 0])
    []
    """
    par = _as_parent(parent)
    n = par.shape[0]
    if n == 0:
        return []
    span = np.bincount(par[par >= 0], minlength=n).astype(np.int64, copy=False)
    walk = _breadth_first(par, span)
    if walk is None:
        return _cycles_by_jumping(par)
    order, bounds, _ = walk
    if bounds[-1] == n:
        return []
    # The posts the breadth-first walk did not reach are on a cycle or lead
    # into one (their managers are not reached either): list the cycles of
    # that small remainder.
    reached = np.zeros(n, dtype=np.bool_)
    reached[order[: bounds[-1]]] = True
    rest = np.flatnonzero(~reached)
    local = np.full(n, -1, dtype=np.int64)
    local[rest] = np.arange(rest.size, dtype=np.int64)
    back = rest.tolist()
    return [[back[i] for i in cycle] for cycle in _cycles_by_jumping(local[par[rest]])]


def _cycles_by_jumping(par: IntArray) -> list[list[int]]:
    """The cycles of a parent array, by pointer jumping to a post on each."""
    n = par.shape[0]
    jump = np.where(par >= 0, par, np.arange(n, dtype=np.int64))
    # After ceil(log2 n) + 1 rounds every post points at least n steps up its
    # reporting line unless it reached a top post, so it sits on a cycle.
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        nxt = jump[jump]
        if np.array_equal(nxt, jump):
            break
        jump = nxt
    stuck = par[jump] >= 0
    reps = np.unique(jump[stuck])
    cycles: list[list[int]] = []
    seen: set[int] = set()
    plist = par.tolist()
    for rep in reps.tolist():
        if rep in seen:
            continue
        cycle = [rep]
        node = plist[rep]
        while node != rep:
            cycle.append(node)
            node = plist[node]
        seen.update(cycle)
        low = cycle.index(min(cycle))
        cycles.append(cycle[low:] + cycle[:low])
    cycles.sort(key=lambda c: c[0])
    return cycles


def naive_layers(parent: list[int]) -> list[int]:
    """Layers by walking each reporting line: the plain reference.

    Quadratic in the depth; used to check :func:`compute_hierarchy`.

    Examples
    --------
    >>> naive_layers([-1, 0, 1, 0])
    [1, 2, 3, 2]
    """
    out = []
    for i in range(len(parent)):
        depth, node = 1, parent[i]
        while node >= 0:
            depth += 1
            node = parent[node]
        out.append(depth)
    return out
