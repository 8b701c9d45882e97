"""The user guide served by the application, and the help link on every page."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.web.guide import content
from goldenthread.web.guide.help import HELP, help_target
from goldenthread.web.guide.views import NO_SUCH_PAGE
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import attribute, select, select_one
from tests.test_isolation import ORG_ROUTES, PERSONAL, PUBLIC, ROUTES

ROOT = Path(__file__).resolve().parents[2]
PAGES = [name for name in content.page_names() if name != content.INDEX]


def _page_url(name: str) -> str:
    if name == content.INDEX:
        return reverse("guide:index")
    return reverse("guide:page", kwargs={"page": name})


def test_the_guide_is_read_from_the_docs_of_this_checkout() -> None:
    assert content.guide_dir() == ROOT / "docs" / "guide"
    assert content.images_dir() == ROOT / "docs" / "images"
    assert {"getting-started", "units", "structures", "operating-model"} <= set(PAGES)


def test_an_installed_copy_carries_the_guide_where_it_looks() -> None:
    """The wheel puts docs/guide and docs/images where guide_dir() and images_dir() look first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    package = content.PACKAGE_DIR.relative_to(ROOT / "src").as_posix()
    assert included == {
        "docs/guide": f"{package}/pages",
        "docs/images": f"{package}/images",
    }


def test_an_installed_copy_reads_its_own_pages(tmp_path, monkeypatch) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.md").write_text("# Packaged guide\n\nText.\n")
    (tmp_path / "images").mkdir()
    monkeypatch.setattr(content, "PACKAGE_DIR", tmp_path)
    assert content.guide_dir() == tmp_path / "pages"
    assert content.images_dir() == tmp_path / "images"
    assert content.page_names() == ["index"]
    assert content.page_get("index").title == "Packaged guide"


def test_the_index_lists_every_page_of_the_guide(client) -> None:
    response = client.get(reverse("guide:index"))
    assert response.status_code == 200
    assert select_one(response, "main h1") == "The goldenthread guide"
    linked = attribute(response, "main .gt-guide a.govuk-link", "href")
    assert sorted(set(linked) & {_page_url(name) for name in PAGES}) == sorted(
        _page_url(name) for name in PAGES
    )


@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_in_the_govuk_style(client, name) -> None:
    page = content.page_get(name)
    response = client.get(_page_url(name))
    assert response.status_code == 200
    assert select_one(response, "main h1.govuk-heading-xl") == page.title
    assert select(response, ".govuk-breadcrumbs__list-item") == ["Guide", page.title]
    assert select(response, "main .gt-guide p.govuk-body"), "no paragraph took govuk-body"
    # Every paragraph, list, table and heading the Markdown made has its GOV.UK class.
    for tag in ("p", "ul", "ol", "table", "h2", "h3"):
        bare = select(response, f"main .gt-guide {tag}:not([class])")
        assert bare == [], f"{tag} without a GOV.UK class: {bare}"
    # The contents list leads to each section of the page.
    if len(page.contents) > 1:
        anchors = attribute(response, ".gt-guide__contents a", "href")
        assert anchors == [f"#{heading.anchor}" for heading in page.contents]
        assert [f"#{a}" for a in attribute(response, "main h2[id]", "id")][1:] == anchors


def test_markdown_tables_lists_and_code_get_govuk_markup(client) -> None:
    response = client.get(_page_url("getting-started"))
    assert select(response, "table.govuk-table th.govuk-table__header") == ["role", "can"]
    assert select(response, "table.govuk-table td.govuk-table__cell")[::2] == [
        "Viewer",
        "Editor",
        "Admin",
    ]
    assert "/o/<its short name>/" in select(response, "main .gt-guide code")
    units = client.get(_page_url("structures"))
    assert select(units, "main ul.govuk-list.govuk-list--bullet li")


def test_raw_html_in_a_page_is_shown_as_text_not_run() -> None:
    page = content._render("t", "# T\n\n<script>alert(1)</script>\n\nA <b>b</b>.\n")
    assert "<script>" not in page.html
    assert "&lt;script&gt;" in page.html


def test_links_between_pages_lead_to_the_served_pages_and_their_sections(client) -> None:
    broken = []
    for name in [content.INDEX, *PAGES]:
        page = content.page_get(name)
        broken += [f"{name}: {link}" for link in page.broken_links]
        for href in attribute(client.get(_page_url(name)), "main .gt-guide a", "href"):
            url = urlsplit(href)
            if url.scheme or not url.path.startswith("/guide/"):
                continue
            target = url.path.strip("/").removeprefix("guide").strip("/") or content.INDEX
            linked = content.page_get(target)
            if linked is None:
                broken.append(f"{name}: {href}")
            elif url.fragment and url.fragment not in linked.anchors:
                broken.append(f"{name}: {href} (no such section)")
    assert broken == []
    structures = client.get(_page_url("structures"))
    assert _page_url("structure-engine") in attribute(structures, "main .gt-guide a", "href")


