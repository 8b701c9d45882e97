"""What the dashboard, unit and post pages show, worked out from a snapshot's figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.structure import StructureSummary
from goldenthread.formats.money import known_total
from goldenthread.kit.charts import chart_nodes, count_axis

from .models import Post, Snapshot
from .selectors import Figures

#: Each exception list shows this many posts; the count says how many there are.
EXCEPTION_ROWS = 25
#: The units treemap draws this many levels (plotly's ``maxdepth``); deeper
#: units are counted in their ancestor, so the chart's data stays small.
TREE_DEPTH = 3
#: The unit table beside the treemap lists this many units; the workbook has them all.
UNIT_TABLE_ROWS = 100
#: The reporting-line picture shows the top layers, up to this many posts.
HIERARCHY_POSTS = 400


@dataclass(frozen=True)
class ExceptionList:
    key: str
    title: str
    explanation: str
    count: int
    posts: list[tuple[Post, int, int]]  # post, layer, span


def _posts_at(
    organisation: Organisation, snapshot: Snapshot, figures: Figures, indices: np.ndarray
) -> list[tuple[Post, int, int]]:
    chosen = indices[:EXCEPTION_ROWS]
    positions = [int(figures.positions[i]) for i in chosen]
    by_position = {
        p.position: p
        for p in Post.objects.filter(
            organisation=organisation, snapshot=snapshot, position__in=positions
        ).select_related("unit")
    }
    m = figures.metrics
    return [
        (by_position[int(figures.positions[i])], int(m.layer[i]), int(m.span[i]))
        for i in chosen
        if int(figures.positions[i]) in by_position
    ]


def single_report_chain_members(parent: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Posts in a chain of two or more managers in a row who each have one report."""
    n = parent.shape[0]
    single = span == 1
    has_parent = parent >= 0
    parent_single = np.zeros(n, dtype=bool)
    parent_single[has_parent] = single[parent[has_parent]]
    # A single-report post whose only report is itself a single-report manager.
    child_single = np.zeros(n, dtype=bool)
    members = single & has_parent & parent_single
    child_single[parent[members]] = True
    return np.flatnonzero(single & (parent_single | child_single))


def exceptions(
    organisation: Organisation, snapshot: Snapshot, figures: Figures
) -> list[ExceptionList]:
    m, r = figures.metrics, figures.rules
    span = m.span
    lists = [
        (
            "narrow",
            "Narrow spans",
            f"Managers with 1 to {r.narrow_span_max} direct reports.",
            np.flatnonzero((span >= 1) & (span <= r.narrow_span_max)),
        ),
        (
            "wide",
            "Over-wide spans",
            f"Managers with more than {r.target_span_max} direct reports.",
            np.flatnonzero(span > r.target_span_max),
        ),
        (
            "chains",
            "Single-report chains",
            "Managers in a line of two or more who each have one direct report.",
            single_report_chain_members(figures.structure.parent, span),
        ),
    ]
    if r.max_layers is not None:
        lists.append(
            (
                "deep",
                "Posts deeper than the rule",
                f"Posts below layer {r.max_layers}.",
                np.flatnonzero(m.layer > r.max_layers),
            )
        )
    return [
        ExceptionList(
            key, title, text, int(found.shape[0]), _posts_at(organisation, snapshot, figures, found)
        )
        for key, title, text, found in lists
    ]


def charts(figures: Figures) -> dict[str, Any]:
    """The data the dashboard's charts draw (and their tables show)."""
    s, r = figures.summary, figures.rules
    layers = layer_rows(s)
    spans = [{"span": span, "managers": count} for span, count in s.spans.histogram]
    # Units as a tree: every prefix of each unit path is a node, down to the
    # depth the chart draws; posts deeper down count in their ancestor there.
    nodes: dict[str, dict[str, Any]] = {}
    for group in s.by_unit:
        parts = [p.strip() for p in (group.name or "").split(" / ") if p.strip()] or ["No unit"]
        parts = parts[:TREE_DEPTH]
        for depth in range(len(parts)):
            node_id = " / ".join(parts[: depth + 1])
            if node_id not in nodes:
                nodes[node_id] = {
                    "id": node_id,
                    "label": parts[depth],
                    "parent": " / ".join(parts[:depth]),
                    "value": 0,
                }
        nodes[" / ".join(parts)]["value"] += group.posts
    return {
        "layers": layers,
        "spans": spans,
        "band": [r.target_span_min, r.target_span_max],
        "spans_axis": count_axis(max((row["managers"] for row in spans), default=0)),
        "units": list(nodes.values()),
        "reporting": reporting_line(figures),
    }


