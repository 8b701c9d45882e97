"""Submit a page's form as a browser would: its hidden guard fields and current values.

Every POST form of the application carries a one-time token, and an edit form
the version of the record it was read at. A test that changes a record opens
the page first and sends what the page holds, changed where a person types.
"""

from __future__ import annotations

from typing import Any

from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.kit.submissions import TOKEN_FIELD
from tests.html import parse

__all__ = ["MAIN_FORM", "date_input", "form_values", "guard", "submit"]

#: The page's own form, not the sign-out button in the header.
MAIN_FORM = "main form[method=post]"


def _form(page: Any, css: str) -> Any:
    forms = parse(page).select(css)
    assert len(forms) == 1, f"{css!r} selected {len(forms)} forms"
    return forms[0]


def guard(page: Any, css: str = MAIN_FORM) -> dict[str, str]:
    """The form's one-time token and (on an edit page) its record's version."""
    form = _form(page, css)
    return {
        field["name"]: field.get("value", "")
        for field in form.select("input[type=hidden]")
        if field.get("name") in {TOKEN_FIELD, VERSION_FIELD}
    }


def form_values(page: Any, css: str = MAIN_FORM) -> dict[str, Any]:
    """What the form would send as it stands: inputs, checked choices, selected options."""
    form = _form(page, css)
    values: dict[str, Any] = {}
    for field in form.select("input[name]"):
        kind = field.get("type", "text")
        if kind in {"submit", "button", "file"}:
            continue
        if kind in {"radio", "checkbox"} and not field.has_attr("checked"):
            continue
        values[field["name"]] = field.get("value", "on" if kind == "checkbox" else "")
    for area in form.select("textarea[name]"):
        values[area["name"]] = area.get_text().removeprefix("\n")
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        values[select["name"]] = chosen.get("value", "") if chosen else ""
    values.pop("csrfmiddlewaretoken", None)
    return values


def date_input(name: str, typed: str = "") -> dict[str, str]:
    """A GOV.UK date input's three boxes as a person fills them: "31/3/2026" is typed
    as 31, 3 and 2026; an empty part ("//2026") is a box left empty."""
    day, month, year = typed.split("/") if typed else ("", "", "")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def submit(client: Any, url: str, data: dict[str, Any], *, page: Any = None) -> Any:
    """Open ``url`` (or use ``page``, already open) and send its form changed by ``data``."""
    if page is None:
        page = client.get(url)
        assert page.status_code == 200, page.status_code
    return client.post(url, {**form_values(page), **data})
