"""Every page carries the Content-Security-Policy: script, style and requests from the site only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def _policy(header: str) -> dict[str, str]:
    pairs = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _space, value in pairs}


@pytest.mark.parametrize("name", ["core:start", "accounts:login", "guide:index"])
def test_pages_carry_the_policy(client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == EXPECTED


def test_no_page_template_holds_inline_script_or_style(client) -> None:
    """The policy allows no inline script or style, so the pages hold none to break."""
    for name in ("core:start", "accounts:login", "guide:index"):
        html = client.get(reverse(name)).content.decode()
        assert "<style" not in html
        assert " style=" not in html
        assert "<script>" not in html


#: What the policy refuses, as it would appear in a template.
INLINE = re.compile(
    r"<style|\sstyle=|<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=",
    re.IGNORECASE,
)


#: Template comments, which never reach the page.
COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_holds_what_the_policy_refuses() -> None:
    templates = Path(__file__).resolve().parents[2] / "src" / "goldenthread"
    found = [
        f"{path.relative_to(templates)}: {match.group(0)!r}"
        for path in templates.rglob("templates/**/*.html")
        for match in INLINE.finditer(COMMENT.sub("", path.read_text()))
    ]
    assert found == []
