"""An organisation's programme settings: its own benefit types and risk categories,
its confidence percentages, its risk scoring matrix and bands, and review frequencies.

One row per organisation, made with the defaults the first time it is read
(:func:`goldenthread.programme.settings.programme_settings`).
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation


def default_risk_bands() -> list[dict[str, object]]:
    """Score bands of a 5×5 matrix as many councils draw it, lowest first."""
    return [
        {"name": "Low", "from": 1, "to": 4, "review_days": 180},
        {"name": "Medium", "from": 5, "to": 11, "review_days": 90},
        {"name": "High", "from": 12, "to": 19, "review_days": 30},
        {"name": "Very high", "from": 20, "to": 25, "review_days": 30},
    ]


class ProgrammeSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="programme_settings"
    )
    #: The organisation's own benefit types, after the standard ones.
    benefit_types = models.JSONField(default=list, blank=True)
    #: The organisation's own risk categories, after the standard ones.
    risk_categories = models.JSONField(default=list, blank=True)
    confidence_low = models.PositiveSmallIntegerField("low confidence (%)", default=25)
    confidence_medium = models.PositiveSmallIntegerField("medium confidence (%)", default=50)
    confidence_high = models.PositiveSmallIntegerField("high confidence (%)", default=80)
    #: A 5×5 matrix of scores, ``matrix[likelihood - 1][impact - 1]``;
    #: empty means likelihood × impact.
    risk_matrix = models.JSONField(default=list, blank=True)
    #: Bands of score, each with a name and its review frequency in days.
    risk_bands = models.JSONField(default=default_risk_bands)
    #: Days between reviews when the bands say nothing: monthly.
    review_days = models.PositiveSmallIntegerField("review every (days)", default=30)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Programme settings of {self.organisation}"
