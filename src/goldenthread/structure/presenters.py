"""What the structure pages show, worked out from what the selectors return.

Pure functions: figures, diffs and counts in, rows and sentences out. No
queries and no requests, so the views stay thin and these are tested alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from goldenthread.analysis.diff import StructureDiff
from goldenthread.analysis.wording import counted
from goldenthread.formats.money import pounds

from .models import Post
from .selectors import Figures, SnapshotDependants

#: Rows of each list of changed posts on the comparison page.
COMPARE_ROWS = 100

POSTS_DELETED = "its {count:,} post{plural} will be deleted (its units stay)"
CHANGES_DELETED = "the {count:,} recorded change{plural} to its posts will be deleted"


def _pounds(value: Decimal | int | float | None) -> str:
    # The template filter formats money the same way everywhere.

    return pounds(value)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def headline(figures: Figures) -> list[tuple[str, str]]:
    """The figures at the top of a snapshot's dashboard, as (label, value) rows."""
    s = figures.summary
    ratio = f"1 : {s.manager_ratio:.1f}" if s.manager_ratio is not None else "–"
    # Unknown is never £0: with no cost known at all, the totals are unknown.
    known = s.unknown_cost_posts < s.posts or not s.posts
    cost = _pounds(s.total_cost if known else None)
    fte = f"{s.fte:,.1f}"
    unknown = counted(s.unknown_cost_posts, "post") if s.unknown_cost_posts else ""
    if s.junior_fte or s.junior_unknown_cost_rows:
        # Junior staff are not posts: their FTE and cost are given apart.
        fte += f": posts {s.senior_fte:,.1f}, junior staff {s.junior_fte:,.1f}"
        posts_cost = _pounds(s.posts_cost if known else None)
        cost += f": posts {posts_cost}, junior staff {_pounds(s.junior_cost)}"
        if s.junior_unknown_cost_rows:
            rows = counted(s.junior_unknown_cost_rows, "junior row")
            unknown += f"{' and ' if unknown else ''}{rows}"
    if unknown:
        cost += f" (at least: {unknown} without a known cost)"
    return [
        ("Posts", f"{s.posts:,}"),
        ("FTE", fte),
        ("Known annual cost", cost),
        ("Layers", str(s.layers)),
        ("Top posts", str(s.roots)),
        ("Managers", f"{s.managers:,}"),
        ("Mean span", f"{s.spans.mean:.1f}"),
        ("Median span", f"{s.spans.median:g}"),
        ("Management ratio (posts without reports per manager)", ratio),
        ("Management cost", _pounds(s.management_cost if known else None)),
        ("Vacant posts", f"{s.vacant:,}"),
        ("Agency posts", f"{s.agency:,}"),
    ]


def difference(before: Figures, after: Figures) -> list[dict[str, Any]]:
    """A scenario's headline figures before, after and the change, formatted."""
    b, a = before.summary, after.summary
    rows: list[tuple[str, Any, Any, str]] = [
        ("Posts", b.posts, a.posts, "{:,}"),
        ("FTE", round(b.fte, 1), round(a.fte, 1), "{:,.1f}"),
        ("Known annual cost", b.total_cost, a.total_cost, "money"),
        ("Layers", b.layers, a.layers, "{}"),
        ("Managers", b.managers, a.managers, "{:,}"),
        ("Mean span", round(b.spans.mean, 1), round(a.spans.mean, 1), "{:.1f}"),
        ("Management cost", b.management_cost, a.management_cost, "money"),
        ("Vacant posts", b.vacant, a.vacant, "{:,}"),
    ]
    result = []
    for label, old, new, fmt in rows:
        change = new - old
        sign = "+" if change > 0 else ""
        if fmt == "money":
            shown = (_pounds(old), _pounds(new), sign + _pounds(change))
        else:
            shown = (fmt.format(old), fmt.format(new), sign + fmt.format(change))
        result.append({"label": label, "before": shown[0], "after": shown[1], "change": shown[2]})
    return result


