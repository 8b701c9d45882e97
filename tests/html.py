"""Read a page the way a test should: by CSS selector, on normalised text."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup


def page(response_or_html: Any) -> BeautifulSoup:
    html = response_or_html
    if hasattr(html, "content"):
        html = html.content.decode()
    return BeautifulSoup(html, "html.parser")


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def texts(response_or_html: Any, selector: str) -> list[str]:
    """The normalised text of every element ``selector`` matches, in order."""
    return [normalised(node.get_text(" ")) for node in page(response_or_html).select(selector)]


def hrefs(response_or_html: Any, selector: str) -> list[str]:
    return [node.get("href", "") for node in page(response_or_html).select(selector)]
