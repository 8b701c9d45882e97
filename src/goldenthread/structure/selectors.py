"""Every read of snapshots and posts, always for one organisation.

The engine's figures for a snapshot (per-post metrics and the summary) are
computed once per snapshot version and design rules and kept in this
process's memory (ADR 0008): a change to the posts raises the version, so a
stale figure is never served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import F, Max, Q, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import ServiceError
from goldenthread.analysis.diff import StructureDiff, diff_structures, pairing
from goldenthread.analysis.rules import DesignRules
from goldenthread.analysis.structure import (
    PostMetrics,
    Structure,
    StructureSummary,
    post_metrics,
    summarise,
)
from goldenthread.core.models import Unit
from goldenthread.core.selectors import MAX_DEPTH

from .engine import ENGINE_COLUMNS, rules_for, structure_from_rows
from .modelling import name_posts
from .models import (
    ColumnMappingPreset,
    DecisionKind,
    DesignRuleSet,
    Post,
    RedundancyBand,
    ScenarioChange,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureDecision,
    StructureUpload,
)

#: How many computed snapshots (and comparisons) one process keeps.
CACHE_ENTRIES = 12
#: Between the names of a unit path: "Directorate / Service / Team".
UNIT_SEPARATOR = " / "

NO_SUCH_POST = "There is no post {post_id} in this scenario"
NO_SUCH_POSTS = "There are no posts {post_ids} in this scenario"
NO_POSTS_CHOSEN = "Choose the posts to change: a unit, or a list of post IDs"
UNIT_HAS_NO_POSTS = "{unit} has no posts in this scenario"

#: The fields of a post a scenario change records: every stored column but the
#: post's place in the snapshot, with ``manager`` (the manager's post ID) in
#: place of its manager's position.
ROW_FIELDS = (
    "manager",
    "title",
    "grade",
    "unit_id",
    "unit_path",
    "fte",
    "cost",
    "junior_fte",
    "junior_cost",
    "junior_unknown_cost",
    "vacant",
    "agency",
    "interim",
    "shared_service",
    "match_key",
    "source_row",
)
#: Money fields, recorded in a change as text with two decimals.
MONEY_FIELDS = ("cost", "junior_cost")


def snapshot_list(*, organisation: Organisation) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(organisation=organisation).select_related("base")


def snapshot_get(*, organisation: Organisation, pk: int) -> Snapshot:
    return snapshot_list(organisation=organisation).get(pk=pk)


def snapshot_current_as_is(*, organisation: Organisation) -> Snapshot | None:
    """The as-is structure in force: not superseded, the latest effective date, then the newest."""
    return (
        Snapshot.objects.filter(organisation=organisation, kind=SnapshotKind.AS_IS)
        .exclude(status=SnapshotStatus.SUPERSEDED)
        .order_by(F("effective_date").desc(nulls_last=True), "-pk")
        .first()
    )


def post_list(*, organisation: Organisation, snapshot: Snapshot) -> QuerySet[Post]:
    return Post.objects.filter(organisation=organisation, snapshot=snapshot).select_related("unit")


def post_register(*, organisation: Organisation, snapshot: Snapshot) -> QuerySet[Post]:
    """The posts as the register lists them (their unit path is on the post itself).

    Only the snapshot is filtered on: it was found through the organisation,
    and every post of a snapshot is the snapshot's organisation's. So a count
    or a page of one layer or unit is read from an index alone.
    """
    if snapshot.organisation_id != organisation.pk:
        raise Post.DoesNotExist("the snapshot is not the organisation's")
    return Post.objects.filter(snapshot=snapshot)


def post_grades(*, organisation: Organisation, snapshot: Snapshot) -> list[str]:
    """The grades the snapshot's posts hold, in order; kept in memory per snapshot version."""
    key = ("grades", *_identity(snapshot))
    found = _choices.get(key)
    if found is None:
        posts = post_register(organisation=organisation, snapshot=snapshot).exclude(grade="")
        found = list(posts.order_by("grade").values_list("grade", flat=True).distinct())
        _choices.put(key, found)
    return found  # type: ignore[no-any-return]


def post_layers(*, organisation: Organisation, snapshot: Snapshot) -> list[int]:
    """The layers of the snapshot, from the top (1) down; kept in memory per snapshot version.

    Layers run without a gap from 1 to the deepest, so the deepest stored one
    (read from the layer index) gives them all.
    """
    key = ("layers", *_identity(snapshot))
    found = _choices.get(key)
    if found is None:
        posts = post_register(organisation=organisation, snapshot=snapshot)
        deepest = posts.aggregate(deepest=Max("layer"))["deepest"] or 0
        found = list(range(1, deepest + 1))
        _choices.put(key, found)
    return found  # type: ignore[no-any-return]


