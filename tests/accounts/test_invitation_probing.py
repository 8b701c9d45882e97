"""An invitation's link tells nobody which usernames exist, and wears out when misused.

A review found that the page created the account before checking that it was
the one invited: an admin could invite any string, open the link signed out
and learn, name after name, which usernames were taken.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts import services
from goldenthread.accounts.models import Invitation, Role
from tests.factories import OrganisationFactory, member
from tests.html import error_summary

pytestmark = pytest.mark.django_db

PASSWORD_TYPED = "correct-horse-battery-77"


def _attempt(client, link: str, username: str):
    return client.post(link, {"username": username, "full_name": "M", "password": PASSWORD_TYPED})


def test_a_taken_username_answers_like_a_free_one(client) -> None:
    organisation = OrganisationFactory()
    member(OrganisationFactory(), username="taken")
    invitation = services.invitation_create(
        organisation=organisation, invitee="anything", role=Role.VIEWER
    )
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    taken, free = _attempt(client, link, "taken"), _attempt(client, link, "free-name")
    expected = [services.NOT_FOR_YOU.format(invitee="anything")]
    assert error_summary(taken) == error_summary(free) == expected
    assert not User.objects.filter(username="free-name").exists()


def test_an_invitation_is_cancelled_after_five_failed_attempts(client) -> None:
    organisation = OrganisationFactory()
    invitation = services.invitation_create(
        organisation=organisation, invitee="nia", role=Role.VIEWER
    )
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    for n in range(services.INVITATION_FAILURE_LIMIT - 1):
        _attempt(client, link, f"probe-{n}")
    assert Invitation.objects.get(pk=invitation.pk).failed_attempts == 4
    last = _attempt(client, link, "probe-last")
    assert error_summary(last) == [services.INVITATION_WORN_OUT]
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    history = Invitation.history.filter(id=invitation.pk).order_by("history_date").last()
    assert history.history_type == "-"
    assert history.history_change_reason == "Cancelled after too many failed attempts"
    assert _attempt(client, link, "nia").status_code == 404
    assert not User.objects.filter(username="nia").exists()


def test_an_invitation_expires_and_the_person_can_be_invited_again(client, settings) -> None:
    organisation = OrganisationFactory()
    invitation = services.invitation_create(
        organisation=organisation, invitee="nia", role=Role.VIEWER
    )
    link = reverse("accounts:invitation", kwargs={"token": invitation.token})
    assert client.get(link).status_code == 200
    settings.GOLDENTHREAD_INVITATION_DAYS = 14
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=14, seconds=1)
    )
    assert client.get(link).status_code == 404
    assert _attempt(client, link, "nia").status_code == 404
    with pytest.raises(services.ServiceError) as refused:
        services.invitation_accept(
            invitation=invitation, user=member(OrganisationFactory(), username="nia")
        )
    assert refused.value.message == services.INVITATION_EXPIRED
    again = services.invitation_create(organisation=organisation, invitee="nia", role=Role.VIEWER)
    assert again.pk != invitation.pk
