"""The TOM on a page prints on two sheets of A4, with no row cut between sheets."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A page object of a PDF (not the /Pages tree that holds them).
PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_the_tom_on_a_page_prints_on_two_a4_pages(page: Any, live_server) -> None:
    from goldenthread.demo.builder import demo_load
    from goldenthread.operating_model.models import TomVersion

    demo = demo_load(password=DEMO_PASSWORD).organisation
    adopted = TomVersion.objects.filter(organisation=demo).order_by("number").first()
    assert adopted is not None
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}/o/{demo.slug}/operating-model/versions/{adopted.pk}/on-a-page/")
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(PDF_PAGE.findall(pdf)) == 2
    page.emulate_media(media="print")
    rows = page.locator(".gt-tom-page .govuk-table__row, .gt-tom-page .govuk-summary-list__row")
    kept = rows.evaluate_all("rows => rows.map((row) => getComputedStyle(row).breakInside)")
    assert kept and set(kept) == {"avoid"}
