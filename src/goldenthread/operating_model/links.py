"""What delivers a component: the link pages and what the operating model registers in the kit.

A record of any module (a golden-thread item today; actions, benefits, risks
and KPIs when they land) is linked to the TOM components it delivers from its
own page. The operating model never imports those modules: it reaches their
records through the kit's registry of linkable kinds (docs/adr/0007).

Editors add and remove links; viewers see them at both ends. Every link and
its removal is in the audit history of the link.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import reverse

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.tenancy import OrgRequest, org_view, query_id
from goldenthread.kit import links as kit_links
from goldenthread.kit.pages import get_or_404, org_url
from goldenthread.kit.pickers import PICKERS, Option, PickerSource, records_source

from . import selectors, services
from .forms import PRINCIPLE_SET_PICKER_KEY
from .models import Component, PrincipleSet

LINKED = "{item} now delivers {component}."
UNLINKED = "{record} no longer delivers {component}."
CHOOSE_COMPONENT = "Choose the TOM component it delivers"

LINK_END_KEY = "tom-components"


def component_label(component: Component) -> str:
    """A component with its version, so the same name in two versions is told apart."""
    version = component.version
    return f"{component.name} (version {version.number}, {version.get_status_display().lower()})"


# The component picker -----------------------------------------------------------


def _component_option(component: Component) -> Option:
    return Option(str(component.pk), component_label(component), component)


def _component_options(
    organisation: Organisation, scope: str, query: str, limit: int | None
) -> list[Option]:
    found = selectors.component_options(organisation=organisation, query=query)
    return [_component_option(c) for c in (found[:limit] if limit else found)]


def _component_find(organisation: Organisation, scope: str, value: str) -> Option | None:
    found = selectors.component_options(organisation=organisation)
    pk = query_id(value)
    component = found.filter(pk=pk).first() if pk is not None else None
    if component is None:
        matches = list(found.filter(name__iexact=value)[:2])
        component = matches[0] if len(matches) == 1 else None
    return _component_option(component) if component is not None else None


COMPONENT_PICKER = PickerSource(
    key="tom-components",
    noun="a TOM component",
    options=_component_options,
    find=_component_find,
    count=lambda organisation, scope: selectors.component_options(
        organisation=organisation
    ).count(),
    hint="choose a component of the adopted TOM or of a version in draft",
)


# The pages ------------------------------------------------------------------------


@org_view(Role.EDITOR)
def component_link_create(request: OrgRequest, kind: str, record_id: int) -> HttpResponse:
    organisation = request.organisation
    linkable, _record = kit_links.linkable_item(organisation, kind, record_id)
    return kit_links.link_create_page(
        request,
        kind=kind,
        record_id=record_id,
        form=lambda data: kit_links.LinkForm(
            data,
            organisation=organisation,
            source=COMPONENT_PICKER.key,
            label="TOM component it delivers",
            choose=CHOOSE_COMPONENT,
            note_help="How it delivers the component, in a sentence.",
            name="component",
        ),
        create=lambda record, data: services.component_link_create(
            component=data["component"],
            kind=linkable.delivery_kind,
            target=record,
            note=data["note"],
            by=request.user,
        ),
        title="Link to a TOM component",
        intro=lambda name: f"Choose the component of the operating model that {name} delivers.",
        message=lambda name, link: LINKED.format(item=name, component=link.component.name),
    )


@org_view(Role.EDITOR)
def component_link_delete(request: OrgRequest, link_id: int) -> HttpResponse:
    link = get_or_404(selectors.component_link_get, request, "link", pk=link_id)
    component_url = org_url(
        request, "operating_model:component_detail", component_id=link.component_id
    )
    return kit_links.link_delete_page(
        request,
        link=link,
        end_title=link.component.name,
        end_url=component_url,
        end_label=f"as delivering {component_label(link.component)}",
        delete=lambda: services.component_link_delete(link=link, by=request.user),
        message=lambda name: UNLINKED.format(record=name, component=link.component.name),
        back_to_end=request.GET.get("from") == "component",
        crumbs=[
            ("Operating model", org_url(request, "operating_model:tom_home")),
            (link.component.name, component_url),
        ],
    )


# What the component page shows, and what a record's page shows -----------------------


def delivered_by(organisation: Organisation, component: Component) -> list[dict[str, Any]]:
    """The records that deliver ``component``, with their titles and pages, for its page."""
    links = list(selectors.component_links(component=component))
    items = kit_links.linked_items(
        organisation, [(link.content_type_id, link.object_id) for link in links]
    )
    return [{"link": link, "item": items[(link.content_type_id, link.object_id)]} for link in links]


def _links_of(
    organisation: Organisation, kind: kit_links.LinkableKind, record: Any
) -> list[kit_links.ItemLink]:
    content_type = ContentType.objects.get_for_model(kind.model)
    found = selectors.component_links_of(
        organisation=organisation, content_type_id=content_type.pk, object_id=record.pk
    )
    return [
        kit_links.ItemLink(
            title=link.component.name,
            url=_org_reverse(
                organisation, "operating_model:component_detail", component_id=link.component_id
            ),
            remove_url=_org_reverse(
                organisation, "operating_model:component_link_delete", link_id=link.pk
            ),
            detail=f"version {link.component.version.number}, "
            f"{link.component.version.get_status_display().lower()}",
            note=link.note,
        )
        for link in found
    ]


def _org_reverse(organisation: Organisation, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": organisation.slug, **kwargs})


COMPONENT_LINK_END = kit_links.LinkEnd(
    key=LINK_END_KEY,
    heading="TOM components it delivers",
    empty="It is not linked to any component of the operating model yet.",
    add_label="Link to a TOM component",
    links=_links_of,
    add_url=lambda organisation, kind, record: _org_reverse(
        organisation,
        "operating_model:component_link_create",
        kind=kind.key,
        record_id=record.pk,
    ),
    forget=lambda record: services.component_links_forget(target=record),
)


#: The sets of principles, by name (a TOM version's "Design principles").
PRINCIPLE_SET_PICKER = records_source(
    key=PRINCIPLE_SET_PICKER_KEY,
    noun="a set of principles",
    records=lambda organisation: PrincipleSet.objects.filter(organisation=organisation).order_by(
        "name", "pk"
    ),
)


def register() -> None:
    """Add the component picker and the component end of links to the kit (from ``ready()``)."""
    PICKERS.add(COMPONENT_PICKER.key, COMPONENT_PICKER)
    PICKERS.add(PRINCIPLE_SET_PICKER.key, PRINCIPLE_SET_PICKER)
    kit_links.LINK_ENDS.add(COMPONENT_LINK_END.key, COMPONENT_LINK_END, order=10)
