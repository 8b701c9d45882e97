"""The cards of an organisation's dashboard, one or more per module.

Each module registers a function that builds its card from the organisation's
data (in its AppConfig.ready). The dashboard shows the cards in order, so a
new module's summary appears there the day it lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.analysis.wording import plural

from .registry import Registry

__all__ = ["CARDS", "Card", "CardBuilder", "cards", "count_row", "register"]


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    #: The card's headline figure and what it counts, e.g. ("4,435", "posts in the as-is").
    figure: str = ""
    figure_label: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    #: Shown when the module has nothing yet, with what to do first.
    empty: str = ""


def count_row(label: str, count: int) -> tuple[str, str]:
    """A card row counting things: ("Directorates", "3"), or ("Directorate", "1") for one."""
    return (label if count == 1 else plural(label), f"{count:,}")


CardBuilder = Callable[[Organisation, Membership], Card | None]

#: Every card builder, keyed by its module and name.
CARDS: Registry[CardBuilder] = Registry("dashboard cards")


def register(order: int) -> Callable[[CardBuilder], CardBuilder]:
    """Register ``builder`` to make a dashboard card; lower ``order`` comes first."""

    def decorator(builder: CardBuilder) -> CardBuilder:
        return CARDS.add(f"{builder.__module__}.{builder.__qualname__}", builder, order=order)

    return decorator


def cards(organisation: Organisation, membership: Membership) -> list[Card]:
    built = (builder(organisation, membership) for builder in CARDS)
    return [card for card in built if card is not None]
