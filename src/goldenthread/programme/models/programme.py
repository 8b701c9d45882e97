"""Programmes, their phases and workstreams, and the actions that deliver them.

A quarter is stored as a whole number, ``year * 10 + quarter`` (20252 is
2025/26 Q2; :mod:`goldenthread.analysis.quarters`), so quarters sort and
compare as numbers. Money is ``Decimal`` in pounds with pence.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation


class Rag(models.TextChoices):
    """A red, amber or green rating; blue is delivered, kept apart from green."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Complete"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Programme(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sponsor = models.CharField("senior responsible owner", max_length=200, blank=True)
    start_on = models.DateField("starts", null=True, blank=True)
    end_on = models.DateField("ends", null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="programme_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_on = models.DateField("starts", null=True, blank=True)
    end_on = models.DateField("ends", null=True, blank=True)
    gate_criteria = models.TextField("gate criteria", blank=True)
    status = models.CharField(
        max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.NOT_STARTED
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="phase_name_unique_in_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Workstream(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=200)
    lead = models.CharField(max_length=200, blank=True)
    scope = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="workstream_name_unique_in_programme"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    """One action of a programme's plan, with its computed RAG held beside it.

    ``rag``/``rag_reason`` is the RAG in force (the override while one runs,
    else the computed one); ``computed_rag`` is what the organisation's rules
    give; ``forecast_rag`` is the forecast RAG at the financial year's end.
    Each change of any of them is kept in :class:`RagRecord`.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programme_actions"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    target_area = models.CharField("TOM target area", max_length=200, blank=True)
    #: A named lead; ``owner_post`` is the ID of a post of the as-is structure when there is one.
    owner = models.CharField(max_length=200, blank=True)
    owner_post = models.CharField("owner's post ID", max_length=100, blank=True)
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    design_by = models.PositiveIntegerField("design by (quarter)", null=True, blank=True)
    implement_from = models.PositiveIntegerField("implement from (quarter)", null=True, blank=True)
    start_on = models.DateField("starts", null=True, blank=True)
    due_on = models.DateField("due", null=True, blank=True)
    #: When the owner now expects it complete; blank means on the due date.
    forecast_on = models.DateField("forecast completion", null=True, blank=True)
    completed_on = models.DateField("completed", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField("per cent complete", default=0)
    success_criteria = models.TextField("success criteria", blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    spend = models.DecimalField(
        "spend to date", max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: Where the action came from when not this programme's own plan ("productivity plan").
    source = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, blank=True)
    rag_reason = models.TextField("RAG reason", blank=True)
    computed_rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    computed_reason = models.TextField(blank=True)
    forecast_rag = models.CharField(
        "forecast year-end RAG", max_length=10, choices=Rag.choices, blank=True
    )
    forecast_reason = models.TextField(blank=True)
    rag_rules = models.ForeignKey(
        "programme.RagRuleSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rag_assessed_on = models.DateField(null=True, blank=True)

    #: The owner's override: a RAG, why, and until when (a date, or the next quarterly update).
    override_rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    override_reason = models.TextField(blank=True)
    override_ends_on = models.DateField(null=True, blank=True)
    override_until_update = models.BooleanField(default=False)
    override_set_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="action_reference_unique_in_org"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "rag"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "due_on"]),
            models.Index(fields=["organisation", "owner"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField("due")
    completed_on = models.DateField("completed", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "due_on", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionSaving(models.Model):
    """An action's savings contribution in one financial year (``year`` is the year it starts)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="savings")
    year = models.PositiveIntegerField("financial year")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "year"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="action_saving_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} in {self.year}"
