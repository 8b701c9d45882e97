"""A background job: an import, a report or a simulation, run by the task worker.

The job row is what the page polls for progress; the uploaded file travels in
:class:`JobInput` so that a worker in another process (or on another machine)
can read it from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from goldenthread.accounts.models import Organisation


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was saved"


class Job(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=60, help_text="The registered handler that runs the job.")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    #: The first problems found (at most the cap in :mod:`.findings`), each
    #: {"file", "row", "column", "value", "message"}.
    problems = models.JSONField(default=list, blank=True)
    #: Every problem found, counted, and counted by kind: ``[{"kind", "count"}]``.
    problem_count = models.PositiveIntegerField(default=0)
    problem_kinds = models.JSONField(default=list, blank=True)
    #: Where the result can be seen once the job has succeeded.
    result_url = models.CharField(max_length=500, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Written every few seconds while the job runs: a job whose heartbeat has
    #: stopped was lost with its worker (see :func:`.recovery.jobs_recover`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def problems_found(self) -> int:
        """Every problem found, those kept in full and the rest."""
        return max(self.problem_count, len(self.problems))

    @property
    def more_problems(self) -> int:
        """Problems counted but not kept in full."""
        return self.problems_found - len(self.problems)


class JobInput(models.Model):
    """The file a job works on, kept in the database for the worker."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="input")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
