"""Every write to organisations, memberships, users and sign-in attempts.

Each service is one transaction. Errors a user can cause are raised as
:class:`ServiceError` with a message meant for the page.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import LoginAttempt, Membership, Organisation, OrganisationKind, Role

LAST_ADMIN = "{organisation} must keep at least one admin: make someone else an admin first."
ALREADY_MEMBER = "{username} is already a member of {organisation}."
USERNAME_TAKEN = "The username {username} is taken: choose another, or add that person instead."


class ServiceError(Exception):
    """A write that was refused, with a message for the user (and the field, if one)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str = OrganisationKind.COUNCIL,
    ons_code: str = "",
    description: str = "",
    admin: AbstractUser | None = None,
) -> Organisation:
    """Create an organisation, making ``admin`` (if given) its first admin."""
    organisation = Organisation(
        name=name, slug=slug, kind=kind, ons_code=ons_code, description=description
    )
    organisation.full_clean()
    organisation.save()
    if admin is not None:
        Membership.objects.create(organisation=organisation, user=admin, role=Role.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    ons_code: str,
    description: str,
    redundancy_cost_per_post: Decimal,
) -> Organisation:
    organisation.name = name
    organisation.kind = kind
    organisation.ons_code = ons_code
    organisation.description = description
    organisation.redundancy_cost_per_post = redundancy_cost_per_post
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def user_create(
    *, username: str, password: str, full_name: str = "", email: str = ""
) -> AbstractUser:
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(USERNAME_TAKEN.format(username=username), field="username")
    first, _, last = full_name.strip().partition(" ")
    user: AbstractUser = User.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last
    )
    return user


@transaction.atomic
def membership_create(
    *, organisation: Organisation, user: AbstractUser, role: str, job_title: str = ""
) -> Membership:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ServiceError(
            ALREADY_MEMBER.format(username=user.get_username(), organisation=organisation),
            field="username",
        )
    return Membership.objects.create(
        organisation=organisation, user=user, role=Role(role), job_title=job_title
    )


def _ensure_admin_remains(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ServiceError(LAST_ADMIN.format(organisation=membership.organisation), field="role")


@transaction.atomic
def membership_update(*, membership: Membership, role: str, job_title: str) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_admin_remains(membership)
    membership.role = Role(role)
    membership.job_title = job_title
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        _ensure_admin_remains(membership)
    membership.delete()


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """True when too many recent failures came for this username or from this address."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(attempted_at__gte=since)
    by_name = recent.filter(username__iexact=username).count()
    by_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # An address is allowed more failures than a name: several people may share it.
    return by_name >= settings.LOGIN_FAILURE_LIMIT or by_address >= settings.LOGIN_FAILURE_LIMIT * 4


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address)


def login_success_record(*, username: str) -> None:
    """A successful sign-in clears that username's failures."""
    LoginAttempt.objects.filter(Q(username__iexact=username)).delete()
