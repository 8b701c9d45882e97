"""The MOD 2016 senior and junior files' dashboard in a browser: junior staff as a series."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe
from tests.e2e.test_assets import errors_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_layers_chart_draws_junior_staff_on_an_axis_of_their_own(page, live_server) -> None:
    from goldenthread.accounts.models import Role
    from goldenthread.formats.organogram import read_organogram
    from goldenthread.formats.posts import build_structure
    from goldenthread.structure.services import snapshot_create_from_structure
    from tests.factories import PASSWORD, OrganisationFactory, member
    from tests.structure.conftest import real_file

    organisation = OrganisationFactory(name="Ministry of Defence", slug="mod")
    member(organisation, Role.VIEWER, username="vi")
    files = (
        real_file("ministry_of_defence-2016-03-31-senior.csv"),
        real_file("ministry_of_defence-2016-03-31-junior.csv"),
    )
    snapshot = snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(read_organogram(*files)).structure,
        name="MOD 2016",
    )
    errors = errors_of(page)
    sign_in(page, live_server.url, "vi", PASSWORD)
    page.goto(f"{live_server.url}/o/mod/structures/{snapshot.pk}/")
    page.locator("#chart-layers .main-svg").first.wait_for(state="attached")
    # Posts, FTE of posts and FTE of junior staff: three series, the last on
    # the right-hand axis.
    assert page.locator("#chart-layers .trace.bars").count() == 3
    legend = page.locator("#chart-layers .legend").text_content() or ""
    assert "FTE of junior staff" in legend
    assert page.locator("#chart-layers .y2title").text_content() == "FTE of junior staff"
    assert (
        "in the layer below the post they report to" in page.locator("#junior-staff").inner_text()
    )
    assert describe(axe_violations(page)) == ""
    assert errors == []
