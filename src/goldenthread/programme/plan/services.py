"""Every write to a programme's plan: programmes, phases, workstreams, actions, milestones, savings.

Each service is one transaction, names its acting user in the history, and
refuses with a :class:`ServiceError` whose message is a module constant. A
service that changes an action, its milestones or its savings calls
:func:`hooks.action_changed`, so the RAG and anything else that follows an
action is assessed again in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Model, ProtectedError

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, attribute, create_attributed
from goldenthread.analysis.quarters import FinancialQuarter, financial_year_label
from goldenthread.kit.links import forget_links
from goldenthread.kit.pickers import PICKERS
from goldenthread.programme.models import (
    Action,
    ActionSaving,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Phase,
    PhaseStatus,
    Programme,
    ProgrammeStatus,
    Workstream,
)

from . import hooks

M = TypeVar("M", bound=Model)

ENTER_NAME = "Enter a name"
ENTER_TITLE = "Enter a title"
PROGRAMME_NAME_TAKEN = "{organisation} already has a programme called {name}"
PHASE_NAME_TAKEN = "{programme} already has a phase called {name}"
WORKSTREAM_NAME_TAKEN = "{programme} already has a workstream called {name}"
REFERENCE_TAKEN = "Another action in {organisation} already has the reference {reference}"
ENDS_BEFORE_START = "The end date must be on or after the start date"
DUE_BEFORE_START = "The due date must be on or after the start date"
IMPLEMENT_BEFORE_DESIGN = (
    "Implement from must be the same quarter as design by ({design_by}) or later"
)
PERCENT_RANGE = "Per cent complete must be a whole number from 0 to 100"
NEGATIVE_MONEY = "{label} must be £0 or more"
NO_SUCH_POST = (
    "There is no post {value!r} in the current as-is structure: enter the ID of one of its posts"
)
NOT_THIS_PROGRAMME = "Choose a {what} of {programme}"
ELSEWHERE = "The programme must belong to the same organisation"
STATUS_UNKNOWN = "Choose a status"
PROGRAMME_HAS_ACTIONS = (
    "{programme} has {count} action{s}: delete them, or close the programme instead"
)
PROGRAMME_IN_USE = "{programme} is still used by benefits or risks: remove those links first"
PHASE_HAS_ACTIONS = (
    "{count} action{s} {are} in the phase {name}: move {them} to another phase first ({actions})"
)
WORKSTREAM_HAS_ACTIONS = (
    "{count} action{s} {are} in the workstream {name}: move {them} to another workstream first "
    "({actions})"
)
ACTION_LINKED = "{reference} cannot be deleted while these link to it: {links}"
MILESTONE_DUE = "Enter the milestone's due date"
SAVING_YEAR_TWICE = "The year {year} is given twice"

#: How many of a list of records a refusal names before "and N more".
NAMED_IN_REFUSAL = 10

#: The four phases of a transformation programme (seed 001), offered when one is created.
DEFAULT_PHASES: tuple[tuple[str, str], ...] = (
    ("Mobilisation", "The programme structure and all its personnel are put in place."),
    ("Exploration", "Work starts on product development, drawing on evidence and best practice."),
    (
        "Learning and scaling",
        "The outcomes of exploration are reviewed to ensure they are fit for purpose.",
    ),
    (
        "Delivery",
        "Services are systematically reviewed to operate in line with the target operating model.",
    ),
)
#: The structures' picker of the posts of the current as-is structure.
POST_PICKER = "posts"


def plural(count: int) -> dict[str, str]:
    return {
        "count": f"{count:,}",
        "s": "" if count == 1 else "s",
        "are": "is" if count == 1 else "are",
        "them": "it" if count == 1 else "them",
    }


def named(titles: Sequence[str]) -> str:
    shown = ", ".join(titles[:NAMED_IN_REFUSAL])
    more = len(titles) - NAMED_IN_REFUSAL
    return f"{shown} and {more:,} more" if more > 0 else shown


def _saved(record: M, check: Callable[[M], None], by: Actor) -> M:
    """Check ``record``, then save it with its history naming ``by``."""
    check(record)
    attribute(record, by)
    record.save()
    return record


def _deleted(record: Model, by: Actor) -> None:
    attribute(record, by)
    record.delete()


def _name_taken(model: type[Model], record: Any, message: str) -> None:
    """Refuse ``record``'s name when another of its programme's records has it."""
    if not record.name:
        raise ServiceError(ENTER_NAME, field="name")
    taken = model._default_manager.filter(
        programme_id=record.programme_id, name__iexact=record.name
    )
    if taken.exclude(pk=record.pk).exists():
        raise ServiceError(
            message.format(programme=record.programme, name=record.name), field="name"
        )


def _refuse_while_in_use(record: Phase | Workstream, message: str) -> None:
    """Refuse, naming them, while actions are in the phase or workstream."""
    actions = [str(action) for action in record.actions.order_by("reference")]
    if actions:
        raise ServiceError(
            message.format(name=record.name, actions=named(actions), **plural(len(actions)))
        )


def _dates(start_on: dt.date | None, end_on: dt.date | None, field: str = "end_on") -> None:
    if start_on and end_on and end_on < start_on:
        raise ServiceError(ENDS_BEFORE_START, field=field)


# ---- programmes ---------------------------------------------------------------------


def _check_programme(programme: Programme) -> None:
    if not programme.name:
        raise ServiceError(ENTER_NAME, field="name")
    if programme.status not in ProgrammeStatus.values:
        raise ServiceError(STATUS_UNKNOWN, field="status")
    _dates(programme.start_on, programme.end_on)
    taken = Programme.objects.filter(
        organisation_id=programme.organisation_id, name__iexact=programme.name
    ).exclude(pk=programme.pk)
    if taken.exists():
        raise ServiceError(
            PROGRAMME_NAME_TAKEN.format(organisation=programme.organisation, name=programme.name),
            field="name",
        )


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    name: str,
    description: str = "",
    sponsor: str = "",
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    status: str = ProgrammeStatus.ACTIVE,
    phases: Sequence[tuple[str, str]] = (),
    by: Actor,
) -> Programme:
    """A new programme with ``phases`` (name, description) in order: see DEFAULT_PHASES."""
    programme = Programme(
        organisation=organisation,
        name=name.strip(),
        description=description.strip(),
        sponsor=sponsor.strip(),
        start_on=start_on,
        end_on=end_on,
        status=status,
    )
    _saved(programme, _check_programme, by)
    for position, (phase_name, phase_description) in enumerate(phases):
        create_attributed(
            Phase,
            by=by,
            programme=programme,
            name=phase_name,
            description=phase_description,
            position=position,
        )
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    description: str = "",
    sponsor: str = "",
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    status: str = ProgrammeStatus.ACTIVE,
    by: Actor,
) -> Programme:
    programme.name = name.strip()
    programme.description = description.strip()
    programme.sponsor = sponsor.strip()
    programme.start_on = start_on
    programme.end_on = end_on
    programme.status = status
    return _saved(programme, _check_programme, by)


@transaction.atomic
def programme_delete(*, programme: Programme, by: Actor) -> None:
    """Delete a programme with its phases and workstreams; refused while it has actions."""
    count = programme.actions.count()
    if count:
        raise ServiceError(PROGRAMME_HAS_ACTIONS.format(programme=programme, **plural(count)))
    for record in [*programme.phases.all(), *programme.workstreams.all()]:
        _deleted(record, by)
    try:
        with transaction.atomic():
            _deleted(programme, by)
    except ProtectedError:
        raise ServiceError(PROGRAMME_IN_USE.format(programme=programme)) from None


# ---- phases and workstreams ---------------------------------------------------------


def _next_position(records: Any) -> int:
    return int(records.aggregate(last=Max("position"))["last"] or 0) + 1


def _check_phase(phase: Phase) -> None:
    _name_taken(Phase, phase, PHASE_NAME_TAKEN)
    if phase.status not in PhaseStatus.values:
        raise ServiceError(STATUS_UNKNOWN, field="status")
    _dates(phase.start_on, phase.end_on)


@transaction.atomic
def phase_create(
    *,
    programme: Programme,
    name: str,
    description: str = "",
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    gate_criteria: str = "",
    status: str = PhaseStatus.NOT_STARTED,
    position: int | None = None,
    by: Actor,
) -> Phase:
    phase = Phase(
        programme=programme,
        name=name.strip(),
        description=description.strip(),
        start_on=start_on,
        end_on=end_on,
        gate_criteria=gate_criteria.strip(),
        status=status,
        position=_next_position(programme.phases) if position is None else position,
    )
    return _saved(phase, _check_phase, by)


@transaction.atomic
def phase_update(
    *,
    phase: Phase,
    name: str,
    description: str = "",
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    gate_criteria: str = "",
    status: str = PhaseStatus.NOT_STARTED,
    position: int | None = None,
    by: Actor,
) -> Phase:
    phase.name = name.strip()
    phase.description = description.strip()
    phase.start_on = start_on
    phase.end_on = end_on
    phase.gate_criteria = gate_criteria.strip()
    phase.status = status
    if position is not None:
        phase.position = position
    return _saved(phase, _check_phase, by)


def check_phase_deletable(phase: Phase) -> None:
    """Refuse, naming them, while actions are in the phase."""
    _refuse_while_in_use(phase, PHASE_HAS_ACTIONS)


@transaction.atomic
def phase_delete(*, phase: Phase, by: Actor) -> None:
    """Delete a phase; refused, naming them, while actions are in it."""
    check_phase_deletable(phase)
    _deleted(phase, by)


def _check_workstream(workstream: Workstream) -> None:
    _name_taken(Workstream, workstream, WORKSTREAM_NAME_TAKEN)


@transaction.atomic
def workstream_create(
    *,
    programme: Programme,
    name: str,
    lead: str = "",
    scope: str = "",
    position: int | None = None,
    by: Actor,
) -> Workstream:
    workstream = Workstream(
        programme=programme,
        name=name.strip(),
        lead=lead.strip(),
        scope=scope.strip(),
        position=_next_position(programme.workstreams) if position is None else position,
    )
    return _saved(workstream, _check_workstream, by)


@transaction.atomic
def workstream_update(
    *,
    workstream: Workstream,
    name: str,
    lead: str = "",
    scope: str = "",
    position: int | None = None,
    by: Actor,
) -> Workstream:
    workstream.name = name.strip()
    workstream.lead = lead.strip()
    workstream.scope = scope.strip()
    if position is not None:
        workstream.position = position
    return _saved(workstream, _check_workstream, by)


def check_workstream_deletable(workstream: Workstream) -> None:
    """Refuse, naming them, while actions are in the workstream."""
    _refuse_while_in_use(workstream, WORKSTREAM_HAS_ACTIONS)


@transaction.atomic
def workstream_delete(*, workstream: Workstream, by: Actor) -> None:
    """Delete a workstream; refused, naming them, while actions are in it."""
    check_workstream_deletable(workstream)
    _deleted(workstream, by)


# ---- actions ------------------------------------------------------------------------

#: The fields of an action a form or an import sets, with their defaults.
ACTION_FIELDS: dict[str, Any] = {
    "description": "",
    "target_area": "",
    "owner": "",
    "owner_post": "",
    "workstream": None,
    "phase": None,
    "design_by": None,
    "implement_from": None,
    "start_on": None,
    "due_on": None,
    "forecast_on": None,
    "completed_on": None,
    "status": ActionStatus.NOT_STARTED,
    "percent_complete": 0,
    "success_criteria": "",
    "budget": None,
    "spend": None,
    "source": "",
    "notes": "",
}
_TEXT_FIELDS = {name for name, default in ACTION_FIELDS.items() if default == ""}


def post_id(organisation: Organisation, value: str, field: str = "owner_post") -> str:
    """The ID of the post ``value`` names in the current as-is structure, spelt as it is there.

    Before the organisation has an as-is structure the ID is taken as given,
    as nothing can be checked; once it has one, an ID not in it is refused.
    """
    value = value.strip()
    if not value:
        return ""
    found = PICKERS.get(POST_PICKER).find(organisation, "", value)
    if found is None:
        raise ServiceError(NO_SUCH_POST.format(value=value), field=field)
    return str(found.value)


def _check_action(action: Action) -> None:
    if not action.title:
        raise ServiceError(ENTER_TITLE, field="title")
    programme = action.programme
    if programme.organisation_id != action.organisation_id:
        raise ServiceError(ELSEWHERE, field="programme")
    if action.workstream is not None and action.workstream.programme_id != programme.pk:
        raise ServiceError(
            NOT_THIS_PROGRAMME.format(what="workstream", programme=programme), field="workstream"
        )
    if action.phase is not None and action.phase.programme_id != programme.pk:
        raise ServiceError(
            NOT_THIS_PROGRAMME.format(what="phase", programme=programme), field="phase"
        )
    if action.status not in ActionStatus.values:
        raise ServiceError(STATUS_UNKNOWN, field="status")
    if (
        action.design_by is not None
        and action.implement_from is not None
        and action.implement_from < action.design_by
    ):
        raise ServiceError(
            IMPLEMENT_BEFORE_DESIGN.format(
                design_by=FinancialQuarter.from_code(action.design_by).label
            ),
            field="implement_from",
        )
    if not 0 <= int(action.percent_complete) <= 100:
        raise ServiceError(PERCENT_RANGE, field="percent_complete")
    if action.start_on and action.due_on and action.due_on < action.start_on:
        raise ServiceError(DUE_BEFORE_START, field="due_on")
    for name, label in (("budget", "The budget"), ("spend", "The spend to date")):
        value = getattr(action, name)
        if value is not None and value < 0:
            raise ServiceError(NEGATIVE_MONEY.format(label=label), field=name)
    taken = Action.objects.filter(
        organisation_id=action.organisation_id, reference__iexact=action.reference
    ).exclude(pk=action.pk)
    if taken.exists():
        raise ServiceError(
            REFERENCE_TAKEN.format(organisation=programme.organisation, reference=action.reference),
            field="reference",
        )


def next_reference(organisation: Organisation) -> str:
    """The next free reference of the form A-001."""
    taken = set(
        Action.objects.filter(organisation=organisation, reference__istartswith="A-").values_list(
            "reference", flat=True
        )
    )
    number = len(taken) + 1
    while f"A-{number:03d}" in taken:
        number += 1
    return f"A-{number:03d}"


def _set_fields(action: Action, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown action fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
        elif name == "percent_complete":
            value = int(value or 0)
        setattr(action, name, value)
    action.owner_post = post_id(action.organisation, action.owner_post)
    if action.status == ActionStatus.COMPLETE and action.completed_on is None:
        action.completed_on = action.forecast_on or action.due_on
    if action.status != ActionStatus.COMPLETE:
        action.completed_on = None


@transaction.atomic
def action_create(
    *,
    programme: Programme,
    title: str,
    reference: str = "",
    by: Actor,
    **fields: Any,
) -> Action:
    """A new action of ``programme``; a blank reference takes the next free one (A-001)."""
    organisation = programme.organisation
    action = Action(
        organisation=organisation,
        programme=programme,
        reference=reference.strip() or next_reference(organisation),
        title=title.strip(),
        position=_next_position(programme.actions),
    )
    _set_fields(action, {**ACTION_FIELDS, **fields})
    _saved(action, _check_action, by)
    hooks.action_changed(action=action, by=by)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    title: str,
    reference: str = "",
    programme: Programme | None = None,
    by: Actor,
    **fields: Any,
) -> Action:
    """Change an action; a field not given keeps its value."""
    if programme is not None:
        action.programme = programme
    action.reference = reference.strip() or action.reference
    action.title = title.strip()
    _set_fields(action, fields)
    _saved(action, _check_action, by)
    hooks.action_changed(action=action, by=by)
    return action


def action_links(action: Action) -> list[str]:
    """The benefits and risks that link to ``action``, as "reference: title"."""
    benefits = [f"benefit {b.reference}: {b.title}" for b in action.benefits.order_by("reference")]
    risks = [f"risk {r.reference}: {r.title}" for r in action.risks.order_by("reference")]
    return benefits + risks


@transaction.atomic
def action_delete(*, action: Action, by: Actor) -> None:
    """Delete an action, its milestones and savings; refused while benefits or risks link to it."""
    linked = action_links(action)
    if linked:
        raise ServiceError(ACTION_LINKED.format(reference=action.reference, links=named(linked)))
    forget_links(action)
    for record in [*action.milestones.all(), *action.savings.all(), action]:
        _deleted(record, by)


DUE_IN_CLOSED_QUARTER = (
    "{reference} is due on {due}, in {quarter}, a quarter already over: "
    "check the due date, or record a forecast"
)


def closed_quarter_warning(
    *, reference: str, due_on: dt.date | None, status: str, today: dt.date
) -> str:
    """The warning for an unfinished action due in a quarter already over, or "".

    It is allowed (a plan is often recorded late), but worth a second look.
    """
    finished = status in (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
    if due_on is None or finished or due_on >= FinancialQuarter.of(today).start:
        return ""
    return DUE_IN_CLOSED_QUARTER.format(
        reference=reference,
        due=f"{due_on.day} {due_on:%B %Y}",
        quarter=FinancialQuarter.of(due_on).label,
    )


def action_warnings(action: Action, today: dt.date) -> list[str]:
    """What is allowed but worth a second look, shown on the action's page after a save."""
    warning = closed_quarter_warning(
        reference=action.reference, due_on=action.due_on, status=action.status, today=today
    )
    return [warning] if warning else []


