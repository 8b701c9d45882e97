"""Import benefits, and their cashable profiles, from a CSV or Excel file through the import kit.

Benefits are keyed by reference: a reference already in goldenthread updates
that benefit, a new one adds a benefit, and a column left out of the file
leaves that field as it is. A profile row is keyed by its benefit's reference
and its financial year together. Every row is checked and the preview shown
before anything is saved; the save writes through the services in one
transaction, or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models.functions import Lower

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.quarters import (
    FIRST_YEAR,
    LAST_YEAR,
    QuarterError,
    financial_year_label,
    parse_financial_year,
)
from goldenthread.jobs.services import Progress
from goldenthread.kit.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Outcome,
    Plan,
    Report,
    RowPlan,
    TableImporter,
    TableRow,
    change,
    register_importer,
)
from goldenthread.kit.models import ImportRun
from goldenthread.programme.models import (
    Action,
    Benefit,
    BenefitProfile,
    BenefitStatus,
    Programme,
)
from goldenthread.programme.preferences import programme_settings

from . import selectors, services
from .columns import BENEFIT_COLUMNS, PROFILE_COLUMNS
from .confidence import CONFIDENCE_EXPECTED, confidence_text, read_confidence

IMPORTER = "benefits"
PROFILE_IMPORTER = "benefit-profiles"

UNKNOWN_TYPE = "{value} is not a type of benefit here; expected one of: {types}"
UNKNOWN_PROGRAMME = "no programme is called {value}; expected the name of a programme"
UNKNOWN_ACTIONS = "no action has the reference {references}; expected references of actions"
BAD_CONFIDENCE = "expected " + CONFIDENCE_EXPECTED
UNKNOWN_BENEFIT = "no benefit has the reference {value}; expected the reference of a benefit"
BAD_YEAR = "expected a financial year from {first} to {last}, such as 2025/26"
TWICE = "{benefit} {year} is also on row {other}; expected each benefit's year on one row only"
DONE = "{added} {things} added, {updated} changed and {unchanged} left as they were, from {file}."


def _references(text: str | None) -> list[str]:
    return [piece.strip() for piece in (text or "").split(",") if piece.strip()]


class BenefitImporter(TableImporter):
    name = IMPORTER
    thing = "benefit"
    things = "benefits"
    register_url_name = "programme:benefit_list"
    register_label = "Benefits"
    upload_url_name = "programme:benefit_import"
    columns = BENEFIT_COLUMNS
    guide = "programme-benefits.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Benefit]:
        benefits = (
            selectors.benefit_list(organisation=organisation)
            .prefetch_related("actions")
            .alias(key=Lower("reference"))
            .filter(key__in=keys)
        )
        return {benefit.reference.lower(): benefit for benefit in benefits}

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        settings = programme_settings(organisation=organisation)
        types = selectors.benefit_types(settings=settings)
        programmes = {
            name.lower()
            for name in Programme.objects.filter(organisation=organisation).values_list(
                "name", flat=True
            )
        }
        wanted = {ref.lower() for row in rows for ref in _references(row["actions"])}
        known = set(
            Action.objects.filter(organisation=organisation)
            .annotate(key=Lower("reference"))
            .filter(key__in=wanted)
            .values_list("key", flat=True)
        )
        for row in rows:
            place: dict[str, Any] = {"row": row.number}
            if row["type"] is not None and row["type"] not in types:
                report.problem(
                    UNKNOWN_TYPE.format(value=row["type"], types=", ".join(types)),
                    column=row.headers["type"],
                    value=row["type"],
                    **place,
                )
            if row["programme"] and row["programme"].lower() not in programmes:
                report.problem(
                    UNKNOWN_PROGRAMME.format(value=row["programme"]),
                    column=row.headers["programme"],
                    value=row["programme"],
                    **place,
                )
            unknown = [ref for ref in _references(row["actions"]) if ref.lower() not in known]
            if unknown:
                report.problem(
                    UNKNOWN_ACTIONS.format(references=", ".join(unknown)),
                    column=row.headers["actions"],
                    value=row["actions"],
                    **place,
                )
            if row.has("confidence"):
                try:
                    read_confidence(row["confidence"])
                except ValueError:
                    report.problem(
                        BAD_CONFIDENCE,
                        column=row.headers["confidence"],
                        value=row["confidence"],
                        **place,
                    )
            self._check_status(row, existing, report)

    def _check_status(self, row: TableRow, existing: Mapping[str, Any], report: Report) -> None:
        benefit = existing.get(str(row["reference"] or "").lower())
        wanted = self._wanted(row, benefit)
        if benefit is not None and benefit.status != wanted["status"]:
            problem = services.status_move_problem(benefit.status, wanted["status"])
            if problem:
                report.problem(
                    problem[0].lower() + problem[1:],
                    row=row.number,
                    column=row.headers.get("status", "status"),
                    value=row["status"],
                )
        if wanted["status"] in services.NEEDING_EVIDENCE and not wanted["evidence"]:
            label = BenefitStatus(wanted["status"]).label.lower()
            message = services.NEEDS_EVIDENCE.format(status=label)
            report.problem(
                message[0].lower() + message[1:],
                row=row.number,
                column=row.headers.get("evidence", "evidence"),
            )

    def label(self, row: TableRow) -> str:
        return str(row["title"] or "")

    def _wanted(self, row: TableRow, benefit: Benefit | None) -> dict[str, Any]:
        """The benefit's fields once ``row`` is saved; a column not in the file keeps its value."""

        def text(name: str) -> str:
            if row.has(name) or benefit is None:
                return str(row[name] or "")
            return str(getattr(benefit, name))

        def date(name: str) -> Any:
            return row[name] if row.has(name) or benefit is None else getattr(benefit, name)

        if row.has("programme") or benefit is None:
            programme = str(row["programme"] or "")
        else:
            programme = benefit.programme.name if benefit.programme else ""
        if row.has("actions") or benefit is None:
            actions = sorted({ref.lower() for ref in _references(row["actions"])})
        else:
            actions = sorted(action.reference.lower() for action in benefit.actions.all())
        if row.has("confidence") or benefit is None:
            try:
                reading = read_confidence(row["confidence"])
                confidence = confidence_text(reading.percent, reading.level)
            except ValueError:
                confidence = str(row["confidence"])
        else:
            confidence = confidence_text(benefit.confidence_percent, benefit.confidence_level)
        if row.has("status") or benefit is None:
            status = row["status"] or BenefitStatus.IDENTIFIED
        else:
            status = benefit.status
        return {
            "reference": row["reference"],
            "title": row["title"],
            "type": row["type"],
            **{
                name: text(name)
                for name in (
                    "description",
                    "owner",
                    "measure",
                    "baseline",
                    "target",
                    "actual",
                    "evidence",
                )
            },
            **{name: date(name) for name in ("baseline_on", "target_on", "actual_on")},
            "programme": programme,
            "actions": actions,
            "confidence": confidence,
            "status": status,
        }

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        benefit: Benefit = record
        wanted = self._wanted(row, benefit)
        current: dict[str, Any] = {
            **{column.name: getattr(benefit, column.name, None) for column in BENEFIT_COLUMNS},
            "programme": benefit.programme.name if benefit.programme else "",
            "actions": sorted(action.reference.lower() for action in benefit.actions.all()),
            "confidence": confidence_text(benefit.confidence_percent, benefit.confidence_level),
        }
        changes = []
        for column in BENEFIT_COLUMNS:
            before, after = current[column.name], wanted[column.name]
            if column.name == "programme":
                same = before.lower() == after.lower()
            else:
                same = before == after
            if not same:
                if column.name == "actions":
                    before, after = ", ".join(before), ", ".join(after)
                changes.append(change(column.label, before, after))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        organisation = run.organisation
        programmes = {
            programme.name.lower(): programme
            for programme in Programme.objects.filter(organisation=organisation)
        }
        action_of = {row.row: row.action for row in plan.rows}
        for index, row in enumerate(rows, start=1):
            if action_of[row.number] == UNCHANGED:
                continue
            benefit = existing.get(str(row["reference"]).lower())
            wanted = self._wanted(row, benefit)
            fields = {
                **wanted,
                "programme": programmes.get(wanted["programme"].lower()),
                "by": by,
            }
            if benefit is None:
                services.benefit_create(organisation=organisation, **fields)
            else:
                services.benefit_update(benefit=benefit, **fields)
            progress.advance(index)
        return _outcome(plan, run, self.things, self.register_url(organisation))


