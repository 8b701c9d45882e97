"""The import kit: one flow for every register's upload.

upload → check (a background job, with progress) → preview (rows to create,
update and leave unchanged; every problem with its file, row and column; notes
apart) → confirm or discard → an all-or-nothing save (one transaction) → a
summary with a link to what changed. A failed check offers "upload a corrected
file" and, where the register has repairs, "apply the listed repairs".

A register declares an :class:`Importer` once and registers it::

    class UnitImporter(TableImporter):
        name = "units"
        columns = UNIT_COLUMNS          # kit.columns.Columns
        def existing(self, organisation, keys): ...   # records by key
        def compare(self, row, record): ...           # what would change
        def write(self, plan, *, run, by, progress): ...  # through the services

    register_importer(UnitImporter())

A :class:`TableImporter` reads a CSV or Excel file against its columns, so its
checks and their messages come from the declaration; a register with its own
reader (structure's organograms) overrides :meth:`Importer.plan` instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, acting_user
from goldenthread.formats.sources import ReadLimits
from goldenthread.formats.tabular import Table, TableError, read_sheets
from goldenthread.formats.values import NumberFault, read_number
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.jobs.findings import PROBLEM_LIMIT, Findings
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.recovery import Cutoffs, register_purger
from goldenthread.jobs.registry import register
from goldenthread.jobs.services import JobFailed, Progress, job_create

from .columns import Column, Columns, ColumnType
from .limits import read_limits
from .models import ImportRun, ImportStatus

__all__ = [
    "CHECK_KIND",
    "CREATE",
    "PROBLEM_LIMIT",
    "SAVE_KIND",
    "UNCHANGED",
    "UPDATE",
    "Importer",
    "Outcome",
    "Plan",
    "PlanList",
    "Report",
    "RowPlan",
    "TableImporter",
    "TableRow",
    "can_save",
    "change",
    "import_run_confirm",
    "import_run_create",
    "import_run_discard",
    "import_run_for",
    "import_run_get",
    "import_run_repair",
    "import_runs_purge",
    "importer_get",
    "read_cell",
    "register_importer",
    "rows_of",
    "template_workbook",
    "unquote_formula",
]

CHECK_KIND = "kit.import_check"
SAVE_KIND = "kit.import_save"

#: Rows of each kind kept for the preview page; the counts are always exact.
PREVIEW_LIMIT = 200
#: Problems, notes and repairs kept for the pages (PROBLEM_LIMIT, from the
#: jobs' findings); their full counts, and the problems' counts by kind, are kept too.

# Messages about the file's header and cells: each names what was expected.
MISSING_COLUMN = "the header has no {column} column; expected the columns {expected}"
IGNORED_COLUMN = "the column {column} is not one this import reads, so it was left out"
MISSING_VALUE = "this cell is blank; expected {expected}"
TOO_LONG = "this has {length} characters; expected at most {limit}"
NOT_MATCHING = "expected {expected}"
NOT_A_CHOICE = "expected one of: {choices}"
NOT_A_NUMBER = "this cannot be read as a number, so it was not guessed; expected {expected}"
TOO_PRECISE = "this has more than {places} decimal places; expected {expected}"
NOT_A_DATE = "this cannot be read as a date; expected {expected}"
NOT_YES_NO = "expected yes or no"
DUPLICATE_KEY = "{value} is also on row {other}; expected each {thing} on one row only"
REFUSED = "this row cannot be saved: {reason}"

# Messages about the flow.
CHECK_FAILED = "{count} problem{plural} found in {file}. Nothing was saved."
CHECKED = (
    "{file} {verb} been checked: {create:,} to add, {update:,} to change and {unchanged:,} "
    "unchanged. Nothing is saved until you confirm."
)
CHANGED_SINCE_CHECK = (
    "The records in goldenthread changed after {file} was checked, so nothing was saved. "
    "Upload the file again to check it against them."
)
SAVE_FAILED = "Saving stopped and nothing was saved: {reason}"
CHECK_STOPPED = "The check stopped and nothing was saved: {reason}"
UNEXPECTED = "an unexpected error (job {job}). Try again, or tell your administrator."
NOT_READY = "This import cannot be confirmed now: it is {status}."
NOT_OPEN = "This import has finished: it is {status}."
NO_REPAIRS = "This import has no repairs to apply."
NOTHING_TO_SAVE = "The file changes nothing, so there is nothing to save."
ALREADY_SAVING = "This import is already being saved."
ALREADY_CHECKING = "This import is already being checked again."
ALREADY_DISCARDED = "This import has already been discarded."
FILE_GONE = (
    "The file of this import is no longer kept, so it cannot be checked again. Upload it again."
)
ABANDONED = (
    "{file} was checked but neither saved nor discarded, so it was discarded after "
    "{hours}. Nothing was saved."
)

#: A text cell an export made inert starts with a quote before one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTIONS = (CREATE, UPDATE, UNCHANGED)


def unquote_formula(text: str) -> str:
    """Undo the export's formula neutralising: ``'=SUM(A1)`` reads back as ``=SUM(A1)``.

    An export puts a single quote before a text cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, so that a spreadsheet never
    runs it as a formula (OWASP CSV injection). Reading the file back removes
    that quote, and only that quote.

    >>> unquote_formula("'=HYPERLINK(\\"x\\")")
    '=HYPERLINK("x")'
    >>> unquote_formula("'-5 staff")
    '-5 staff'
    >>> unquote_formula("'quoted'")
    "'quoted'"
    >>> unquote_formula("''=A1")
    "''=A1"
    >>> unquote_formula("=A1")
    '=A1'
    """
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _header_name(title: str) -> str:
    return re.sub(r"[\s\-]+", "_", title.strip().lower())


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
MONEY_PLACES = 2


class CellError(ValueError):
    """A cell that does not hold what its column declares; the message says what was expected."""


def _number(text: str, column: Column) -> Decimal:
    try:
        return read_number(text, pounds=column.type == ColumnType.MONEY)
    except NumberFault:
        raise CellError(NOT_A_NUMBER.format(expected=column.describe())) from None


def _date(text: str, column: Column) -> dt.date:
    iso = _ISO_DATE.fullmatch(text[:10]) if text[10:] in ("", "T00:00:00") else None
    uk = _UK_DATE.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        pass
    raise CellError(NOT_A_DATE.format(expected=column.describe()))


def read_cell(column: Column, text: str) -> Any:
    """The value of one cell as ``column`` declares it, or :class:`CellError`.

    A blank cell reads as ``None`` (the caller decides whether it is needed).
    Nothing is guessed: ``12,5`` is not a number, ``31/02/2026`` is not a date.

    >>> read_cell(Column("cost", "Cost", type=ColumnType.MONEY), "£42,500.50")
    Decimal('42500.50')
    >>> read_cell(Column("kind", "Kind", type=ColumnType.CHOICE,
    ...                  choices=[("team", "Team")]), "TEAM")
    'team'
    >>> read_cell(Column("on", "On", type=ColumnType.DATE), "31/03/2026")
    datetime.date(2026, 3, 31)
    >>> read_cell(Column("fte", "FTE", type=ColumnType.DECIMAL), "1,5")
    Traceback (most recent call last):
    ...
    goldenthread.kit.importing.CellError: this cannot be read as a number, so it was not \
