"""Every write to organisations, memberships, users and sign-in attempts.

Each service is one transaction. Errors a user can cause are raised as
:class:`ServiceError` with a message meant for the page.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    Invitation,
    LoginAttempt,
    LoginThrottle,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    invitation_cutoff,
)

LAST_ADMIN = "{organisation} must keep at least one admin: make someone else an admin first."
ALREADY_MEMBER = "{username} is already a member of {organisation}."
M = TypeVar("M", bound=models.Model)

#: Who a write is done by: a signed-in user, or the system (anonymous or ``None``).
Actor = User | AnonymousUser | None

USERNAME_TAKEN = "The username {username} is taken: choose another, or add that person instead."
ROLE_NEEDED = "You need the {role} role in {organisation} to do this."


class ServiceError(Exception):
    """A write that was refused, with a message for the user (and the field, if one)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def acting_user(by: Actor) -> User | None:
    """The user a write is done by, or ``None`` when the system does it.

    Every service names its acting user with one keyword, ``by``. An anonymous
    user counts as the system.
    """
    return by if isinstance(by, User) and by.is_authenticated else None


def require_role(*, organisation: Organisation, by: Actor, role: str) -> None:
    """Refuse a privileged write unless ``by`` holds ``role`` (or more) in ``organisation``.

    Services that approve, adopt or promote call this themselves, so a form or
    a view that forgets its guard cannot lift an editor to an admin. ``None``
    is the system (the demo, a job, a command) and may do anything; an
    anonymous user may do nothing.
    """
    if by is None:
        return
    user = acting_user(by)
    membership = (
        Membership.objects.filter(organisation=organisation, user=user).first()
        if user is not None
        else None
    )
    if membership is None or not membership.allows(role):
        raise ServiceError(
            ROLE_NEEDED.format(role=Role(role).label.lower(), organisation=organisation)
        )


def attribute(instance: models.Model, by: Actor) -> None:
    """Record ``by`` as the user in the history of the next save or delete of ``instance``.

    Without ``by``, django-simple-history's middleware records the signed-in
    user of the request, if there is one; outside a request (a job, the demo,
    a command) only ``by`` can name who made the change.
    """
    user = acting_user(by)
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]


def create_attributed(model: type[M], *, by: Actor, **fields: Any) -> M:
    """``model.objects.create(**fields)``, its history naming ``by``."""
    instance = model(**fields)
    attribute(instance, by)
    instance.save()
    return instance


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str,
    kind: str = OrganisationKind.COUNCIL,
    ons_code: str = "",
    description: str = "",
    admin: User | None = None,
    by: Actor = None,
) -> Organisation:
    """Create an organisation, making ``admin`` (if given) its first admin."""
    organisation = Organisation(
        name=name, slug=slug, kind=kind, ons_code=ons_code, description=description
    )
    organisation.full_clean()
    attribute(organisation, by)
    organisation.save()
    if admin is not None:
        membership = Membership(organisation=organisation, user=admin, role=Role.ADMIN)
        attribute(membership, by)
        membership.save()
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
    by: Actor = None,
) -> Organisation:
    require_role(organisation=organisation, by=by, role=Role.ADMIN)
    organisation.name = name
    organisation.kind = kind
    organisation.ons_code = ons_code
    organisation.description = description
    organisation.redundancy_cost_per_post = redundancy_cost_per_post
    organisation.full_clean()
    attribute(organisation, by)
    organisation.save()
    return organisation


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    by: Actor = None,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(USERNAME_TAKEN.format(username=username), field="username")
    first, _, last = full_name.strip().partition(" ")
    user: User = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        first_name=first,
        last_name=last,
    )
    user.set_password(password)
    attribute(user, by)
    user.save()
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, by: Actor = None) -> User:
    user.set_password(password)
    attribute(user, by)
    user.save()
    return user


@transaction.atomic
def membership_create(
    *,
    organisation: Organisation,
    user: User,
    role: str,
    job_title: str = "",
    by: Actor = None,
) -> Membership:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ServiceError(
            ALREADY_MEMBER.format(username=user.get_username(), organisation=organisation),
            field="username",
        )
    membership = Membership(
        organisation=organisation, user=user, role=Role(role), job_title=job_title
    )
    attribute(membership, by)
    membership.save()
    return membership


INVITATION_OPEN = "{invitee} already has an invitation to {organisation} waiting to be accepted."
NOT_FOR_YOU = (
    "This invitation is for {invitee}. Sign in as {invitee}, or ask the admin who sent it "
    "to invite the username or e-mail address you use."
)
INVITATION_USED = "This invitation has already been accepted."
INVITATION_EXPIRED = "This invitation has expired. Ask the admin who sent it for a new one."
INVITATION_WORN_OUT = (
    "This invitation has been cancelled: it was tried too many times with a username or "
    "e-mail address it is not for. Ask the admin who sent it for a new one."
)
#: Failed attempts to accept an invitation before it is cancelled.
INVITATION_FAILURE_LIMIT = 5