def post_ids_at(
    *, organisation: Organisation, snapshot: Snapshot, positions: Collection[int]
) -> dict[int, str]:
    """The post ID at each of ``positions``: one query, even when there are none."""
    posts = Post.objects.filter(organisation=organisation, snapshot=snapshot)
    return dict(posts.filter(position__in=[*positions, -1]).values_list("position", "post_id"))


def post_get(*, organisation: Organisation, snapshot: Snapshot, pk: int) -> Post:
    return post_list(organisation=organisation, snapshot=snapshot).get(pk=pk)


def post_search(*, organisation: Organisation, snapshot: Snapshot, query: str) -> QuerySet[Post]:
    posts = post_list(organisation=organisation, snapshot=snapshot)
    query = query.strip()
    if not query:
        return posts
    return posts.filter(
        Q(title__icontains=query) | Q(grade__iexact=query) | Q(post_id__iexact=query)
    )


def design_rules_get(*, organisation: Organisation) -> DesignRules:
    return rules_for(organisation)


def design_rule_set(*, organisation: Organisation) -> DesignRuleSet | None:
    return DesignRuleSet.objects.filter(organisation=organisation).first()


def column_mapping_list(*, organisation: Organisation) -> QuerySet[ColumnMappingPreset]:
    return ColumnMappingPreset.objects.filter(organisation=organisation)


def upload_get(*, organisation: Organisation, pk: int) -> StructureUpload:
    """One upload of ``organisation``; its file's bytes are left in the database for the jobs."""
    return (
        StructureUpload.objects.select_related("inspect_job__organisation")
        .defer("data", "junior_data")
        .get(organisation=organisation, pk=pk)
    )


def upload_file_kept(*, upload: StructureUpload) -> bool:
    """Whether the upload's file is still kept (the purge empties it after it waited)."""
    return StructureUpload.objects.filter(pk=upload.pk).exclude(data=b"").exists()


@dataclass
class Figures:
    """A snapshot as the engine sees it, with its figures."""

    structure: Structure
    positions: np.ndarray
    metrics: PostMetrics
    summary: StructureSummary
    rules: DesignRules
    _index: dict[int, int] = field(default_factory=dict)

    def index_of(self, position: int) -> int:
        """The engine's index of the post at ``position``."""
        found = int(np.searchsorted(self.positions, position))
        if found >= len(self.positions) or self.positions[found] != position:
            raise KeyError(position)
        return found


class _Cache:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > CACHE_ENTRIES:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_figures = _Cache()
#: The grades and layers a snapshot's register offers, per snapshot version.
_choices = _Cache()


def _rules_key(rules: DesignRules) -> tuple[Any, ...]:
    return (
        rules.target_span_min,
        rules.target_span_max,
        rules.narrow_span_max,
        rules.max_layers,
        str(rules.cost_per_redundancy),
        tuple((grade, str(cost)) for grade, cost in rules.redundancy_bands),
    )


def _identity(snapshot: Snapshot) -> tuple[Any, ...]:
    """What the cache knows a snapshot's content by.

    The primary key alone is not enough: SQLite may give a deleted snapshot's
    key to the next one. The creation time tells them apart, and the version
    goes up with every change to the posts.
    """
    return (snapshot.pk, snapshot.created_at.isoformat(), snapshot.version)


def snapshot_structure(
    *, organisation: Organisation, snapshot: Snapshot
) -> tuple[Structure, np.ndarray]:
    rows = list(
        Post.objects.filter(organisation=organisation, snapshot=snapshot)
        .order_by("position")
        .values_list(*ENGINE_COLUMNS)
    )
    return structure_from_rows(rows, source=snapshot.name, matched_by=snapshot.matched_by)


def snapshot_figures(
    *, organisation: Organisation, snapshot: Snapshot, rules: DesignRules | None = None
) -> Figures:
    rules = rules or rules_for(organisation)
    key = ("figures", *_identity(snapshot), _rules_key(rules))
    found = _figures.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    structure, positions = snapshot_structure(organisation=organisation, snapshot=snapshot)
    metrics = post_metrics(structure)
    figures = Figures(
        structure=structure,
        positions=positions,
        metrics=metrics,
        summary=summarise(structure, rules, metrics=metrics),
        rules=rules,
    )
    _figures.put(key, figures)
    return figures


