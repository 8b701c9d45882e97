"""The units register: every unit with its full path, filtered and sorted on the server."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat, Lower

from goldenthread.kit.tables import (
    BoundTable,
    ChoiceFilter,
    SearchFilter,
    Table,
    TableColumn,
    TreeFilter,
    record_link,
)

from .columns import UNIT_COLUMNS
from .forms import UNIT_PICKER_KEY
from .models import Unit, UnitKind

#: The full path sorts by this many levels (a directorate, its services, their
#: teams and two more); deeper units sort among their ancestor at that level.
PATH_SORT_DEPTH = 6


def _nodes(table: BoundTable) -> Any:
    units = Unit.objects.filter(organisation=table.organisation).order_by()
    return units.values_list("pk", "parent_id", "name")


INSIDE = TreeFilter("inside", "Inside", field="pk", nodes=_nodes, picker=UNIT_PICKER_KEY)


def _path(unit: Unit, table: BoundTable) -> str:
    paths, _children = INSIDE.tree(table)
    return paths.get(unit.pk, unit.name)


def path_sort(depth: int = PATH_SORT_DEPTH) -> Any:
    """The full path ("People / Care") in the database, to sort by."""
    pieces: list[Any] = []
    for level in range(depth - 1, 0, -1):
        ancestor = "__".join(["parent"] * level)
        pieces.append(
            Case(
                When(
                    **{f"{ancestor}__isnull": False},
                    then=Concat(F(f"{ancestor}__name"), Value(" / ")),
                ),
                default=Value(""),
                output_field=CharField(),
            )
        )
    pieces.append(F("name"))
    return Lower(Concat(*pieces, output_field=CharField()))


UNITS = Table(
    thing="unit",
    things="units",
    columns=[
        TableColumn(
            "name",
            "Unit",
            sort=Lower("name"),
            cell=record_link("core:unit_detail", "unit_id", "name"),
        ),
        TableColumn("path", "Full path", cell=_path, sort=path_sort()),
        TableColumn("code", "Code", sort="code"),
        TableColumn("kind", "Kind", value=lambda u: u.get_kind_display(), sort="kind"),
        TableColumn("child_count", "Units inside", sort="child_count", numeric=True),
    ],
    filters=[
        SearchFilter(
            "q", "Search", fields=["name", "code"], hint="Words from a unit's name or code"
        ),
        INSIDE,
        ChoiceFilter("kind", "Kind", field="kind", choices=UnitKind.choices, multiple=True),
    ],
    default_sort="path",
    caption="Units",
    # Downloads in the import's layout: change them and import them again.
    export=UNIT_COLUMNS,
)
