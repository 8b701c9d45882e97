"""Every read of organisations, memberships and users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Invitation, Membership, Organisation, invitation_cutoff


def membership_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    """The organisations a user belongs to, with the user's role in each."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("organisation")


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user")


def membership_get(*, organisation: Organisation, pk: int) -> Membership:
    return membership_list(organisation=organisation).get(pk=pk)


def user_get_by_username(*, username: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.filter(username__iexact=username).first()


def invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    """The organisation's invitations still waiting to be accepted, newest first."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, created_at__gt=invitation_cutoff()
    ).select_related("invited_by")


def invitation_get(*, organisation: Organisation, pk: int) -> Invitation:
    return invitation_list(organisation=organisation).get(pk=pk)


def invitation_by_token(*, token: str) -> Invitation | None:
    """The open invitation whose link holds ``token``, or ``None``."""
    return (
        Invitation.objects.filter(
            token=token, accepted_at__isnull=True, created_at__gt=invitation_cutoff()
        )
        .select_related("organisation")
        .first()
    )
