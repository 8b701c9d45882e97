"""Every upload form refuses a file over the size limit by its size alone, naming the
field and the limit; no more of such a file is kept than the limit, and nothing is
saved or queued. A workbook that is not a zip archive is refused by its first bytes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import override_settings
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.jobs.models import Job
from goldenthread.kit.forms import FILE_TOO_BIG, NOT_A_WORKBOOK, size_in_words
from goldenthread.kit.models import ImportRun
from goldenthread.structure.models import StructureUpload
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_links, texts

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024
#: Small, so that a file near the limit is streamed to a temporary file as a large one is.
IN_MEMORY = 16 * 1024


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Somerset Council", slug="somerset")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def csv_of(size: int) -> bytes:
    head = b"code,name\n"
    return head + b"x" * (size - len(head))


def structure_payload(file: io.BytesIO) -> dict[str, object]:
    return {"name": "As-is", "kind": "as_is", "fmt": "auto", "problems": "strict", "file": file}


FORMS = [
    ("structure:snapshot_upload", structure_payload, "The file of posts"),
    ("core:unit_import", lambda file: {"file": file}, "The selected file"),
]


@pytest.fixture
def bytes_kept(monkeypatch) -> list[int]:
    """How many bytes of each upload Django's temporary-file handler was given."""
    kept: list[int] = []
    real = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        kept.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return kept


def _nothing_saved() -> bool:
    return not (
        StructureUpload.objects.exists() or ImportRun.objects.exists() or Job.objects.exists()
    )


@override_settings(GOLDENTHREAD_MAX_UPLOAD_BYTES=LIMIT, FILE_UPLOAD_MAX_MEMORY_SIZE=IN_MEMORY)
@pytest.mark.parametrize(("url_name", "payload", "field"), FORMS)
def test_a_file_over_the_limit_is_refused_naming_the_field_and_the_limit(
    editor, organisation, bytes_kept, url_name, payload, field
) -> None:
    url = reverse(url_name, kwargs={"org_slug": organisation.slug})
    too_big = csv_of(LIMIT * 4)
    response = editor.post(url, payload(named("big.csv", too_big)))
    assert response.status_code == 200
    message = FILE_TOO_BIG.format(what=field, limit="64KB")
    assert error_links(response) == {"#id_file": message}
    assert texts(response, "#id_file-error") == [f"Error: {message}"]
    assert _nothing_saved()
    # The file was not kept past the limit, on disk or in memory.
    assert sum(bytes_kept) <= LIMIT


@override_settings(GOLDENTHREAD_MAX_UPLOAD_BYTES=LIMIT, FILE_UPLOAD_MAX_MEMORY_SIZE=IN_MEMORY)
def test_a_file_at_the_limit_is_kept_whole(editor, organisation) -> None:
    data = csv_of(LIMIT)
    response = editor.post(
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}),
        structure_payload(named("posts.csv", data)),
    )
    assert response.status_code == 302
    assert bytes(StructureUpload.objects.get().data) == data


@override_settings(GOLDENTHREAD_MAX_UPLOAD_BYTES=LIMIT, FILE_UPLOAD_MAX_MEMORY_SIZE=IN_MEMORY)
def test_a_junior_file_over_the_limit_is_named_in_the_message(editor, organisation) -> None:
    payload = structure_payload(named("senior.csv", csv_of(1024)))
    payload["junior_file"] = named("junior.csv", csv_of(LIMIT + 1))
    response = editor.post(
        reverse("structure:snapshot_upload", kwargs={"org_slug": organisation.slug}), payload
    )
    assert error_links(response) == {
        "#id_junior_file": FILE_TOO_BIG.format(what="The junior staff file", limit="64KB")
    }
    assert _nothing_saved()


@pytest.mark.parametrize(("url_name", "payload", "field"), FORMS)
def test_a_workbook_that_is_not_a_zip_archive_is_refused_by_its_first_bytes(
    editor, organisation, url_name, payload, field
) -> None:
    url = reverse(url_name, kwargs={"org_slug": organisation.slug})
    response = editor.post(url, payload(named("posts.xlsx", b"code,name\nA,B\n")))
    assert error_links(response) == {"#id_file": NOT_A_WORKBOOK.format(what=field)}
    assert _nothing_saved()


def test_the_limit_in_words() -> None:
    assert size_in_words(50 * 1024 * 1024) == "50MB"
    assert size_in_words(LIMIT) == "64KB"
