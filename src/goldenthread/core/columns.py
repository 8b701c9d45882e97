"""The units register's columns, declared once for its export, import and docs."""

from __future__ import annotations

from goldenthread.kit.columns import Column, Columns, ColumnType

from .models import UnitKind

__all__ = ["UNIT_COLUMNS"]

UNIT_COLUMNS = Columns(
    "unit",
    [
        Column(
            "code",
            "Code",
            required=True,
            max_length=40,
            help="the unit's reference, unique in the organisation",
        ),
        Column("name", "Name", required=True, max_length=200, help="the unit's name"),
        Column("kind", "Kind", type=ColumnType.CHOICE, choices=UnitKind.choices),
        Column(
            "parent_code",
            "Parent code",
            type=ColumnType.REFERENCE,
            lookup="the code of the unit it sits in, in the file or already in goldenthread",
            value=lambda unit: unit.parent.code if unit.parent_id else "",
        ),
        Column("description", "Description", help="free text"),
    ],
    key="code",
)
