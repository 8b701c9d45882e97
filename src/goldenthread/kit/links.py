"""Links between any record and what it serves: the TOM components it delivers, the objectives.

Two registries, both filled by apps in their ``AppConfig.ready()``:

* :data:`LINKABLE` — the kinds of record that can be linked (a golden-thread
  item today; the programme's actions, benefits, risks and the KPIs when they
  land): a label, the model, the organisation's records, each one's title and
  address, and the kind of delivery it records. A link is stored generically
  (content type and object id, docs/adr/0007), so the module at the other end
  shows the record's title and page through this registry without importing
  the record's app.
* :data:`LINK_ENDS` — what a record can be linked to (the TOM components it
  delivers, from the operating model; the golden-thread objectives it
  contributes to, from the golden thread): for one record, its links with
  their remove pages, and the page that adds one. A record's page shows every end with
  :func:`item_link_panels` and the template ``kit/_item_links.html``.

A new module makes its records linkable by registering a :class:`LinkableKind`
and including ``kit/_item_links.html`` in its record's page; nothing below it
changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404, HttpResponse

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.tenancy import OrgRequest
from goldenthread.analysis.wording import plural

from .pages import bound, confirm_page, form_page
from .pickers import PickerField
from .registry import Registry

__all__ = [
    "LINKABLE",
    "LINK_ENDS",
    "NO_SUCH_ITEM",
    "ItemLink",
    "LinkEnd",
    "LinkForm",
    "LinkPanel",
    "LinkableKind",
    "LinkedItem",
    "forget_links",
    "item_link_panels",
    "link_create_page",
    "link_delete_page",
    "linkable_for",
    "linkable_item",
    "linkable_words",
    "linked_items",
    "links_lost",
    "record_links_lost",
]

NO_SUCH_ITEM = "No such {label} in this organisation"
#: Records a delete page names among the links it removes; the rest are counted.
LINKS_NAMED = 5
GONE = "{label} {pk} (no longer exists)"


@dataclass(frozen=True)
class LinkableKind:
    """A kind of record that can deliver a TOM component or serve an objective."""

    #: In addresses: ``thread-item``.
    key: str
    #: In words, lower case: "golden-thread item".
    label: str
    model: type[models.Model]
    #: The organisation's records of this kind.
    queryset: Callable[[Organisation], models.QuerySet[Any]]
    #: A record's page.
    url: Callable[[Organisation, Any], str]
    #: The kind of delivery a link records (the operating model's DeliveryKind value).
    delivery_kind: str
    title: Callable[[Any], str] = str
    #: A word or two beside the title, such as the item's level.
    detail: Callable[[Any], str] = lambda record: ""


#: Every kind of record that can be linked, by key.
LINKABLE: Registry[LinkableKind] = Registry("linkable kinds")


def linkable_words() -> str:
    """The kinds of record that can be linked, in words: "golden-thread items".

    Pages say only what exists: a module's records are named here once it
    registers them.
    """
    words = [plural(kind.label) for kind in LINKABLE]
    if len(words) > 1:
        return f"{', '.join(words[:-1])} and {words[-1]}"
    return words[0] if words else "records"


def linkable_for(model: type[models.Model]) -> LinkableKind | None:
    """The registered kind of ``model``'s records, or ``None``."""
    for kind in LINKABLE:
        if kind.model._meta.label_lower == model._meta.label_lower:
            return kind
    return None


def linkable_item(organisation: Organisation, key: str, pk: int) -> tuple[LinkableKind, Any]:
    """The kind ``key`` and its record ``pk`` in the organisation, or 404."""
    if key not in LINKABLE:
        raise Http404(NO_SUCH_ITEM.format(label="kind of record"))
    kind = LINKABLE.get(key)
    record = kind.queryset(organisation).filter(pk=pk).first()
    if record is None:
        raise Http404(NO_SUCH_ITEM.format(label=kind.label))
    return kind, record


@dataclass(frozen=True)
class LinkedItem:
    """The record at the far end of a stored link, as a page shows it."""

    label: str
    title: str
    url: str
    detail: str = ""
    exists: bool = True


def linked_items(
    organisation: Organisation, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], LinkedItem]:
    """``(content_type_id, object_id) -> LinkedItem`` for stored links, one query per kind.

    A record of an unregistered kind shows its content type's name; one that
    no longer exists says so (the database cannot check a generic link).
    """
    wanted: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in pairs:
        wanted[content_type_id].add(object_id)
    found: dict[tuple[int, int], LinkedItem] = {}
    for content_type_id, ids in wanted.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        kind = linkable_for(model) if model is not None else None
        if kind is None:
            for pk in ids:
                found[(content_type_id, pk)] = LinkedItem(
                    content_type.name, f"{content_type.name.capitalize()} {pk}", "", exists=False
                )
            continue
        records = kind.queryset(organisation).in_bulk(ids)
        for pk in ids:
            record = records.get(pk)
            if record is None:
                found[(content_type_id, pk)] = LinkedItem(
                    kind.label, GONE.format(label=kind.label.capitalize(), pk=pk), "", exists=False
                )
            else:
                found[(content_type_id, pk)] = LinkedItem(
                    kind.label,
                    kind.title(record),
                    kind.url(organisation, record),
                    kind.detail(record),
                )
    return found


@dataclass(frozen=True)
class ItemLink:
    """One link of a record, as the record's page shows it."""

    title: str
    url: str
    #: The page that removes the link (after asking).
    remove_url: str
    detail: str = ""
    note: str = ""


