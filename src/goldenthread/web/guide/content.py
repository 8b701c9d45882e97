"""Find the guide's Markdown pages and render them in the GOV.UK style.

markdown-it-py parses (CommonMark with tables, raw HTML off); this module only
adds GOV.UK Frontend's classes to the tokens, gives each heading an ``id``,
gathers the contents list and rewrites relative links: ``units.md#section``
becomes the served ``/guide/units/#section`` and ``../images/x.png`` the served
``/guide/images/x.png``.

A checkout reads ``docs/guide`` and ``docs/images`` in place; a wheel carries
them inside the package (``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml), where :func:`guide_dir` and :func:`images_dir` look first.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = [
    "INDEX",
    "GuidePage",
    "Heading",
    "guide_dir",
    "image_path",
    "images_dir",
    "page_get",
    "page_names",
    "served_url",
]

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository root when running from a checkout (src/goldenthread/web/guide → root).
CHECKOUT_DIR = PACKAGE_DIR.parents[3]
#: The page served at /guide/ itself.
INDEX = "index"

#: GOV.UK Frontend's class for each block element Markdown makes.
BLOCK_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "table_open": "govuk-table",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
}
HEADING_CLASSES = {
    "h1": "govuk-heading-xl",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
}
SMALL_HEADING = "govuk-heading-s"


def guide_dir() -> Path:
    """The folder of the guide's Markdown pages: inside the package when installed."""
    packaged = PACKAGE_DIR / "pages"
    return packaged if packaged.is_dir() else CHECKOUT_DIR / "docs" / "guide"


def images_dir() -> Path:
    """The folder of the images the guide shows."""
    packaged = PACKAGE_DIR / "images"
    return packaged if packaged.is_dir() else CHECKOUT_DIR / "docs" / "images"


def page_names() -> list[str]:
    """Every page of the guide, by name (its file name without ``.md``)."""
    return sorted(path.stem for path in guide_dir().glob("*.md"))


def image_path(name: str) -> Path | None:
    """The image file called ``name``, or None: only a file listed in the folder is served."""
    for path in images_dir().iterdir():
        if path.name == name and path.is_file():
            return path
    return None


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class GuidePage:
    name: str
    title: str
    #: The page without its title, as HTML with GOV.UK classes.
    html: str
    #: The page's sections (its level-2 headings), for the contents list.
    contents: tuple[Heading, ...]
    #: Every heading's anchor, so a link to a section can be checked.
    anchors: frozenset[str]
    #: Relative links that lead to no page or image of the guide.
    broken_links: tuple[str, ...]


def page_get(name: str) -> GuidePage | None:
    """The guide page called ``name``, rendered, or None when there is none."""
    path = guide_dir() / f"{name}.md"
    if name not in page_names():
        return None
    return _render(name, path.read_text(encoding="utf-8"))


_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def _text(inline: Token) -> str:
    """The plain text of an inline token (code spans included, markup dropped)."""
    return "".join(
        child.content for child in inline.children or () if child.type in {"text", "code_inline"}
    ).strip()


@functools.lru_cache(maxsize=64)
def _render(name: str, source: str) -> GuidePage:
    tokens = _markdown.parse(source)
    title = name.replace("-", " ").capitalize()
    headings: list[Heading] = []
    used: set[str] = set()
    broken: list[str] = []
    keep: list[Token] = []
    skip_title = 0
    for index, token in enumerate(tokens):
        if skip_title:
            skip_title -= 1
            continue
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = _text(tokens[index + 1])
            if level == 1 and not headings and not keep:
                # The first heading is the page's title, shown by the template.
                title = text
                skip_title = 2
                continue
            anchor = base = slugify(text) or "section"
            number = 1
            while anchor in used:
                number += 1
                anchor = f"{base}-{number}"
            used.add(anchor)
            headings.append(Heading(level, text, anchor))
            token.attrSet("id", anchor)
            token.attrSet("class", HEADING_CLASSES.get(token.tag, SMALL_HEADING))
        elif token.type in BLOCK_CLASSES:
            token.attrSet("class", BLOCK_CLASSES[token.type])
        elif token.type == "inline":
            _inline(token.children or (), broken)
        keep.append(token)
    html = _markdown.renderer.render(keep, _markdown.options, {})
    return GuidePage(
        name=name,
        title=title,
        html=html,
        contents=tuple(h for h in headings if h.level == 2),
        anchors=frozenset(h.anchor for h in headings),
        broken_links=tuple(broken),
    )


def _inline(children: Sequence[Token], broken: list[str]) -> None:
    for child in children:
        if child.type == "link_open":
            child.attrSet("class", "govuk-link")
            href = str(child.attrGet("href") or "")
            served = served_url(href)
            if served is None:
                broken.append(href)
            else:
                child.attrSet("href", served)
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            served = served_url(src)
            if served is None:
                broken.append(src)
            else:
                child.attrSet("src", served)
            child.attrSet("class", "gt-guide__image")


def served_url(href: str) -> str | None:
    """Where a link written in a guide page leads once served; None if nowhere.

    Links with a scheme, absolute paths and fragments are left as written.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "#")) or not parts.path:
        return href
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    target = posixpath.normpath(posixpath.join("guide", parts.path))
    folder, _, file_name = target.rpartition("/")
    if folder == "guide" and file_name.endswith(".md"):
        page = file_name.removesuffix(".md")
        if page not in page_names():
            return None
        if page == INDEX:
            return reverse("guide:index") + fragment
        return reverse("guide:page", kwargs={"page": page}) + fragment
    if folder == "images" and image_path(file_name) is not None:
        return reverse("guide:image", kwargs={"name": file_name})
    return None
