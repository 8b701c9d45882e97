"""Import risks and their mitigations from a CSV or Excel file, through the import kit.

Risks are keyed by their reference; mitigations by their risk's reference and
their number (``R1/2``). Every row is checked, and the preview shown, before
anything is saved; the save writes through the risk services in one
transaction, or not at all. A column left out of the file leaves that field
of existing records as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from django.db.models.functions import Lower

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis import risks as scoring
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
from goldenthread.programme.models import (
    Action,
    Mitigation,
    MitigationStatus,
    Programme,
    Risk,
    RiskStatus,
)

from . import services
from .columns import MITIGATION_COLUMNS, RISK_COLUMNS
from .rules import risk_rules

RISKS_IMPORTER = "risks"
MITIGATIONS_IMPORTER = "mitigations"

OUT_OF_SCALE = "expected a whole number from 1 to 5"
UNKNOWN_CATEGORY = "{value} is not a risk category of this organisation; expected one of: {allowed}"
UNKNOWN_PROGRAMME = (
    "no programme is named {value}; expected the name of a programme in goldenthread"
)
UNKNOWN_ACTIONS = "no action has the reference {references}; expected references of actions"
TOO_FEW_DAYS = "expected a whole number of days, 1 or more"
UNKNOWN_RISK = "no risk has the reference {reference}; expected the reference of a risk"
DONE = "{added} {things} added, {updated} changed and {unchanged} left as they were, from {file}."

#: The service keywords each risk column sets, with the label a change is shown under.
RISK_FIELDS = {
    "title": "Title",
    "cause": "Cause",
    "event": "Event",
    "effect": "Effect",
    "category": "Category",
    "owner": "Owner",
    "inherent_likelihood": "Inherent likelihood",
    "inherent_impact": "Inherent impact",
    "residual_likelihood": "Residual likelihood",
    "residual_impact": "Residual impact",
    "status": "Status",
    "review_days": "Review every (days)",
    "next_review_on": "Next review",
}


def _outcome(importer: TableImporter, plan: Plan, run: ImportRun) -> Outcome:
    counts = plan.counts()
    added = counts["create"]
    return Outcome(
        summary=DONE.format(
            added=added,
            things=importer.thing if added == 1 else importer.things,
            updated=counts["update"],
            unchanged=counts["unchanged"],
            file=run.filename,
        ),
        result_url=importer.register_url(run.organisation),
    )


def _references(row: TableRow) -> list[str]:
    return services.split_references(str(row["actions"] or ""))


def _categories(organisation: Organisation) -> dict[str, str]:
    """The organisation's risk categories by their name in lower case, each as spelled there."""
    return {name.lower(): name for name in risk_rules(organisation=organisation).categories}


def _canonical(row: TableRow, categories: Mapping[str, str]) -> TableRow:
    """``row`` with its category spelled as the organisation spells it, matched in any case.

    An unknown category is left as written, for the check to report.
    """
    category = row["category"]
    if category is None:
        return row
    spelled = categories.get(str(category).strip().lower())
    if spelled is None or spelled == category:
        return row
    return replace(row, values={**row.values, "category": spelled})


def _programmes(organisation: Organisation) -> dict[str, Programme]:
    return {p.name.lower(): p for p in Programme.objects.filter(organisation=organisation)}


