"""The columns of the redundancy bands register, declared once.

The import's checks and messages, the template workbook, the export and the
guide's table all come from :data:`REDUNDANCY_BAND_COLUMNS`.
"""

from __future__ import annotations

from goldenthread.kit.columns import Column, Columns, ColumnType

REDUNDANCY_BAND_COLUMNS = Columns(
    "redundancy band",
    [
        Column(
            "grade",
            "Grade",
            required=True,
            max_length=120,
            help="The grade as the posts give it (matched whatever its case)",
        ),
        Column(
            "cost",
            "Cost of a redundancy",
            type=ColumnType.MONEY,
            required=True,
            help="The one-off cost of a redundancy from a post of this grade, in pounds, 0 or more",
        ),
    ],
    key="grade",
)
