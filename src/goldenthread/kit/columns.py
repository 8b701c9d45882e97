"""A register's columns, declared once.

From one declaration come the import checks and their messages, the export's
typed cells, the template workbook and the docs table. A module lists its
columns in order::

    UNIT_COLUMNS = Columns(
        "unit",
        [
            Column("code", "Code", required=True, max_length=40, pattern=CODE_PATTERN,
                   help="The unit's reference, unique in the organisation"),
            Column("name", "Name", required=True, max_length=200),
            Column("kind", "Kind", type=ColumnType.CHOICE, choices=UnitKind.choices),
            Column("parent_code", "Parent code", type=ColumnType.REFERENCE,
                   lookup="the code of a unit in the file or already in goldenthread"),
        ],
        key="code",
    )

``key`` names the column that identifies a row's record, so an import can
tell a new record from one it updates.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Column", "ColumnType", "Columns"]


class ColumnType(enum.StrEnum):
    """What a cell holds; each type has one reader (import) and one writer (export)."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    #: Pounds with pence precision, read and written as :class:`decimal.Decimal`.
    MONEY = "money"
    DATE = "date"
    BOOLEAN = "boolean"
    #: One of ``choices``; matched on the stored value or on the label, in any case.
    CHOICE = "choice"
    #: Another record, found by ``lookup`` (its code, ID or name).
    REFERENCE = "reference"


@dataclass(frozen=True)
class Column:
    """One column of a register's file."""

    #: The header in files, lower case with underscores: ``parent_code``.
    name: str
    #: The heading on pages and in the template workbook's explanation.
    label: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    #: ``(value, label)`` pairs for a CHOICE column.
    choices: Sequence[tuple[str, str]] = ()
    #: For a REFERENCE column: how the value is looked up, in words for the docs.
    lookup: str = ""
    max_length: int | None = None
    #: A regular expression a TEXT value must match in full, with ``pattern_hint`` in words.
    pattern: str = ""
    pattern_hint: str = ""
    #: What the column means, for the template workbook and the docs.
    help: str = ""
    #: The exported cell's value for one record; ``None`` exports ``getattr(record, name)``.
    value: Callable[[Any], Any] | None = field(default=None, compare=False)

    def export_value(self, record: Any) -> Any:
        """The value this column exports for ``record``."""
        if self.value is not None:
            return self.value(record)
        return getattr(record, self.name)

    def form_field(self, **kwargs: Any) -> Any:
        """A form field for this text column that refuses what the import refuses.

        The pattern and the length limit come from this one declaration, so a
        value the form would refuse cannot arrive through a file either (and
        the reverse). ``kwargs`` go to the field: label, help text, messages.
        """
        from django import forms

        if self.type not in (ColumnType.TEXT, ColumnType.REFERENCE):
            raise ValueError(f"{self.name} is a {self.type} column, not text")
        kwargs.setdefault("required", self.required)
        # The import strips each cell; so does the form (RegexField would not).
        kwargs.setdefault("strip", True)
        if self.pattern:
            # \Z, not $: "$" also matches before a final newline.
            regex = f"^(?:{self.pattern})\\Z"
            return forms.RegexField(regex=regex, max_length=self.max_length, **kwargs)
        return forms.CharField(max_length=self.max_length, **kwargs)

    def describe(self) -> str:
        """What a cell of this column must hold, in words (for docs and messages)."""
        if self.type == ColumnType.CHOICE:
            return "one of: " + ", ".join(label.lower() for _value, label in self.choices)
        if self.type == ColumnType.REFERENCE:
            return self.lookup or "a reference"
        words = {
            ColumnType.TEXT: "text",
            ColumnType.INTEGER: "a whole number",
            ColumnType.DECIMAL: "a number",
            ColumnType.MONEY: "an amount in pounds, such as 42,500.00",
            ColumnType.DATE: "a date, such as 2026-03-31 or 31/03/2026",
            ColumnType.BOOLEAN: "yes or no",
        }[self.type]
        if self.type == ColumnType.TEXT and self.max_length:
            words += f", at most {self.max_length} characters"
        if self.pattern_hint:
            words += f", {self.pattern_hint}"
        return words


@dataclass(frozen=True)
class Columns:
    """A register's columns in file order, with the one that identifies a record."""

    #: What one row is, in words: "unit", "post".
    thing: str
    columns: Sequence[Column]
    key: str = ""

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"column names repeat: {names}")
        if self.key and self.key not in names:
            raise ValueError(f"the key {self.key!r} is not a column")

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def get(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def docs_table(self) -> str:
        """The columns as a Markdown table, for the user guide.

        >>> print(Columns("unit", [Column("code", "Code", required=True)]).docs_table())
        | column | needed | what it holds |
        | --- | --- | --- |
        | `code` | yes | text |
        """
        lines = ["| column | needed | what it holds |", "| --- | --- | --- |"]
        for column in self.columns:
            meaning = column.describe()
            if column.help:
                meaning = f"{column.help}: {meaning}"
            needed = "yes" if column.required else "no"
            lines.append(f"| `{column.name}` | {needed} | {meaning} |")
        return "\n".join(lines)