guessed; expected a number
    """
    text = unquote_formula(text.strip()) if column.type == ColumnType.TEXT else text.strip()
    if text == "":
        return None
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.REFERENCE):
        if column.max_length and len(text) > column.max_length:
            raise CellError(TOO_LONG.format(length=len(text), limit=column.max_length))
        if column.pattern and not re.fullmatch(column.pattern, text):
            raise CellError(NOT_MATCHING.format(expected=column.describe()))
        return text
    if kind == ColumnType.CHOICE:
        lowered = text.lower()
        for value, label in column.choices:
            if lowered in (str(value).lower(), str(label).lower()):
                return value
        raise CellError(
            NOT_A_CHOICE.format(choices=", ".join(label.lower() for _v, label in column.choices))
        )
    if kind == ColumnType.INTEGER:
        number = _number(text, column)
        if number != number.to_integral_value():
            raise CellError(NOT_MATCHING.format(expected=column.describe()))
        return int(number)
    if kind in (ColumnType.DECIMAL, ColumnType.MONEY):
        number = _number(text, column)
        if kind == ColumnType.MONEY:
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -MONEY_PLACES:
                raise CellError(TOO_PRECISE.format(places=MONEY_PLACES, expected=column.describe()))
            return number.quantize(Decimal("0.01"))
        return number
    if kind == ColumnType.DATE:
        return _date(text, column)
    if kind == ColumnType.BOOLEAN:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise CellError(NOT_YES_NO)
    raise AssertionError(f"no reader for {kind}")  # pragma: no cover


class Report:
    """Problems (they stop the save), notes (they do not) and repairs, each with its place."""

    def __init__(self, file: str) -> None:
        self.file = file
        # However many a file holds, the first PROBLEM_LIMIT of each are kept,
        # with the count of all (and, for problems, the count by kind).
        self.problems = Findings()
        self.notes = Findings()
        self.repairs = Findings()

    @staticmethod
    def _entry(
        file: str,
        message: str,
        row: int | None,
        column: str | None,
        value: Any,
    ) -> dict[str, Any]:
        return {
            "file": file,
            "row": row,
            "column": column,
            "value": None if value is None else str(value)[:100],
            "message": message,
        }

    def problem(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        file: str | None = None,
        kind: str | None = None,
    ) -> None:
        """A problem; ``kind`` groups its count (by default, the message without its values)."""
        self.problems.add(self._entry(file or self.file, message, row, column, value), kind)

    def note(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        file: str | None = None,
    ) -> None:
        self.notes.append(self._entry(file or self.file, message, row, column, value))

    def repair(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        file: str | None = None,
    ) -> None:
        self.repairs.append(self._entry(file or self.file, message, row, column, value))


@dataclass(frozen=True)
class RowPlan:
    """What saving would do with one row of the file."""

    action: str
    key: str
    label: str = ""
    row: int | None = None
    #: For an update: each change in words, ``name: People → People and Communities``.
    changes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "key": self.key, "label": self.label, "changes": self.changes}


@dataclass(frozen=True)
class PlanList:
    """Records that saving would add beside the file's rows, in words, under a heading."""

    #: A name for the page and its tests: ``units``.
    name: str
    heading: str
    items: tuple[str, ...]
    #: What the list means, shown above it.
    intro: str = ""

    def as_dict(self, limit: int) -> dict[str, Any]:
        return {
            "name": self.name,
            "heading": self.heading,
            "intro": self.intro,
            "items": list(self.items[:limit]),
            "count": len(self.items),
        }