class RiskImporter(TableImporter):
    name = RISKS_IMPORTER
    thing, things = "risk", "risks"
    register_url_name = "programme:risk_list"
    register_label = "Risks"
    upload_url_name = "programme:risk_import"
    columns = RISK_COLUMNS
    guide = "programme-risks.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Risk]:
        risks = (
            Risk.objects.filter(organisation=organisation)
            .select_related("programme")
            .prefetch_related("actions")
            .alias(key=Lower("reference"))
            .filter(key__in=keys)
        )
        return {risk.reference.lower(): risk for risk in risks}

    def read(self, run: ImportRun, report: Report) -> list[TableRow] | None:
        """The file's rows, each category spelled as the run's organisation spells it.

        The rows travel in the plan's payload, so the check, the preview and
        the save all read the run's own categories: the importer, shared by
        every organisation, keeps nothing between calls.
        """
        rows = super().read(run, report)
        if rows is None:
            return None
        categories = _categories(run.organisation)
        return [_canonical(row, categories) for row in rows]

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        rules = risk_rules(organisation=organisation)
        allowed = set(rules.categories)
        programmes = _programmes(organisation)
        wanted = {ref for row in rows for ref in _references(row)}
        _found, missing = services.actions_by_reference(
            organisation=organisation, references=sorted(wanted)
        )
        unknown = {ref.lower() for ref in missing}
        for row in rows:
            category = row["category"]
            if category is not None and category not in allowed:
                report.problem(
                    UNKNOWN_CATEGORY.format(value=category, allowed=", ".join(rules.categories)),
                    row=row.number,
                    column=row.headers["category"],
                    value=category,
                )
            for name in services.SCALE_FIELDS:
                value = row[name]
                if value is not None and value not in scoring.SCALE:
                    report.problem(
                        OUT_OF_SCALE, row=row.number, column=row.headers[name], value=value
                    )
            programme = row["programme"]
            if programme and str(programme).lower() not in programmes:
                report.problem(
                    UNKNOWN_PROGRAMME.format(value=programme),
                    row=row.number,
                    column=row.headers["programme"],
                    value=programme,
                )
            days = row["review_days"]
            if days is not None and days < 1:
                report.problem(
                    TOO_FEW_DAYS, row=row.number, column=row.headers["review_days"], value=days
                )
            gone = [ref for ref in _references(row) if ref.lower() in unknown]
            if gone:
                report.problem(
                    UNKNOWN_ACTIONS.format(references=", ".join(gone)),
                    row=row.number,
                    column=row.headers["actions"],
                    value=row["actions"],
                )

    def label(self, row: TableRow) -> str:
        return str(row["title"] or "")

    def _wanted(self, row: TableRow, risk: Risk | None) -> dict[str, Any]:
        """The risk's fields once ``row`` is saved; a column not in the file keeps its value."""
        wanted: dict[str, Any] = {"reference": row["reference"]}
        for name in RISK_FIELDS:
            if row.has(name) or risk is None:
                value = row[name]
                if value is None and name in ("cause", "event", "effect", "owner"):
                    value = ""
                if name == "status" and value is None:
                    value = RiskStatus.OPEN
                wanted[name] = value
            else:
                wanted[name] = getattr(risk, name)
        if row.has("programme") or risk is None:
            wanted["programme_name"] = str(row["programme"] or "")
        else:
            wanted["programme_name"] = risk.programme.name if risk.programme else ""
        if row.has("actions") or risk is None:
            wanted["action_refs"] = sorted(ref.lower() for ref in _references(row))
        else:
            wanted["action_refs"] = sorted(a.reference.lower() for a in risk.actions.all())
        return wanted

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        risk: Risk = record
        wanted = self._wanted(row, risk)
        changes = []
        if wanted["reference"] != risk.reference:
            changes.append(change("Reference", risk.reference, wanted["reference"]))
        for name, label in RISK_FIELDS.items():
            if wanted[name] != getattr(risk, name):
                changes.append(change(label, getattr(risk, name), wanted[name]))
        current = risk.programme.name if risk.programme else ""
        if wanted["programme_name"].lower() != current.lower():
            changes.append(change("Programme", current, wanted["programme_name"]))
        actions = sorted(a.reference.lower() for a in risk.actions.all())
        if wanted["action_refs"] != actions:
            changes.append(change("Actions", ", ".join(actions), ", ".join(wanted["action_refs"])))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        organisation = run.organisation
        programmes = _programmes(organisation)
        actions = {
            action.reference.lower(): action
            for action in Action.objects.filter(organisation=organisation)
        }
        action_of = {row.row: row.action for row in plan.rows}
        for index, row in enumerate(rows, start=1):
            if action_of[row.number] not in (CREATE, UPDATE):
                continue
            risk = existing.get(str(row["reference"]).lower())
            wanted = self._wanted(row, risk)
            fields = {name: wanted[name] for name in RISK_FIELDS}
            fields["programme"] = programmes.get(wanted["programme_name"].lower())
            linked = [actions[ref] for ref in wanted["action_refs"]]
            if risk is None:
                services.risk_create(
                    organisation=organisation,
                    reference=wanted["reference"],
                    actions=linked,
                    by=by,
                    **fields,
                )
            else:
                services.risk_update(
                    risk=risk, reference=wanted["reference"], actions=linked, by=by, **fields
                )
            progress.advance(index)
        return _outcome(self, plan, run)


