"""The structure registers: the snapshots, and the posts of one snapshot."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.html import format_html, format_html_join

from goldenthread.accounts.models import Role
from goldenthread.core.forms import UNIT_PICKER_KEY
from goldenthread.core.models import Unit
from goldenthread.kit.tables import (
    Band,
    BandFilter,
    BooleanFilter,
    BoundTable,
    ChoiceFilter,
    DateRangeFilter,
    SearchFilter,
    Table,
    TableColumn,
    TreeFilter,
    record_link,
)

from . import selectors
from .models import Post, RedundancyBand, SnapshotKind, SnapshotStatus

#: Spans of control in the bands the structure dashboard reports.
SPAN_BANDS = (
    Band("0", "None (not a manager)", 0, 0),
    Band("1-2", "1 to 2", 1, 2),
    Band("3-5", "3 to 5", 3, 5),
    Band("6-10", "6 to 10", 6, 10),
    Band("11+", "11 or more", 11, None),
)


def unit_nodes(table: BoundTable) -> Any:
    """Every unit of the organisation as ``(pk, parent, name)``, for the unit filter."""
    units = Unit.objects.filter(organisation=table.organisation).order_by()
    return units.values_list("pk", "parent_id", "name")


def _post_link(post: Post, table: BoundTable) -> Any:
    href = table.url("structure:post_detail", snapshot_id=post.snapshot_id, post_pk=post.pk)
    tags = [("grey", "Vacant")] if post.vacant else []
    if post.agency:
        tags.append(("yellow", "Agency"))
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>{}',
        href,
        post.title or "Untitled post",
        format_html_join("", ' <strong class="govuk-tag govuk-tag--{}">{}</strong>', tags),
    )


def _grades(table: BoundTable) -> list[tuple[str, str]]:
    grades = selectors.post_grades(
        organisation=table.organisation, snapshot=table.context["snapshot"]
    )
    return [(grade, grade) for grade in grades]


def _layers(table: BoundTable) -> list[tuple[int, str]]:
    layers = selectors.post_layers(
        organisation=table.organisation, snapshot=table.context["snapshot"]
    )
    return [(layer, f"Layer {layer}") for layer in layers]


def _with_managers(posts: list[Post], table: BoundTable) -> None:
    """Give each post the ID of the post it reports to, in one query."""
    snapshot = table.context["snapshot"]
    ids = selectors.post_ids_at(
        organisation=table.organisation,
        snapshot=snapshot,
        positions={p.manager_position for p in posts if p.manager_position is not None},
    )
    for post in posts:
        post.manager_post_id = (  # type: ignore[attr-defined]
            ids.get(post.manager_position, "") if post.manager_position is not None else ""
        )


POSTS = Table(
    thing="post",
    things="posts",
    columns=[
        TableColumn("title", "Post", sort="title", cell=_post_link),
        TableColumn("post_id", "ID", sort="post_id"),
        TableColumn("grade", "Grade", sort="grade"),
        TableColumn("unit_path", "Unit", sort="unit_path"),
        TableColumn("layer", "Layer", sort=F("layer"), numeric=True),
        TableColumn("span", "Direct reports", sort=F("span"), numeric=True),
        TableColumn("fte", "FTE", sort="fte", numeric=True),
        TableColumn("cost", "Cost", sort=F("cost"), numeric=True, money=True),
        TableColumn("vacant", "Vacant", show=False),
        TableColumn("agency", "Agency", show=False),
        TableColumn("manager", "Reports to", value=lambda post: post.manager_post_id, show=False),
        # Junior staff are not posts: downloads give those reporting to each
        # post apart from its own FTE and cost (its page shows them too).
        TableColumn("junior_fte", "Junior staff (FTE)", show=False),
        TableColumn("junior_cost", "Junior staff cost", money=True, show=False),
    ],
    filters=[
        SearchFilter(
            "q",
            "Search",
            fields=["title"],
            exact=["post_id", "grade"],
            hint="Words from the job title, or a whole grade or post ID",
        ),
        TreeFilter(
            "unit",
            "Unit, with the units inside it",
            field="unit",
            nodes=unit_nodes,
            picker=UNIT_PICKER_KEY,
        ),
        ChoiceFilter("grade", "Grade", field="grade", choices=_grades, multiple=True),
        ChoiceFilter("layer", "Layer", field="layer", choices=_layers, multiple=True),
        BandFilter("span", "Direct reports", field="span", bands=SPAN_BANDS),
        BooleanFilter(
            "manager", "Manager", yes=Q(span__gt=0), yes_label="Managers", no_label="Not managers"
        ),
        BooleanFilter("vacant", "Vacant", field="vacant", yes_label="Vacant", no_label="Filled"),
        BooleanFilter(
            "agency", "Agency", field="agency", yes_label="Agency", no_label="Not agency"
        ),
    ],
    default_ordering=("position",),
    caption="Posts",
    prepare=_with_managers,
)


SNAPSHOTS = Table(
    thing="snapshot",
    things="snapshots",
    columns=[
        TableColumn(
            "name",
            "Snapshot",
            sort="name",
            cell=record_link("structure:snapshot_detail", "snapshot_id", "name"),
        ),
        TableColumn("kind", "Kind", value=lambda s: s.get_kind_display(), sort="kind"),
        TableColumn("status", "Status", value=lambda s: s.get_status_display(), sort="status"),
        TableColumn(
            "effective_date",
            "Effective date",
            sort=F("effective_date"),
            cell=lambda s, _t: s.effective_date or "Not given",
        ),
        TableColumn("post_count", "Posts", sort="post_count", numeric=True),
        TableColumn(
            "base", "Based on", value=lambda s: s.base.name if s.base else "", sort=F("base__name")
        ),
    ],
    filters=[
        SearchFilter("q", "Name", fields=["name"]),
        ChoiceFilter("kind", "Kind", field="kind", choices=SnapshotKind.choices, multiple=True),
        ChoiceFilter(
            "status", "Status", field="status", choices=SnapshotStatus.choices, multiple=True
        ),
        DateRangeFilter("effective", "Effective date", field="effective_date"),
    ],
    default_sort="effective_date",
    default_order="desc",
    caption="Snapshots",
)


def _band_link(band: RedundancyBand, table: BoundTable) -> Any:
    href = table.url("structure:band_edit", band_id=band.pk)
    if table.request.membership.role != Role.ADMIN:
        return band.grade
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, band.grade)


REDUNDANCY_BANDS = Table(
    thing="redundancy band",
    things="redundancy bands",
    columns=[
        TableColumn("grade", "Grade", sort=Lower("grade"), cell=_band_link),
        TableColumn("cost", "Cost of a redundancy", sort="cost", numeric=True, money=True),
    ],
    filters=[SearchFilter("q", "Search", fields=["grade"], hint="Part of a grade")],
    default_sort="grade",
    caption="Redundancy costs by grade",
)