@dataclass
class Plan:
    """Every row's fate, and whatever the register's ``write`` needs to carry it out."""

    rows: list[RowPlan] = field(default_factory=list)
    payload: Any = None
    #: What saving does, in words, shown above the preview.
    intro: str = ""
    #: Other records saving would add beside the rows (a structure's new units),
    #: each list shown in the preview under its heading, before anything is saved.
    lists: list[PlanList] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def fingerprint(self) -> str:
        """A digest of every row's action and changes: equal only for the same plan.

        The preview keeps the first rows of each kind; the digest covers all
        of them, so a save can tell that the records changed since the check
        even where the counts happen to agree.
        """
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(json.dumps([row.action, row.key, row.changes]).encode())
        for listed in self.lists:
            digest.update(json.dumps([listed.name, listed.items]).encode())
        return digest.hexdigest()

    def preview(self, limit: int = PREVIEW_LIMIT) -> dict[str, Any]:
        """The first ``limit`` rows of each kind, and the intro, as kept for the preview page."""
        shown: dict[str, list[dict[str, Any]]] = {action: [] for action in ACTIONS}
        for row in self.rows:
            if len(shown[row.action]) < limit:
                shown[row.action].append(row.as_dict())
        return {
            **shown,
            "intro": self.intro,
            "lists": [listed.as_dict(limit) for listed in self.lists],
            "fingerprint": self.fingerprint(),
        }


@dataclass(frozen=True)
class Outcome:
    """What a save did, for the summary page."""

    summary: str
    result_url: str = ""


def change(label: str, before: Any, after: Any) -> str:
    """One change in words: ``Name: People → People and Communities``."""
    return f"{label}: {_shown(before)} → {_shown(after)}"


def _shown(value: Any) -> str:
    return "(blank)" if value in (None, "") else str(value)


