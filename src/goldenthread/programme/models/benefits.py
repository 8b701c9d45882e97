"""The benefits register: what the programme's actions are meant to bring, and what they did."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation

from .programme import Action, Programme


class BenefitType(models.TextChoices):
    """The types every organisation has; an organisation adds its own in its settings."""

    END_USER_EXPERIENCE = "End user experience improvement"
    PROCESS_EFFICIENCY = "Process efficiency gain"
    QUALITY = "Quality improvement"
    CASHABLE_SAVING = "Cashable saving"
    COST_AVOIDANCE = "Cost avoidance"
    INCOME = "Income generation"


class BenefitStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    PLANNED = "planned", "Planned"
    REALISING = "realising", "Realising"
    REALISED = "realised", "Realised"
    CLOSED = "closed", "Closed"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Benefit(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="benefits"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="benefits"
    )
    reference = models.CharField(max_length=40)
    #: One of :class:`BenefitType` or one of the organisation's own types.
    type = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="benefits")
    measure = models.CharField(max_length=300, blank=True)
    baseline = models.CharField(max_length=100, blank=True)
    baseline_on = models.DateField("baseline date", null=True, blank=True)
    target = models.CharField(max_length=100, blank=True)
    target_on = models.DateField("target date", null=True, blank=True)
    actual = models.CharField(max_length=100, blank=True)
    actual_on = models.DateField("actual measured on", null=True, blank=True)
    #: Either a percentage, or a level that the organisation's settings turn into one.
    confidence_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_level = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=BenefitStatus.choices, default=BenefitStatus.IDENTIFIED
    )
    evidence = models.TextField("evidence notes", blank=True)
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        ordering = ["organisation", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="benefit_reference_unique_in_org"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "type"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class BenefitProfile(models.Model):
    """A benefit's cashable £ in one financial year: planned, and realised once known."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="profile")
    year = models.PositiveIntegerField("financial year")
    planned = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    realised = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["benefit", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "year"], name="benefit_profile_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit.reference} in {self.year}"
