"""The columns of the units register, declared once.

The import's checks and messages, the template workbook, the export and the
guide's table all come from :data:`UNIT_COLUMNS`.
"""

from __future__ import annotations

from goldenthread.kit.columns import Column, Columns, ColumnType

from .models import UnitKind

#: What the unit form accepts as a code; the import applies the same rule.
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
CODE_HINT = "letters, numbers, dots, hyphens and underscores, starting with a letter or number"
CODE_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200

UNIT_COLUMNS = Columns(
    "unit",
    [
        Column(
            "code",
            "Code",
            required=True,
            max_length=CODE_MAX_LENGTH,
            pattern=CODE_PATTERN,
            pattern_hint=CODE_HINT,
            help="The unit's reference, unique in the organisation",
        ),
        Column("name", "Name", required=True, max_length=NAME_MAX_LENGTH, help="The unit's name"),
        Column(
            "kind",
            "Kind",
            type=ColumnType.CHOICE,
            choices=UnitKind.choices,
            help="What sort of unit it is (blank: service)",
            value=lambda unit: unit.get_kind_display().lower(),
        ),
        Column(
            "parent_code",
            "Parent code",
            type=ColumnType.REFERENCE,
            lookup="the code of a unit in the file or already in goldenthread",
            help="The unit it sits inside (blank: a top-level unit)",
            value=lambda unit: unit.parent.code if unit.parent else "",
        ),
        Column("description", "Description"),
    ],
    key="code",
)
