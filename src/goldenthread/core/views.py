"""The public pages, an organisation's dashboard, and its units."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, org_view, query_id
from goldenthread.audit.selectors import change_list
from goldenthread.jobs.selectors import job_list
from goldenthread.kit import dashboard
from goldenthread.kit.exports import export_response
from goldenthread.kit.lists import capped
from goldenthread.kit.pages import (
    Crumbs,
    bound,
    confirm_page,
    form_page,
    get_or_404,
    org_url,
)
from goldenthread.kit.tables import table_page
from goldenthread.kit.views_import import import_upload_page

from . import presenters, selectors, services, tables
from .columns import UNIT_COLUMNS
from .forms import EmptyUnitsForm, UnitForm
from .importing import IMPORTER as UNITS_IMPORTER
from .models import Unit, UnitKind

UNIT_ADDED = "{name} has been added."
UNIT_SAVED = "{name} has been saved."
UNIT_DELETED = "{name} has been deleted."
#: What the units upload page says of the file, above the kit's columns table.
IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. A code "
    "already in goldenthread updates that unit, a new code adds one, and a column you leave "
    "out leaves that field as it is. The units download from the units page has this layout."
)


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@org_view()
def home(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    context = {
        "cards": dashboard.cards(organisation, request.membership),
        "recent_changes": change_list(
            organisation=organisation, role=request.membership.role, limit=10
        ),
        "recent_jobs": job_list(organisation=organisation)[:5],
    }
    return render(request, "core/home.html", context)


@org_view()
def unit_list(request: OrgRequest) -> HttpResponse:
    units = selectors.unit_register(organisation=request.organisation)
    table = tables.UNITS.bind(request, units)
    held = selectors.unit_list(organisation=request.organisation).exists()
    return table_page(request, table, "core/unit_list.html", {"any": held}, what="units")


def _unit_or_404(request: OrgRequest, unit_id: int) -> Unit:
    return get_or_404(selectors.unit_get, request, "unit", pk=unit_id)


def _crumbs(request: OrgRequest, unit: Unit | None, *more: tuple[str, str]) -> Crumbs:
    """Units, then the unit and the units it sits in, then the pages below it."""
    crumbs = [("Units", org_url(request, "core:unit_list"))]
    if unit is not None:
        crumbs += [
            (ancestor.name, org_url(request, "core:unit_detail", unit_id=ancestor.pk))
            for ancestor in [*selectors.unit_ancestors(unit=unit), unit]
        ]
    return [*crumbs, *more]


@org_view()
def unit_detail(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    crumbs = list(_crumbs(request, unit))
    crumbs[-1] = (unit.name, "")
    children = capped(selectors.unit_children(organisation=request.organisation, unit=unit))
    return render(
        request,
        "core/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            # The register lists them all: this unit and every unit inside it.
            "children_url": f"{org_url(request, 'core:unit_list')}?inside={unit.pk}",
            "crumbs": crumbs,
        },
    )


@org_view(Role.EDITOR)
def unit_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    initial: dict[str, object] = {"kind": UnitKind.SERVICE}
    parent_id = query_id(request.GET.get("parent"))
    if parent_id is not None:
        initial["parent"] = parent_id
    form = UnitForm(bound(request), organisation=organisation, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.unit_create(organisation=organisation, by=request.user, **data),
        done=lambda unit: org_url(request, "core:unit_detail", unit_id=unit.pk),
        message=lambda unit: UNIT_ADDED.format(name=unit.name),
        title="Add a unit",
        crumbs=_crumbs(request, None, ("Add a unit", "")),
        cancel_url=org_url(request, "core:unit_list"),
    )


@org_view(Role.EDITOR)
def unit_edit(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    form = UnitForm(
        bound(request),
        organisation=request.organisation,
        initial={
            "name": unit.name,
            "code": unit.code,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "description": unit.description,
        },
    )
    detail = org_url(request, "core:unit_detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        lambda data: services.unit_update(unit=unit, by=request.user, **data),
        done=lambda _: detail,
        message=lambda saved: UNIT_SAVED.format(name=saved.name),
        title=f"Change {unit.name}",
        crumbs=_crumbs(request, unit, ("Change", "")),
        cancel_url=detail,
        record=unit,
    )


@org_view(Role.EDITOR)
def unit_delete(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    return confirm_page(
        request,
        lambda: services.unit_delete(unit=unit, by=request.user),
        done=org_url(request, "core:unit_list"),
        message=UNIT_DELETED.format(name=unit.name),
        title=f"Are you sure you want to delete {unit.name}?",
        intro="The unit's history stays in the audit trail.",
        consequences=presenters.unit_delete_consequences(selectors.unit_uses(unit=unit)),
        crumbs=_crumbs(request, unit, ("Delete", "")),
        cancel_url=org_url(request, "core:unit_detail", unit_id=unit.pk),
        button=f"Yes, delete {unit.name}",
        warning=True,
        cancel_label="No, keep it",
    )


UNITS_DELETED = "{count} empty unit{plural} deleted: {names}."
#: How many empty units the page lists at once (the page never grows with the register).
EMPTY_UNITS_SHOWN = 50
EMPTY_UNITS_MORE = (
    " The first {shown} of the {total:,} empty units are listed: delete them, and the next "
    "ones are listed in their place."
)
NO_EMPTY_UNITS = (
    "No unit is empty: each holds posts of a structure or records of a module, or has a "
    "unit inside it that does."
)


@org_view(Role.EDITOR)
def unit_empty(request: OrgRequest) -> HttpResponse:
    """Tick the units nothing uses and delete them together, after one confirmation."""
    organisation = request.organisation
    empty = selectors.unit_empty_list(organisation=organisation)
    shown = empty[:EMPTY_UNITS_SHOWN]
    form = EmptyUnitsForm(
        bound(request), choices=[(row.unit.pk, f"{row.path} ({row.unit.code})") for row in shown]
    )
    more = (
        EMPTY_UNITS_MORE.format(shown=EMPTY_UNITS_SHOWN, total=len(empty))
        if len(empty) > EMPTY_UNITS_SHOWN
        else ""
    )
    units = org_url(request, "core:unit_list")

    def deleted(names: list[str]) -> str:
        count = len(names)
        return UNITS_DELETED.format(
            count=count, plural="" if count == 1 else "s", names=", ".join(names)
        )

    return form_page(
        request,
        form,
        lambda data: services.unit_bulk_delete_empty(
            organisation=organisation, unit_ids=data["units"], by=request.user
        ),
        done=lambda _: units,
        message=deleted,
        title="Delete empty units",
        intro=(
            "Tick the units to delete, then confirm with the button below: they are deleted "
            "together, the units inside first, or none is. Their history stays in the audit "
            "trail." + more
        ),
        crumbs=[("Units", units), ("Delete empty units", "")],
        cancel_url=units,
        button="Delete the ticked units",
        locked="" if empty else NO_EMPTY_UNITS,
    )


@org_view(Role.EDITOR)
def unit_import(request: OrgRequest) -> HttpResponse:
    """Upload a file of units; the import kit checks it and shows what it would change."""
    return import_upload_page(
        request,
        importer=UNITS_IMPORTER,
        columns=UNIT_COLUMNS,
        title="Import units from a file",
        intro=IMPORT_INTRO,
        crumbs=[("Units", org_url(request, "core:unit_list")), ("Import", "")],
        cancel_url=org_url(request, "core:unit_list"),
    )


@org_view()
def unit_export(request: OrgRequest, fmt: str) -> HttpResponse:
    # Tree order puts each parent before its children, so the file imports in one pass.
    units = [row.unit for row in selectors.unit_tree(organisation=request.organisation)]
    return export_response(request, columns=UNIT_COLUMNS, records=units, what="Units", fmt=fmt)
