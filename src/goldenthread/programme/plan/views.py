"""The pages of a programme's plan: programmes, phases, workstreams, actions, milestones, savings.

Viewers read; editors change. Every write goes through :mod:`.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.analysis.quarters import financial_year_label
from goldenthread.kit.columns import Columns
from goldenthread.kit.exports import export_response
from goldenthread.kit.links import item_link_panels, record_links_lost
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.panels import page_panels
from goldenthread.kit.tables import table_page
from goldenthread.kit.views_import import import_upload_page
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Phase,
    PhaseStatus,
    Programme,
    ProgrammeStatus,
    Workstream,
)

from . import selectors, services, tables
from .columns import ACTION_COLUMNS, MILESTONE_COLUMNS, SAVING_COLUMNS
from .fields import quarter_label
from .forms import (
    ActionForm,
    MilestoneForm,
    PhaseForm,
    ProgrammeCreateForm,
    ProgrammeForm,
    SavingsForm,
    WorkstreamForm,
    action_initial,
)
from .importing import ACTIONS_IMPORTER, MILESTONES_IMPORTER, SAVINGS_IMPORTER

ADDED = "{name} has been added."
SAVED = "{name} has been saved."
DELETED = "{name} has been deleted."
SAVINGS_SAVED = "The savings of {reference} have been saved."
MILESTONE_COMPLETED = "{title} has been marked complete."
HISTORY_STAYS = "Its history stays in the audit trail."


def today() -> dt.date:
    return timezone.localdate()


# ---- lookups and crumbs ---------------------------------------------------------------


def _programme_or_404(request: OrgRequest, programme_id: int) -> Programme:
    programme: Programme = get_or_404(
        selectors.programme_get, request, "programme", pk=programme_id
    )
    return programme


def _action_or_404(request: OrgRequest, action_id: int) -> Action:
    action: Action = get_or_404(selectors.action_get, request, "action", pk=action_id)
    return action


def _phase_or_404(request: OrgRequest, phase_id: int) -> Phase:
    phase: Phase = get_or_404(selectors.phase_get, request, "phase", pk=phase_id)
    return phase


def _workstream_or_404(request: OrgRequest, workstream_id: int) -> Workstream:
    workstream: Workstream = get_or_404(
        selectors.workstream_get, request, "workstream", pk=workstream_id
    )
    return workstream


def _milestone_or_404(request: OrgRequest, milestone_id: int) -> Milestone:
    milestone: Milestone = get_or_404(
        selectors.milestone_get, request, "milestone", pk=milestone_id
    )
    return milestone


def _programmes_crumb(request: OrgRequest) -> tuple[str, str]:
    return ("Programmes", org_url(request, "programme:programme_list"))


def _programme_crumbs(request: OrgRequest, programme: Programme) -> list[tuple[str, str]]:
    return [
        _programmes_crumb(request),
        (programme.name, org_url(request, "programme:programme_detail", programme_id=programme.pk)),
    ]


def _action_crumbs(request: OrgRequest, action: Action) -> list[tuple[str, str]]:
    return [
        ("Actions", org_url(request, "programme:action_list")),
        (action.reference, org_url(request, "programme:action_detail", action_id=action.pk)),
    ]


# ---- programmes -----------------------------------------------------------------------


@org_view()
def programme_list(request: OrgRequest) -> HttpResponse:
    programmes = selectors.programme_register(organisation=request.organisation)
    table = tables.PROGRAMMES.bind(request, programmes)
    return table_page(request, table, "programme/plan/programme_list.html", what="programmes")


@org_view(Role.EDITOR)
def programme_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation

    def save(data: dict[str, Any]) -> Programme:
        phases = services.DEFAULT_PHASES if data.pop("default_phases") else ()
        return services.programme_create(
            organisation=organisation, phases=phases, by=request.user, **data
        )

    return form_page(
        request,
        ProgrammeCreateForm(
            bound(request), initial={"status": ProgrammeStatus.ACTIVE, "default_phases": True}
        ),
        save,
        done=lambda programme: org_url(
            request, "programme:programme_detail", programme_id=programme.pk
        ),
        message=lambda programme: ADDED.format(name=programme.name),
        title="Add a programme",
        crumbs=[_programmes_crumb(request), ("Add a programme", "")],
        cancel_url=org_url(request, "programme:programme_list"),
    )


@org_view()
def programme_detail(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    actions_url = org_url(request, "programme:action_list") + f"?programme={programme.pk}"
    return render(
        request,
        "programme/plan/programme_detail.html",
        {
            "programme": programme,
            "phases": selectors.phase_list(programme=programme),
            "workstreams": selectors.workstream_list(programme=programme),
            "action_count": programme.actions.count(),
            "actions_url": actions_url,
            "panels": page_panels("programme-page", request, programme),
            "crumbs": [_programmes_crumb(request), (programme.name, "")],
        },
    )


@org_view(Role.EDITOR)
def programme_edit(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    detail = org_url(request, "programme:programme_detail", programme_id=programme.pk)
    form = ProgrammeForm(
        bound(request),
        initial={
            "name": programme.name,
            "description": programme.description,
            "sponsor": programme.sponsor,
            "start_on": programme.start_on,
            "end_on": programme.end_on,
            "status": programme.status,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.programme_update(programme=programme, by=request.user, **data),
        done=lambda _saved: detail,
        message=lambda saved: SAVED.format(name=saved.name),
        title=f"Change {programme.name}",
        crumbs=[*_programme_crumbs(request, programme), ("Change", "")],
        cancel_url=detail,
        record=programme,
    )


@org_view(Role.EDITOR)
def programme_delete(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    detail = org_url(request, "programme:programme_detail", programme_id=programme.pk)
    count = programme.actions.count()
    refused = (
        services.PROGRAMME_HAS_ACTIONS.format(programme=programme, **services.plural(count))
        if count
        else ""
    )
    return confirm_page(
        request,
        lambda: services.programme_delete(programme=programme, by=request.user),
        done=org_url(request, "programme:programme_list"),
        message=DELETED.format(name=programme.name),
        title=f"Are you sure you want to delete {programme.name}?",
        intro=HISTORY_STAYS,
        consequences=[
            f"Its {programme.phases.count():,} phase(s) and "
            f"{programme.workstreams.count():,} workstream(s) are deleted with it."
        ],
        crumbs=[*_programme_crumbs(request, programme), ("Delete", "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
        refused=refused,
    )


# ---- phases ---------------------------------------------------------------------------


def _part_form(
    request: OrgRequest,
    programme: Programme,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    anchor: str,
    crumb: str,
    record: Phase | Workstream | None = None,
) -> HttpResponse:
    """The page adding or changing one of a programme's phases or workstreams."""
    detail = org_url(request, "programme:programme_detail", programme_id=programme.pk)
    return form_page(
        request,
        form,
        save,
        done=lambda _saved: f"{detail}#{anchor}",
        message=lambda saved: (SAVED if record else ADDED).format(name=saved.name),
        title=title,
        caption=programme.name,
        crumbs=[*_programme_crumbs(request, programme), (crumb, "")],
        cancel_url=detail,
        record=record,
    )


