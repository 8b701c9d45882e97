"""The operating model's registers as kit tables: paged, searched, sorted and downloadable."""

from __future__ import annotations

from django.db.models.functions import Lower

from goldenthread.kit.tables import SearchFilter, Table, TableColumn, record_link

PRINCIPLE_SETS = Table(
    thing="set of principles",
    things="sets of principles",
    columns=[
        TableColumn(
            "name",
            "Set",
            sort=Lower("name"),
            cell=record_link("operating_model:principle_set_detail", "set_id", "name"),
        ),
        TableColumn("principle_count", "Principles", sort="principle_count", numeric=True),
    ],
    filters=[SearchFilter("q", "Name", fields=["name"])],
    default_sort="name",
    caption="Your sets of principles",
)
