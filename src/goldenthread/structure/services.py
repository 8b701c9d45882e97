"""Every write to snapshots, posts, design rules, mappings and uploads.

Each write is one transaction; a refused write raises ServiceError.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import ServiceError
from goldenthread.analysis.structure import Structure
from goldenthread.core.models import Unit, UnitKind

from .engine import pounds_or_none
from .models import (
    ColumnMappingPreset,
    DesignRuleSet,
    Post,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureUpload,
)

UNIT_SEPARATOR = " / "
#: Posts are written, and progress reported, in batches of this many rows.
POST_BATCH = 5000

SPAN_BAND_ORDER = "The lowest target span must not be more than the highest"
NARROW_ABOVE_TARGET = "A narrow span must be below the lowest target span"
MAPPING_NEEDS_IDS = "Choose the columns holding the post ID and the reports-to post"
NAME_NEEDED = "Enter a name for the snapshot"

ProgressFn = Callable[[int], None]


def _user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def _code_for(name: str, parent_code: str, taken: set[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    stem = "".join(w[0] for w in words).upper()[:6] if len(words) > 1 else name[:4].upper()
    stem = re.sub(r"[^A-Z0-9]", "", stem) or "U"
    base = f"{parent_code}-{stem}" if parent_code else stem
    base = base[:34]
    code, n = base, 1
    while code.lower() in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code.lower())
    return code


def units_for_paths(
    *, organisation: Organisation, paths: list[str], user: AbstractBaseUser | None
) -> dict[str, Unit]:
    """The unit of each path ("Directorate / Service / Team"), adding missing units.

    A path is matched by unit names, level by level, ignoring case; a unit that
    does not exist yet is added under its parent (directorate, service, then
    team), with a code made from its name.
    """
    units = list(Unit.objects.filter(organisation=organisation))
    by_pk = {u.pk: u for u in units}
    taken = {u.code.lower() for u in units}

    def key_of(unit: Unit) -> str:
        names = []
        cursor: Unit | None = unit
        seen = 0
        while cursor is not None and seen < 50:
            names.append(cursor.name.strip().lower())
            cursor = by_pk.get(cursor.parent_id) if cursor.parent_id else None
            seen += 1
        return UNIT_SEPARATOR.join(reversed(names))

    by_key = {key_of(u): u for u in units}
    wanted = sorted({p.strip() for p in paths if p and p.strip()})
    split = {
        path: [part.strip() for part in path.split(UNIT_SEPARATOR) if part.strip()]
        for path in wanted
    }
    for depth in range(max((len(parts) for parts in split.values()), default=0)):
        new: list[Unit] = []
        new_keys: list[str] = []
        for parts in split.values():
            if len(parts) <= depth:
                continue
            key = UNIT_SEPARATOR.join(p.lower() for p in parts[: depth + 1])
            if key in by_key or key in new_keys:
                continue
            parent = by_key.get(UNIT_SEPARATOR.join(p.lower() for p in parts[:depth]))
            kind = (UnitKind.DIRECTORATE, UnitKind.SERVICE)[depth] if depth < 2 else UnitKind.TEAM
            new.append(
                Unit(
                    organisation=organisation,
                    parent=parent,
                    name=parts[depth][:200],
                    code=_code_for(parts[depth], parent.code if parent else "", taken),
                    kind=kind,
                )
            )
            new_keys.append(key)
        if new:
            created = bulk_create_with_history(new, Unit, default_user=_user(user))
            for key, unit in zip(new_keys, created, strict=True):
                by_key[key] = unit
    result: dict[str, Unit] = {}
    for path, parts in split.items():
        unit = by_key.get(UNIT_SEPARATOR.join(p.lower() for p in parts))
        if unit is not None:
            result[path] = unit
    return result


#: The columns :func:`post_insert` writes, in order.
POST_COLUMNS = (
    "organisation_id",
    "snapshot_id",
    "position",
    "manager_position",
    "post_id",
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


def post_insert(rows: list[tuple[Any, ...]], *, progress: ProgressFn | None = None) -> None:
    """Write posts in bulk, one prepared statement per batch.

    Posts are written by the thousand when a snapshot is uploaded or copied;
    building a model instance for each row would cost most of the time, so the
    rows go to the database as plain tuples (ADR 0008).
    """
    quote = connection.ops.quote_name
    # Only fixed table and column names go into the statement; values are parameters.
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608
        table=quote(Post._meta.db_table),
        columns=", ".join(quote(c) for c in POST_COLUMNS),
        marks=", ".join(["%s"] * len(POST_COLUMNS)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), POST_BATCH):
            cursor.executemany(sql, rows[start : start + POST_BATCH])
            if progress is not None:
                progress(min(start + POST_BATCH, len(rows)))


def _bump(snapshot: Snapshot) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).update(version=F("version") + 1)
    snapshot.refresh_from_db(fields=["version", "post_count"])


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
    created_by: AbstractBaseUser | None = None,
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
        created_by=_user(created_by),
        base=base,
    )
    snapshot._history_user = _user(created_by)  # type: ignore[attr-defined]
    snapshot.save()
    units = structure.unit.to_list()
    unit_of = units_for_paths(organisation=organisation, paths=units, user=created_by)
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
            )
        )
    post_insert(rows, progress=progress)
    return snapshot


@transaction.atomic
def snapshot_update(
    *,
    snapshot: Snapshot,
    name: str,
    kind: str,
    status: str,
    effective_date: datetime.date | None,
    notes: str,
    updated_by: AbstractBaseUser | None = None,
) -> Snapshot:
    if not name.strip():
        raise ServiceError(NAME_NEEDED, field="name")
    snapshot.name = name.strip()
    snapshot.kind = SnapshotKind(kind)
    snapshot.status = SnapshotStatus(status)
    snapshot.effective_date = effective_date
    snapshot.notes = notes
    snapshot._history_user = _user(updated_by)  # type: ignore[attr-defined]
    snapshot.save()
    return snapshot


@transaction.atomic
def snapshot_delete(*, snapshot: Snapshot, deleted_by: AbstractBaseUser | None = None) -> None:
    snapshot._history_user = _user(deleted_by)  # type: ignore[attr-defined]
    Post.objects.filter(snapshot=snapshot).delete()
    snapshot.delete()


@transaction.atomic
def design_rules_update(
    *,
    organisation: Organisation,
    target_span_min: int,
    target_span_max: int,
    narrow_span_max: int,
    max_layers: int | None,
    updated_by: AbstractBaseUser | None = None,
) -> DesignRuleSet:
    if target_span_min > target_span_max:
        raise ServiceError(SPAN_BAND_ORDER, field="target_span_min")
    if narrow_span_max >= target_span_min:
        raise ServiceError(NARROW_ABOVE_TARGET, field="narrow_span_max")
    rules, _ = DesignRuleSet.objects.get_or_create(organisation=organisation)
    rules.target_span_min = target_span_min
    rules.target_span_max = target_span_max
    rules.narrow_span_max = narrow_span_max
    rules.max_layers = max_layers
    rules._history_user = _user(updated_by)  # type: ignore[attr-defined]
    rules.save()
    return rules


@transaction.atomic
def column_mapping_save(
    *, organisation: Organisation, name: str, columns: dict[str, Any]
) -> ColumnMappingPreset:
    if not columns.get("post_id") or not columns.get("reports_to"):
        raise ServiceError(MAPPING_NEEDS_IDS, field="post_id")
    preset, _ = ColumnMappingPreset.objects.get_or_create(
        organisation=organisation, name=name.strip()[:200]
    )
    preset.columns = columns
    preset.save()
    return preset


@transaction.atomic
def upload_create(
    *,
    organisation: Organisation,
    created_by: AbstractBaseUser | None,
    filename: str,
    data: bytes,
    fmt: str,
    lenient: bool,
    snapshot_fields: dict[str, Any],
    junior_filename: str = "",
    junior_data: bytes | None = None,
    mapping: dict[str, Any] | None = None,
) -> StructureUpload:
    return StructureUpload.objects.create(
        organisation=organisation,
        created_by=_user(created_by),
        filename=filename[:255],
        data=data,
        junior_filename=junior_filename[:255],
        junior_data=junior_data,
        fmt=fmt,
        lenient=lenient,
        snapshot_fields=snapshot_fields,
        mapping=mapping or {},
    )


@transaction.atomic
def upload_set_mapping(*, upload: StructureUpload, mapping: dict[str, Any]) -> StructureUpload:
    if not mapping.get("post_id") or not mapping.get("reports_to"):
        raise ServiceError(MAPPING_NEEDS_IDS, field="post_id")
    upload.mapping = mapping
    upload.save(update_fields=["mapping"])
    return upload