def _split_key(key: str) -> tuple[str, int]:
    """``R1/2`` → ``("R1", 2)``; the column's pattern has made sure it splits."""
    reference, _, number = key.rpartition("/")
    return reference, int(number)


class MitigationImporter(TableImporter):
    name = MITIGATIONS_IMPORTER
    thing, things = "mitigation", "mitigations"
    register_url_name = "programme:risk_list"
    register_label = "Risks"
    upload_url_name = "programme:mitigation_import"
    columns = MITIGATION_COLUMNS
    guide = "programme-risks.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Mitigation]:
        references = {_split_key(key)[0] for key in keys}
        mitigations = (
            Mitigation.objects.filter(risk__organisation=organisation)
            .select_related("risk")
            .alias(key=Lower("risk__reference"))
            .filter(key__in=references)
        )
        return {f"{m.risk.reference}/{m.position}".lower(): m for m in mitigations}

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        references = {
            _split_key(str(row["mitigation"]))[0].lower() for row in rows if row["mitigation"]
        }
        known = set(
            Risk.objects.filter(organisation=organisation)
            .alias(key=Lower("reference"))
            .filter(key__in=references)
            .annotate(lowered=Lower("reference"))
            .values_list("lowered", flat=True)
        )
        for row in rows:
            if not row["mitigation"]:
                continue
            reference, _number = _split_key(str(row["mitigation"]))
            if reference.lower() not in known:
                report.problem(
                    UNKNOWN_RISK.format(reference=reference),
                    row=row.number,
                    column=row.headers["mitigation"],
                    value=row["mitigation"],
                )

    def label(self, row: TableRow) -> str:
        return str(row["description"] or "")[:80]

    def _wanted(self, row: TableRow, mitigation: Mitigation | None) -> dict[str, Any]:
        wanted: dict[str, Any] = {}
        defaults = {"owner": "", "status": MitigationStatus.PLANNED}
        for name in ("description", "owner", "due_on", "status"):
            if row.has(name) or mitigation is None:
                value = row[name]
                wanted[name] = defaults.get(name) if value is None and name in defaults else value
            else:
                wanted[name] = getattr(mitigation, name)
        return wanted

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        mitigation: Mitigation = record
        wanted = self._wanted(row, mitigation)
        labels = {
            "description": "Description",
            "owner": "Owner",
            "due_on": "Due",
            "status": "Status",
        }
        return tuple(
            change(label, getattr(mitigation, name), wanted[name])
            for name, label in labels.items()
            if wanted[name] != getattr(mitigation, name)
        )

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        organisation = run.organisation
        risks = {
            risk.reference.lower(): risk for risk in Risk.objects.filter(organisation=organisation)
        }
        action_of = {row.row: row.action for row in plan.rows}
        for index, row in enumerate(rows, start=1):
            if action_of[row.number] not in (CREATE, UPDATE):
                continue
            key = str(row["mitigation"])
            mitigation = existing.get(key.lower())
            wanted = self._wanted(row, mitigation)
            if mitigation is None:
                reference, number = _split_key(key)
                services.mitigation_create(
                    risk=risks[reference.lower()], position=number, by=by, **wanted
                )
            else:
                services.mitigation_update(mitigation=mitigation, by=by, **wanted)
            progress.advance(index)
        return _outcome(self, plan, run)


register_importer(RiskImporter())
register_importer(MitigationImporter())
