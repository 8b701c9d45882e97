"""Adding a member is an invitation: the admin learns nothing about accounts elsewhere.

A review found that adding a member answered "There is no user called …" for
an unknown username and "Choose a role" for a known one, so any admin could
find out who has an account in other organisations.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.accounts import services
from goldenthread.accounts.models import Invitation, Membership, Role
from goldenthread.accounts.views import INVITED, JOINED, NO_SUCH_INVITATION
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import error_summary, select, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Havant Borough Council", slug="havant")


@pytest.fixture
def admin_client(client, organisation):
    member(organisation, Role.ADMIN, username="boss")
    client.login(username="boss", password=PASSWORD)
    return client


def _add(client, organisation, invitee: str, role: str = Role.EDITOR):
    return client.post(
        reverse("accounts:member_add", kwargs={"org_slug": organisation.slug}),
        {"invitee": invitee, "role": role, "job_title": ""},
        follow=True,
    )


def test_adding_a_known_or_unknown_username_answers_the_same(admin_client, organisation) -> None:
    member(OrganisationFactory(), username="elsewhere")
    known = _add(admin_client, organisation, "elsewhere")
    unknown = _add(admin_client, organisation, "nobody-here")
    assert known.status_code == unknown.status_code == 200
    assert texts(known, ".govuk-notification-banner__content") == [
        INVITED.format(invitee="elsewhere", role="editor")
    ]
    assert texts(unknown, ".govuk-notification-banner__content") == [
        INVITED.format(invitee="nobody-here", role="editor")
    ]
    assert select(known, ".gt-invitations .gt-invitee") == ["elsewhere"]
    assert select(unknown, ".gt-invitations .gt-invitee") == [
        "nobody-here",
        "elsewhere",
    ]
    # Nobody became a member without accepting.
    assert not Membership.objects.filter(organisation=organisation, user__username="elsewhere")


def test_the_form_page_answers_the_same_with_a_problem(admin_client, organisation) -> None:
    member(OrganisationFactory(), username="elsewhere")
    url = reverse("accounts:member_add", kwargs={"org_slug": organisation.slug})
    known = admin_client.post(url, {"invitee": "elsewhere"})
    unknown = admin_client.post(url, {"invitee": "nobody-here"})
    assert error_summary(known) == error_summary(unknown) == ["Choose a role"]


def test_an_existing_user_accepts_by_signing_in(client, admin_client, organisation) -> None:
    member(OrganisationFactory(), username="elsewhere")
    _add(admin_client, organisation, "elsewhere")
    invitation = Invitation.objects.get(invitee="elsewhere")
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    assert link in text(admin_client.get(reverse("accounts:member_list", args=["havant"])))
    client.logout()
    page = client.get(link)
    sign_in = reverse("accounts:login") + "?next=" + link.replace("/", "%2F")
    assert sign_in in page.content.decode()
    client.post(sign_in, {"username": "elsewhere", "password": PASSWORD, "next": link})
    response = client.post(link, follow=True)
    assert JOINED.format(organisation=organisation) in text(response)
    joined = Membership.objects.get(organisation=organisation, user__username="elsewhere")
    assert joined.role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == joined.user and invitation.accepted_at is not None
    # The link is spent, and its page says so and what to do.
    spent = client.get(link)
    assert spent.status_code == 404
    assert texts(spent, ".gt-invitation-gone") == [NO_SUCH_INVITATION]


def test_a_new_person_creates_their_account_from_the_link(client, organisation) -> None:
    invitation = services.invitation_create(
        organisation=organisation, invitee="nia@example.gov.uk", role=Role.VIEWER
    )
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    response = client.post(
        link,
        {
            "username": "nia",
            "email": "nia@example.gov.uk",
            "full_name": "Nia Newbie",
            "password": "correct-horse-battery-77",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home", kwargs={"org_slug": "havant"})
    joined = Membership.objects.get(organisation=organisation, user__username="nia")
    assert joined.role == Role.VIEWER and joined.user.check_password("correct-horse-battery-77")


def test_the_link_works_only_for_the_person_invited(client, organisation) -> None:
    invitation = services.invitation_create(
        organisation=organisation, invitee="nia", role=Role.ADMIN
    )
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    member(OrganisationFactory(), username="someone-else")
    client.login(username="someone-else", password=PASSWORD)
    response = client.post(link)
    assert services.NOT_FOR_YOU.format(invitee="nia") in text(response)
    assert not Membership.objects.filter(organisation=organisation, user__username="someone-else")
    client.logout()
    refused = client.post(
        link,
        {"username": "mallory", "full_name": "M", "password": "correct-horse-battery-77"},
    )
    assert services.NOT_FOR_YOU.format(invitee="nia") in error_summary(refused)
    assert not Membership.objects.filter(organisation=organisation).exclude(role=Role.ADMIN)
    assert client.get(reverse("accounts:invitation", kwargs={"token": "guess"})).status_code == 404


def test_an_admin_cancels_an_invitation_and_only_admins_invite(
    client, admin_client, organisation
) -> None:
    _add(admin_client, organisation, "nia")
    invitation = Invitation.objects.get()
    cancel = reverse(
        "accounts:invitation_cancel", kwargs={"org_slug": "havant", "invitation_id": invitation.pk}
    )
    editor = member(organisation, Role.EDITOR, username="ed")
    with pytest.raises(services.ServiceError):
        services.invitation_create(
            organisation=organisation, invitee="x", role=Role.ADMIN, by=editor
        )
    admin_client.post(cancel)
    assert not Invitation.objects.exists()
