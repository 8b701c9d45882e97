"""Quarterly updates: each owner's progress, spend and delay for their actions in a quarter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.quarters import FinancialQuarter

from .programme import Action, ActionStatus, Programme, Rag


class UpdateStatus(models.TextChoices):
    OPEN = "open", "Open for updates"
    CLOSED = "closed", "Closed"


class QuarterlyUpdate(models.Model):
    """One quarter's round of updates for a programme."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="quarterly_updates"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="quarterly_updates"
    )
    #: The quarter, stored as ``year * 10 + quarter`` (20252 is 2025/26 Q2).
    quarter = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.OPEN
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "quarter"], name="quarterly_update_one_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.period.label} update"

    @property
    def period(self) -> FinancialQuarter:
        """The quarter this round of updates is for."""
        return FinancialQuarter.from_code(self.quarter)

    @property
    def is_open(self) -> bool:
        return self.status == UpdateStatus.OPEN


class ActionUpdate(models.Model):
    """What an owner said of one action in a quarter, and the action as it then stood."""

    update = models.ForeignKey(QuarterlyUpdate, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    progress = models.TextField(blank=True)
    delay = models.TextField("delay and its cause", blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    percent_complete = models.PositiveSmallIntegerField("per cent complete", default=0)
    forecast_on = models.DateField("forecast completion", null=True, blank=True)
    spend = models.DecimalField(
        "spend to date", max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, blank=True)
    forecast_rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    due_on = models.DateField("due", null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["update", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "action"], name="action_update_one_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} in update {self.update_id}"
