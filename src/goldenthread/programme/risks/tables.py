"""The risk register's table: its columns, filters and default order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from goldenthread.analysis import risks as scoring
from goldenthread.kit.tables import (
    BooleanFilter,
    BoundTable,
    ChoiceFilter,
    DateRangeFilter,
    RangeFilter,
    SearchFilter,
    Table,
    TableColumn,
)
from goldenthread.programme.models import Programme, Risk, RiskStatus

from .rules import RiskRules, risk_rules
from .selectors import overdue

__all__ = ["RISKS", "band_tag", "rules_for"]

#: The tag colours of the bands, lowest first (GOV.UK tag modifiers); more bands reuse the last.
BAND_COLOURS = ("green", "yellow", "orange", "red", "purple", "pink")


def band_colour(position: int) -> str:
    if position < 0:
        return "grey"
    return BAND_COLOURS[min(position, len(BAND_COLOURS) - 1)]


def rules_for(table: BoundTable) -> RiskRules:
    """The organisation's risk rules, read once for the page."""
    rules: RiskRules = table.memo("risk-rules", lambda: risk_rules(organisation=table.organisation))
    return rules


def band_tag(rules: RiskRules, score: int) -> SafeString:
    """The score and its band as a coloured tag: "16 High"."""
    name = rules.band_name(score)
    colour = band_colour(rules.band_position(score))
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} gt-band">{} {}</strong>', colour, score, name
    )


def _title(risk: Risk, table: BoundTable) -> Any:
    href = table.url("programme:risk_detail", risk_id=risk.pk)
    link = format_html('<a class="govuk-link" href="{}">{}</a>', href, risk.title)
    if (
        risk.status == RiskStatus.OPEN
        and risk.next_review_on
        and risk.next_review_on < table.memo("today", timezone.localdate)
    ):
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--red gt-overdue">Review overdue</strong>', link
        )
    return link


def _residual(risk: Risk, table: BoundTable) -> Any:
    return band_tag(rules_for(table), risk.residual_score)


def _next_review(risk: Risk, table: BoundTable) -> Any:
    return date_format(risk.next_review_on) if risk.next_review_on else ""


def _categories(table: BoundTable) -> list[tuple[str, str]]:
    return [(name, name) for name in rules_for(table).categories]


def _programmes(table: BoundTable) -> list[tuple[int, str]]:
    return list(
        Programme.objects.filter(organisation=table.organisation)
        .order_by("name")
        .values_list("pk", "name")
    )


def chosen_programme(table: BoundTable) -> Programme | None:
    """The programme the register is filtered to (its id and name), or ``None`` for all.

    Read from the filter's own choices, already fetched for the page: no query.
    """
    chosen = table.values.get("programme")
    if chosen is None:
        return None
    names = dict(_choices_of(table, "programme"))
    return Programme(pk=int(chosen), organisation=table.organisation, name=names[chosen])


def _choices_of(table: BoundTable, key: str) -> list[tuple[str, str]]:
    found = next(item for item in table.table.filters if item.key == key)
    assert isinstance(found, ChoiceFilter)
    return found.options(table)


def _bands(table: BoundTable) -> list[tuple[str, str]]:
    return [
        (f"{band.low}-{band.high}", f"{band.name} ({band.low} to {band.high})")
        for band in rules_for(table).bands
    ]


def _in_bands(rows: Any, value: list[str]) -> Any:
    wanted = Q()
    for chosen in value:
        low, _, high = chosen.partition("-")
        wanted |= Q(residual_score__gte=int(low), residual_score__lte=int(high))
    return rows.filter(wanted)


def _overdue(rows: Any, value: bool) -> Any:
    return rows.filter(overdue()) if value else rows.exclude(overdue())


SCALE_CHOICES = [(str(n), str(n)) for n in scoring.SCALE]


@dataclass
class ScaleFilter(ChoiceFilter):
    """A likelihood or an impact, from 1 to 5: the heat map's cells link with these."""

    def __post_init__(self) -> None:
        self.choices = SCALE_CHOICES
        super().__post_init__()


RISKS = Table(
    thing="risk",
    things="risks",
    columns=[
        TableColumn("reference", "Reference", sort=Lower("reference")),
        TableColumn("title", "Risk", sort=Lower("title"), cell=_title),
        TableColumn("category", "Category", sort=Lower("category")),
        TableColumn("owner", "Owner", sort=Lower("owner")),
        TableColumn(
            "programme",
            "Programme",
            value=lambda risk: risk.programme.name if risk.programme else "",
            sort=F("programme__name"),
        ),
        TableColumn(
            "score",
            "Residual score",
            value=lambda risk: risk.residual_score,
            cell=_residual,
            sort="residual_score",
        ),
        TableColumn(
            "status", "Status", value=lambda risk: risk.get_status_display(), sort="status"
        ),
        TableColumn(
            "next_review",
            "Next review",
            value=lambda risk: risk.next_review_on,
            cell=_next_review,
            sort=F("next_review_on"),
        ),
    ],
    filters=[
        SearchFilter(
            "q",
            "Search",
            fields=["title", "cause", "event", "effect"],
            exact=["reference"],
            hint="Words from the title, cause, event or effect, or a whole reference",
        ),
        ChoiceFilter("category", "Category", field="category", choices=_categories, multiple=True),
        ChoiceFilter("status", "Status", field="status", choices=RiskStatus.choices, multiple=True),
        SearchFilter(
            "owner", "Owner", fields=["owner"], hint="Words from the owner's post or name"
        ),
        RangeFilter("score", "Residual score", field="residual_score"),
        ChoiceFilter("band", "Band", choices=_bands, multiple=True, apply=_in_bands),
        ChoiceFilter("programme", "Programme", field="programme", choices=_programmes),
        BooleanFilter("overdue", "Review overdue", apply=_overdue),
        DateRangeFilter("review", "Next review", field="next_review_on"),
        ScaleFilter("likelihood", "Residual likelihood", field="residual_likelihood"),
        ScaleFilter("impact", "Residual impact", field="residual_impact"),
        ScaleFilter("inherent-likelihood", "Inherent likelihood", field="inherent_likelihood"),
        ScaleFilter("inherent-impact", "Inherent impact", field="inherent_impact"),
    ],
    default_sort="score",
    default_order="desc",
    default_ordering=["reference"],
    #: A risk's row is long (its link, tags and dates) and the heat map sits above the table.
    page_size=25,
    caption="Risks",
)
