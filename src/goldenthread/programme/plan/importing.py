"""Import actions, milestones and savings from a CSV or Excel file, through the import kit.

Actions are keyed by their reference; milestones by their action's reference
and their title ("A-001: Pilot complete"); savings by their action's reference
and the financial year ("A-001 2025/26"). A key already in goldenthread
updates that record, a new one adds it, and a column left out of the file
leaves that field as it is. Every row is checked and the preview shown before
anything is saved; the save writes every record through the plan's services
in one transaction, or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models.functions import Lower
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.quarters import (
    QUARTER_EXPECTED,
    YEAR_EXPECTED,
    FinancialQuarter,
    QuarterError,
    financial_year_label,
    parse_financial_year,
)
from goldenthread.analysis.wording import counted
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
    ActionSaving,
    ActionStatus,
    Milestone,
    MilestoneStatus,
    Phase,
    Programme,
    Workstream,
)
from goldenthread.structure.models import Post
from goldenthread.structure.selectors import snapshot_current_as_is

from . import hooks, selectors, services
from .columns import ACTION_COLUMNS, MILESTONE_COLUMNS, SAVING_COLUMNS
from .fields import quarter_label

ACTIONS_IMPORTER = "actions"
MILESTONES_IMPORTER = "milestones"
SAVINGS_IMPORTER = "action-savings"

NO_SUCH_PROGRAMME = "no programme is called {value}; expected the name of one of {programmes}"
NO_SUCH_PART = "{programme} has no {what} called {value}; expected one of: {names}"
NOT_A_QUARTER = "expected {expected}"
IMPLEMENT_BEFORE_DESIGN = "implement from is before design by ({design_by}); expected it later"
PERCENT_RANGE = "expected a whole number from 0 to 100"
NEGATIVE = "expected £0 or more"
DUE_BEFORE_START = "the due date is before the start ({start}); expected it later"
NO_SUCH_POST = "there is no post {value} in the current as-is structure; expected one of its IDs"
NO_SUCH_ACTION = "no action has the reference {reference}; expected the reference of an action"
NOT_A_MILESTONE = "expected the action's reference, a colon and the title, as in A-001: Pilot"
NOT_A_SAVING = "expected the action's reference and the financial year, as in A-001 2025/26"
DONE_SUMMARY = "{added} added, {updated} changed and {unchanged} left as they were, from {file}."
#: The names a list of expected values shows in a message before "...".
NAMES_SHOWN = 10


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return f"{shown}, ..." if len(names) > NAMES_SHOWN else shown


def _summary(plan: Plan, run: ImportRun, things: str) -> str:
    counts = plan.counts()
    # "1 action added", "3 actions added": the first count names the things.
    return DONE_SUMMARY.format(
        added=counted(counts["create"], things.removesuffix("s")),
        updated=counts["update"],
        unchanged=counts["unchanged"],
        file=run.filename,
    )


def _quarter(text: Any) -> int | None:
    """The stored code of a quarter typed in a cell ("2025/26 Q2" → 20252); QuarterError if none."""
    if text in (None, ""):
        return None
    return FinancialQuarter.parse(str(text)).code


# ---- actions --------------------------------------------------------------------------

#: The action's text fields the file may hold.
TEXT_FIELDS = (
    "title",
    "description",
    "target_area",
    "owner",
    "owner_post",
    "success_criteria",
    "source",
    "notes",
)
DATE_FIELDS = ("start_on", "due_on", "forecast_on", "completed_on")
MONEY_FIELDS = ("budget", "spend")
QUARTER_FIELDS = ("design_by", "implement_from")


def _wanted(row: TableRow, action: Action | None) -> dict[str, Any]:
    """The action's fields the row sets: every one for a new action, those in the file else.

    Programme, workstream and phase are their names in lower case; quarters
    their codes (the check has already refused any that cannot be read).
    """
    new = action is None
    wanted: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if new or row.has(name):
            wanted[name] = row[name] or ""
    for name in (*DATE_FIELDS, *MONEY_FIELDS):
        if new or row.has(name):
            wanted[name] = row[name]
    for name in QUARTER_FIELDS:
        if new or row.has(name):
            wanted[name] = _quarter(row[name])
    if new or row.has("status"):
        wanted["status"] = row["status"] or ActionStatus.NOT_STARTED
    if new or row.has("percent_complete"):
        wanted["percent_complete"] = row["percent_complete"] or 0
    for name in ("programme", "workstream", "phase"):
        if new or row.has(name):
            wanted[name] = (row[name] or "").lower()
    return wanted


def _current(action: Action) -> dict[str, Any]:
    """The action's fields as :func:`_wanted` gives them."""
    current = {
        name: getattr(action, name)
        for name in (*TEXT_FIELDS, *DATE_FIELDS, *MONEY_FIELDS, *QUARTER_FIELDS)
    }
    current["status"] = action.status
    current["percent_complete"] = action.percent_complete
    current["programme"] = action.programme.name.lower()
    current["workstream"] = action.workstream.name.lower() if action.workstream else ""
    current["phase"] = action.phase.name.lower() if action.phase else ""
    return current


