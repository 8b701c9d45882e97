"""The first look at a structure upload, in a background job: its layout and its header.

The upload page only checks the form (the file's type and size) and keeps the
bytes; no web request opens an uploaded file. This job detects the layout (when
the user left it to goldenthread), reads the header once and keeps the column
names on the upload, so the mapping page offers them without reading the file.
Then it hands an organogram, a council file or an already-mapped table to the
import kit's check; a table still to be matched waits on the mapping page.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from python_calamine import CalamineError

from goldenthread.accounts.services import Actor
from goldenthread.analysis.wording import counted
from goldenthread.formats.errors import UNREADABLE as READER_UNREADABLE
from goldenthread.formats.reading import FormatError
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.jobs.registry import register
from goldenthread.jobs.services import JobFailed, Progress
from goldenthread.kit.importing import import_run_create
from goldenthread.kit.models import ImportRun

from . import services
from .engine import detect, header
from .exports import export_mapping
from .importing import IMPORTER, finding_entry
from .models import StructureUpload
from .services.uploads import AUTO, INSPECT_KIND

__all__ = [
    "UNREADABLE",
    "UPLOAD_GONE",
    "upload_import_start",
    "upload_inspect",
    "upload_reference",
]

UPLOAD_GONE = "The upload this job was reading no longer exists. Upload the file again."
UNREADABLE = "Nothing was saved from {file}: {problem}"
READ_TABLE = "{file} has been read: {columns} to match."
READ_LAYOUT = "{file} has been read as {layout}: it is being checked."
LAYOUTS = {
    "organogram": "a government organogram",
    "lga": "a council transparency file",
    "table": "an HR export",
}


def upload_reference(upload: StructureUpload) -> str:
    """How the import kit's run names the upload it checks."""
    return f"upload:{upload.pk}"


@transaction.atomic
def upload_import_start(*, upload: StructureUpload, by: Actor) -> ImportRun:
    """Hand the upload to the import kit: checked, previewed, then saved on confirmation.

    Under the upload's row lock, refused once its file is no longer kept: the
    run is made in the same transaction, so the purge sees it and keeps the file.
    """
    services.upload_lock_kept(upload=upload)
    return import_run_create(
        organisation=upload.organisation,
        importer=IMPORTER,
        filename=upload.filename
        + (f" and {upload.junior_filename}" if upload.junior_filename else ""),
        options={"upload_id": upload.pk},
        reference=upload_reference(upload),
        by=by,
    )


def _place(problem: dict[str, Any]) -> str:
    where = []
    if problem.get("row") is not None:
        where.append(f"row {problem['row']}")
    if problem.get("column"):
        where.append(f"column {problem['column']}")
    return f"{', '.join(where)}: " if where else ""


def _fail(progress: Progress, filename: str, problems: list[dict[str, Any]]) -> None:
    progress.problems.extend(problems)
    first = problems[0]
    raise JobFailed(UNREADABLE.format(file=filename, problem=_place(first) + str(first["message"])))


def _problem(filename: str, message: str, *, row: int | None) -> dict[str, Any]:
    return {"file": filename, "row": row, "column": None, "value": None, "message": message}


def _mapping_url(upload: StructureUpload) -> str:
    return reverse(
        "structure:upload_mapping",
        kwargs={"org_slug": upload.organisation.slug, "upload_id": upload.pk},
    )


def _run_url(upload: StructureUpload, run: ImportRun) -> str:
    return reverse(
        "kit:import_run", kwargs={"org_slug": upload.organisation.slug, "run_id": run.pk}
    )


def _on_lost(job: Job) -> None:
    """An inspection lost with its worker: say what it did if its transaction committed.

    The layout, the columns and the check's run are written in one
    transaction, so an upload whose check has a run, or a table whose columns
    are kept and that waits on its mapping, was inspected: the worker only
    stopped before the job said so.
    """
    upload = (
        StructureUpload.objects.select_related("organisation")
        .defer("data", "junior_data")
        .filter(pk=job.parameters.get("upload_id"), organisation_id=job.organisation_id)
        .first()
    )
    if upload is None:
        return
    run = (
        ImportRun.objects.filter(
            organisation_id=job.organisation_id,
            importer=IMPORTER,
            reference=upload_reference(upload),
        )
        .only("pk")
        .order_by("pk")
        .first()
    )
    if run is not None and upload.fmt in LAYOUTS:
        job.summary = READ_LAYOUT.format(file=upload.filename, layout=LAYOUTS[upload.fmt])
        job.result_url = _run_url(upload, run)
    elif upload.fmt == "table" and upload.columns:
        job.summary = READ_TABLE.format(
            file=upload.filename, columns=counted(len(upload.columns), "column")
        )
        job.result_url = _mapping_url(upload)
    else:
        return
    job.status = JobStatus.SUCCEEDED


@register(INSPECT_KIND, on_lost=_on_lost)
def upload_inspect(progress: Progress) -> None:
    """Detect the upload's layout, keep its header's columns, and start its check."""
    upload = (
        StructureUpload.objects.select_related("organisation")
        .filter(pk=progress.job.parameters.get("upload_id"), organisation=progress.organisation)
        .first()
    )
    if upload is None:
        raise JobFailed(UPLOAD_GONE)
    by = progress.job.created_by
    filename, data = upload.filename, bytes(upload.data)
    progress.stage("Reading the header")
    fmt = upload.fmt
    columns: list[str] = []
    try:
        if fmt == AUTO:
            fmt = detect(filename, data)
        if fmt == "table":
            columns = header(filename, data)
    except FormatError as error:
        _fail(progress, filename, [finding_entry(problem) for problem in error.problems])
    except CalamineError as error:
        # A damaged or disguised workbook: say so, as the readers do for a CSV file.
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = READER_UNREADABLE.format(reason=reason)
        _fail(progress, filename, [_problem(filename, message, row=None)])
    with transaction.atomic():
        upload = services.upload_inspected(upload=upload, fmt=fmt, columns=columns, by=by)
        exported = export_mapping(columns) if fmt == "table" and not upload.mapping else None
        if exported is not None:
            # This application's own workbook: every column is known, nothing to ask.
            upload = services.upload_set_mapping(upload=upload, mapping=exported, by=by)
        if fmt == "table" and not upload.mapping:
            progress.job.summary = READ_TABLE.format(
                file=filename, columns=counted(len(columns), "column")
            )
            progress.job.result_url = _mapping_url(upload)
            return
        run = upload_import_start(upload=upload, by=by)
    progress.job.summary = READ_LAYOUT.format(file=filename, layout=LAYOUTS[fmt])
    progress.job.result_url = _run_url(upload, run)
