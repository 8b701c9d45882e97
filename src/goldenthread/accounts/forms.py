"""Forms of the accounts app. Messages are constants so tests can assert on them."""

from __future__ import annotations

import ipaddress
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest

from goldenthread.formats.values import NumberFault, read_number

from . import services
from .models import Organisation, OrganisationKind, Role

SIGN_IN_FAILED = "Enter a correct username and password. Both are case-sensitive."
SIGN_IN_LOCKED = (
    "Too many failed attempts to sign in. Wait 15 minutes and try again. If you have "
    "forgotten your password, ask the person who runs goldenthread for your council to set "
    "a new one."
)
ENTER_USERNAME = "Enter your username"
ENTER_PASSWORD = "Enter your password"
CHOOSE_ROLE = "Choose a role"
NEW_USER_NEEDS_NAME = "Enter your full name"
ENTER_INVITEE = "Enter the username or e-mail address of the person to invite"
ENTER_NEW_PASSWORD = "Enter a password for your account"


class MoneyField(forms.DecimalField):
    """An amount in pounds typed in a form, read as every file in the service reads one.

    ``£22,500``, ``22500`` and ``22,500.50`` are read; ``1e9``, ``22.500,00``
    and ``inf`` are not (a number that cannot be read is never guessed). The
    amount is at most £10,000,000 unless ``max_value`` says otherwise, and
    kept to the penny. GOV.UK asks for a text input, not ``type=number``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(10_000_000))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return read_number(str(value), pounds=True)
        except NumberFault:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def apply_service_error(form: forms.Form, error: services.ServiceError) -> None:
    """Show a refused write on the form: on its field when it names one, else on the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the trusted reverse proxies report it.

    With ``GOLDENTHREAD_TRUSTED_PROXY_COUNT`` at 0 (the default) no proxy is
    trusted and the address is ``REMOTE_ADDR``. With N proxies in front, each
    appends the address it was called from to ``X-Forwarded-For``, so the
    client is the Nth address from the right; anything further left was
    written by the client and is not believed. A header with fewer addresses,
    or a value that is not an address, falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.GOLDENTHREAD_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        error_messages={"required": ENTER_USERNAME},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        strip=False,
        error_messages={"required": ENTER_PASSWORD},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user_cache: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if not username or not password:
            return cleaned
        ip = client_ip(self.request)
        if not services.login_attempt_reserve(username=username):
            raise forms.ValidationError(SIGN_IN_LOCKED, code="locked")
        address_locked = services.login_address_locked(ip_address=ip)
        user = authenticate(self.request, username=username, password=password)
        if user is None or not user.is_active:
            services.login_failure_record(username=username, ip_address=ip)
            if address_locked:
                raise forms.ValidationError(SIGN_IN_LOCKED, code="locked")
            raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
        services.login_success_record(username=username)
        self.user_cache = user
        return cleaned


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    kind = forms.ChoiceField(choices=OrganisationKind.choices, label="Kind of organisation")
    ons_code = forms.RegexField(
        regex=r"^([EWSN]\d{8})?$",
        required=False,
        label="ONS code (optional)",
        help_text="For example E07000090. It links the organisation to published comparators.",
        error_messages={"invalid": "Enter an ONS code as a letter and 8 digits, like E07000090"},
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    redundancy_cost_per_post = MoneyField(
        label="Cost of one redundancy, in pounds",
        help_text=(
            "Used to estimate the cost of deleting filled posts. It is £30,000 until you change it."
        ),
        error_messages={
            "required": "Enter the cost of one redundancy in pounds",
            "invalid": "Enter the cost of one redundancy as an amount in pounds, like 30000",
            "max_decimal_places": "Enter the cost to the penny at most, like 30000.50",
            "min_value": "The cost of one redundancy cannot be negative",
            "max_value": "Enter a cost of one redundancy of £10,000,000 or less",
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "ons_code": organisation.ons_code,
                "description": organisation.description,
                "redundancy_cost_per_post": organisation.redundancy_cost_per_post,
            },
        )
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Organisation.objects.filter(name__iexact=name).exclude(pk=self.organisation.pk)
        if clash.exists():
            raise forms.ValidationError("Another organisation already has this name")
        return name


ROLE_CHOICES = [(value, f"{label}: {Role.descriptions()[value]}") for value, label in Role.choices]


class MemberAddForm(forms.Form):
    """Invite someone by username or e-mail address; nothing says whether they have an account."""

    invitee = forms.RegexField(
        regex=r"^[\w.@+-]+$",
        max_length=254,
        label="Username or e-mail address",
        help_text="They accept the invitation by signing in, or by creating their account, "
        "with this username or e-mail address.",
        error_messages={
            "required": ENTER_INVITEE,
            "invalid": "A username or e-mail address may contain only letters, numbers "
            "and @ . + - _",
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_title = forms.CharField(max_length=200, required=False, label="Job title (optional)")
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ROLE},
    )


class AccountCreateForm(forms.Form):
    """An invited person's new account: the username or e-mail address must be the one invited."""

    username = forms.RegexField(
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={
            "required": "Enter a username",
            "invalid": "A username may contain only letters, numbers and @ . + - _",
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    full_name = forms.CharField(max_length=200, error_messages={"required": NEW_USER_NEEDS_NAME})
    email = forms.EmailField(
        required=False,
        label="E-mail address (optional)",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        strip=False,
        error_messages={"required": ENTER_NEW_PASSWORD},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class MemberEditForm(forms.Form):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES, widget=forms.RadioSelect, error_messages={"required": CHOOSE_ROLE}
    )
    job_title = forms.CharField(max_length=200, required=False, label="Job title (optional)")


class PasswordChangeForm(DjangoPasswordChangeForm):
    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right: enter it again",
    }
