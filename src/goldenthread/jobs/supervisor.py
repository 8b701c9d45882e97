"""Keeping a task worker running beside the web server (``goldenthread serve``).

:class:`WorkerSupervisor` starts the worker as a child process and looks at it
every ``poll_seconds`` from a thread of its own. A worker that has stopped is
logged, the jobs it was running are recovered at once (they failed with it),
and a new worker is started after a short wait that grows while workers keep
stopping soon after they start. Every :data:`~.recovery.MAINTENANCE_SECONDS`
it also recovers jobs lost elsewhere and purges old uploads. :meth:`stop`
ends the worker with the server.

Nothing here imports Django: the process to start and what to do on its
death are given, so the logic is tested with stand-in processes.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Protocol

logger = logging.getLogger(__name__)

#: Seconds before each restart, while workers keep stopping within
#: STABLE_SECONDS of starting; a worker that ran longer restarts after the first.
BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
STABLE_SECONDS = 60.0
#: Seconds a stopping worker is given to finish its job before it is killed.
STOP_GRACE_SECONDS = 10.0


class Child(Protocol):
    pid: int
    returncode: int | None

    def poll(self) -> int | None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


def _spawn(command: Sequence[str]) -> Child:
    # A session of its own: Ctrl+C in the terminal reaches the server, which
    # stops the worker itself, rather than both at once. The command is the
    # caller's own (this interpreter and fixed arguments), never user input.
    return subprocess.Popen(list(command), start_new_session=True)  # noqa: S603


class WorkerSupervisor:
    """Runs ``command(worker_id)`` as a child, restarts it when it stops, stops it on request."""

    def __init__(
        self,
        command: Callable[[str], Sequence[str]],
        *,
        on_death: Callable[[str], None] = lambda worker: None,
        maintain: Callable[[], None] = lambda: None,
        maintain_seconds: float = 60.0,
        poll_seconds: float = 1.0,
        backoff: Sequence[float] = BACKOFF_SECONDS,
        spawn: Callable[[Sequence[str]], Child] = _spawn,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = command
        self.on_death = on_death
        self.maintain = maintain
        self.maintain_seconds = maintain_seconds
        self.poll_seconds = poll_seconds
        self.backoff = tuple(backoff)
        self.spawn = spawn
        self.clock = clock
        self.child: Child | None = None
        self.worker_id = ""
        self.restarts = 0
        self._quick_deaths = 0
        self._started_at = 0.0
        self._restart_at = 0.0
        self._next_maintenance = 0.0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> WorkerSupervisor:
        """Start the worker, and the thread that watches it."""
        self._start_child()
        self._next_maintenance = self.clock() + self.maintain_seconds
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()
        return self

    def _start_child(self) -> None:
        self.worker_id = f"serve-{uuid.uuid4().hex[:12]}"
        self.child = self.spawn(self.command(self.worker_id))
        self._started_at = self.clock()

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_seconds):
            try:
                self.check()
            except Exception:  # the watch goes on whatever one look ran into
                logger.exception("looking after the task worker")

    def check(self) -> None:
        """One look: a stopped worker is recovered from and restarted; maintenance when due."""
        now = self.clock()
        if self.child is not None and self.child.poll() is not None:
            lived = now - self._started_at
            self._quick_deaths = self._quick_deaths + 1 if lived < STABLE_SECONDS else 0
            delay = self.backoff[min(max(self._quick_deaths - 1, 0), len(self.backoff) - 1)]
            logger.warning(
                "The task worker (process %s) stopped with exit code %s after %.0f s; "
                "any job it was running is marked failed and a new worker starts in %g s.",
                self.child.pid,
                self.child.returncode,
                lived,
                delay,
            )
            dead, self.child = self.worker_id, None
            self._restart_at = now + delay
            self.on_death(dead)
        if self.child is None and not self._stopping.is_set() and now >= self._restart_at:
            self._start_child()
            self.restarts += 1
            logger.warning(
                "Task worker restarted (process %s, restart %s).",
                self.child.pid if self.child else "?",
                self.restarts,
            )
        if now >= self._next_maintenance:
            self._next_maintenance = now + self.maintain_seconds
            self.maintain()

    def stop(self) -> None:
        """Stop watching, then stop the worker: asked first, killed if it does not stop."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(self.poll_seconds + STOP_GRACE_SECONDS)
        child, self.child = self.child, None
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