def test_a_link_that_leads_nowhere_is_reported() -> None:
    page = content._render("t", "# T\n\nSee [gone](gone.md), [cli](../cli.md) and [x](units.md).\n")
    assert page.broken_links == ("gone.md", "../cli.md")
    assert 'href="/guide/units/"' in page.html


def test_images_are_served_from_the_guide(client) -> None:
    response = client.get(_page_url("getting-started"))
    sources = attribute(response, "main .gt-guide img", "src")
    assert sources == [reverse("guide:image", kwargs={"name": "dashboard.png"})]
    image = client.get(sources[0])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == (ROOT / "docs/images/dashboard.png").read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "/guide/images/nothing.png",
        "/guide/images/..%2Fguide%2Findex.md",
        "/guide/images/%2E%2E",
        "/guide/no-such-page/",
        "/guide/index/",
    ],
)
def test_what_the_guide_does_not_have_is_not_found(client, url) -> None:
    assert client.get(url).status_code == 404


def test_a_missing_page_says_so(rf) -> None:
    from django.http import Http404

    from goldenthread.web.guide import views

    with pytest.raises(Http404, match=NO_SUCH_PAGE.format(name="nope")):
        views.page(rf.get("/guide/nope/"), page="nope")


def test_the_guide_is_public_and_read_only(client) -> None:
    assert client.get(_page_url("getting-started")).status_code == 200
    assert client.post(_page_url("getting-started")).status_code == 405


@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda route: route.name)
def test_every_organisation_page_has_a_guide_section(route) -> None:
    """A module's pages cannot land without a "Help with this page" that leads somewhere."""
    namespace, _, url_name = route.name.rpartition(":")
    target = help_target(namespace, url_name)
    assert target, f"add {route.name} (or its namespace) to HELP in goldenthread.web.guide.help"
    page_name, _, section = target.partition("#")
    page = content.page_get(page_name)
    assert page is not None, f"{route.name}: the guide has no page {page_name}"
    assert not section or section in page.anchors, f"{route.name}: {page_name} has no #{section}"


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name in PUBLIC | PERSONAL
        if not name.startswith("guide:") and name != "accounts:logout"
    ),
)
def test_every_page_outside_the_organisations_has_a_guide_section(name) -> None:
    namespace, _, url_name = name.rpartition(":")
    target = help_target(namespace, url_name)
    assert target, f"add {name} to HELP in goldenthread.web.guide.help"
    page_name, _, section = target.partition("#")
    page = content.page_get(page_name)
    assert page is not None and (not section or section in page.anchors), target


def test_every_help_entry_names_a_real_route_and_section() -> None:
    names = {route.name for route in ROUTES}
    namespaces = {name.rpartition(":")[0] for name in names}
    assert [key for key in HELP if key not in names and key not in namespaces] == []
    for target in HELP.values():
        page_name, _, section = target.partition("#")
        page = content.page_get(page_name)
        assert page is not None and (not section or section in page.anchors), target


@pytest.mark.django_db
def test_each_page_links_to_the_guide_section_that_explains_it(client) -> None:
    organisation = OrganisationFactory(slug="havant")
    member(organisation, Role.ADMIN, username="ad")
    client.login(username="ad", password=PASSWORD)
    cases = {
        reverse("core:unit_list", kwargs={"org_slug": "havant"}): "/guide/units/",
        reverse("core:unit_import", kwargs={"org_slug": "havant"}): (
            "/guide/units/#importing-units-from-a-spreadsheet"
        ),
        reverse("accounts:member_list", kwargs={"org_slug": "havant"}): (
            "/guide/getting-started/#members-admins"
        ),
        reverse("performance:thread", kwargs={"org_slug": "havant"}): (
            "/guide/operating-model/#the-golden-thread"
        ),
        reverse("core:start"): "/guide/",
    }
    for url, expected in cases.items():
        response = client.get(url)
        assert attribute(response, ".gt-help-link a", "href") == [expected], url
        assert select(response, ".gt-help-link a") == ["Help with this page"]
        assert reverse("guide:index") in attribute(response, ".govuk-footer a", "href")
    # The guide's own pages need no help link.
    assert select(client.get(_page_url("units")), ".gt-help-link") == []


def test_the_help_link_is_shown_before_signing_in(client, db) -> None:
    response = client.get(reverse("accounts:login"))
    assert attribute(response, ".gt-help-link a", "href") == ["/guide/getting-started/#signing-in"]


def test_headings_get_unique_anchors() -> None:
    page = content._render("t", "# T\n\n## Same\n\n## Same\n\n### `code` and *more*\n")
    assert [h.anchor for h in page.contents] == ["same", "same-2"]
    assert re.search(r'<h3 id="code-and-more" class="govuk-heading-m">', page.html)
