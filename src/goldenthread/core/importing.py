"""Import units from a CSV or Excel file, through the import kit.

The columns are :data:`~goldenthread.core.columns.UNIT_COLUMNS`. A code
already in goldenthread updates that unit; a new code adds one; a column left
out of the file leaves that field of existing units as it is. Every row is
checked, and the preview shown, before anything is saved; the save writes
every unit through the unit services in one transaction, or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.jobs.services import Progress
from goldenthread.kit.importing import (
    CREATE,
    UPDATE,
    Outcome,
    Plan,
    Report,
    TableImporter,
    TableRow,
    change,
    register_importer,
)
from goldenthread.kit.models import ImportRun

from . import selectors, services
from .columns import UNIT_COLUMNS
from .models import Unit, UnitKind

IMPORTER = "units"

UNKNOWN_PARENT = (
    "no unit has the code {code}; expected the code of a unit in the file or already in "
    "goldenthread"
)
PARENT_CYCLE = "this unit would sit inside itself ({chain}); expected a unit above it"
DONE_SUMMARY = (
    "{added} unit{added_plural} added, {updated} changed and {unchanged} left as they were, "
    "from {file}."
)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


class UnitImporter(TableImporter):
    name = IMPORTER
    thing = "unit"
    things = "units"
    register_url_name = "core:unit_list"
    register_label = "Units"
    guide = "units.md"
    upload_url_name = "core:unit_import"
    columns = UNIT_COLUMNS

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Unit]:
        # Every unit, not only those in the file: parents may be any of them.
        return {unit.code.lower(): unit for unit in selectors.unit_list(organisation=organisation)}

    def _parent_of(self, rows: Sequence[TableRow], existing: Mapping[str, Unit]) -> dict[str, str]:
        """Each unit's parent code (lower case) once the file is saved."""
        parent_of = {
            code: unit.parent.code.lower()
            for code, unit in existing.items()
            if unit.parent is not None
        }
        for row in rows:
            if not row.has("parent_code") or row["code"] is None:
                continue
            code = str(row["code"]).lower()
            if row["parent_code"]:
                parent_of[code] = str(row["parent_code"]).lower()
            else:
                parent_of.pop(code, None)
        return parent_of

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        in_file = {str(row["code"]).lower() for row in rows if row["code"]}
        for row in rows:
            parent = row["parent_code"]
            if parent and parent.lower() not in in_file and parent.lower() not in existing:
                report.problem(
                    UNKNOWN_PARENT.format(code=parent),
                    row=row.number,
                    column=row.headers["parent_code"],
                    value=parent,
                )
        parent_of = self._parent_of(rows, existing)
        for row in rows:
            if not row["code"] or not row["parent_code"]:
                continue
            chain = [str(row["code"]).lower()]
            while chain[-1] in parent_of and len(chain) <= len(parent_of) + 1:
                chain.append(parent_of[chain[-1]])
                if chain[-1] == chain[0]:
                    report.problem(
                        PARENT_CYCLE.format(chain=" → ".join(chain)),
                        row=row.number,
                        column=row.headers["parent_code"],
                        value=row["parent_code"],
                    )
                    break

    def _wanted(self, row: TableRow, unit: Unit | None) -> dict[str, Any]:
        """The unit's fields once ``row`` is saved; a column not in the file keeps its value."""
        return {
            "code": row["code"],
            "name": row["name"],
            "kind": (row["kind"] or UnitKind.SERVICE)
            if row.has("kind") or unit is None
            else unit.kind,
            "description": (row["description"] or "")
            if row.has("description") or unit is None
            else unit.description,
            "parent_code": (row["parent_code"] or "").lower()
            if row.has("parent_code") or unit is None
            else (unit.parent.code.lower() if unit.parent else ""),
        }

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        unit: Unit = record
        wanted = self._wanted(row, unit)
        changes = []
        if wanted["code"] != unit.code:
            changes.append(change("Code", unit.code, wanted["code"]))
        if wanted["name"] != unit.name:
            changes.append(change("Name", unit.name, wanted["name"]))
        if wanted["kind"] != unit.kind:
            changes.append(change("Kind", unit.get_kind_display(), UnitKind(wanted["kind"]).label))
        current_parent = unit.parent.code if unit.parent else ""
        if wanted["parent_code"] != current_parent.lower():
            changes.append(change("Sits inside", current_parent, row["parent_code"] or ""))
        if wanted["description"] != unit.description:
            changes.append(change("Description", unit.description, wanted["description"]))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        by_code: dict[str, Unit] = dict(existing)
        parent_of = self._parent_of(rows, existing)

        def depth(code: str) -> int:
            steps = 0
            while code in parent_of:
                code = parent_of[code]
                steps += 1
            return steps

        action_of = {row.row: row.action for row in plan.rows}
        # Parents before children: each unit then moves under a parent that is
        # already where the file puts it, so no step can make a loop.
        to_save = sorted(
            (row for row in rows if action_of[row.number] in (CREATE, UPDATE)),
            key=lambda row: depth(str(row["code"]).lower()),
        )
        for index, row in enumerate(to_save, start=1):
            code = str(row["code"]).lower()
            unit = by_code.get(code) if action_of[row.number] == UPDATE else None
            wanted = self._wanted(row, unit)
            parent = by_code[wanted["parent_code"]] if wanted["parent_code"] else None
            fields = {
                "code": wanted["code"],
                "name": wanted["name"],
                "kind": wanted["kind"],
                "parent": parent,
                "description": wanted["description"],
                "by": by,
            }
            if unit is None:
                by_code[code] = services.unit_create(organisation=run.organisation, **fields)
            else:
                by_code[code] = services.unit_update(unit=unit, **fields)
            progress.advance(index)
        counts = plan.counts()
        return Outcome(
            summary=DONE_SUMMARY.format(
                added=counts["create"],
                added_plural=_plural(counts["create"]),
                updated=counts["update"],
                unchanged=counts["unchanged"],
                file=run.filename,
            ),
            result_url=reverse("core:unit_list", kwargs={"org_slug": run.organisation.slug}),
        )


register_importer(UnitImporter())
