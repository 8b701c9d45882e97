"""The golden thread pages: the tree, each item, orphans. Viewers read; editors change."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import org_view
from goldenthread.kit.tables import table_page
from goldenthread.web.forms import apply_service_error

from . import selectors, services, tables
from .forms import ThreadItemForm
from .models import Level, ThreadItem

NOT_FOUND = "No such item in this organisation's golden thread"
STILL_USED = "{item} is still used elsewhere, so it cannot be deleted."


def _item_or_404(request: HttpRequest, item_id: int) -> ThreadItem:
    try:
        return selectors.thread_item_get(organisation=request.organisation, pk=item_id)  # type: ignore[attr-defined]
    except ThreadItem.DoesNotExist:
        raise Http404(NOT_FOUND) from None


@org_view()
def thread(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    rows = selectors.thread_tree(organisation=organisation)
    orphan_ids = {item.pk for item in selectors.thread_orphans(organisation=organisation)}
    counts = {
        label: sum(1 for r in rows if r.item.level == value) for value, label in Level.choices
    }
    return render(
        request,
        "performance/thread.html",
        {"rows": rows, "orphan_ids": orphan_ids, "counts": counts},
    )


@org_view()
def item_list(request: HttpRequest) -> HttpResponse:
    items = selectors.thread_item_register(organisation=request.organisation)  # type: ignore[attr-defined]
    table = tables.ITEMS.bind(request, items)
    return table_page(request, table, "performance/item_list.html", what="golden thread items")


@org_view()
def orphans(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "performance/orphans.html",
        {
            "orphans": selectors.thread_orphans(organisation=organisation),
            "units": selectors.directorates_without_plan(organisation=organisation),
        },
    )


@org_view()
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    return render(
        request,
        "performance/item_detail.html",
        {
            "item": item,
            "ancestors": selectors.thread_ancestors(item=item),
            "children": selectors.thread_children(item=item),
        },
    )


@org_view(Role.EDITOR)
def item_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    initial: dict[str, object] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = selectors.thread_item_list(organisation=organisation).filter(pk=parent_id).first()
        if parent is not None:
            initial["parent"] = parent.pk
            below = {
                Level.VISION: Level.PRIORITY,
                Level.PRIORITY: Level.OBJECTIVE,
                Level.OBJECTIVE: Level.SERVICE_PLAN,
                Level.SERVICE_PLAN: Level.TEAM_OBJECTIVE,
                Level.TEAM_OBJECTIVE: Level.INDIVIDUAL_OBJECTIVE,
            }.get(Level(parent.level))
            if below:
                initial["level"] = below.value
            if parent.unit_id:
                initial["unit"] = parent.unit_id
    form = ThreadItemForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.thread_item_create(organisation=organisation, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"{item.title} has been added.")
            return redirect("performance:item_detail", org_slug=organisation.slug, item_id=item.pk)
    return render(request, "performance/item_form.html", {"form": form})


@org_view(Role.EDITOR)
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    form = ThreadItemForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        item=item,
        initial={
            "level": item.level,
            "title": item.title,
            "parent": item.parent_id,
            "description": item.description,
            "measures": item.measures,
            "unit": item.unit_id,
            "perspective": item.perspective,
            "post_reference": item.post_reference,
            "owner": item.owner,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_item_update(item=item, **form.cleaned_data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"{item.title} has been saved.")
            return redirect("performance:item_detail", org_slug=organisation.slug, item_id=item.pk)
    return render(request, "performance/item_form.html", {"form": form, "item": item})


@org_view(Role.EDITOR)
def item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    error = None
    if request.method == "POST":
        try:
            services.thread_item_delete(item=item)
        except ServiceError as refused:
            error = refused.message
        except ProtectedError:
            error = STILL_USED.format(item=item.title)
        else:
            messages.success(request, f"{item.title} has been deleted.")
            return redirect("performance:thread", org_slug=request.organisation.slug)  # type: ignore[attr-defined]
    return render(request, "performance/item_delete.html", {"item": item, "error": error})
