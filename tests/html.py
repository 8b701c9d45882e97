"""Reading pages in tests through CSS selectors, on normalised text."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node) -> str:
    """The text of a node with its white space collapsed, as a reader sees it."""
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def texts(response, selector: str) -> list[str]:
    """The normalised text of every element the CSS ``selector`` finds in the page."""
    return [text(node) for node in soup(response).select(selector)]