class Importer:
    """How one register's file is checked and saved. Subclass and register an instance."""

    #: The registry name, also in URLs: ``units``.
    name: str = ""
    #: One row's record, in words: ``unit``; and many: ``units``.
    thing: str = ""
    things: str = ""
    #: The register's list page (URL name taking ``org_slug``) and its label, for breadcrumbs.
    register_url_name: str = ""
    register_label: str = ""
    #: The upload page, for "upload a corrected file".
    upload_url_name: str = ""
    #: The declared columns, when the file is a table of them (for the template and docs).
    columns: Columns | None = None
    #: The guide page (under docs/guide/) that lists the columns, kept current by a test.
    guide: str = ""
    #: Whether a save is worth making when no row is added or changed (a new snapshot is).
    always_saves: bool = False

    def plan(self, run: ImportRun, report: Report, progress: Progress) -> Plan:
        """Check the file and decide each row's fate, reporting every problem. Saves nothing."""
        raise NotImplementedError

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        """Carry out ``plan`` through the register's services; the kit holds the transaction."""
        raise NotImplementedError

    def repairable(self, run: ImportRun) -> bool:
        """Whether :meth:`repair_options` would let this failed run be saved."""
        return False

    def repair_options(self, run: ImportRun) -> dict[str, Any]:
        """The run's options with the repairs switched on."""
        raise NotImplementedError

    def upload_url(self, run: ImportRun) -> str:
        return reverse(self.upload_url_name, kwargs={"org_slug": run.organisation.slug})

    def register_url(self, organisation: Organisation, run: ImportRun | None = None) -> str:
        """The register's page; an importer whose runs carry a parameter in their
        ``options`` (the record a file updates) may read it from ``run``."""
        return reverse(self.register_url_name, kwargs={"org_slug": organisation.slug})


@dataclass(frozen=True)
class TableRow:
    """One row of a table file, read against the declared columns."""

    number: int
    #: Each present column's value (``None`` for a blank cell), by column name.
    values: Mapping[str, Any]
    #: The header as written in the file, by column name (for messages).
    headers: Mapping[str, str]

    def has(self, name: str) -> bool:
        """Whether the file has this column at all (a missing column leaves the field alone)."""
        return name in self.values

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


class TableImporter(Importer):
    """A register whose file is a table of its declared columns, one record a row."""

    columns: Columns

    def existing(self, organisation: Organisation, keys: set[str]) -> dict[str, Any]:
        """The records already saved, by their key in lower case."""
        raise NotImplementedError

    def check(
        self,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
        organisation: Organisation,
    ) -> None:
        """The register's own checks beyond each cell's (references, cycles)."""

    def compare(self, row: TableRow, record: Any) -> tuple[str, ...]:
        """Each change saving ``row`` would make to ``record``, in words; none if unchanged."""
        raise NotImplementedError

    def label(self, row: TableRow) -> str:
        return str(row.values.get("name") or "")

    def existing_for(self, run: ImportRun, keys: set[str]) -> dict[str, Any]:
        """:meth:`existing` for one run: override to read a parameter of the run's ``options``."""
        return self.existing(run.organisation, keys)

    def check_for(
        self,
        run: ImportRun,
        rows: Sequence[TableRow],
        existing: Mapping[str, Any],
        report: Report,
    ) -> None:
        """:meth:`check` for one run: override to read a parameter of the run's ``options``."""
        self.check(rows, existing, report, run.organisation)

    def read(self, run: ImportRun, report: Report) -> list[TableRow] | None:
        return read_rows(self.columns, run.filename, bytes(run.data), report, limits=read_limits())

    def plan(self, run: ImportRun, report: Report, progress: Progress) -> Plan:
        progress.stage("Reading the file")
        rows = self.read(run, report)
        if rows is None:
            return Plan()
        key = self.columns.key
        keys = {str(row[key]).lower() for row in rows if row[key] is not None}
        existing = self.existing_for(run, keys)
        progress.stage("Checking rows", total=len(rows))
        self.check_for(run, rows, existing, report)
        if report.problems:
            return Plan()
        plan = Plan(payload=(rows, existing))
        for index, row in enumerate(rows, start=1):
            value = str(row[key] or "")
            record = existing.get(value.lower())
            if record is None:
                plan.rows.append(RowPlan(CREATE, value, self.label(row), row.number))
            else:
                changes = self.compare(row, record)
                action = UPDATE if changes else UNCHANGED
                plan.rows.append(RowPlan(action, value, self.label(row), row.number, changes))
            progress.advance(index)
        return plan


