"""An upload left on its mapping page past the retention period says its file is gone.

A review found that the purge emptied a file waiting on its mapping page and
a later submit checked the empty file; and that a mapping submitted at the
moment of the purge could lose its file to it.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.jobs.recovery import uploads_purge
from goldenthread.kit.models import ImportRun
from goldenthread.structure import inspect, registrations, services
from goldenthread.structure.models import StructureUpload
from tests.factories import OrganisationFactory, member
from tests.html import hrefs, texts
from tests.structure.conftest import upload

POSTS = b"Post ref,Manager ref,Job title\nCX1,,Chief Executive\nDIR1,CX1,Director\n"
LATER = dt.timedelta(days=2)


def _mapping_url(organisation, pending: StructureUpload) -> str:
    kwargs = {"org_slug": organisation.slug, "upload_id": pending.pk}
    return reverse("structure:upload_mapping", kwargs=kwargs)


@pytest.mark.django_db
def test_a_purged_uploads_mapping_page_says_so_and_leads_to_a_new_upload(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", POSTS, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    assert uploads_purge(now=timezone.now() + LATER)["structure uploads"] == 1
    url = _mapping_url(organisation, pending)
    for page in (
        editor.get(url),
        editor.post(url, {"post_id": "Post ref", "reports_to": "Manager ref"}),
    ):
        assert texts(page, "h1") == ["The file is no longer kept"]
        assert texts(page, ".gt-not-kept") == [services.upload_not_kept_message(pending)]
        upload_url = reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug})
        assert upload_url in hrefs(page, "main a")
    pending.refresh_from_db()
    assert pending.mapping == {} and not ImportRun.objects.exists()


@pytest.mark.django_db
def test_no_import_starts_from_a_purged_upload(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    upload(editor, organisation, "posts.csv", POSTS, django_capture_on_commit_callbacks)
    pending = StructureUpload.objects.get()
    uploads_purge(now=timezone.now() + LATER)
    with pytest.raises(ServiceError) as refused:
        inspect.upload_import_start(upload=pending, by=None)
    assert refused.value.message == services.upload_not_kept_message(pending)
    assert not ImportRun.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_mapping_submitted_during_the_purge_never_loses_its_file(monkeypatch) -> None:
    """The purge decides, then an import starts before it discards: one of them wins whole."""
    organisation = OrganisationFactory()
    editor = member(organisation, Role.EDITOR, username="ed")
    pending = services.upload_create(
        organisation=organisation,
        filename="posts.csv",
        data=POSTS,
        fmt="table",
        lenient=False,
        snapshot_fields={},
        by=editor,
    )
    decided, started = threading.Event(), threading.Event()
    real = registrations.import_file_purged

    def decide_then_let_the_import_start(**kwargs: object) -> bool:
        answer = real(**kwargs)  # type: ignore[arg-type]
        decided.set()
        started.wait(timeout=2)  # the lock, held now, keeps the import waiting
        return answer

    monkeypatch.setattr(registrations, "import_file_purged", decide_then_let_the_import_start)
    outcome: list[object] = []

    def start_import() -> None:
        try:
            decided.wait(timeout=10)
            inspect.upload_import_start(upload=pending, by=editor)
            outcome.append("started")
        except ServiceError as refused:
            outcome.append(refused.message)
        finally:
            started.set()
            connections.close_all()

    racer = threading.Thread(target=start_import)
    racer.start()
    uploads_purge(now=timezone.now() + LATER)
    racer.join()
    kept = bool(bytes(StructureUpload.objects.get(pk=pending.pk).data))
    if outcome == ["started"]:
        assert kept and ImportRun.objects.filter(organisation=organisation).exists()
    else:
        assert outcome == [services.upload_not_kept_message(pending)]
        assert not kept and not ImportRun.objects.filter(organisation=organisation).exists()
