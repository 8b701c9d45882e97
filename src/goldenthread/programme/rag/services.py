"""Every write of the RAG: the rules' versions, the assessment of actions, and overrides.

The rules are the pure engine's (:mod:`goldenthread.analysis.rag`), kept as
JSON in :class:`RagRuleSet`; a change of rules is a new version. An action's
RAG is assessed by the version in force and each change of its current or
forecast year-end RAG is kept as a :class:`RagRecord` naming that version.
An owner's override is the RAG in force until it ends, on a date or at the
next quarterly update; then the computed RAG returns, and that is recorded too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute, require_role
from goldenthread.analysis import rag as engine
from goldenthread.jobs.registry import register as register_job
from goldenthread.jobs.services import Progress, job_create
from goldenthread.programme.models import (
    Action,
    Milestone,
    Programme,
    QuarterlyUpdate,
    Rag,
    RagKind,
    RagRecord,
    RagRuleSet,
    RagSource,
    RagSubject,
)

#: Overrides may show red, amber or green; complete (blue) comes from the status alone.
OVERRIDE_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN)

OVERRIDE_RAG_REQUIRED = "Choose the RAG to show: red, amber or green"
OVERRIDE_REASON_REQUIRED = "Enter why you are overriding the RAG"
OVERRIDE_END_REQUIRED = "Choose when the override ends: on a date, or at the next quarterly update"
OVERRIDE_END_NOT_AFTER_TODAY = "The date the override ends must be after today"
NO_OVERRIDE = "This action's RAG is not overridden"
OVERRIDE_NOT_OPEN = "A complete or cancelled action's RAG cannot be overridden"
#: Statuses whose RAG comes from the status alone: complete is blue, cancelled is not rated.
NOT_OVERRIDABLE = (engine.COMPLETE, engine.CANCELLED)
RULES_NOTE_REQUIRED = "Enter why the rules are changing"
RULES_UNCHANGED = "These are the rules in force already: change a threshold, or cancel"
RULES_STALE = (
    "{who} made version {version} of the rules at {when}, since you opened this page. "
    "Your changes have not been saved: check the rules in force and change them again."
)
#: What the first version of an organisation's rules says of itself.
DEFAULT_NOTE = "The default rules, recorded when the organisation's actions were first assessed."

#: The job that assesses every action of an organisation again (after a change of rules).
REFRESH_JOB = "programme-rag-refresh"

#: Actions are written back, and records made, in batches of this many rows.
BATCH = 500

ASSESSED_FIELDS = [
    "rag",
    "rag_reason",
    "computed_rag",
    "computed_reason",
    "forecast_rag",
    "forecast_reason",
    "rag_rules",
    "rag_assessed_on",
    "override_rag",
    "override_reason",
    "override_ends_on",
    "override_until_update",
    "override_set_on",
]

#: The fields that tell a changed action: its RAGs and their reasons.
COMPARED = ASSESSED_FIELDS[:6]
#: The fields written for a changed action; the rules and the day are written for all at once.
WRITTEN = [name for name in ASSESSED_FIELDS if name not in ("rag_rules", "rag_assessed_on")]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def person(user: Any) -> str:
    """How a user is named on a page: their full name, else their username; the system."""
    if user is None:
        return "the system"
    return str(user.get_full_name() or user.get_username())


def day(value: dt.date) -> str:
    return date_format(value, "j F Y")


# -- the rules -------------------------------------------------------------------


def rules_in_force(*, organisation: Organisation) -> RagRuleSet | None:
    return (
        RagRuleSet.objects.filter(organisation=organisation, subject=RagSubject.ACTION)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def rag_rules_ensure(
    *, organisation: Organisation, by: Actor, today: dt.date | None = None
) -> RagRuleSet:
    """The rules in force, made from the defaults the first time the organisation needs them.

    Two first assessments at once make one version 1: the organisation's row
    is locked before the second look, and a version made meanwhile is taken.
    """
    current = rules_in_force(organisation=organisation)
    if current is not None:
        return current
    _lock(organisation)
    current = rules_in_force(organisation=organisation)
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return RagRuleSet.objects.create(
                organisation=organisation,
                subject=RagSubject.ACTION,
                version=1,
                rules=engine.DEFAULT_ACTION_RULES.to_json(),
                note=DEFAULT_NOTE,
                in_force_from=_today(today),
                created_by=acting_user(by),
            )
    except IntegrityError:
        made = rules_in_force(organisation=organisation)
        if made is None:
            raise
        return made


def _lock(organisation: Organisation) -> None:
    """Hold the organisation's row until the transaction ends: one change of rules at a time."""
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))