# ---- milestones ---------------------------------------------------------------------


def _check_milestone(milestone: Milestone) -> None:
    if not milestone.title:
        raise ServiceError(ENTER_TITLE, field="title")
    if milestone.due_on is None:
        raise ServiceError(MILESTONE_DUE, field="due_on")
    if milestone.status not in MilestoneStatus.values:
        raise ServiceError(STATUS_UNKNOWN, field="status")


@transaction.atomic
def milestone_create(
    *,
    action: Action,
    title: str,
    due_on: dt.date,
    status: str = MilestoneStatus.PLANNED,
    completed_on: dt.date | None = None,
    by: Actor,
) -> Milestone:
    milestone = Milestone(
        action=action,
        title=title.strip(),
        due_on=due_on,
        status=status,
        completed_on=completed_on if status == MilestoneStatus.COMPLETE else None,
        position=_next_position(action.milestones),
    )
    _saved(milestone, _check_milestone, by)
    hooks.action_changed(action=action, by=by)
    return milestone


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    title: str,
    due_on: dt.date,
    status: str = MilestoneStatus.PLANNED,
    completed_on: dt.date | None = None,
    by: Actor,
) -> Milestone:
    milestone.title = title.strip()
    milestone.due_on = due_on
    milestone.status = status
    milestone.completed_on = completed_on if status == MilestoneStatus.COMPLETE else None
    _saved(milestone, _check_milestone, by)
    hooks.action_changed(action=milestone.action, by=by)
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, on: dt.date, by: Actor) -> Milestone:
    """Mark a milestone complete on the day ``on``."""
    milestone.status = MilestoneStatus.COMPLETE
    milestone.completed_on = on
    _saved(milestone, _check_milestone, by)
    hooks.action_changed(action=milestone.action, by=by)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: Actor) -> None:
    action = milestone.action
    _deleted(milestone, by)
    hooks.action_changed(action=action, by=by)


# ---- savings ------------------------------------------------------------------------


@transaction.atomic
def action_savings_set(
    *, action: Action, savings: Mapping[int, Decimal | None], by: Actor
) -> list[ActionSaving]:
    """Set the action's savings contribution by financial year.

    ``savings`` maps a financial year (the year it starts, 2025 for 2025/26)
    to its amount in pounds; ``None`` removes that year. Years not named keep
    their amount. Nothing is written when nothing changes.
    """
    current = {saving.year: saving for saving in action.savings.all()}
    changed = False
    for year, amount in savings.items():
        saving = current.get(year)
        if amount is not None and amount < 0:
            label = f"The saving in {financial_year_label(year)}"
            raise ServiceError(NEGATIVE_MONEY.format(label=label), field=f"amount_{year}")
        if amount is None:
            if saving is not None:
                _deleted(saving, by)
                del current[year]
                changed = True
        elif saving is None:
            current[year] = create_attributed(
                ActionSaving, by=by, action=action, year=year, amount=amount
            )
            changed = True
        elif saving.amount != amount:
            saving.amount = amount
            attribute(saving, by)
            saving.save()
            changed = True
    if changed:
        hooks.action_changed(action=action, by=by)
    return [current[year] for year in sorted(current)]