def _shown(name: str, value: Any, row: TableRow | None = None) -> Any:
    """A value as the preview shows it: a quarter's label, a status's label, a name as typed."""
    if name in QUARTER_FIELDS:
        return quarter_label(value)
    if name == "status":
        return ActionStatus(value).label
    if row is not None and name in ("programme", "workstream", "phase"):
        return row[name] or ""
    return value


class ActionImporter(TableImporter):
    name = ACTIONS_IMPORTER
    thing = "action"
    things = "actions"
    register_url_name = "programme:action_list"
    register_label = "Actions"
    upload_url_name = "programme:action_import"
    columns = ACTION_COLUMNS
    guide = "programme.md"

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Action]:
        actions = selectors.action_list(organisation=organisation).alias(key=Lower("reference"))
        return {action.reference.lower(): action for action in actions.filter(key__in=keys)}

    def label(self, row: TableRow) -> str:
        return str(row["title"] or "")

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        programmes = {
            p.name.lower(): p for p in selectors.programme_list(organisation=organisation)
        }
        parts = _parts(organisation)
        posts = _posts(organisation, rows)
        today = timezone.localdate()
        for row in rows:
            action = existing.get(str(row["reference"] or "").lower())
            self._check_row(row, action, programmes, parts, posts, today, report)

    def _check_row(
        self,
        row: TableRow,
        action: Action | None,
        programmes: dict[str, Programme],
        parts: dict[tuple[int, str], dict[str, Any]],
        posts: set[str] | None,
        today: dt.date,
        report: Report,
    ) -> None:
        def problem(name: str, message: str) -> None:
            report.problem(message, row=row.number, column=row.headers[name], value=row[name])

        programme_name = row["programme"]
        programme = programmes.get(str(programme_name or "").lower())
        if programme_name and programme is None:
            problem(
                "programme",
                NO_SUCH_PROGRAMME.format(
                    value=programme_name,
                    programmes=_names(sorted(p.name for p in programmes.values())) or "none yet",
                ),
            )
        for what in ("workstream", "phase"):
            part = row[what]
            if part and programme is not None:
                found = parts.get((programme.pk, what), {})
                if part.lower() not in found:
                    names = _names([record.name for record in found.values()]) or "none yet"
                    problem(
                        what,
                        NO_SUCH_PART.format(
                            programme=programme.name, what=what, value=part, names=names
                        ),
                    )

        def value(name: str) -> Any:
            """The field once the row is saved: the file's, or the action's when left out."""
            if row.has(name):
                return quarters[name] if name in QUARTER_FIELDS else row[name]
            return getattr(action, name) if action is not None else None

        quarters: dict[str, int | None] = {}
        for name in QUARTER_FIELDS:
            try:
                quarters[name] = _quarter(row[name])
            except QuarterError as error:
                expected = str(error).startswith("expected")
                problem(
                    name,
                    NOT_A_QUARTER.format(expected=QUARTER_EXPECTED) if expected else str(error),
                )
                return
        design, implement = value("design_by"), value("implement_from")
        if design is not None and implement is not None and implement < design:
            problem(
                "implement_from" if row.has("implement_from") else "design_by",
                IMPLEMENT_BEFORE_DESIGN.format(design_by=FinancialQuarter.from_code(design).label),
            )
        percent = row["percent_complete"]
        if percent is not None and not 0 <= percent <= 100:
            problem("percent_complete", PERCENT_RANGE)
        for name in MONEY_FIELDS:
            if row[name] is not None and row[name] < 0:
                problem(name, NEGATIVE)
        start, due = value("start_on"), value("due_on")
        if start and due and due < start:
            problem(
                "due_on" if row.has("due_on") else "start_on",
                DUE_BEFORE_START.format(start=f"{start:%d/%m/%Y}"),
            )
        post = row["owner_post"]
        if post and posts is not None and post.lower() not in posts:
            problem("owner_post", NO_SUCH_POST.format(value=post))
        status = value("status") or ActionStatus.NOT_STARTED
        warning = services.closed_quarter_warning(
            reference=str(row["reference"]), due_on=due, status=status, today=today
        )
        if warning:
            report.note(warning, row=row.number, column=row.headers.get("due_on"))

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        action: Action = record
        current = _current(action)
        changes = []
        for name, value in _wanted(row, action).items():
            if value != current[name] and not (
                name == "owner_post" and str(value).lower() == str(current[name]).lower()
            ):
                label = ACTION_COLUMNS.get(name).label
                changes.append(change(label, _shown(name, current[name]), _shown(name, value, row)))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        organisation = run.organisation
        programmes = {
            p.name.lower(): p for p in selectors.programme_list(organisation=organisation)
        }
        parts = _parts(organisation)
        fate = {row.row: row.action for row in plan.rows}
        with hooks.batched(by=by):
            for index, row in enumerate(rows, start=1):
                if fate[row.number] not in (CREATE, UPDATE):
                    continue
                reference = str(row["reference"])
                action = existing.get(reference.lower()) if fate[row.number] == UPDATE else None
                wanted = _wanted(row, action)
                programme_name = wanted.pop("programme", None)
                programme = (
                    programmes[programme_name] if programme_name else action.programme  # type: ignore[union-attr]
                )
                for what in ("workstream", "phase"):
                    if what in wanted:
                        name = wanted.pop(what)
                        wanted[what] = parts[(programme.pk, what)][name] if name else None
                title = wanted.pop("title", None)
                if action is None:
                    services.action_create(
                        programme=programme, reference=reference, title=title, by=by, **wanted
                    )
                else:
                    services.action_update(
                        action=action,
                        programme=programme,
                        reference=reference,
                        title=title if title is not None else action.title,
                        by=by,
                        **wanted,
                    )
                progress.advance(index)
        return Outcome(
            summary=_summary(plan, run, "actions"),
            result_url=self.register_url(organisation),
        )