def _stale(current: RagRuleSet) -> ServiceError:
    return ServiceError(
        RULES_STALE.format(
            who=person(current.created_by),
            version=current.version,
            when=date_format(timezone.localtime(current.created_at), "j F Y H:i"),
        )
    )


def rules_field(field: str) -> str:
    """The form field of an engine's field name: ``slippage.amber`` is ``slippage_amber``."""
    return field.replace(".", "_")


@transaction.atomic
def rag_rules_update(
    *,
    organisation: Organisation,
    rules: dict[str, Any],
    note: str,
    by: Actor,
    replaces: int | None = None,
    today: dt.date | None = None,
    reassess: bool = True,
) -> RagRuleSet:
    """Make a new version of the organisation's rules and assess every action by it.

    ``replaces`` is the version the change was made from (the page's); when
    another version was made since, the change is refused. The assessment runs
    as a background job; ``reassess=False`` leaves it to the caller.
    """
    require_role(organisation=organisation, by=by, role=Role.ADMIN)
    note = note.strip()
    if not note:
        raise ServiceError(RULES_NOTE_REQUIRED, field="note")
    try:
        parsed = engine.rules_from_json(rules)
    except engine.RuleError as error:
        raise ServiceError(error.message, field=rules_field(error.field)) from None
    _lock(organisation)
    current = rules_in_force(organisation=organisation)
    current_version = current.version if current is not None else 0
    if replaces is not None and replaces != current_version and current is not None:
        raise _stale(current)
    before = (
        engine.rules_from_json(current.rules)
        if current is not None
        else engine.DEFAULT_ACTION_RULES
    )
    if current is not None and before == parsed:
        raise ServiceError(RULES_UNCHANGED)
    try:
        with transaction.atomic():
            made = RagRuleSet.objects.create(
                organisation=organisation,
                subject=RagSubject.ACTION,
                version=current_version + 1,
                rules=parsed.to_json(),
                note=note,
                in_force_from=_today(today),
                created_by=acting_user(by),
            )
    except IntegrityError:
        # Another version was made between the look and the write.
        newer = rules_in_force(organisation=organisation)
        if newer is None:
            raise
        raise _stale(newer) from None
    if reassess:
        job_create(
            organisation=organisation,
            kind=REFRESH_JOB,
            title=f"Assess every action's RAG by version {made.version} of the rules",
            result_url=reverse("programme:rag_rules", kwargs={"org_slug": organisation.slug}),
            by=by,
        )
    return made


# -- assessing actions ----------------------------------------------------------


def _facts(action: Action, milestones: Sequence[tuple[dt.date, str]]) -> engine.ActionFacts:
    return engine.ActionFacts(
        status=action.status,
        due_on=action.due_on,
        forecast_on=action.forecast_on,
        milestones=tuple(engine.MilestoneFacts(due, status) for due, status in milestones),
        budget=action.budget,
        spend=action.spend,
    )


def override_text(*, rag: str, reason: str, by: Actor, on: dt.date, ends_on: dt.date | None) -> str:
    """The reason shown for an overridden RAG: who, when, why and until when."""
    return (
        f"{Rag(rag).label} (overridden by {person(acting_user(by))} on {day(on)}): "
        f"{reason.rstrip('.')}; {_until(ends_on)}."
    )


def _until(ends_on: dt.date | None) -> str:
    return f"ends {day(ends_on)}" if ends_on else "ends at the next quarterly update"


def _override_ends(action: Action, computed: str, today: dt.date) -> str:
    """Why the action's override ends at this assessment, or "" when it runs on.

    An override ends after its end date, and as soon as the action is complete
    or cancelled (then the status, not a RAG, is what the action shows).
    """
    if not action.override_rag:
        return ""
    if action.override_ends_on and action.override_ends_on < today:
        return f"The override ended on {day(action.override_ends_on)}"
    if computed in (engine.BLUE, engine.NONE):
        return f"The override ended: the action is {action.get_status_display().lower()}"
    return ""


def _clear_override(action: Action) -> None:
    action.override_rag = ""
    action.override_reason = ""
    action.override_ends_on = None
    action.override_until_update = False
    action.override_set_on = None


