"""HTML asserted through CSS selectors on normalised text.

``select(response, "h1")`` gives the text of every element the selector
matches, with runs of white space made one space and the ends trimmed, so a
test says what the user sees where they see it, and template indentation never
breaks it. Beautiful Soup with soupsieve does the parsing and the selecting.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag

__all__ = [
    "attribute",
    "column",
    "error_links",
    "error_summary",
    "hrefs",
    "links",
    "normalise",
    "normalised",
    "page",
    "parse",
    "select",
    "select_one",
    "soup",
    "text",
    "texts",
]


def normalise(text: str) -> str:
    """``text`` with each run of white space made one space, and trimmed."""
    return " ".join(text.split())


def parse(page: Any) -> BeautifulSoup:
    """The parsed document of a response, or of HTML given as bytes or text."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def _elements(page: Any, css: str) -> list[Tag]:
    document = page if isinstance(page, Tag) else parse(page)
    return list(document.select(css))


def select(page: Any, css: str) -> list[str]:
    """The normalised text of every element that ``css`` selects, in document order."""
    return [normalise(element.get_text()) for element in _elements(page, css)]


def select_one(page: Any, css: str) -> str:
    """The normalised text of the one element ``css`` selects; fails unless exactly one."""
    found = select(page, css)
    assert len(found) == 1, f"{css!r} selected {len(found)} elements: {found}"
    return found[0]


def text(page: Any, css: str | None = None) -> str:
    """Normalised text: of the one element ``css`` selects (which must be exactly one),
    else of one element given, else of a page's main content (or the whole page).

    Text of an element's children is joined with spaces, as a reader sees
    separate cells and items.
    """
    if css is not None:
        found = _elements(page, css)
        assert len(found) == 1, f"{css!r} selected {len(found)} elements"
        return normalise(found[0].get_text(" "))
    if isinstance(page, Tag) and not isinstance(page, BeautifulSoup):
        return normalise(page.get_text(" "))
    document = parse(page)
    main = document.select_one("main") or document
    return normalise(main.get_text())


def attribute(page: Any, css: str, name: str) -> list[str]:
    """The value of attribute ``name`` on every element ``css`` selects that has it."""
    return [str(element[name]) for element in _elements(page, css) if element.has_attr(name)]


def error_summary(page: Any) -> list[str]:
    """The problems the GOV.UK error summary lists, in order."""
    return select(page, ".govuk-error-summary__list li")


def error_links(page: Any) -> dict[str, str]:
    """The error summary's problems by the field each links to (``#id_name`` → text)."""
    return {
        str(link["href"]): normalise(link.get_text())
        for link in _elements(page, ".govuk-error-summary__list a[href]")
    }


def texts(page: Any, css: str) -> list[str]:
    """Like :func:`select`, but children's text is joined with spaces (cells, list items)."""
    return [normalise(element.get_text(" ")) for element in _elements(page, css)]


def links(page: Any, css: str) -> list[tuple[str, str]]:
    """``(text, href)`` of every link ``css`` selects, text joined as in :func:`texts`."""
    return [
        (normalise(element.get_text(" ")), str(element.get("href", "")))
        for element in _elements(page, css)
    ]


def column(page: Any, number: int, css: str = "table") -> list[str]:
    """The normalised text of the ``number``-th (from 1) cell of each body row of the table."""
    return texts(page, f"{css} tbody tr td:nth-of-type({number})")


def hrefs(page: Any, css: str) -> list[str]:
    """The ``href`` of every element ``css`` selects."""
    return [str(element.get("href", "")) for element in _elements(page, css)]


#: Other names the same helpers go by in older tests.
soup = page = parse
normalised = normalise
