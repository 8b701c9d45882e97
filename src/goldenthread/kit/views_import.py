"""The import kit's pages, the same for every register.

``/o/<org>/imports/<id>/`` follows one upload: its check's progress, then the
preview (or the problems), then the save's progress and its summary. The
register's own upload page creates the run with
:func:`~goldenthread.kit.importing.import_run_create` and redirects here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import OrgRequest, org_view

from . import importing
from .columns import Columns
from .forms import SpreadsheetUploadForm
from .models import ImportRun, ImportStatus
from .pages import Crumbs, bound_files, confirm_page, download, form_page, get_or_404, org_url

NO_SUCH_IMPORTER = "No import of that name"
UPLOADED = "{file} has been uploaded. Nothing is saved until you confirm."
CONFIRM_TITLE = "Save the changes from {file}"
CONFIRMED = "Saving {file}: every change is saved together, or none."
DISCARD_TITLE = "Discard the upload of {file}"
DISCARDED = "The upload of {file} has been discarded. Nothing was saved."
REPAIR_TITLE = "Apply the listed repairs to {file}"
SECTIONS = (
    ("create", "{things} to add"),
    ("update", "{things} to change"),
    ("unchanged", "{things} left as they are"),
)
SAVE_INTRO = (
    "{added} {things} will be added, {changed} changed and {unchanged} left as they are. "
    "Every change is saved together, or none is."
)
REPAIRING = "Checking {file} again with the repairs applied."
FILE_NOT_KEPT = (
    "The uploaded file is no longer kept: files are deleted {hours:g} hour{plural} after "
    "their import ends. What its check found is still shown here."
)
#: A second submit of the same action: the first is under way, so the person
#: is sent to the run with what the first did, not shown an error.
ALREADY = (importing.ALREADY_SAVING, importing.ALREADY_CHECKING, importing.ALREADY_DISCARDED)


def _once(
    act: Callable[[], ImportRun], done: str
) -> tuple[Callable[[], str], Callable[[str], str]]:
    """``act`` for a confirmation page, whose second submit says what the first did."""

    def attempt() -> str:
        try:
            act()
        except ServiceError as refused:
            if refused.message in ALREADY:
                return refused.message
            raise
        return done

    return attempt, lambda message: message


def _file_not_kept() -> str:
    hours = settings.GOLDENTHREAD_UPLOAD_RETENTION_HOURS
    return FILE_NOT_KEPT.format(hours=hours, plural="" if hours == 1 else "s")


def _run(request: OrgRequest, run_id: int) -> ImportRun:
    return get_or_404(importing.import_run_get, request, "import", pk=run_id)


def _crumbs(run: ImportRun, importer: importing.Importer, last: str = "") -> list[tuple[str, str]]:
    crumbs = [(importer.register_label, importer.register_url(run.organisation, run))]
    if last:
        crumbs.append((run.title, _run_url(run)))
        crumbs.append((last, ""))
    else:
        crumbs.append((run.title, ""))
    return crumbs


def _run_url(run: ImportRun) -> str:
    return reverse("kit:import_run", kwargs={"org_slug": run.organisation.slug, "run_id": run.pk})


def _counts_in_words(run: ImportRun, importer: importing.Importer) -> str:
    counts = run.counts
    added = counts.get("create", 0)
    return SAVE_INTRO.format(
        added=added,
        things=importer.thing if added == 1 else importer.things,
        changed=counts.get("update", 0),
        unchanged=counts.get("unchanged", 0),
    )


@org_view(Role.EDITOR)
def import_run(request: OrgRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    importer = importing.importer_get(run.importer)
    job = run.save_job if run.status == ImportStatus.SAVING else run.check_job
    context: dict[str, Any] = {
        "run": run,
        "importer": importer,
        "job": job,
        "crumbs": _crumbs(run, importer),
        "upload_url": importer.upload_url(run),
        "can_repair": run.status == ImportStatus.FAILED
        and run.purged_at is None
        and importer.repairable(run),
        "file_not_kept": _file_not_kept() if run.purged_at else "",
        "can_save": importing.can_save(run),
        "sections": [
            {
                "action": action,
                "heading": heading.format(things=importer.things.capitalize()),
                "changes": action == "update",
                "count": run.counts.get(action, 0),
                "rows": run.preview.get(action, []),
            }
            for action, heading in SECTIONS
        ],
        "preview_limit": importing.PREVIEW_LIMIT,
    }
    return render(request, "kit/import_run.html", context)


@org_view(Role.EDITOR)
def import_confirm(request: OrgRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    importer = importing.importer_get(run.importer)
    act, message = _once(
        lambda: importing.import_run_confirm(run=run, by=request.user),
        CONFIRMED.format(file=run.filename),
    )
    return confirm_page(
        request,
        act,
        done=_run_url(run),
        message=message,
        title=CONFIRM_TITLE.format(file=run.filename),
        crumbs=_crumbs(run, importer, "Save"),
        cancel_url=_run_url(run),
        button="Save these changes",
        intro=_counts_in_words(run, importer),
    )


@org_view(Role.EDITOR)
def import_discard(request: OrgRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    importer = importing.importer_get(run.importer)
    act, message = _once(
        lambda: importing.import_run_discard(run=run, by=request.user),
        DISCARDED.format(file=run.filename),
    )
    return confirm_page(
        request,
        act,
        done=importer.register_url(run.organisation, run),
        message=message,
        title=DISCARD_TITLE.format(file=run.filename),
        crumbs=_crumbs(run, importer, "Discard"),
        cancel_url=_run_url(run),
        button="Discard the upload",
        intro="The file is forgotten and nothing in goldenthread changes.",
        warning=True,
    )


@org_view(Role.EDITOR)
def import_repair(request: OrgRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    importer = importing.importer_get(run.importer)
    act, message = _once(
        lambda: importing.import_run_repair(run=run, by=request.user),
        REPAIRING.format(file=run.filename),
    )
    return confirm_page(
        request,
        act,
        done=_run_url(run),
        message=message,
        title=REPAIR_TITLE.format(file=run.filename),
        crumbs=_crumbs(run, importer, "Repairs"),
        cancel_url=_run_url(run),
        button="Apply the repairs and check again",
        intro=(
            "The file is checked again with these repairs made. Nothing is saved until "
            "you have seen the result and confirmed it."
        ),
        template="kit/import_repair.html",
        context={"run": run},
    )


@org_view()
def import_template(request: OrgRequest, importer: str) -> HttpResponse:
    """The template workbook of a register: its headers, and what each column holds."""
    try:
        found = importing.importer_get(importer)
    except KeyError:
        raise Http404(NO_SUCH_IMPORTER) from None
    if found.columns is None:
        raise Http404(NO_SUCH_IMPORTER)
    return download(
        importing.template_workbook(found.columns),
        organisation=request.organisation,
        what=f"{found.things} import template",
        fmt="xlsx",
    )


__all__ = ["import_confirm", "import_discard", "import_repair", "import_run", "import_template"]


def import_upload_page(
    request: OrgRequest,
    *,
    importer: str,
    columns: Columns,
    title: str,
    intro: str,
    crumbs: Crumbs,
    cancel_url: str,
    options: dict[str, Any] | None = None,
    reference: str = "",
) -> HttpResponse:
    """A register's upload page: the file, the columns it may hold, and the template workbook.

    On a valid upload it keeps the file in an import run, queues the check and
    goes to the run's page; nothing of the register changes until the user
    confirms the preview there. ``options`` and ``reference`` are kept on the
    run, for an import about one record (a quarter's update) to know which.
    """
    return form_page(
        request,
        SpreadsheetUploadForm(*bound_files(request)),
        lambda data: importing.import_run_create(
            organisation=request.organisation,
            importer=importer,
            filename=data["file"].name,
            data=data["file"].read(),
            options=options,
            reference=reference,
            by=request.user,
        ),
        done=lambda run: org_url(request, "kit:import_run", run_id=run.pk),
        message=lambda run: UPLOADED.format(file=run.filename),
        title=title,
        intro=intro,
        crumbs=crumbs,
        cancel_url=cancel_url,
        button="Upload and check",
        template="kit/import_upload.html",
        context={
            "columns": columns,
            "template_url": org_url(request, "kit:import_template", importer=importer),
        },
    )
