"""Structure snapshots and their posts.

A snapshot is one version of the organisation's structure: the as-is, a
proposal, the structure as implemented, or a scenario being modelled. Its
posts are stored row by row with the structure engine's fields; each post sits
in one of the organisation's units (:class:`goldenthread.core.models.Unit`).

Posts are identified inside their snapshot by ``position`` and point to their
manager by ``manager_position``, so a snapshot can be copied (for a scenario)
or loaded into the engine's arrays without touching foreign keys. Posts carry
no per-row history: a snapshot is written in bulk, and its history, the import
job and the scenario's change log are the audit trail (ADR 0008).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from goldenthread.accounts.models import Organisation
from goldenthread.core.models import Unit
from goldenthread.kit.decisions import DecisionRecord


class SnapshotKind(models.TextChoices):
    AS_IS = "as_is", "As-is"
    PROPOSED = "proposed", "Proposed"
    IMPLEMENTED = "implemented", "Implemented"
    SCENARIO = "scenario", "Scenario"


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class Snapshot(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="snapshots"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SnapshotKind.choices, default=SnapshotKind.AS_IS)
    status = models.CharField(
        max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.DRAFT
    )
    effective_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    #: The snapshot a scenario was copied from, and is compared with.
    base = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="scenarios"
    )
    source = models.CharField(max_length=500, blank=True, help_text="The file(s) it was read from.")
    #: How posts pair with another snapshot's in a comparison ("post ID", or
    #: "title, directorate and service" for council files without IDs).
    matched_by = models.CharField(max_length=100, default="post ID")
    post_count = models.PositiveIntegerField(default=0)
    not_in_post_rows = models.PositiveIntegerField(default=0)
    #: Raised on every change to the posts; computed figures are cached by it.
    version = models.PositiveIntegerField(default=0)
    #: The version whose layers and spans the posts hold (``None``: not stored yet).
    figures_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    #: Hidden from the list of snapshots unless asked for; nothing else changes.
    archived = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["version", "figures_version"])

    class Meta:
        ordering = ["organisation", "-effective_date", "-pk"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="posts")
    position = models.PositiveIntegerField()
    manager_position = models.IntegerField(null=True, blank=True)
    post_id = models.CharField(max_length=120)
    title = models.CharField(max_length=300, blank=True)
    grade = models.CharField(max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The unit as the engine reads it: "Directorate / Service / Team".
    unit_path = models.CharField(max_length=600, blank=True)
    fte = models.FloatField(default=1.0)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    junior_fte = models.FloatField(default=0.0)
    junior_cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    junior_unknown_cost = models.PositiveIntegerField(default=0)
    vacant = models.BooleanField(default=False)
    agency = models.BooleanField(default=False)
    interim = models.BooleanField(default=False)
    shared_service = models.BooleanField(default=False)
    match_key = models.CharField(max_length=600, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    #: The engine's layer (1 at the top) and span (direct reports), stored so
    #: that registers filter and sort by them in the database; written for the
    #: snapshot's ``figures_version`` (see ``services.post_figures_store``).
    layer = models.IntegerField(null=True, blank=True)
    span = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "position"], name="post_position_unique"),
            models.UniqueConstraint(fields=["snapshot", "post_id"], name="post_id_unique"),
        ]
        indexes = [
            models.Index(fields=["snapshot", "manager_position"], name="post_manager_idx"),
            models.Index(fields=["snapshot", "unit"], name="post_unit_idx"),
            models.Index(fields=["snapshot", "layer"], name="post_layer_idx"),
            models.Index(fields=["snapshot", "span"], name="post_span_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title or 'Untitled post'} ({self.post_id})"


class ChangeKind(models.TextChoices):
    ADD = "add", "Add"
    DELETE = "delete", "Delete"
    MOVE = "move", "Move"
    REGRADE = "regrade", "Regrade"
    RETITLE = "retitle", "Retitle"
    RECOST = "recost", "Re-cost"
    REUNIT = "reunit", "Change unit"


class ScenarioChange(models.Model):
    """One recorded change to a scenario's posts, with its reason and wave.

    ``before`` and ``after`` hold, for each post ID the change touches, the
    fields it changed (``null`` for a post that did not exist before, or no
    longer exists after). Applying a change writes ``after``; undoing it
    writes ``before`` back.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    description = models.CharField(max_length=500)
    #: The IDs of the posts the change touches, one a line.
    post_ids = models.TextField()
    post_count = models.PositiveIntegerField(default=0)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.TextField()
    #: The wave: the date the change takes effect.
    effective_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone = models.BooleanField(default=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["snapshot", "effective_date", "pk"]
        indexes = [models.Index(fields=["snapshot", "undone"], name="change_snapshot_idx")]

    def __str__(self) -> str:
        return self.description

    @property
    def post_id_list(self) -> list[str]:
        return [line for line in self.post_ids.splitlines() if line]


class DesignRuleSet(models.Model):
    """The organisation's own design rules for spans and layers."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="design_rules"
    )
    target_span_min = models.PositiveSmallIntegerField(default=5)
    target_span_max = models.PositiveSmallIntegerField(default=8)
    narrow_span_max = models.PositiveSmallIntegerField(default=2)
    max_layers = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Design rules of {self.organisation}"


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", "Approval"
    PROMOTION = "promotion", "Made the as-is structure"


class StructureDecision(DecisionRecord):
    """The decision that approved a scenario, or made an approved scenario the as-is.

    ``snapshot`` is the scenario decided on; ``replaced`` the as-is snapshots a
    promotion superseded. A snapshot a decision refers to cannot be deleted.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="structure_decisions"
    )
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    replaced = models.ManyToManyField(Snapshot, blank=True, related_name="replaced_by")
    #: What the decision did, as the confirmation page stated it.
    consequences = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "decided_on", "pk"]
        verbose_name = "structure decision"

    def __str__(self) -> str:
        if self.kind == DecisionKind.APPROVAL:
            return f"Approval of {self.snapshot.name}"
        return f"{self.snapshot.name} made the as-is structure"


class RedundancyBand(models.Model):
    """The one-off cost of a redundancy from a post of one grade.

    A comparison costs each filled post it removes at its grade's band, and a
    grade with no band at the organisation's flat cost per redundancy.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="redundancy_bands"
    )
    grade = models.CharField(max_length=120)
    cost = models.DecimalField(max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "grade"]
        constraints = [
            # Grades match posts' grades whatever their case.
            models.UniqueConstraint(
                "organisation", Lower("grade"), name="redundancy_band_grade_unique"
            )
        ]

    def __str__(self) -> str:
        return self.grade


class ColumnMappingPreset(models.Model):
    """A remembered column mapping for an HR establishment export."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(max_length=200)
    #: {"post_id": "Position Number", "unit": ["Directorate", "Service"], ...}
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="column_mapping_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StructureUpload(models.Model):
    """A file waiting to become a snapshot: checked, mapped, then imported."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    junior_filename = models.CharField(max_length=255, blank=True)
    junior_data = models.BinaryField(null=True, blank=True)
    #: The layout: ``auto`` until the inspection has detected it.
    fmt = models.CharField(max_length=20)
    lenient = models.BooleanField(default=False)
    mapping = models.JSONField(default=dict, blank=True)
    #: The header's column names, read once by the inspection: the mapping page
    #: offers these and never opens the file.
    columns = models.JSONField(default=list, blank=True)
    #: The background job that detects the layout and reads the header.
    inspect_job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The snapshot to create: name, kind, effective_date, notes.
    snapshot_fields = models.JSONField(default=dict)
    check_job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["data", "junior_data"])

    def __str__(self) -> str:
        return self.filename
