"""Every page's POST form carries a one-time token; every edit page, its record's version.

The pages are found by walking the URL configuration (as the isolation walk
does), so a new page without the guard fails here the day it is added.
"""

from __future__ import annotations

import pytest

from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.kit.submissions import TOKEN_FIELD
from tests.conftest import DEMO_PASSWORD
from tests.html import parse
from tests.test_isolation import ORG_ROUTES, _url

pytestmark = pytest.mark.django_db

#: Pages that change an existing record whose URL name does not end in ``_edit``.
EDIT_PAGES = {"accounts:settings", "structure:design_rules", "programme:benefit_settings"}


def _is_edit_page(name: str) -> bool:
    return name.endswith("_edit") or name in EDIT_PAGES


def test_the_edit_pages_are_found() -> None:
    edits = {route.name for route in ORG_ROUTES if _is_edit_page(route.name)}
    assert {
        "core:unit_edit",
        "accounts:member_edit",
        "accounts:settings",
        "operating_model:component_edit",
        "operating_model:version_edit",
        "operating_model:statement_edit",
        "operating_model:principle_set_edit",
        "operating_model:principle_edit",
        "operating_model:consideration_edit",
        "performance:item_edit",
        "structure:snapshot_edit",
        "structure:design_rules",
    } <= edits


def test_every_post_form_carries_a_token_and_every_edit_form_its_version(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    failures: list[str] = []
    edit_forms = 0
    for route in ORG_ROUTES:
        url = _url(route, demo)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        forms = parse(response).select("main form[method=post]")
        if _is_edit_page(route.name) and not forms:
            failures.append(f"{route.name} {url}: shows no form")
        for form in forms:
            hidden = {
                field.get("name"): field.get("value", "")
                for field in form.select("input[type=hidden]")
            }
            if not hidden.get(TOKEN_FIELD):
                failures.append(f"{route.name} {url}: a form without its one-time token")
            if _is_edit_page(route.name):
                edit_forms += 1
                if not hidden.get(VERSION_FIELD):
                    failures.append(f"{route.name} {url}: an edit form without its version")
    assert failures == [], "\n".join(failures)
    assert edit_forms >= 12
