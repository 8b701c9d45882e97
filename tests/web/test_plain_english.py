"""Pages speak plain English: no insider words a council officer would not use."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD
from tests.html import select

pytestmark = pytest.mark.django_db

#: Words and phrases that mean something only to the people who built the product.
JARGON = re.compile(r"documented way|seed figure|\borphans?\b|\bseed\b", re.IGNORECASE)

PAGES = [
    "structure:snapshot_upload",
    "accounts:settings",
    "performance:thread",
    "performance:orphans",
    "performance:item_create",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_jargon(client, demo, name: str) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    page = client.get(reverse(name, kwargs={"org_slug": demo.slug}))
    assert page.status_code == 200
    words = " ".join(select(page, "main"))
    assert not JARGON.findall(words)
