"""What the base template needs on every page: the organisation, its navigation, the switcher,
and the guide page that explains the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from goldenthread.accounts.selectors import membership_list_for_user

from .guide.help import help_url
from .navigation import ORGANISATION_NAV


def shell(request: HttpRequest) -> dict[str, Any]:
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {
        "current_organisation": organisation,
        "current_membership": membership,
        "help_url": help_url(getattr(request, "resolver_match", None)),
    }
    if organisation is None or membership is None:
        return context
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    context["service_nav"] = [
        {
            "label": item.label,
            "href": reverse(item.url_name, kwargs={"org_slug": organisation.slug}),
            "active": current.startswith(item.section),
        }
        for item in ORGANISATION_NAV
        if membership.allows(item.role)
    ]
    # A page that renders parts of itself with the request (panels) runs this again: read the
    # member's organisations once a request.
    memberships = getattr(request, "_gt_shell_memberships", None)
    if memberships is None:
        memberships = list(membership_list_for_user(user=request.user))
        request._gt_shell_memberships = memberships  # type: ignore[attr-defined]
    context["switch_memberships"] = [m for m in memberships if m.organisation_id != organisation.pk]
    return context
