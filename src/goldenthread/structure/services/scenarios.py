"""Scenarios: a copy of a snapshot, changed post by post with a reason and a wave.

Each change is checked with the engine (no post may end up managing itself),
written, and recorded with what the posts held before, so it can be undone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as date_format

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import (
    Actor,
    ServiceError,
    acting_user,
    attribute,
    require_role,
)
from goldenthread.core.models import Unit
from goldenthread.kit.decisions import decision_values
from goldenthread.structure import modelling, selectors
from goldenthread.structure.models import (
    ChangeKind,
    DecisionKind,
    Post,
    ScenarioChange,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureDecision,
)
from goldenthread.structure.selectors import MONEY_FIELDS, NO_SUCH_POST, NO_SUCH_POSTS, money_text

from .posts import FIGURE_COLUMNS, POST_COLUMNS, post_insert
from .snapshots import NAME_NEEDED, lock_snapshot

NOT_A_DRAFT_SCENARIO = (
    "{name} cannot be changed: only a draft scenario can. "
    "Create a scenario from it to model changes."
)
REASON_NEEDED = "Enter the reason for the change"
POST_ID_TAKEN = "There is already a post {post_id} in this scenario"
POST_ID_NEEDED = "Enter the new post's ID"
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

Values = dict[str, dict[str, Any] | None]


def _check_editable(snapshot: Snapshot) -> None:
    lock_snapshot(snapshot)
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.DRAFT:
        raise ServiceError(NOT_A_DRAFT_SCENARIO.format(name=snapshot.name))


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
            money = {f: Decimal(row[f]) if row.get(f) is not None else None for f in MONEY_FIELDS}
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
            elif name in MONEY_FIELDS:
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
    by: Actor,
    moved: list[str] | None = None,
    action: str = "",
) -> ScenarioChange:
    """Check the change with the engine, write it and record it."""
    if not reason.strip():
        raise ServiceError(REASON_NEEDED, field="reason")
    managers = selectors.post_managers(snapshot=snapshot)
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
        created_by=acting_user(by),
    )
    attribute(change, by)
    change.save()
    return change


def _post_or_refuse(rows: dict[str, dict[str, Any]], post_id: str, field: str) -> dict[str, Any]:
    if post_id not in rows:
        raise ServiceError(NO_SUCH_POST.format(post_id=post_id), field=field)
    return rows[post_id]


def _manager_or_refuse(snapshot: Snapshot, manager: str | None, field: str = "manager") -> None:
    if manager and not selectors.post_exists(snapshot=snapshot, post_id=manager):
        raise ServiceError(NO_SUCH_POST.format(post_id=manager), field=field)


@transaction.atomic
def scenario_create(
    *,
    snapshot: Snapshot,
    name: str,
    notes: str = "",
    by: Actor = None,
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
        created_by=acting_user(by),
    )
    # The copied posts carry the base's stored layers and spans, good for the
    # scenario too if they were up to date in the base.
    version, figures_version = Snapshot.objects.values_list("version", "figures_version").get(
        pk=snapshot.pk
    )
    scenario.figures_version = scenario.version if figures_version == version else None
    attribute(scenario, by)
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
    by: Actor = None,
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
        reports = selectors.post_reports(snapshot=snapshot, post_ids=[post_id])
        return _delete(
            snapshot=snapshot,
            post_ids=[post_id],
            reports=reports,
            reports_to=reports_to,
            description=f"Deleted {post_id}",
            reason=reason,
            effective_date=effective_date,
            by=by,
        )
    rows = selectors.post_values(snapshot=snapshot, post_ids=[post_id])
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
        change = {"cost": money_text(cost)}
        description = (
            f"Re-costed {post_id} at £{cost:,.2f}"
            if cost is not None
            else f"Re-costed {post_id}: cost not known"
        )
    else:
        if unit is None:
            raise ServiceError(NOTHING_TO_CHANGE, field="unit")
        change = {"unit_id": unit.pk, "unit_path": selectors.unit_path_of(unit)}
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
        by=by,
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
    by: Actor,
) -> ScenarioChange:
    rows = selectors.post_values(snapshot=snapshot, post_ids=post_ids)
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
        moved = selectors.post_values(snapshot=snapshot, post_ids=outside)
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
            by=by,
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
    by: Actor = None,
) -> ScenarioChange:
    _check_editable(snapshot)
    post_id = post_id.strip()[:120]
    manager = (manager or "").strip() or None
    if not post_id:
        raise ServiceError(POST_ID_NEEDED, field="post_id")
    if selectors.post_exists(snapshot=snapshot, post_id=post_id):
        raise ServiceError(POST_ID_TAKEN.format(post_id=post_id), field="post_id")
    _manager_or_refuse(snapshot, manager)
    row = {
        "manager": manager,
        "title": title.strip()[:300],
        "grade": grade.strip()[:120],
        "unit_id": unit.pk if unit else None,
        "unit_path": selectors.unit_path_of(unit) if unit else "",
        "fte": float(fte),
        "cost": money_text(cost),
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
        by=by,
        moved=[post_id],
    )


@transaction.atomic
def scenario_bulk_change(
    *,
    snapshot: Snapshot,
    post_ids: list[str],
    action: str,
    reason: str,
    effective_date: datetime.date,
    by: Actor = None,
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
        reports = selectors.post_reports(snapshot=snapshot, post_ids=post_ids)
        return _delete(
            snapshot=snapshot,
            post_ids=post_ids,
            reports=reports,
            reports_to=reports_to,
            description=f"Deleted {what}",
            reason=reason,
            effective_date=effective_date,
            by=by,
        )
    rows = selectors.post_values(snapshot=snapshot, post_ids=post_ids)
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
        path = selectors.unit_path_of(unit) if unit else ""
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
        by=by,
        moved=moved,
    )


@transaction.atomic
def scenario_change_undo(*, change: ScenarioChange, by: Actor = None) -> ScenarioChange:
    """Put back the posts as they were before ``change``.

    Changes are undone newest first where they touch the same posts: a later
    change to any of them that still stands is named, and must be undone first.
    """
    change = ScenarioChange.objects.select_for_update().get(pk=change.pk)
    snapshot = Snapshot.objects.get(pk=change.snapshot_id)
    _check_editable(snapshot)
    if change.undone:
        raise ServiceError(ALREADY_UNDONE)
    later = selectors.change_later_overlapping(change=change)
    if later is not None:
        raise ServiceError(
            UNDO_LATER_FIRST.format(
                description=later.description,
                when=f"{date_format(later.effective_date, 'j F Y')} wave",
            )
        )
    managers = selectors.post_managers(snapshot=snapshot)
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
    change.undone_by = acting_user(by)
    change.undone_at = timezone.now()
    attribute(change, by)
    change.save()
    return change


def _decision_record(
    *,
    snapshot: Snapshot,
    kind: DecisionKind,
    decision: dict[str, Any],
    by: Actor,
    replaced: list[Snapshot] | None = None,
) -> StructureDecision:
    """Record the decision with what its confirmation page said it would do."""
    consequences = selectors.scenario_decision_consequences(
        organisation=snapshot.organisation, snapshot=snapshot, kind=kind
    )
    record = StructureDecision(
        organisation=snapshot.organisation,
        snapshot=snapshot,
        kind=kind,
        consequences="\n".join(consequences),
        recorded_by=acting_user(by),
        **decision_values(**decision),
    )
    attribute(record, by)
    record.save()
    if replaced:
        record.replaced.set(replaced)
    return record


@transaction.atomic
def scenario_approve(
    *,
    snapshot: Snapshot,
    decided_by: str,
    body: str,
    decided_on: datetime.date | None,
    minute_reference: str,
    by: Actor = None,
) -> Snapshot:
    """An admin records the decision approving a draft scenario, which freezes it.

    From then on it cannot be changed or reopened, and the decision (who, the
    body or delegation, the date and the minute) is kept with it.
    """
    require_role(organisation=snapshot.organisation, by=by, role=Role.ADMIN)
    lock_snapshot(snapshot)
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.DRAFT:
        raise ServiceError(APPROVE_DRAFTS_ONLY)
    decision = {
        "decided_by": decided_by,
        "body": body,
        "decided_on": decided_on,
        "minute_reference": minute_reference,
    }
    _decision_record(snapshot=snapshot, kind=DecisionKind.APPROVAL, decision=decision, by=by)
    snapshot.status = SnapshotStatus.APPROVED
    snapshot.approved_by = acting_user(by)
    snapshot.approved_at = timezone.now()
    attribute(snapshot, by)
    snapshot.save()
    return snapshot


@transaction.atomic
def scenario_promote(
    *,
    snapshot: Snapshot,
    decided_by: str,
    body: str,
    decided_on: datetime.date | None,
    minute_reference: str,
    by: Actor = None,
) -> list[Snapshot]:
    """Record the decision making an approved scenario the as-is; the previous as-is is superseded.

    Returns the snapshots superseded. Only an admin may promote.
    """
    require_role(organisation=snapshot.organisation, by=by, role=Role.ADMIN)
    lock_snapshot(snapshot)
    if snapshot.kind != SnapshotKind.SCENARIO or snapshot.status != SnapshotStatus.APPROVED:
        raise ServiceError(PROMOTE_APPROVED_ONLY)
    superseded = selectors.as_is_current(organisation=snapshot.organisation, but=snapshot)
    decision = {
        "decided_by": decided_by,
        "body": body,
        "decided_on": decided_on,
        "minute_reference": minute_reference,
    }
    _decision_record(
        snapshot=snapshot,
        kind=DecisionKind.PROMOTION,
        decision=decision,
        by=by,
        replaced=superseded,
    )
    for old in superseded:
        old.status = SnapshotStatus.SUPERSEDED
        attribute(old, by)
        old.save()
    snapshot.kind = SnapshotKind.AS_IS
    attribute(snapshot, by)
    snapshot.save()
    return superseded
