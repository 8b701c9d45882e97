"""The programme dashboard's own panel: actions by RAG and phase, slipping actions, spend.

Five queries whatever the number of actions: the phases, the counts by RAG
and phase (current and forecast together), the slipping actions' count and
first few, and the sums by workstream.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenthread.accounts.models import Organisation
from goldenthread.kit.panels import Panel
from goldenthread.programme.models import Programme

from . import links, selectors

PANEL_TEMPLATE = "programme/overview/_programme_panel.html"


@dataclass(frozen=True)
class CountCell:
    count: int
    #: The register filtered to these actions; "" when the register has no such filter.
    href: str
    #: What the count is of, for a screen reader: "red actions in Mobilisation".
    of: str


@dataclass(frozen=True)
class CountRow:
    rag: str
    label: str
    cells: tuple[CountCell, ...]
    total: CountCell
    forecast: int


def _rag_words(rag: str) -> str:
    return "actions not rated" if not rag else f"{selectors.rag_label(rag).lower()} actions"


def count_rows(
    organisation: Organisation, programme: Programme, counts: selectors.RagPhaseCounts
) -> list[CountRow]:
    """One row per RAG, one cell per phase (and one for actions in no phase when any are)."""
    columns: list[tuple[int | None, str]] = [(phase.pk, phase.name) for phase in counts.phases]
    if counts.unphased:
        columns.append((None, "no phase"))
    forecast = counts.by_rag(counts.forecast)
    rows = []
    for rag in selectors.RAG_ORDER:
        words = _rag_words(rag)
        cells = []
        for phase_id, phase_name in columns:
            count = counts.current.get((rag, phase_id), 0)
            # The register filters by a RAG and a phase, not by the lack of either.
            href = (
                links.register_url(organisation, programme, rag=rag, phase=phase_id)
                if count and rag and phase_id is not None
                else ""
            )
            cells.append(CountCell(count, href, f"{words} in {phase_name}"))
        total = sum(cell.count for cell in cells)
        total_href = links.register_url(organisation, programme, rag=rag) if total and rag else ""
        rows.append(
            CountRow(
                rag=rag,
                label=selectors.rag_label(rag),
                cells=tuple(cells),
                total=CountCell(total, total_href, f"{words} in all phases"),
                forecast=forecast.get(rag, 0),
            )
        )
    return rows


def programme_panel(organisation: Organisation, programme: Programme) -> Panel:
    """The programme's counts, slipping actions, spend and views, first on its page."""
    phases = selectors.programme_phases(programme=programme)
    counts = selectors.rag_phase_counts(programme=programme, phases=phases)
    by_phase = counts.by_phase()
    phase_totals = [
        CountCell(
            by_phase.get(phase.pk, 0),
            links.register_url(organisation, programme, phase=phase.pk)
            if by_phase.get(phase.pk)
            else "",
            f"actions in {phase.name}",
        )
        for phase in phases
    ]
    if counts.unphased:
        phase_totals.append(CountCell(by_phase.get(None, 0), "", "actions in no phase"))
    return Panel(
        PANEL_TEMPLATE,
        {
            "programme": programme,
            "phases": phases,
            "unphased": counts.unphased,
            "rows": count_rows(organisation, programme, counts),
            "phase_totals": phase_totals,
            "total": counts.total,
            "register_url": links.register_url(organisation, programme),
            "slipping": selectors.programme_slipping(programme=programme),
            "spend": selectors.programme_spend(programme=programme),
            "views": links.views_of(organisation, programme),
        },
    )
