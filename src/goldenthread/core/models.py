"""An organisation's units: directorates, services and teams, as a tree.

Units are shared by every module: posts sit in a unit, service plans belong to
a directorate, actions and risks are owned by one.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation


class UnitKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"
    SHARED_SERVICE = "shared_service", "Shared service"
    OTHER = "other", "Other"


class Unit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField(
        max_length=40,
        help_text="A short reference unique in the organisation, for example PEO or PEO-ASC.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=UnitKind.choices, default=UnitKind.SERVICE)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="unit_code_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name
