from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import org_view
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@org_view(Role.EDITOR)
def editor_view(request):
    return HttpResponse(request.organisation.slug)


@org_view()
def read_view(request):
    return HttpResponse("read")


def test_the_guard_sets_the_organisation_for_a_member() -> None:
    organisation = OrganisationFactory(slug="somerset")
    user = member(organisation, Role.EDITOR)
    request = RequestFactory().get("/")
    request.user = user
    assert editor_view(request, org_slug="somerset").content == b"somerset"


def test_a_lower_role_is_forbidden_and_an_outsider_not_found() -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    organisation = OrganisationFactory(slug="somerset")
    viewer = member(organisation, Role.VIEWER)
    outsider = member(OrganisationFactory(), Role.ADMIN)
    request = RequestFactory().get("/")
    request.user = viewer
    with pytest.raises(PermissionDenied):
        editor_view(request, org_slug="somerset")
    request.user = outsider
    with pytest.raises(Http404):
        editor_view(request, org_slug="somerset")


def test_a_read_only_view_refuses_writes_even_from_an_admin() -> None:
    organisation = OrganisationFactory(slug="somerset")
    request = RequestFactory().post("/")
    request.user = member(organisation, Role.ADMIN)
    assert read_view(request, org_slug="somerset").status_code == 405
