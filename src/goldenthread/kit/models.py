"""What the import kit keeps of an upload between its check and its confirmation.

An :class:`ImportRun` holds the file (or, for a register with its own upload
record, a reference to it), the state of the flow, and what the check found:
the counts of rows to create, update and leave unchanged with the first rows
of each, every problem (up to a cap, with the full count) and the notes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from goldenthread.accounts.models import Organisation


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    READY = "ready", "Checked: nothing is saved until you confirm"
    FAILED = "failed", "Problems found: nothing was saved"
    SAVING = "saving", "Saving"
    DONE = "done", "Saved"
    DISCARDED = "discarded", "Discarded: nothing was saved"


class ImportRun(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_runs"
    )
    #: The registered importer's name, such as ``units``.
    importer = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    #: Ties the run to a register's own upload record, such as ``upload:12``.
    reference = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(default=b"", blank=True)
    #: What the importer needs besides the file (a mapping, whether to repair).
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    check_job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    save_job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: ``{"create": n, "update": n, "unchanged": n}`` as the check found them.
    counts = models.JSONField(default=dict, blank=True)
    #: The first rows of each kind, each ``{"row", "key", "label", "changes"}``.
    preview = models.JSONField(default=dict, blank=True)
    #: Each ``{"file", "row", "column", "value", "message"}``; at most the kit's cap.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    #: Every problem counted by kind, ``[{"kind", "count"}]``, the most frequent first.
    problem_kinds = models.JSONField(default=list, blank=True)
    #: Things worth knowing that stop nothing: columns left out, job shares.
    notes = models.JSONField(default=list, blank=True)
    note_count = models.PositiveIntegerField(default=0)
    #: The repairs that would let a failed file be saved, when the register has any.
    repairs = models.JSONField(default=list, blank=True)
    repair_count = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    #: Where to see what changed once saved.
    result_url = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: When the file was deleted, its retention period over (here, or in the
    #: register's own upload record); what the check found is kept.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "importer", "reference"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still waiting for a check, a decision or a save."""
        return self.status in {ImportStatus.CHECKING, ImportStatus.READY, ImportStatus.SAVING}

    @property
    def more_problems(self) -> int:
        """Problems counted but not kept in full."""
        return max(0, self.problem_count - len(self.problems))


class Submission(models.Model):
    """A form's one-time token, recorded when the form is first submitted.

    A second submission with the same token (a double click, a resent POST)
    does not act again: it goes where the first one went. See
    :mod:`goldenthread.kit.submissions`.
    """

    token = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    #: Where the first submission's answer sent the user.
    redirect_to = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.token
