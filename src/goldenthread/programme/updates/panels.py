"""The quarterly update's panels on the programme's page and on an action's page."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.kit.panels import Panel
from goldenthread.programme.models import Action, Programme

from . import selectors

#: Entries an action's panel shows, the latest quarters first.
ACTION_ENTRIES_SHOWN = 8


def programme_changes_panel(organisation: Organisation, programme: Programme) -> Panel:
    """What changed at the programme's latest update, against the one before."""
    changes = selectors.latest_changes(programme=programme)
    slug = organisation.slug
    return Panel(
        "programme/updates/_changes_panel.html",
        {
            "changes": changes,
            "org_slug": slug,
            "updates_url": reverse(
                "programme:update_list", kwargs={"org_slug": slug, "programme_id": programme.pk}
            ),
            "detail_url": reverse(
                "programme:update_detail",
                kwargs={"org_slug": slug, "update_id": changes.update.pk},
            )
            if changes is not None
            else "",
        },
    )


def action_updates_panel(organisation: Organisation, action: Action) -> Panel:
    """The action's entries in the programme's quarterly updates."""
    entries = list(selectors.action_entries(action=action)[: ACTION_ENTRIES_SHOWN + 1])
    return Panel(
        "programme/updates/_action_panel.html",
        {
            "entries": entries[:ACTION_ENTRIES_SHOWN],
            "more": len(entries) > ACTION_ENTRIES_SHOWN,
            "org_slug": organisation.slug,
            "updates_url": reverse(
                "programme:update_list",
                kwargs={"org_slug": organisation.slug, "programme_id": action.programme_id},
            ),
        },
    )
