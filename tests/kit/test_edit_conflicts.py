"""Two people edit the same record: the second save cannot silently undo the first.

Each edit form carries the version of the record it was read at. Jane saves
first; Aaron, whose page was opened before her save, is refused with her name
and the time, nothing of his is saved, and his page shows what he typed beside
what she saved. Saving again from that page (which now carries her version)
is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Membership, Organisation, Role
from goldenthread.accounts.versions import NO_VERSION, STALE, VERSION_FIELD
from goldenthread.core.models import Unit
from goldenthread.operating_model import services as tom
from goldenthread.operating_model.models import Component
from goldenthread.performance import services as thread
from goldenthread.performance.models import Level, ThreadItem
from goldenthread.structure.models import Snapshot
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member, snapshot_of
from tests.html import attribute, error_summary, parse, select
from tests.submitting import MAIN_FORM, form_values, guard

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """An edit page: how to make its record, its URL, the field both people change."""

    make: Callable[[Organisation], Any]
    url: Callable[[Organisation, Any], str]
    field: str
    what: str


def _org_url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


def _unit(organisation: Organisation) -> Unit:
    return UnitFactory(organisation=organisation, code="PEO", name="People")


def _component(organisation: Organisation) -> Component:
    version = tom.version_create(organisation=organisation, title="TOM 2026")
    return version.components.order_by("position").first()  # type: ignore[return-value]


def _item(organisation: Organisation) -> ThreadItem:
    return thread.thread_item_create(
        organisation=organisation, level=Level.VISION, title="A place to be proud of"
    )


def _snapshot(organisation: Organisation) -> Snapshot:
    return snapshot_of(
        organisation,
        [("P1", "", "Chief Executive", "Council"), ("P2", "P1", "Director", "Council/People")],
        status="draft",
    )


def _membership(organisation: Organisation) -> Membership:
    return member(organisation, Role.EDITOR, username="eve").memberships.get()


CASES = {
    "unit": Case(
        _unit,
        lambda org, unit: _org_url("core:unit_edit", org_slug=org.slug, unit_id=unit.pk),
        "name",
        "unit",
    ),
    "TOM component": Case(
        _component,
        lambda org, c: _org_url(
            "operating_model:component_edit", org_slug=org.slug, component_id=c.pk
        ),
        "name",
        "component",
    ),
    "golden-thread item": Case(
        _item,
        lambda org, item: _org_url("performance:item_edit", org_slug=org.slug, item_id=item.pk),
        "title",
        "thread item",
    ),
    "snapshot": Case(
        _snapshot,
        lambda org, s: _org_url("structure:snapshot_edit", org_slug=org.slug, snapshot_id=s.pk),
        "name",
        "snapshot",
    ),
    "member's role": Case(
        _membership,
        lambda org, m: _org_url("accounts:member_edit", org_slug=org.slug, membership_id=m.pk),
        "job_title",
        "membership",
    ),
    "organisation settings": Case(
        lambda org: org,
        lambda org, _: _org_url("accounts:settings", org_slug=org.slug),
        "name",
        "organisation",
    ),
}


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory(name="Wealdham District Council", slug="wealdham")


@pytest.fixture
def people(client: Client, organisation: Organisation) -> tuple[Client, Client]:
    """Aaron (the test's client) and Jane, both admins of the organisation."""
    member(organisation, Role.ADMIN, username="aaron", full_name="Aaron Ash")
    member(organisation, Role.ADMIN, username="jsmith", full_name="Jane Smith")
    client.login(username="aaron", password=PASSWORD)
    jane = Client()
    jane.login(username="jsmith", password=PASSWORD)
    return client, jane


def _saved(record: Any, field: str) -> Any:
    record.refresh_from_db()
    return getattr(record, field)


def _changed_at(record: Any) -> str:
    latest = type(record).history.filter(id=record.pk).order_by("-history_id").first()
    return timezone.localtime(latest.history_date).strftime("%H:%M")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_stale_save_is_refused_naming_who_saved_and_shows_both(
    people: tuple[Client, Client], organisation: Organisation, case: Case
) -> None:
    aaron, jane = people
    record = case.make(organisation)
    url = case.url(organisation, record)
    aarons_page, janes_page = aaron.get(url), jane.get(url)
    assert aarons_page.status_code == janes_page.status_code == 200

    saved = jane.post(url, {**form_values(janes_page), case.field: "Jane's version"})
    assert saved.status_code == 302, error_summary(saved)
    assert _saved(record, case.field) == "Jane's version"

    refused = aaron.post(url, {**form_values(aarons_page), case.field: "Aaron's version"})
    assert refused.status_code == 200
    assert error_summary(refused) == [
        STALE.format(who="Jane Smith (jsmith)", what=case.what, when=_changed_at(record))
    ]
    # Nothing of Aaron's is saved; his version stays in the form.
    assert _saved(record, case.field) == "Jane's version"
    assert attribute(refused, f"{MAIN_FORM} [name={case.field}]", "value") == ["Aaron's version"]
    # The field that differs, his value beside hers.
    rows = [
        select(row, "th, td") for row in parse(refused).select(".gt-stale-differences tbody tr")
    ]
    assert len(rows) == 1 and rows[0][1:] == ["Aaron's version", "Jane's version"]

    # The refused page carries Jane's version: saving again from it is accepted.
    assert guard(refused)[VERSION_FIELD] == guard(jane.get(url))[VERSION_FIELD]
    again = aaron.post(url, form_values(refused))
    assert again.status_code == 302, error_summary(again)
    assert _saved(record, case.field) == "Aaron's version"


def test_a_save_after_the_first_is_accepted_when_nobody_else_saved(
    people: tuple[Client, Client], organisation: Organisation
) -> None:
    """Saving twice in a row from fresh pages is not a conflict."""
    aaron, _ = people
    unit = _unit(organisation)
    url = CASES["unit"].url(organisation, unit)
    for name in ("People Services", "People and Communities"):
        response = aaron.post(url, {**form_values(aaron.get(url)), "name": name})
        assert response.status_code == 302
    assert _saved(unit, "name") == "People and Communities"


def test_a_save_without_a_version_is_refused(
    people: tuple[Client, Client], organisation: Organisation
) -> None:
    aaron, _ = people
    unit = _unit(organisation)
    url = CASES["unit"].url(organisation, unit)
    values = {**form_values(aaron.get(url)), "name": "Renamed"}
    values.pop(VERSION_FIELD)
    refused = aaron.post(url, values)
    assert error_summary(refused) == [NO_VERSION.format(what="unit")]
    assert _saved(unit, "name") == "People"
    # The page now carries the version: saving from it works.
    assert aaron.post(url, form_values(refused)).status_code == 302
    assert _saved(unit, "name") == "Renamed"


def test_a_stale_form_with_its_own_errors_shows_both_and_saves_nothing(
    people: tuple[Client, Client], organisation: Organisation
) -> None:
    aaron, jane = people
    unit = _unit(organisation)
    url = CASES["unit"].url(organisation, unit)
    aarons_page = aaron.get(url)
    assert jane.post(url, {**form_values(jane.get(url)), "name": "Jane's"}).status_code == 302
    refused = aaron.post(url, {**form_values(aarons_page), "name": ""})
    assert refused.status_code == 200
    assert STALE.format(
        who="Jane Smith (jsmith)", what="unit", when=_changed_at(unit)
    ) in error_summary(refused)
    assert guard(refused)[VERSION_FIELD] == guard(jane.get(url))[VERSION_FIELD]
    assert _saved(unit, "name") == "Jane's"


def test_a_change_by_a_job_or_command_names_no_one(
    people: tuple[Client, Client], organisation: Organisation
) -> None:
    aaron, _ = people
    unit = _unit(organisation)
    url = CASES["unit"].url(organisation, unit)
    page = aaron.get(url)
    from goldenthread.core import services as units

    units.unit_update(
        unit=unit, code="PEO", name="By the import", kind=unit.kind, parent=None, description=""
    )
    refused = aaron.post(url, {**form_values(page), "name": "Aaron's"})
    assert error_summary(refused)[0].startswith("Someone else changed this unit at ")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_win(monkeypatch: pytest.MonkeyPatch) -> None:
    """The version is compared after the row is locked, in the save's transaction.

    Aaron's save holds the unit's row while it saves; Jane's save, from a page
    read at the same version, waits for the lock and then finds his version:
    refused. Comparing before locking would let both through, his undone.
    """
    import threading

    from django.db import connection

    from goldenthread.core import services as units

    organisation = OrganisationFactory(name="Wealdham District Council", slug="wealdham")
    member(organisation, Role.ADMIN, username="aaron", full_name="Aaron Ash")
    member(organisation, Role.ADMIN, username="jsmith", full_name="Jane Smith")
    aaron, jane = Client(), Client()
    aaron.login(username="aaron", password=PASSWORD)
    jane.login(username="jsmith", password=PASSWORD)
    unit = _unit(organisation)
    url = CASES["unit"].url(organisation, unit)
    aarons_page, janes_page = aaron.get(url), jane.get(url)

    saving, finish = threading.Event(), threading.Event()
    update = units.unit_update

    def held_update(**fields: Any) -> Any:
        if threading.current_thread().name == "aaron":
            saving.set()
            finish.wait(30)
        return update(**fields)

    monkeypatch.setattr(units, "unit_update", held_update)
    answers: dict[str, Any] = {}

    def post(client: Client, page: Any, name: str) -> None:
        try:
            answers[threading.current_thread().name] = client.post(
                url, {**form_values(page), "name": name}
            )
        finally:
            connection.close()

    first = threading.Thread(target=post, args=(aaron, aarons_page, "Aaron's"), name="aaron")
    second = threading.Thread(target=post, args=(jane, janes_page, "Jane's"), name="jane")
    first.start()
    assert saving.wait(30)
    second.start()
    # Let Aaron's save finish once Jane's is waiting for the unit's row.
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    finish.set()
    first.join(30)
    second.join(30)
    assert answers["aaron"].status_code == 302
    assert answers["jane"].status_code == 200
    assert error_summary(answers["jane"]) == [
        STALE.format(who="Aaron Ash (aaron)", what="unit", when=_changed_at(unit))
    ]
    assert _saved(unit, "name") == "Aaron's"