def read_rows(
    columns: Columns,
    filename: str,
    data: bytes,
    report: Report,
    *,
    limits: ReadLimits | None = None,
) -> list[TableRow] | None:
    """Read a CSV or Excel file against ``columns``, reporting every problem with its place.

    ``None`` when the file cannot be read as a table of these columns at all;
    otherwise every row, a cell with a problem reading as blank.

    The header may name a column by its name (``parent_code``) or its label
    (``Parent code``), in any case; unknown columns are left out with a note.
    The file is read within ``limits`` (by default those of the settings).
    """
    try:
        tables = read_sheets(data, filename, limits=limits or read_limits())
    except TableError as error:
        problem = error.problem
        report.problem(problem.message, row=problem.row, column=problem.column)
        return None
    by_header: dict[str, Column] = {}
    for column in columns:
        by_header[column.name] = column
        by_header[_header_name(column.label)] = column

    def known(table: Table) -> set[str]:
        return {
            by_header[name].name for name in map(_header_name, table.header) if name in by_header
        }

    # A workbook may open with a sheet about the file: read the first sheet of records.
    table = next((table for table in tables if set(columns.required) <= known(table)), tables[0])
    for note in table.notes:
        report.note(note)
    found: dict[str, str] = {}
    for title in table.header:
        header_column = by_header.get(_header_name(title))
        if header_column is None:
            if title:
                report.note(IGNORED_COLUMN.format(column=title), row=1, column=title)
        elif header_column.name not in found:
            found[header_column.name] = title
    for name in columns.required:
        if name not in found:
            report.problem(
                MISSING_COLUMN.format(column=name, expected=", ".join(columns.names)),
                row=1,
                column=name,
            )
    if report.problems:
        return None
    rows: list[TableRow] = []
    seen: dict[str, int] = {}
    for number, record in table.records():
        values: dict[str, Any] = {}
        for name, title in found.items():
            column = columns.get(name)
            text = record.get(title, "")
            try:
                value = read_cell(column, text)
            except CellError as error:
                report.problem(str(error), row=number, column=title, value=text)
                value = None
            else:
                if value is None and column.required:
                    report.problem(
                        MISSING_VALUE.format(expected=column.describe()), row=number, column=title
                    )
            values[name] = value
        if columns.key and values.get(columns.key) is not None:
            key = str(values[columns.key]).lower()
            if key in seen:
                report.problem(
                    DUPLICATE_KEY.format(
                        value=values[columns.key], other=seen[key], thing=columns.thing
                    ),
                    row=number,
                    column=found[columns.key],
                    value=values[columns.key],
                    kind=DUPLICATE_KEY.format(value="…", other="…", thing=columns.thing),
                )
            else:
                seen[key] = number
        rows.append(TableRow(number, values, found))
    return rows


# ---------------------------------------------------------------------------
# The registry of importers.

_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    """Make ``importer`` available to the kit's pages and jobs under its name."""
    if not importer.name:
        raise ValueError("an importer needs a name")
    _IMPORTERS[importer.name] = importer
    return importer


def importer_get(name: str) -> Importer:
    """The importer registered as ``name``; ``KeyError`` if there is none."""
    return _IMPORTERS[name]


# ---------------------------------------------------------------------------
# The template workbook.

TEMPLATE_HEADER = ("Column", "Heading", "Needed", "What it holds")


def template_workbook(columns: Columns) -> bytes:
    """A workbook to fill in: a sheet with the headers, and one explaining each column."""
    explained = [
        (
            column.name,
            column.label,
            "yes" if column.required else "no",
            f"{column.help}: {column.describe()}" if column.help else column.describe(),
        )
        for column in columns
    ]
    return write_xlsx(
        [
            Sheet(columns.thing.capitalize() + "s", columns.names, []),
            Sheet("About the columns", TEMPLATE_HEADER, explained),
        ]
    )


# ---------------------------------------------------------------------------
# Services and selector of import runs.


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


#: What a page that only links to a run never loads: the file, and what the check found.
UNBOUNDED_FIELDS = ("data", "problems", "preview", "notes", "repairs", "problem_kinds")
#: What the run's page never needs of its jobs: the run keeps what they found.
JOB_BULK = ("problems", "problem_kinds", "parameters")


