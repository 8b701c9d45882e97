"""An action's RAG as a tag in templates: ``{{ rag|rag_tag_class }}``, ``{{ rag|rag_label }}``."""

from __future__ import annotations

from django import template

from goldenthread.programme.plan import rags

register = template.Library()


@register.filter
def rag_tag_class(rag: str | None) -> str:
    return rags.tag_class(rag or "")


@register.filter
def rag_label(rag: str | None, status: str | None = "") -> str:
    return rags.label(rag or "", status or "")