def layer_rows(s: StructureSummary) -> list[dict[str, Any]]:
    """Posts and junior staff in each layer, down to the deepest that holds either.

    Junior staff are counted in the layer below the post they report to, so
    the junior staff of the deepest posts make a layer with no posts.
    """
    count = len(s.posts_by_layer)
    if count < len(s.junior_fte_by_layer) and s.junior_fte_by_layer[-1]:
        count += 1
    rows = []
    for i in range(count):
        posts = i < len(s.posts_by_layer)
        rows.append(
            {
                "layer": i + 1,
                "posts": s.posts_by_layer[i] if posts else 0,
                "fte": round(s.fte_by_layer[i], 1) if posts else 0.0,
                # Unknown is never £0: a layer whose every post's cost is unknown has none.
                "cost": s.cost_by_layer[i]
                if posts and s.unknown_cost_by_layer[i] < s.posts_by_layer[i]
                else None,
                "junior_fte": round(s.junior_fte_by_layer[i], 1),
                "junior_cost": s.junior_cost_by_layer[i],
            }
        )
    return rows


#: The texts of a tree chart's nodes plotly draws or matches on.
TREE_TEXTS = ("id", "label", "parent")


def plot_data(charts: dict[str, Any]) -> dict[str, Any]:
    """What the page hands to plotly: :func:`charts` with every text escaped.

    The tables beside the charts show the same names through the template,
    which escapes them itself; plotly reads markup in its texts, so the
    chart's copy is escaped here, once, where the figure is built.
    """
    return {
        "layers": [
            {key: row[key] for key in ("layer", "posts", "fte", "junior_fte")}
            for row in charts["layers"]
        ],
        "spans": charts["spans"],
        "band": charts["band"],
        "spans_axis": charts["spans_axis"],
        "units": chart_nodes(charts["units"], TREE_TEXTS),
        "reporting": chart_nodes(charts["reporting"], TREE_TEXTS),
    }


def reporting_line(figures: Figures) -> list[dict[str, Any]]:
    """The top of the reporting lines: each post with everyone below it."""
    m = figures.metrics
    st = figures.structure
    chosen = np.zeros(len(st), dtype=bool)
    for layer in range(1, int(m.layer.max(initial=0)) + 1):
        at = m.layer == layer
        if chosen.sum() + at.sum() > HIERARCHY_POSTS and layer > 1:
            break
        chosen |= at
    titles = st.title.to_list()
    ids = st.post_id.to_list()
    return [
        {
            "id": ids[i],
            "label": titles[i] or ids[i],
            "parent": ids[int(st.parent[i])] if st.parent[i] >= 0 else "",
            "value": int(m.reports_below[i]) + 1,
        }
        for i in np.flatnonzero(chosen)
    ]


@dataclass(frozen=True)
class Rollup:
    """Posts' own figures in some units, and the junior staff who report to those posts."""

    posts: int
    managers: int
    vacant: int
    fte: float
    #: Known cost; ``None`` when no post's cost is known.
    cost: Decimal | None
    unknown_cost_posts: int
    junior_fte: float
    junior_cost: Decimal
    junior_unknown_cost_rows: int


def unit_rollup(figures: Figures, unit_paths: set[str]) -> Rollup:
    """Posts, FTE and cost of the units named (a unit and the units below it)."""
    groups = [g for g in figures.summary.by_unit if (g.name or "") in unit_paths]
    return Rollup(
        posts=sum(g.posts for g in groups),
        managers=sum(g.managers for g in groups),
        vacant=sum(g.vacant for g in groups),
        fte=round(sum(g.fte for g in groups), 2),
        cost=known_total(g.cost for g in groups),
        unknown_cost_posts=sum(g.unknown_cost_posts for g in groups),
        junior_fte=round(sum(g.junior_fte for g in groups), 2),
        junior_cost=sum((g.junior_cost for g in groups), Decimal(0)),
        junior_unknown_cost_rows=sum(g.junior_unknown_cost_rows for g in groups),
    )


def chain_up(figures: Figures, index: int) -> list[int]:
    """Positions of the posts above ``index``, from its manager to the top."""
    parent = figures.structure.parent
    chain: list[int] = []
    cursor = int(parent[index])
    while cursor >= 0 and len(chain) <= len(parent):
        chain.append(int(figures.positions[cursor]))
        cursor = int(parent[cursor])
    return chain
