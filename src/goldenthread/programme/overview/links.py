"""Addresses the overview's pages link to: the actions register filtered, and the views."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.programme.models import Programme


def register_url(organisation: Organisation, programme: Programme, **filters: object) -> str:
    """The actions register showing ``programme``'s actions, filtered by ``filters``.

    The register reads ``programme``, ``phase``, ``rag`` and ``status`` from
    its query string; a filter given as ``None`` is left out.
    """
    query: dict[str, object] = {"programme": programme.pk}
    query.update({name: value for name, value in filters.items() if value is not None})
    base = reverse("programme:action_list", kwargs={"org_slug": organisation.slug})
    return f"{base}?{urlencode(query)}"


def programme_url(organisation: Organisation, name: str, programme: Programme) -> str:
    """One of the programme's pages, ``programme:<name>``."""
    return reverse(
        f"programme:{name}", kwargs={"org_slug": organisation.slug, "programme_id": programme.pk}
    )


def views_of(organisation: Organisation, programme: Programme) -> list[tuple[str, str, str]]:
    """The overview's views of a programme: (label, description, address)."""
    return [
        (
            "Timeline",
            "each action's design, implementation and due date by financial quarter",
            programme_url(organisation, "timeline", programme),
        ),
        (
            "Board",
            "the actions by status: not started, in progress, on hold, complete, cancelled",
            programme_url(organisation, "board", programme),
        ),
        (
            "Improvement plan",
            "area, objective, success criteria, action, lead, timescale and RAG, "
            "to print or download",
            programme_url(organisation, "improvement_plan", programme),
        ),
    ]
