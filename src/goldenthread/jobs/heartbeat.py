"""The heartbeat of a running job: a thread that writes it on a database connection of its own.

The handler's writes happen in one transaction; a heartbeat written through
that transaction would be seen by no one until it commits, and on PostgreSQL
it would also hold the job's row. So a daemon thread, with its own connection
(Django gives each thread one), writes ``heartbeat_at`` every
``GOLDENTHREAD_JOB_HEARTBEAT_SECONDS`` and the latest progress when it is
asked to. It closes its connection when it stops.

SQLite has a single writer: while the handler's transaction holds it, the
thread's write waits (for the busy timeout) and then gives up until the next
beat. That is why, on SQLite, :class:`~.progress.Progress` writes progress and
the heartbeat through the handler's own connection: they commit with the
save, so the heartbeat is fresh the moment the save ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from .models import Job, JobStatus

logger = logging.getLogger(__name__)

#: Longest wait for the thread to stop: a write held up by SQLite's busy
#: timeout (5 s) finishes or gives up within it.
STOP_TIMEOUT_SECONDS = 10.0


class Heartbeat:
    """Writes a running job's heartbeat (and progress) until stopped."""

    def __init__(
        self,
        job_id: int,
        state: Callable[[], dict[str, Any]],
        interval: float | None = None,
    ) -> None:
        self.job_id = job_id
        self.state = state
        self.interval = float(
            interval if interval is not None else settings.GOLDENTHREAD_JOB_HEARTBEAT_SECONDS
        )
        self.beats = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"job-{job_id}-heartbeat", daemon=True
        )

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def poke(self) -> None:
        """Write the progress now rather than at the next beat."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(STOP_TIMEOUT_SECONDS)

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.interval)
                self._wake.clear()
                if self._stopping.is_set():
                    return
                self.beat()
        finally:
            connections.close_all()  # this thread's connections only

    def beat(self) -> None:
        try:
            Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                heartbeat_at=timezone.now(), **self.state()
            )
        except DatabaseError as error:
            # SQLite busy with the handler's save: the save's own progress
            # writes carry the heartbeat meanwhile.
            logger.debug("job %s: heartbeat not written (%s)", self.job_id, error)
        else:
            self.beats += 1
