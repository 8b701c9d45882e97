from __future__ import annotations

from django.db.models import QuerySet

from goldenthread.accounts.models import Organisation

from .models import Job

#: What a list of jobs shows: never the problems, parameters or summaries,
#: whose size a file can choose.
LIST_FIELDS = (
    "id",
    "organisation",
    "kind",
    "title",
    "status",
    "stage",
    "done",
    "total",
    "result_url",
    "created_at",
    "started_at",
    "finished_at",
    "created_by",
    "created_by__username",
)
#: What the progress panel shows.
PROGRESS_FIELDS = (*LIST_FIELDS[:-2], "organisation__slug")


def job_list(*, organisation: Organisation) -> QuerySet[Job]:
    return (
        Job.objects.filter(organisation=organisation)
        .select_related("created_by")
        .only(*LIST_FIELDS)
    )


def job_get(*, organisation: Organisation, pk: int) -> Job:
    """One job with its first problems (they are capped when stored), not its parameters."""
    return (
        Job.objects.filter(organisation=organisation)
        .select_related("created_by")
        .defer("parameters")
        .get(pk=pk)
    )


def job_progress_get(*, organisation: Organisation, pk: int) -> Job:
    """One job's progress alone, polled every second while it runs."""
    return (
        Job.objects.filter(organisation=organisation)
        .select_related("organisation")
        .only(*PROGRESS_FIELDS)
        .get(pk=pk)
    )
