"""The redundancy bands register: list, add, change, delete, import with preview, export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.kit.models import ImportRun
from goldenthread.structure import services
from goldenthread.structure.models import RedundancyBand
from tests.html import error_summary, texts
from tests.submitting import submit

pytestmark = pytest.mark.django_db


def _url(organisation, name: str, **kwargs) -> str:
    return reverse(f"structure:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def _band(organisation, grade: str, cost: str) -> RedundancyBand:
    return services.redundancy_band_create(
        organisation=organisation, grade=grade, cost=Decimal(cost), by=None
    )


def test_the_list_shows_every_band_in_a_fixed_number_of_queries(
    admin, organisation, django_assert_num_queries
) -> None:
    for n in range(25):
        _band(organisation, f"Grade {n:02d}", f"{20000 + n * 500}")
    url = _url(organisation, "band_list")
    admin.get(url)
    with django_assert_num_queries(7):
        page = admin.get(url, {"sort": "cost", "order": "desc", "q": "Grade"})
    assert texts(page, "tbody tr")[0] == "Grade 24 £32,000"


def test_an_admin_adds_changes_and_deletes_a_band(admin, organisation) -> None:
    response = submit(admin, _url(organisation, "band_create"), {"grade": "PO1", "cost": "18500"})
    assert response.status_code == 302
    band = RedundancyBand.objects.get(organisation=organisation)
    assert (band.grade, band.cost) == ("PO1", Decimal("18500.00"))
    taken = submit(admin, _url(organisation, "band_create"), {"grade": "po1", "cost": "1"})
    assert error_summary(taken) == [services.GRADE_TAKEN.format(grade="po1")]
    negative = submit(admin, _url(organisation, "band_create"), {"grade": "SO2", "cost": "-1"})
    assert error_summary(negative) == ["The cost of a redundancy cannot be negative"]
    edit = _url(organisation, "band_edit", band_id=band.pk)
    submit(admin, edit, {"cost": "19000.50"})
    band.refresh_from_db()
    assert band.cost == Decimal("19000.50")
    delete = _url(organisation, "band_delete", band_id=band.pk)
    submit(admin, delete, {})
    assert not RedundancyBand.objects.exists()
    assert RedundancyBand.history.filter(history_type="-").get().history_user.username == "ad"


def test_an_editor_reads_the_bands_but_does_not_change_them(editor, organisation) -> None:
    band = _band(organisation, "PO1", "18500")
    assert editor.get(_url(organisation, "band_list")).status_code == 200
    assert editor.get(_url(organisation, "band_create")).status_code == 403
    assert editor.get(_url(organisation, "band_edit", band_id=band.pk)).status_code == 403


def test_a_file_of_bands_is_previewed_then_saved_and_exports_again(
    admin, organisation, django_capture_on_commit_callbacks
) -> None:
    _band(organisation, "PO1", "18500")
    data = b'Grade,Cost of a redundancy\npo1,19000\nSO2,"\xc2\xa316,250.50"\nSM2,-5\n'
    file = io.BytesIO(data)
    file.name = "bands.csv"
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(_url(organisation, "band_import"), {"file": file})
    run = ImportRun.objects.latest("pk")
    assert run.status == "failed" or run.problems
    assert any("expected an amount of 0 or more" in str(p) for p in run.problems)
    assert RedundancyBand.objects.count() == 1

    file = io.BytesIO(data.replace(b"SM2,-5\n", b""))
    file.name = "bands.csv"
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(_url(organisation, "band_import"), {"file": file})
    run = ImportRun.objects.latest("pk")
    assert run.status == "ready", run.problems
    confirm = reverse(
        "kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(confirm)
    run.refresh_from_db()
    assert run.status == "done", run.summary
    bands = dict(RedundancyBand.objects.values_list("grade", "cost"))
    assert bands == {"po1": Decimal("19000.00"), "SO2": Decimal("16250.50")}
    export = admin.get(_url(organisation, "band_export", fmt="csv"))
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "grade,cost"
    assert sorted(lines[1:]) == ["SO2,16250.50", "po1,19000.00"]
