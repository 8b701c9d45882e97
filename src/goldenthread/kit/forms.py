"""Form helpers every register shares: dates, the spreadsheet upload check and refused writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from goldenthread.accounts.forms import apply_service_error

from .dates import DateInputField

__all__ = [
    "DATE_EXAMPLE",
    "FILE_EMPTY",
    "FILE_TOO_BIG",
    "NOT_A_WORKBOOK",
    "SPREADSHEET_SUFFIXES",
    "WRONG_FILE_TYPE",
    "SpreadsheetUploadForm",
    "apply_service_error",
    "check_spreadsheet_upload",
    "date_field",
]

FILE_EMPTY = "The selected file is empty"
WRONG_FILE_TYPE = "The selected file must be a CSV file or an Excel workbook (.xlsx)"
FILE_TOO_BIG = "{what} must be smaller than {limit}"
NOT_A_WORKBOOK = (
    "{what} is not an Excel workbook: save it from Excel as a workbook (.xlsx) or as a "
    "CSV file, then upload it again"
)
#: The hint of a date input: the GOV.UK pattern's example, day month year.
DATE_EXAMPLE = "For example, 27 3 2026"
#: The spreadsheet files every import accepts.
SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")
#: An .xlsx or .xlsm workbook is a zip archive: its first bytes say so.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
_MB = 1024 * 1024


def size_in_words(size: int) -> str:
    """A file size as the GOV.UK file upload pattern writes it.

    >>> size_in_words(50 * 1024 * 1024)
    '50MB'
    >>> size_in_words(512 * 1024)
    '512KB'
    >>> size_in_words(1536 * 1024)
    '1.5MB'
    """
    if size >= _MB:
        return f"{size / _MB:.1f}".removesuffix(".0") + "MB"
    return f"{max(1, size // 1024)}KB"


def check_spreadsheet_upload(upload: Any, *, what: str = "The selected file") -> Any:
    """A form field's cleaning of an uploaded spreadsheet: its type and its size.

    Only cheap checks run here, in the request: the name, the size Django has
    counted while streaming the file (to a temporary file beyond
    ``FILE_UPLOAD_MAX_MEMORY_SIZE``) and a workbook's first four bytes. The
    file itself is read by a background job. ``what`` names the field in the
    messages, as the GOV.UK error summary shows them.
    """
    if upload is None:
        return upload
    name = upload.name.lower()
    if not name.endswith(SPREADSHEET_SUFFIXES):
        raise forms.ValidationError(WRONG_FILE_TYPE)
    limit = settings.GOLDENTHREAD_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(FILE_TOO_BIG.format(what=what, limit=size_in_words(limit)))
    if name.endswith(WORKBOOK_SUFFIXES):
        upload.seek(0)
        magic = upload.read(len(ZIP_MAGIC))
        upload.seek(0)
        if magic != ZIP_MAGIC:
            raise forms.ValidationError(NOT_A_WORKBOOK.format(what=what))
    return upload


def date_field(
    *,
    label: str,
    named: str,
    enter: str = "",
    help_text: str = DATE_EXAMPLE,
) -> DateInputField:
    """A date entered with the GOV.UK date input: day, month and year in three boxes.

    Every form's date comes from here. ``named`` names the date in the messages
    ("The effective date must be a real date"): a part left out or a date that
    does not exist is refused, never guessed. ``enter`` is the message when the
    date is missing; without it the date is optional.
    """
    return DateInputField(label=label, named=named, enter=enter, help_text=help_text)


CHOOSE_FILE = "Choose a CSV or Excel file to import"


class SpreadsheetUploadForm(forms.Form):
    """One spreadsheet to import: every register's upload page uses this form."""

    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file or an Excel workbook (.xlsx) with a header row.",
        error_messages={"required": CHOOSE_FILE, "empty": FILE_EMPTY},
    )

    def clean_file(self) -> Any:
        return check_spreadsheet_upload(self.cleaned_data["file"])
