"""Structure uploads: the file kept until it is checked and imported, and column mappings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute
from goldenthread.jobs.recovery import ABANDONED_MINIMUM
from goldenthread.jobs.services import job_create
from goldenthread.structure.models import ColumnMappingPreset, StructureUpload

UPLOAD_NOT_KEPT = (
    "{file} is no longer kept: a file waiting to be matched is deleted after {hours:g} "
    "hour{plural}. Upload it again."
)
MAPPING_NEEDS_IDS = "Choose the columns holding the post ID and the reports-to post"
MAPPING_NOT_A_COLUMN = "{column} is not a column of {file}: choose one of its columns"
#: The job that reads an upload first: its layout and its header (the handler is
#: in structure.inspect). No web request ever opens an uploaded file.
INSPECT_KIND = "structure.upload_inspect"
INSPECT_TITLE = "Read the header of {file}"
#: The layout of an upload whose layout the inspection has still to detect.
AUTO = "auto"


@transaction.atomic
def column_mapping_save(
    *,
    organisation: Organisation,
    name: str,
    columns: dict[str, Any],
    by: Actor = None,
) -> ColumnMappingPreset:
    if not columns.get("post_id") or not columns.get("reports_to"):
        raise ServiceError(MAPPING_NEEDS_IDS, field="post_id")
    name = name.strip()[:200]
    preset = ColumnMappingPreset.objects.filter(
        organisation=organisation, name=name
    ).first() or ColumnMappingPreset(organisation=organisation, name=name)
    preset.columns = columns
    attribute(preset, by)
    preset.save()
    return preset


@transaction.atomic
def upload_create(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    fmt: str,
    lenient: bool,
    snapshot_fields: dict[str, Any],
    junior_filename: str = "",
    junior_data: bytes | None = None,
    mapping: dict[str, Any] | None = None,
    by: Actor = None,
) -> StructureUpload:
    upload = StructureUpload(
        organisation=organisation,
        created_by=acting_user(by),
        filename=filename[:255],
        data=data,
        junior_filename=junior_filename[:255],
        junior_data=junior_data,
        fmt=fmt,
        lenient=lenient,
        snapshot_fields=snapshot_fields,
        mapping=mapping or {},
    )
    attribute(upload, by)
    upload.save()
    upload.inspect_job = job_create(
        organisation=organisation,
        kind=INSPECT_KIND,
        title=INSPECT_TITLE.format(file=upload.filename)[:200],
        parameters={"upload_id": upload.pk},
        result_url=reverse(
            "structure:upload_review",
            kwargs={"org_slug": organisation.slug, "upload_id": upload.pk},
        ),
        by=by,
    )
    upload.save(update_fields=["inspect_job"])
    return upload


@transaction.atomic
def upload_inspected(
    *, upload: StructureUpload, fmt: str, columns: list[str], by: Actor = None
) -> StructureUpload:
    """Keep what the inspection found: the layout and the header's column names.

    A mapping chosen on the upload form is for a table: it is dropped when the
    file turns out to be an organogram or a council file.
    """
    upload.fmt = fmt
    upload.columns = columns
    fields = ["fmt", "columns"]
    if fmt != "table" and upload.mapping:
        upload.mapping = {}
        fields.append("mapping")
    attribute(upload, by)
    upload.save(update_fields=fields)
    return upload


@transaction.atomic
def upload_set_mapping(
    *, upload: StructureUpload, mapping: dict[str, Any], by: Actor = None
) -> StructureUpload:
    upload_lock_kept(upload=upload)
    if not mapping.get("post_id") or not mapping.get("reports_to"):
        raise ServiceError(MAPPING_NEEDS_IDS, field="post_id")
    known = set(upload.columns)
    for field, chosen in mapping.items():
        for column in chosen if isinstance(chosen, list) else [chosen]:
            if column not in known:
                raise ServiceError(
                    MAPPING_NOT_A_COLUMN.format(column=column, file=upload.filename),
                    field="unit_1" if field == "unit" else field,
                )
    upload.mapping = mapping
    attribute(upload, by)
    upload.save(update_fields=["mapping"])
    return upload


def upload_not_kept_message(upload: StructureUpload) -> str:
    """Why the upload can no longer be checked: its file was deleted after waiting."""
    retention = dt.timedelta(hours=settings.GOLDENTHREAD_UPLOAD_RETENTION_HOURS)
    hours = max(retention, ABANDONED_MINIMUM).total_seconds() / 3600
    return UPLOAD_NOT_KEPT.format(
        file=upload.filename, hours=hours, plural="" if hours == 1 else "s"
    )


def upload_lock_kept(*, upload: StructureUpload) -> None:
    """Lock the upload's row until the transaction ends; refuse if its file is gone.

    The purge discards a file under the same lock, after checking again that
    no import has started from it, so an import started here keeps its file.
    """
    kept = (
        StructureUpload.objects.select_for_update()
        .filter(pk=upload.pk)
        .exclude(data=b"")
        .values_list("pk", flat=True)
    )
    if not kept.exists():
        raise ServiceError(upload_not_kept_message(upload))


@transaction.atomic
def upload_data_discard(*, upload: StructureUpload) -> None:
    """Drop the uploaded file once its snapshot is made: the snapshot holds the posts."""
    StructureUpload.objects.filter(pk=upload.pk).update(data=b"", junior_data=None)