def _parts(organisation: Organisation) -> dict[tuple[int, str], dict[str, Any]]:
    """Each programme's workstreams and phases by name in lower case: two queries."""
    parts: dict[tuple[int, str], dict[str, Any]] = {}
    for workstream in Workstream.objects.filter(programme__organisation=organisation):
        parts.setdefault((workstream.programme_id, "workstream"), {})[workstream.name.lower()] = (
            workstream
        )
    for phase in Phase.objects.filter(programme__organisation=organisation):
        parts.setdefault((phase.programme_id, "phase"), {})[phase.name.lower()] = phase
    return parts


def _posts(organisation: Organisation, rows: Sequence[TableRow]) -> set[str] | None:
    """The post IDs (lower case) the file names that the current as-is structure holds.

    ``None`` when the organisation has no as-is structure: then an ID is taken as given.
    """
    snapshot = snapshot_current_as_is(organisation=organisation)
    if snapshot is None:
        return None
    named = {str(row["owner_post"]).lower() for row in rows if row["owner_post"]}
    found = Post.objects.filter(organisation=organisation, snapshot=snapshot)
    found = found.alias(key=Lower("post_id")).filter(key__in=named)
    return {post_id.lower() for post_id in found.values_list("post_id", flat=True)}


# ---- milestones -----------------------------------------------------------------------


