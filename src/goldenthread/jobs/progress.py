"""What a job handler is given: its progress, its problems, its input; and how it fails.

A handler receives a :class:`Progress`. It reports progress as it goes (each
report is committed at once, so the page polling the job sees it), records
problems, and does its writes inside one transaction of its own: if it raises
:class:`JobFailed` or anything else, nothing it wrote is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from goldenthread.accounts.models import Organisation

from .findings import Findings
from .models import Job, JobInput

if TYPE_CHECKING:
    from .heartbeat import Heartbeat

#: Progress is written at most this often, so a fast loop does not spend its
#: time updating the job row.
PROGRESS_INTERVAL_SECONDS = 0.25


class JobFailed(Exception):
    """Raised by a handler that has found problems: the job fails and nothing is saved."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


@dataclass
class Progress:
    job: Job
    #: The first problems, with the count of all and the count by kind.
    problems: Findings = field(default_factory=Findings)
    #: The running job's heartbeat, which writes progress on its own connection.
    heartbeat: Heartbeat | None = None
    _last_write: float = 0.0

    @property
    def organisation(self) -> Organisation:
        return self.job.organisation

    def input_bytes(self) -> tuple[str, bytes]:
        job_input = JobInput.objects.get(job=self.job)
        return job_input.filename, bytes(job_input.data)

    def stage(self, stage: str, total: int = 0) -> None:
        self.job.stage = stage
        self.job.total = total
        self.job.done = 0
        self._save(force=True)

    def advance(self, done: int) -> None:
        self.job.done = done
        self._save()

    def problem(
        self,
        *,
        message: str,
        file: str = "",
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        kind: str | None = None,
    ) -> None:
        """Record a problem; ``kind`` (else the message without its values) groups the count."""
        self.problems.add(
            {"file": file, "row": row, "column": column, "value": value, "message": message}, kind
        )

    def state(self) -> dict[str, Any]:
        """The progress as the job row holds it."""
        return {"stage": self.job.stage[:200], "done": self.job.done, "total": self.job.total}

    def beat(self) -> None:
        """Write the progress and the heartbeat now (before a long step, or at its end)."""
        self._save(force=True)

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_write = now
        if connection.in_atomic_block and connection.vendor != "sqlite" and self.heartbeat:
            # Inside the handler's transaction the write would be seen only at
            # its commit and would hold the job's row: the heartbeat's own
            # connection writes it at once.
            self.heartbeat.poke()
            return
        # Outside a transaction the write is seen at once; inside one on SQLite
        # (one writer: the heartbeat's connection waits) it commits with the save.
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **self.state())
