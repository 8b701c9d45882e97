"""Organisations, memberships and sign-in attempts.

A user belongs to an organisation through a :class:`Membership` that carries a
role. Every other model that holds an organisation's data has a foreign key to
:class:`Organisation`, and every read of such data goes through a selector that
is given the organisation.
"""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """What a member may do, from least to most. Each role includes the ones below it."""

    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"

    @classmethod
    def rank(cls, role: str) -> int:
        return [cls.VIEWER, cls.EDITOR, cls.ADMIN].index(cls(role))

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        return {
            cls.VIEWER: "Can read everything in the organisation, for example elected members.",
            cls.EDITOR: "Can also add and change the organisation's data.",
            cls.ADMIN: "Can also manage members and the organisation's settings.",
        }


slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Enter lower-case letters, numbers and single hyphens, for example havant-borough.",
)


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    PARTNERSHIP = "partnership", "Partnership of councils"
    SHARED_SERVICE = "shared_service", "Shared service"
    OTHER = "other", "Other public body"


class Organisation(models.Model):
    """A council, a partnership or a shared service using goldenthread."""

    #: The settings page is for admins, so the history of the settings is too.
    history_role = Role.ADMIN

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True, validators=[slug_validator])
    kind = models.CharField(
        max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COUNCIL
    )
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The nine-character code of the local authority, for example E07000090.",
    )
    description = models.TextField(blank=True)
    #: Cost of one redundancy used in structure comparisons (seed 001 uses £30,000).
    redundancy_cost_per_post = models.DecimalField(max_digits=12, decimal_places=2, default=30000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        """Every audited record can name its organisation; this one is its own."""
        return self


class Membership(models.Model):
    """A user's role in one organisation."""

    #: The members page is for admins, so the history of memberships is too.
    history_role = Role.ADMIN

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.organisation}"

    def allows(self, role: str) -> bool:
        return Role.rank(self.role) >= Role.rank(role)


def invitation_cutoff() -> datetime.datetime:
    """Invitations sent at or before this moment have expired."""
    return timezone.now() - datetime.timedelta(days=settings.GOLDENTHREAD_INVITATION_DAYS)


class Invitation(models.Model):
    """An admin's invitation for someone to join the organisation with a role.

    Adding a member always makes an invitation, whether or not an account with
    that username or e-mail address exists anywhere, so the admin learns
    nothing about other organisations' people. The person opens the
    invitation's link, signs in (or creates their account) as the username or
    e-mail address invited, and accepts it.
    """

    #: Only admins see the members page, so only admins see invitations' history.
    history_role = Role.ADMIN

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    #: The username or e-mail address invited, as the admin typed it.
    invitee = models.CharField(max_length=254)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    #: The secret in the invitation's link.
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    #: Attempts to accept it as someone it does not name; too many cancel it.
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.invitee} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None

    @property
    def is_expired(self) -> bool:
        return self.created_at <= invitation_cutoff()


class LoginAttempt(models.Model):
    """A failed sign-in, kept to throttle guessing of passwords."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    attempted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"Failed sign-in as {self.username} at {self.attempted_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """The sign-in attempts one username has used in the current window.

    Each attempt is reserved here, under a row lock, before its password is
    checked, so parallel guesses cannot all pass the check before any failure
    is counted. A successful sign-in deletes the row.
    """

    #: The username as typed, lower-cased: usernames are matched without case.
    username = models.CharField(max_length=150, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.attempts} sign-in attempts as {self.username}"


def _register_user_history() -> None:
    """Audit changes to user accounts too (not the password hash or last sign-in)."""
    from django.contrib.auth import get_user_model
    from simple_history import register
    from simple_history.exceptions import MultipleRegistrationsError

    # A reloading process imports this module again: register once only.
    with contextlib.suppress(MultipleRegistrationsError):
        register(
            get_user_model(),
            app="goldenthread.accounts",
            excluded_fields=["password", "last_login"],
        )


_register_user_history()
