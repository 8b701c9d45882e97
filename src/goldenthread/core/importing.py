"""Import units from a CSV or Excel file, as a background job.

Columns (the header row names them, in any order, any case):

=============  ========  ====================================================
column         needed    meaning
=============  ========  ====================================================
code           yes       the unit's reference, unique in the organisation
name           yes       the unit's name
kind           no        directorate, service, team, shared service or other
parent_code    no        the code of the unit it sits in (in the file or
                         already in goldenthread)
description    no        free text
=============  ========  ====================================================

A code already in goldenthread updates that unit; a new code adds one. Every
row is checked before anything is saved, every problem is reported with its
row and column, and if there is any problem nothing is saved.
"""

from __future__ import annotations

from goldenthread.formats.tabular import TableError, read_table
from goldenthread.jobs.registry import register
from goldenthread.jobs.services import JobFailed, Progress

from .models import Unit, UnitKind
from .services import unit_bulk_upsert

COLUMNS = ("code", "name", "kind", "parent_code", "description")
REQUIRED = ("code", "name")
JOB_KIND = "core.units_import"

MISSING_COLUMN = "the header has no {column} column; expected the columns {expected}"
MISSING_VALUE = "enter the unit's {column}"
BAD_KIND = "expected one of: {choices}"
DUPLICATE_CODE = "the code {code} is also used on row {other}"
UNKNOWN_PARENT = "no unit has the code {code}, in the file or in goldenthread"
PARENT_CYCLE = "this unit would sit inside itself: {chain}"
TOO_LONG = "at most {limit} characters; this has {length}"
FAILED_SUMMARY = "{count} problem{plural} found in {file}. Correct the file and import it again."
DONE_SUMMARY = "{added} unit{added_plural} added and {updated} updated from {file}."

_KIND_BY_TEXT = {
    **{value: value for value in UnitKind.values},
    **{label.lower(): value for value, label in UnitKind.choices},
}


def units_import(progress: Progress) -> None:
    filename, data = progress.input_bytes()
    organisation = progress.organisation
    try:
        table = read_table(data, filename)
    except TableError as error:
        problem = error.problem
        progress.problem(file=problem.file, message=problem.message)
        raise JobFailed(problem.message) from error

    header = {title.strip().lower().replace(" ", "_"): title for title in table.header}
    for column in REQUIRED:
        if column not in header:
            progress.problem(
                file=filename,
                row=1,
                column=column,
                message=MISSING_COLUMN.format(column=column, expected=", ".join(COLUMNS)),
            )
    if progress.problems:
        raise JobFailed(
            FAILED_SUMMARY.format(
                count=len(progress.problems),
                plural="s" if len(progress.problems) > 1 else "",
                file=filename,
            )
        )

    progress.stage("Checking rows", total=len(table.rows))
    existing = {unit.code.lower(): unit for unit in Unit.objects.filter(organisation=organisation)}
    seen: dict[str, int] = {}
    parsed: list[dict[str, str | int]] = []
    for index, (number, record) in enumerate(table.records(), start=1):
        values = {column: record.get(header.get(column, ""), "").strip() for column in COLUMNS}

        def problem(
            column: str, message: str, value: str | None = None, *, _n: int = number
        ) -> None:
            progress.problem(
                file=filename,
                row=_n,
                column=header.get(column, column),
                value=value,
                message=message,
            )

        for column in REQUIRED:
            if not values[column]:
                problem(column, MISSING_VALUE.format(column=column))
        for column, limit in (("code", 40), ("name", 200)):
            if len(values[column]) > limit:
                problem(
                    column,
                    TOO_LONG.format(limit=limit, length=len(values[column])),
                    values[column][:50],
                )
        kind_text = values["kind"].lower()
        if kind_text and kind_text not in _KIND_BY_TEXT:
            problem(
                "kind",
                BAD_KIND.format(choices=", ".join(label.lower() for _, label in UnitKind.choices)),
                values["kind"],
            )
        code = values["code"].lower()
        if code in seen:
            problem(
                "code", DUPLICATE_CODE.format(code=values["code"], other=seen[code]), values["code"]
            )
        elif code:
            seen[code] = number
        parsed.append(
            {**values, "row": number, "kind": _KIND_BY_TEXT.get(kind_text, UnitKind.SERVICE)}
        )
        progress.advance(index)

    # Parents: in the file or already saved; no unit may end up inside itself.
    parent_of: dict[str, str] = {
        code: parent.parent.code.lower()
        for code, parent in existing.items()
        if parent.parent_id is not None and parent.parent is not None
    }
    for row in parsed:
        parent_code = str(row["parent_code"]).lower()
        if parent_code and parent_code not in seen and parent_code not in existing:
            progress.problem(
                file=filename,
                row=int(row["row"]),
                column=header.get("parent_code", "parent_code"),
                value=str(row["parent_code"]),
                message=UNKNOWN_PARENT.format(code=row["parent_code"]),
            )
        code = str(row["code"]).lower()
        if parent_code:
            parent_of[code] = parent_code
        else:
            parent_of.pop(code, None)
    for row in parsed:
        chain = [str(row["code"]).lower()]
        while chain[-1] in parent_of and len(chain) <= len(parent_of) + 1:
            chain.append(parent_of[chain[-1]])
            if chain[-1] == chain[0]:
                progress.problem(
                    file=filename,
                    row=int(row["row"]),
                    column=header.get("parent_code", "parent_code"),
                    value=str(row["parent_code"]),
                    message=PARENT_CYCLE.format(chain=" → ".join(chain)),
                )
                break

    if progress.problems:
        count = len(progress.problems)
        raise JobFailed(
            FAILED_SUMMARY.format(count=count, plural="s" if count > 1 else "", file=filename)
        )

    progress.stage("Saving units", total=len(parsed))
    written = unit_bulk_upsert(organisation=organisation, rows=parsed, by=progress.job.created_by)
    added, updated = written.added, written.updated
    progress.job.summary = DONE_SUMMARY.format(
        added=added, added_plural="" if added == 1 else "s", updated=updated, file=filename
    )


register(JOB_KIND)(units_import)
