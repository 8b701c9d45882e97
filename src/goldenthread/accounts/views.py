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
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    MemberAddForm,
    MemberEditForm,
    OrganisationSettingsForm,
    PasswordChangeForm,
    SignInForm,
    apply_service_error,
)
from .models import Membership, Role
from .tenancy import NOT_FOUND, OrgRequest, get_or_404, org_view
from .versions import edit_context, edit_save

NO_SUCH_MEMBER = NOT_FOUND.format(thing="member")


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
    return render(request, "accounts/member_list.html", {"members": members})


@org_view(Role.ADMIN)
@sensitive_post_parameters("password")
def member_add(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    form = MemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = data["user"] or services.user_create(
                by=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
            )
            membership = services.membership_create(
                by=request.user,
                organisation=organisation,
                user=user,
                role=data["role"],
                job_title=data["job_title"],
            )
        except services.ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.user.get_username()} is now a "
                f"{membership.get_role_display().lower()} of {organisation}.",
            )
            return redirect("accounts:member_list", org_slug=organisation.slug)
    return render(request, "accounts/member_form.html", {"form": form, "adding": True})


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