def milestone_key(reference: str, title: str) -> str:
    return f"{reference}: {title}"


def _split_key(value: Any) -> tuple[str, str] | None:
    reference, colon, title = str(value or "").partition(":")
    if not colon or not reference.strip() or not title.strip():
        return None
    return reference.strip(), title.strip()


def _actions_by_reference(organisation: Organisation, references: set[str]) -> dict[str, Action]:
    actions = Action.objects.filter(organisation=organisation).alias(key=Lower("reference"))
    return {a.reference.lower(): a for a in actions.filter(key__in=references)}


def _references(rows: Sequence[TableRow], key: str, split: Any) -> set[str]:
    found = set()
    for row in rows:
        parts = split(row[key])
        if parts is not None:
            found.add(parts[0].lower())
    return found


def _check_keys(
    rows: Sequence[TableRow],
    key: str,
    split: Any,
    wrong: str,
    organisation: Organisation,
    report: Report,
) -> None:
    actions = _actions_by_reference(organisation, _references(rows, key, split))
    for row in rows:
        if row[key] is None:
            continue
        parts = split(row[key])
        if parts is None:
            report.problem(wrong, row=row.number, column=row.headers[key], value=row[key])
        elif parts[0].lower() not in actions:
            report.problem(
                NO_SUCH_ACTION.format(reference=parts[0]),
                row=row.number,
                column=row.headers[key],
                value=row[key],
            )


class _ActionPartImporter(TableImporter):
    """Records of an action (its milestones, its savings), keyed by its reference and more."""

    register_url_name = "programme:action_list"
    register_label = "Actions"
    guide = "programme.md"
    #: The key column, how to split its value into the action's reference and the rest,
    #: and the problem when it cannot be split.
    key = ""
    wrong = ""

    @staticmethod
    def split(value: Any) -> tuple[str, Any] | None:
        raise NotImplementedError

    def label(self, row: TableRow) -> str:
        return str(row[self.key] or "")

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        _check_keys(rows, self.key, self.split, self.wrong, organisation, report)

    def actions(self, organisation: Organisation, rows: Sequence[TableRow]) -> dict[str, Action]:
        """The actions the rows name, by reference in lower case: one query."""
        return _actions_by_reference(organisation, _references(rows, self.key, self.split))


