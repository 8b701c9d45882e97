"""Reading an upload into a snapshot, as background jobs.

``structure.check`` reads the file and builds the structure without saving
anything: it lists every problem (strict) or every repair (lenient) so that
the user can look before saving. ``structure.import`` does the same and then
saves the snapshot and all its posts in one transaction: if any check fails,
nothing is saved.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse

from goldenthread.formats.errors import Finding, StructureImportError
from goldenthread.formats.posts import BuildResult, build_structure
from goldenthread.formats.reading import FormatError
from goldenthread.jobs.registry import register
from goldenthread.jobs.services import JobFailed, Progress

from . import services
from .engine import read_upload
from .models import StructureUpload
from .services import CHECK_KIND, IMPORT_KIND

FAILED_SUMMARY = (
    "{count} problem{plural} found in {file}. Nothing was saved. Correct the file and "
    "upload it again, or upload it again choosing to repair the problems."
)
CHECKED_SUMMARY = (
    "{posts} posts read from {file}, with {repairs} repair{plural}. Nothing is saved until "
    "you confirm."
)
DONE_SUMMARY = "{posts} posts saved as the snapshot {name}, from {file}."
UPLOAD_GONE = "The upload this job was checking no longer exists. Upload the file again."


def _problem(progress: Progress, finding: Finding) -> None:
    message = finding.message
    if finding.expected:
        message = f"{message} (expected {finding.expected})"
    progress.problem(
        # The engine read a private temporary copy: show the name the user knows.
        file=Path(finding.file).name if finding.file else "",
        row=finding.row,
        column=finding.column,
        value=finding.value,
        message=message,
    )


def _upload(progress: Progress) -> StructureUpload:
    upload_id = progress.job.parameters.get("upload_id")
    upload = StructureUpload.objects.filter(
        pk=upload_id, organisation=progress.organisation
    ).first()
    if upload is None:
        raise JobFailed(UPLOAD_GONE)
    return upload


def _build(progress: Progress, upload: StructureUpload) -> BuildResult:
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
        progress.stage("Checking the structure", total=table.posts.height)
        return build_structure(table, lenient=upload.lenient)
    except (FormatError, StructureImportError) as error:
        for problem in error.problems:
            _problem(progress, problem)
        count = len(error.problems)
        raise JobFailed(
            FAILED_SUMMARY.format(
                count=count, plural="" if count == 1 else "s", file=upload.filename
            )
        ) from error


def _source(upload: StructureUpload) -> str:
    if upload.junior_filename:
        return f"{upload.filename} and {upload.junior_filename}"
    return upload.filename


@register(CHECK_KIND)
def structure_check(progress: Progress) -> None:
    upload = _upload(progress)
    result = _build(progress, upload)
    for warning in result.warnings:
        _problem(progress, warning)
    repairs = len(result.warnings)
    progress.job.summary = CHECKED_SUMMARY.format(
        posts=len(result.structure),
        file=_source(upload),
        repairs=repairs,
        plural="" if repairs == 1 else "s",
    )


@register(IMPORT_KIND)
def structure_import(progress: Progress) -> None:
    upload = _upload(progress)
    result = _build(progress, upload)
    for warning in result.warnings:
        _problem(progress, warning)
    fields: dict[str, Any] = upload.snapshot_fields
    effective = fields.get("effective_date")
    progress.stage("Saving posts", total=len(result.structure))
    with transaction.atomic():
        snapshot = services.snapshot_create_from_structure(
            organisation=progress.organisation,
            structure=result.structure,
            name=fields.get("name") or upload.filename,
            kind=fields.get("kind") or "as_is",
            effective_date=datetime.date.fromisoformat(effective) if effective else None,
            notes=fields.get("notes", ""),
            source=_source(upload),
            matched_by=result.matched_by,
            by=progress.job.created_by,
            progress=progress.advance,
        )
        # The file has become a snapshot: its bytes are no longer needed.
        services.upload_data_discard(upload=upload)
    progress.job.result_url = reverse(
        "structure:snapshot_detail",
        kwargs={"org_slug": progress.organisation.slug, "snapshot_id": snapshot.pk},
    )
    progress.job.summary = DONE_SUMMARY.format(
        posts=len(result.structure), name=snapshot.name, file=_source(upload)
    )