def _same_person(invitee: str, user: User) -> bool:
    """Whether ``invitee`` (a username or an e-mail address) names ``user``."""
    wanted = invitee.strip().lower()
    return wanted in {user.get_username().lower(), (user.email or "").strip().lower()} - {""}


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    invitee: str,
    role: str,
    job_title: str = "",
    by: Actor = None,
) -> Invitation:
    """Invite a username or e-mail address to join ``organisation`` with ``role``.

    The same happens whether or not anyone has that username or address, so
    the invitation says nothing about accounts outside the organisation. Only
    the organisation's own members and invitations are checked.
    """
    require_role(organisation=organisation, by=by, role=Role.ADMIN)
    invitee = invitee.strip()
    members = Membership.objects.filter(organisation=organisation)
    if members.filter(Q(user__username__iexact=invitee) | Q(user__email__iexact=invitee)).exists():
        raise ServiceError(
            ALREADY_MEMBER.format(username=invitee, organisation=organisation), field="invitee"
        )
    waiting = Invitation.objects.filter(
        organisation=organisation,
        invitee__iexact=invitee,
        accepted_at__isnull=True,
        created_at__gt=invitation_cutoff(),
    )
    if waiting.exists():
        raise ServiceError(
            INVITATION_OPEN.format(invitee=invitee, organisation=organisation), field="invitee"
        )
    return create_attributed(
        Invitation,
        by=by,
        organisation=organisation,
        invitee=invitee,
        role=Role(role),
        job_title=job_title,
        token=secrets.token_urlsafe(32),
        invited_by=acting_user(by),
    )


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: Actor = None) -> None:
    require_role(organisation=invitation.organisation, by=by, role=Role.ADMIN)
    attribute(invitation, by)
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """``user`` accepts the invitation, if it names them: they become a member with its role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ServiceError(INVITATION_USED)
    if invitation.is_expired:
        raise ServiceError(INVITATION_EXPIRED)
    if not _same_person(invitation.invitee, user):
        raise ServiceError(NOT_FOR_YOU.format(invitee=invitation.invitee))
    membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    if membership is None:
        membership = create_attributed(
            Membership,
            by=user,
            organisation=invitation.organisation,
            user=user,
            role=Role(invitation.role),
            job_title=invitation.job_title,
        )
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    attribute(invitation, user)
    invitation.save()
    return membership


@transaction.atomic
def invitation_failure_record(*, invitation: Invitation) -> ServiceError:
    """Count one attempt to accept ``invitation`` as someone else; the refusal to raise.

    Counted in its own transaction, under a row lock, so the count survives
    the refusal. At :data:`INVITATION_FAILURE_LIMIT` failures the invitation is
    cancelled (its history records the cancellation), so that its link cannot
    be used to try names without end.
    """
    with transaction.atomic():
        found = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if found is None or not found.is_open:
            return ServiceError(INVITATION_WORN_OUT if found is None else INVITATION_USED)
        found.failed_attempts += 1
        if found.failed_attempts >= INVITATION_FAILURE_LIMIT:
            found._change_reason = "Cancelled after too many failed attempts"  # type: ignore[attr-defined]
            found.delete()
            return ServiceError(INVITATION_WORN_OUT)
        found.save(update_fields=["failed_attempts"])
    return ServiceError(NOT_FOR_YOU.format(invitee=invitation.invitee))


def invitation_accept_as_new_user(
    *, invitation: Invitation, username: str, password: str, full_name: str, email: str
) -> User:
    """Create the invited person's account and accept the invitation with it, in one go.

    The username or e-mail address typed must be the one invited before
    anything else is checked, so the page tells nobody which usernames exist.
    """
    invitee = invitation.invitee.strip().lower()
    if invitee not in {username.strip().lower(), email.strip().lower()} - {""}:
        raise invitation_failure_record(invitation=invitation)
    with transaction.atomic():
        user = user_create(username=username, password=password, full_name=full_name, email=email)
        invitation_accept(invitation=invitation, user=user)
    return user


def _ensure_admin_remains(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ServiceError(LAST_ADMIN.format(organisation=membership.organisation), field="role")


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, job_title: str, by: Actor = None
) -> Membership:
    """Change a member's role: admins only, so nobody raises their own."""
    require_role(organisation=membership.organisation, by=by, role=Role.ADMIN)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_admin_remains(membership)
    membership.role = Role(role)
    membership.job_title = job_title
    attribute(membership, by)
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, by: Actor = None) -> None:
    require_role(organisation=membership.organisation, by=by, role=Role.ADMIN)
    if membership.role == Role.ADMIN:
        _ensure_admin_remains(membership)
    attribute(membership, by)
    membership.delete()


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_attempt_reserve(*, username: str) -> bool:
    """Reserve one password check for ``username``; ``False`` when its attempts are used up.

    The count is read and raised under a row lock in its own transaction,
    before the password is checked, so that parallel attempts are counted one
    after another: at most ``LOGIN_FAILURE_LIMIT`` passwords are ever checked
    for one username in a window, however many requests arrive at once. Only
    a successful sign-in gives the attempts back (:func:`login_success_record`).
    """
    key = username.lower()[:150]
    now = timezone.now()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
            username=key, defaults={"window_started_at": now}
        )
        if throttle.window_started_at < _window_start():
            throttle.attempts = 0
            throttle.window_started_at = now
        if throttle.attempts >= settings.LOGIN_FAILURE_LIMIT:
            throttle.save()
            return False
        throttle.attempts += 1
        throttle.save()
    return True


def login_address_locked(*, ip_address: str | None) -> bool:
    """True when too many recent sign-ins from this address failed.

    A locked address does not shut out a known user with the right password
    (behind a proxy many people may share one address): it only means that
    every failure from it is answered as "too many attempts", so guessing
    usernames from it tells the guesser nothing. Guessing passwords stays
    bounded by the per-username limit.
    """
    if not ip_address:
        return False
    failures = LoginAttempt.objects.filter(
        attempted_at__gte=_window_start(), ip_address=ip_address
    ).count()
    return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address)


def login_success_record(*, username: str) -> None:
    """A successful sign-in clears that username's failures and gives its attempts back."""
    LoginAttempt.objects.filter(Q(username__iexact=username)).delete()
    LoginThrottle.objects.filter(username=username.lower()[:150]).delete()
