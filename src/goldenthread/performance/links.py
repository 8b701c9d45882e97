"""What a record of another module contributes to: the link pages and the kit's link end.

An action, benefit or KPI says which golden-thread item (an objective, a
service plan, a team objective) it contributes to from its own page, through
the links kit; the golden thread never imports those modules. A golden-thread
item contributes to its parent instead, so this end does not apply to it.
The item's page lists the records that contribute to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.kit import links as kit_links
from goldenthread.kit.pages import get_or_404, org_url

from . import selectors, services
from .models import ThreadItem
from .registrations import PARENTS, THREAD_ITEM

LINKED = "{record} now contributes to {item}."
UNLINKED = "{record} no longer contributes to {item}."
CHOOSE_ITEM = "Choose the objective it contributes to"
LINK_END_KEY = "thread-objectives"


def _item_url(organisation: Organisation, item: ThreadItem) -> str:
    return reverse(
        "performance:item_detail", kwargs={"org_slug": organisation.slug, "item_id": item.pk}
    )


@org_view(Role.EDITOR)
def thread_link_create(request: OrgRequest, kind: str, record_id: int) -> HttpResponse:
    organisation = request.organisation
    if kind == THREAD_ITEM:
        # An item contributes to its parent: that is changed on the item itself.
        _kind, record = kit_links.linkable_item(organisation, kind, record_id)
        return redirect(org_url(request, "performance:item_edit", item_id=record.pk))
    return kit_links.link_create_page(
        request,
        kind=kind,
        record_id=record_id,
        form=lambda data: kit_links.LinkForm(
            data,
            organisation=organisation,
            source="thread-items",
            scope=PARENTS,
            label="Golden-thread item it contributes to",
            help_text="An objective, a service plan or a team objective: type a few words "
            "of its title.",
            choose=CHOOSE_ITEM,
            note_help="How it contributes, in a sentence.",
            name="item",
        ),
        create=lambda record, data: services.thread_link_create(
            item=data["item"], target=record, note=data["note"], by=request.user
        ),
        title="Link to the golden thread",
        intro=lambda name: (
            f"Choose the objective, service plan or team objective that {name} contributes to."
        ),
        message=lambda name, link: LINKED.format(record=name, item=link.item.title),
    )


@org_view(Role.EDITOR)
def thread_link_delete(request: OrgRequest, thread_link_id: int) -> HttpResponse:
    link = get_or_404(selectors.thread_link_get, request, "link", pk=thread_link_id)
    item_url = _item_url(request.organisation, link.item)
    return kit_links.link_delete_page(
        request,
        link=link,
        end_title=link.item.title,
        end_url=item_url,
        end_label=f"as contributing to {link.item.title}",
        delete=lambda: services.thread_link_delete(link=link, by=request.user),
        message=lambda name: UNLINKED.format(record=name, item=link.item.title),
        back_to_end=request.GET.get("from") == "item",
        crumbs=[(link.item.title, item_url)],
    )


def contributions(organisation: Organisation, item: ThreadItem) -> list[dict[str, Any]]:
    """Records of other modules that contribute to ``item``, for its page."""
    links = list(selectors.thread_contributions(item=item))
    found = kit_links.linked_items(
        organisation, [(link.content_type_id, link.object_id) for link in links]
    )
    return [
        {"link": link, "record": found[(link.content_type_id, link.object_id)]} for link in links
    ]


def _links_of(
    organisation: Organisation, kind: kit_links.LinkableKind, record: Any
) -> list[kit_links.ItemLink]:
    content_type = ContentType.objects.get_for_model(kind.model)
    return [
        kit_links.ItemLink(
            title=link.item.title,
            url=_item_url(organisation, link.item),
            remove_url=reverse(
                "performance:thread_link_delete",
                kwargs={"org_slug": organisation.slug, "thread_link_id": link.pk},
            ),
            detail=link.item.get_level_display(),
            note=link.note,
        )
        for link in selectors.thread_links_of(
            organisation=organisation, content_type_id=content_type.pk, object_id=record.pk
        )
    ]


THREAD_LINK_END = kit_links.LinkEnd(
    key=LINK_END_KEY,
    heading="Golden-thread objectives it contributes to",
    empty="It is not traced to the golden thread yet.",
    add_label="Link to the golden thread",
    links=_links_of,
    add_url=lambda organisation, kind, record: reverse(
        "performance:thread_link_create",
        kwargs={"org_slug": organisation.slug, "kind": kind.key, "record_id": record.pk},
    ),
    forget=lambda record: services.thread_links_forget(target=record),
    applies=lambda kind: kind.key != THREAD_ITEM,
)


def register() -> None:
    kit_links.LINK_ENDS.add(THREAD_LINK_END.key, THREAD_LINK_END, order=20)
