"""The quarterly update's pages: the rounds, one round's progress, an owner's page, the file."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.analysis.wording import counted
from goldenthread.kit.exports import export_response
from goldenthread.kit.pages import (
    bound,
    confirm_page,
    form_page,
    get_or_404,
    org_url,
    success,
)
from goldenthread.kit.views_import import import_upload_page
from goldenthread.programme.models import Programme, QuarterlyUpdate

from . import selectors, services
from .forms import OwnerUpdateForm, UpdateOpenForm
from .importing import IMPORTER, UPDATE_COLUMNS, EntryRow

UPDATE_OPENED = "The {quarter} update is open: owners can now record their progress."
UPDATE_CLOSED = "The {quarter} update is closed."
OWNER_SAVED = "{count} actions of {owner} updated for {quarter}."
CLOSED_NOTE = "This update is closed, so it can be read but not changed."


def _programme_or_404(request: OrgRequest, programme_id: int) -> Programme:
    programme: Programme = get_or_404(
        selectors.programme_get, request, "programme", pk=programme_id
    )
    return programme


def _update_or_404(request: OrgRequest, update_id: int) -> QuarterlyUpdate:
    update: QuarterlyUpdate = get_or_404(
        selectors.update_get, request, "quarterly update", pk=update_id
    )
    return update


def programme_url(request: OrgRequest, programme: Programme) -> str:
    return org_url(request, "programme:programme_detail", programme_id=programme.pk)


def owner_url(request: OrgRequest, update: QuarterlyUpdate, owner: str) -> str:
    """The owner's page: the owner, free text, travels in the query string, encoded."""
    url = org_url(request, "programme:update_owner", update_id=update.pk)
    return f"{url}?{urlencode({'owner': owner})}"


def _crumbs(request: OrgRequest, update: QuarterlyUpdate, *last: tuple[str, str]) -> list[Any]:
    programme = update.programme
    crumbs = [
        (programme.name, programme_url(request, programme)),
        ("Quarterly updates", org_url(request, "programme:update_list", programme_id=programme.pk)),
    ]
    if last:
        crumbs.append(
            (update.period.label, org_url(request, "programme:update_detail", update_id=update.pk))
        )
        crumbs.extend(last)
    else:
        crumbs.append((update.period.label, ""))
    return crumbs


def _is_editor(request: OrgRequest) -> bool:
    return bool(request.membership.allows(Role.EDITOR))


