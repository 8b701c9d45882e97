from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts.forms import SIGN_IN_FAILED, SIGN_IN_LOCKED
from goldenthread.accounts.models import LoginAttempt, Role
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_links, error_summary

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_member_of_one_organisation_lands_on_its_dashboard(client) -> None:
    organisation = OrganisationFactory()
    member(organisation, Role.VIEWER, username="ada")
    response = sign_in(client, "ada", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisations")
    response = client.get(response["Location"])
    assert response["Location"] == reverse("core:home", kwargs={"org_slug": organisation.slug})


def test_a_wrong_password_is_refused_with_the_error_summary(client) -> None:
    member(OrganisationFactory(), username="ada")
    response = sign_in(client, "ada", "wrong")
    assert response.status_code == 200
    assert error_summary(response) == [SIGN_IN_FAILED]
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named(client, db) -> None:
    response = client.post(reverse("accounts:login"), {})
    assert error_links(response) == {
        "#id_username": "Enter your username",
        "#id_password": "Enter your password",
    }


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings) -> None:
    member(OrganisationFactory(), username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "ada", "wrong")
    assert LoginAttempt.objects.filter(username="ada").count() == settings.LOGIN_FAILURE_LIMIT
    response = sign_in(client, "ada", PASSWORD)
    assert error_summary(response) == [SIGN_IN_LOCKED]
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_window(client, settings) -> None:
    member(OrganisationFactory(), username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "ada", "wrong")
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 0
    response = sign_in(client, "ada", PASSWORD)
    assert response.status_code == 302


def test_success_clears_earlier_failures(client) -> None:
    member(OrganisationFactory(), username="ada")
    sign_in(client, "ada", "wrong")
    sign_in(client, "ada", PASSWORD)
    assert not LoginAttempt.objects.filter(username="ada").exists()


def test_next_goes_back_to_the_page_asked_for_but_never_off_site(client) -> None:
    organisation = OrganisationFactory()
    member(organisation, username="ada")
    target = reverse("core:unit_list", kwargs={"org_slug": organisation.slug})
    response = client.post(
        reverse("accounts:login"), {"username": "ada", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": "ada", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:organisations")


def test_sign_out_needs_post(client) -> None:
    member(OrganisationFactory(), username="ada")
    client.login(username="ada", password=PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_stored_hashed(db) -> None:
    user = member(OrganisationFactory(), username="ada")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
