"""The workbook writer's former home: :mod:`goldenthread.formats.writing` is the one writer.

>>> from goldenthread.formats.writing import write_xlsx as one_writer
>>> write_xlsx is one_writer
True
"""

from __future__ import annotations

from goldenthread.formats.writing import Sheet, write_xlsx

__all__ = ["Sheet", "write_xlsx"]
