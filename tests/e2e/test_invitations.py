"""An admin invites someone in the browser; they follow the link and join."""

from __future__ import annotations

import pytest

from goldenthread.accounts.models import Membership, Role
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe
from tests.factories import PASSWORD, OrganisationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_person_creates_their_account_and_joins(page, live_server) -> None:
    organisation = OrganisationFactory(name="Havant Borough Council", slug="havant")
    member(organisation, Role.ADMIN, username="boss")
    site = live_server.url
    sign_in(page, site, "boss", PASSWORD)
    page.goto(f"{site}/o/havant/members/")
    page.get_by_role("button", name="Invite a member").click()
    page.get_by_label("Username or e-mail address").fill("nia@example.gov.uk")
    page.get_by_label("Editor", exact=False).check()
    page.get_by_role("button", name="Invite").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "nia@example.gov.uk has been invited to join with the editor role" in banner
    link = page.locator(".gt-invitation-link").inner_text().strip()
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    assert page.locator("h1").inner_text() == "Join Havant Borough Council"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.get_by_label("E-mail address (optional)").input_value() == "nia@example.gov.uk"
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Full name").fill("Nia Newbie")
    page.get_by_label("Password").fill("correct-horse-battery-77")
    page.get_by_role("button", name="Create the account and join").click()
    page.wait_for_load_state("networkidle")
    assert "You are now a member of Havant Borough Council." in (
        page.locator(".govuk-notification-banner").inner_text()
    )
    joined = Membership.objects.get(organisation=organisation, user__username="nia")
    assert joined.role == Role.EDITOR