def _record(
    action: Action,
    *,
    kind: str,
    previous: str,
    rag: str,
    reason: str,
    source: str,
    rules: RagRuleSet | None,
    by: Actor,
    on: dt.date,
) -> RagRecord:
    return RagRecord(
        organisation_id=action.organisation_id,
        action=action,
        kind=kind,
        on=on,
        previous=previous,
        rag=rag,
        reason=reason,
        source=source,
        rules=rules,
        recorded_by=acting_user(by),
    )


def _assess(
    action: Action,
    milestones: Sequence[tuple[dt.date, str]],
    *,
    rules: RagRuleSet,
    parsed: engine.RuleSet,
    by: Actor,
    today: dt.date,
) -> tuple[bool, list[RagRecord]]:
    """Assess one action in place: whether any of its RAG fields changed, and the records."""
    before = tuple(getattr(action, name) for name in COMPARED)
    records: list[RagRecord] = []
    facts = _facts(action, milestones)
    current = engine.assess_action(parsed, facts, today)
    forecast = engine.forecast_action(parsed, facts, today)
    previous = action.rag
    action.computed_rag, action.computed_reason = current.rag, current.reason
    ended = _override_ends(action, current.rag, today)
    if ended:
        _clear_override(action)
        records.append(
            _record(
                action,
                kind=RagKind.CURRENT,
                previous=previous,
                rag=current.rag,
                reason=f"{ended}; {current.reason}",
                source=RagSource.OVERRIDE,
                rules=rules,
                by=by,
                on=today,
            )
        )
        overridden = False
        changed_override = True
    else:
        overridden = bool(action.override_rag)
        changed_override = False
    if not overridden:
        action.rag, action.rag_reason = current.rag, current.reason
        if action.rag != previous and not records:
            records.append(
                _record(
                    action,
                    kind=RagKind.CURRENT,
                    previous=previous,
                    rag=action.rag,
                    reason=current.reason,
                    source=RagSource.COMPUTED,
                    rules=rules,
                    by=by,
                    on=today,
                )
            )
    if forecast.rag != action.forecast_rag:
        records.append(
            _record(
                action,
                kind=RagKind.FORECAST,
                previous=action.forecast_rag,
                rag=forecast.rag,
                reason=forecast.reason,
                source=RagSource.COMPUTED,
                rules=rules,
                by=by,
                on=today,
            )
        )
    action.forecast_rag, action.forecast_reason = forecast.rag, forecast.reason
    action.rag_rules = rules
    action.rag_assessed_on = today
    after = tuple(getattr(action, name) for name in COMPARED)
    return before != after or changed_override, records


def _write(actions: Sequence[Action]) -> None:
    """Write the assessed fields of ``actions``: one UPDATE for each set of equal values.

    Many actions share their RAG and reason ("Amber: on hold."), so grouping
    writes far fewer rows' worth of SQL than ``bulk_update``, whose CASE per
    field and row costs seconds for thousands of actions.
    """
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for action in actions:
        groups[tuple(getattr(action, name) for name in WRITTEN)].append(action.pk)
    for values, ids in groups.items():
        for start in range(0, len(ids), BATCH):
            Action.objects.filter(pk__in=ids[start : start + BATCH]).update(
                **dict(zip(WRITTEN, values, strict=True))
            )


def _refresh(
    organisation: Organisation,
    actions: Sequence[Action],
    milestones: dict[int, list[tuple[dt.date, str]]],
    *,
    by: Actor,
    today: dt.date,
    everything: bool = False,
) -> int:
    rules = rag_rules_ensure(organisation=organisation, by=by, today=today)
    parsed = engine.rules_from_json(rules.rules)
    changed: list[Action] = []
    records: list[RagRecord] = []
    stale = False
    for action in actions:
        stale = stale or action.rag_rules_id != rules.pk or action.rag_assessed_on != today
        differs, made = _assess(
            action, milestones.get(action.pk, ()), rules=rules, parsed=parsed, by=by, today=today
        )
        if differs:
            changed.append(action)
        records.extend(made)
    if stale:
        assessed = Action.objects.filter(organisation=organisation)
        if not everything:
            assessed = assessed.filter(pk__in=[action.pk for action in actions])
        assessed.update(rag_rules=rules, rag_assessed_on=today)
    _write(changed)
    RagRecord.objects.bulk_create(records, batch_size=BATCH)
    return len(changed)


