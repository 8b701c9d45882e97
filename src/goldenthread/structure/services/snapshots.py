"""Snapshots: created from a structure in bulk, edited and deleted."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.services import (
    Actor,
    ServiceError,
    acting_user,
    attribute,
    require_role,
)
from goldenthread.analysis.structure import Structure, post_metrics
from goldenthread.core.models import UnitKind
from goldenthread.structure import selectors
from goldenthread.structure.engine import pounds_or_none
from goldenthread.structure.models import Post, Snapshot, SnapshotKind, SnapshotStatus

from .posts import FIGURE_COLUMNS, POST_COLUMNS, ProgressFn, post_insert, units_for_paths

NAME_NEEDED = "Enter a name for the snapshot"
SNAPSHOT_LOCKED = (
    "{name} is {status}, so its details cannot be changed: "
    "create a scenario from it to propose changes"
)
KIND_FIXED = (
    "A scenario stays a scenario until an admin makes it the new as-is, and a snapshot "
    "becomes a scenario only by creating a scenario from it"
)


@transaction.atomic
def snapshot_create_from_structure(
    *,
    organisation: Organisation,
    structure: Structure,
    name: str,
    kind: str = SnapshotKind.AS_IS,
    status: str = SnapshotStatus.DRAFT,
    effective_date: datetime.date | None = None,
    notes: str = "",
    source: str = "",
    matched_by: str = "post ID",
    by: Actor = None,
    base: Snapshot | None = None,
    flags: dict[str, Any] | None = None,
    source_rows: list[int] | None = None,
    progress: ProgressFn | None = None,
) -> Snapshot:
    """A new snapshot holding every post of ``structure``, written in bulk.

    ``flags`` may give per-post ``interim`` and ``shared_service`` lists.
    """
    if not name.strip():
        raise ServiceError(NAME_NEEDED, field="name")
    n = len(structure)
    snapshot = Snapshot(
        organisation=organisation,
        name=name.strip()[:200],
        kind=SnapshotKind(kind),
        status=SnapshotStatus(status),
        effective_date=effective_date,
        notes=notes,
        source=source[:500],
        matched_by=matched_by,
        post_count=n,
        not_in_post_rows=structure.not_in_post_rows,
        created_by=acting_user(by),
        base=base,
        figures_version=0,  # the posts are written with their layers and spans
    )
    attribute(snapshot, by)
    snapshot.save()
    metrics = post_metrics(structure)
    units = structure.unit.to_list()
    unit_of = units_for_paths(organisation=organisation, paths=units, by=by)
    ids = structure.post_id.to_list()
    titles = structure.title.to_list()
    grades = structure.grade.to_list()
    keys = structure.match_key.to_list() if structure.match_key is not None else [""] * n
    parent = structure.parent
    flags = flags or {}
    interim = flags.get("interim") or [False] * n
    shared = flags.get("shared_service") or [False] * n
    rows: list[tuple[Any, ...]] = []
    for i in range(n):
        path = (units[i] or "").strip()
        unit = unit_of.get(path)
        rows.append(
            (
                organisation.pk,
                snapshot.pk,
                i,
                int(parent[i]) if parent[i] >= 0 else None,
                str(ids[i])[:120],
                (titles[i] or "")[:300],
                (grades[i] or "")[:120],
                unit.pk if unit else None,
                path[:600],
                float(structure.fte[i]),
                pounds_or_none(float(structure.cost[i])),
                float(structure.junior_fte[i]),
                pounds_or_none(float(structure.junior_cost[i])) or Decimal(0),
                int(structure.junior_unknown_cost[i]),
                bool(structure.vacant[i]),
                bool(structure.agency[i]),
                bool(interim[i]),
                bool(shared[i]) or bool(unit and unit.kind == UnitKind.SHARED_SERVICE),
                (keys[i] or "")[:600],
                source_rows[i] if source_rows else None,
                int(metrics.layer[i]),
                int(metrics.span[i]),
            )
        )
    post_insert(rows, progress=progress, columns=POST_COLUMNS + FIGURE_COLUMNS)
    return snapshot


def lock_snapshot(snapshot: Snapshot) -> None:
    """Hold the snapshot's row until the write ends, and read its kind and status afresh.

    A change or an edit then sees an approval that committed first, and cannot race it.
    """
    snapshot.kind, snapshot.status = (
        Snapshot.objects.select_for_update().values_list("kind", "status").get(pk=snapshot.pk)
    )


def _lock_draft(snapshot: Snapshot) -> None:
    """Refuse unless ``snapshot`` is still a draft.

    Approved and superseded snapshots are the record of what was agreed: their
    status changes only through approval and promotion, which admins do.
    """
    lock_snapshot(snapshot)
    if snapshot.status != SnapshotStatus.DRAFT:
        raise ServiceError(
            SNAPSHOT_LOCKED.format(name=snapshot.name, status=snapshot.get_status_display().lower())
        )


@transaction.atomic
def snapshot_update(
    *,
    snapshot: Snapshot,
    name: str,
    effective_date: datetime.date | None,
    notes: str,
    kind: str | None = None,
    by: Actor = None,
) -> Snapshot:
    """Change a draft snapshot's details; its status is not among them.

    ``kind`` moves a snapshot between as-is, proposed and implemented; a
    scenario keeps its kind.
    """
    _lock_draft(snapshot)
    if not name.strip():
        raise ServiceError(NAME_NEEDED, field="name")
    if kind is not None and (kind == SnapshotKind.SCENARIO) != (
        snapshot.kind == SnapshotKind.SCENARIO
    ):
        raise ServiceError(KIND_FIXED, field="kind")
    snapshot.name = name.strip()
    if kind is not None:
        snapshot.kind = SnapshotKind(kind)
    snapshot.effective_date = effective_date
    snapshot.notes = notes
    attribute(snapshot, by)
    snapshot.save()
    return snapshot


@transaction.atomic
def snapshot_set_effective_date(
    *, snapshot: Snapshot, effective_date: datetime.date | None, by: Actor = None
) -> Snapshot:
    """Change only the date the snapshot (or a scenario's first wave) takes effect."""
    snapshot.effective_date = effective_date
    attribute(snapshot, by)
    snapshot.save(update_fields=["effective_date"])
    return snapshot


SNAPSHOT_DELETE_NEEDS_ADMIN = (
    "Only an admin can delete an approved or superseded snapshot: it records a decision."
)
SNAPSHOT_IN_USE = "{name} cannot be deleted: {reasons}."
SNAPSHOT_ARCHIVE_NEEDS_ADMIN = (
    "Only an admin can archive an approved or superseded snapshot: it records a decision."
)


def snapshot_delete_role(snapshot: Snapshot) -> Role:
    """The role needed to delete ``snapshot``: an editor for a draft, else an admin."""
    return Role.EDITOR if snapshot.status == SnapshotStatus.DRAFT else Role.ADMIN


def snapshot_delete_refusal(*, snapshot: Snapshot, by: Actor) -> str:
    """Why ``by`` may not delete ``snapshot``, or "" when they may.

    An editor deletes only a draft: an approved or superseded snapshot is a
    record of a decision, which only an admin may delete. Nobody deletes a
    snapshot that scenarios are based on, or that a decision refers to.
    """
    try:
        require_role(organisation=snapshot.organisation, by=by, role=snapshot_delete_role(snapshot))
    except ServiceError as refused:
        return (
            refused.message
            if snapshot.status == SnapshotStatus.DRAFT
            else (SNAPSHOT_DELETE_NEEDS_ADMIN)
        )
    reasons = selectors.snapshot_delete_blockers(
        organisation=snapshot.organisation, snapshot=snapshot
    )
    if reasons:
        return SNAPSHOT_IN_USE.format(name=snapshot.name, reasons="; ".join(reasons))
    return ""


@transaction.atomic
def snapshot_delete(*, snapshot: Snapshot, by: Actor = None) -> None:
    """Delete the snapshot, its posts and its recorded changes, unless it must be kept.

    See :func:`snapshot_delete_refusal` for who may delete what.
    """
    lock_snapshot(snapshot)
    refusal = snapshot_delete_refusal(snapshot=snapshot, by=by)
    if refusal:
        raise ServiceError(refusal)
    for change in snapshot.changes.all():
        attribute(change, by)
        change.delete()
    Post.objects.filter(snapshot=snapshot).delete()
    attribute(snapshot, by)
    snapshot.delete()


@transaction.atomic
def snapshot_archive(*, snapshot: Snapshot, archived: bool, by: Actor) -> Snapshot:
    """Hide ``snapshot`` from the list of snapshots (or show it again); nothing in it changes.

    Whoever may delete the snapshot may archive it: an editor a draft, an
    admin one that records a decision.
    """
    lock_snapshot(snapshot)
    try:
        require_role(organisation=snapshot.organisation, by=by, role=snapshot_delete_role(snapshot))
    except ServiceError:
        if snapshot.status == SnapshotStatus.DRAFT:
            raise
        raise ServiceError(SNAPSHOT_ARCHIVE_NEEDS_ADMIN) from None
    snapshot.archived = archived
    attribute(snapshot, by)
    snapshot.save(update_fields=["archived"])
    return snapshot
