"""Form helpers every register shares: the spreadsheet upload check and refused writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from goldenthread.accounts.forms import apply_service_error

__all__ = [
    "FILE_EMPTY",
    "FILE_TOO_BIG",
    "SPREADSHEET_SUFFIXES",
    "WRONG_FILE_TYPE",
    "apply_service_error",
    "check_spreadsheet_upload",
]

FILE_EMPTY = "The selected file is empty"
WRONG_FILE_TYPE = "The selected file must be a CSV file or an Excel workbook (.xlsx)"
FILE_TOO_BIG = "The selected file must be smaller than {limit} MB"
#: The spreadsheet files every import accepts.
SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")


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
