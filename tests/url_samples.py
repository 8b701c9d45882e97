"""How the URL walks fill in each URL argument, for the organisation under test.

Every URL pattern of the project is walked by tests/test_isolation.py. When a
view adds a URL argument that is not listed here, that test fails and names
it: add a function that returns a real value from the organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.core.models import Unit
from goldenthread.jobs.models import Job
from goldenthread.jobs.services import job_create


def _unit(organisation: Organisation) -> Unit:
    return Unit.objects.filter(organisation=organisation).order_by("pk").first()  # type: ignore[return-value]


def _job(organisation: Organisation) -> int:
    job = Job.objects.filter(organisation=organisation).first()
    if job is None:
        job = job_create(
            organisation=organisation,
            kind="core.units_import",
            title="Sample import",
            created_by=None,
            filename="units.csv",
            data=b"code,name\n",
        )
    return job.pk


SAMPLES: dict[str, Callable[[Organisation], Any]] = {
    "org_slug": lambda org: org.slug,
    "membership_id": lambda org: Membership.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "unit_id": lambda org: _unit(org).pk,
    "job_id": _job,
    "model_label": lambda org: "core.unit",
    "object_id": lambda org: _unit(org).pk,
    "fmt": lambda org: "xlsx",
}
