"""The programmes and the actions register as kit tables: filtered, sorted and downloaded."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.html import format_html

from goldenthread.kit.tables import (
    BooleanFilter,
    BoundTable,
    ChoiceFilter,
    DateRangeFilter,
    SearchFilter,
    Table,
    TableColumn,
    record_link,
)
from goldenthread.programme.models import (
    Action,
    ActionStatus,
    Phase,
    Programme,
    ProgrammeStatus,
    Rag,
    Workstream,
)

from . import rags
from .columns import ACTION_COLUMNS
from .fields import quarter_label

#: The class of a row of an action from another plan: shown greyed, as the plan's own papers do.
OTHER_PLAN_ROW = "gt-other-plan"


def source_tag(action: Action) -> Any:
    """The "From: productivity plan" tag of an action from another plan, or ""."""
    if not action.source:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--grey gt-source-tag">From: {}</strong>', action.source
    )


def rag_tag(action: Action) -> Any:
    """The action's RAG as a GOV.UK tag in words: "Amber", "Not rated (cancelled)"."""
    return format_html(
        '<strong class="govuk-tag {} gt-rag gt-rag--{}">{}</strong>',
        rags.tag_class(action.rag),
        action.rag or "none",
        rags.label(action.rag, action.status),
    )


def _title(action: Action, table: BoundTable) -> Any:
    href = table.url("programme:action_detail", action_id=action.pk)
    link = format_html('<a class="govuk-link" href="{}">{}</a>', href, action.title)
    tag = source_tag(action)
    return format_html("{} {}", link, tag) if tag else link


def _programmes(table: BoundTable) -> Any:
    found = Programme.objects.filter(organisation=table.organisation).order_by("name")
    return found.values_list("pk", "name")


def _workstreams(table: BoundTable) -> Any:
    found = Workstream.objects.filter(programme__organisation=table.organisation)
    rows = found.order_by("programme__name", "position", "name").values_list(
        "pk", "programme__name", "name"
    )
    return [(pk, f"{programme}: {name}") for pk, programme, name in rows]


def _phases(table: BoundTable) -> Any:
    found = Phase.objects.filter(programme__organisation=table.organisation)
    rows = found.order_by("programme__name", "position", "pk").values_list(
        "pk", "programme__name", "name"
    )
    return [(pk, f"{programme}: {name}") for pk, programme, name in rows]


def _row_class(action: Action) -> str:
    return OTHER_PLAN_ROW if action.source else ""


ACTIONS = Table(
    thing="action",
    things="actions",
    columns=[
        TableColumn("reference", "Reference", sort=Lower("reference")),
        TableColumn("title", "Action", value=lambda a: a.title, cell=_title, sort=Lower("title")),
        TableColumn(
            "programme",
            "Programme",
            value=lambda a: a.programme.name,
            sort=F("programme__name"),
            show=False,
        ),
        TableColumn(
            "workstream",
            "Workstream",
            value=lambda a: a.workstream.name if a.workstream else "",
            sort=F("workstream__name"),
        ),
        TableColumn(
            "phase",
            "Phase",
            value=lambda a: a.phase.name if a.phase else "",
            sort=F("phase__position"),
            show=False,
        ),
        TableColumn("owner", "Owner", sort=Lower("owner")),
        TableColumn(
            "implement_from",
            "Implement from",
            value=lambda a: quarter_label(a.implement_from),
            sort=F("implement_from"),
            show=False,
        ),
        TableColumn("due_on", "Due", sort=F("due_on")),
        TableColumn("forecast_on", "Forecast", sort=F("forecast_on"), show=False),
        TableColumn("status", "Status", value=lambda a: a.get_status_display(), sort="status"),
        TableColumn(
            "percent_complete", "Per cent", sort="percent_complete", numeric=True, show=False
        ),
        TableColumn(
            "rag",
            "RAG",
            value=lambda a: a.get_rag_display() if a.rag else "",
            cell=lambda a, _table: rag_tag(a),
            sort="rag",
        ),
        TableColumn("budget", "Budget", sort=F("budget"), numeric=True, money=True, show=False),
        TableColumn("spend", "Spend", sort=F("spend"), numeric=True, money=True, show=False),
        TableColumn("source", "Source", sort=F("source"), show=False),
    ],
    filters=[
        SearchFilter(
            "q",
            "Search",
            fields=["title", "description", "target_area", "notes"],
            exact=["reference"],
            hint="Words from the title, description or target area, or a whole reference",
        ),
        ChoiceFilter("programme", "Programme", field="programme", choices=_programmes),
        ChoiceFilter(
            "workstream", "Workstream", field="workstream", choices=_workstreams, multiple=True
        ),
        ChoiceFilter("phase", "Phase", field="phase", choices=_phases, multiple=True),
        ChoiceFilter(
            "status", "Status", field="status", choices=ActionStatus.choices, multiple=True
        ),
        ChoiceFilter("rag", "RAG", field="rag", choices=Rag.choices, multiple=True),
        SearchFilter(
            "owner",
            "Owner",
            fields=["owner"],
            exact=["owner_post"],
            hint="Words from the owner's name, or a whole post ID",
        ),
        BooleanFilter(
            "own",
            "Source",
            yes=Q(source=""),
            yes_label="This programme's own plan",
            no_label="From another plan",
        ),
        DateRangeFilter("due", "Due", field="due_on"),
    ],
    default_sort="reference",
    default_ordering=("programme__name", "position"),
    caption="Actions",
    #: An action's row is wide (a dozen columns and its tags): 25 to a page keeps it quick.
    page_size=25,
    export=ACTION_COLUMNS,
    row_class=_row_class,
)


PROGRAMMES = Table(
    thing="programme",
    things="programmes",
    columns=[
        TableColumn(
            "name",
            "Programme",
            sort=Lower("name"),
            cell=record_link("programme:programme_detail", "programme_id", "name"),
        ),
        TableColumn("sponsor", "Senior responsible owner", sort=Lower("sponsor")),
        TableColumn("start_on", "Starts", sort=F("start_on")),
        TableColumn("end_on", "Ends", sort=F("end_on")),
        TableColumn("status", "Status", value=lambda p: p.get_status_display(), sort="status"),
        TableColumn("workstream_count", "Workstreams", sort="workstream_count", numeric=True),
        TableColumn("action_count", "Actions", sort="action_count", numeric=True),
    ],
    filters=[
        SearchFilter("q", "Search", fields=["name", "description", "sponsor"]),
        ChoiceFilter(
            "status", "Status", field="status", choices=ProgrammeStatus.choices, multiple=True
        ),
    ],
    default_sort="name",
    caption="Programmes",
)
