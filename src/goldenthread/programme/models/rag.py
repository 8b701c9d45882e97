"""The organisation's RAG rules, versioned, and every change of an action's RAG.

A rule set is never edited: a change of rules is a new version, so a past RAG
can be shown beside the rules that produced it. The rules themselves are
plain data (JSON) read by the pure engine, :mod:`goldenthread.analysis.rag`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from goldenthread.accounts.models import Organisation

from .programme import Action, Rag


class RagSubject(models.TextChoices):
    """What a rule set rates; the KPIs module adds its own subject when it lands."""

    ACTION = "action", "Actions"


class RagRuleSet(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rag_rule_sets"
    )
    subject = models.CharField(max_length=20, choices=RagSubject.choices)
    version = models.PositiveIntegerField()
    #: The thresholds, as :mod:`goldenthread.analysis.rag` reads them.
    rules = models.JSONField()
    #: Why the rules changed, in the words of whoever changed them.
    note = models.TextField(blank=True)
    #: The day the rules took effect (the day they were made, unless an assessment said otherwise).
    in_force_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "subject", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subject", "version"], name="rag_rules_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} RAG rules, version {self.version}"


class RagKind(models.TextChoices):
    CURRENT = "current", "Current"
    FORECAST = "forecast", "Forecast year-end"


class RagSource(models.TextChoices):
    COMPUTED = "computed", "Computed by the rules"
    OVERRIDE = "override", "Overridden by the owner"


class RagRecord(models.Model):
    """One change of an action's RAG: what it was, what it became, why, and under which rules."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rag_records"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rag_records")
    kind = models.CharField(max_length=10, choices=RagKind.choices, default=RagKind.CURRENT)
    #: The day the RAG applies from (the day of assessment).
    on = models.DateField()
    previous = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=RagSource.choices)
    rules = models.ForeignKey(
        RagRuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["action", "kind", "on", "pk"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.previous or 'none'} → {self.rag} on {self.on}"
