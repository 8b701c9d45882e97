"""Two people in two browsers change the same unit: the second is refused, then saves again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_save_is_refused_in_the_browser_and_saved_again(browser: Any, live_server) -> None:
    from goldenthread.core.models import Unit
    from goldenthread.demo.builder import demo_load

    organisation = demo_load(password=DEMO_PASSWORD).organisation
    unit = Unit.objects.filter(organisation=organisation).order_by("pk").first()
    assert unit is not None
    edit = f"{live_server.url}/o/{organisation.slug}/units/{unit.pk}/edit/"
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        editor, admin = (context.new_page() for context in contexts)
        for page, username in ((editor, "demo-editor"), (admin, "demo-admin")):
            page.set_default_timeout(15_000)
            sign_in(page, live_server.url, username)
            page.goto(edit)
        # The admin saves first.
        admin.get_by_label("Name").fill("Saved by the admin")
        admin.get_by_role("button", name="Save").click()
        admin.wait_for_load_state("networkidle")
        assert "has been saved" in admin.locator(".govuk-notification-banner").inner_text()

        # The editor's page was opened before that save: refused, both shown.
        editor.get_by_label("Name").fill("Saved by the editor")
        editor.get_by_role("button", name="Save").click()
        editor.wait_for_load_state("networkidle")
        summary = editor.locator(".govuk-error-summary").inner_text()
        assert "(demo-admin) changed this unit at" in summary
        assert "Your changes have not been saved." in summary
        row = editor.locator(".gt-stale-differences tbody tr")
        assert row.locator("td").all_inner_texts() == ["Saved by the editor", "Saved by the admin"]
        assert editor.get_by_label("Name").input_value() == "Saved by the editor"
        unit.refresh_from_db()
        assert unit.name == "Saved by the admin"
        violations = axe_violations(editor)
        assert violations == [], describe(violations)

        # Saving again from the refused page is accepted.
        editor.get_by_role("button", name="Save").click()
        editor.wait_for_load_state("networkidle")
        assert "has been saved" in editor.locator(".govuk-notification-banner").inner_text()
        unit.refresh_from_db()
        assert unit.name == "Saved by the editor"
    finally:
        for context in contexts:
            context.close()