@org_view()
def update_list(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    context = {
        "programme": programme,
        "updates": list(selectors.programme_updates(programme=programme)),
        "can_edit": _is_editor(request),
        "current": FinancialQuarter.of(timezone.localdate()),
        "crumbs": [(programme.name, programme_url(request, programme)), ("Quarterly updates", "")],
    }
    return render(request, "programme/updates/update_list.html", context)


@org_view(Role.EDITOR)
def update_open(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    today = timezone.localdate()
    listed = org_url(request, "programme:update_list", programme_id=programme.pk)
    return form_page(
        request,
        UpdateOpenForm(bound(request), initial={"quarter": FinancialQuarter.of(today).label}),
        lambda data: services.quarterly_update_open(
            programme=programme, quarter=data["quarter"], by=request.user, today=today
        ),
        done=lambda update: org_url(request, "programme:update_detail", update_id=update.pk),
        message=lambda update: UPDATE_OPENED.format(quarter=update.period.label),
        title="Open a quarterly update",
        intro="Owners then record the progress, spend and any delay of each of their actions "
        "for the quarter. A programme has one update a quarter.",
        caption=programme.name,
        button="Open the update",
        crumbs=[
            (programme.name, programme_url(request, programme)),
            ("Quarterly updates", listed),
            ("Open", ""),
        ],
        cancel_url=listed,
    )


@org_view()
def update_detail(request: OrgRequest, update_id: int) -> HttpResponse:
    update = _update_or_404(request, update_id)
    owners = selectors.owner_progress(update=update)
    context = {
        "update": update,
        "owners": [(progress, owner_url(request, update, progress.owner)) for progress in owners],
        "total": sum(progress.total for progress in owners),
        "updated": sum(progress.updated for progress in owners),
        "changes": selectors.quarter_changes(programme=update.programme, update=update),
        "org_slug": request.organisation.slug,
        "can_edit": _is_editor(request) and update.is_open,
        "crumbs": _crumbs(request, update),
    }
    return render(request, "programme/updates/update_detail.html", context)


@org_view(Role.EDITOR)
def update_close(request: OrgRequest, update_id: int) -> HttpResponse:
    update = _update_or_404(request, update_id)
    detail = org_url(request, "programme:update_detail", update_id=update.pk)
    owners = selectors.owner_progress(update=update)
    missing = sum(progress.total - progress.updated for progress in owners)
    consequences = ["Its entries can no longer be changed."]
    if missing:
        consequences.append(
            f"{counted(missing, 'action')} {'has' if missing == 1 else 'have'} no entry "
            "for this quarter."
        )
    return confirm_page(
        request,
        lambda: services.quarterly_update_close(update=update, by=request.user),
        done=detail,
        message=UPDATE_CLOSED.format(quarter=update.period.label),
        title=f"Close the {update.period.label} update?",
        consequences=consequences,
        crumbs=_crumbs(request, update, ("Close", "")),
        cancel_url=detail,
        button="Close the update",
        refused=""
        if update.is_open
        else services.ALREADY_CLOSED.format(quarter=update.period.label),
    )


@org_view(Role.VIEWER, write_role=Role.EDITOR)
def update_owner(request: OrgRequest, update_id: int) -> HttpResponse:
    update = _update_or_404(request, update_id)
    owner = request.GET.get("owner", "").strip()
    name = owner or selectors.NO_OWNER
    actions = selectors.owner_actions(update=update, owner=owner)
    entries = selectors.entries_by_action(update=update, actions=actions)
    previous = selectors.previous_update(update=update)
    before = selectors.entries_by_action(update=previous, actions=actions) if previous else {}
    editable = update.is_open and _is_editor(request) and bool(actions)
    form = OwnerUpdateForm(bound(request) if editable else None, actions=actions, entries=entries)
    if request.method == "POST" and editable and form.is_valid():
        try:
            recorded = services.action_updates_record(
                update=update, entries=form.action_entries(), by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            success(
                request,
                OWNER_SAVED.format(count=len(recorded), owner=name, quarter=update.period.label),
            )
            return redirect(org_url(request, "programme:update_detail", update_id=update.pk))
    query = urlencode({"owner": owner})
    context = {
        "update": update,
        "owner": name,
        "form": form,
        "groups": form.groups(before),
        "previous": previous,
        "editable": editable,
        "closed_note": "" if update.is_open else CLOSED_NOTE,
        "workbook_url": org_url(request, "programme:update_workbook", update_id=update.pk)
        + "?"
        + query,
        "import_url": org_url(request, "programme:update_import", update_id=update.pk),
        "crumbs": _crumbs(request, update, (name, "")),
    }
    return render(request, "programme/updates/update_owner.html", context)


@org_view()
def update_workbook(request: OrgRequest, update_id: int) -> HttpResponse:
    """The update's actions (one owner's with ``?owner=``), filled in, to edit and upload."""
    update = _update_or_404(request, update_id)
    owner = request.GET.get("owner")
    found = selectors.actions_in_scope(update=update).order_by("owner", "position", "reference")
    if owner is not None:
        # A NUL names no owner, and PostgreSQL refuses it in a query.
        found = found.filter(owner=owner.strip()) if "\x00" not in owner else found.none()
    actions = list(found)
    entries = selectors.entries_by_action(update=update, actions=actions)
    who = "all owners" if owner is None else (owner.strip() or selectors.NO_OWNER)
    return export_response(
        request,
        columns=UPDATE_COLUMNS,
        records=[EntryRow(action, entries.get(action.pk)) for action in actions],
        what=f"{update.programme.name} {update.period.label} update, {who}",
        fmt="xlsx",
    )


@org_view(Role.EDITOR)
def update_import(request: OrgRequest, update_id: int) -> HttpResponse:
    update = _update_or_404(request, update_id)
    detail = org_url(request, "programme:update_detail", update_id=update.pk)
    if not update.is_open:
        success(request, CLOSED_NOTE)
        return redirect(detail)
    return import_upload_page(
        request,
        importer=IMPORTER,
        columns=UPDATE_COLUMNS,
        title=f"Upload the {update.period.label} update from a workbook",
        intro="Download the update's workbook (from this page's quarter, or an owner's page), "
        "fill in each action's row and upload it. A row updates the action with that "
        "reference; a row left as it was changes nothing.",
        crumbs=_crumbs(request, update, ("Upload", "")),
        cancel_url=detail,
        options={"update_id": update.pk},
        reference=str(update.pk),
    )
