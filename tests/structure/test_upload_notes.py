"""An upload's notes (a job share) are shown as notes: never as problems or repairs, and
still after the file has been saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure.models import ColumnMappingPreset
from tests.html import texts
from tests.structure.conftest import upload

pytestmark = pytest.mark.django_db

JOB_SHARE = "post DIR1 is a job share of 2 rows (rows 3, 4); FTE summed to 1"

POSTS = b"""post_id,reports_to,title,fte
CX1,XX,Chief Executive,1
DIR1,CX1,Director of People,0.5
DIR1,CX1,Director of People,0.5
HOS1,NOPE,Head of Care,1
"""


def _run_page(client, organisation, run):
    return client.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )


def _post(client, organisation, run, page):
    return client.post(
        reverse(f"kit:{page}", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )


def test_a_job_share_is_a_note_before_and_after_the_file_is_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to", "title": "title", "fte": "fte"},
    )
    capture = django_capture_on_commit_callbacks
    upload(editor, organisation, "posts.csv", POSTS, capture, extra={"mapping": preset.pk})
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.FAILED
    page = _run_page(editor, organisation, run)
    # The unknown manager is the problem, and its repair the only repair offered.
    problems = texts(page, '.gt-import-findings[data-kind="problems"] tbody td:last-child')
    repairs = texts(page, '.gt-import-findings[data-kind="repairs"] tbody td:last-child')
    assert len(problems) == 1 and "NOPE" in page.content.decode()
    assert len(repairs) == 1 and JOB_SHARE not in repairs
    assert texts(page, ".gt-import-notes tbody td:last-child") == [JOB_SHARE]

    with capture(execute=True):
        _post(editor, organisation, run, "import_repair")
    run.refresh_from_db()
    assert run.status == ImportStatus.READY, run.problems
    with capture(execute=True):
        _post(editor, organisation, run, "import_confirm")
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.summary
    page = _run_page(editor, organisation, run)
    assert texts(page, ".gt-import-findings[data-kind=problems]") == []
    assert JOB_SHARE in texts(page, ".gt-import-notes tbody td:last-child")