def _milestones(rows: Iterable[tuple[int, dt.date, str]]) -> dict[int, list[tuple[dt.date, str]]]:
    found: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for action_id, due_on, status in rows:
        found[action_id].append((due_on, status))
    return found


@transaction.atomic
def actions_rag_refresh(
    *, actions: Iterable[Action], by: Actor, today: dt.date | None = None
) -> int:
    """Assess these actions' RAG now and at the year's end; the number whose RAG changed.

    The actions given are assessed and updated in place (they are the
    caller's, fresh from its save), with one query for their milestones.
    """
    today = _today(today)
    by_organisation: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_organisation[action.organisation_id].append(action)
    changed = 0
    for organisation_actions in by_organisation.values():
        organisation = organisation_actions[0].organisation
        ids = [action.pk for action in organisation_actions]
        milestones = _milestones(
            Milestone.objects.filter(action_id__in=ids)
            .order_by()
            .values_list("action_id", "due_on", "status")
        )
        changed += _refresh(organisation, organisation_actions, milestones, by=by, today=today)
    return changed


def action_rag_refresh(*, action: Action, by: Actor, today: dt.date | None = None) -> Action:
    """Assess one action's RAG (after a change of it, its milestones or the day)."""
    actions_rag_refresh(actions=[action], by=by, today=today)
    return action


@transaction.atomic
def organisation_rag_refresh(
    *, organisation: Organisation, by: Actor, today: dt.date | None = None
) -> int:
    """Assess every action of the organisation: one query for the actions, one for milestones."""
    today = _today(today)
    actions = list(Action.objects.filter(organisation=organisation).order_by("pk"))
    milestones = _milestones(
        Milestone.objects.filter(action__organisation=organisation)
        .order_by()
        .values_list("action_id", "due_on", "status")
    )
    return _refresh(organisation, actions, milestones, by=by, today=today, everything=True)


def rag_refresh_everywhere(*, by: Actor, today: dt.date | None = None) -> dict[str, int]:
    """Assess the actions of every organisation that has any: the daily re-assessment."""
    done: dict[str, int] = {}
    with_actions = Organisation.objects.filter(programme_actions__isnull=False).distinct()
    for organisation in with_actions.order_by("slug"):
        done[organisation.slug] = organisation_rag_refresh(
            organisation=organisation, by=by, today=today
        )
    return done


def actions_changed(*, actions: Sequence[Action], by: Actor) -> None:
    """The plan's actions-changed hook: assess their RAG again."""
    actions_rag_refresh(actions=actions, by=by)


@register_job(REFRESH_JOB)
def _refresh_job(progress: Progress) -> None:
    progress.stage("Assessing the RAG of every action")
    with transaction.atomic():
        changed = organisation_rag_refresh(
            organisation=progress.organisation, by=progress.job.created_by
        )
    progress.job.summary = f"{changed:,} actions' RAG assessed again."


@transaction.atomic
def rag_history_restart(*, programme: Programme, by: Actor, since: dt.date) -> None:
    """Forget the RAG of a programme's actions and its history, to assess it again from ``since``.

    For a demonstration loaded with a year of history, whose actions were
    assessed as they were made: the year is then assessed step by step and
    each change recorded on its day. The first version of the rules, when no
    other has been made, is dated ``since``.
    """
    RagRecord.objects.filter(action__programme=programme).delete()
    Action.objects.filter(programme=programme).update(
        **{name: "" for name in ASSESSED_FIELDS if name.endswith(("rag", "reason"))},
        rag_rules=None,
        rag_assessed_on=None,
        override_ends_on=None,
        override_until_update=False,
        override_set_on=None,
    )
    versions = RagRuleSet.objects.filter(
        organisation_id=programme.organisation_id, subject=RagSubject.ACTION
    )
    if versions.count() == 1:
        versions.filter(version=1).update(in_force_from=since)


# -- overrides ------------------------------------------------------------------