def directorate_table(
    diff: StructureDiff, notes: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Seed 000's table: roles per directorate before, after and the difference."""
    rows: dict[str, dict[str, Any]] = {}
    for change in diff.by_unit:
        name = (change.unit or "No unit").split(" / ")[0].strip() or "No unit"
        row = rows.setdefault(
            name,
            {
                "name": name,
                "before": 0,
                "after": 0,
                "cost_before": Decimal(0),
                "cost_after": Decimal(0),
            },
        )
        row["before"] += change.posts_before
        row["after"] += change.posts_after
        row["cost_before"] += change.cost_before
        row["cost_after"] += change.cost_after
    for row in rows.values():
        row["difference"] = row["after"] - row["before"]
        row["cost_difference"] = row["cost_after"] - row["cost_before"]
        row["notes"] = (notes or {}).get(row["name"], "")
    return sorted(rows.values(), key=lambda r: r["name"])


def with_metrics(figures: Figures, posts: Iterable[Post]) -> list[dict[str, Any]]:
    """Each post with its layer, span and the number of posts below it."""
    m = figures.metrics
    rows = []
    for post in posts:
        i = figures.index_of(post.position)
        rows.append(
            {
                "post": post,
                "layer": int(m.layer[i]),
                "span": int(m.span[i]),
                "below": int(m.reports_below[i]),
            }
        )
    return rows


def post_figures(figures: Figures, position: int) -> dict[str, Any]:
    """One post's place in the structure: its layer, span and everything below it."""
    m = figures.metrics
    index = figures.index_of(position)
    below, unknown = int(m.reports_below[index]), int(m.unknown_cost_below[index])
    return {
        "layer": int(m.layer[index]),
        "span": int(m.span[index]),
        "below": below,
        "fte_below": float(m.fte_below[index]),
        # Unknown is never £0: with no known cost below, the cost below is unknown.
        "cost_below": Decimal(f"{float(m.cost_below[index]):.2f}")
        if unknown < below or not below
        else None,
        "unknown_below": unknown,
        "junior_fte_below": float(m.junior_fte_below[index]),
        "junior_cost_below": Decimal(f"{float(m.junior_cost_below[index]):.2f}"),
        "junior_unknown_below": int(m.junior_unknown_cost_below[index]),
    }


NOT_FILTERED_WHOLE = (
    "The {filters} filter{s} {verb} not apply to this table: it shows the whole organisation."
)
NOT_FILTERED_GRADE = "The {filters} filter{s} {verb} not apply to this table: it shows every grade."


def _not_filtered(unit: str, tier: str, message: str) -> str:
    """``message`` naming the filters given (unit, grade) that a table ignores; else nothing."""
    names = [name for name, value in (("unit", unit), ("grade", tier)) if value.strip()]
    if not names:
        return ""
    many = len(names) > 1
    return message.format(
        filters=" and ".join(names), s="s" if many else "", verb="do" if many else "does"
    )


def filtered(
    items: Iterable[Any],
    unit: str,
    tier: str,
    grades: dict[str, str] | None = None,
) -> list[Any]:
    """The changed posts in a unit (by part of its path) and of a grade, ignoring case.

    A post added or removed carries its unit; a changed post carries the
    units of the rows it pairs (before and after), and it is in the unit if
    either is.
    """
    unit, tier = unit.strip().lower(), tier.strip().lower()
    result = []
    for item in items:
        if hasattr(item, "unit_before"):
            item_units: tuple[str, ...] = (item.unit_before, item.unit_after)
        else:
            item_units = (item.unit or "",)
        if unit and not any(unit in item_unit.lower() for item_unit in item_units):
            continue
        if tier and grades is not None and grades.get(item.post_id, "").lower() != tier:
            continue
        result.append(item)
    return result


def grades_by_post(before: Figures, after: Figures) -> dict[str, str]:
    """Each post ID's grade, in either snapshot (the later one wins)."""
    found: dict[str, str] = {}
    for figures in (before, after):
        structure = figures.structure
        grades = structure.grade.fill_null("").to_list()
        found.update(zip(structure.post_id.to_list(), grades, strict=True))
    return found


@dataclass(frozen=True)
class ChangedPosts:
    """One list of changed posts on the comparison page: the first rows and how many in all."""

    title: str
    items: Sequence[Any]
    total: int
    kind: str


def comparison(
    diff: StructureDiff,
    before: Figures,
    after: Figures,
    *,
    unit: str,
    tier: str,
    notes: dict[str, str],
    rows: int = COMPARE_ROWS,
) -> dict[str, Any]:
    """Everything the comparison page shows of ``diff``, narrowed to a unit and a grade."""
    grades = grades_by_post(before, after) if tier else None
    lists = [
        ("Posts added", filtered(diff.added, unit, tier, grades), "ref"),
        ("Posts removed", filtered(diff.removed, unit, tier, grades), "ref"),
        ("Posts moved to a new manager", filtered(diff.moved, unit, tier, grades), "change"),
        ("Posts regraded", filtered(diff.regraded, unit, tier, grades), "change"),
        ("Posts retitled", filtered(diff.retitled, unit, tier, grades), "change"),
    ]
    junior = filtered(diff.junior_changed, unit, tier, grades)
    return {
        "diff": diff,
        "has_junior": bool(diff.total.junior_fte_before or diff.total.junior_fte_after),
        "junior_changed": junior[:rows],
        "junior_changed_count": len(junior),
        # A table the filters leave whole says so, under its heading.
        "whole_note": _not_filtered(unit, tier, NOT_FILTERED_WHOLE),
        "by_unit_note": _not_filtered("", tier, NOT_FILTERED_GRADE),
        "directorates": directorate_table(diff, notes),
        "lists": [(title, items[:rows], len(items), kind) for title, items, kind in lists],
        "by_unit": [c for c in diff.by_unit if not unit or unit.lower() in (c.unit or "").lower()],
        "compare_rows": rows,
    }


def delete_consequences(dependants: SnapshotDependants) -> list[str]:
    """What else deleting a snapshot does, one sentence each."""
    found = []
    if dependants.posts:
        found.append(POSTS_DELETED.format(count=dependants.posts, plural=_plural(dependants.posts)))
    if dependants.changes:
        found.append(
            CHANGES_DELETED.format(count=dependants.changes, plural=_plural(dependants.changes))
        )
    return found
