from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goldenthread.accounts import services
from goldenthread.accounts.forms import NO_SUCH_USER
from goldenthread.accounts.models import Membership, Role
from tests.factories import PASSWORD, OrganisationFactory, member

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
    html = response.content.decode()
    assert NO_SUCH_USER.format(username="ghost") in html
    assert "Enter the person&#x27;s full name" in html
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_a_weak_password_is_refused_and_nothing_is_saved(admin_client, organisation) -> None:
    response = admin_client.post(
        url("accounts:member_add", organisation),
        {"username": "weak", "full_name": "W Eak", "password": "123", "role": Role.VIEWER},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()


def test_the_last_admin_cannot_be_demoted_or_removed(admin_client, organisation) -> None:
    membership = Membership.objects.get(user__username="boss")
    response = admin_client.post(
        url("accounts:member_edit", organisation, membership_id=membership.pk),
        {"role": Role.VIEWER},
    )
    assert (
        services.LAST_ADMIN.format(organisation=organisation).replace("'", "&#x27;")
        in response.content.decode()
    )
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    response = admin_client.post(
        url("accounts:member_remove", organisation, membership_id=membership.pk)
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "must keep at least one admin" in response.content.decode()


def test_an_editor_cannot_manage_members(client, organisation) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    response = client.get(url("accounts:member_list", organisation))
    assert response.status_code == 403
    assert "You need the admin role in Havant Borough Council" in response.content.decode()


def test_the_member_list_runs_a_fixed_number_of_queries(
    admin_client, organisation, django_assert_max_num_queries
) -> None:
    for n in range(15):
        member(organisation, Role.VIEWER, username=f"viewer{n}")
    with django_assert_max_num_queries(8):
        response = admin_client.get(url("accounts:member_list", organisation))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__row") == 17


def test_settings_are_saved_and_money_is_exact(admin_client, organisation) -> None:
    response = admin_client.post(
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
    html = response.content.decode()
    assert 'href="#id_name"' in html
    assert "Enter an ONS code as a letter and 8 digits" in html
    assert "Enter the cost of one redundancy as an amount in pounds" in html
