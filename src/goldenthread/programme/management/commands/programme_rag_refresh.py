"""``goldenthread manage programme_rag_refresh``: assess every action's RAG for today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from goldenthread.programme.rag.services import rag_refresh_everywhere


class Command(BaseCommand):
    help = (
        "Assess the current and forecast year-end RAG of every organisation's actions for "
        "today, end overrides past their end date, and record every change. Run it daily "
        "(a RAG depends on the day). Safe to run at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, help="Assess as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for slug, changed in rag_refresh_everywhere(by=None, today=options["on"]).items():
            self.stdout.write(f"{slug}: {changed} actions changed")
