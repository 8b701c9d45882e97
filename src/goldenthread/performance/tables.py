"""The golden thread as a register: every item, filtered, sorted and downloaded on the server."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, IntegerField, Q, Value, When

from goldenthread.core.forms import UNIT_PICKER_KEY
from goldenthread.core.models import Unit
from goldenthread.kit.tables import (
    BooleanFilter,
    BoundTable,
    ChoiceFilter,
    SearchFilter,
    Table,
    TableColumn,
    TreeFilter,
    record_link,
)

from .models import Level, Perspective, ThreadItem

#: Levels from the vision down, for sorting by level.
LEVEL_ORDER = Case(
    *(When(level=value, then=Value(rank)) for rank, value in enumerate(Level.values)),
    default=Value(len(Level.values)),
    output_field=IntegerField(),
)


def _units(table: BoundTable) -> Any:
    units = Unit.objects.filter(organisation=table.organisation).order_by()
    return units.values_list("pk", "parent_id", "name")


def _parent(item: ThreadItem) -> str:
    return item.parent.title if item.parent else ""


def _unit(item: ThreadItem) -> str:
    return item.unit.name if item.unit else ""


ITEMS = Table(
    thing="item",
    things="items",
    columns=[
        TableColumn(
            "title",
            "Item",
            sort="title",
            cell=record_link("performance:item_detail", "item_id", "title"),
        ),
        TableColumn("level", "Level", value=lambda i: i.get_level_display(), sort=LEVEL_ORDER),
        TableColumn(
            "perspective",
            "Perspective",
            value=lambda i: i.get_perspective_display(),
            sort="perspective",
        ),
        TableColumn("parent", "Contributes to", value=_parent, sort=F("parent__title")),
        TableColumn("unit", "Unit", value=_unit, sort=F("unit__name")),
        TableColumn("post_reference", "Post", sort="post_reference"),
        TableColumn("owner", "Owner", sort="owner"),
        TableColumn("child_count", "Contributions", sort="child_count", numeric=True),
    ],
    filters=[
        SearchFilter(
            "q",
            "Search",
            fields=["title", "description", "owner"],
            exact=["post_reference"],
            hint="Words from the title, description or owner, or a whole post ID",
        ),
        ChoiceFilter("level", "Level", field="level", choices=Level.choices, multiple=True),
        ChoiceFilter(
            "perspective",
            "Perspective",
            field="perspective",
            choices=Perspective.choices,
            multiple=True,
        ),
        TreeFilter(
            "unit",
            "Unit, with the units inside it",
            field="unit",
            nodes=_units,
            picker=UNIT_PICKER_KEY,
        ),
        BooleanFilter(
            "linked",
            "Contributes to",
            yes=Q(parent__isnull=False),
            yes_label="Linked to an item above",
            no_label="Not linked",
        ),
    ],
    default_sort="level",
    default_ordering=("position",),
    caption="Items",
)
