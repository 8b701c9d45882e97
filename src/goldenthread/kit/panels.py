"""Parts of one app's page or export that other apps supply.

The TOM on a page opens with the vision and priorities, which live in the
golden thread; the TOM's Excel export carries the thread as a sheet. The
operating model may not import the golden thread, so it names a slot and
renders whatever is registered there:

* :data:`PAGE_PANELS` — ``slot -> Registry`` of functions that give a
  :class:`Panel` (a template and its context) for an organisation;
* :data:`EXPORT_SHEETS` — ``slot -> Registry`` of functions that give the
  sheets to add to a workbook.

A page about one record passes it as the subject, and each source of that
slot is called with the organisation and the subject.

Slots in use: ``tom-on-a-page`` (panels) and ``tom-export`` (sheets);
``programme-page`` (subject: a programme) and ``programme-action`` (subject:
an action), where the programme's parts add their panels to the programme's
dashboard and to an action's page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import OrgRequest
from goldenthread.formats.writing import Sheet

from .registry import Registry

__all__ = ["EXPORT_SHEETS", "PAGE_PANELS", "Panel", "export_sheets", "page_panels", "slot"]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelSource = Callable[..., Panel | None]
SheetSource = Callable[[Organisation], Sequence[Sheet]]

PAGE_PANELS: dict[str, Registry[PanelSource]] = {}
EXPORT_SHEETS: dict[str, Registry[SheetSource]] = {}


def slot(registries: dict[str, Registry[Any]], name: str) -> Registry[Any]:
    """The registry of slot ``name``, made the first time it is asked for."""
    return registries.setdefault(name, Registry(f"{name} slot"))


def page_panels(name: str, request: OrgRequest, subject: Any = None) -> list[SafeString]:
    """The rendered panels of slot ``name`` for the request's organisation, in order.

    With a ``subject`` (the record the page is about), each source is called
    with the organisation and the subject.
    """
    organisation = request.organisation
    rendered = []
    for source in slot(PAGE_PANELS, name):
        panel = source(organisation) if subject is None else source(organisation, subject)
        if panel is not None:
            rendered.append(SafeString(render_to_string(panel.template, panel.context, request)))
    return rendered


def export_sheets(name: str, organisation: Organisation) -> list[Sheet]:
    """The sheets every source of slot ``name`` adds, in order."""
    return [sheet for source in slot(EXPORT_SHEETS, name) for sheet in source(organisation)]
