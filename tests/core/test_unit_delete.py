"""Deleting a unit: the page says first what still names it, and the service refuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.core import presenters, services
from goldenthread.core.models import Unit
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.structure import services as structure_services
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, member
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Tower Hamlets Council", slug="tower-hamlets")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


def _delete_url(unit: Unit) -> str:
    return reverse(
        "core:unit_delete", kwargs={"org_slug": unit.organisation.slug, "unit_id": unit.pk}
    )


def test_a_unit_no_one_uses_is_deleted_and_the_history_names_who(editor, organisation) -> None:
    unit = UnitFactory(organisation=organisation, code="A", name="Alpha")
    page = editor.get(_delete_url(unit))
    assert texts(page, "h1") == ["Are you sure you want to delete Alpha?"]
    assert texts(page, ".gt-consequences li") == []
    response = editor.post(_delete_url(unit), follow=True)
    assert texts(response, ".govuk-notification-banner__content") == ["Alpha has been deleted."]
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert Unit.history.get(id=unit.pk, history_type="-").history_user.username == "ed"


def test_a_unit_that_posts_name_lists_them_and_is_not_deleted(editor, organisation) -> None:
    table = PostTable.from_lists(
        ["CX", "D1", "D2"], [None, "CX", "CX"], unit=["", "People", "People"], source="test"
    )
    structure_services.snapshot_create_from_structure(
        organisation=organisation, structure=build_structure(table).structure, name="As-is"
    )
    people = Unit.objects.get(organisation=organisation, name="People")
    page = editor.get(_delete_url(people))
    assert texts(page, ".gt-consequences li") == [
        presenters.STILL_USED.format(count=2, things="posts")
    ]
    response = editor.post(_delete_url(people))
    assert texts(response, ".govuk-error-summary__list li") == [
        services.IN_USE.format(unit="People")
    ]
    assert Unit.objects.filter(pk=people.pk).exists()


def test_a_unit_with_one_unit_inside_says_so_in_the_singular(editor, organisation) -> None:
    top = UnitFactory(organisation=organisation, code="A", name="Alpha")
    UnitFactory(organisation=organisation, code="B", name="Beta", parent=top)
    page = editor.get(_delete_url(top))
    assert texts(page, ".gt-consequences li") == [
        "it is still named by 1 unit: they must be moved or deleted first"
    ]
