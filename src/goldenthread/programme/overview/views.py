"""The programme's views: its timeline by quarter, its board by status, its improvement plan.

Each page reads a fixed number of queries however many actions there are:
the timeline and the plan are paged, each column of the board is capped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.analysis.quarters import FinancialQuarter
from goldenthread.analysis.timeline import Cell, action_spans, quarter_window, timeline_cells
from goldenthread.kit.charts import chart_text
from goldenthread.kit.exports import workbook_response
from goldenthread.kit.pages import Crumbs, get_or_404, org_url
from goldenthread.kit.tables import page_links
from goldenthread.programme.models import Action, Programme
from goldenthread.programme.plan.selectors import programme_get

from . import links, plan_table, selectors

#: Actions a page of the timeline shows (each a row of up to 16 quarters); the next page more.
TIMELINE_PAGE_SIZE = 20
#: Actions a page of the improvement plan shows; the download holds them all.
PLAN_PAGE_SIZE = 25


class _Record(Protocol):
    pk: Any


M = TypeVar("M", bound=_Record)


def _programme_or_404(request: OrgRequest, programme_id: int) -> Programme:
    programme: Programme = get_or_404(programme_get, request, "programme", pk=programme_id)
    return programme


def _crumbs(request: OrgRequest, programme: Programme, page: str) -> Crumbs:
    return [
        ("Programmes", org_url(request, "programme:programme_list")),
        (programme.name, org_url(request, "programme:programme_detail", programme_id=programme.pk)),
        (page, ""),
    ]


def _chosen(request: OrgRequest, name: str, options: Sequence[M]) -> M | None:
    """The option whose id the query string's ``name`` holds, or None for none or a stranger."""
    value = request.GET.get(name, "")
    for option in options:
        if str(option.pk) == value:
            return option
    return None


def _page(request: OrgRequest, rows: Any, size: int) -> tuple[Page[Any], dict[str, Any]]:
    """The requested page of ``rows`` (a count and a slice) and its pagination links."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))

    def href(number: int) -> str:
        query: QueryDict = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    return page, page_links(page, href)


# ---- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    action: Action
    cells: Sequence[Cell]


@dataclass(frozen=True)
class TimelineGroup:
    workstream: str
    rows: list[TimelineRow]


def _quarter(day: Any) -> int | None:
    return FinancialQuarter.of(day).code if day else None


def _iso(span: tuple[Any, Any] | None) -> list[str] | None:
    return [span[0].isoformat(), span[1].isoformat()] if span else None


def gantt_data(actions: Sequence[Action]) -> list[dict[str, Any]]:
    """The chart's bars for ``actions``, every text escaped for plotly (kit.charts)."""
    bars = []
    for action in actions:
        spans = action_spans(
            start=action.start_on,
            design_by=action.design_by,
            implement_from=action.implement_from,
            due=action.due_on,
        )
        bars.append(
            {
                "label": chart_text(f"{action.reference}: {action.title}"),
                "design": _iso(spans.design),
                "implementation": _iso(spans.implementation),
                "due": action.due_on.isoformat() if action.due_on else None,
            }
        )
    return bars


@org_view()
def timeline(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    workstreams = selectors.programme_workstreams(programme=programme)
    phases = selectors.programme_phases(programme=programme)
    workstream = _chosen(request, "workstream", workstreams)
    phase = _chosen(request, "phase", phases)
    actions = selectors.timeline_actions(
        programme=programme,
        workstream=workstream.pk if workstream else None,
        phase=phase.pk if phase else None,
    )
    bounds = selectors.quarter_bounds(actions)
    today = FinancialQuarter.of(timezone.localdate()).code
    quarters = quarter_window(
        [
            bounds.first_quarter,
            bounds.last_quarter,
            _quarter(bounds.first_start),
            _quarter(bounds.first_due),
            _quarter(bounds.last_due),
        ],
        today=today,
    )
    page, pagination = _page(request, actions, TIMELINE_PAGE_SIZE)
    groups: list[TimelineGroup] = []
    for action in page.object_list:
        name = action.workstream.name if action.workstream else selectors.NO_WORKSTREAM
        cells = timeline_cells(
            quarters,
            start=_quarter(action.start_on),
            design_by=action.design_by,
            implement_from=action.implement_from,
            due=_quarter(action.due_on),
        )
        if not groups or groups[-1].workstream != name:
            groups.append(TimelineGroup(name, []))
        groups[-1].rows.append(TimelineRow(action, cells))
    return render(
        request,
        "programme/overview/timeline.html",
        {
            "programme": programme,
            "crumbs": _crumbs(request, programme, "Timeline"),
            "workstreams": workstreams,
            "phases": phases,
            "workstream": workstream,
            "phase": phase,
            "quarters": quarters,
            "groups": groups,
            "page": page,
            "pagination": pagination,
            "today": today,
            "gantt": gantt_data([row.action for group in groups for row in group.rows]),
        },
    )


# ---- the board --------------------------------------------------------------------------


@org_view()
def board(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    organisation = request.organisation
    columns = [
        (column, links.register_url(organisation, programme, status=column.status))
        for column in selectors.board_columns(programme=programme)
    ]
    return render(
        request,
        "programme/overview/board.html",
        {
            "programme": programme,
            "crumbs": _crumbs(request, programme, "Board"),
            "columns": columns,
            "total": sum(column.total for column, _ in columns),
        },
    )


# ---- the improvement plan ------------------------------------------------------------------


@org_view()
def improvement_plan(request: OrgRequest, programme_id: int) -> HttpResponse:
    programme = _programme_or_404(request, programme_id)
    organisation = request.organisation
    actions = selectors.improvement_plan_actions(programme=programme)
    if request.GET.get("download") == "xlsx":
        objectives = selectors.action_objectives(organisation=organisation, actions=actions)
        sheet = plan_table.plan_sheet(actions.iterator(chunk_size=2000), objectives)
        return workbook_response(
            request,
            sheets=[sheet],
            what=f"Improvement plan: {programme.name}",
            name=f"{programme.name} improvement plan",
            as_of=timezone.localdate(),
        )
    page, pagination = _page(request, actions, PLAN_PAGE_SIZE)
    rows = list(page.object_list)
    objectives = selectors.action_objectives(organisation=organisation, actions=rows)
    return render(
        request,
        "programme/overview/improvement_plan.html",
        {
            "programme": programme,
            "crumbs": _crumbs(request, programme, "Improvement plan"),
            "groups": plan_table.area_groups(rows, objectives),
            "page": page,
            "pagination": pagination,
            "download_url": "?download=xlsx",
        },
    )
