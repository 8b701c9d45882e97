"""Uploading a structure: every format, all or nothing, repairs shown before saving."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.core.models import Unit
from goldenthread.jobs.models import JobStatus
from goldenthread.structure import importing
from goldenthread.structure.models import ColumnMappingPreset, Post, Snapshot, StructureUpload
from tests.structure.conftest import latest_job, real_file, upload

pytestmark = pytest.mark.django_db

SMALL = b"""post_id,reports_to,title,grade,unit,fte,cost
CX1,XX,Chief Executive,CEX,,1,187500
DIR1,CX1,Director of People,Director,People,1,135000
DIR2,CX1,Director of Place,Director,Place,1,132000
HOS1,DIR1,Head of Adult Social Care,HoS,People / Adult Social Care,1,98000
HOS2,DIR2,Head of Planning,HoS,Place / Planning,0.8,
"""


def test_a_table_with_the_default_columns_is_mapped_then_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    response = upload(editor, organisation, "posts.csv", SMALL, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert response["Location"] == reverse(
        "structure:upload_mapping", kwargs={"org_slug": organisation.slug, "upload_id": pending.pk}
    )
    page = editor.get(response["Location"])
    assert page.status_code == 200
    # The columns named as the engine names them are chosen already.
    assert page.context["form"]["post_id"].initial == "post_id"
    mapping = {
        "post_id": "post_id",
        "reports_to": "reports_to",
        "title": "title",
        "grade": "grade",
        "unit_1": "unit",
        "fte": "fte",
        "cost": "cost",
        "save_as": "Payroll export",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(page.request["PATH_INFO"], mapping)
    job = latest_job()
    assert job.status == JobStatus.SUCCEEDED, job.problems
    snapshot = Snapshot.objects.get()
    assert job.result_url.endswith(f"/structures/{snapshot.pk}/")
    assert snapshot.post_count == 5
    hos2 = Post.objects.get(snapshot=snapshot, post_id="HOS2")
    assert hos2.cost is None and hos2.fte == 0.8
    assert hos2.manager_position == Post.objects.get(snapshot=snapshot, post_id="DIR2").position
    # Units are the organisation's own tree: Place > Planning.
    assert hos2.unit.name == "Planning" and hos2.unit.parent.name == "Place"
    assert Post.objects.get(post_id="HOS1").cost == Decimal("98000.00")
    # The mapping is remembered for next time.
    assert ColumnMappingPreset.objects.get(organisation=organisation).name == "Payroll export"
    # The upload is one auditable event: the snapshot's history names the user.
    assert snapshot.history.first().history_user.username == "ed"


def test_a_remembered_mapping_skips_the_mapping_step(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={
            "post_id": "post_id",
            "reports_to": "reports_to",
            "title": "title",
            "unit": ["unit"],
        },
    )
    upload(
        editor,
        organisation,
        "posts.csv",
        SMALL,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    assert latest_job().status == JobStatus.SUCCEEDED
    assert Post.objects.count() == 5


def test_a_cycle_is_listed_with_row_and_column_and_nothing_is_saved(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    bad = b"""post_id,reports_to,title
A,C,First
B,A,Second
C,B,Third
D,NOPE,Fourth
"""
    units_before = Unit.objects.count()
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to"},
    )
    upload(
        editor,
        organisation,
        "bad.csv",
        bad,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    job = latest_job()
    assert job.status == JobStatus.FAILED
    assert job.summary.startswith("2 problems found in bad.csv. Nothing was saved.")
    rows = {(p["row"], p["column"]) for p in job.problems}
    assert (5, "reports_to") in rows
    assert any("cycle" in p["message"] for p in job.problems)
    assert all("expected" in p["message"] for p in job.problems)
    assert Snapshot.objects.count() == 0 and Post.objects.count() == 0
    assert Unit.objects.count() == units_before


def test_the_dwp_file_shows_its_problems_and_saves_nothing(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("300913-DWP.xls-senior.csv")
    upload(editor, organisation, path.name, path.read_bytes(), django_capture_on_commit_callbacks)
    job = latest_job()
    assert job.status == JobStatus.FAILED
    assert len(job.problems) == 2
    assert {p["row"] for p in job.problems} == {13, 116}
    assert all(p["file"] == path.name for p in job.problems)
    assert Snapshot.objects.count() == 0
    page = editor.get(
        reverse("jobs:job_detail", kwargs={"org_slug": organisation.slug, "job_id": job.pk})
    )
    assert b"DWP135" in page.content


def test_the_lenient_choice_shows_each_repair_before_saving(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("300913-DWP.xls-senior.csv")
    upload(
        editor,
        organisation,
        path.name,
        path.read_bytes(),
        django_capture_on_commit_callbacks,
        problems="lenient",
    )
    check = latest_job()
    assert check.kind == importing.CHECK_KIND
    assert check.status == JobStatus.SUCCEEDED, check.problems
    assert Snapshot.objects.count() == 0
    review = editor.get(check.result_url)
    assert b"DWP135~2" in review.content
    count = len(check.problems)
    assert f"{count} repair{'s' if count != 1 else ''} and note{'s' if count != 1 else ''}" in (
        review.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(check.result_url)
    job = latest_job()
    assert job.kind == importing.IMPORT_KIND and job.status == JobStatus.SUCCEEDED
    snapshot = Snapshot.objects.get()
    assert Post.objects.filter(
        snapshot=snapshot, post_id="DWP135~2", manager_position=None
    ).exists()


def test_an_organogram_pair_adds_junior_staff_to_their_senior_posts(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    senior = real_file("ministry_of_defence-2016-03-31-senior.csv")
    junior = real_file("ministry_of_defence-2016-03-31-junior.csv")
    upload(
        editor,
        organisation,
        senior.name,
        senior.read_bytes(),
        django_capture_on_commit_callbacks,
        junior=(junior.name, junior.read_bytes()),
        problems="lenient",
    )
    check = latest_job()
    assert check.status == JobStatus.SUCCEEDED, check.summary
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(check.result_url)
    job = latest_job()
    assert job.status == JobStatus.SUCCEEDED, job.summary
    snapshot = Snapshot.objects.get()
    total_junior = sum(Post.objects.filter(snapshot=snapshot).values_list("junior_fte", flat=True))
    assert total_junior == pytest.approx(191_423.6, abs=1)


def test_a_council_transparency_file_is_read_without_ids(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    path = real_file("trafford_council_organisation_structure.csv")
    upload(editor, organisation, path.name, path.read_bytes(), django_capture_on_commit_callbacks)
    job = latest_job()
    assert job.status == JobStatus.SUCCEEDED, job.problems
    snapshot = Snapshot.objects.get()
    assert snapshot.post_count == 80
    assert snapshot.matched_by != "post ID"


def test_a_file_that_is_not_a_table_is_refused_on_the_form(editor, organisation) -> None:
    response = editor.post(
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
        {"name": "x", "kind": "as_is", "fmt": "auto", "problems": "strict"},
    )
    assert response.status_code == 200
    assert "Choose the file to upload" in response.content.decode()
    assert StructureUpload.objects.count() == 0
