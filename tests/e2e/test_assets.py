"""The browser assets at work: the charts draw with the smaller plotly build, and
MoJ Frontend's components and the pickers enhance the markup they are given
(the data attributes documented at the top of web/static/web/goldenthread.mjs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-layers", "chart-spans", "chart-units", "chart-line")
UNITS = [
    {"value": "41", "label": "Adults / Commissioning", "hint": "Manager: Head of Adults"},
    {"value": "42", "label": "Children / Commissioning", "hint": "Manager: Head of Children"},
    {"value": "7", "label": "Resources / Finance"},
]


def errors_of(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_the_structure_dashboard_draws_every_chart(page, live_server, tmp_path: Path) -> None:
    from goldenthread.demo.builder import demo_load
    from goldenthread.structure import demo as structure_demo
    from goldenthread.structure.models import Snapshot

    demo_load(password="demo-test-password-4821")
    as_is = Snapshot.objects.get(name=structure_demo.AS_IS)
    errors = errors_of(page)
    sign_in(page, live_server.url, "demo-viewer")
    page.goto(f"{live_server.url}/o/brackenford/structures/{as_is.pk}/")
    for chart in CHARTS:
        page.locator(f"#{chart} .main-svg").first.wait_for(state="attached")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    # The icicle is on the second of GOV.UK's tabs.
    page.get_by_role("tab", name="By reporting line").click()
    assert page.locator("#chart-line .main-svg").first.is_visible()

    # Bars for posts and FTE in each layer; a rectangle per unit and per post.
    layers = json.loads(page.locator("#structure-charts").inner_text())["layers"]
    assert page.locator("#chart-layers .trace.bars .point").count() == 2 * len(layers)
    assert page.locator("#chart-spans .trace.bars .point").count() > 0
    assert page.locator("#chart-units g.slice").count() > 1
    assert page.locator("#chart-line g.slice").count() > 1
    assert errors == []


PLAYGROUND = """
<form method="get" action="/submitted/" id="playground">
  <div class="moj-button-menu" data-module="moj-button-menu">
    <a href="#" class="govuk-button moj-button-menu__item govuk-button--secondary">Download XLSX</a>
    <a href="#" class="govuk-button moj-button-menu__item govuk-button--secondary">Download CSV</a>
  </div>
  <div class="moj-datepicker" data-module="moj-date-picker">
    <div class="govuk-form-group">
      <label class="govuk-label" for="since">Changed since</label>
      <input class="govuk-input moj-js-datepicker-input" id="since" name="since" type="text">
    </div>
  </div>
  <div class="govuk-form-group">
    <label class="govuk-label" for="colour">Colour</label>
    <select class="govuk-select" id="colour" name="colour" data-gt-autocomplete>
      <option value="">Any colour</option>
      <option value="r">Red</option>
      <option value="g">Green</option>
      <option value="x">Grey &lt;img src=x onerror=window.injected=1&gt;</option>
    </select>
  </div>
  <div class="govuk-form-group">
    <label class="govuk-label" for="unit">Unit</label>
    <input class="govuk-input" id="unit" name="unit" value="7"
      data-gt-autocomplete-url="/pickers/units/" data-gt-autocomplete-target="unit"
      data-gt-autocomplete-label="Resources / Finance">
  </div>
  <button class="govuk-button" type="submit">Apply</button>
</form>
"""


def test_moj_components_and_pickers_enhance_their_markup(page, live_server) -> None:
    errors = errors_of(page)
    searches: list[str] = []

    def units(route: Any) -> None:
        query = parse_qs(urlparse(route.request.url).query)["q"][0]
        searches.append(query)
        found = [unit for unit in UNITS if query.lower() in unit["label"].lower()]
        route.fulfill(json=found)

    submitted: list[dict[str, list[str]]] = []

    def submit(route: Any) -> None:
        submitted.append(parse_qs(urlparse(route.request.url).query))
        route.fulfill(body="<!DOCTYPE html><title>Submitted</title>", content_type="text/html")

    page.route("**/pickers/units/**", units)
    page.route("**/submitted/**", submit)
    page.goto(f"{live_server.url}/sign-in/")
    # As htmx would swap it in: the page's script enhances what lands.
    page.evaluate(
        """(html) => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', html);
          const elt = document.getElementById('playground');
          document.body.dispatchEvent(new CustomEvent('htmx:afterSettle', {detail: {elt}}));
        }""",
        PLAYGROUND,
    )

    # MoJ button menu: the two buttons fold into an "Actions" menu.
    page.get_by_role("button", name="Actions").click()
    assert page.get_by_role("link", name="Download CSV").is_visible()
    # MoJ date picker: a calendar button beside the input.
    page.get_by_role("button", name="Choose date").click()
    assert page.get_by_role("dialog").is_visible()
    page.keyboard.press("Escape")

    # A select becomes a search box; the select keeps the value.
    page.get_by_label("Colour").fill("gre")
    # An option's text is shown as text, never run as HTML.
    grey = page.get_by_role("option", name="Grey <img src=x onerror=window.injected=1>")
    assert grey.is_visible()
    assert page.evaluate("window.injected") is None
    page.get_by_role("option", name="Green").click()
    assert page.locator("select[name=colour]").input_value() == "g"
    # Clearing the box clears the choice, as the list allows none.
    page.get_by_label("Colour").fill("")
    page.get_by_label("Unit").focus()
    assert page.locator("select[name=colour]").input_value() == ""
    page.get_by_label("Colour").fill("gre")
    page.get_by_role("option", name="Green").click()

    # A server-side picker: starts with the current value's label, searches
    # the URL with ?q=, shows each option's hint, writes the value to `unit`.
    unit = page.get_by_label("Unit")
    assert unit.input_value() == "Resources / Finance"
    assert page.locator("input[type=hidden][name=unit]").input_value() == "7"
    unit.fill("commiss")
    option = page.get_by_role("option", name="Children / Commissioning")
    assert "Manager: Head of Children" in option.inner_text()
    option.click()
    assert unit.input_value() == "Children / Commissioning"
    assert "commiss" in searches
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/submitted/**")
    assert submitted[-1] == {"colour": ["g"], "unit": ["42"]}
    assert errors == []


def test_typing_over_a_choice_unsets_it(page, live_server) -> None:
    page.route("**/pickers/units/**", lambda route: route.fulfill(json=UNITS[:1]))
    page.goto(f"{live_server.url}/sign-in/")
    page.evaluate(
        """(html) => {
          document.querySelector('main').insertAdjacentHTML('beforeend', html);
          const elt = document.getElementById('playground');
          document.body.dispatchEvent(new CustomEvent('htmx:afterSettle', {detail: {elt}}));
        }""",
        PLAYGROUND,
    )
    page.get_by_label("Unit").fill("nothing like it")
    assert page.locator("input[type=hidden][name=unit]").input_value() == ""
