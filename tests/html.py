"""Read a page's HTML as a user would: through CSS selectors, on normalised text.

As in GOV.UK Notify's tests: a page is parsed once, elements are found by CSS
selector, and their text is compared with runs of white space made single.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag


def normalise(text: str) -> str:
    """``text`` with every run of white space made one space, trimmed."""
    return " ".join(text.split())


def page(response: Any) -> BeautifulSoup:
    """The parsed HTML of a response."""
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(html: BeautifulSoup | Tag, selector: str) -> list[str]:
    """The normalised text of every element ``selector`` finds, in document order."""
    return [normalise(element.get_text(" ")) for element in html.select(selector)]


def text(html: BeautifulSoup | Tag, selector: str) -> str:
    """The normalised text of the one element ``selector`` must find."""
    found = html.select(selector)
    assert len(found) == 1, f"{selector!r} found {len(found)} elements"
    return normalise(found[0].get_text(" "))


def column(html: BeautifulSoup | Tag, number: int, selector: str = "table") -> list[str]:
    """The normalised text of the ``number``-th (from 1) cell of each body row."""
    return texts(html, f"{selector} tbody tr td:nth-of-type({number})")
