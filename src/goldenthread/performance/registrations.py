"""What the golden thread adds to the kit's registries (called from ``AppConfig.ready()``).

* its items are linkable: each can say which TOM components it delivers;
* the golden-thread item picker;
* two sections of the orphans page (items that contribute to nothing,
  directorates without a service plan) and the post IDs that hold an
  individual objective, which the structure's section of that page reads;
* the vision and priorities at the top of the TOM on a page, and the thread
  as a sheet of the TOM's workbook.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import query_id
from goldenthread.formats.writing import Sheet
from goldenthread.kit import links, orphans, panels, pickers
from goldenthread.kit.lists import capped

from . import selectors
from .models import Level, ThreadItem

THREAD_ITEM = "thread-item"


def item_url(organisation: Organisation, item: ThreadItem) -> str:
    return reverse(
        "performance:item_detail", kwargs={"org_slug": organisation.slug, "item_id": item.pk}
    )


THREAD_ITEM_KIND = links.LinkableKind(
    key=THREAD_ITEM,
    label="golden-thread item",
    model=ThreadItem,
    queryset=lambda organisation: ThreadItem.objects.filter(organisation=organisation),
    url=item_url,
    delivery_kind="objective",
    title=lambda item: item.title,
    detail=lambda item: item.get_level_display(),
)


# The golden-thread item picker ---------------------------------------------------


def _option(item: ThreadItem) -> pickers.Option:
    return pickers.Option(str(item.pk), f"{item.get_level_display()}: {item.title}", item)


#: The picker's scope for what an item can contribute to: every level but individual objectives.
PARENTS = "parents"


def _scoped(organisation: Organisation, scope: str) -> QuerySet[ThreadItem]:
    """The items of the picker: all of them, those of one level, or the possible parents."""
    if scope == PARENTS:
        return selectors.thread_parent_choices(organisation=organisation).select_related("unit")
    found = selectors.thread_item_list(organisation=organisation).order_by("position", "pk")
    return found.filter(level=scope) if scope else found


def _options(
    organisation: Organisation, scope: str, query: str, limit: int | None
) -> list[pickers.Option]:
    found = _scoped(organisation, scope)
    if query:
        found = found.filter(title__icontains=query)
    return [_option(item) for item in (found[:limit] if limit else found)]


def _find(organisation: Organisation, scope: str, value: str) -> pickers.Option | None:
    found = _scoped(organisation, scope)
    pk = query_id(value)
    item = found.filter(pk=pk).first() if pk is not None else None
    if item is None:
        matches = list(found.filter(title__iexact=value)[:2])
        item = matches[0] if len(matches) == 1 else None
    return _option(item) if item is not None else None


def _count(organisation: Organisation, scope: str) -> int:
    return _scoped(organisation, scope).count()


THREAD_ITEM_PICKER = pickers.PickerSource(
    key="thread-items",
    noun="a golden-thread item",
    options=_options,
    find=_find,
    count=_count,
    hint="choose an item of the golden thread by its title",
)


# The orphans page ----------------------------------------------------------------


def untraced_items(organisation: Organisation) -> orphans.OrphanSection:
    rows = []
    for item in selectors.thread_orphans(organisation=organisation):
        held = [
            item.unit.name if item.unit else "",
            f"Post {item.post_reference}" if item.post_reference else "",
        ]
        detail = " – ".join(part for part in [item.get_level_display(), *held] if part)
        rows.append(orphans.OrphanRow(item.title, item_url(organisation, item), detail))
    return orphans.OrphanSection(
        title="Golden-thread items that contribute to nothing",
        rows=tuple(rows),
        empty="None: every item is traced to the vision.",
        headings=("Item", "Level, unit or post"),
    )


def unplanned_directorates(organisation: Organisation) -> orphans.OrphanSection:
    rows = tuple(
        orphans.OrphanRow(
            unit.name,
            reverse("core:unit_detail", kwargs={"org_slug": organisation.slug, "unit_id": unit.pk}),
            unit.get_kind_display(),
        )
        for unit in selectors.directorates_without_plan(organisation=organisation)
    )
    return orphans.OrphanSection(
        title="Directorates without a service plan",
        rows=rows,
        empty="None: every directorate and shared service has a service plan.",
        headings=("Unit", "Kind"),
    )


def objective_posts(organisation: Organisation) -> set[str]:
    return set(
        ThreadItem.objects.filter(organisation=organisation, level=Level.INDIVIDUAL_OBJECTIVE)
        .exclude(post_reference="")
        .values_list("post_reference", flat=True)
    )


# The TOM on a page and its workbook ------------------------------------------------


def vision_panel(organisation: Organisation) -> panels.Panel:
    return panels.Panel(
        "performance/_tom_vision.html",
        {
            "visions": capped(selectors.thread_visions(organisation=organisation)),
            "priorities": capped(
                selectors.thread_item_list(organisation=organisation)
                .filter(level=Level.PRIORITY)
                .order_by("position", "pk")
            ),
            "items_url": reverse("performance:item_list", kwargs={"org_slug": organisation.slug}),
        },
    )


def thread_sheet(organisation: Organisation) -> list[Sheet]:
    rows = [
        (
            row.item.get_level_display(),
            "  " * row.depth + row.item.title,
            row.item.parent.title if row.item.parent else "",
            row.item.unit.name if row.item.unit else "",
            row.item.get_perspective_display() if row.item.perspective else "",
            row.item.post_reference,
            row.item.owner,
            "; ".join(row.item.measure_list()),
        )
        for row in selectors.thread_tree(organisation=organisation)
    ]
    header = (
        "Level",
        "Item",
        "Contributes to",
        "Unit",
        "Perspective",
        "Post",
        "Owner",
        "Measures of success",
    )
    return [Sheet("Golden thread", header, rows)]


def register() -> None:
    links.LINKABLE.add(THREAD_ITEM, THREAD_ITEM_KIND, order=10)
    pickers.PICKERS.add(THREAD_ITEM_PICKER.key, THREAD_ITEM_PICKER)
    orphans.ORPHANS.add("performance.untraced-items", untraced_items, order=10)
    orphans.ORPHANS.add("performance.unplanned-directorates", unplanned_directorates, order=20)
    orphans.OBJECTIVE_HOLDERS.add("performance.individual-objectives", objective_posts)
    panels.slot(panels.PAGE_PANELS, "tom-on-a-page").add("performance.vision", vision_panel)
    panels.slot(panels.EXPORT_SHEETS, "tom-export").add("performance.thread", thread_sheet)
