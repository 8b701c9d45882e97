"""Fixtures for the structure pages: an organisation, its members and uploads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs.models import Job
from tests.factories import PASSWORD, OrganisationFactory, member

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"


def real_file(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"the real data file {name} is not available (see SOURCES.md)")
    return path


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


@pytest.fixture
def viewer(client, organisation):
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    return client


@pytest.fixture
def admin(client, organisation):
    member(organisation, Role.ADMIN, username="ad")
    client.login(username="ad", password=PASSWORD)
    return client


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def upload(
    client,
    organisation,
    name: str,
    data: bytes,
    capture,
    *,
    junior: tuple[str, bytes] | None = None,
    fmt: str = "auto",
    problems: str = "strict",
    snapshot_name: str = "As-is",
    extra: dict | None = None,
):
    """Post an upload, run the jobs it queues, and return the response."""
    payload = {
        "name": snapshot_name,
        "kind": "as_is",
        "fmt": fmt,
        "problems": problems,
        "file": named(name, data),
        **(extra or {}),
    }
    if junior:
        payload["junior_file"] = named(*junior)
    with capture(execute=True):
        response = client.post(
            reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}), payload
        )
    return response


def latest_job() -> Job:
    return Job.objects.latest("pk")


def confirm_latest_run(client, organisation, capture):
    """Confirm the newest import run's preview and run its save: the upload becomes a snapshot."""
    from goldenthread.kit.models import ImportRun

    run = ImportRun.objects.latest("pk")
    assert run.status == "ready", run.problems
    with capture(execute=True):
        client.post(
            reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    run.refresh_from_db()
    assert run.status == "done", run.summary
    return run
