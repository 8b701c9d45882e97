"""Reading pages in tests through CSS selectors, on normalised text."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def normalised(element: Tag) -> str:
    """The element's text with every run of white space made one space."""
    return " ".join(element.get_text(" ").split())


def texts(response: Any, selector: str) -> list[str]:
    """The normalised text of every element ``selector`` matches, in page order."""
    return [normalised(element) for element in soup(response).select(selector)]


def links(response: Any, selector: str) -> list[tuple[str, str]]:
    """``(text, href)`` of every link ``selector`` matches."""
    return [
        (normalised(element), str(element.get("href", "")))
        for element in soup(response).select(selector)
    ]