def import_run_get(*, organisation: Organisation, pk: int) -> ImportRun:
    """One import run of ``organisation``; ``ImportRun.DoesNotExist`` for another's.

    The file's bytes are left in the database: only the jobs read them.
    """
    return (
        ImportRun.objects.select_related("check_job", "save_job", "organisation")
        .defer(
            "data", *(f"{job}__{name}" for job in ("check_job", "save_job") for name in JOB_BULK)
        )
        .get(organisation=organisation, pk=pk)
    )


def import_run_for(
    *, organisation: Organisation, importer: str, reference: str
) -> ImportRun | None:
    """The newest run tied to a register's own upload record, if any."""
    return (
        ImportRun.objects.filter(organisation=organisation, importer=importer, reference=reference)
        .defer(*UNBOUNDED_FIELDS)
        .order_by("-pk")
        .first()
    )


def _start_check(run: ImportRun, by: Actor) -> ImportRun:
    job = job_create(
        organisation=run.organisation,
        kind=CHECK_KIND,
        title=f"Check {run.filename}",
        by=by,
        parameters={"run_id": run.pk},
        result_url=reverse(
            "kit:import_run", kwargs={"org_slug": run.organisation.slug, "run_id": run.pk}
        ),
    )
    run.check_job = job
    run.status = ImportStatus.CHECKING
    run.save(update_fields=["check_job", "status"])
    return run


@transaction.atomic
def import_run_create(
    *,
    organisation: Organisation,
    importer: str,
    filename: str,
    data: bytes = b"",
    options: dict[str, Any] | None = None,
    reference: str = "",
    by: Actor,
) -> ImportRun:
    """Keep an upload and queue its check. Nothing of the register changes."""
    found = importer_get(importer)
    run = ImportRun.objects.create(
        organisation=organisation,
        importer=importer,
        title=f"Import {found.things} from {filename}"[:200],
        reference=reference,
        filename=filename[:255],
        data=data,
        options=options or {},
        created_by=acting_user(by),
    )
    return _start_check(run, by)


def can_save(run: ImportRun) -> bool:
    """Whether saving a checked run would change anything."""
    if importer_get(run.importer).always_saves:
        return True
    return any(run.counts.get(action) for action in (CREATE, UPDATE))


def _refuse_unless(run: ImportRun, *statuses: str) -> None:
    if run.status not in statuses:
        message = NOT_READY if ImportStatus.READY in statuses else NOT_OPEN
        raise ServiceError(message.format(status=run.get_status_display().lower()))


def _claim(
    run: ImportRun, expected: tuple[str, ...], already: tuple[str, str], **changes: Any
) -> ImportRun:
    """Move ``run`` on from one of ``expected`` statuses, or refuse: a compare-and-set.

    The row changes only if it is still in an expected status, so of two
    submits of the same form (or two people) one wins and the other is told
    what the first did (``already``: the status it leaves, and what to say),
    even on SQLite where ``select_for_update`` locks nothing.
    """
    claimed = ImportRun.objects.filter(pk=run.pk, status__in=expected).update(**changes)
    current = ImportRun.objects.defer(*UNBOUNDED_FIELDS).get(pk=run.pk)
    if not claimed:
        status, message = already
        if current.status == status:
            raise ServiceError(message)
        _refuse_unless(current, *expected)
    for name, value in changes.items():
        setattr(run, name, value)
    run.status = current.status
    return run


@transaction.atomic
def import_run_confirm(*, run: ImportRun, by: Actor) -> ImportRun:
    """Queue the save of a checked run: all of it, in one transaction, or nothing.

    A second submit (a double click, a second tab) is refused with
    :data:`ALREADY_SAVING`: only one save is ever queued.
    """
    current = ImportRun.objects.defer(*UNBOUNDED_FIELDS).get(pk=run.pk)
    if current.status == ImportStatus.READY and not can_save(current):
        raise ServiceError(NOTHING_TO_SAVE)
    run = _claim(
        run,
        (ImportStatus.READY,),
        (ImportStatus.SAVING, ALREADY_SAVING),
        status=ImportStatus.SAVING,
    )
    job = job_create(
        organisation=run.organisation,
        kind=SAVE_KIND,
        title=run.title,
        by=by,
        parameters={"run_id": run.pk},
    )
    run.save_job = job
    ImportRun.objects.filter(pk=run.pk).update(save_job=job)
    return run


