from __future__ import annotations

from django.db.models import QuerySet

from goldenthread.accounts.models import Organisation

from .models import Job


def job_list(*, organisation: Organisation) -> QuerySet[Job]:
    return Job.objects.filter(organisation=organisation).select_related("created_by")


def job_get(*, organisation: Organisation, pk: int) -> Job:
    return job_list(organisation=organisation).get(pk=pk)