class MilestoneImporter(_ActionPartImporter):
    name = MILESTONES_IMPORTER
    thing = "milestone"
    things = "milestones"
    upload_url_name = "programme:milestone_import"
    columns = MILESTONE_COLUMNS
    key = "milestone"
    wrong = NOT_A_MILESTONE
    split = staticmethod(_split_key)

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Milestone]:
        found: dict[str, Milestone] = {}
        for milestone in selectors.milestone_list(organisation=organisation):
            found.setdefault(
                milestone_key(milestone.action.reference, milestone.title).lower(), milestone
            )
        return {key: milestone for key, milestone in found.items() if key in keys}

    def _wanted(self, row: TableRow, milestone: Milestone | None) -> dict[str, Any]:
        new = milestone is None
        wanted: dict[str, Any] = {"due_on": row["due_on"]}
        if new or row.has("status"):
            wanted["status"] = row["status"] or MilestoneStatus.PLANNED
        if new or row.has("completed_on"):
            wanted["completed_on"] = row["completed_on"]
        status = wanted.get("status", milestone.status if milestone else "")
        if status != MilestoneStatus.COMPLETE:
            wanted["completed_on"] = None
        return wanted

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        milestone: Milestone = record
        changes = []
        for name, value in self._wanted(row, milestone).items():
            current = getattr(milestone, name)
            if value != current:
                label = MILESTONE_COLUMNS.get(name).label
                if name == "status":
                    current, value = (MilestoneStatus(v).label for v in (current, value))
                changes.append(change(label, current, value))
        return tuple(changes)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, existing = plan.payload
        organisation = run.organisation
        actions = self.actions(organisation, rows)
        fate = {row.row: row.action for row in plan.rows}
        with hooks.batched(by=by):
            for index, row in enumerate(rows, start=1):
                if fate[row.number] not in (CREATE, UPDATE):
                    continue
                milestone = existing.get(str(row["milestone"]).lower())
                wanted = self._wanted(row, milestone if fate[row.number] == UPDATE else None)
                if fate[row.number] == UPDATE:
                    services.milestone_update(
                        milestone=milestone,
                        title=milestone.title,
                        **{
                            "status": milestone.status,
                            "completed_on": milestone.completed_on,
                            **wanted,
                        },
                        by=by,
                    )
                else:
                    reference, title = _split_key(row["milestone"])  # type: ignore[misc]
                    services.milestone_create(
                        action=actions[reference.lower()], title=title, by=by, **wanted
                    )
                progress.advance(index)
        return Outcome(
            summary=_summary(plan, run, "milestones"),
            result_url=self.register_url(organisation),
        )


# ---- savings --------------------------------------------------------------------------


def saving_key(reference: str, year: int) -> str:
    return f"{reference} {financial_year_label(year)}"


def _split_saving(value: Any) -> tuple[str, int] | None:
    reference, _space, year = str(value or "").strip().rpartition(" ")
    if not reference.strip():
        return None
    try:
        return reference.strip(), parse_financial_year(year)
    except QuarterError:
        return None


class SavingImporter(_ActionPartImporter):
    name = SAVINGS_IMPORTER
    thing = "saving"
    things = "savings"
    upload_url_name = "programme:saving_import"
    columns = SAVING_COLUMNS
    key = "saving"
    wrong = f"{NOT_A_SAVING} ({YEAR_EXPECTED})"
    split = staticmethod(_split_saving)

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, ActionSaving]:
        savings = selectors.saving_list(organisation=organisation)
        found = {saving_key(s.action.reference, s.year).lower(): s for s in savings}
        return {key: saving for key, saving in found.items() if key in keys}

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        super().check(rows, existing, report, organisation)
        for row in rows:
            if row["amount"] is not None and row["amount"] < 0:
                report.problem(
                    NEGATIVE, row=row.number, column=row.headers["amount"], value=row["amount"]
                )

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        saving: ActionSaving = record
        if row["amount"] == saving.amount:
            return ()
        return (change("Amount", saving.amount, row["amount"]),)

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        rows, _existing = plan.payload
        organisation = run.organisation
        actions = self.actions(organisation, rows)
        fate = {row.row: row.action for row in plan.rows}
        by_action: dict[str, dict[int, Decimal | None]] = {}
        for row in rows:
            if fate[row.number] in (CREATE, UPDATE):
                reference, year = _split_saving(row["saving"])  # type: ignore[misc]
                by_action.setdefault(reference.lower(), {})[year] = row["amount"]
        with hooks.batched(by=by):
            for index, (reference, savings) in enumerate(by_action.items(), start=1):
                services.action_savings_set(action=actions[reference], savings=savings, by=by)
                progress.advance(index)
        return Outcome(
            summary=_summary(plan, run, "savings"),
            result_url=self.register_url(organisation),
        )


register_importer(ActionImporter())
register_importer(MilestoneImporter())
register_importer(SavingImporter())
