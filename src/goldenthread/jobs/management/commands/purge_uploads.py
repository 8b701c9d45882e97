"""``goldenthread manage purge_uploads``: delete uploads kept past their retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from goldenthread.jobs.recovery import uploads_purge


class Command(BaseCommand):
    help = (
        "Delete the files of uploads whose work ended GOLDENTHREAD_UPLOAD_RETENTION_HOURS ago "
        "(and of imports left unconfirmed that long). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in uploads_purge().items():
            self.stdout.write(f"{name}: {count} deleted")
