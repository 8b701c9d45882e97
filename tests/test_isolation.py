"""Walk every URL pattern of the project as an outsider and as an anonymous user.

Nothing of an organisation may reach someone who is not its member: each
organisation URL must answer 404 to a member of another organisation and
send an anonymous user to sign in, for GET and for POST. The patterns are
discovered from the URL configuration, so a view is covered the day it is added.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goldenthread.accounts.models import Role
from tests.conftest import DEMO_PASSWORD
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import attribute, select, text
from tests.url_samples import SAMPLES

#: Pages anyone may see.
PUBLIC = {
    "core:start",
    "core:cookies",
    "core:accessibility",
    "accounts:login",
    # An invitation's link, for someone who may have no account yet.
    "accounts:invitation",
    "guide:index",
    "guide:page",
    "guide:image",
}
#: Signed-in pages that belong to no organisation: they show only the user's own.
PERSONAL = {"accounts:organisations", "accounts:password_change", "accounts:logout"}
#: Django's admin has its own staff-only sign-in.
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]


def _walk(patterns: list[object], namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes.extend(_walk(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            arguments = tuple(entry.pattern.regex.groupindex)
            routes.append(Route(name, arguments))
    return routes


ROUTES = _walk(get_resolver().url_patterns)
ORG_ROUTES = [r for r in ROUTES if "org_slug" in r.arguments]
#: URL arguments that name no record: every other argument is a record's id.
NOT_IDS = {"org_slug", "fmt", "model_label", "source", "kind", "importer"}
#: Organisation URLs that name a record of the organisation.
RECORD_ROUTES = [r for r in ORG_ROUTES if set(r.arguments) - NOT_IDS]


def test_the_walk_finds_the_organisation_pages() -> None:
    names = {route.name for route in ORG_ROUTES}
    assert {
        "core:home",
        "core:unit_detail",
        "accounts:member_list",
        "audit:record_history",
    } <= names


def test_every_route_is_classified() -> None:
    unclassified = [
        route.name
        for route in ROUTES
        if route.name not in PUBLIC | PERSONAL
        and "org_slug" not in route.arguments
        and not route.name.startswith(ADMIN_NAMESPACE + ":")
    ]
    assert unclassified == [], (
        "These URLs are neither public, personal nor under /o/<org_slug>/: "
        "put organisation data under /o/<org_slug>/ or classify them here"
    )


def _url(route: Route, organisation: object) -> str:
    missing = [arg for arg in route.arguments if arg not in SAMPLES]
    assert not missing, f"{route.name}: add a sample for {missing} in tests/url_samples.py"
    kwargs = {arg: SAMPLES[arg](organisation) for arg in route.arguments}
    return reverse(route.name, kwargs=kwargs)


@pytest.fixture
def outsider(demo: object) -> object:
    other = OrganisationFactory(name="Elsewhere Council", slug="elsewhere")
    return member(other, Role.ADMIN, username="outsider")


# Each walk visits every organisation URL in one test (loading the demo once)
# and reports every URL that fails, not just the first.


def _walk_failures(client, demo, check) -> list[str]:
    failures = []
    for route in ORG_ROUTES:
        url = _url(route, demo)
        problem = check(url)
        if problem:
            failures.append(f"{route.name} {url}: {problem}")
    return failures


def test_an_outsider_gets_not_found(client, demo, outsider) -> None:
    client.login(username="outsider", password=PASSWORD)

    def check(url: str) -> str | None:
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 404:
                return f"{method.__name__.upper()} gave {response.status_code}"
            if demo.name.encode() in response.content:
                return f"{method.__name__.upper()} showed the organisation's name"
        return None

    assert _walk_failures(client, demo, check) == []


def test_a_member_cannot_reach_another_organisations_records_from_their_own(
    client, demo, outsider
) -> None:
    """The member's own organisation's address with another organisation's record ids: 404.

    The tenancy guard lets the member in (it is their organisation), so only
    the view's organisation-scoped lookup stands between them and the record.
    """
    own = outsider.memberships.get().organisation
    client.login(username="outsider", password=PASSWORD)
    failures = []
    for route in RECORD_ROUTES:
        kwargs = {arg: SAMPLES[arg](demo) for arg in route.arguments}
        url = reverse(route.name, kwargs={**kwargs, "org_slug": own.slug})
        for method in (client.get, client.post):
            try:
                response = method(url)
            except Exception as error:  # a view that lets a lookup fail answers 500
                failures.append(f"{route.name} {url}: {method.__name__.upper()} raised {error!r}")
                break
            # A page that takes no POST may refuse it before looking anything up.
            allowed = {404, 405} if method.__name__ == "post" else {404}
            if response.status_code not in allowed:
                failures.append(
                    f"{route.name} {url}: {method.__name__.upper()} gave {response.status_code}"
                )
                break
            if demo.name.encode() in response.content:
                failures.append(f"{route.name} {url}: showed the other organisation's name")
                break
    assert failures == [], "\n".join(failures)


def test_another_organisations_ids_in_the_query_string_show_nothing_of_it(
    client, demo, outsider
) -> None:
    """Pages that take a record's id in the query string ignore another organisation's."""
    from goldenthread.performance.models import ThreadItem
    from tests.url_samples import _snapshot, _unit

    own = outsider.memberships.get().organisation
    client.login(username="outsider", password=PASSWORD)
    unit, snapshot = _unit(demo), _snapshot(demo)
    item = ThreadItem.objects.filter(organisation=demo).order_by("pk").first()
    cases = [
        ("core:unit_create", {"parent": unit.pk}, unit.name),
        ("performance:item_create", {"parent": item.pk}, item.title),
        ("structure:compare", {"old": snapshot.pk, "new": snapshot.pk}, snapshot.name),
    ]
    for name, query, secret in cases:
        response = client.get(reverse(name, kwargs={"org_slug": own.slug}), query)
        assert response.status_code == 200, name
        assert secret not in text(response), name
        assert demo.name not in text(response), name


def test_the_walk_tries_every_record_url(outsider) -> None:
    names = {route.name for route in RECORD_ROUTES}
    assert {"core:unit_detail", "jobs:job_detail", "accounts:member_edit"} <= names
    assert not {"core:home", "core:unit_export", "core:unit_list"} & names


def test_an_anonymous_user_is_sent_to_sign_in(client, demo) -> None:
    def check(url: str) -> str | None:
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or not response["Location"].startswith(
                reverse("accounts:login") + "?next="
            ):
                return f"{method.__name__.upper()} gave {response.status_code}"
        return None

    assert _walk_failures(client, demo, check) == []


def test_a_viewer_cannot_write(client, demo) -> None:
    client.login(username="demo-viewer", password=DEMO_PASSWORD)

    def check(url: str) -> str | None:
        status = client.post(url).status_code
        return None if status in {403, 405} else f"POST as a viewer gave {status}"

    assert _walk_failures(client, demo, check) == []


def test_every_page_answers_an_admin_member(client, demo) -> None:
    """Each view's GET runs for a member (on SQLite and on PostgreSQL) without an error."""
    client.login(username="demo-admin", password=DEMO_PASSWORD)

    def check(url: str) -> str | None:
        response = client.get(url)
        status = response.status_code
        if status not in {200, 302, 405}:
            return f"GET gave {status}"
        # Every whole page (not an htmx fragment or a download) links to its guide section.
        html = status == 200 and response["Content-Type"].startswith("text/html")
        if html and select(response, "body.govuk-template__body"):
            links = attribute(response, ".gt-help-link a", "href")
            if len(links) != 1 or not links[0].startswith(reverse("guide:index")):
                return f"has no help link to the guide: {links}"
        return None

    assert _walk_failures(client, demo, check) == []


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PERSONAL], ids=lambda r: r.name)
def test_personal_pages_need_sign_in_and_show_only_ones_own(client, demo, outsider, route) -> None:
    url = reverse(route.name)
    response = client.get(url)
    assert response.status_code in {302, 405}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
    client.login(username="outsider", password=PASSWORD)
    response = client.get(url)
    assert demo.name.encode() not in response.content


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name in PUBLIC and not r.arguments], ids=lambda r: r.name
)
def test_public_pages_answer_anyone(client, db, route: Route) -> None:
    assert client.get(reverse(route.name)).status_code == 200


def test_admin_is_for_staff_only(client, demo, outsider) -> None:
    client.login(username="outsider", password=PASSWORD)
    response = client.get("/admin/accounts/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
