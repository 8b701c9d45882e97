"""The audit history as a register: every change, paged, filtered by kind, user and date."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from goldenthread.accounts.models import Membership
from goldenthread.kit.tables import (
    BoundTable,
    ChoiceFilter,
    DateRangeFilter,
    Table,
    TableColumn,
)

from .selectors import Change, ChangeQuery, change_kinds


def _members(table: BoundTable) -> list[tuple[int, str]]:
    memberships = (
        Membership.objects.filter(organisation=table.organisation)
        .select_related("user")
        .order_by("user__username")
    )
    choices = []
    for membership in memberships:
        user = membership.user
        name = user.get_full_name()
        choices.append(
            (user.pk, f"{name} ({user.get_username()})" if name else user.get_username())
        )
    return choices


def _record(change: Change, table: BoundTable) -> Any:
    return format_html(
        '<a class="govuk-link" href="{}">{}'
        '<span class="govuk-visually-hidden"> – history</span></a>',
        table.url(
            "audit:record_history", model_label=change.model_label, object_id=change.object_id
        ),
        change.object_repr,
    )


WHEN = DateRangeFilter("when", "Date", field="history_date", with_time=True)
WHEN.apply = lambda changes, value: changes.between(*WHEN.bounds(value))


def _of_kinds(changes: ChangeQuery, labels: list[str]) -> ChangeQuery:
    return changes.of_kinds(labels)


def _by_user(changes: ChangeQuery, user_id: str) -> ChangeQuery:
    return changes.by_user(int(user_id))


CHANGES = Table(
    thing="change",
    things="changes",
    columns=[
        TableColumn(
            "when",
            "When",
            sort="history_date",
            cell=lambda change, _t: date_format(localtime(change.when), "DATETIME_FORMAT"),
        ),
        TableColumn("who", "Who"),
        TableColumn("what", "What", value=lambda change: f"{change.kind} {change.model_name}"),
        TableColumn("object_repr", "Record", cell=_record),
    ],
    filters=[
        ChoiceFilter(
            "kind",
            "Record type",
            choices=lambda table: change_kinds(table.request.membership.role),
            multiple=True,
            apply=_of_kinds,
        ),
        ChoiceFilter("user", "Changed by", choices=_members, apply=_by_user),
        WHEN,
    ],
    default_sort="when",
    default_order="desc",
    tiebreak="",
    caption="Changes",
)
