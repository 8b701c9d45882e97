"""The tenancy guard every organisation view uses.

``/o/<org_slug>/...`` views are wrapped in :func:`org_view`. The guard

* sends anonymous users to sign in,
* answers 404 to anyone who is not a member (so the organisation's existence
  is not revealed),
* answers 403 to a member whose role is below the one the view needs,
* and puts ``request.organisation`` and ``request.membership`` in place.

A view may need a different role for writing than for reading: ``write_role``
applies to every method other than GET and HEAD. A view guarded for viewers
with no ``write_role`` is read-only: other methods answer 405.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .models import Membership, Role

NOT_MEMBER = "No organisation with this address, or you are not one of its members."
ROLE_TOO_LOW = "You need the {role} role in {organisation} to do this."

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ViewFunc = Callable[..., HttpResponse]


def membership_for(request: HttpRequest, org_slug: str) -> Membership:
    """The signed-in user's membership of the organisation, or 404."""
    try:
        return Membership.objects.select_related("organisation").get(
            organisation__slug=org_slug, user_id=request.user.pk
        )
    except Membership.DoesNotExist:
        raise Http404(NOT_MEMBER) from None


def org_view(
    role: str = Role.VIEWER, write_role: str | None = None
) -> Callable[[ViewFunc], ViewFunc]:
    """Guard a view under ``/o/<org_slug>/`` with the role it needs."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request, org_slug)
            needed = role
            if request.method not in SAFE_METHODS:
                if role == Role.VIEWER and write_role is None:
                    return HttpResponseNotAllowed(sorted(SAFE_METHODS))
                needed = write_role or role
            if not membership.allows(needed):
                raise PermissionDenied(
                    ROLE_TOO_LOW.format(
                        role=Role(needed).label.lower(), organisation=membership.organisation
                    )
                )
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.org_guarded = True  # type: ignore[attr-defined]
        return wrapped

    return decorator
