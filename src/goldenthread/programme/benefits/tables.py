"""The benefits register: filtered, sorted and paged on the server, its £ totals as annotations."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.functions import Lower
from django.utils.html import format_html

from goldenthread.kit.tables import (
    BoundTable,
    ChoiceFilter,
    RangeFilter,
    SearchFilter,
    Table,
    TableColumn,
    record_link,
)
from goldenthread.programme.models import Benefit, BenefitStatus, Programme

from . import selectors
from .confidence import confidence_shown


def _types(table: BoundTable) -> list[tuple[str, str]]:
    return [(kind, kind) for kind in selectors.benefit_types(settings=table.context["settings"])]


def _programmes(table: BoundTable) -> Any:
    return Programme.objects.filter(organisation=table.organisation).values_list("pk", "name")


def _prepare(rows: list[Benefit], table: BoundTable) -> None:
    found = selectors.benefit_action_references(benefit_ids=[row.pk for row in rows])
    for row in rows:
        row.action_references = found.get(row.pk, [])  # type: ignore[attr-defined]


def _actions(benefit: Any) -> str:
    return ", ".join(getattr(benefit, "action_references", []))


def _confidence(benefit: Benefit, table: BoundTable) -> str:
    return confidence_shown(
        benefit.confidence_percent, benefit.confidence_level, table.context["settings"]
    )


#: The GOV.UK tag colour of each status: the further along, the nearer to green.
STATUS_TAGS = {
    BenefitStatus.IDENTIFIED: "grey",
    BenefitStatus.PLANNED: "blue",
    BenefitStatus.REALISING: "yellow",
    BenefitStatus.REALISED: "green",
    BenefitStatus.CLOSED: "grey",
}


def status_tag(benefit: Benefit) -> Any:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_TAGS.get(BenefitStatus(benefit.status), "grey"),
        benefit.get_status_display(),
    )


def _status(benefit: Benefit, table: BoundTable) -> Any:
    return status_tag(benefit)


BENEFITS = Table(
    thing="benefit",
    things="benefits",
    columns=[
        TableColumn("reference", "Reference", sort=Lower("reference")),
        TableColumn(
            "title",
            "Benefit",
            sort=Lower("title"),
            cell=record_link("programme:benefit_detail", "benefit_id", "title"),
        ),
        TableColumn("type", "Type", sort="type"),
        TableColumn("owner", "Owner", sort=Lower("owner")),
        TableColumn(
            "programme",
            "Programme",
            value=lambda b: b.programme.name if b.programme else "",
            sort=F("programme__name"),
        ),
        TableColumn("actions", "Comes from", value=_actions),
        TableColumn(
            "confidence_value",
            "Confidence (%)",
            cell=_confidence,
            sort="confidence_value",
            numeric=True,
        ),
        TableColumn(
            "status",
            "Status",
            value=lambda b: b.get_status_display(),
            cell=_status,
            sort="status",
        ),
        TableColumn(
            "planned_total",
            "Planned £",
            sort=F("planned_total"),
            numeric=True,
            money=True,
        ),
        TableColumn(
            "realised_total",
            "Realised £",
            sort=F("realised_total"),
            numeric=True,
            money=True,
        ),
    ],
    filters=[
        SearchFilter(
            "q",
            "Search",
            fields=["title", "description", "measure"],
            exact=["reference"],
            hint="Words from the title, description or measure, or a whole reference",
        ),
        ChoiceFilter("type", "Type", field="type", choices=_types, multiple=True),
        ChoiceFilter(
            "status", "Status", field="status", choices=BenefitStatus.choices, multiple=True
        ),
        RangeFilter("confidence", "Confidence (%)", field="confidence_value"),
        SearchFilter("owner", "Owner", fields=["owner"], hint="Words from the owner's name"),
        ChoiceFilter("programme", "Programme", field="programme", choices=_programmes),
    ],
    default_sort="reference",
    caption="Benefits",
    prepare=_prepare,
)
