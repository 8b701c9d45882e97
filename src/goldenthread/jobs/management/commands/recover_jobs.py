"""``goldenthread manage recover_jobs``: mark failed the jobs lost with their worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from goldenthread.jobs.recovery import jobs_recover


class Command(BaseCommand):
    help = (
        "Mark failed every running job whose worker stopped (its heartbeat is older than "
        "GOLDENTHREAD_JOB_STALE_SECONDS), saying so on its page. Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = jobs_recover()
        for job in recovered:
            self.stdout.write(f"job {job.pk} ({job.title}): {job.get_status_display()}")
        self.stdout.write(f"{len(recovered)} lost job{'' if len(recovered) == 1 else 's'} found.")
