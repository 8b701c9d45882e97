"""Receiving an uploaded file: no more of it is kept than an upload form accepts.

Django streams an upload to a temporary file beyond ``FILE_UPLOAD_MAX_MEMORY_SIZE``
and the form refuses a file over ``GOLDENTHREAD_MAX_UPLOAD_BYTES`` by its size;
without this handler, a file of many gigabytes would still be written to the
disk in full before the form could refuse it.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

__all__ = ["SizeLimitedUploadHandler"]


class SizeLimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes and stops passing them on once it is over the limit.

    It goes first in ``FILE_UPLOAD_HANDLERS``. A file within the limit goes on to
    Django's own handlers untouched. Past the limit the rest of the file is
    dropped, and the form receives an empty stand-in that keeps the file's name
    and its full size, so it refuses the file with the size message.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = int(settings.GOLDENTHREAD_MAX_UPLOAD_BYTES)
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.over:
            return None  # Django's handlers hold the whole file
        return InMemoryUploadedFile(
            BytesIO(),
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )
