"""The columns of the benefits register and of the benefits' cashable profile, declared once."""

from __future__ import annotations

from typing import Any

from goldenthread.analysis.quarters import financial_year_label
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitStatus

from .confidence import CONFIDENCE_EXPECTED, confidence_text

REFERENCE_MAX_LENGTH = 40
TITLE_MAX_LENGTH = 300


def _action_references(benefit: Benefit) -> str:
    # The export prefetches the actions, so this reads no query per benefit.
    return ", ".join(sorted(action.reference for action in benefit.actions.all()))


def _status(benefit: Benefit) -> Any:
    return benefit.get_status_display().lower()


BENEFIT_COLUMNS = Columns(
    "benefit",
    [
        Column(
            "reference",
            "Reference",
            required=True,
            max_length=REFERENCE_MAX_LENGTH,
            help="The benefit's reference, unique in the organisation",
        ),
        Column("title", "Title", required=True, max_length=TITLE_MAX_LENGTH),
        Column(
            "type",
            "Type",
            required=True,
            max_length=100,
            help="One of the six standard types or one of the organisation's own "
            "(the benefit settings page lists them)",
        ),
        Column("description", "Description"),
        Column("owner", "Owner", max_length=200, help="Who answers for the benefit"),
        Column(
            "programme",
            "Programme",
            type=ColumnType.REFERENCE,
            max_length=200,
            lookup="the name of a programme in goldenthread",
            help="The programme the benefit belongs to (blank: none)",
            value=lambda benefit: benefit.programme.name if benefit.programme else "",
        ),
        Column(
            "actions",
            "Actions",
            type=ColumnType.REFERENCE,
            lookup="the references of actions in goldenthread, separated by commas",
            help="The actions the benefit comes from",
            value=_action_references,
        ),
        Column("measure", "Measure", max_length=300, help="How the benefit is measured"),
        Column("baseline", "Baseline", max_length=100),
        Column("baseline_on", "Baseline date", type=ColumnType.DATE),
        Column("target", "Target", max_length=100),
        Column("target_on", "Target date", type=ColumnType.DATE),
        Column("actual", "Actual", max_length=100),
        Column("actual_on", "Actual date", type=ColumnType.DATE),
        Column(
            "confidence",
            "Confidence",
            max_length=10,
            help=f"Confidence of delivery: {CONFIDENCE_EXPECTED}",
            value=lambda benefit: confidence_text(
                benefit.confidence_percent, benefit.confidence_level
            ),
        ),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=BenefitStatus.choices,
            help="identified, planned, realising, realised or closed (blank: identified)",
            value=_status,
        ),
        Column(
            "evidence",
            "Evidence notes",
            help="How the realisation was measured; needed for realised and closed",
        ),
    ],
    key="reference",
)


def _year(row: BenefitProfile) -> str:
    return financial_year_label(row.year)


PROFILE_COLUMNS = Columns(
    "benefit profile",
    [
        Column(
            "benefit",
            "Benefit",
            type=ColumnType.REFERENCE,
            required=True,
            max_length=REFERENCE_MAX_LENGTH,
            lookup="the reference of a benefit in goldenthread",
            help="The benefit whose cashable £ this row gives",
            value=lambda row: row.benefit.reference,
        ),
        Column(
            "year",
            "Financial year",
            required=True,
            max_length=9,
            help="The financial year, such as 2025/26",
            value=_year,
        ),
        Column(
            "planned",
            "Planned",
            type=ColumnType.MONEY,
            help="The cashable £ planned in the year (blank: £0)",
        ),
        Column(
            "realised",
            "Realised",
            type=ColumnType.MONEY,
            help="The cashable £ realised in the year (blank: not known yet)",
        ),
    ],
    # A row is found by its benefit and year together, which the importer checks itself.
    key="",
)
