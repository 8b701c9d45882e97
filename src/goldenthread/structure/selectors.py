"""Every read of snapshots and posts, always for one organisation.

The engine's figures for a snapshot (per-post metrics and the summary) are
computed once per snapshot version and design rules and kept in this
process's memory (ADR 0008): a change to the posts raises the version, so a
stale figure is never served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Max, Q, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.diff import StructureDiff, diff_structures
from goldenthread.analysis.rules import DesignRules
from goldenthread.analysis.structure import (
    PostMetrics,
    Structure,
    StructureSummary,
    post_metrics,
    summarise,
)
from goldenthread.core.models import Unit

from .engine import ENGINE_COLUMNS, rules_for, structure_from_rows
from .models import (
    ColumnMappingPreset,
    DesignRuleSet,
    Post,
    ScenarioChange,
    Snapshot,
    StructureUpload,
)

#: How many computed snapshots (and comparisons) one process keeps.
CACHE_ENTRIES = 12


def snapshot_list(*, organisation: Organisation) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(organisation=organisation).select_related("base")


def snapshot_get(*, organisation: Organisation, pk: int) -> Snapshot:
    return snapshot_list(organisation=organisation).get(pk=pk)


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
    return StructureUpload.objects.select_related("check_job", "import_job").get(
        organisation=organisation, pk=pk
    )


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
    *, organisation: Organisation, old: Snapshot, new: Snapshot
) -> tuple[StructureDiff, Figures, Figures]:
    rules = rules_for(organisation)
    before = snapshot_figures(organisation=organisation, snapshot=old, rules=rules)
    after = snapshot_figures(organisation=organisation, snapshot=new, rules=rules)
    key = ("diff", *_identity(old), *_identity(new), _rules_key(rules))
    found = _figures.get(key)
    if found is None:
        matched_by = old.matched_by if old.matched_by == new.matched_by else "post ID"
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