@dataclass(frozen=True)
class LinkEnd:
    """Something a record can be linked to, and how its links are listed and added."""

    key: str
    #: The heading on the record's page: "TOM components it delivers".
    heading: str
    #: Shown when the record has no link of this end.
    empty: str
    #: The button that adds one: "Link to a TOM component".
    add_label: str
    links: Callable[[Organisation, LinkableKind, Any], list[ItemLink]]
    add_url: Callable[[Organisation, LinkableKind, Any], str]
    #: Delete every link of a record that is being deleted (through the end's own service).
    forget: Callable[[Any], object] = lambda record: None
    #: Whether records of a kind link to this end (a golden-thread item has its parent instead).
    applies: Callable[[LinkableKind], bool] = lambda kind: True


#: Everything a record can be linked to.
LINK_ENDS: Registry[LinkEnd] = Registry("link ends")


def forget_links(record: Any) -> None:
    """Delete ``record``'s links at every end: call it in the service that deletes the record.

    A generic link is not a foreign key, so the database cannot cascade it.
    """
    for end in LINK_ENDS:
        end.forget(record)


@dataclass(frozen=True)
class LinkPanel:
    end: LinkEnd
    links: list[ItemLink]
    #: Empty for someone who may not add links.
    add_url: str


def item_link_panels(request: OrgRequest, record: Any) -> list[LinkPanel]:
    """What ``record`` is linked to, one panel per registered end, for its page."""
    kind = linkable_for(type(record))
    if kind is None:
        return []
    organisation = request.organisation
    editor = request.membership.allows(Role.EDITOR)
    panels = []
    for end in LINK_ENDS:
        if not end.applies(kind):
            continue
        links = end.links(organisation, kind, record)
        if not editor:
            links = [ItemLink(link.title, link.url, "", link.detail, link.note) for link in links]
        panels.append(
            LinkPanel(end, links, end.add_url(organisation, kind, record) if editor else "")
        )
    return panels


def links_lost(heading: str, titles: Sequence[str]) -> list[str]:
    """A delete page's consequence: the links that go with the record, named.

    >>> links_lost("TOM components it delivers", ["Channels", "Customers"])
    ['2 links are removed (TOM components it delivers): Channels, Customers']
    >>> links_lost("TOM components it delivers", [])
    []
    """
    if not titles:
        return []
    count = len(titles)
    shown = ", ".join(titles[:LINKS_NAMED])
    more = f" and {count - LINKS_NAMED} more" if count > LINKS_NAMED else ""
    noun = "link is" if count == 1 else "links are"
    return [f"{count} {noun} removed ({heading}): {shown}{more}"]


def record_links_lost(request: OrgRequest, record: Any) -> list[str]:
    """The links a record of a registered kind loses when it is deleted, one line per end."""
    lines: list[str] = []
    for panel in item_link_panels(request, record):
        lines += links_lost(panel.end.heading, [link.title for link in panel.links])
    return lines


# The two pages every link end has -------------------------------------------------


class LinkForm(forms.Form):
    """What a link page asks: the far end, chosen with a picker, and a note.

    The picked record is in ``cleaned_data[name]``; the name is the field a
    refused link's :class:`ServiceError` names, so the message shows beside it.
    """

    note = forms.CharField(max_length=300, required=False, label="Note (optional)")

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        source: str,
        label: str,
        choose: str,
        note_help: str,
        name: str = "end",
        scope: str = "",
        help_text: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields[name] = PickerField(
            source=source,
            organisation=organisation,
            scope=scope,
            records=True,
            label=label,
            help_text=help_text,
            error_messages={"required": choose},
        )
        self.fields["note"].help_text = note_help
        self.order_fields([name, "note"])


def link_create_page(
    request: OrgRequest,
    *,
    kind: str,
    record_id: int,
    form: Callable[[Any], forms.Form],
    create: Callable[[Any, dict[str, Any]], Any],
    title: str,
    intro: Callable[[str], str],
    message: Callable[[str, Any], str],
) -> HttpResponse:
    """The page that links a record (of any registered kind) to the far end a form chooses.

    ``form(data)`` is the form bound to ``data`` (or unbound); ``create(record,
    cleaned_data)`` records the link through the end's service; ``intro`` and
    ``message`` are given the record's title (``message`` the new link too).
    The record is found through :data:`LINKABLE`, so another organisation's
    record answers 404, and the page returns to the record.
    """
    linkable, record = linkable_item(request.organisation, kind, record_id)
    name = linkable.title(record)
    record_url = linkable.url(request.organisation, record)
    return form_page(
        request,
        form(bound(request)),
        lambda data: create(record, data),
        done=lambda link: record_url,
        message=lambda link: message(name, link),
        title=title,
        caption=f"{linkable.label.capitalize()}: {name}",
        intro=intro(name),
        crumbs=[(name, record_url), (title, "")],
        cancel_url=record_url,
        button="Link",
    )


def link_delete_page(
    request: OrgRequest,
    *,
    link: Any,
    end_title: str,
    end_url: str,
    end_label: str,
    delete: Callable[[], Any],
    message: Callable[[str], str],
    back_to_end: bool,
    crumbs: Sequence[tuple[str, str]],
) -> HttpResponse:
    """The page that asks, then removes ``link`` between a record and an end (``end_title``).

    ``message`` is given the record's title. The page returns to where it
    came from: the end's page (``back_to_end``) or the record's. Neither
    record is changed; the removal is in the link's history.
    """
    record = linked_items(request.organisation, [(link.content_type_id, link.object_id)])[
        (link.content_type_id, link.object_id)
    ]
    back = end_url if back_to_end or not record.url else record.url
    return confirm_page(
        request,
        delete,
        done=back,
        message=message(record.title),
        title=f"Remove the link between {record.title} and {end_title}?",
        intro=f"{record.title} will no longer be shown {end_label}. Neither record is changed.",
        crumbs=[*crumbs, ("Remove a link", "")],
        cancel_url=back,
        button="Remove the link",
        warning=True,
    )
