"""The golden thread: vision, priorities, objectives, service plans, team and individual objectives.

One generic table, :class:`ThreadItem`, holds every level. An item's parent is
what it contributes to; the allowed parent levels are in
:mod:`goldenthread.analysis.thread`. Individual objectives are held by a post,
not a person: ``post_reference`` is the post's id as text until the structure
module's posts can be linked directly.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation
from goldenthread.core.models import Unit


class Level(models.TextChoices):
    VISION = "vision", "Vision"
    PRIORITY = "priority", "Priority"
    OBJECTIVE = "objective", "Objective"
    SERVICE_PLAN = "service_plan", "Service plan"
    TEAM_OBJECTIVE = "team_objective", "Team objective"
    INDIVIDUAL_OBJECTIVE = "individual_objective", "Individual objective"


class Perspective(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    FINANCIAL = "financial", "Financial"
    INTERNAL_PROCESS = "internal_process", "Internal process"
    LEARNING_GROWTH = "learning_growth", "Learning and growth"


class ThreadItem(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="thread_items"
    )
    level = models.CharField(max_length=30, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="contributes to",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    measures = models.TextField("measures of success", blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="thread_items"
    )
    perspective = models.CharField(
        "scorecard perspective", max_length=30, choices=Perspective.choices, blank=True
    )
    post_reference = models.CharField("post", max_length=100, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def measure_list(self) -> list[str]:
        return [line.strip() for line in self.measures.splitlines() if line.strip()]


class ThreadLink(models.Model):
    """A record of another module (an action, benefit, KPI...) that contributes to an item.

    Generic, as the operating model's ComponentLink is (docs/adr/0007): the
    modules above attach their records here without changing this table, and
    the golden thread shows them through the links kit without importing them.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="thread_links"
    )
    item = models.ForeignKey(ThreadItem, on_delete=models.CASCADE, related_name="contributions")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="thread_link_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.object_id} contributes to {self.item}"
