"""The golden thread pages: the tree, each item, orphans. Viewers read; editors change."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, org_view, query_id
from goldenthread.analysis.wording import plural
from goldenthread.kit.links import item_link_panels, links_lost, record_links_lost
from goldenthread.kit.lists import capped
from goldenthread.kit.orphans import orphan_sections
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.tables import table_page

from . import selectors, services, tables
from .forms import ThreadItemForm
from .links import contributions
from .models import Level, ThreadItem

NOT_FOUND_THING = "item in the golden thread"
#: The level a new item takes below its parent's.
LEVEL_BELOW = {
    Level.VISION: Level.PRIORITY,
    Level.PRIORITY: Level.OBJECTIVE,
    Level.OBJECTIVE: Level.SERVICE_PLAN,
    Level.SERVICE_PLAN: Level.TEAM_OBJECTIVE,
    Level.TEAM_OBJECTIVE: Level.INDIVIDUAL_OBJECTIVE,
}


def _item_or_404(request: OrgRequest, item_id: int) -> ThreadItem:
    return get_or_404(selectors.thread_item_get, request, NOT_FOUND_THING, pk=item_id)


def _crumbs(request: OrgRequest, item: ThreadItem | None = None) -> list[tuple[str, str]]:
    crumbs = [("Golden thread", org_url(request, "performance:thread"))]
    if item is not None:
        crumbs.append((item.title, org_url(request, "performance:item_detail", item_id=item.pk)))
    return crumbs


#: The tree page shows the thread from the top down to this many items; the
#: item list pages, filters and downloads every item.
THREAD_ROWS = 50


@org_view()
def thread(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    rows = selectors.thread_tree(organisation=organisation)
    orphan_ids = {item.pk for item in selectors.thread_orphans(organisation=organisation)}
    tally = {value: sum(1 for r in rows if r.item.level == value) for value in Level.values}
    counts = {
        (label if tally[value] == 1 else plural(label)): tally[value]
        for value, label in Level.choices
    }
    return render(
        request,
        "performance/thread.html",
        {
            "rows": capped(rows, THREAD_ROWS),
            "orphan_ids": orphan_ids,
            "counts": counts,
            "items_url": org_url(request, "performance:item_list"),
        },
    )


@org_view()
def item_list(request: OrgRequest) -> HttpResponse:
    items = selectors.thread_item_register(organisation=request.organisation)
    table = tables.ITEMS.bind(request, items)
    return table_page(request, table, "performance/item_list.html", what="golden thread items")


@org_view()
def orphans(request: OrgRequest) -> HttpResponse:
    """Everything traced to nothing, from every module's registered source."""
    organisation = request.organisation
    return render(
        request,
        "performance/orphans.html",
        {"sections": orphan_sections(organisation=organisation)},
    )


@org_view()
def item_detail(request: OrgRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    return render(
        request,
        "performance/item_detail.html",
        {
            "item": item,
            "ancestors": selectors.thread_ancestors(item=item),
            "children": capped(selectors.thread_children(item=item)),
            "items_url": org_url(request, "performance:item_list"),
            "link_panels": item_link_panels(request, item),
            "contributions": contributions(request.organisation, item),
        },
    )


@org_view(Role.EDITOR)
def item_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    initial: dict[str, object] = {}
    parent_id = query_id(request.GET.get("parent"))
    if parent_id is not None:
        parent = selectors.thread_item_list(organisation=organisation).filter(pk=parent_id).first()
        if parent is not None:
            initial["parent"] = parent.pk
            below = LEVEL_BELOW.get(Level(parent.level))
            if below:
                initial["level"] = below.value
            if parent.unit_id:
                initial["unit"] = parent.unit_id
    return form_page(
        request,
        ThreadItemForm(bound(request), organisation=organisation, initial=initial),
        lambda data: services.thread_item_create(
            by=request.user, organisation=organisation, **data
        ),
        done=lambda item: org_url(request, "performance:item_detail", item_id=item.pk),
        message=lambda item: f"{item.title} has been added.",
        title="Add an item to the golden thread",
        crumbs=_crumbs(request),
        cancel_url=org_url(request, "performance:thread"),
        template="performance/item_form.html",
    )


@org_view(Role.EDITOR)
def item_edit(request: OrgRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    detail = org_url(request, "performance:item_detail", item_id=item.pk)
    form = ThreadItemForm(
        bound(request),
        organisation=request.organisation,
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
    return form_page(
        request,
        form,
        lambda data: services.thread_item_update(by=request.user, item=item, **data),
        done=lambda _saved: detail,
        message=lambda _saved: f"{item.title} has been saved.",
        title=f"Change {item.title}",
        crumbs=_crumbs(request, item),
        cancel_url=detail,
        template="performance/item_form.html",
        record=item,
    )


@org_view(Role.EDITOR)
def item_delete(request: OrgRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    return confirm_page(
        request,
        lambda: services.thread_item_delete(by=request.user, item=item),
        done=org_url(request, "performance:thread"),
        message=f"{item.title} has been deleted.",
        title=f"Are you sure you want to delete {item.title}?",
        intro="Its history stays in the audit trail.",
        consequences=[
            *record_links_lost(request, item),
            *links_lost(
                "records that contribute to it",
                [c["record"].title for c in contributions(request.organisation, item)],
            ),
        ],
        button="Yes, delete it",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=org_url(request, "performance:item_detail", item_id=item.pk),
        crumbs=_crumbs(request, item),
    )
