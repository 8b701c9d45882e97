"""What the units pages show, worked out from what the selectors return."""

from __future__ import annotations

from collections.abc import Iterable

from .selectors import UnitUse

STILL_USED = "it is still named by {count:,} {things}: they must be moved or deleted first"


def unit_delete_consequences(uses: Iterable[UnitUse]) -> list[str]:
    """Why a unit cannot be deleted yet, one sentence for each kind of record that names it."""
    return [STILL_USED.format(count=use.count, things=use.things) for use in uses]
