"""What a record of another module contributes to: the link pages and the kit's link end.

An action, benefit or KPI says which golden-thread item (an objective, a
service plan, a team objective) it contributes to from its own page, through
the links kit; the golden thread never imports those modules. A golden-thread
item contributes to its parent instead, so this end does not apply to it.
The item's page lists the records that contribute to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.kit import links as kit_links
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.pickers import PickerField

from . import selectors, services
from .models import ThreadItem
from .registrations import PARENTS, THREAD_ITEM

LINKED = "{record} now contributes to {item}."
UNLINKED = "{record} no longer contributes to {item}."
CHOOSE_ITEM = "Choose the objective it contributes to"
LINK_END_KEY = "thread-objectives"


class ThreadLinkForm(forms.Form):
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Note (optional)",
        help_text="How it contributes, in a sentence.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"] = PickerField(
            source="thread-items",
            organisation=organisation,
            scope=PARENTS,
            records=True,
            label="Golden-thread item it contributes to",
            help_text="An objective, a service plan or a team objective: type a few words "
            "of its title.",
            error_messages={"required": CHOOSE_ITEM},
        )
        self.order_fields(["item", "note"])


def _item_url(organisation: Organisation, item: ThreadItem) -> str:
    return reverse(
        "performance:item_detail", kwargs={"org_slug": organisation.slug, "item_id": item.pk}
    )


@org_view(Role.EDITOR)
def thread_link_create(request: OrgRequest, kind: str, record_id: int) -> HttpResponse:
    organisation = request.organisation
    linkable, record = kit_links.linkable_item(organisation, kind, record_id)
    if linkable.key == THREAD_ITEM:
        # An item contributes to its parent: that is changed on the item itself.
        return redirect(org_url(request, "performance:item_edit", item_id=record.pk))
    title = linkable.title(record)
    record_url = linkable.url(organisation, record)
    return form_page(
        request,
        ThreadLinkForm(bound(request), organisation=organisation),
        lambda data: services.thread_link_create(
            item=data["item"], target=record, note=data["note"]
        ),
        done=lambda link: record_url,
        message=lambda link: LINKED.format(record=title, item=link.item.title),
        title="Link to the golden thread",
        caption=f"{linkable.label.capitalize()}: {title}",
        intro=f"Choose the objective, service plan or team objective that {title} contributes to.",
        crumbs=[(title, record_url), ("Link to the golden thread", "")],
        cancel_url=record_url,
        button="Link",
    )


@org_view(Role.EDITOR)
def thread_link_delete(request: OrgRequest, thread_link_id: int) -> HttpResponse:
    organisation = request.organisation
    link = get_or_404(selectors.thread_link_get, request, "link", pk=thread_link_id)
    record = kit_links.linked_items(organisation, [(link.content_type_id, link.object_id)])[
        (link.content_type_id, link.object_id)
    ]
    item_url = _item_url(organisation, link.item)
    back = item_url if request.GET.get("from") == "item" or not record.url else record.url
    return confirm_page(
        request,
        lambda: services.thread_link_delete(link=link),
        done=back,
        message=UNLINKED.format(record=record.title, item=link.item.title),
        title=f"Remove the link between {record.title} and {link.item.title}?",
        intro=f"{record.title} will no longer be shown as contributing to "
        f"{link.item.title}. Neither record is changed.",
        crumbs=[(link.item.title, item_url), ("Remove a link", "")],
        cancel_url=back,
        button="Remove the link",
        warning=True,
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
