"""Lists on a page that are not the register itself: the first few, and how many there are.

A page that shows records of a register beside its own subject (a unit's
units inside it, the top units on a snapshot's dashboard, an item's
contributions) shows at most :data:`LIST_LIMIT` of them, says "showing the
first 25 of 1,204" and links to the register's table, which pages, filters
and downloads them all. So no page grows with the size of a register::

    children = capped(selectors.unit_children(organisation=org, unit=unit))

and in the template::

    {% for child in children.items %}...{% endfor %}
    {% include "kit/_capped.html" with list=children things="units" href=register_url %}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["LIST_LIMIT", "Capped", "capped"]

#: The most records a page lists beside its subject; the register shows the rest.
LIST_LIMIT = 25

T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first records of a list, and how many the whole list holds."""

    items: Sequence[T]
    total: int

    @property
    def more(self) -> bool:
        """Whether the list holds more than is shown."""
        return self.total > len(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


def capped(rows: Any, limit: int = LIST_LIMIT) -> Capped[Any]:
    """The first ``limit`` of ``rows`` (a QuerySet or a sequence), with their count.

    A QuerySet is counted and sliced in the database: two queries whatever its
    size, so a page's number of queries does not change with the register's.

    >>> shown = capped(list(range(100)), limit=3)
    >>> list(shown), shown.total, shown.more
    ([0, 1, 2], 100, True)
    >>> capped([], limit=3).more
    False
    """
    if isinstance(rows, Sequence):
        return Capped(list(rows[:limit]), len(rows))
    return Capped(list(rows[:limit]), rows.count())
