"""The columns of the risk register's and the mitigations' files, declared once."""

from __future__ import annotations

from typing import Any

from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.programme.models import Mitigation, MitigationStatus, Risk, RiskStatus

SCALE_HELP = "From 1 (rare or negligible) to 5 (almost certain or severe)"


def _actions(risk: Risk) -> str:
    # The export prefetches the actions, so this reads no more rows.
    return ", ".join(sorted(action.reference for action in risk.actions.all()))


def mitigation_key(mitigation: Mitigation) -> str:
    """A mitigation's key in files: its risk's reference and its number, ``R1/2``."""
    return f"{mitigation.risk.reference}/{mitigation.position}"


def _status_label(record: Any) -> str:
    return str(record.get_status_display()).lower()


RISK_COLUMNS = Columns(
    "risk",
    [
        Column(
            "reference",
            "Reference",
            required=True,
            max_length=40,
            help="The risk's reference, unique in the organisation",
        ),
        Column(
            "title", "Title", required=True, max_length=300, help="What the risk is, in a few words"
        ),
        Column(
            "programme",
            "Programme",
            type=ColumnType.REFERENCE,
            lookup="the name of a programme in goldenthread",
            help="The programme the risk threatens (blank: none)",
            value=lambda risk: risk.programme.name if risk.programme else "",
        ),
        Column("cause", "Cause", help="If or because: what could bring the risk about"),
        Column("event", "Event", help="Then: what could happen"),
        Column("effect", "Effect", help="Resulting in: what it would do"),
        Column(
            "category",
            "Category",
            required=True,
            max_length=100,
            help="A standard category or one of the organisation's own",
        ),
        Column("owner", "Owner", max_length=200, help="Who owns the risk: a post or a name"),
        Column(
            "inherent_likelihood", "Inherent likelihood", ColumnType.INTEGER, True, help=SCALE_HELP
        ),
        Column("inherent_impact", "Inherent impact", ColumnType.INTEGER, True, help=SCALE_HELP),
        Column(
            "residual_likelihood", "Residual likelihood", ColumnType.INTEGER, True, help=SCALE_HELP
        ),
        Column("residual_impact", "Residual impact", ColumnType.INTEGER, True, help=SCALE_HELP),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=RiskStatus.choices,
            help="Whether the risk is still open (blank: open)",
            value=_status_label,
        ),
        Column(
            "review_days",
            "Review every (days)",
            type=ColumnType.INTEGER,
            help="Days between reviews (blank: the frequency for the risk's band)",
        ),
        Column(
            "next_review_on",
            "Next review",
            type=ColumnType.DATE,
            help="When the risk is next due for review (blank: set from its frequency)",
        ),
        Column(
            "actions",
            "Actions",
            type=ColumnType.REFERENCE,
            lookup="references of actions in goldenthread, with commas between them",
            help="The actions that treat the risk",
            value=_actions,
        ),
    ],
    key="reference",
)

MITIGATION_COLUMNS = Columns(
    "mitigation",
    [
        Column(
            "mitigation",
            "Mitigation",
            required=True,
            max_length=60,
            pattern=r"[^/]+/[1-9][0-9]{0,5}",
            pattern_hint="the risk's reference, a slash and the mitigation's number, such as R1/2",
            help="Which mitigation of which risk (a new number adds one)",
            value=mitigation_key,
        ),
        Column("description", "Description", required=True),
        Column("owner", "Owner", max_length=200),
        Column("due_on", "Due", type=ColumnType.DATE),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=MitigationStatus.choices,
            help="How far it has got (blank: planned)",
            value=_status_label,
        ),
    ],
    key="mitigation",
)
