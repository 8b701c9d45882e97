"""A quarter's update as a workbook: download the owner's actions filled in, upload it back.

Each run of this import is about one quarterly update, whose id the upload
page keeps in the run's ``options``; a row is an action of that update's
programme, found by its reference. Every row is checked as the owner's page
checks it, and the file is saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models.functions import Lower
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.jobs.services import Progress
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.kit.importing import (
    UNCHANGED,
    Outcome,
    Plan,
    Report,
    TableImporter,
    TableRow,
    change,
    register_importer,
)
from goldenthread.kit.models import ImportRun
from goldenthread.programme.models import Action, ActionStatus, ActionUpdate, QuarterlyUpdate

from . import selectors, services
from .forms import TEXT_LIMIT

IMPORTER = "programme-quarterly-update"
NOT_IN_UPDATE = (
    "no action of {programme} with this reference is asked about in the {quarter} update"
)
UPDATE_GONE = "the quarterly update this file was uploaded for no longer exists"
UPDATE_SHUT = "the {quarter} update is closed, so it cannot be changed"


@dataclass(frozen=True)
class EntryRow:
    """An action and what the update holds for it now: the workbook's row, the import's record."""

    action: Action
    entry: ActionUpdate | None

    @property
    def progress(self) -> str:
        return self.entry.progress if self.entry else ""

    @property
    def delay(self) -> str:
        return self.entry.delay if self.entry else ""


UPDATE_COLUMNS = Columns(
    "action",
    [
        Column(
            "reference",
            "Reference",
            required=True,
            max_length=40,
            help="The action's reference; the row updates that action",
            value=lambda row: row.action.reference,
        ),
        Column(
            "title",
            "Title",
            max_length=300,
            help="The action's title, for reading only (the import leaves it alone)",
            value=lambda row: row.action.title,
        ),
        Column(
            "owner",
            "Owner",
            max_length=200,
            help="The action's owner, for reading only (the import leaves it alone)",
            value=lambda row: row.action.owner,
        ),
        Column(
            "due_on",
            "Due",
            type=ColumnType.DATE,
            help="The action's due date, for reading only (the import leaves it alone)",
            value=lambda row: row.action.due_on,
        ),
        Column(
            "budget",
            "Budget",
            type=ColumnType.MONEY,
            help="The action's budget, for reading only (the import leaves it alone)",
            value=lambda row: row.action.budget,
        ),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=ActionStatus.choices,
            required=True,
            value=lambda row: row.action.status,
        ),
        Column(
            "percent_complete",
            "Per cent complete",
            type=ColumnType.INTEGER,
            required=True,
            help="From 0 to 100; 100 for a complete action",
            value=lambda row: row.action.percent_complete,
        ),
        Column(
            "forecast_on",
            "Forecast completion",
            type=ColumnType.DATE,
            help="When the owner now expects it complete",
            value=lambda row: row.action.forecast_on,
        ),
        Column(
            "spend",
            "Spend to date",
            type=ColumnType.MONEY,
            help="Spent on the action so far, in pounds",
            value=lambda row: row.action.spend,
        ),
        Column(
            "progress",
            "Progress",
            max_length=TEXT_LIMIT,
            help="Progress this quarter, in the owner's words",
            value=lambda row: row.progress,
        ),
        Column(
            "delay",
            "Delay and its cause",
            max_length=TEXT_LIMIT,
            help="Needed when the forecast completion is after the due date",
            value=lambda row: row.delay,
        ),
    ],
    key="reference",
)


def _update_of(run: ImportRun) -> QuarterlyUpdate | None:
    pk = run.options.get("update_id")
    if not isinstance(pk, int):
        return None
    return QuarterlyUpdate.objects.filter(organisation=run.organisation, pk=pk).first()


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _entry(row: TableRow, record: EntryRow) -> services.ActionEntry:
    """The row as an entry; a column the file leaves out keeps what the update holds."""
    action = record.action

    def value(name: str, now: Any) -> Any:
        return row[name] if row.has(name) else now

    return services.ActionEntry(
        action=action,
        status=value("status", action.status),
        percent_complete=value("percent_complete", action.percent_complete),
        forecast_on=value("forecast_on", action.forecast_on),
        spend=value("spend", action.spend),
        progress=_blank(value("progress", record.progress)),
        delay=_blank(value("delay", record.delay)),
    )


def _pounds(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def _date(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


class UpdateImporter(TableImporter):
    name = IMPORTER
    thing, things = "action", "actions"
    register_url_name = "programme:update_list"
    register_label = "Quarterly update"
    upload_url_name = "programme:update_import"
    columns = UPDATE_COLUMNS
    guide = "programme-updates.md"

    def register_url(self, organisation: Organisation, run: ImportRun | None = None) -> str:
        update = _update_of(run) if run is not None else None
        if update is None:
            return reverse("core:home", kwargs={"org_slug": organisation.slug})
        return reverse(
            "programme:update_detail",
            kwargs={"org_slug": organisation.slug, "update_id": update.pk},
        )

    def upload_url(self, run: ImportRun) -> str:
        update = _update_of(run)
        if update is None:
            return self.register_url(run.organisation, run)
        return reverse(
            "programme:update_import",
            kwargs={"org_slug": run.organisation.slug, "update_id": update.pk},
        )

    def existing_for(self, run: ImportRun, keys: set[str]) -> dict[str, EntryRow]:
        update = _update_of(run)
        if update is None:
            return {}
        actions = list(
            selectors.actions_in_scope(update=update)
            .alias(key=Lower("reference"))
            .filter(key__in=keys)
        )
        entries = selectors.entries_by_action(update=update, actions=actions)
        return {
            action.reference.lower(): EntryRow(action, entries.get(action.pk)) for action in actions
        }

    def check_for(
        self,
        run: ImportRun,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
    ) -> None:
        update = _update_of(run)
        if update is None:
            report.problem(UPDATE_GONE)
            return
        if not update.is_open:
            report.problem(UPDATE_SHUT.format(quarter=update.period.label))
            return
        headers = UPDATE_COLUMNS
        for row in rows:
            key = row["reference"]
            if key is None:
                continue
            record = existing.get(str(key).lower())
            if record is None:
                report.problem(
                    NOT_IN_UPDATE.format(programme=update.programme, quarter=update.period.label),
                    row=row.number,
                    column=row.headers["reference"],
                    value=key,
                )
                continue
            if any(row.has(name) and row[name] is None for name in headers.required):
                continue  # the cell's own problem is reported already
            for name, message in services.entry_problems(_entry(row, record)):
                report.problem(
                    message, row=row.number, column=row.headers.get(name, headers.get(name).label)
                )

    def label(self, row: TableRow) -> str:
        return str(row["title"] or row["reference"] or "")

    def compare(self, row: TableRow, record: EntryRow) -> tuple[str, ...]:
        entry = _entry(row, record)
        action = record.action
        changes = []
        if entry.status != action.status:
            changes.append(
                change(
                    "Status", ActionStatus(action.status).label, ActionStatus(entry.status).label
                )
            )
        if entry.percent_complete != action.percent_complete:
            changes.append(
                change("Per cent complete", action.percent_complete, entry.percent_complete)
            )
        if entry.forecast_on != action.forecast_on:
            changes.append(
                change("Forecast completion", _date(action.forecast_on), _date(entry.forecast_on))
            )
        if entry.spend != action.spend:
            changes.append(change("Spend to date", _pounds(action.spend), _pounds(entry.spend)))
        if entry.progress.strip() != record.progress:
            changes.append(change("Progress", record.progress, entry.progress.strip()))
        if entry.delay.strip() != record.delay:
            changes.append(change("Delay and its cause", record.delay, entry.delay.strip()))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        action = {row.row: row.action for row in plan.rows}
        update = _update_of(run)
        assert update is not None  # the check refused the file otherwise
        # A row unchanged from the action is still the owner's report for the quarter:
        # it is recorded unless the quarter already has an entry for that action.
        entries = [
            _entry(row, record)
            for row in rows
            if (record := existing[str(row["reference"]).lower()]).entry is None
            or action[row.number] != UNCHANGED
        ]
        services.action_updates_record(update=update, entries=entries, by=by)
        progress.advance(len(rows))
        return Outcome(
            summary=f"{len(entries)} actions updated for {update.period.label} "
            f"from {run.filename}.",
            result_url=self.register_url(run.organisation, run),
        )


register_importer(UpdateImporter())
