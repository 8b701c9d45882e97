"""The columns of the actions and milestones files, declared once.

The imports' checks and messages, the template workbooks, the exports and the
guide's tables all come from :data:`ACTION_COLUMNS` and
:data:`MILESTONE_COLUMNS`.
"""

from __future__ import annotations

from goldenthread.analysis.quarters import QUARTER_EXPECTED, financial_year_label
from goldenthread.kit.columns import Column, Columns, ColumnType
from goldenthread.programme.models import ActionStatus, MilestoneStatus

from .fields import quarter_label

REFERENCE_MAX_LENGTH = 40
TITLE_MAX_LENGTH = 300

ACTION_COLUMNS = Columns(
    "action",
    [
        Column(
            "reference",
            "Reference",
            required=True,
            max_length=REFERENCE_MAX_LENGTH,
            help="The action's reference, unique in the organisation",
        ),
        Column(
            "programme",
            "Programme",
            type=ColumnType.REFERENCE,
            required=True,
            lookup="the name of one of the organisation's programmes",
            help="The programme whose plan the action is in",
            value=lambda action: action.programme.name,
        ),
        Column("title", "Title", required=True, max_length=TITLE_MAX_LENGTH),
        Column("description", "Description"),
        Column(
            "target_area",
            "TOM target area",
            max_length=200,
            help="The area of the target operating model it delivers, such as Channels",
        ),
        Column("owner", "Owner", max_length=200, help="The named lead"),
        Column(
            "owner_post",
            "Owner's post ID",
            type=ColumnType.REFERENCE,
            lookup="the ID of a post in the current as-is structure",
            help="The post that owns the action",
        ),
        Column(
            "workstream",
            "Workstream",
            type=ColumnType.REFERENCE,
            lookup="the name of a workstream of the action's programme",
            value=lambda action: action.workstream.name if action.workstream else "",
        ),
        Column(
            "phase",
            "Phase",
            type=ColumnType.REFERENCE,
            lookup="the name of a phase of the action's programme",
            value=lambda action: action.phase.name if action.phase else "",
        ),
        Column(
            "design_by",
            "Design by",
            max_length=20,
            help=f"The quarter its design is due: {QUARTER_EXPECTED}",
            value=lambda action: quarter_label(action.design_by),
        ),
        Column(
            "implement_from",
            "Implement from",
            max_length=20,
            help=f"The quarter it is implemented from, not before design by: {QUARTER_EXPECTED}",
            value=lambda action: quarter_label(action.implement_from),
        ),
        Column("start_on", "Starts", type=ColumnType.DATE),
        Column("due_on", "Due", type=ColumnType.DATE),
        Column(
            "forecast_on",
            "Forecast completion",
            type=ColumnType.DATE,
            help="When the owner now expects it complete (blank: on the due date)",
        ),
        Column("completed_on", "Completed", type=ColumnType.DATE),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=ActionStatus.choices,
            help="Where it stands (blank: not started)",
            value=lambda action: action.get_status_display().lower(),
        ),
        Column(
            "percent_complete",
            "Per cent complete",
            type=ColumnType.INTEGER,
            help="How far it has got, from 0 to 100",
        ),
        Column("success_criteria", "Success criteria"),
        Column("budget", "Budget", type=ColumnType.MONEY),
        Column("spend", "Spend to date", type=ColumnType.MONEY),
        Column(
            "source",
            "Source",
            max_length=200,
            help="The plan it came from when not the programme's own, such as Productivity plan",
        ),
        Column("notes", "Notes"),
    ],
    key="reference",
)

MILESTONE_COLUMNS = Columns(
    "milestone",
    [
        Column(
            "milestone",
            "Milestone",
            required=True,
            max_length=REFERENCE_MAX_LENGTH + TITLE_MAX_LENGTH + 3,
            help="The action's reference and the milestone's title, as in A-001: Pilot complete",
            value=lambda milestone: f"{milestone.action.reference}: {milestone.title}",
        ),
        Column(
            "due_on",
            "Due",
            type=ColumnType.DATE,
            required=True,
        ),
        Column(
            "status",
            "Status",
            type=ColumnType.CHOICE,
            choices=MilestoneStatus.choices,
            help="Where it stands (blank: planned)",
            value=lambda milestone: milestone.get_status_display().lower(),
        ),
        Column("completed_on", "Completed", type=ColumnType.DATE),
    ],
    key="milestone",
)

SAVING_COLUMNS = Columns(
    "saving",
    [
        Column(
            "saving",
            "Action and year",
            required=True,
            max_length=REFERENCE_MAX_LENGTH + 12,
            help="The action's reference and the financial year, as in A-001 2025/26",
            value=lambda saving: f"{saving.action.reference} {financial_year_label(saving.year)}",
        ),
        Column(
            "amount",
            "Amount",
            type=ColumnType.MONEY,
            required=True,
            help="The saving the action contributes in that year",
        ),
    ],
    key="saving",
)
