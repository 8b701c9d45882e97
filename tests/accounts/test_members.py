from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goldenthread.accounts import services
from goldenthread.accounts.forms import NO_SUCH_USER
from goldenthread.accounts.models import Membership, Role
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_links, error_summary, select, select_one
from tests.submitting import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havant Borough Council", slug="havant")


@pytest.fixture
def admin_client(client, organisation):
    member(organisation, Role.ADMIN, username="boss")
    client.login(username="boss", password=PASSWORD)
    return client


def url(name, organisation, **kwargs):
    return reverse(name, kwargs={"org_slug": organisation.slug, **kwargs})


def test_an_admin_adds_a_new_person_as_an_editor(admin_client, organisation) -> None:
    response = admin_client.post(
        url("accounts:member_add", organisation),
        {
            "username": "newbie",
            "full_name": "Nia Newbie",
            "password": "correct-horse-battery-77",
            "role": Role.EDITOR,
            "job_title": "Business partner",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie")
    assert membership.role == Role.EDITOR
    assert membership.organisation == organisation
    assert membership.user.check_password("correct-horse-battery-77")


def test_an_admin_adds_an_existing_user_without_a_password(admin_client, organisation) -> None:
    other = OrganisationFactory()
    member(other, username="shared")
    response = admin_client.post(
        url("accounts:member_add", organisation), {"username": "shared", "role": Role.VIEWER}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="shared").count() == 2


def test_a_new_account_needs_a_password_and_a_name(admin_client, organisation) -> None:
    response = admin_client.post(
        url("accounts:member_add", organisation), {"username": "ghost", "role": Role.VIEWER}
    )
    problems = error_summary(response)
    assert NO_SUCH_USER.format(username="ghost") in problems
    assert "Enter the person's full name" in problems
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_a_weak_password_is_refused_and_nothing_is_saved(admin_client, organisation) -> None:
    response = admin_client.post(
        url("accounts:member_add", organisation),
        {"username": "weak", "full_name": "W Eak", "password": "123", "role": Role.VIEWER},
    )
    assert response.status_code == 200
    assert list(error_links(response)) == ["#id_password"]
    assert not get_user_model().objects.filter(username="weak").exists()


def test_the_last_admin_cannot_be_demoted_or_removed(admin_client, organisation) -> None:
    membership = Membership.objects.get(user__username="boss")
    response = submit(
        admin_client,
        url("accounts:member_edit", organisation, membership_id=membership.pk),
        {"role": Role.VIEWER},
    )
    assert error_summary(response) == [services.LAST_ADMIN.format(organisation=organisation)]
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    response = admin_client.post(
        url("accounts:member_remove", organisation, membership_id=membership.pk)
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert error_summary(response) == [services.LAST_ADMIN.format(organisation=organisation)]


def test_an_editor_cannot_manage_members(client, organisation) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    response = client.get(url("accounts:member_list", organisation))
    assert response.status_code == 403
    assert select_one(response, "main h1") == "You cannot do this"
    assert select(response, "main p")[0].startswith(
        "You need the admin role in Havant Borough Council"
    )


#: Queries of the member list, whatever the number of members.
MEMBER_LIST_QUERIES = 5


@pytest.mark.parametrize("extra", [0, 24])
def test_the_member_list_runs_a_fixed_number_of_queries(
    admin_client, organisation, extra, django_assert_num_queries
) -> None:
    for n in range(extra):
        member(organisation, Role.VIEWER, username=f"viewer{n}")
    with django_assert_num_queries(MEMBER_LIST_QUERIES):
        response = admin_client.get(url("accounts:member_list", organisation))
    assert response.status_code == 200
    usernames = select(response, "main table tbody tr td:first-child")
    assert len(usernames) == extra + 1
    assert {"boss", *(f"viewer{n}" for n in range(extra))} == {u.split()[0] for u in usernames}


def test_settings_are_saved_and_money_is_exact(admin_client, organisation) -> None:
    response = submit(
        admin_client,
        url("accounts:settings", organisation),
        {
            "name": "Havant Borough Council",
            "kind": "council",
            "ons_code": "E07000090",
            "description": "",
            "redundancy_cost_per_post": "30000.10",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert str(organisation.redundancy_cost_per_post) == "30000.10"


def test_bad_settings_name_their_fields(admin_client, organisation) -> None:
    response = admin_client.post(
        url("accounts:settings", organisation),
        {"name": "", "kind": "council", "ons_code": "X1", "redundancy_cost_per_post": "lots"},
    )
    problems = error_links(response)
    assert set(problems) == {"#id_name", "#id_ons_code", "#id_redundancy_cost_per_post"}
    assert problems["#id_ons_code"] == "Enter an ONS code as a letter and 8 digits, like E07000090"
    assert problems["#id_redundancy_cost_per_post"] == (
        "Enter the cost of one redundancy as an amount in pounds, like 30000"
    )


@pytest.mark.parametrize("name", ["accounts:member_edit", "accounts:member_remove"])
def test_an_unknown_member_is_not_found(admin_client, organisation, name) -> None:
    theirs = member(OrganisationFactory(), Role.ADMIN, username="theirs").memberships.get()
    for membership_id in (theirs.pk + 1000, theirs.pk):  # none at all; another organisation's
        page = url(name, organisation, membership_id=membership_id)
        assert admin_client.get(page).status_code == 404
        assert admin_client.post(page, {"role": Role.VIEWER}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.ADMIN
