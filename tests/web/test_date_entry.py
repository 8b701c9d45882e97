"""Every date a form asks for is entered with the GOV.UK date input pattern.

The walk opens every organisation page as an admin of the demo organisation:
no form that saves anything offers a browser date control or a calendar date
picker, and each date it asks for is three boxes (day, month, year) in a
fieldset with a legend.
"""

from __future__ import annotations

from tests.conftest import DEMO_PASSWORD
from tests.html import parse
from tests.test_isolation import ORG_ROUTES, _url

PARTS = ("day", "month", "year")


def _date_entry_problems(html: str) -> tuple[list[str], list[str]]:
    """The date inputs of a page, by name, and what is wrong with its date entry."""
    tree = parse(html)
    problems = [
        f"an <input type=date> named {i.get('name')}" for i in tree.select("input[type=date]")
    ]
    problems += [
        "an MoJ date picker in a form that saves"
        for _ in tree.select("form[method=post] [data-module=moj-date-picker]")
    ]
    names = []
    for boxes in tree.select(".govuk-date-input"):
        name = boxes.get("id", "").removeprefix("id_")
        names.append(name)
        fieldset = boxes.find_parent("fieldset", class_="govuk-fieldset")
        if (
            fieldset is None
            or fieldset.select_one(":scope > legend.govuk-fieldset__legend") is None
        ):
            problems.append(f"the date input {name} is not in a fieldset with a legend")
        typed = [box.get("name") for box in boxes.select("input.govuk-date-input__input")]
        if typed != [f"{name}_{part}" for part in PARTS]:
            problems.append(f"the date input {name} has the boxes {typed}")
    return names, problems


def test_a_page_with_a_date_picker_or_a_browser_date_control_is_found() -> None:
    names, problems = _date_entry_problems(
        '<form method="post"><div class="moj-datepicker" data-module="moj-date-picker">'
        '<input name="when" type="text"></div><input name="since" type="date"></form>'
    )
    assert names == [] and len(problems) == 2


def test_every_date_a_form_asks_for_is_a_govuk_date_input(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    found: dict[str, set[str]] = {}
    failures = []
    for route in ORG_ROUTES:
        url = _url(route, demo)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        names, problems = _date_entry_problems(response.content.decode())
        failures += [f"{route.name} {url}: {problem}" for problem in problems]
        for name in names:
            found.setdefault(name, set()).add(route.name)
    assert failures == []
    # The walk reaches the pages that ask for a date: a snapshot's effective date
    # and a change's wave, the date a target operating model version was approved.
    assert {"effective_date", "approved_on"} <= set(found), found
