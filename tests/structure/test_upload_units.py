"""An upload that would add units lists them in the preview; none is added until confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.core import services as core_services
from goldenthread.core.models import Unit
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure import importing
from goldenthread.structure.models import ColumnMappingPreset, Snapshot
from tests.html import select, texts
from tests.structure.conftest import confirm_latest_run, upload

pytestmark = pytest.mark.django_db

POSTS = b"""post_id,reports_to,title,unit
CX1,XX,Chief Executive,
DIR1,CX1,Director of People,people
HOS1,DIR1,Head of Adult Social Care,People / Adult Social Care
DIR2,CX1,Director of Place,Place
HOS2,DIR2,Head of Planning,Place / Planning
TL1,HOS2,Team Leader,Place / Planning / Development Control
"""


def _upload(client, organisation, capture):
    preset, _ = ColumnMappingPreset.objects.get_or_create(
        organisation=organisation,
        name="HR",
        defaults={
            "columns": {
                "post_id": "post_id",
                "reports_to": "reports_to",
                "title": "title",
                "unit": ["unit"],
            }
        },
    )
    upload(client, organisation, "posts.csv", POSTS, capture, extra={"mapping": preset.pk})
    return ImportRun.objects.latest("pk")


def test_the_preview_lists_the_units_saving_would_add_and_adds_none(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    core_services.unit_create(organisation=organisation, code="PEO", name="People")
    run = _upload(editor, organisation, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.READY, run.problems
    page = editor.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    # People is on the Units page already (matched ignoring case); the rest are listed.
    assert texts(page, '.gt-import-list[data-list="units"] li') == [
        "People / Adult Social Care",
        "Place",
        "Place / Planning",
        "Place / Planning / Development Control",
    ]
    assert f"{importing.UNITS_TO_ADD}: 4" in select(page, "h2")
    assert list(Unit.objects.values_list("name", flat=True)) == ["People"]

    confirm_latest_run(editor, organisation, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.summary
    assert Snapshot.objects.count() == 1
    assert set(Unit.objects.values_list("name", flat=True)) == {
        "People",
        "Adult Social Care",
        "Place",
        "Planning",
        "Development Control",
    }


def test_a_discarded_upload_adds_no_unit_and_a_file_of_known_units_lists_none(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = _upload(editor, organisation, django_capture_on_commit_callbacks)
    editor.post(
        reverse("kit:import_discard", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    assert Unit.objects.count() == 0 and Snapshot.objects.count() == 0
    # Once saved, the same units are known: the next upload lists none to add.
    _upload(editor, organisation, django_capture_on_commit_callbacks)
    confirm_latest_run(editor, organisation, django_capture_on_commit_callbacks)
    run = _upload(editor, organisation, django_capture_on_commit_callbacks)
    page = editor.get(
        reverse("kit:import_run", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
    )
    assert texts(page, ".gt-import-list li") == []
