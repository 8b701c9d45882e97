"""A form submitted twice acts once: the second submission goes where the first went.

Each POST form carries a one-time token. A double click, a resent form or a
retry sends the same token again: nothing is done a second time, and the user
lands where the first submission sent them, told it was already submitted.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core.models import Unit
from goldenthread.jobs.models import Job
from goldenthread.kit import importing
from goldenthread.kit.models import ImportRun, ImportStatus, Submission
from goldenthread.kit.submissions import ALREADY_SUBMITTED, TOKEN_FIELD
from goldenthread.structure.models import ColumnMappingPreset
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_summary
from tests.structure.conftest import upload as structure_upload
from tests.submitting import MAIN_FORM, form_values, guard

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Eastmoor Council", slug="eastmoor")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": organisation.slug, **kwargs})


def _shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _units_upload(client, organisation, capture) -> ImportRun:
    page = client.get(_url("core:unit_import", organisation))
    data = b"code,name\nPEO,People\nPLA,Place\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        response = client.post(
            _url("core:unit_import", organisation),
            {**guard(page), "file": SimpleUploadedFile("units.csv", data, "text/csv")},
        )
    assert response.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.READY, run.problems
    return run


def test_a_new_unit_submitted_twice_is_added_once(editor, organisation) -> None:
    url = _url("core:unit_create", organisation)
    values = {**form_values(editor.get(url)), "name": "People", "code": "PEO"}
    first = editor.post(url, values)
    unit = Unit.objects.get()
    assert first.status_code == 302
    assert first["Location"] == _url("core:unit_detail", organisation, unit_id=unit.pk)
    second = editor.post(url, values)
    assert Unit.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert ALREADY_SUBMITTED in _shown(second)


def test_an_import_confirmed_twice_queues_one_save(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    run = _units_upload(editor, organisation, django_capture_on_commit_callbacks)
    url = _url("kit:import_confirm", organisation, run_id=run.pk)
    token = guard(editor.get(url))
    first = editor.post(url, token)
    second = editor.post(url, token)
    assert Job.objects.filter(kind=importing.SAVE_KIND).count() == 1
    run_page = _url("kit:import_run", organisation, run_id=run.pk)
    assert first["Location"] == second["Location"] == run_page
    assert ALREADY_SUBMITTED in _shown(second)


def test_repairs_applied_twice_check_the_file_once(
    editor, organisation, django_capture_on_commit_callbacks
) -> None:
    bad = b"post_id,reports_to,title\nA,,Chief Executive\nB,A,Director\nC,NOPE,Officer\n"
    preset = ColumnMappingPreset.objects.create(
        organisation=organisation,
        name="HR",
        columns={"post_id": "post_id", "reports_to": "reports_to", "title": "title"},
    )
    structure_upload(
        editor,
        organisation,
        "posts.csv",
        bad,
        django_capture_on_commit_callbacks,
        extra={"mapping": preset.pk},
    )
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.FAILED and run.repair_count, run.problems
    url = _url("kit:import_repair", organisation, run_id=run.pk)
    token = guard(editor.get(url))
    checks = Job.objects.filter(kind=importing.CHECK_KIND).count()
    first = editor.post(url, token)
    second = editor.post(url, token)
    assert Job.objects.filter(kind=importing.CHECK_KIND).count() == checks + 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ALREADY_SUBMITTED in _shown(second)


def test_a_form_refused_for_its_errors_can_be_corrected_and_sent_with_its_token(
    editor, organisation
) -> None:
    url = _url("core:unit_create", organisation)
    values = {**form_values(editor.get(url)), "name": "", "code": "PEO"}
    refused = editor.post(url, values)
    assert refused.status_code == 200 and error_summary(refused)
    # The refusal freed the token: sending it again with the name given acts.
    assert editor.post(url, {**values, "name": "People"}).status_code == 302
    assert Unit.objects.filter(code="PEO").exists()


def test_every_kit_form_gets_a_new_token(editor, organisation) -> None:
    url = _url("core:unit_create", organisation)
    first, second = guard(editor.get(url)), guard(editor.get(url))
    assert first[TOKEN_FIELD] != second[TOKEN_FIELD]


def test_a_forged_token_is_refused(editor, organisation) -> None:
    url = _url("core:unit_create", organisation)
    values = {**form_values(editor.get(url)), "name": "People", "code": "PEO"}
    values[TOKEN_FIELD] = "chosen-by-hand:abc"
    assert editor.post(url, values).status_code == 400
    assert not Unit.objects.exists()


def test_another_users_token_does_not_lead_to_their_page(client, editor, organisation) -> None:
    url = _url("core:unit_create", organisation)
    values = {**form_values(editor.get(url)), "name": "People", "code": "PEO"}
    assert editor.post(url, values).status_code == 302
    member(organisation, Role.EDITOR, username="other")
    from django.test import Client

    other = Client()
    other.login(username="other", password=PASSWORD)
    assert other.post(url, values).status_code == 400
    assert Unit.objects.count() == 1


def test_old_tokens_are_forgotten(editor, organisation, settings) -> None:
    settings.GOLDENTHREAD_SUBMISSION_KEEP_HOURS = 0
    url = _url("core:unit_create", organisation)
    editor.post(url, {**form_values(editor.get(url)), "name": "People", "code": "PEO"})
    editor.post(url, {**form_values(editor.get(url)), "name": "Place", "code": "PLA"})
    # Each claim forgets the tokens older than the setting: only the newest is kept.
    assert Submission.objects.count() == 1


def test_the_form_of_a_kit_page_carries_its_token(editor, organisation) -> None:
    page = editor.get(_url("core:unit_create", organisation))
    assert guard(page, MAIN_FORM)[TOKEN_FIELD]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_while_the_first_is_still_saving_joins_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second submission waits for the first's token, then goes where it went."""
    import threading

    from django.db import connection
    from django.test import Client

    from goldenthread.core import services as units

    organisation = OrganisationFactory(name="Eastmoor Council", slug="eastmoor")
    member(organisation, Role.EDITOR, username="ed")
    client = Client()
    client.login(username="ed", password=PASSWORD)
    url = _url("core:unit_create", organisation)
    values = {**form_values(client.get(url)), "name": "People", "code": "PEO"}

    saving, finish = threading.Event(), threading.Event()
    create = units.unit_create

    def held_create(**fields):
        if threading.current_thread().name == "first":
            saving.set()
            finish.wait(30)
        return create(**fields)

    monkeypatch.setattr(units, "unit_create", held_create)
    answers = {}

    def post() -> None:
        try:
            answers[threading.current_thread().name] = client.post(url, values)
        finally:
            connection.close()

    first = threading.Thread(target=post, name="first")
    second = threading.Thread(target=post, name="second")
    first.start()
    assert saving.wait(30)
    second.start()
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    finish.set()
    first.join(30)
    second.join(30)
    unit = Unit.objects.get()
    assert answers["first"]["Location"] == _url("core:unit_detail", organisation, unit_id=unit.pk)
    assert answers["second"].status_code == 302
    assert answers["second"]["Location"] == answers["first"]["Location"]