def snapshot_diff(
    *, organisation: Organisation, old: Snapshot, new: Snapshot, by_title: bool = False
) -> tuple[StructureDiff, Figures, Figures]:
    """What changed from ``old`` to ``new``, with both snapshots' figures.

    Posts pair by post ID; by the match key both snapshots were read with when
    neither file had IDs; or, with ``by_title``, by title and unit.
    """
    rules = rules_for(organisation)
    before = snapshot_figures(organisation=organisation, snapshot=old, rules=rules)
    after = snapshot_figures(organisation=organisation, snapshot=new, rules=rules)
    key = ("diff", *_identity(old), *_identity(new), _rules_key(rules), by_title)
    found = _figures.get(key)
    if found is None:
        matched_by = pairing(old.matched_by, new.matched_by, by_title=by_title)
        found = diff_structures(
            before.structure, after.structure, rules=rules, matched_by=matched_by
        )
        _figures.put(key, found)
    return found, before, after


def unit_subtree_ids(*, organisation: Organisation, unit: Unit) -> list[int]:
    """The unit and every unit below it."""
    pairs = list(Unit.objects.filter(organisation=organisation).values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in pairs:
        children.setdefault(parent, []).append(pk)
    found = [unit.pk]
    stack = list(children.get(unit.pk, []))
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def change_list(*, organisation: Organisation, snapshot: Snapshot) -> QuerySet[ScenarioChange]:
    return ScenarioChange.objects.filter(
        organisation=organisation, snapshot=snapshot
    ).select_related("created_by", "undone_by")


def change_get(*, organisation: Organisation, pk: int) -> ScenarioChange:
    return ScenarioChange.objects.select_related("snapshot").get(organisation=organisation, pk=pk)


@dataclass
class Wave:
    """The changes of a scenario that take effect on one date."""

    effective_date: Any
    changes: list[ScenarioChange]

    @property
    def standing(self) -> int:
        return sum(1 for change in self.changes if not change.undone)


def change_waves(*, organisation: Organisation, snapshot: Snapshot) -> list[Wave]:
    """The scenario's changes grouped by effective date, earliest first."""
    waves: dict[Any, Wave] = {}
    for change in change_list(organisation=organisation, snapshot=snapshot).order_by(
        "effective_date", "pk"
    ):
        waves.setdefault(change.effective_date, Wave(change.effective_date, [])).changes.append(
            change
        )
    return list(waves.values())


def change_notes_by_directorate(
    *, organisation: Organisation, old: Snapshot, new: Snapshot
) -> dict[str, str]:
    """Why each directorate changed, from the reasons recorded in a scenario.

    Seed 000's table gives, beside each directorate's roles before and after,
    the reason for the difference. When ``new`` is a scenario of ``old``, each
    standing change names the directorates of the posts it touched (before and
    after), and its reason becomes that directorate's note, in wave order.
    """
    if new.base_id != old.pk:
        return {}
    notes: dict[str, list[str]] = {}
    changes = change_list(organisation=organisation, snapshot=new).filter(undone=False)
    for change in changes.order_by("effective_date", "pk"):
        directorates = set()
        for values in (*change.before.values(), *change.after.values()):
            if values and values.get("unit_path"):
                directorates.add(str(values["unit_path"]).split(" / ")[0].strip())
        for name in directorates:
            reasons = notes.setdefault(name, [])
            if change.reason not in reasons:
                reasons.append(change.reason)
    return {name: "; ".join(reasons) for name, reasons in notes.items()}


def unit_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    """Every unit of the organisation with its full path, in path order."""
    units = list(
        Unit.objects.filter(organisation=organisation).values_list("pk", "name", "parent_id")
    )
    by_pk = {pk: (name, parent) for pk, name, parent in units}

    def path(pk: int) -> str:
        names = []
        cursor: int | None = pk
        seen = 0
        while cursor is not None and seen < 50:
            name, cursor = by_pk[cursor]
            names.append(name)
            seen += 1
        return " / ".join(reversed(names))

    return sorted(((pk, path(pk)) for pk in by_pk), key=lambda item: item[1].lower())


@dataclass(frozen=True)
class SnapshotDependants:
    """What else goes when a snapshot is deleted.

    A snapshot that scenarios are based on is not deleted at all: see
    :func:`snapshot_delete_blockers`.
    """

    posts: int
    changes: int


def snapshot_dependants(*, organisation: Organisation, snapshot: Snapshot) -> SnapshotDependants:
    """The posts and recorded changes deleted with ``snapshot``."""
    return SnapshotDependants(
        posts=Post.objects.filter(organisation=organisation, snapshot=snapshot).count(),
        changes=ScenarioChange.objects.filter(organisation=organisation, snapshot=snapshot).count(),
    )


#: What a decision does, as its confirmation page says and its record keeps.
APPROVAL_FREEZES = (
    "Its {posts:,} post{plural} and {changes:,} recorded change{changes_plural} are frozen: "
    "no change can be recorded or undone, and its details cannot be changed."
)
APPROVAL_NEXT = "An admin may then make it the as-is structure, by a further decision."
DECISION_KEEPS = "It cannot be deleted while this decision refers to it."
PROMOTION_BECOMES = (
    "{name} becomes the as-is structure: new scenarios and comparisons start from it."
)
PROMOTION_REPLACES = (
    "{names} {verb} marked superseded, and kept unchanged as the record of what was replaced."
)
PROMOTION_REPLACES_NOTHING = "There is no current as-is structure, so nothing is superseded."
PROMOTION_OUT_OF_DATE = (
    "Take care: this scenario was modelled on {base}, which is not the as-is in force "
    "({current}). Whatever changed in {current} since is not in this scenario, so making "
    "it the as-is undoes those changes."
)
PROMOTION_KEEPS = (
    "Neither it nor what it replaces can be deleted while this decision refers to them."
)
#: Names listed in a sentence before "and N more".
NAMES_LISTED = 10


def names_listed(names: list[str]) -> str:
    """“A, B and C”, or the first few and how many more."""
    if len(names) > NAMES_LISTED:
        shown = names[:NAMES_LISTED]
        return ", ".join(shown) + f" and {len(names) - NAMES_LISTED:,} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "".join(names)


def scenario_decision_consequences(
    *, organisation: Organisation, snapshot: Snapshot, kind: str
) -> list[str]:
    """What approving (or promoting) ``snapshot`` does, one sentence each."""
    if kind == DecisionKind.APPROVAL:
        changes = ScenarioChange.objects.filter(
            organisation=organisation, snapshot=snapshot, undone=False
        ).count()
        return [
            APPROVAL_FREEZES.format(
                posts=snapshot.post_count,
                plural="" if snapshot.post_count == 1 else "s",
                changes=changes,
                changes_plural="" if changes == 1 else "s",
            ),
            APPROVAL_NEXT,
            DECISION_KEEPS,
        ]
    replaced = [s.name for s in as_is_current(organisation=organisation, but=snapshot)]
    current = snapshot_current_as_is(organisation=organisation)
    warning = (
        [PROMOTION_OUT_OF_DATE.format(base=snapshot.base.name, current=current.name)]
        if snapshot.base is not None and current is not None and current.pk != snapshot.base_id
        else []
    )
    return [
        *warning,
        PROMOTION_BECOMES.format(name=snapshot.name),
        PROMOTION_REPLACES.format(
            names=names_listed(replaced), verb="is" if len(replaced) == 1 else "are"
        )
        if replaced
        else PROMOTION_REPLACES_NOTHING,
        PROMOTION_KEEPS,
    ]


def snapshot_decisions(
    *, organisation: Organisation, snapshot: Snapshot
) -> QuerySet[StructureDecision]:
    """The decisions that approved or promoted ``snapshot``, or replaced it, oldest first."""
    decided = StructureDecision.objects.filter(organisation=organisation)
    ids = decided.filter(Q(snapshot=snapshot) | Q(replaced=snapshot)).values("pk")
    return (
        decided.filter(pk__in=ids)
        .select_related("snapshot", "recorded_by")
        .order_by("decided_on", "pk")
    )


def redundancy_band_list(*, organisation: Organisation) -> QuerySet[RedundancyBand]:
    return RedundancyBand.objects.filter(organisation=organisation).order_by("grade")


def redundancy_band_get(*, organisation: Organisation, pk: int) -> RedundancyBand:
    return redundancy_band_list(organisation=organisation).get(pk=pk)


SNAPSHOT_BASES = "the scenario{plural} {names} {verb} based on it"
SNAPSHOT_DECIDED = "the decision “{decision}” refers to it"


def snapshot_delete_blockers(*, organisation: Organisation, snapshot: Snapshot) -> list[str]:
    """Why ``snapshot`` must be kept: the scenarios based on it and the decisions naming it."""
    found = []
    scenarios = list(
        Snapshot.objects.filter(organisation=organisation, base=snapshot)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if scenarios:
        one = len(scenarios) == 1
        found.append(
            SNAPSHOT_BASES.format(
                plural="" if one else "s",
                names=names_listed(scenarios),
                verb="is" if one else "are",
            )
        )
    for decision in snapshot_decisions(organisation=organisation, snapshot=snapshot):
        found.append(SNAPSHOT_DECIDED.format(decision=f"{decision}: {decision.summary}"))
    return found


def snapshot_others(*, organisation: Organisation, snapshot: Snapshot) -> QuerySet[Snapshot]:
    """Every other snapshot of the organisation, to compare ``snapshot`` with."""
    return snapshot_list(organisation=organisation).exclude(pk=snapshot.pk)


def as_is_current(*, organisation: Organisation, but: Snapshot) -> list[Snapshot]:
    """The as-is snapshots a promoted scenario supersedes: all not yet superseded but ``but``."""
    return list(
        Snapshot.objects.filter(organisation=organisation, kind=SnapshotKind.AS_IS)
        .exclude(status=SnapshotStatus.SUPERSEDED)
        .exclude(pk=but.pk)
    )


def unit_list_in_snapshot(
    *, organisation: Organisation, snapshot: Snapshot, parent: Unit | None = None
) -> list[Unit]:
    """The units directly inside ``parent`` (the top units if ``None``) that hold posts of
    ``snapshot``, in them or in a unit inside them, by name.

    A unit the snapshot leaves empty is not listed: the organisation's other
    structures may use it, this one does not. Two queries, whatever the numbers
    of units and posts.
    """
    used = set(
        Post.objects.filter(snapshot=snapshot, unit__isnull=False)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(organisation=organisation)
        .order_by()
        .only("pk", "parent_id", "name")
    }
    wanted = parent.pk if parent is not None else None
    listed: dict[int, Unit] = {}
    for pk in used:
        # Walk up from each unit that holds posts to the unit directly inside ``parent``.
        cursor = units.get(pk)
        depth = 0
        while cursor is not None and cursor.parent_id != wanted and depth < MAX_DEPTH:
            cursor = units.get(cursor.parent_id) if cursor.parent_id is not None else None
            depth += 1
        if cursor is not None and cursor.parent_id == wanted:
            listed[cursor.pk] = cursor
    return sorted(listed.values(), key=lambda unit: (unit.name.lower(), unit.pk))


def unit_path_of(unit: Unit) -> str:
    """The unit as the engine reads it: "Directorate / Service / Team"."""
    names = []
    cursor: Unit | None = unit
    seen = 0
    while cursor is not None and seen < 50:
        names.append(cursor.name)
        cursor = cursor.parent
        seen += 1
    return UNIT_SEPARATOR.join(reversed(names))


def units_by_path(*, organisation: Organisation) -> dict[str, Unit]:
    """Every unit by its path in lower case: "people / adult social care"."""
    units = list(Unit.objects.filter(organisation=organisation))
    by_pk = {u.pk: u for u in units}

    def key_of(unit: Unit) -> str:
        names = []
        cursor: Unit | None = unit
        seen = 0
        while cursor is not None and seen < 50:
            names.append(cursor.name.strip().lower())
            cursor = by_pk.get(cursor.parent_id) if cursor.parent_id else None
            seen += 1
        return UNIT_SEPARATOR.join(reversed(names))

    return {key_of(u): u for u in units}


def units_missing(
    by_key: Mapping[str, Unit], paths: Iterable[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each path's names, and each unit not in ``by_key``: its names from the top, parents first.

    Both are keyed by the path in lower case ("people / adult social care").
    """
    wanted = sorted({p.strip() for p in paths if p and p.strip()})
    split = {
        path: [part.strip() for part in path.split(UNIT_SEPARATOR) if part.strip()]
        for path in wanted
    }
    missing: dict[str, list[str]] = {}
    for depth in range(max((len(parts) for parts in split.values()), default=0)):
        for parts in split.values():
            if len(parts) <= depth:
                continue
            key = UNIT_SEPARATOR.join(p.lower() for p in parts[: depth + 1])
            if key not in by_key and key not in missing:
                missing[key] = parts[: depth + 1]
    return split, missing


def unit_paths_to_add(*, organisation: Organisation, paths: Iterable[str]) -> list[str]:
    """The units that saving posts in ``paths`` would add, each as its path, in tree order.

    Reads only: the import's preview lists them before anything is saved.
    """
    _split, missing = units_missing(units_by_path(organisation=organisation), paths)
    return [UNIT_SEPARATOR.join(missing[key]) for key in sorted(missing)]


def post_managers(*, snapshot: Snapshot) -> dict[str, str | None]:
    """Each post ID of the snapshot and its manager's post ID."""
    rows = list(
        Post.objects.filter(snapshot=snapshot).values_list(
            "position", "manager_position", "post_id"
        )
    )
    by_position = {position: pid for position, _, pid in rows}
    return {
        pid: by_position.get(manager) if manager is not None else None for _, manager, pid in rows
    }


def money_text(value: Decimal | None) -> str | None:
    """Money as a change records it: text with two decimals, or ``None`` when not known."""
    return None if value is None else f"{Decimal(value):.2f}"


def post_values(*, snapshot: Snapshot, post_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The fields a change records (:data:`ROW_FIELDS`) of each post, by post ID."""
    columns = [f for f in ROW_FIELDS if f != "manager"]
    found = list(
        Post.objects.filter(snapshot=snapshot, post_id__in=post_ids).values(
            "post_id", "position", "manager_position", *columns
        )
    )
    managers = {m for m in (row["manager_position"] for row in found) if m is not None}
    names = dict(
        Post.objects.filter(snapshot=snapshot, position__in=managers).values_list(
            "position", "post_id"
        )
    )
    rows = {}
    for row in found:
        values = {f: row[f] for f in columns}
        for f in MONEY_FIELDS:
            values[f] = money_text(values[f])
        values["manager"] = names.get(row["manager_position"])
        values["position"] = row["position"]
        rows[row["post_id"]] = values
    return rows


def post_exists(*, snapshot: Snapshot, post_id: str) -> bool:
    return Post.objects.filter(snapshot=snapshot, post_id=post_id).exists()


def post_reports(*, snapshot: Snapshot, post_ids: list[str]) -> list[str]:
    """The post IDs of the direct reports of ``post_ids`` that are not among them."""
    chosen = set(post_ids)
    positions = Post.objects.filter(snapshot=snapshot, post_id__in=post_ids).values("position")
    return [
        pid
        for pid in Post.objects.filter(
            snapshot=snapshot, manager_position__in=positions
        ).values_list("post_id", flat=True)
        if pid not in chosen
    ]


def post_report_count(*, snapshot: Snapshot, post: Post) -> int:
    return Post.objects.filter(snapshot=snapshot, manager_position=post.position).count()


def post_manager_get(*, snapshot: Snapshot, post: Post) -> Post | None:
    """The post ``post`` reports to in ``snapshot``; ``None`` for a top post."""
    if post.manager_position is None:
        return None
    return Post.objects.filter(snapshot=snapshot, position=post.manager_position).first()


def scenario_selection(
    *, snapshot: Snapshot, unit: Unit | None = None, post_ids: list[str] | None = None
) -> list[str]:
    """The post IDs of a bulk change: a unit and the units inside it, or a list.

    A selection that names no post, or posts the scenario does not have, is
    refused with a :class:`ServiceError` naming them.
    """
    if unit is not None:
        units = unit_subtree_ids(organisation=snapshot.organisation, unit=unit)
        found = list(
            Post.objects.filter(snapshot=snapshot, unit_id__in=units)
            .order_by("position")
            .values_list("post_id", flat=True)
        )
        if not found:
            raise ServiceError(UNIT_HAS_NO_POSTS.format(unit=unit.name), field="unit")
        return found
    wanted = [pid for pid in dict.fromkeys(post_ids or []) if pid]
    if not wanted:
        raise ServiceError(NO_POSTS_CHOSEN, field="post_ids")
    found_set = set(
        Post.objects.filter(snapshot=snapshot, post_id__in=wanted).values_list("post_id", flat=True)
    )
    missing = [pid for pid in wanted if pid not in found_set]
    if missing:
        raise ServiceError(
            NO_SUCH_POSTS.format(post_ids=name_posts(missing))
            if len(missing) > 1
            else NO_SUCH_POST.format(post_id=missing[0]),
            field="post_ids",
        )
    return wanted


def change_later_overlapping(*, change: ScenarioChange) -> ScenarioChange | None:
    """The newest standing change after ``change`` that touches any of the same posts."""
    mine = set(change.post_id_list)
    for later in ScenarioChange.objects.filter(
        snapshot_id=change.snapshot_id, undone=False, pk__gt=change.pk
    ).order_by("-pk"):
        if mine & set(later.post_id_list):
            return later
    return None
