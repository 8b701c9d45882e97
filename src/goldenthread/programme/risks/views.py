"""The risk register's pages: the register and heat map, a risk with its mitigations and
reviews, the forms that change them, the files in and out, and the organisation's settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.kit.exports import export_response
from goldenthread.kit.links import item_link_panels, record_links_lost
from goldenthread.kit.lists import capped
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.tables import table_page
from goldenthread.kit.views_import import import_upload_page
from goldenthread.programme.models import (
    Action,
    Mitigation,
    ProgrammeSettings,
    Risk,
    RiskCategory,
    RiskStatus,
)

from . import importing, presenters, selectors, services, tables
from .columns import MITIGATION_COLUMNS, RISK_COLUMNS
from .forms import MitigationForm, ReviewForm, RiskForm, RiskSettingsForm
from .rules import risk_rules

RISK_ADDED = "{reference} has been added."
RISK_SAVED = "{reference} has been saved."
RISK_DELETED = "{reference} has been deleted."
REVIEW_RECORDED = "The review of {reference} has been recorded: next review {next}."
MITIGATION_ADDED = "The mitigation has been added to {reference}."
MITIGATION_SAVED = "The mitigation of {reference} has been saved."
MITIGATION_DELETED = "The mitigation has been removed from {reference}."
SETTINGS_SAVED = "The risk settings have been saved."
RISK_IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. A reference "
    "already in goldenthread updates that risk, a new one adds a risk, and a column you leave "
    "out leaves that field as it is. The risks export has this layout."
)
MITIGATION_IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. Each row is "
    "one mitigation of a risk already in goldenthread, named by the risk's reference and the "
    "mitigation's number (R1/2): a number the risk has updates that mitigation, a new number "
    "adds one. The mitigations export has this layout."
)


def _risks_url(request: OrgRequest) -> str:
    return org_url(request, "programme:risk_list")


def _risk_or_404(request: OrgRequest, risk_id: int) -> Risk:
    risk: Risk = get_or_404(selectors.risk_get, request, "risk", pk=risk_id)
    return risk


def _detail_url(request: OrgRequest, risk: Risk) -> str:
    return org_url(request, "programme:risk_detail", risk_id=risk.pk)


def _inherent(request: OrgRequest) -> bool:
    return request.GET.get("scores") == "inherent"


@org_view()
def risk_list(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    table = tables.RISKS.bind(request, selectors.risk_register(organisation=organisation))
    context: dict[str, Any] = {}
    if not table.download_format:
        rules = tables.rules_for(table)
        inherent = _inherent(request)
        programme = tables.chosen_programme(table)
        toggle = {} if inherent else {"scores": "inherent"}
        if programme is not None:
            toggle["programme"] = str(programme.pk)
        context["heat_map"] = presenters.heat_map_grid(
            selectors.heat_map(organisation=organisation, programme=programme, inherent=inherent),
            rules,
            register_url=_risks_url(request),
            toggle_url=_risks_url(request) + (f"?{urlencode(toggle)}" if toggle else ""),
            programme=programme,
        )
    return table_page(request, table, "programme/risks/risk_list.html", context, what="risks")


@org_view()
def risk_detail(request: OrgRequest, risk_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    rules = risk_rules(organisation=request.organisation)
    reviews = list(selectors.risk_reviews(risk=risk))
    context = {
        "risk": risk,
        "crumbs": [("Risks", _risks_url(request)), (risk.reference, "")],
        "link_panels": item_link_panels(request, risk),
        "mitigations": list(selectors.risk_mitigations(risk=risk)),
        "actions": capped(risk.actions.order_by("reference")),
        "summary": presenters.risk_summary(risk, rules, today=timezone.localdate()),
        "trend": presenters.review_trend(risk, reviews, rules),
    }
    return render(request, "programme/risks/risk_detail.html", context)


def _risk_form(request: OrgRequest, initial: dict[str, Any]) -> RiskForm:
    return RiskForm(
        bound(request),
        organisation=request.organisation,
        rules=risk_rules(organisation=request.organisation),
        initial=initial,
    )


@org_view(Role.EDITOR)
def risk_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    initial: dict[str, Any] = {"status": RiskStatus.OPEN}
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        initial["programme"] = programme
    return form_page(
        request,
        _risk_form(request, initial),
        lambda data: services.risk_create(organisation=organisation, by=request.user, **data),
        done=lambda risk: _detail_url(request, risk),
        message=lambda risk: RISK_ADDED.format(reference=risk.reference),
        title="Add a risk",
        crumbs=[("Risks", _risks_url(request)), ("Add a risk", "")],
        cancel_url=_risks_url(request),
    )


@org_view(Role.EDITOR)
def risk_edit(request: OrgRequest, risk_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    initial = {
        "reference": risk.reference,
        "title": risk.title,
        "programme": str(risk.programme_id or ""),
        "cause": risk.cause,
        "event": risk.event,
        "effect": risk.effect,
        "category": risk.category,
        "owner": risk.owner,
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "status": risk.status,
        "review_days": risk.review_days,
        "next_review_on": risk.next_review_on,
        "actions": ", ".join(
            risk.actions.order_by("reference").values_list("reference", flat=True)
        ),
    }
    detail = _detail_url(request, risk)
    return form_page(
        request,
        _risk_form(request, initial),
        lambda data: services.risk_update(risk=risk, by=request.user, **data),
        done=lambda _: detail,
        message=lambda saved: RISK_SAVED.format(reference=saved.reference),
        title=f"Change {risk.reference}",
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Change", "")],
        cancel_url=detail,
        record=risk,
    )


@org_view(Role.EDITOR)
def risk_delete(request: OrgRequest, risk_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    detail = _detail_url(request, risk)
    return confirm_page(
        request,
        lambda: services.risk_delete(risk=risk, by=request.user),
        done=_risks_url(request),
        message=RISK_DELETED.format(reference=risk.reference),
        title=f"Are you sure you want to delete {risk.reference}?",
        intro="Its mitigations and reviews are deleted with it; its history stays in the "
        "audit trail.",
        consequences=record_links_lost(request, risk),
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Delete", "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, delete it",
        warning=True,
    )


@org_view(Role.EDITOR)
def risk_review(request: OrgRequest, risk_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    detail = _detail_url(request, risk)
    form = ReviewForm(
        bound(request),
        initial={
            "reviewed_on": timezone.localdate(),
            "likelihood": risk.residual_likelihood,
            "impact": risk.residual_impact,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.risk_review_create(risk=risk, by=request.user, **data),
        done=lambda _: detail,
        message=lambda review: REVIEW_RECORDED.format(
            reference=risk.reference, next=date_format(review.risk.next_review_on)
        ),
        title=f"Review {risk.reference}",
        caption=risk.title,
        intro="Record the residual likelihood and impact as they stand on the day of the "
        "review. The risk takes them, and its next review is set from its review frequency.",
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Review", "")],
        cancel_url=detail,
        button="Record the review",
    )


# --- mitigations -----------------------------------------------------------------------


def _mitigation_or_404(request: OrgRequest, risk: Risk, mitigation_id: int) -> Mitigation:
    mitigation: Mitigation = get_or_404(
        selectors.mitigation_get, request, "mitigation", risk=risk, pk=mitigation_id
    )
    return mitigation


@org_view(Role.EDITOR)
def mitigation_create(request: OrgRequest, risk_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    detail = _detail_url(request, risk)
    return form_page(
        request,
        MitigationForm(bound(request), initial={"status": "planned"}),
        lambda data: services.mitigation_create(risk=risk, by=request.user, **data),
        done=lambda _: detail,
        message=lambda _: MITIGATION_ADDED.format(reference=risk.reference),
        title="Add a mitigation",
        caption=f"{risk.reference}: {risk.title}",
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Add a mitigation", "")],
        cancel_url=detail,
    )


@org_view(Role.EDITOR)
def mitigation_edit(request: OrgRequest, risk_id: int, mitigation_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    mitigation = _mitigation_or_404(request, risk, mitigation_id)
    detail = _detail_url(request, risk)
    form = MitigationForm(
        bound(request),
        initial={
            "description": mitigation.description,
            "owner": mitigation.owner,
            "due_on": mitigation.due_on,
            "status": mitigation.status,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.mitigation_update(mitigation=mitigation, by=request.user, **data),
        done=lambda _: detail,
        message=lambda _: MITIGATION_SAVED.format(reference=risk.reference),
        title=f"Change mitigation {mitigation.position}",
        caption=f"{risk.reference}: {risk.title}",
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Change", "")],
        cancel_url=detail,
        record=mitigation,
    )


@org_view(Role.EDITOR)
def mitigation_delete(request: OrgRequest, risk_id: int, mitigation_id: int) -> HttpResponse:
    risk = _risk_or_404(request, risk_id)
    mitigation = _mitigation_or_404(request, risk, mitigation_id)
    detail = _detail_url(request, risk)
    return confirm_page(
        request,
        lambda: services.mitigation_delete(mitigation=mitigation, by=request.user),
        done=detail,
        message=MITIGATION_DELETED.format(reference=risk.reference),
        title=f"Remove mitigation {mitigation.position} from {risk.reference}?",
        intro=mitigation.description,
        crumbs=[("Risks", _risks_url(request)), (risk.reference, detail), ("Remove", "")],
        cancel_url=detail,
        cancel_label="No, keep it",
        button="Yes, remove it",
        warning=True,
    )


# --- files -----------------------------------------------------------------------------


@org_view(Role.EDITOR)
def risk_import(request: OrgRequest) -> HttpResponse:
    return import_upload_page(
        request,
        importer=importing.RISKS_IMPORTER,
        columns=RISK_COLUMNS,
        title="Import risks from a file",
        intro=RISK_IMPORT_INTRO,
        crumbs=[("Risks", _risks_url(request)), ("Import", "")],
        cancel_url=_risks_url(request),
    )


@org_view()
def risk_export(request: OrgRequest, fmt: str) -> HttpResponse:
    risks = (
        selectors.risk_list(organisation=request.organisation)
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("pk", "reference")))
        .order_by("reference")
    )
    return export_response(request, columns=RISK_COLUMNS, records=risks, what="Risks", fmt=fmt)


@org_view(Role.EDITOR)
def mitigation_import(request: OrgRequest) -> HttpResponse:
    return import_upload_page(
        request,
        importer=importing.MITIGATIONS_IMPORTER,
        columns=MITIGATION_COLUMNS,
        title="Import mitigations from a file",
        intro=MITIGATION_IMPORT_INTRO,
        crumbs=[("Risks", _risks_url(request)), ("Import mitigations", "")],
        cancel_url=_risks_url(request),
    )


@org_view()
def mitigation_export(request: OrgRequest, fmt: str) -> HttpResponse:
    mitigations = (
        Mitigation.objects.filter(risk__organisation=request.organisation)
        .select_related("risk")
        .order_by("risk__reference", "position", "pk")
    )
    return export_response(
        request, columns=MITIGATION_COLUMNS, records=mitigations, what="Mitigations", fmt=fmt
    )


# --- settings --------------------------------------------------------------------------


@org_view(Role.ADMIN)
def risk_settings(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    stored = ProgrammeSettings.objects.filter(organisation=organisation).first()
    rules = risk_rules(organisation=organisation)
    initial: dict[str, Any] = {
        "categories": "\n".join(rules.own_categories),
        "custom_matrix": "yes" if rules.matrix else "no",
        "review_days": rules.default_days,
    }
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            initial[f"matrix_{likelihood}_{impact}"] = rules.score(likelihood, impact)
    for number, band in enumerate(rules.bands, start=1):
        initial.update(
            {
                f"band_{number}_name": band.name,
                f"band_{number}_from": band.low,
                f"band_{number}_to": band.high,
                f"band_{number}_review_days": band.review_days,
            }
        )
    return form_page(
        request,
        RiskSettingsForm(bound(request), initial=initial),
        lambda data: services.risk_settings_update(
            organisation=organisation, by=request.user, **data
        ),
        done=lambda _: org_url(request, "programme:risk_settings"),
        message=lambda _: SETTINGS_SAVED,
        title="Risk settings",
        intro="The categories your risks may have beside the standard ones, how likelihood and "
        "impact make a score, the bands of score and how often a risk in each is reviewed.",
        crumbs=[("Risks", _risks_url(request)), ("Settings", "")],
        cancel_url=_risks_url(request),
        template="programme/risks/risk_settings.html",
        context={"standard": list(RiskCategory.values)},
        record=stored,
    )
