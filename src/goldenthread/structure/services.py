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
from django.utils import timezone
from django.utils.dateformat import format as date_format
from simple_history.utils import bulk_create_with_history

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import ServiceError
from goldenthread.analysis.structure import Structure, post_metrics
from goldenthread.core.models import Unit, UnitKind

from . import modelling
from .engine import pounds_or_none
from .models import (
    ChangeKind,
    ColumnMappingPreset,
    DesignRuleSet,
    Post,
    ScenarioChange,
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
#: The engine's figures stored with each post for the registers (ADR 0008):
#: written with the posts of a new snapshot, copied with a scenario, and
#: otherwise kept up to date by :func:`post_figures_store`.
FIGURE_COLUMNS = ("layer", "span")


def post_insert(
    rows: list[tuple[Any, ...]],
    *,
    progress: ProgressFn | None = None,
    columns: tuple[str, ...] = POST_COLUMNS,
) -> None:
    """Write posts in bulk, one prepared statement per batch.

    Posts are written by the thousand when a snapshot is uploaded or copied;
    building a model instance for each row would cost most of the time, so the
    rows go to the database as plain tuples (ADR 0008).
    """
    quote = connection.ops.quote_name
    # Only fixed table and column names go into the statement; values are parameters.
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(  # noqa: S608
        table=quote(Post._meta.db_table),
        columns=", ".join(quote(c) for c in columns),
        marks=", ".join(["%s"] * len(columns)),
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
        figures_version=0,  # the posts are written with their layers and spans
    )
    snapshot._history_user = _user(created_by)  # type: ignore[attr-defined]
    snapshot.save()
    metrics = post_metrics(structure)
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
                int(metrics.layer[i]),
                int(metrics.span[i]),
            )
        )
    post_insert(rows, progress=progress, columns=POST_COLUMNS + FIGURE_COLUMNS)
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


# ---------------------------------------------------------------------------
# Scenarios: a copy of a snapshot, changed post by post with a reason and a wave.

NOT_A_DRAFT_SCENARIO = (
    "{name} cannot be changed: only a draft scenario can. "
    "Create a scenario from it to model changes."
)
REASON_NEEDED = "Enter the reason for the change"
NO_SUCH_POST = "There is no post {post_id} in this scenario"
NO_SUCH_POSTS = "There are no posts {post_ids} in this scenario"
POST_ID_TAKEN = "There is already a post {post_id} in this scenario"
POST_ID_NEEDED = "Enter the new post's ID"
NO_POSTS_CHOSEN = "Choose the posts to change: a unit, or a list of post IDs"
UNIT_HAS_NO_POSTS = "{unit} has no posts in this scenario"
NOTHING_TO_CHANGE = "Choose a new manager, a new unit or both"
MANAGER_IN_SELECTION = "The new manager {post_id} is one of the posts being deleted"
NOT_THE_SAME = "{post_id} already has that {what}"
ALREADY_UNDONE = "This change has already been undone"
UNDO_LATER_FIRST = (
    "Undo the later change \u201c{description}\u201d ({when}) first: it changed the same posts"
)
UNDO_REFUSED = "This change cannot be undone: {reason}"
APPROVE_DRAFTS_ONLY = "Only a draft scenario can be approved"
PROMOTE_APPROVED_ONLY = "Only an approved scenario can become the new as-is"
PROMOTED = "{name} is now the as-is structure; {others} marked superseded"

#: The fields of a post a change records: every stored column but the post's
#: place in the snapshot, with ``manager`` (the manager's post ID) in place of
#: its manager's position.
ROW_FIELDS = (
    "manager",
    *(
        column
        for column in POST_COLUMNS
        if column
        not in {"organisation_id", "snapshot_id", "position", "manager_position", "post_id"}
    ),
)
_MONEY_FIELDS = ("cost", "junior_cost")

Values = dict[str, dict[str, Any] | None]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _check_editable(snapshot: Snapshot) -> None:
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.DRAFT:
        raise ServiceError(NOT_A_DRAFT_SCENARIO.format(name=snapshot.name))


def _managers(snapshot: Snapshot) -> dict[str, str | None]:
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


