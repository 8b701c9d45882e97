"""Reading an upload into a snapshot, through the import kit.

Every format (a UK organogram pair, a council transparency file, an HR export
with its columns matched) is read by the structure engine, checked, and
previewed against the as-is in force (for an as-is) or the newest snapshot of the
same kind not superseded: which
posts are new, which changed, which are as they were. Saving makes a new
snapshot with every post, in one transaction, or nothing.

A strict check that fails lists every problem; when the engine's documented
repairs would let the file through, they are listed too, and "apply the listed
repairs" checks the file again with them.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor
from goldenthread.analysis.wording import counted
from goldenthread.formats.errors import Finding, StructureImportError
from goldenthread.formats.posts import BuildResult, build_structure
from goldenthread.formats.reading import FormatError
from goldenthread.jobs.services import Progress
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.kit.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    Outcome,
    Plan,
    PlanList,
    Report,
    RowPlan,
    change,
    register_importer,
)
from goldenthread.kit.models import ImportRun

from . import selectors, services
from .engine import pounds_or_none, read_upload
from .models import Post, Snapshot, SnapshotKind, SnapshotStatus, StructureUpload

IMPORTER = "structure"

UPLOAD_GONE = "The upload this import was checking no longer exists. Upload the file again."
COMPARED = (
    "Saving makes a new snapshot, {name}. Its posts are compared with {previous}, the "
    "{kind} snapshot in force: a post is new if that snapshot has no post with its ID."
)
NOT_COMPARED = "Saving makes a new snapshot, {name}. Every post in it is new."
NOT_COMPARED_NO_IDS = (
    "Saving makes a new snapshot, {name}. The file has no post IDs, so its posts cannot "
    "be matched with an earlier snapshot's: every post is new."
)
UNITS_TO_ADD = "Units to add"
UNITS_TO_ADD_INTRO = (
    "The file names units the Units page does not have yet. Saving adds them, each under "
    "the unit before it in its path, together with the snapshot; until then none is added."
)
DONE_SUMMARY = "{posts} saved as the snapshot {name}, from {file}."

#: The columns of an HR export once matched: the template and the guide's table.
#: The engine reads them (formats.table); this declaration describes them.
POST_COLUMNS = Columns(
    "post",
    [
        Column("post_id", "Post ID", required=True, max_length=120, help="The post's reference"),
        Column(
            "reports_to",
            "Reports to",
            type=ColumnType.REFERENCE,
            required=True,
            lookup="the post ID of its manager in the file; XX, N/A or blank for a top post",
            help="The post it reports to",
        ),
        Column("title", "Title", max_length=300, help="The job title"),
        Column("grade", "Grade", max_length=120, help="The grade or tier"),
        Column(
            "unit",
            "Unit",
            max_length=600,
            help="The unit path, such as People / Adult Social Care",
        ),
        Column("fte", "FTE", type=ColumnType.DECIMAL, help="Full-time equivalent"),
        Column("cost", "Cost", type=ColumnType.MONEY, help="The annual pay cost"),
        Column(
            "pay_band",
            "Pay band",
            help="Instead of a cost, a band such as 95000 - 99999",
        ),
        Column("vacant", "Vacant", type=ColumnType.BOOLEAN, help="Whether the post is vacant"),
        Column("agency", "Agency", type=ColumnType.BOOLEAN, help="Whether it is filled by agency"),
    ],
    key="post_id",
)


def finding_entry(finding: Finding) -> dict[str, Any]:
    message = finding.message
    if finding.expected:
        message = f"{message} (expected {finding.expected})"
    return {
        # The engine read a private temporary copy: show the name the user knows.
        "file": Path(finding.file).name if finding.file else None,
        "row": finding.row,
        "column": finding.column,
        "value": finding.value,
        "message": message,
    }


def _source(upload: StructureUpload) -> str:
    if upload.junior_filename:
        return f"{upload.filename} and {upload.junior_filename}"
    return upload.filename


def _pounds(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else pounds_or_none(value)
    return Decimal(value).quantize(Decimal("0.01"))


#: A post as compared with an earlier snapshot's: (manager ID, title, grade, unit, FTE, cost).
Shape = tuple[str, str, str, str, float, Decimal | None]


def _shapes(result: BuildResult) -> list[tuple[str, Shape]]:
    structure = result.structure
    ids = [str(post_id) for post_id in structure.post_id.to_list()]
    titles = structure.title.to_list()
    grades = structure.grade.to_list()
    units = structure.unit.to_list()
    return [
        (
            ids[i],
            (
                ids[int(structure.parent[i])] if structure.parent[i] >= 0 else "",
                titles[i] or "",
                grades[i] or "",
                (units[i] or "").strip(),
                round(float(structure.fte[i]), 4),
                _pounds(float(structure.cost[i])),
            ),
        )
        for i in range(len(structure))
    ]


def _previous(organisation: Organisation, kind: str) -> Snapshot | None:
    """The snapshot an upload of ``kind`` is compared with: for an as-is, the as-is in
    force; otherwise the newest of that kind not superseded."""
    if kind == SnapshotKind.AS_IS:
        return selectors.snapshot_current_as_is(organisation=organisation)
    return (
        selectors.snapshot_list(organisation=organisation)
        .filter(kind=kind)
        .exclude(status=SnapshotStatus.SUPERSEDED)
        .order_by("-created_at", "-pk")
        .first()
    )


def _previous_shapes(snapshot: Snapshot) -> dict[str, Shape]:
    rows = list(
        Post.objects.filter(snapshot=snapshot).values_list(
            "position", "post_id", "manager_position", "title", "grade", "unit_path", "fte", "cost"
        )
    )
    id_at = {position: post_id for position, post_id, *_rest in rows}
    return {
        post_id: (
            id_at.get(manager, "") if manager is not None else "",
            title,
            grade,
            unit_path,
            round(fte, 4),
            _pounds(cost),
        )
        for _position, post_id, manager, title, grade, unit_path, fte, cost in rows
    }


FIELDS = ("Reports to", "Title", "Grade", "Unit", "FTE", "Cost")


class StructureImporter(Importer):
    name = IMPORTER
    thing = "post"
    things = "posts"
    register_url_name = "structure:snapshot_list"
    register_label = "Structures"
    guide = "structures.md"
    upload_url_name = "structure:snapshot_upload"
    columns = POST_COLUMNS
    #: A structure upload always becomes a new snapshot, even one like the last.
    always_saves = True

    def _upload(self, run: ImportRun) -> StructureUpload | None:
        return StructureUpload.objects.filter(
            pk=run.options.get("upload_id"), organisation=run.organisation
        ).first()

    def _lenient(self, run: ImportRun, upload: StructureUpload) -> bool:
        return bool(run.options.get("lenient", upload.lenient))

    def repairable(self, run: ImportRun) -> bool:
        upload = self._upload(run)
        return upload is not None and not self._lenient(run, upload) and run.repair_count > 0

    def repair_options(self, run: ImportRun) -> dict[str, Any]:
        return {**run.options, "lenient": True}

    def plan(self, run: ImportRun, report: Report, progress: Progress) -> Plan:
        upload = self._upload(run)
        if upload is None:
            report.problem(UPLOAD_GONE)
            return Plan()
        progress.stage("Reading the file")
        try:
            table = read_upload(
                fmt=upload.fmt,  # type: ignore[arg-type]
                filename=upload.filename,
                data=bytes(upload.data),
                junior_filename=upload.junior_filename,
                junior_data=bytes(upload.junior_data) if upload.junior_data else None,
                mapping=upload.mapping or None,
            )
        except FormatError as error:
            for problem in error.problems:
                report.problems.append(finding_entry(problem))
            return Plan()
        progress.stage("Checking the structure", total=table.posts.height)
        try:
            result = build_structure(table, lenient=self._lenient(run, upload))
        except StructureImportError as error:
            report.problems.extend(finding_entry(problem) for problem in error.problems)
            report.notes.extend(finding_entry(warning) for warning in error.warnings)
            try:
                repaired = build_structure(table, lenient=True)
            except StructureImportError:
                pass  # some problems have no repair: only a corrected file will do
            else:
                # Only the repairs of the problems found: a note (a job share) is no repair.
                fixed = {problem.code for problem in error.problems}
                report.repairs.extend(
                    finding_entry(warning) for warning in repaired.warnings if warning.code in fixed
                )
            return Plan()
        report.notes.extend(finding_entry(warning) for warning in result.warnings)
        return self._compare(run, upload, result)

    def _compare(self, run: ImportRun, upload: StructureUpload, result: BuildResult) -> Plan:
        fields: dict[str, Any] = upload.snapshot_fields
        name = fields.get("name") or upload.filename
        kind = fields.get("kind") or "as_is"
        previous = _previous(run.organisation, kind)
        by_id = result.matched_by == "post ID"
        compared = previous is not None and by_id and previous.matched_by == "post ID"
        before = _previous_shapes(previous) if compared and previous is not None else {}
        plan = Plan(payload=(upload, result))
        for post_id, shape in _shapes(result):
            old = before.get(post_id)
            label = shape[1]
            if old is None:
                plan.rows.append(RowPlan(CREATE, post_id, label))
            elif old == shape:
                plan.rows.append(RowPlan(UNCHANGED, post_id, label))
            else:
                changes = tuple(
                    change(field, was, now)
                    for field, was, now in zip(FIELDS, old, shape, strict=True)
                    if was != now
                )
                plan.rows.append(RowPlan(UPDATE, post_id, label, changes=changes))
        new_units = selectors.unit_paths_to_add(
            organisation=run.organisation, paths=result.structure.unit.to_list()
        )
        if new_units:
            plan.lists.append(PlanList("units", UNITS_TO_ADD, tuple(new_units), UNITS_TO_ADD_INTRO))
        if compared and previous is not None:
            plan.intro = COMPARED.format(
                name=name, kind=previous.get_kind_display().lower(), previous=previous.name
            )
        elif not by_id:
            plan.intro = NOT_COMPARED_NO_IDS.format(name=name)
        else:
            plan.intro = NOT_COMPARED.format(name=name)
        return plan

    def write(self, plan: Plan, *, run: ImportRun, by: Actor, progress: Progress) -> Outcome:
        upload, result = plan.payload
        fields: dict[str, Any] = upload.snapshot_fields
        effective = fields.get("effective_date")
        snapshot = services.snapshot_create_from_structure(
            organisation=run.organisation,
            structure=result.structure,
            name=fields.get("name") or upload.filename,
            kind=fields.get("kind") or "as_is",
            effective_date=datetime.date.fromisoformat(effective) if effective else None,
            notes=fields.get("notes", ""),
            source=_source(upload),
            matched_by=result.matched_by,
            by=by,
            progress=progress.advance,
        )
        # The file has become a snapshot: its bytes are no longer needed.
        services.upload_data_discard(upload=upload)
        return Outcome(
            summary=DONE_SUMMARY.format(
                posts=counted(len(result.structure), "post"),
                name=snapshot.name,
                file=_source(upload),
            ),
            result_url=reverse(
                "structure:snapshot_detail",
                kwargs={"org_slug": run.organisation.slug, "snapshot_id": snapshot.pk},
            ),
        )


register_importer(StructureImporter())