@transaction.atomic
def action_override_set(
    *,
    action: Action,
    rag: str,
    reason: str,
    by: Actor,
    ends_on: dt.date | None = None,
    until_update: bool = False,
    today: dt.date | None = None,
) -> Action:
    """Show ``rag`` for the action, for ``reason``, until ``ends_on`` or the next update.

    Setting an override on an overridden action renews it.
    """
    today = _today(today)
    if action.status in NOT_OVERRIDABLE:
        raise ServiceError(OVERRIDE_NOT_OPEN, field="rag")
    if rag not in OVERRIDE_RAGS:
        raise ServiceError(OVERRIDE_RAG_REQUIRED, field="rag")
    reason = reason.strip()
    if not reason:
        raise ServiceError(OVERRIDE_REASON_REQUIRED, field="reason")
    if until_update:
        ends_on = None
    elif ends_on is None:
        raise ServiceError(OVERRIDE_END_REQUIRED, field="ends")
    elif ends_on <= today:
        raise ServiceError(OVERRIDE_END_NOT_AFTER_TODAY, field="ends_on")
    if action.rag_rules_id is None or action.rag_assessed_on != today:
        actions_rag_refresh(actions=[action], by=by, today=today)
    renewed = bool(action.override_rag)
    previous = action.rag
    action.override_rag = rag
    action.override_reason = reason
    action.override_ends_on = ends_on
    action.override_until_update = until_update
    action.override_set_on = today
    action.rag = rag
    action.rag_reason = override_text(rag=rag, reason=reason, by=by, on=today, ends_on=ends_on)
    attribute(action, by)
    action.save()
    _record(
        action,
        kind=RagKind.CURRENT,
        previous=previous,
        rag=rag,
        reason=(
            f"{'Override renewed' if renewed else 'Overridden'} by {person(acting_user(by))}: "
            f"{reason.rstrip('.')}; {_until(ends_on)}."
        ),
        source=RagSource.OVERRIDE,
        rules=action.rag_rules,
        by=by,
        on=today,
    ).save()
    return action


def _end(action: Action, *, why: str, by: Actor, today: dt.date) -> RagRecord:
    previous = action.rag
    _clear_override(action)
    action.rag, action.rag_reason = action.computed_rag, action.computed_reason
    return _record(
        action,
        kind=RagKind.CURRENT,
        previous=previous,
        rag=action.rag,
        reason=f"{why}; {action.computed_reason}",
        source=RagSource.OVERRIDE,
        rules=action.rag_rules,
        by=by,
        on=today,
    )


@transaction.atomic
def action_override_clear(*, action: Action, by: Actor, today: dt.date | None = None) -> Action:
    """End the override now: the RAG the rules give returns."""
    today = _today(today)
    if not action.override_rag:
        raise ServiceError(NO_OVERRIDE)
    record = _end(action, why=f"Override cleared by {person(acting_user(by))}", by=by, today=today)
    attribute(action, by)
    action.save()
    record.save()
    return action


@transaction.atomic
def update_overrides_end(*, update: QuarterlyUpdate, by: Actor) -> int:
    """End the overrides "until the next quarterly update" set before ``update`` opened.

    An override set during the round being closed stands until the next one.
    The actions whose override ended are assessed again on the close date, so
    the RAG that returns is the rules' on that day.
    """
    today = update.closed_on or timezone.localdate()
    actions = list(
        Action.objects.filter(
            programme_id=update.programme_id,
            override_until_update=True,
            override_set_on__lt=update.opened_on,
        )
        .exclude(override_rag="")
        .select_related("organisation")
    )
    records = [
        _end(action, why="The override ended with the quarterly update", by=by, today=today)
        for action in actions
    ]
    _write(actions)
    RagRecord.objects.bulk_create(records, batch_size=BATCH)
    if actions:
        actions_rag_refresh(actions=actions, by=by, today=today)
    return len(actions)


__all__ = [
    "DEFAULT_NOTE",
    "NO_OVERRIDE",
    "OVERRIDE_END_NOT_AFTER_TODAY",
    "OVERRIDE_END_REQUIRED",
    "OVERRIDE_NOT_OPEN",
    "OVERRIDE_RAGS",
    "OVERRIDE_RAG_REQUIRED",
    "OVERRIDE_REASON_REQUIRED",
    "REFRESH_JOB",
    "RULES_NOTE_REQUIRED",
    "RULES_STALE",
    "RULES_UNCHANGED",
    "action_override_clear",
    "action_override_set",
    "action_rag_refresh",
    "actions_changed",
    "actions_rag_refresh",
    "organisation_rag_refresh",
    "rag_history_restart",
    "rag_refresh_everywhere",
    "rag_rules_ensure",
    "rag_rules_update",
    "update_overrides_end",
]