def _part_delete(
    request: OrgRequest,
    record: Phase | Workstream,
    *,
    kind: str,
    check: Callable[[Any], None],
    delete: Callable[[], None],
) -> HttpResponse:
    """The page deleting a phase or workstream: refused, naming them, while it has actions."""
    programme = record.programme
    detail = org_url(request, "programme:programme_detail", programme_id=programme.pk)
    refused = ""
    try:
        check(record)
    except ServiceError as error:
        refused = error.message
    return confirm_page(
        request,
        delete,
        done=f"{detail}#{kind}s",
        message=DELETED.format(name=record.name),
        title=f"Are you sure you want to delete the {kind} {record.name}?",
        intro=HISTORY_STAYS,
        crumbs=[*_programme_crumbs(request, programme), (record.name, "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
        refused=refused,
    )


@org_view(Role.EDITOR)
def phase_create(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    return _part_form(
        request,
        programme,
        PhaseForm(bound(request), initial={"status": PhaseStatus.NOT_STARTED}),
        lambda data: services.phase_create(programme=programme, by=request.user, **data),
        title="Add a phase",
        anchor="phases",
        crumb="Add a phase",
    )


@org_view(Role.EDITOR)
def phase_edit(request: OrgRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    names = ("name", "description", "start_on", "end_on", "gate_criteria", "status", "position")
    return _part_form(
        request,
        phase.programme,
        PhaseForm(bound(request), initial={name: getattr(phase, name) for name in names}),
        lambda data: services.phase_update(phase=phase, by=request.user, **data),
        title=f"Change the phase {phase.name}",
        anchor="phases",
        crumb=phase.name,
        record=phase,
    )


@org_view(Role.EDITOR)
def phase_delete(request: OrgRequest, phase_id: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_id)
    return _part_delete(
        request,
        phase,
        kind="phase",
        check=services.check_phase_deletable,
        delete=lambda: services.phase_delete(phase=phase, by=request.user),
    )


@org_view(Role.EDITOR)
def workstream_create(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    return _part_form(
        request,
        programme,
        WorkstreamForm(bound(request)),
        lambda data: services.workstream_create(programme=programme, by=request.user, **data),
        title="Add a workstream",
        anchor="workstreams",
        crumb="Add a workstream",
    )


@org_view(Role.EDITOR)
def workstream_edit(request: OrgRequest, workstream_id: int) -> HttpResponse:
    workstream = _workstream_or_404(request, workstream_id)
    names = ("name", "lead", "scope")
    return _part_form(
        request,
        workstream.programme,
        WorkstreamForm(bound(request), initial={name: getattr(workstream, name) for name in names}),
        lambda data: services.workstream_update(workstream=workstream, by=request.user, **data),
        title=f"Change the workstream {workstream.name}",
        anchor="workstreams",
        crumb=workstream.name,
        record=workstream,
    )


@org_view(Role.EDITOR)
def workstream_delete(request: OrgRequest, workstream_id: int) -> HttpResponse:
    workstream = _workstream_or_404(request, workstream_id)
    return _part_delete(
        request,
        workstream,
        kind="workstream",
        check=services.check_workstream_deletable,
        delete=lambda: services.workstream_delete(workstream=workstream, by=request.user),
    )


# ---- actions --------------------------------------------------------------------------


@org_view()
def action_list(request: OrgRequest) -> HttpResponse:
    actions = selectors.action_list(organisation=request.organisation)
    table = tables.ACTIONS.bind(request, actions)
    return table_page(request, table, "programme/plan/action_list.html", what="actions")


@org_view()
def action_detail(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    milestones = list(selectors.action_milestones(action=action))
    savings = [
        (financial_year_label(s.year), s.amount) for s in selectors.action_savings(action=action)
    ]
    return render(
        request,
        "programme/plan/action_detail.html",
        {
            "action": action,
            "rag_tag": tables.rag_tag(action),
            "design_by": quarter_label(action.design_by),
            "implement_from": quarter_label(action.implement_from),
            "milestones": milestones,
            "savings": savings,
            "savings_total": sum((amount for _year, amount in savings), start=0),
            "warnings": services.action_warnings(action, today()),
            "today": today(),
            "link_panels": item_link_panels(request, action),
            "panels": page_panels("programme-action", request, action),
            "crumbs": [
                ("Actions", org_url(request, "programme:action_list")),
                (action.reference, ""),
            ],
        },
    )


def _action_save(request: OrgRequest, data: dict[str, Any], action: Action | None) -> Action:
    if action is None:
        return services.action_create(by=request.user, **data)
    return services.action_update(action=action, by=request.user, **data)


@org_view(Role.EDITOR)
def action_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    initial: dict[str, Any] = {"status": ActionStatus.NOT_STARTED, "percent_complete": 0}
    chosen = request.GET.get("programme", "")
    if chosen.isdigit():
        initial["programme"] = chosen
    else:
        first = selectors.programme_list(organisation=organisation).values_list("pk", flat=True)
        if len(ids := list(first[:2])) == 1:
            initial["programme"] = str(ids[0])
    return form_page(
        request,
        ActionForm(bound(request), organisation=organisation, initial=initial),
        lambda data: _action_save(request, data, None),
        done=lambda action: org_url(request, "programme:action_detail", action_id=action.pk),
        message=lambda action: ADDED.format(name=action.reference),
        title="Add an action",
        crumbs=[("Actions", org_url(request, "programme:action_list")), ("Add an action", "")],
        cancel_url=org_url(request, "programme:action_list"),
    )


@org_view(Role.EDITOR)
def action_edit(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    return form_page(
        request,
        ActionForm(
            bound(request), organisation=request.organisation, initial=action_initial(action)
        ),
        lambda data: _action_save(request, data, action),
        done=lambda _saved: detail,
        message=lambda saved: SAVED.format(name=saved.reference),
        title=f"Change {action.reference}",
        caption=action.title,
        crumbs=[*_action_crumbs(request, action), ("Change", "")],
        cancel_url=detail,
        record=action,
    )


@org_view(Role.EDITOR)
def action_delete(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    linked = services.action_links(action)
    refused = (
        services.ACTION_LINKED.format(reference=action.reference, links=services.named(linked))
        if linked
        else ""
    )
    return confirm_page(
        request,
        lambda: services.action_delete(action=action, by=request.user),
        done=org_url(request, "programme:action_list"),
        message=DELETED.format(name=action.reference),
        title=f"Are you sure you want to delete {action.reference}?",
        intro=HISTORY_STAYS,
        consequences=[
            *record_links_lost(request, action),
            f"Its {action.milestones.count():,} milestone(s) and savings are deleted with it.",
        ],
        crumbs=[*_action_crumbs(request, action), ("Delete", "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
        refused=refused,
    )


@org_view()
def action_export(request: OrgRequest, fmt: str) -> HttpResponse:
    """Every action in the layout of the import, so the file imports again unchanged."""
    actions = selectors.action_export_rows(organisation=request.organisation)
    return export_response(
        request, columns=ACTION_COLUMNS, records=actions, what="Actions", fmt=fmt
    )


IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. {key} "
    "already in goldenthread updates that {thing}, a new one adds one, and a column you leave "
    "out leaves that field as it is. The {things} download on the actions page has this layout."
)


def _import_page(
    request: OrgRequest, importer: str, columns: Columns, things: str, key: str
) -> HttpResponse:
    actions = org_url(request, "programme:action_list")
    return import_upload_page(
        request,
        importer=importer,
        columns=columns,
        title=f"Import {things} from a file",
        intro=IMPORT_INTRO.format(key=key, thing=columns.thing, things=things),
        crumbs=[("Actions", actions), (f"Import {things}", "")],
        cancel_url=actions,
    )


@org_view(Role.EDITOR)
def action_import(request: OrgRequest) -> HttpResponse:
    return _import_page(request, ACTIONS_IMPORTER, ACTION_COLUMNS, "actions", "A reference")


@org_view(Role.EDITOR)
def milestone_import(request: OrgRequest) -> HttpResponse:
    return _import_page(
        request,
        MILESTONES_IMPORTER,
        MILESTONE_COLUMNS,
        "milestones",
        "An action's reference and a milestone's title",
    )


@org_view(Role.EDITOR)
def saving_import(request: OrgRequest) -> HttpResponse:
    return _import_page(
        request, SAVINGS_IMPORTER, SAVING_COLUMNS, "savings", "An action's reference and a year"
    )


@org_view()
def saving_export(request: OrgRequest, fmt: str) -> HttpResponse:
    savings = selectors.saving_list(organisation=request.organisation).order_by(
        "action__reference", "year"
    )
    return export_response(
        request, columns=SAVING_COLUMNS, records=savings, what="Action savings", fmt=fmt
    )


@org_view()
def milestone_export(request: OrgRequest, fmt: str) -> HttpResponse:
    milestones = selectors.milestone_list(organisation=request.organisation).order_by(
        "action__reference", "due_on", "position", "pk"
    )
    return export_response(
        request, columns=MILESTONE_COLUMNS, records=milestones, what="Milestones", fmt=fmt
    )


# ---- milestones -----------------------------------------------------------------------


@org_view(Role.EDITOR)
def milestone_create(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    return form_page(
        request,
        MilestoneForm(bound(request), initial={"status": MilestoneStatus.PLANNED}),
        lambda data: services.milestone_create(action=action, by=request.user, **data),
        done=lambda _milestone: detail + "#milestones",
        message=lambda milestone: ADDED.format(name=milestone.title),
        title="Add a milestone",
        caption=str(action),
        crumbs=[*_action_crumbs(request, action), ("Add a milestone", "")],
        cancel_url=detail,
    )


@org_view(Role.EDITOR)
def milestone_edit(request: OrgRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone_or_404(request, milestone_id)
    action = milestone.action
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    initial = {
        "title": milestone.title,
        "due_on": milestone.due_on,
        "status": milestone.status,
        "completed_on": milestone.completed_on,
    }
    return form_page(
        request,
        MilestoneForm(bound(request), initial=initial),
        lambda data: services.milestone_update(milestone=milestone, by=request.user, **data),
        done=lambda _saved: detail + "#milestones",
        message=lambda saved: SAVED.format(name=saved.title),
        title="Change a milestone",
        caption=str(action),
        crumbs=[*_action_crumbs(request, action), (milestone.title, "")],
        cancel_url=detail,
        record=milestone,
    )


@org_view(Role.EDITOR)
def milestone_complete(request: OrgRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone_or_404(request, milestone_id)
    action = milestone.action
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    return confirm_page(
        request,
        lambda: services.milestone_complete(milestone=milestone, on=today(), by=request.user),
        done=detail + "#milestones",
        message=MILESTONE_COMPLETED.format(title=milestone.title),
        title=f"Mark {milestone.title} complete today?",
        intro=f"It was due on {milestone.due_on:%d %B %Y}.".replace(" 0", " "),
        crumbs=[*_action_crumbs(request, action), (milestone.title, "")],
        cancel_url=detail,
        button="Yes, it is complete",
    )


@org_view(Role.EDITOR)
def milestone_delete(request: OrgRequest, milestone_id: int) -> HttpResponse:
    milestone = _milestone_or_404(request, milestone_id)
    action = milestone.action
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    return confirm_page(
        request,
        lambda: services.milestone_delete(milestone=milestone, by=request.user),
        done=detail + "#milestones",
        message=DELETED.format(name=milestone.title),
        title=f"Are you sure you want to delete the milestone {milestone.title}?",
        intro=HISTORY_STAYS,
        crumbs=[*_action_crumbs(request, action), (milestone.title, "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
    )


# ---- savings --------------------------------------------------------------------------


@org_view(Role.EDITOR)
def action_savings(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    detail = org_url(request, "programme:action_detail", action_id=action.pk)
    current = list(selectors.action_savings(action=action))
    form = SavingsForm(
        bound(request),
        years=[saving.year for saving in current],
        initial={f"amount_{saving.year}": saving.amount for saving in current},
    )
    return form_page(
        request,
        form,
        lambda _data: services.action_savings_set(
            action=action, savings=form.savings(), by=request.user
        ),
        done=lambda _saved: detail + "#savings",
        message=lambda _saved: SAVINGS_SAVED.format(reference=action.reference),
        title="Savings contribution by financial year",
        caption=str(action),
        intro="The saving the action contributes in each financial year, in pounds.",
        crumbs=[*_action_crumbs(request, action), ("Savings", "")],
        cancel_url=detail,
    )
