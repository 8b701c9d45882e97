"""The golden thread's forms pick the post, the unit and what an item contributes to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.performance import services
from goldenthread.performance.models import Level, ThreadItem
from tests.factories import PASSWORD, OrganisationFactory, member, snapshot_of
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="eden")
    client.login(username="eden", password=PASSWORD)
    return client


@pytest.fixture
def team(organisation):
    return services.thread_item_create(
        organisation=organisation, level=Level.TEAM_OBJECTIVE, title="Customer Services"
    )


def add(client, organisation, **data):
    return client.post(
        reverse("performance:item_create", kwargs={"org_slug": organisation.slug}),
        {"level": "individual_objective", "title": "Launch the resident account", **data},
    )


def test_an_individual_objectives_post_is_checked_against_the_as_is(editor, organisation, team):
    snapshot_of(
        organisation,
        [("BBC-1", None, "Chief Executive", ""), ("BBC-142", "BBC-1", "Adviser", "Resources")],
    )
    refused = add(editor, organisation, parent=team.pk, post_reference="BBC-999")
    assert texts(refused, "#id_post_reference-error")[0].startswith(
        "Error: There is no post 'BBC-999'"
    )
    done = add(editor, organisation, parent=team.pk, post_reference="bbc-142")
    assert done.status_code == 302
    assert ThreadItem.objects.get(level=Level.INDIVIDUAL_OBJECTIVE).post_reference == "BBC-142"


def test_before_any_structure_the_post_id_is_taken_as_given(editor, organisation, team):
    done = add(editor, organisation, parent=team.pk, post_reference="P-7")
    assert done.status_code == 302
    assert ThreadItem.objects.get(level=Level.INDIVIDUAL_OBJECTIVE).post_reference == "P-7"


def test_what_an_item_contributes_to_is_picked_by_title(editor, organisation, team):
    form = editor.get(reverse("performance:item_create", kwargs={"org_slug": organisation.slug}))
    assert "Team objective: Customer Services" in texts(
        form, "select#id_parent[data-gt-autocomplete] option"
    )
    done = add(editor, organisation, parent="Customer Services")
    assert done.status_code == 302
    assert ThreadItem.objects.get(level=Level.INDIVIDUAL_OBJECTIVE).parent == team


def test_the_service_refuses_a_post_that_is_not_in_the_as_is(organisation, team) -> None:
    """Whatever calls it, not only the form: the ID is checked against the as-is structure."""
    individual = {"level": Level.INDIVIDUAL_OBJECTIVE, "parent": team}
    # Before any structure there is nothing to check against: the ID is taken as given.
    given = services.thread_item_create(
        organisation=organisation, title="Before", post_reference=" P-7 ", **individual
    )
    assert given.post_reference == "P-7"
    snapshot_of(
        organisation,
        [("BBC-1", None, "Chief Executive", ""), ("BBC-142", "BBC-1", "Adviser", "Resources")],
    )
    with pytest.raises(ServiceError) as refused:
        services.thread_item_create(
            organisation=organisation, title="After", post_reference="BBC-999", **individual
        )
    assert refused.value.message == (
        "There is no post 'BBC-999' in the current as-is structure: "
        "enter the ID of one of its posts"
    )
    assert refused.value.field == "post_reference"
    made = services.thread_item_create(
        organisation=organisation, title="After", post_reference="bbc-142", **individual
    )
    assert made.post_reference == "BBC-142"
    change = {
        "level": Level.INDIVIDUAL_OBJECTIVE,
        "title": "After",
        "parent": team,
        "description": "",
        "measures": "",
        "unit": None,
        "perspective": "",
        "owner": "",
    }
    with pytest.raises(ServiceError, match="no post 'P-7'"):
        services.thread_item_update(item=made, post_reference="P-7", **change)
    made.refresh_from_db()
    assert made.post_reference == "BBC-142"