@transaction.atomic
def import_run_discard(*, run: ImportRun, by: Actor) -> ImportRun:
    """Drop a run that has not been saved: its file is forgotten and nothing changes."""
    return _claim(
        run,
        (ImportStatus.READY, ImportStatus.FAILED, ImportStatus.CHECKING),
        (ImportStatus.DISCARDED, ALREADY_DISCARDED),
        status=ImportStatus.DISCARDED,
        data=b"",
        finished_at=timezone.now(),
    )


@transaction.atomic
def import_run_repair(*, run: ImportRun, by: Actor) -> ImportRun:
    """Check a failed run again with the register's repairs switched on."""
    current = ImportRun.objects.defer("data").get(pk=run.pk)
    importer = importer_get(current.importer)
    if current.status == ImportStatus.FAILED:
        if current.purged_at is not None:
            raise ServiceError(FILE_GONE)
        if not importer.repairable(current):
            raise ServiceError(NO_REPAIRS)
    options = importer.repair_options(current)
    run = _claim(
        run,
        (ImportStatus.FAILED,),
        (ImportStatus.CHECKING, ALREADY_CHECKING),
        status=ImportStatus.CHECKING,
        options=options,
    )
    return _start_check(run, by)


# ---------------------------------------------------------------------------
# The two jobs: check, and save.


def _run_of(progress: Progress) -> ImportRun:
    return ImportRun.objects.select_related("organisation").get(
        pk=progress.job.parameters["run_id"], organisation=progress.organisation
    )


def _fail(run: ImportRun, job: Job, summary: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, summary=summary, finished_at=timezone.now()
    )
    job.summary = summary


def _on_lost(job: Job) -> None:
    """A check or save lost with its worker: settle the run it was working on.

    The run's own writes commit with the job's work, so a run that already
    says what the job found (checked, failed, saved) tells the job's true
    outcome, lost only because the worker stopped before writing it. A run
    still waiting on the job fails with the job's message.
    """
    run = (
        ImportRun.objects.defer(*UNBOUNDED_FIELDS)
        .filter(pk=job.parameters.get("run_id"), organisation_id=job.organisation_id)
        .first()
    )
    if run is None:
        return
    is_check = job.kind == CHECK_KIND
    if (run.check_job_id if is_check else run.save_job_id) != job.pk:
        return  # the run has moved on to another job
    waiting = ImportStatus.CHECKING if is_check else ImportStatus.SAVING
    finished = (ImportStatus.READY, ImportStatus.FAILED) if is_check else (ImportStatus.DONE,)
    if run.status in finished:
        job.status = JobStatus.FAILED if run.status == ImportStatus.FAILED else JobStatus.SUCCEEDED
        job.summary = run.summary
        job.result_url = run.result_url or job.result_url
    elif run.status == waiting:
        ImportRun.objects.filter(pk=run.pk, status=waiting).update(
            status=ImportStatus.FAILED, summary=job.summary, finished_at=timezone.now()
        )


@register(CHECK_KIND, on_lost=_on_lost)
def import_check(progress: Progress) -> None:
    """Check the run's file and keep the preview; saves nothing of the register."""
    run = _run_of(progress)
    importer = importer_get(run.importer)
    report = Report(run.filename)
    try:
        plan = importer.plan(run, report, progress)
    except Exception:
        _fail(
            run, progress.job, CHECK_STOPPED.format(reason=UNEXPECTED.format(job=progress.job.pk))
        )
        raise
    progress.problems.absorb(report.problems)
    fields: dict[str, Any] = {
        "problems": list(report.problems),
        "problem_count": report.problems.total,
        "problem_kinds": report.problems.summary(),
        "notes": list(report.notes),
        "note_count": report.notes.total,
        "repairs": list(report.repairs),
        "repair_count": report.repairs.total,
    }
    if report.problems:
        count = report.problems.total
        summary = CHECK_FAILED.format(count=f"{count:,}", plural=_plural(count), file=run.filename)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            summary=summary,
            counts={},
            preview={},
            finished_at=timezone.now(),
            **fields,
        )
        raise JobFailed(summary)
    counts = plan.counts()
    # An upload of two files (an organogram's senior and junior files) is named "a and b".
    verb = "have" if " and " in run.filename else "has"
    summary = CHECKED.format(file=run.filename, verb=verb, **counts)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.READY, summary=summary, counts=counts, preview=plan.preview(), **fields
    )
    progress.job.summary = summary


