"""How much of an uploaded file is read: the limits the operator set.

The readers in :mod:`goldenthread.formats` take a
:class:`~goldenthread.formats.sources.ReadLimits`; every read of an upload
passes the one built here from the read-limit settings
(docs/configuration.md).
"""

from __future__ import annotations

from django.conf import settings

from goldenthread.formats.sources import ReadLimits

__all__ = ["read_limits"]


def read_limits() -> ReadLimits:
    """The limits on rows, columns, cells, text and unpacked size from the settings."""
    return ReadLimits(
        max_rows=settings.GOLDENTHREAD_READ_MAX_ROWS,
        max_columns=settings.GOLDENTHREAD_READ_MAX_COLUMNS,
        max_cells=settings.GOLDENTHREAD_READ_MAX_CELLS,
        max_unpacked_bytes=settings.GOLDENTHREAD_READ_MAX_UNPACKED_BYTES,
        max_compression_ratio=settings.GOLDENTHREAD_READ_MAX_COMPRESSION_RATIO,
        max_total_chars=settings.GOLDENTHREAD_READ_MAX_TOTAL_CHARS,
    )
