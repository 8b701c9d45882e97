"""The Target Operating Model: versions, components, statements, and design principles.

A TOM version is a whole copy of the document. A new version starts as a copy
of the adopted one, and every copied component and statement keeps a
``baseline`` pointer to the row it came from, so a comparison with the adopted
baseline matches rows exactly (see docs/adr/0007-tom-versions-and-links.md).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation draft"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


#: Versions in these states may be changed.
EDITABLE_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.CONSULTATION})


class ChangeLevel(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PrincipleSet(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="principle_sets"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: The starter template it was made from, if any.
    source = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Principle(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="principles"
    )
    principle_set = models.ForeignKey(
        PrincipleSet, on_delete=models.CASCADE, related_name="principles"
    )
    group = models.CharField(
        max_length=200,
        blank=True,
        help_text="Principles with the same group are shown together, for example "
        "“How we work for our borough”.",
    )
    name = models.CharField(max_length=200)
    intent = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["principle_set", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Consideration(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="considerations"
    )
    principle = models.ForeignKey(
        Principle, on_delete=models.CASCADE, related_name="considerations"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["principle", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class TomVersion(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tom_versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    #: The adopted version this one was copied from: the baseline it is compared with.
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    principle_set = models.ForeignKey(
        PrincipleSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tom_versions",
    )
    approved_by = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-number"]
        verbose_name = "TOM version"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="tom_version_number_unique_in_org"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="adopted"),
                name="tom_one_adopted_version_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}: {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Component(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tom_components"
    )
    version = models.ForeignKey(TomVersion, on_delete=models.CASCADE, related_name="components")
    #: The default template's key (for example ``channels``), blank for an organisation's own.
    key = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    as_is = models.TextField("as-is description", blank=True)
    change_level = models.CharField(
        "level of change", max_length=10, choices=ChangeLevel.choices, default=ChangeLevel.MEDIUM
    )
    owner = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    baseline = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """A target-state statement: one sentence of how the component will be."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tom_statements"
    )
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    baseline = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["component", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class DeliveryKind(models.TextChoices):
    #: A golden-thread item: an objective, service plan or team objective.
    OBJECTIVE = "objective", "Objective"
    ACTION = "action", "Action"
    BENEFIT = "benefit", "Benefit"
    RISK = "risk", "Risk"
    KPI = "kpi", "KPI"
    PROPOSAL = "proposal", "Proposal"


class ComponentLink(models.Model):
    """Something that delivers a component: an objective, action, benefit, risk, KPI or proposal.

    Generic on purpose: the programme, performance and proposals modules attach
    their rows here without changing this table (docs/adr/0007).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tom_component_links"
    )
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=DeliveryKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["component", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "content_type", "object_id"],
                name="tom_component_link_unique",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} delivers {self.component}"
