from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from goldenthread.demo.builder import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Create or refresh the demo organisation and its users. The users' password is "
        "GOLDENTHREAD_DEMO_PASSWORD when set, otherwise a new random one, and is printed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Password for the demo users.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options.get("password") or os.environ.get("GOLDENTHREAD_DEMO_PASSWORD")
        result = demo_load(password=password)
        verb = "Created" if result.created else "Refreshed"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo: {result.organisation}"))
        for username, _, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} ({role}) password: {result.password}")
