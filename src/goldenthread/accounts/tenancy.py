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
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NOT_MEMBER = "No organisation with this address, or you are not one of its members."
ROLE_TOO_LOW = "You need the {role} role in {organisation} to do this."

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

NOT_FOUND = "No such {thing} in this organisation"

P = ParamSpec("P")
T = TypeVar("T")


class OrgRequest(HttpRequest):
    """The request an organisation view is given: the guard has set these."""

    organisation: Organisation
    membership: Membership
    #: A signed-in user: the guard sends anonymous users to sign in first.
    user: User


OrgViewFunc = Callable[Concatenate[OrgRequest, P], HttpResponse]
GuardedView = Callable[Concatenate[HttpRequest, str, P], HttpResponse]


def membership_for(request: HttpRequest, org_slug: str) -> Membership:
    """The signed-in user's membership of the organisation, or 404."""
    try:
        return Membership.objects.select_related("organisation").get(
            organisation__slug=org_slug, user_id=cast(int, request.user.pk)
        )
    except Membership.DoesNotExist:
        raise Http404(NOT_MEMBER) from None


def org_view(
    role: str = Role.VIEWER, write_role: str | None = None
) -> Callable[[OrgViewFunc[P]], GuardedView[P]]:
    """Guard a view under ``/o/<org_slug>/`` with the role it needs.

    The view is given an :class:`OrgRequest`, whose ``organisation`` and
    ``membership`` are set, and not the ``org_slug`` the URL carried.
    """

    def decorator(view: OrgViewFunc[P]) -> GuardedView[P]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, org_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
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
            org_request = cast(OrgRequest, request)
            org_request.organisation = membership.organisation
            org_request.membership = membership
            return view(org_request, *args, **kwargs)

        wrapped.org_guarded = True  # type: ignore[attr-defined]
        wrapped.org_role = role  # type: ignore[attr-defined]
        return cast(GuardedView[P], wrapped)

    return decorator


def can_open(request: OrgRequest, url: str) -> bool:
    """Whether the member making ``request`` may open the page at ``url`` (a path of
    this site), so that a page offers only the links its reader can follow."""
    from django.urls import Resolver404, resolve

    try:
        view = resolve(url.split("?", 1)[0]).func
    except Resolver404:
        return False
    needed = getattr(view, "org_role", None)
    return needed is None or request.membership.allows(needed)


#: More digits than this cannot be a database id (a 64-bit integer has 19).
ID_MAX_DIGITS = 18


def query_id(text: str | None) -> int | None:
    """``text`` (a query-string value) as a record id, or ``None``: ASCII digits 0-9 only.

    ``str.isdigit`` and ``int`` also accept other scripts' digits and
    superscripts (``"²".isdigit()`` is true), which a database id never has;
    and an id longer than a 64-bit column holds is no id either.
    """
    if text and text.isascii() and text.isdigit() and len(text) <= ID_MAX_DIGITS:
        return int(text)
    return None


def get_or_404(selector: Callable[..., T], request: OrgRequest, thing: str, **lookup: Any) -> T:
    """The record ``selector(organisation=..., **lookup)`` returns, or 404 naming ``thing``.

    The selector is always given the request's organisation, so another
    organisation's id answers 404 just like a missing one.
    """
    try:
        return selector(organisation=request.organisation, **lookup)
    except ObjectDoesNotExist:
        raise Http404(NOT_FOUND.format(thing=thing)) from None
