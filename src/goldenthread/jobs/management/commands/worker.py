"""``goldenthread manage worker``: the task worker, also looking after lost jobs and old uploads.

It is django-tasks-db's ``db_worker`` (same options) that first recovers the
jobs lost with a worker that stopped and purges uploads past their retention,
and then does both again every few minutes while it waits for jobs.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from goldenthread.jobs.recovery import MAINTENANCE_SECONDS, maintain


def _maintain_every(seconds: float, stopping: threading.Event) -> None:
    try:
        while not stopping.wait(seconds):
            maintain()
    finally:
        connections.close_all()


class Command(DBWorkerCommand):
    help = (
        "Run the background task worker: recover lost jobs and purge old uploads, then run "
        "queued jobs (and look after both again every minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        maintain()
        stopping = threading.Event()
        if not options.get("batch"):
            threading.Thread(
                target=_maintain_every,
                args=(MAINTENANCE_SECONDS, stopping),
                name="worker-maintenance",
                daemon=True,
            ).start()
        try:
            super().handle(*args, **options)
        finally:
            stopping.set()
