"""The unit picker: every unit shown with its full path, "Place / Commissioning".

Two units may share a name ("Commissioning" in People and in Place); the
path tells them apart. Paths are built from one query of the organisation's
units, which stay in the hundreds.
"""

from __future__ import annotations

from goldenthread.accounts.models import Organisation
from goldenthread.kit.pickers import PICKERS, Option, PickerSource

from .models import Unit

#: Between the names of a unit's path.
SEPARATOR = " / "


def unit_paths(*, organisation: Organisation) -> list[tuple[Unit, str]]:
    """Every unit of the organisation with its full path, in path order."""
    units = list(Unit.objects.filter(organisation=organisation))
    by_pk = {unit.pk: unit for unit in units}

    def path(unit: Unit) -> str:
        names = [unit.name]
        cursor = by_pk.get(unit.parent_id) if unit.parent_id else None
        # A guard against a cycle, which the services refuse but a bad import could leave.
        while cursor is not None and len(names) < 50:
            names.append(cursor.name)
            cursor = by_pk.get(cursor.parent_id) if cursor.parent_id else None
        return SEPARATOR.join(reversed(names))

    return sorted(((unit, path(unit)) for unit in units), key=lambda pair: pair[1].lower())


def _option(unit: Unit, path: str) -> Option:
    return Option(str(unit.pk), f"{path} ({unit.code})", unit)


def _options(organisation: Organisation, scope: str, query: str, limit: int | None) -> list[Option]:
    words = query.lower().split()
    found = [
        _option(unit, path)
        for unit, path in unit_paths(organisation=organisation)
        if all(word in f"{path} {unit.code}".lower() for word in words)
    ]
    return found[:limit] if limit else found


def _find(organisation: Organisation, scope: str, value: str) -> Option | None:
    wanted = value.strip().lower()
    paths = unit_paths(organisation=organisation)
    for unit, path in paths:
        if str(unit.pk) == wanted or unit.code.lower() == wanted or path.lower() == wanted:
            return _option(unit, path)
    named = [(unit, path) for unit, path in paths if unit.name.lower() == wanted]
    return _option(*named[0]) if len(named) == 1 else None


UNIT_PICKER = PickerSource(
    key="units",
    noun="a unit",
    options=_options,
    find=_find,
    count=lambda organisation, scope: Unit.objects.filter(organisation=organisation).count(),
    hint="enter the unit's code, or choose it from the list",
)


def register() -> None:
    PICKERS.add(UNIT_PICKER.key, UNIT_PICKER)
