from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from goldenthread.accounts.tenancy import NOT_FOUND, OrgRequest, can_open, get_or_404, org_view

from . import selectors
from .models import Job

NO_SUCH_JOB = NOT_FOUND.format(thing="job")


def _job_or_404(request: OrgRequest, job_id: int) -> Job:
    return get_or_404(selectors.job_get, request, "job", pk=job_id)


@org_view()
def job_list(request: OrgRequest) -> HttpResponse:
    jobs = selectors.job_list(organisation=request.organisation)[:100]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@org_view()
def job_detail(request: OrgRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    # A viewer sees the job, but is offered its result only if their role opens it.
    show_result = bool(job.result_url) and can_open(request, job.result_url)
    return render(request, "jobs/job_detail.html", {"job": job, "show_result": show_result})


@org_view()
def job_progress(request: OrgRequest, job_id: int) -> HttpResponse:
    """The progress panel alone, polled by the job page while the job runs."""
    job = get_or_404(selectors.job_progress_get, request, "job", pk=job_id)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request") == "true":
        # Reload the whole page once, so the result and any problems show.
        response["HX-Refresh"] = "true"
    return response