def _rows(snapshot: Snapshot, post_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The recorded fields of each post, by post ID."""
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
        for f in _MONEY_FIELDS:
            values[f] = _money(values[f])
        values["manager"] = names.get(row["manager_position"])
        values["position"] = row["position"]
        rows[row["post_id"]] = values
    return rows


def _write(snapshot: Snapshot, values: Values, previous: Values) -> None:
    """Make the posts hold ``values`` (where ``previous`` is what they hold now)."""
    organisation_id = snapshot.organisation_id
    added = [pid for pid, v in values.items() if v is not None and previous.get(pid) is None]
    deleted = [pid for pid, v in values.items() if v is None and previous.get(pid) is not None]
    changed = [pid for pid, v in values.items() if v is not None and previous.get(pid) is not None]
    if added:
        taken = set(Post.objects.filter(snapshot=snapshot).values_list("position", flat=True))
        following = max(taken, default=-1) + 1
        rows = []
        for pid in added:
            row = values[pid] or {}
            position = row.get("position")
            if position is None or position in taken:
                position = following
                following += 1
            taken.add(position)
            money = {f: Decimal(row[f]) if row.get(f) is not None else None for f in _MONEY_FIELDS}
            rows.append(
                (
                    organisation_id,
                    snapshot.pk,
                    position,
                    None,
                    pid,
                    row.get("title", ""),
                    row.get("grade", ""),
                    row.get("unit_id"),
                    row.get("unit_path", ""),
                    float(row.get("fte", 1.0)),
                    money["cost"],
                    float(row.get("junior_fte", 0.0)),
                    money["junior_cost"] or Decimal(0),
                    int(row.get("junior_unknown_cost", 0)),
                    bool(row.get("vacant", False)),
                    bool(row.get("agency", False)),
                    bool(row.get("interim", False)),
                    bool(row.get("shared_service", False)),
                    row.get("match_key", ""),
                    row.get("source_row"),
                )
            )
        post_insert(rows)
    position_of = dict(Post.objects.filter(snapshot=snapshot).values_list("post_id", "position"))
    # Posts given the same values are written with one statement.
    groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for pid in added + changed:
        row = values[pid] or {}
        fields: dict[str, Any] = {}
        for name, value in row.items():
            if name == "position" or (pid in added and name != "manager"):
                continue
            if name == "manager":
                fields["manager_position"] = position_of.get(value) if value else None
            elif name in _MONEY_FIELDS:
                fields[name] = Decimal(value) if value is not None else None
            else:
                fields[name] = value
        if not fields:
            continue
        key = repr(sorted(fields.items()))
        groups.setdefault(key, (fields, []))[1].append(pid)
    for fields, pids in groups.values():
        Post.objects.filter(snapshot=snapshot, post_id__in=pids).update(**fields)
    if deleted:
        Post.objects.filter(snapshot=snapshot, post_id__in=deleted).delete()
    Snapshot.objects.filter(pk=snapshot.pk).update(
        version=F("version") + 1, post_count=F("post_count") + len(added) - len(deleted)
    )
    snapshot.refresh_from_db(fields=["version", "post_count"])


def _record(
    *,
    snapshot: Snapshot,
    kind: str,
    description: str,
    before: Values,
    after: Values,
    reason: str,
    effective_date: datetime.date,
    created_by: AbstractBaseUser | None,
    moved: list[str] | None = None,
    action: str = "",
) -> ScenarioChange:
    """Check the change with the engine, write it and record it."""
    if not reason.strip():
        raise ServiceError(REASON_NEEDED, field="reason")
    managers = _managers(snapshot)
    for pid, values in after.items():
        if values is None:
            managers.pop(pid, None)
        elif "manager" in values:
            managers[pid] = values["manager"]
    problem = modelling.check(managers, action=action or description, moved=moved or [])
    if problem:
        raise ServiceError(problem, field="manager")
    _write(snapshot, after, before)
    ids = list(after)
    change = ScenarioChange(
        organisation=snapshot.organisation,
        snapshot=snapshot,
        kind=ChangeKind(kind),
        description=description[:500],
        post_ids="\n".join(ids),
        post_count=len(ids),
        before=before,
        after=after,
        reason=reason.strip(),
        effective_date=effective_date,
        created_by=_user(created_by),
    )
    change._history_user = _user(created_by)  # type: ignore[attr-defined]
    change.save()
    return change


def _post_or_refuse(rows: dict[str, dict[str, Any]], post_id: str, field: str) -> dict[str, Any]:
    if post_id not in rows:
        raise ServiceError(NO_SUCH_POST.format(post_id=post_id), field=field)
    return rows[post_id]


def _manager_or_refuse(snapshot: Snapshot, manager: str | None, field: str = "manager") -> None:
    if manager and not Post.objects.filter(snapshot=snapshot, post_id=manager).exists():
        raise ServiceError(NO_SUCH_POST.format(post_id=manager), field=field)


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


@transaction.atomic
def scenario_create(
    *,
    snapshot: Snapshot,
    name: str,
    notes: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Snapshot:
    """A draft scenario holding a copy of every post of ``snapshot``, copied in one statement."""
    if not name.strip():
        raise ServiceError(NAME_NEEDED, field="name")
    scenario = Snapshot(
        organisation=snapshot.organisation,
        name=name.strip()[:200],
        kind=SnapshotKind.SCENARIO,
        status=SnapshotStatus.DRAFT,
        effective_date=snapshot.effective_date,
        notes=notes,
        base=snapshot,
        source=f"A copy of {snapshot.name}"[:500],
        matched_by=snapshot.matched_by,
        post_count=snapshot.post_count,
        not_in_post_rows=snapshot.not_in_post_rows,
        created_by=_user(created_by),
    )
    # The copied posts carry the base's stored layers and spans, good for the
    # scenario too if they were up to date in the base.
    version, figures_version = Snapshot.objects.values_list("version", "figures_version").get(
        pk=snapshot.pk
    )
    scenario.figures_version = scenario.version if figures_version == version else None
    scenario._history_user = _user(created_by)  # type: ignore[attr-defined]
    scenario.save()
    quote = connection.ops.quote_name
    copied = [quote(c) for c in POST_COLUMNS + FIGURE_COLUMNS if c != "snapshot_id"]
    # Only fixed table and column names go into the statement; values are parameters.
    sql = "INSERT INTO {table} ({snapshot}, {columns}) SELECT %s, {columns} FROM {table} WHERE {snapshot} = %s".format(  # noqa: E501, S608
        table=quote(Post._meta.db_table),
        snapshot=quote("snapshot_id"),
        columns=", ".join(copied),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scenario.pk, snapshot.pk])
    scenario.post_count = Post.objects.filter(snapshot=scenario).count()
    Snapshot.objects.filter(pk=scenario.pk).update(post_count=scenario.post_count)
    return scenario


@transaction.atomic
def scenario_post_change(
    *,
    snapshot: Snapshot,
    post_id: str,
    kind: str,
    reason: str,
    effective_date: datetime.date,
    created_by: AbstractBaseUser | None = None,
    manager: str | None = None,
    grade: str = "",
    title: str = "",
    cost: Decimal | None = None,
    unit: Unit | None = None,
    reports_to: str | None = None,
) -> ScenarioChange:
    """Move, regrade, retitle, re-cost, re-unit or delete one post.

    Deleting a post with direct reports needs ``reports_to``: the post they
    move to in the same change.
    """
    _check_editable(snapshot)
    kind = ChangeKind(kind)
    manager = (manager or "").strip() or None
    reports_to = (reports_to or "").strip() or None
    if kind == ChangeKind.DELETE:
        reports = list(
            Post.objects.filter(
                snapshot=snapshot,
                manager_position__in=Post.objects.filter(snapshot=snapshot, post_id=post_id).values(
                    "position"
                ),
            ).values_list("post_id", flat=True)
        )
        return _delete(
            snapshot=snapshot,
            post_ids=[post_id],
            reports=reports,
            reports_to=reports_to,
            description=f"Deleted {post_id}",
            reason=reason,
            effective_date=effective_date,
            created_by=created_by,
        )
    rows = _rows(snapshot, [post_id])
    row = _post_or_refuse(rows, post_id, "post_id")
    change: dict[str, Any]
    action = ""
    if kind == ChangeKind.MOVE:
        _manager_or_refuse(snapshot, manager)
        if manager == row["manager"]:
            raise ServiceError(
                NOT_THE_SAME.format(post_id=post_id, what="manager"), field="manager"
            )
        change = {"manager": manager}
        description = (
            f"Moved {post_id} under {manager}" if manager else f"Made {post_id} a top post"
        )
        action = f"Moving {post_id} under {manager}"
    elif kind == ChangeKind.REGRADE:
        change = {"grade": grade.strip()[:120]}
        description = f"Regraded {post_id} from {row['grade'] or 'no grade'} to {grade.strip()}"
    elif kind == ChangeKind.RETITLE:
        change = {"title": title.strip()[:300]}
        description = f"Retitled {post_id} as {title.strip()}"
    elif kind == ChangeKind.RECOST:
        change = {"cost": _money(cost)}
        description = (
            f"Re-costed {post_id} at £{cost:,.2f}"
            if cost is not None
            else f"Re-costed {post_id}: cost not known"
        )
    else:
        if unit is None:
            raise ServiceError(NOTHING_TO_CHANGE, field="unit")
        change = {"unit_id": unit.pk, "unit_path": unit_path_of(unit)}
        description = f"Moved {post_id} into {change['unit_path']}"
    before = {pid: {f: row[f] for f in change} for pid in [post_id]}
    return _record(
        action=action if kind == ChangeKind.MOVE else "",
        snapshot=snapshot,
        kind=kind,
        description=description,
        before=before,  # type: ignore[arg-type]
        after={post_id: change},
        reason=reason,
        effective_date=effective_date,
        created_by=created_by,
        moved=[post_id],
    )


def _delete(
    *,
    snapshot: Snapshot,
    post_ids: list[str],
    reports: list[str],
    reports_to: str | None,
    description: str,
    reason: str,
    effective_date: datetime.date,
    created_by: AbstractBaseUser | None,
) -> ScenarioChange:
    rows = _rows(snapshot, post_ids)
    missing = [pid for pid in post_ids if pid not in rows]
    if missing:
        raise ServiceError(
            NO_SUCH_POSTS.format(post_ids=modelling.name_posts(missing)), field="post_ids"
        )
    gone = set(post_ids)
    outside = [pid for pid in reports if pid not in gone]
    if reports_to:
        _manager_or_refuse(snapshot, reports_to, "reports_to")
        if reports_to in gone:
            raise ServiceError(MANAGER_IN_SELECTION.format(post_id=reports_to), field="reports_to")
    before: Values = {pid: rows[pid] for pid in post_ids}
    after: Values = dict.fromkeys(post_ids)
    if outside and reports_to:
        moved = _rows(snapshot, outside)
        for pid in outside:
            before[pid] = {"manager": moved[pid]["manager"]}
            after[pid] = {"manager": reports_to}
        description += f"; {modelling.name_posts(outside)} now report to {reports_to}"
    try:
        return _record(
            snapshot=snapshot,
            kind=ChangeKind.DELETE,
            description=description,
            before=before,
            after=after,
            reason=reason,
            effective_date=effective_date,
            created_by=created_by,
            moved=outside,
            action=description.replace("Deleted", "Deleting", 1).split(";")[0],
        )
    except ServiceError as error:
        if error.field == "manager" and not reports_to:
            raise ServiceError(error.message, field="reports_to") from None
        raise


@transaction.atomic
def scenario_post_add(
    *,
    snapshot: Snapshot,
    post_id: str,
    title: str,
    grade: str,
    unit: Unit | None,
    manager: str | None,
    fte: float,
    cost: Decimal | None,
    reason: str,
    effective_date: datetime.date,
    vacant: bool = False,
    created_by: AbstractBaseUser | None = None,
) -> ScenarioChange:
    _check_editable(snapshot)
    post_id = post_id.strip()[:120]
    manager = (manager or "").strip() or None
    if not post_id:
        raise ServiceError(POST_ID_NEEDED, field="post_id")
    if Post.objects.filter(snapshot=snapshot, post_id=post_id).exists():
        raise ServiceError(POST_ID_TAKEN.format(post_id=post_id), field="post_id")
    _manager_or_refuse(snapshot, manager)
    row = {
        "manager": manager,
        "title": title.strip()[:300],
        "grade": grade.strip()[:120],
        "unit_id": unit.pk if unit else None,
        "unit_path": unit_path_of(unit) if unit else "",
        "fte": float(fte),
        "cost": _money(cost),
        "vacant": vacant,
        "match_key": post_id if snapshot.matched_by != "post ID" else "",
    }
    where = f" under {manager}" if manager else " as a top post"
    return _record(
        snapshot=snapshot,
        kind=ChangeKind.ADD,
        description=f"Added {post_id} {row['title']}".rstrip() + where,
        before={post_id: None},
        after={post_id: row},
        reason=reason,
        effective_date=effective_date,
        created_by=created_by,
        moved=[post_id],
    )


def scenario_selection(
    *, snapshot: Snapshot, unit: Unit | None = None, post_ids: list[str] | None = None
) -> list[str]:
    """The post IDs of a bulk change: a unit and the units inside it, or a list."""
    if unit is not None:
        from .selectors import unit_subtree_ids

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
            NO_SUCH_POSTS.format(post_ids=modelling.name_posts(missing))
            if len(missing) > 1
            else NO_SUCH_POST.format(post_id=missing[0]),
            field="post_ids",
        )
    return wanted


@transaction.atomic
def scenario_bulk_change(
    *,
    snapshot: Snapshot,
    post_ids: list[str],
    action: str,
    reason: str,
    effective_date: datetime.date,
    created_by: AbstractBaseUser | None = None,
    manager: str | None = None,
    unit: Unit | None = None,
    grade: str = "",
    reports_to: str | None = None,
    label: str = "",
) -> ScenarioChange:
    """One change to many posts: move (as a block), regrade or delete them.

    A move takes the selection as a block: the posts whose manager is outside
    the selection move to ``manager``; the others keep their managers inside
    it. ``unit`` puts every selected post in that unit.
    """
    _check_editable(snapshot)
    manager = (manager or "").strip() or None
    reports_to = (reports_to or "").strip() or None
    what = label or modelling.name_posts(post_ids)
    if action == ChangeKind.DELETE:
        chosen = set(post_ids)
        positions = Post.objects.filter(snapshot=snapshot, post_id__in=post_ids).values("position")
        reports = [
            pid
            for pid in Post.objects.filter(
                snapshot=snapshot, manager_position__in=positions
            ).values_list("post_id", flat=True)
            if pid not in chosen
        ]
        return _delete(
            snapshot=snapshot,
            post_ids=post_ids,
            reports=reports,
            reports_to=reports_to,
            description=f"Deleted {what}",
            reason=reason,
            effective_date=effective_date,
            created_by=created_by,
        )
    rows = _rows(snapshot, post_ids)
    before: Values = {}
    after: Values = {}
    moved: list[str] = []
    if action == ChangeKind.REGRADE:
        kind = ChangeKind.REGRADE
        for pid in post_ids:
            before[pid] = {"grade": rows[pid]["grade"]}
            after[pid] = {"grade": grade.strip()[:120]}
        description = f"Regraded {what} to {grade.strip()}"
    else:
        if not manager and unit is None:
            raise ServiceError(NOTHING_TO_CHANGE, field="manager")
        _manager_or_refuse(snapshot, manager)
        chosen = set(post_ids)
        path = unit_path_of(unit) if unit else ""
        for pid in post_ids:
            old: dict[str, Any] = {}
            new: dict[str, Any] = {}
            if manager and rows[pid]["manager"] not in chosen and rows[pid]["manager"] != manager:
                old["manager"], new["manager"] = rows[pid]["manager"], manager
                moved.append(pid)
            if unit is not None and rows[pid]["unit_id"] != unit.pk:
                old["unit_id"], new["unit_id"] = rows[pid]["unit_id"], unit.pk
                old["unit_path"], new["unit_path"] = rows[pid]["unit_path"], path
            if new:
                before[pid], after[pid] = old, new
        if not after:
            raise ServiceError(NOTHING_TO_CHANGE, field="manager")
        kind = ChangeKind.MOVE if moved else ChangeKind.REUNIT
        parts = []
        if manager:
            parts.append(f"under {manager}")
        if unit is not None:
            parts.append(f"into {path}")
        description = f"Moved {what} " + " and ".join(parts)
    return _record(
        action=description.replace("Moved", "Moving", 1),
        snapshot=snapshot,
        kind=kind,
        description=description,
        before=before,
        after=after,
        reason=reason,
        effective_date=effective_date,
        created_by=created_by,
        moved=moved,
    )


@transaction.atomic
def scenario_change_undo(
    *, change: ScenarioChange, undone_by: AbstractBaseUser | None = None
) -> ScenarioChange:
    """Put back the posts as they were before ``change``.

    Changes are undone newest first where they touch the same posts: a later
    change to any of them that still stands is named, and must be undone first.
    """
    change = ScenarioChange.objects.select_for_update().get(pk=change.pk)
    snapshot = Snapshot.objects.get(pk=change.snapshot_id)
    _check_editable(snapshot)
    if change.undone:
        raise ServiceError(ALREADY_UNDONE)
    mine = set(change.post_id_list)
    for later in ScenarioChange.objects.filter(
        snapshot=snapshot, undone=False, pk__gt=change.pk
    ).order_by("-pk"):
        if mine & set(later.post_id_list):
            raise ServiceError(
                UNDO_LATER_FIRST.format(
                    description=later.description,
                    when=f"{date_format(later.effective_date, 'j F Y')} wave",
                )
            )
    managers = _managers(snapshot)
    for pid, values in change.before.items():
        if values is None:
            managers.pop(pid, None)
        elif "manager" in values:
            managers[pid] = values["manager"]
    problem = modelling.check(
        managers, action=f"Undoing \u201c{change.description}\u201d", moved=list(change.before)
    )
    if problem:
        raise ServiceError(problem)
    _write(snapshot, change.before, change.after)
    change.undone = True
    change.undone_by = _user(undone_by)
    change.undone_at = timezone.now()
    change._history_user = _user(undone_by)  # type: ignore[attr-defined]
    change.save()
    return change


@transaction.atomic
def scenario_approve(
    *, snapshot: Snapshot, approved_by: AbstractBaseUser | None = None
) -> Snapshot:
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.DRAFT:
        raise ServiceError(APPROVE_DRAFTS_ONLY)
    snapshot.status = SnapshotStatus.APPROVED
    snapshot.approved_by = _user(approved_by)  # type: ignore[assignment]
    snapshot.approved_at = timezone.now()
    snapshot._history_user = _user(approved_by)  # type: ignore[attr-defined]
    snapshot.save()
    return snapshot


@transaction.atomic
def scenario_promote(
    *, snapshot: Snapshot, promoted_by: AbstractBaseUser | None = None
) -> list[Snapshot]:
    """Make an approved scenario the as-is; the previous as-is is marked superseded.

    Returns the snapshots superseded.
    """
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.APPROVED:
        raise ServiceError(PROMOTE_APPROVED_ONLY)
    superseded = list(
        Snapshot.objects.filter(organisation=snapshot.organisation, kind=SnapshotKind.AS_IS)
        .exclude(status=SnapshotStatus.SUPERSEDED)
        .exclude(pk=snapshot.pk)
    )
    for old in superseded:
        old.status = SnapshotStatus.SUPERSEDED
        old._history_user = _user(promoted_by)  # type: ignore[attr-defined]
        old.save()
    snapshot.kind = SnapshotKind.AS_IS
    snapshot._history_user = _user(promoted_by)  # type: ignore[attr-defined]
    snapshot.save()
    return superseded


#: Posts whose stored layer and span are rewritten by one statement, kept
#: under SQLite's limit on the parameters of one statement.
FIGURES_BATCH = 900


def post_figures_store(*, organisation: Organisation, snapshot: Snapshot) -> Snapshot:
    """Store each post's layer and span, so registers filter and sort by them in the database.

    Layers and spans are the engine's figures, which a change to any post may
    alter anywhere below it; they are written for the snapshot's current
    version, once, and only to the posts whose figures differ from those
    stored. The snapshot is stamped only if no change raised its version
    meanwhile, so a figure written from stale posts is rewritten next time.
    """
    if snapshot.figures_version == snapshot.version:
        return snapshot  # already stored: no query, no transaction
    return _store_figures(organisation=organisation, snapshot=snapshot)


@transaction.atomic
def _store_figures(*, organisation: Organisation, snapshot: Snapshot) -> Snapshot:
    from .selectors import snapshot_figures

    version = snapshot.version
    figures = snapshot_figures(organisation=organisation, snapshot=snapshot)
    metrics = figures.metrics
    wanted = {
        int(position): (int(metrics.layer[i]), int(metrics.span[i]))
        for i, position in enumerate(figures.positions)
    }
    stored = Post.objects.filter(snapshot=snapshot).values_list("pk", "position", "layer", "span")
    # Posts given the same layer and span are written together: a handful of
    # statements for a whole snapshot, rather than one per post.
    groups: dict[tuple[int, int], list[int]] = {}
    for pk, position, layer, span in stored:
        if position in wanted and wanted[position] != (layer, span):
            groups.setdefault(wanted[position], []).append(pk)
    for (layer, span), pks in groups.items():
        for start in range(0, len(pks), FIGURES_BATCH):
            Post.objects.filter(pk__in=pks[start : start + FIGURES_BATCH]).update(
                layer=layer, span=span
            )
    if Snapshot.objects.filter(pk=snapshot.pk, version=version).update(figures_version=version):
        snapshot.figures_version = version
    return snapshot
