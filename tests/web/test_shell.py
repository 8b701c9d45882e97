"""The GOV.UK shell: navigation, error pages, cookies, security headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.accounts.models import Role
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import attribute, select, select_one

pytestmark = pytest.mark.django_db


def test_the_start_page_explains_the_product(client) -> None:
    page = client.get("/")
    assert select_one(page, "main h1") == "Design your target operating model and prove the change"
    assert attribute(page, "a.govuk-skip-link", "href") == ["#main-content"]
    assert reverse("core:cookies") in attribute(page, ".govuk-footer a", "href")
    assert reverse("accounts:login") in attribute(page, ".govuk-service-navigation a", "href")


def test_the_navigation_shows_what_the_role_may_use(client) -> None:
    organisation = OrganisationFactory(name="Havant Borough Council", slug="havant")
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    nav = ".govuk-service-navigation__item"
    page = client.get(reverse("core:unit_list", kwargs={"org_slug": "havant"}))
    assert select(page, f"{nav}--active a[aria-current=true]") == ["Units"]
    assert select(page, f"{nav}--active .govuk-service-navigation__active-fallback") == ["Units"]
    assert "Members" not in select(page, f"{nav} a")
    member(organisation, Role.ADMIN, username="ad")
    client.login(username="ad", password=PASSWORD)
    page = client.get(reverse("core:home", kwargs={"org_slug": "havant"}))
    assert {"Members", "Settings"} <= set(select(page, f"{nav} a"))


def test_the_switcher_lists_the_users_other_organisations(client) -> None:
    first = OrganisationFactory(name="Havant Borough Council", slug="havant")
    second = OrganisationFactory(name="East Hampshire District Council", slug="east-hants")
    user = member(first, Role.EDITOR, username="shared")
    from goldenthread.accounts.services import membership_create

    membership_create(organisation=second, user=user, role=Role.VIEWER)
    client.login(username="shared", password=PASSWORD)
    response = client.get(reverse("accounts:organisations"))
    listed = select(response, "main a.govuk-link")
    assert {"Havant Borough Council", "East Hampshire District Council"} <= set(listed)
    assert "Switch organisation" in select(
        client.get("/o/havant/"), ".govuk-service-navigation__item a"
    )


def test_not_found_and_forbidden_pages_are_in_the_service_style(client) -> None:
    organisation = OrganisationFactory(slug="havant")
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    response = client.get("/o/havant/no-such-page/")
    assert response.status_code == 404
    assert select_one(response, "main h1") == "Page not found"
    response = client.get(reverse("core:unit_create", kwargs={"org_slug": "havant"}))
    assert response.status_code == 403
    assert select_one(response, "main h1") == "You cannot do this"


def test_a_server_error_page_renders_without_the_database(rf) -> None:
    from goldenthread.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert select_one(response, "main h1") == "Sorry, there is a problem with the service"


def test_a_missing_csrf_token_gets_the_styled_page(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert select_one(response, "main h1") == "Your form has expired"


def test_only_the_session_and_csrf_cookies_are_ever_set(client) -> None:
    organisation = OrganisationFactory(slug="havant")
    member(organisation, Role.ADMIN, username="ad")
    names = set()
    response = client.get(reverse("accounts:login"))
    names |= set(response.cookies)
    response = client.post(reverse("accounts:login"), {"username": "ad", "password": PASSWORD})
    names |= set(response.cookies)
    for url in ("/o/havant/", "/o/havant/units/", "/o/havant/members/"):
        names |= set(client.get(url).cookies)
    assert names <= {"goldenthread_session", "goldenthread_csrftoken"}
    assert "goldenthread_session" in names


def test_pages_may_not_be_framed(client) -> None:
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


#: Modules a page may not promise: none of them exists yet.
NOT_YET = ("programme", "benefit", "risk", "KPI", "proposal", "MTFS", "finance")


def test_the_start_page_promises_only_what_exists(client) -> None:
    words = " ".join(select(client.get("/"), "main")).lower()
    assert [word for word in NOT_YET if word.lower() in words] == []
    assert "structures" in words and "golden thread" in words


def test_a_member_of_one_organisation_is_not_offered_a_switch(client) -> None:
    organisation = OrganisationFactory(name="Havant Borough Council", slug="havant")
    member(organisation, Role.EDITOR, username="only")
    client.login(username="only", password=PASSWORD)
    links = select(client.get("/o/havant/"), ".govuk-service-navigation__item a")
    assert "Switch organisation" not in links
    assert "Your organisations" not in links
