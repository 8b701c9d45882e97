"""What the operating model's pages and files show, shaped from selector results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from goldenthread.accounts.models import Organisation
from goldenthread.formats.writing import Cell, Sheet
from goldenthread.kit.links import linked_items
from goldenthread.kit.panels import export_sheets

from .models import TomVersion

#: Where other modules add sheets to the TOM's workbook (the golden thread).
TOM_EXPORT_SLOT = "tom-export"


def tom_workbook(
    organisation: Organisation,
    version: TomVersion,
    *,
    components: Sequence[Any],
    principle_groups: Sequence[Any],
) -> tuple[list[Sheet], list[tuple[str, Cell]]]:
    """The sheets of a TOM version's workbook, and the notes of its About sheet."""
    about: list[tuple[str, Cell]] = [
        ("Title", version.title),
        ("Status", version.get_status_display()),
        ("Approved by", version.approved_by),
        ("Decision or delegation", version.decision_reference),
        ("Design principles", version.principle_set.name if version.principle_set else ""),
        ("Summary", version.summary),
    ]
    component_rows = [
        (c.position, c.name, c.purpose, c.as_is, c.get_change_level_display(), c.owner)
        for c in components
    ]
    statements = [
        (c.name, index, s.text)
        for c in components
        for index, s in enumerate(c.statements.all(), start=1)
    ]
    stored = [(c, link) for c in components for link in c.links.all()]
    items = linked_items(
        organisation,
        [(link.content_type_id, link.object_id) for _, link in stored],
    )
    links = [
        (
            c.name,
            link.get_kind_display(),
            items[(link.content_type_id, link.object_id)].label,
            items[(link.content_type_id, link.object_id)].title,
            link.note,
        )
        for c, link in stored
    ]
    principles = [
        (group.name, p.name, p.intent, "", "")
        for group in principle_groups
        for p in group.principles
    ]
    considerations = [
        (p.name, k.name, k.description)
        for group in principle_groups
        for p in group.principles
        for k in p.considerations.all()
    ]
    sheets = [
        Sheet(
            "Components",
            ("Order", "Component", "Covers", "As-is", "Level of change", "Owner"),
            component_rows,
        ),
        Sheet("Statements", ("Component", "Number", "Target-state statement"), statements),
        Sheet("Delivered by", ("Component", "Kind", "Record type", "Record", "Note"), links),
        Sheet("Principles", ("Group", "Principle", "What it means", "", ""), principles),
        Sheet("Considerations", ("Principle", "Consideration", "Question"), considerations),
        *export_sheets(TOM_EXPORT_SLOT, organisation),
    ]
    return sheets, about