def _outcome(plan: Plan, run: ImportRun, things: str, url: str) -> Outcome:
    counts = plan.counts()
    return Outcome(
        summary=DONE.format(
            added=counts[CREATE],
            updated=counts[UPDATE],
            unchanged=counts[UNCHANGED],
            things=things,
            file=run.filename,
        ),
        result_url=url,
    )


class ProfileImporter(TableImporter):
    """Each row is one benefit's cashable £ in one financial year."""

    name = PROFILE_IMPORTER
    thing = "benefit's year"
    things = "benefits' years"
    register_url_name = "programme:benefit_list"
    register_label = "Benefits"
    upload_url_name = "programme:benefit_profile_import"
    columns = PROFILE_COLUMNS
    guide = "programme-benefits.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Any]:
        return {}

    def label(self, row: TableRow) -> str:
        return f"{row['benefit']} {row['year']}"

    def plan(self, run: ImportRun, report: Report, progress: Progress) -> Plan:
        progress.stage("Reading the file")
        rows = self.read(run, report)
        if rows is None:
            return Plan()
        organisation = run.organisation
        benefits = {
            benefit.reference.lower(): benefit
            for benefit in selectors.benefit_list(organisation=organisation)
        }
        profiles = {
            (row.benefit_id, row.year): row
            for row in BenefitProfile.objects.filter(benefit__organisation=organisation)
        }
        progress.stage("Checking rows", total=len(rows))
        seen: dict[tuple[int, int], int] = {}
        keyed: list[tuple[TableRow, Benefit, int]] = []
        for row in rows:
            benefit = benefits.get(str(row["benefit"] or "").lower())
            if row["benefit"] and benefit is None:
                report.problem(
                    UNKNOWN_BENEFIT.format(value=row["benefit"]),
                    row=row.number,
                    column=row.headers["benefit"],
                    value=row["benefit"],
                )
            year = None
            if row["year"]:
                try:
                    year = parse_financial_year(str(row["year"]))
                except QuarterError:
                    year = None
                if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                    report.problem(
                        BAD_YEAR.format(
                            first=financial_year_label(FIRST_YEAR),
                            last=financial_year_label(LAST_YEAR),
                        ),
                        row=row.number,
                        column=row.headers["year"],
                        value=row["year"],
                    )
                    year = None
            if benefit is None or year is None:
                continue
            key = (benefit.pk, year)
            if key in seen:
                report.problem(
                    TWICE.format(
                        benefit=benefit.reference, year=financial_year_label(year), other=seen[key]
                    ),
                    row=row.number,
                    column=row.headers["year"],
                    value=row["year"],
                )
            seen[key] = row.number
            keyed.append((row, benefit, year))
        if report.problems:
            return Plan()
        plan = Plan(payload=keyed)
        for index, (row, benefit, year) in enumerate(keyed, start=1):
            current = profiles.get((benefit.pk, year))
            planned, realised = self._wanted(row, current)
            label = f"{benefit.reference} {financial_year_label(year)}"
            if current is None:
                plan.rows.append(RowPlan(CREATE, label, benefit.title, row.number))
            else:
                changes = []
                if planned != current.planned:
                    changes.append(change("Planned", current.planned, planned))
                if realised != current.realised:
                    changes.append(change("Realised", current.realised, realised))
                action = UPDATE if changes else UNCHANGED
                plan.rows.append(RowPlan(action, label, benefit.title, row.number, tuple(changes)))
            progress.advance(index)
        return plan

    @staticmethod
    def _wanted(row: TableRow, current: BenefitProfile | None) -> tuple[Decimal, Decimal | None]:
        planned = (
            row["planned"] if row.has("planned") or current is None else current.planned
        ) or Decimal("0.00")
        realised = row["realised"] if row.has("realised") or current is None else current.realised
        return planned, realised

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        action_of = {row.row: row.action for row in plan.rows}
        years: dict[int, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
        benefits: dict[int, Benefit] = {}
        current = {
            (row.benefit_id, row.year): row
            for row in BenefitProfile.objects.filter(benefit__organisation=run.organisation)
        }
        for row, benefit, year in plan.payload:
            if action_of[row.number] == UNCHANGED:
                continue
            benefits[benefit.pk] = benefit
            years.setdefault(benefit.pk, {})[year] = self._wanted(
                row, current.get((benefit.pk, year))
            )
        for index, (pk, changed) in enumerate(years.items(), start=1):
            services.benefit_profile_update(benefit=benefits[pk], years=changed, by=by)
            progress.advance(index)
        return _outcome(plan, run, self.things, self.register_url(run.organisation))


register_importer(BenefitImporter())
register_importer(ProfileImporter())
