"""The public pages, an organisation's dashboard, and its units."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import org_view
from goldenthread.audit.selectors import change_list
from goldenthread.formats.xlsx import Sheet, write_xlsx
from goldenthread.jobs.selectors import job_list
from goldenthread.jobs.services import job_create
from goldenthread.kit.tables import table_page
from goldenthread.web import dashboard
from goldenthread.web.forms import apply_service_error

from . import selectors, services, tables
from .forms import UnitForm, UploadForm
from .importing import COLUMNS, JOB_KIND
from .models import Unit, UnitKind


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@org_view()
def home(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    context = {
        "cards": dashboard.cards(organisation, request.membership),
        "recent_changes": change_list(organisation=organisation, limit=10),
        "recent_jobs": job_list(organisation=organisation)[:5],
    }
    return render(request, "core/home.html", context)


@org_view()
def unit_list(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_register(organisation=request.organisation)
    table = tables.UNITS.bind(request, units)
    held = selectors.unit_list(organisation=request.organisation).exists()
    return table_page(request, table, "core/unit_list.html", {"any": held}, what="units")


@org_view()
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    ancestors = []
    cursor = unit.parent
    while cursor is not None:
        ancestors.insert(0, cursor)
        cursor = cursor.parent
    children = selectors.unit_list(organisation=request.organisation).filter(parent=unit)
    return render(
        request,
        "core/unit_detail.html",
        {"unit": unit, "ancestors": ancestors, "children": children},
    )


def _unit_or_404(request: HttpRequest, unit_id: int) -> Unit:
    try:
        return selectors.unit_get(organisation=request.organisation, pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404("No such unit in this organisation") from None


@org_view(Role.EDITOR)
def unit_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    initial = {"kind": UnitKind.SERVICE}
    if request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(organisation=organisation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"{unit.name} has been added.")
            return redirect("core:unit_detail", org_slug=organisation.slug, unit_id=unit.pk)
    return render(request, "core/unit_form.html", {"form": form})


@org_view(Role.EDITOR)
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        organisation=request.organisation,
        initial={
            "name": unit.name,
            "code": unit.code,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "description": unit.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"{unit.name} has been saved.")
            return redirect("core:unit_detail", org_slug=request.organisation.slug, unit_id=unit.pk)
    return render(request, "core/unit_form.html", {"form": form, "unit": unit})


@org_view(Role.EDITOR)
def unit_delete(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    error = None
    if request.method == "POST":
        try:
            services.unit_delete(unit=unit)
        except ServiceError as refused:
            error = refused.message
        except ProtectedError:
            error = f"{unit.name} is still used elsewhere, so it cannot be deleted."
        else:
            messages.success(request, f"{unit.name} has been deleted.")
            return redirect("core:unit_list", org_slug=request.organisation.slug)
    return render(request, "core/unit_delete.html", {"unit": unit, "error": error})


@org_view(Role.EDITOR)
def unit_import(request: HttpRequest) -> HttpResponse:
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_create(
            organisation=request.organisation,
            kind=JOB_KIND,
            title=f"Import units from {upload.name}",
            created_by=request.user,
            filename=upload.name,
            data=upload.read(),
        )
        job.result_url = reverse("core:unit_list", kwargs={"org_slug": request.organisation.slug})
        job.save(update_fields=["result_url"])
        return redirect("jobs:job_detail", org_slug=request.organisation.slug, job_id=job.pk)
    return render(request, "core/unit_import.html", {"form": form, "columns": COLUMNS})


@org_view()
def unit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = selectors.unit_tree(organisation=request.organisation)
    header = ("code", "name", "kind", "parent_code", "description")
    body = [
        (
            row.unit.code,
            row.unit.name,
            row.unit.get_kind_display().lower(),
            row.unit.parent.code if row.unit.parent else "",
            row.unit.description,
        )
        for row in rows
    ]
    stem = f"{slugify(request.organisation.name)}-units"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(body)
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt == "xlsx":
        data = write_xlsx([Sheet("Units", header, body)])
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    raise Http404("Exports are available as csv or xlsx")
