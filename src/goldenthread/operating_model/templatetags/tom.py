"""Tags for the operating model pages: tag colours and the accessible word diff."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from goldenthread.analysis.textdiff import Segment, SegmentKind

register = template.Library()

STATUS_COLOURS = {
    "draft": "govuk-tag--grey",
    "consultation": "govuk-tag--yellow",
    "adopted": "govuk-tag--green",
    "superseded": "govuk-tag--blue",
}
LEVEL_COLOURS = {
    "none": "govuk-tag--grey",
    "low": "govuk-tag--green",
    "medium": "govuk-tag--yellow",
    "high": "govuk-tag--red",
}
CHANGE_COLOURS = {
    "unchanged": "govuk-tag--grey",
    "changed": "govuk-tag--yellow",
    "reworded": "govuk-tag--yellow",
    "added": "govuk-tag--green",
    "removed": "govuk-tag--red",
}


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "")


@register.filter
def level_colour(level: str) -> str:
    return LEVEL_COLOURS.get(level, "")


@register.filter
def change_colour(change: object) -> str:
    return CHANGE_COLOURS.get(str(getattr(change, "value", change)), "")


def _segment(segment: Segment) -> SafeString:
    if segment.kind is SegmentKind.ADDED:
        return format_html(
            '<ins class="gt-diff-ins"><span class="govuk-visually-hidden">[added: </span>'
            '{}<span class="govuk-visually-hidden">]</span></ins>',
            segment.text,
        )
    if segment.kind is SegmentKind.REMOVED:
        return format_html(
            '<del class="gt-diff-del"><span class="govuk-visually-hidden">[removed: </span>'
            '{}<span class="govuk-visually-hidden">]</span></del>',
            segment.text,
        )
    return format_html("{}", segment.text)


@register.simple_tag
def word_diff(match: object) -> SafeString:
    """The word-level difference of a matched statement, with <ins> and <del> announced."""
    segments = match.diff()  # type: ignore[attr-defined]
    parts: list[SafeString] = []
    for before, segment in zip([None, *segments], segments, strict=False):
        # Words replaced by others touch (neither side holds the space between
        # them): a space keeps "paper" and "digital" from reading "paperdigital".
        if (
            before is not None
            and before.kind is SegmentKind.REMOVED
            and segment.kind is SegmentKind.ADDED
            and not before.text[-1:].isspace()
            and not segment.text[:1].isspace()
        ):
            parts.append(SafeString(" "))
        parts.append(_segment(segment))
    return format_html_join("", "{}", ((part,) for part in parts))
