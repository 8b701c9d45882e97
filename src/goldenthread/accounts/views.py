"""Sign in and out, choosing an organisation, members and settings."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    AccountCreateForm,
    MemberAddForm,
    MemberEditForm,
    OrganisationSettingsForm,
    PasswordChangeForm,
    SignInForm,
    apply_service_error,
)
from .models import Invitation, Membership, Role
from .tenancy import NOT_FOUND, OrgRequest, get_or_404, org_view
from .versions import edit_context, edit_save

NO_SUCH_MEMBER = NOT_FOUND.format(thing="member")
NO_SUCH_INVITATION = (
    "This invitation has been accepted, cancelled or has expired, or the link is not complete."
)
INVITED = (
    "{invitee} has been invited to join with the {role} role. Send them the invitation's link, "
    "below: they accept it by signing in or creating their account."
)
INVITATION_CANCELLED = "The invitation for {invitee} has been cancelled."
JOINED = "You are now a member of {organisation}."


def _membership_or_404(request: OrgRequest, membership_id: int) -> Membership:
    return get_or_404(selectors.membership_get, request, "member", pk=membership_id)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user_cache)
        return redirect(next_url or reverse("accounts:organisations"))
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in, sent to the throttled sign-in page (keeping ``next``).

    Nothing posted here is checked: the only way to sign in is the sign-in page.
    """
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    url = reverse("accounts:login")
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("core:start")


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.membership_list_for_user(user=request.user))
    if len(memberships) == 1 and request.GET.get("choose") is None:
        return redirect("core:home", org_slug=memberships[0].organisation.slug)
    return render(request, "accounts/organisations.html", {"memberships": memberships})


@login_required
@sensitive_post_parameters()
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(
        cast(User, request.user), data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        user = services.user_set_password(
            user=form.user, password=form.cleaned_data["new_password1"], by=request.user
        )
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:organisations")
    return render(request, "accounts/password_change.html", {"form": form})


@org_view(Role.ADMIN)
def member_list(request: OrgRequest) -> HttpResponse:
    members = selectors.membership_list(organisation=request.organisation)
    invitations = [
        (invitation, request.build_absolute_uri(_invitation_url(invitation)))
        for invitation in selectors.invitation_list(organisation=request.organisation)
    ]
    return render(
        request, "accounts/member_list.html", {"members": members, "invitations": invitations}
    )


def _invitation_url(invitation: Invitation) -> str:
    return reverse("accounts:invitation", kwargs={"token": invitation.token})


@org_view(Role.ADMIN)
def member_add(request: OrgRequest) -> HttpResponse:
    """Invite someone: the same answer whether or not they have an account anywhere."""
    organisation = request.organisation
    form = MemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                by=request.user,
                organisation=organisation,
                invitee=data["invitee"],
                role=data["role"],
                job_title=data["job_title"],
            )
        except services.ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                INVITED.format(
                    invitee=invitation.invitee, role=invitation.get_role_display().lower()
                ),
            )
            return redirect("accounts:member_list", org_slug=organisation.slug)
    return render(request, "accounts/member_form.html", {"form": form, "adding": True})


@org_view(Role.ADMIN)
def invitation_cancel(request: OrgRequest, invitation_id: int) -> HttpResponse:
    invitation = get_or_404(selectors.invitation_get, request, "invitation", pk=invitation_id)
    if request.method == "POST":
        services.invitation_cancel(invitation=invitation, by=request.user)
        messages.success(request, INVITATION_CANCELLED.format(invitee=invitation.invitee))
    return redirect("accounts:member_list", org_slug=request.organisation.slug)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation's link leads: accept it signed in, or create the account invited."""
    found = selectors.invitation_by_token(token=token)
    if found is None:
        # Not a bare "page not found": the person holding the link is told what to do.
        return render(
            request, "accounts/invitation_gone.html", {"message": NO_SUCH_INVITATION}, status=404
        )
    signed_in = request.user.is_authenticated
    posted = request.POST if request.method == "POST" else None
    invitee = found.invitee
    form = None
    if not signed_in:
        initial = {"email": invitee} if "@" in invitee else {"username": invitee}
        form = AccountCreateForm(posted, initial=initial)
    error = ""
    if posted is not None:
        try:
            if signed_in:
                services.invitation_accept(invitation=found, user=cast(User, request.user))
            elif form is not None and form.is_valid():
                user = services.invitation_accept_as_new_user(invitation=found, **form.cleaned_data)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return _invitation_page(request, found, form, error)
        except services.ServiceError as refused:
            if form is not None:
                apply_service_error(form, refused)
            else:
                error = refused.message
        else:
            messages.success(request, JOINED.format(organisation=found.organisation))
            return redirect("core:home", org_slug=found.organisation.slug)
    return _invitation_page(request, found, form, error)


def _invitation_page(
    request: HttpRequest, found: Invitation, form: AccountCreateForm | None, error: str
) -> HttpResponse:
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": found,
            "form": form,
            "error": error,
            "sign_in_url": reverse("accounts:login") + "?" + urlencode({"next": request.path}),
        },
    )


@org_view(Role.ADMIN)
def member_edit(request: OrgRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    form = MemberEditForm(
        request.POST if request.method == "POST" else None,
        initial={"role": membership.role, "job_title": membership.job_title},
    )
    outcome = None
    if request.method == "POST":
        outcome = edit_save(
            request,
            form,
            membership,
            lambda data: services.membership_update(by=request.user, membership=membership, **data),
        )
        if outcome.saved:
            messages.success(request, f"{membership.user.get_username()}'s role has been changed.")
            return redirect("accounts:member_list", org_slug=request.organisation.slug)
    context = {"form": form, "membership": membership}
    context |= edit_context(request, form, membership, outcome)
    return render(request, "accounts/member_form.html", context)


@org_view(Role.ADMIN)
def member_remove(request: OrgRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_delete(by=request.user, membership=membership)
        except services.ServiceError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                f"{membership.user.get_username()} is no longer a member of "
                f"{request.organisation}.",
            )
            return redirect("accounts:member_list", org_slug=request.organisation.slug)
    return render(
        request, "accounts/member_remove.html", {"membership": membership, "error": error}
    )


@org_view(Role.ADMIN)
def organisation_settings(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationSettingsForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    outcome = None
    if request.method == "POST":
        outcome = edit_save(
            request,
            form,
            organisation,
            lambda data: services.organisation_update(
                by=request.user, organisation=organisation, **data
            ),
        )
        if outcome.saved:
            messages.success(request, "The organisation's settings have been saved.")
            return redirect("accounts:settings", org_slug=organisation.slug)
    context = {"form": form, **edit_context(request, form, organisation, outcome)}
    return render(request, "accounts/settings.html", context)
