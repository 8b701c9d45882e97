"""Import redundancy bands from a CSV or Excel file, through the import kit.

A grade already in goldenthread changes its band's cost; a new grade adds a
band. Every row is checked and the preview shown before anything is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
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
from .columns import REDUNDANCY_BAND_COLUMNS
from .models import RedundancyBand

IMPORTER = "redundancy-bands"
NEGATIVE = "expected an amount of 0 or more"
DONE_SUMMARY = "{added} band{plural} added and {updated} changed, from {file}."


class RedundancyBandImporter(TableImporter):
    name = IMPORTER
    thing = "redundancy band"
    things = "redundancy bands"
    register_url_name = "structure:band_list"
    register_label = "Redundancy costs by grade"
    upload_url_name = "structure:band_import"
    columns = REDUNDANCY_BAND_COLUMNS
    guide = "structures.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, RedundancyBand]:
        bands = selectors.redundancy_band_list(organisation=organisation)
        return {band.grade.strip().lower(): band for band in bands}

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        for row in rows:
            if row["cost"] is not None and row["cost"] < 0:
                report.problem(
                    NEGATIVE, row=row.number, column=row.headers["cost"], value=row["cost"]
                )

    def label(self, row: TableRow) -> str:
        return str(row["grade"] or "")

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        changes = []
        if row["grade"] != record.grade:
            changes.append(change("Grade", record.grade, row["grade"]))
        if Decimal(row["cost"]) != record.cost:
            changes.append(change("Cost of a redundancy", str(record.cost), str(row["cost"])))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        action = {row.row: row.action for row in plan.rows}
        for index, row in enumerate(rows, start=1):
            grade, cost = str(row["grade"]), Decimal(row["cost"])
            if action[row.number] == CREATE:
                services.redundancy_band_create(
                    organisation=run.organisation, grade=grade, cost=cost, by=by
                )
            elif action[row.number] == UPDATE:
                band = existing[grade.strip().lower()]
                services.redundancy_band_update(band=band, grade=grade, cost=cost, by=by)
            progress.advance(index)
        counts = plan.counts()
        return Outcome(
            summary=DONE_SUMMARY.format(
                added=counts["create"],
                plural="" if counts["create"] == 1 else "s",
                updated=counts["update"],
                file=run.filename,
            ),
            result_url=reverse("structure:band_list", kwargs={"org_slug": run.organisation.slug}),
        )


register_importer(RedundancyBandImporter())
