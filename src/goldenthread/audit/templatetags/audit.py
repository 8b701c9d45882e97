from __future__ import annotations

from django import template
from django.db import models
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(organisation: models.Model, instance: models.Model) -> str:
    """The history page of ``instance`` in ``organisation``."""
    return reverse(
        "audit:record_history",
        kwargs={
            "org_slug": organisation.slug,  # type: ignore[attr-defined]
            "model_label": instance._meta.label_lower,
            "object_id": instance.pk,
        },
    )
