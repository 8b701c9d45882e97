"""What a job handler is given: its progress, its problems, its input; and how it fails.

A handler receives a :class:`Progress`. It reports progress as it goes (each
report is committed at once, so the page polling the job sees it), records
problems, and does its writes inside one transaction of its own: if it raises
:class:`JobFailed` or anything else, nothing it wrote is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from goldenthread.accounts.models import Organisation

from .models import Job, JobInput

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
    problems: list[dict[str, Any]] = field(default_factory=list)
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
    ) -> None:
        self.problems.append(
            {"file": file, "row": row, "column": column, "value": value, "message": message}
        )

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < PROGRESS_INTERVAL_SECONDS:
            return
        self._last_write = now
        # A separate, immediate write: the handler's own transaction has not begun
        # yet (progress is reported while checking, before saving).
        Job.objects.filter(pk=self.job.pk).update(
            stage=self.job.stage, done=self.job.done, total=self.job.total
        )
