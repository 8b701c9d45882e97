"""The history of a statement copied into a TOM revision and reworded shows both wordings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.audit import selectors
from goldenthread.operating_model import services
from goldenthread.operating_model.models import Component, Statement
from tests.factories import OrganisationFactory, member
from tests.html import select, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def reworded(client):
    """A statement of an adopted TOM, copied into the revision and reworded there."""
    organisation = OrganisationFactory()
    admin = member(organisation, Role.ADMIN, username="ad")
    first = services.version_create(organisation=organisation, title="TOM 2025", by=admin)
    component = Component.objects.filter(version=first).first()
    services.statement_create(
        component=component, text="Customers tell their story once.", by=admin
    )
    services.version_adopt(
        version=first,
        approved_by="Executive",
        approved_on=datetime.date(2025, 3, 12),
        decision_reference="minute 47",
        by=admin,
    )
    revision = services.version_create(organisation=organisation, title="TOM 2026", by=admin)
    copy = Statement.objects.get(component__version=revision)
    services.statement_update(
        statement=copy, text="Customers tell their story only once, on any channel.", by=admin
    )
    client.force_login(admin)
    return organisation, copy


def _history(client, organisation, statement):
    return client.get(
        reverse(
            "audit:record_history",
            kwargs={
                "org_slug": organisation.slug,
                "model_label": "operating_model.statement",
                "object_id": statement.pk,
            },
        )
    )


CHANGED = ".moj-timeline__item:first-child"


def test_the_rewording_shows_the_old_and_the_new_wording(client, reworded) -> None:
    organisation, copy = reworded
    page = _history(client, organisation, copy)
    assert select(page, f"{CHANGED} .moj-timeline__title") == ["Changed"]
    assert texts(page, f"{CHANGED} tbody tr") == [
        "Text Customers tell their story once. "
        "Customers tell their story only once, on any channel."
    ]


def test_a_copy_whose_first_record_was_not_kept_is_compared_with_its_original(
    client, reworded
) -> None:
    organisation, copy = reworded
    # A copy made when copies were written without their own history record.
    Statement.history.filter(id=copy.pk, history_type="+").delete()
    page = _history(client, organisation, copy)
    assert texts(page, f"{CHANGED} .gt-history-note") == [selectors.COMPARED_WITH_ORIGINAL]
    assert texts(page, f"{CHANGED} tbody tr") == [
        "Text Customers tell their story once. "
        "Customers tell their story only once, on any channel."
    ]
    assert "Saved with no field changed." not in page.content.decode()


def test_a_change_with_nothing_to_compare_with_says_so(client, reworded) -> None:
    organisation, copy = reworded
    original = copy.baseline
    Statement.history.filter(id=copy.pk, history_type="+").delete()
    Statement.history.filter(id=original.pk).delete()
    page = _history(client, organisation, copy)
    assert texts(page, f"{CHANGED} .gt-history-note") == [selectors.EARLIER_NOT_KEPT]
    assert texts(page, f"{CHANGED} tbody tr") == []
    assert "Saved with no field changed." not in page.content.decode()
