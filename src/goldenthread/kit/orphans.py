"""What is traced to nothing: the orphans page's sections, one or more per module.

Each module registers a source (in its ``AppConfig.ready()``) that lists its
untraced records for an organisation: golden-thread items that contribute to
nothing, directorates without a service plan, posts that hold no individual
objective, and later the programme's actions, benefits and KPIs. The orphans
page shows every section in order, so a new module's untraced records appear
there the day it lands.

Posts hold individual objectives by their ID, and the structure module may not
read the golden thread, so the thread registers in :data:`OBJECTIVE_HOLDERS`
which post IDs hold an objective; the structure's source reads that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from goldenthread.accounts.models import Organisation

from .lists import Capped, capped
from .registry import Registry

__all__ = [
    "OBJECTIVE_HOLDERS",
    "ORPHANS",
    "OrphanRow",
    "OrphanSection",
    "orphan_sections",
    "posts_with_objectives",
]


@dataclass(frozen=True)
class OrphanRow:
    """One untraced record, or one group of them (a unit and how many of its posts)."""

    title: str
    href: str = ""
    #: Its kind, unit or post, shown beside it.
    detail: str = ""
    #: For a group: how many records it holds.
    count: int | None = None


@dataclass(frozen=True)
class OrphanSection:
    """One module's untraced records, under a heading."""

    title: str
    rows: tuple[OrphanRow, ...]
    #: Shown when there are no rows: what being traced means here.
    empty: str
    description: str = ""
    #: The column headings of the table: the record, its detail, and the count for groups.
    headings: tuple[str, ...] = ("Record", "Detail")

    @property
    def total(self) -> int:
        return sum(row.count if row.count is not None else 1 for row in self.rows)

    @property
    def shown(self) -> Capped[OrphanRow]:
        """The rows the page lists: the first few, so the page does not grow with them."""
        return capped(self.rows)


OrphanSource = Callable[[Organisation], OrphanSection | None]

#: Every module's source of untraced records.
ORPHANS: Registry[OrphanSource] = Registry("orphan sources")

#: Functions that give the post IDs holding an individual objective.
OBJECTIVE_HOLDERS: Registry[Callable[[Organisation], set[str]]] = Registry(
    "holders of individual objectives"
)


def orphan_sections(*, organisation: Organisation) -> list[OrphanSection]:
    """Every registered source's section, in order; a source may answer ``None`` to show nothing."""
    built = (source(organisation) for source in ORPHANS)
    return [section for section in built if section is not None]


def posts_with_objectives(*, organisation: Organisation) -> set[str]:
    """The post IDs that hold at least one individual objective, from every holder."""
    held: set[str] = set()
    for holders in OBJECTIVE_HOLDERS:
        held |= holders(organisation)
    return held
