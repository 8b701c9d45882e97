from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.audit.selectors import audited_models
from goldenthread.core.models import Unit
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import attribute, select, select_one
from tests.submitting import submit

pytestmark = pytest.mark.django_db


def test_every_model_with_organisation_data_keeps_history() -> None:
    from django.apps import apps

    unaudited = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "core", "jobs"}
        and any(f.name == "organisation" for f in model._meta.fields)
        and model not in audited_models()
        and not model._meta.label.startswith(("accounts.Historical", "core.Historical"))
    ]
    # Jobs are a log in themselves (who, when, what happened), not data to audit.
    assert unaudited == ["jobs.Job"]


def test_a_change_made_in_the_browser_shows_who_and_what_field_by_field(client) -> None:
    organisation = OrganisationFactory(slug="havering")
    member(organisation, Role.EDITOR, username="ed", full_name="Edna Dale")
    unit = UnitFactory(organisation=organisation, code="PEO", name="People")
    client.login(username="ed", password=PASSWORD)
    submit(
        client,
        reverse("core:unit_edit", kwargs={"org_slug": "havering", "unit_id": unit.pk}),
        {"name": "People and Communities", "code": "PEO", "kind": "directorate"},
    )
    response = client.get(
        reverse(
            "audit:record_history",
            kwargs={"org_slug": "havering", "model_label": "core.unit", "object_id": unit.pk},
        )
    )
    # An MoJ timeline, newest first: what happened, by whom, when.
    timeline = "main .moj-timeline > .moj-timeline__item"
    assert select(response, f"{timeline} .moj-timeline__title") == ["Changed", "Created"]
    assert select(response, f"{timeline} .moj-timeline__byline")[0] == "by Edna Dale (ed)"
    when = f"{timeline}:first-child .moj-timeline__date time"
    (stamp,) = attribute(response, when, "datetime")
    moment = dt.datetime.fromisoformat(stamp)
    assert select_one(response, when) == f"{moment.day} {moment:%B %Y} at {moment:%H:%M}"
    # The change, field by field: what each was before and after, and nothing else.
    changed = f"{timeline}:first-child .moj-timeline__description table tbody"
    assert select(response, f"{changed} th") == ["Kind", "Name"]
    assert select(response, f"{changed} td.gt-diff-removed") == ["Service", "People"]
    assert select(response, f"{changed} td.gt-diff-added") == [
        "Directorate",
        "People and Communities",
    ]


def test_a_deleted_record_keeps_its_history(client) -> None:
    organisation = OrganisationFactory(slug="havering")
    member(organisation, Role.EDITOR, username="ed")
    unit = UnitFactory(organisation=organisation, code="PEO", name="People")
    client.login(username="ed", password=PASSWORD)
    client.post(reverse("core:unit_delete", kwargs={"org_slug": "havering", "unit_id": unit.pk}))
    assert not Unit.objects.filter(pk=unit.pk).exists()
    response = client.get(
        reverse(
            "audit:record_history",
            kwargs={"org_slug": "havering", "model_label": "core.unit", "object_id": unit.pk},
        )
    )
    assert select(response, "main .moj-timeline .moj-timeline__title") == ["Deleted", "Created"]


def test_history_of_another_organisations_record_is_not_found(client) -> None:
    mine = OrganisationFactory(slug="mine")
    theirs = OrganisationFactory(slug="theirs")
    member(mine, Role.ADMIN, username="me")
    foreign = UnitFactory(organisation=theirs, code="X", name="Secret unit")
    client.login(username="me", password=PASSWORD)
    response = client.get(
        reverse(
            "audit:record_history",
            kwargs={"org_slug": "mine", "model_label": "core.unit", "object_id": foreign.pk},
        )
    )
    assert response.status_code == 404
    response = client.get(
        reverse(
            "audit:record_history",
            kwargs={"org_slug": "mine", "model_label": "auth.user", "object_id": 1},
        )
    )
    assert response.status_code == 404


def test_the_organisation_change_list_shows_only_its_own(client) -> None:
    mine = OrganisationFactory(slug="mine")
    theirs = OrganisationFactory(slug="theirs")
    member(mine, Role.VIEWER, username="me")
    UnitFactory(organisation=mine, code="A", name="Our unit")
    UnitFactory(organisation=theirs, code="B", name="Their unit")
    client.login(username="me", password=PASSWORD)
    page = client.get(reverse("audit:change_list", kwargs={"org_slug": "mine"}))
    records = select(page, "main table tbody td:nth-child(4)")
    assert "Our unit – history" in records
    assert [record for record in records if "Their unit" in record] == []


def test_a_change_shows_dates_flags_moments_and_people_as_a_person_reads_them(client) -> None:
    from tests.factories import snapshot_of

    organisation = OrganisationFactory(slug="bexley")
    approver = member(organisation, Role.ADMIN, username="ann", full_name="Ann Lee")
    snapshot = snapshot_of(organisation, [("P1", "", "Chief executive", "People")], status="draft")
    snapshot.effective_date = dt.date(2024, 3, 31)
    snapshot.approved_at = dt.datetime(2026, 12, 2, 13, 35, 46, tzinfo=dt.UTC)
    snapshot.approved_by = approver
    snapshot.archived = True
    snapshot.post_count = 4435
    snapshot.save()
    client.login(username="ann", password=PASSWORD)
    response = client.get(
        reverse(
            "audit:record_history",
            kwargs={
                "org_slug": "bexley",
                "model_label": "structure.snapshot",
                "object_id": snapshot.pk,
            },
        )
    )
    changed = "main .moj-timeline > .moj-timeline__item:first-child table tbody tr"
    rows = {
        select_one(response, f"{changed}:nth-child({n}) th"): select(
            response, f"{changed}:nth-child({n}) td"
        )
        for n in range(1, len(select(response, changed)) + 1)
    }
    assert rows["Effective date"] == ["–", "31 March 2024"]
    assert rows["Archived"] == ["No", "Yes"]
    # 13:35 UTC is 13:35 in London in December.
    assert rows["Approved at"] == ["–", "2 December 2026 at 13:35"]
    assert rows["Approved by"] == ["–", "Ann Lee (ann)"]
    assert rows["Post count"] == ["1", "4,435"]
