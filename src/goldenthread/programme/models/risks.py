"""The risk register: cause, event and effect, scored on a 5×5 matrix, reviewed on a cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation

from .programme import Action, Programme


class RiskCategory(models.TextChoices):
    """The categories every organisation has; an organisation adds its own in its settings."""

    FINANCIAL = "Financial"
    DELIVERY = "Delivery and timescale"
    QUALITY = "Quality"
    REPUTATIONAL = "Reputational"
    LEGAL = "Legal and regulatory"
    PEOPLE = "People"
    TECHNOLOGY = "Technology"
    PARTNERSHIP = "Partnership"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="risks")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="risks"
    )
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    cause = models.TextField(blank=True)
    event = models.TextField(blank=True)
    effect = models.TextField(blank=True)
    #: One of :class:`RiskCategory` or one of the organisation's own categories.
    category = models.CharField(max_length=100)
    owner = models.CharField(max_length=200, blank=True)
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    #: Stored so the register filters and sorts by it: residual likelihood × impact.
    residual_score = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    #: Days between reviews; blank means the organisation's frequency for the risk's band.
    review_days = models.PositiveSmallIntegerField("review every (days)", null=True, blank=True)
    last_reviewed_on = models.DateField("last reviewed", null=True, blank=True)
    next_review_on = models.DateField("next review", null=True, blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="risks")
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        ordering = ["organisation", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="risk_reference_unique_in_org"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "next_review_on"]),
            models.Index(fields=["organisation", "residual_score"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class MitigationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Mitigation(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="mitigations")
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MitigationStatus.choices, default=MitigationStatus.PLANNED
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class RiskReview(models.Model):
    """A review of a risk: its residual scores that day, and what was said."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("reviewed")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    next_review_on = models.DateField("next review")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.risk.reference} reviewed on {self.reviewed_on}"