@register(SAVE_KIND, on_lost=_on_lost)
def import_save(progress: Progress) -> None:
    """Check the file again and save every row in one transaction, or nothing at all."""
    run = _run_of(progress)
    importer = importer_get(run.importer)
    report = Report(run.filename)
    by = progress.job.created_by
    try:
        with transaction.atomic():
            plan = importer.plan(run, report, progress)
            changed = plan.fingerprint() != run.preview.get("fingerprint")
            if report.problems or plan.counts() != run.counts or changed:
                raise JobFailed(CHANGED_SINCE_CHECK.format(file=run.filename))
            progress.stage("Saving", total=len(plan.rows))
            outcome = importer.write(plan, run=run, by=by, progress=progress)
            # In the same transaction as the rows: a worker that stops after
            # the commit leaves a run that says it was saved (see _on_lost).
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.DONE,
                summary=outcome.summary,
                result_url=outcome.result_url,
                data=b"",
                finished_at=timezone.now(),
            )
            progress.beat()
    except JobFailed as failed:
        _fail(run, progress.job, failed.summary)
        raise
    except ServiceError as refused:
        summary = SAVE_FAILED.format(reason=refused.message)
        _fail(run, progress.job, summary)
        raise JobFailed(summary) from refused
    except Exception:
        _fail(run, progress.job, SAVE_FAILED.format(reason=UNEXPECTED.format(job=progress.job.pk)))
        raise
    progress.job.summary = outcome.summary
    progress.job.result_url = outcome.result_url


# ---------------------------------------------------------------------------
# Files kept no longer than they are needed.


def _waited(cutoffs: Cutoffs) -> str:
    hours = round((cutoffs.now - cutoffs.abandoned).total_seconds() / 3600, 1)
    return f"{hours:g} hour{'' if hours == 1 else 's'}"


def import_runs_purge(cutoffs: Cutoffs) -> int:
    """Delete the files of runs that ended before the retention cutoff, and of abandoned ones.

    A run checked but neither saved nor discarded is abandoned once it has
    waited past ``cutoffs.abandoned``: it is discarded and its file deleted.
    What each check found is kept, so the run's page still shows it.
    """
    waited = ImportRun.objects.filter(
        status=ImportStatus.READY, check_job__finished_at__lte=cutoffs.abandoned
    ).only("pk", "filename")
    abandoned = 0
    for run in waited:
        abandoned += ImportRun.objects.filter(pk=run.pk, status=ImportStatus.READY).update(
            status=ImportStatus.DISCARDED,
            summary=ABANDONED.format(file=run.filename, hours=_waited(cutoffs)),
            data=b"",
            finished_at=cutoffs.now,
            purged_at=cutoffs.now,
        )
    ended = (
        ImportRun.objects.filter(purged_at__isnull=True, finished_at__lte=cutoffs.ended)
        .exclude(status__in=[ImportStatus.CHECKING, ImportStatus.READY, ImportStatus.SAVING])
        .update(data=b"", purged_at=cutoffs.now)
    )
    return abandoned + ended


register_purger("imports", import_runs_purge)


def import_file_purged(
    *,
    organisation_id: int,
    importer: str,
    reference: str,
    created_at: dt.datetime,
    cutoffs: Cutoffs,
) -> bool:
    """Whether a register's own upload record (made at ``created_at``) may drop its file.

    Yes once the newest run tied to it has had its file purged; or, when no
    run was ever made from it, once it has waited past ``cutoffs.abandoned``.
    """
    run = (
        ImportRun.objects.filter(
            organisation_id=organisation_id, importer=importer, reference=reference
        )
        .only("purged_at")
        .order_by("-pk")
        .first()
    )
    if run is None:
        return created_at <= cutoffs.abandoned
    return run.purged_at is not None


def rows_of(plan: Plan, *actions: str) -> Iterable[RowPlan]:
    """The plan's rows with one of ``actions``."""
    return (row for row in plan.rows if row.action in actions)
