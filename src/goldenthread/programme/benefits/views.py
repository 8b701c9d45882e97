"""The benefits register's pages. Viewers read; editors change; admins set the types."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.analysis.quarters import financial_year_label
from goldenthread.kit import links
from goldenthread.kit.exports import export_response
from goldenthread.kit.links import item_link_panels
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.tables import table_page
from goldenthread.kit.views_import import import_upload_page
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitStatus, Programme
from goldenthread.programme.preferences import programme_settings

from . import selectors, services, tables
from .columns import BENEFIT_COLUMNS, PROFILE_COLUMNS
from .confidence import confidence_shown, effective_percent, weighted
from .forms import (
    BenefitForm,
    BenefitSettingsForm,
    ProfileForm,
    benefit_initial,
    profile_initial,
    settings_initial,
)
from .importing import IMPORTER, PROFILE_IMPORTER

BENEFIT_ADDED = "{reference} has been added."
BENEFIT_SAVED = "{reference} has been saved."
BENEFIT_DELETED = "{reference} has been deleted."
PROFILE_SAVED = "The cashable profile of {reference} has been saved."
SETTINGS_SAVED = "The benefit settings have been saved."
IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. A reference "
    "already in goldenthread updates that benefit, a new one adds a benefit, and a column you "
    "leave out leaves that field as it is. The benefits export has this layout."
)
PROFILE_IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below: one row for "
    "each benefit and financial year. A benefit's year already in goldenthread is updated, a "
    "new one is added. The profiles export has this layout."
)
NOT_FOUND = "benefit"


def _benefit_or_404(request: OrgRequest, benefit_id: int) -> Benefit:
    benefit: Benefit = get_or_404(selectors.benefit_get, request, NOT_FOUND, pk=benefit_id)
    return benefit


def _list_url(request: OrgRequest) -> str:
    return org_url(request, "programme:benefit_list")


def _detail_url(request: OrgRequest, benefit: Benefit) -> str:
    return org_url(request, "programme:benefit_detail", benefit_id=benefit.pk)


@org_view()
def benefit_list(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    settings = programme_settings(organisation=organisation)
    benefits = selectors.benefit_register(organisation=organisation, settings=settings)
    table = tables.BENEFITS.bind(request, benefits, context={"settings": settings})
    return table_page(request, table, "programme/benefits/benefit_list.html", what="benefits")


def _actions_shown(request: OrgRequest, benefit: Benefit) -> list[dict[str, str]]:
    """The actions a benefit comes from, each linked to its page when actions have one."""
    kind = links.LINKABLE.get("action") if "action" in links.LINKABLE else None
    return [
        {
            "reference": action.reference,
            "title": action.title,
            "url": kind.url(request.organisation, action) if kind is not None else "",
        }
        for action in benefit.actions.order_by("reference")
    ]


@org_view()
def benefit_detail(request: OrgRequest, benefit_id: int) -> HttpResponse:
    benefit = _benefit_or_404(request, benefit_id)
    settings = programme_settings(organisation=request.organisation)
    percent = effective_percent(benefit.confidence_percent, benefit.confidence_level, settings)
    rows = selectors.benefit_profile(benefit=benefit)
    weights = [weighted(row.planned, percent) for row in rows]
    profile = [
        {"row": row, "label": financial_year_label(row.year), "weighted": weight}
        for row, weight in zip(rows, weights, strict=True)
    ]
    totals = {
        "planned": sum((row.planned for row in rows), Decimal("0.00")),
        "realised": sum((row.realised or Decimal("0.00") for row in rows), Decimal("0.00")),
        "weighted": sum(weights, Decimal("0.00")),
    }
    context = {
        "benefit": benefit,
        "confidence": confidence_shown(
            benefit.confidence_percent, benefit.confidence_level, settings
        ),
        "actions": _actions_shown(request, benefit),
        "status_tag": tables.status_tag(benefit),
        "profile": profile,
        "totals": totals,
        "crumbs": [("Benefits", _list_url(request)), (benefit.reference, "")],
        "link_panels": item_link_panels(request, benefit),
    }
    return render(request, "programme/benefits/benefit_detail.html", context)


def _form(request: OrgRequest, initial: dict[str, Any]) -> BenefitForm:
    organisation = request.organisation
    return BenefitForm(
        bound(request),
        settings=programme_settings(organisation=organisation),
        programmes=list(Programme.objects.filter(organisation=organisation).order_by("name")),
        initial=initial,
    )


@org_view(Role.EDITOR)
def benefit_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    return form_page(
        request,
        _form(request, {"status": BenefitStatus.IDENTIFIED}),
        lambda data: services.benefit_create(organisation=organisation, by=request.user, **data),
        done=lambda benefit: _detail_url(request, benefit),
        message=lambda benefit: BENEFIT_ADDED.format(reference=benefit.reference),
        title="Add a benefit",
        crumbs=[("Benefits", _list_url(request)), ("Add a benefit", "")],
        cancel_url=_list_url(request),
    )


@org_view(Role.EDITOR)
def benefit_edit(request: OrgRequest, benefit_id: int) -> HttpResponse:
    benefit = _benefit_or_404(request, benefit_id)
    references = [action.reference for action in benefit.actions.order_by("reference")]
    detail = _detail_url(request, benefit)
    return form_page(
        request,
        _form(request, benefit_initial(benefit, references)),
        lambda data: services.benefit_update(benefit=benefit, by=request.user, **data),
        done=lambda _: detail,
        message=lambda saved: BENEFIT_SAVED.format(reference=saved.reference),
        title=f"Change {benefit.reference}",
        crumbs=[("Benefits", _list_url(request)), (benefit.reference, detail), ("Change", "")],
        cancel_url=detail,
        record=benefit,
    )


@org_view(Role.EDITOR)
def benefit_delete(request: OrgRequest, benefit_id: int) -> HttpResponse:
    benefit = _benefit_or_404(request, benefit_id)
    detail = _detail_url(request, benefit)
    consequences = [
        f"{len(panel.links)} link(s) under “{panel.end.heading}”"
        for panel in item_link_panels(request, benefit)
        if panel.links
    ]
    years = benefit.profile.count()
    if years:
        consequences.append(f"its cashable profile of {years} financial year(s)")
    return confirm_page(
        request,
        lambda: services.benefit_delete(benefit=benefit, by=request.user),
        done=_list_url(request),
        message=BENEFIT_DELETED.format(reference=benefit.reference),
        title=f"Are you sure you want to delete {benefit.reference}?",
        intro="Its history stays in the audit trail.",
        consequences=consequences,
        crumbs=[("Benefits", _list_url(request)), (benefit.reference, detail), ("Delete", "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
    )


@org_view(Role.EDITOR)
def benefit_profile_edit(request: OrgRequest, benefit_id: int) -> HttpResponse:
    benefit = _benefit_or_404(request, benefit_id)
    rows = selectors.benefit_profile(benefit=benefit)
    form = ProfileForm(bound(request), rows=rows, initial=profile_initial(rows))
    detail = _detail_url(request, benefit)
    return form_page(
        request,
        form,
        lambda data: services.benefit_profile_update(
            benefit=benefit, years=form.years_given(), by=request.user
        ),
        done=lambda _: detail,
        message=lambda _: PROFILE_SAVED.format(reference=benefit.reference),
        title=f"Cashable profile of {benefit.reference}",
        intro="The cashable £ planned and realised in each financial year (April to March).",
        caption=benefit.title,
        crumbs=[
            ("Benefits", _list_url(request)),
            (benefit.reference, detail),
            ("Cashable profile", ""),
        ],
        cancel_url=detail,
        record=benefit,
    )


@org_view(Role.ADMIN)
def benefit_settings(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    settings = programme_settings(organisation=organisation)
    form = BenefitSettingsForm(
        bound(request), settings=settings, initial=settings_initial(settings)
    )
    return form_page(
        request,
        form,
        lambda data: services.benefit_settings_update(
            organisation=organisation, by=request.user, **form.service_arguments()
        ),
        done=lambda _: org_url(request, "programme:benefit_settings"),
        message=lambda _: SETTINGS_SAVED,
        title="Benefit settings",
        intro="Your own types of benefit, after the six every organisation has, and what low, "
        "medium and high confidence of delivery are worth. A type that benefits use cannot be "
        "removed: change their type first.",
        crumbs=[("Benefits", _list_url(request)), ("Settings", "")],
        cancel_url=_list_url(request),
        record=settings,
    )


@org_view(Role.EDITOR)
def benefit_import(request: OrgRequest) -> HttpResponse:
    return import_upload_page(
        request,
        importer=IMPORTER,
        columns=BENEFIT_COLUMNS,
        title="Import benefits from a file",
        intro=IMPORT_INTRO,
        crumbs=[("Benefits", _list_url(request)), ("Import", "")],
        cancel_url=_list_url(request),
    )


@org_view(Role.EDITOR)
def benefit_profile_import(request: OrgRequest) -> HttpResponse:
    return import_upload_page(
        request,
        importer=PROFILE_IMPORTER,
        columns=PROFILE_COLUMNS,
        title="Import cashable profiles from a file",
        intro=PROFILE_IMPORT_INTRO,
        crumbs=[("Benefits", _list_url(request)), ("Import cashable profiles", "")],
        cancel_url=_list_url(request),
    )


@org_view()
def benefit_export(request: OrgRequest, fmt: str) -> HttpResponse:
    benefits = (
        selectors.benefit_list(organisation=request.organisation)
        .prefetch_related("actions")
        .order_by("reference")
    )
    return export_response(
        request, columns=BENEFIT_COLUMNS, records=benefits, what="Benefits", fmt=fmt
    )


@org_view()
def benefit_profile_export(request: OrgRequest, fmt: str) -> HttpResponse:
    rows = (
        BenefitProfile.objects.filter(benefit__organisation=request.organisation)
        .select_related("benefit")
        .order_by("benefit__reference", "year")
    )
    return export_response(
        request, columns=PROFILE_COLUMNS, records=rows, what="Benefit profiles", fmt=fmt
    )
