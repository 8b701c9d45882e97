"""Structure uploads: the file kept until it is checked and imported, and column mappings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute
from goldenthread.structure.models import ColumnMappingPreset, StructureUpload

MAPPING_NEEDS_IDS = "Choose the columns holding the post ID and the reports-to post"
#: The job kinds of a structure upload (their handlers are in structure.importing).


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
    return upload


@transaction.atomic
def upload_set_mapping(
    *, upload: StructureUpload, mapping: dict[str, Any], by: Actor = None
) -> StructureUpload:
    if not mapping.get("post_id") or not mapping.get("reports_to"):
        raise ServiceError(MAPPING_NEEDS_IDS, field="post_id")
    upload.mapping = mapping
    attribute(upload, by)
    upload.save(update_fields=["mapping"])
    return upload


@transaction.atomic
def upload_data_discard(*, upload: StructureUpload) -> None:
    """Drop the uploaded file once its snapshot is made: the snapshot holds the posts."""
    StructureUpload.objects.filter(pk=upload.pk).update(data=b"", junior_data=None)
