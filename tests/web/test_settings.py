"""Production refuses to start half-configured, and passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GOLDENTHREAD_", "DJANGO_"))}


def run(code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**ENV, "DJANGO_SETTINGS_MODULE": "goldenthread.web.settings.production", **extra},
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = "import django; django.setup()"


@pytest.mark.parametrize(
    ("missing", "extra"),
    [
        ("GOLDENTHREAD_SECRET_KEY", {"GOLDENTHREAD_ALLOWED_HOSTS": "tom.example.gov.uk"}),
        ("GOLDENTHREAD_ALLOWED_HOSTS", {"GOLDENTHREAD_SECRET_KEY": "x" * 60}),
    ],
)
def test_production_refuses_to_start_without(missing: str, extra: dict[str, str]) -> None:
    result = run(SETUP, **extra)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_passes_the_deployment_checks() -> None:
    result = run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        GOLDENTHREAD_SECRET_KEY="k3y-" + "q8Zr1vX0pL5mN7tB2cD4fG6hJ9" * 3,
        GOLDENTHREAD_ALLOWED_HOSTS="tom.example.gov.uk",
        GOLDENTHREAD_DB_NAME="unused",
    )
    assert result.returncode == 0, result.stderr + result.stdout
