"""Helpers every app's forms and views share."""

from __future__ import annotations

from typing import Any, Protocol

from django import forms
from django.conf import settings

FILE_EMPTY = "The selected file is empty"
WRONG_FILE_TYPE = "The selected file must be a CSV file or an Excel workbook (.xlsx)"
FILE_TOO_BIG = "The selected file must be smaller than {limit} MB"
#: The spreadsheet files every import accepts.
SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")


class _RefusedWrite(Protocol):
    message: str
    field: str | None


def apply_service_error(form: forms.Form, error: _RefusedWrite) -> None:
    """Show a refused write on the form: on its field when it names one, else on the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def check_spreadsheet_upload(upload: Any) -> Any:
    """A form field's cleaning of an uploaded spreadsheet: its type and its size."""
    if upload is None:
        return upload
    if not upload.name.lower().endswith(SPREADSHEET_SUFFIXES):
        raise forms.ValidationError(WRONG_FILE_TYPE)
    limit = settings.GOLDENTHREAD_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(FILE_TOO_BIG.format(limit=limit // (1024 * 1024)))
    return upload
