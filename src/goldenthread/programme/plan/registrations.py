"""What the plan adds to the kit's registries (called from ``AppConfig.ready()``).

* actions are linkable: each can say which TOM components it delivers and
  which objectives it serves, and an objective's page lists its actions with
  their RAG;
* the "actions" picker, for other parts (a benefit's or a risk's actions);
* the orphans page's section of actions that serve no objective.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import query_id
from goldenthread.kit import links, orphans, pickers
from goldenthread.operating_model.models import DeliveryKind
from goldenthread.programme.models import Action

from . import importing, rags, selectors  # noqa: F401  (the importers register themselves)

ACTION = "action"
ACTION_PICKER_KEY = "actions"


def action_url(organisation: Organisation, action: Action) -> str:
    return reverse(
        "programme:action_detail", kwargs={"org_slug": organisation.slug, "action_id": action.pk}
    )


def action_detail_words(action: Action) -> str:
    """The RAG and status beside an action's title: "RAG amber – In progress"."""
    rag = f"RAG {rags.label(action.rag).lower()}"
    return f"{rag} – {action.get_status_display()}"


ACTION_KIND = links.LinkableKind(
    key=ACTION,
    label="action",
    model=Action,
    queryset=lambda organisation: Action.objects.filter(organisation=organisation),
    url=action_url,
    delivery_kind=DeliveryKind.ACTION,
    title=lambda action: f"{action.reference}: {action.title}",
    detail=action_detail_words,
)


# The actions picker ---------------------------------------------------------------


def _option(action: Action) -> pickers.Option:
    return pickers.Option(str(action.pk), f"{action.reference}: {action.title}", action)


def _scoped(organisation: Organisation, scope: str) -> QuerySet[Action]:
    """All the organisation's actions, or those of the programme whose id is ``scope``."""
    found = Action.objects.filter(organisation=organisation).order_by("reference", "pk")
    programme = query_id(scope) if scope else None
    return found.filter(programme_id=programme) if programme is not None else found


def _options(
    organisation: Organisation, scope: str, query: str, limit: int | None
) -> list[pickers.Option]:
    found = _scoped(organisation, scope)
    for word in query.split():
        found = found.filter(Q(reference__icontains=word) | Q(title__icontains=word))
    return [_option(action) for action in (found[:limit] if limit else found)]


def _find(organisation: Organisation, scope: str, value: str) -> pickers.Option | None:
    found = _scoped(organisation, scope)
    value = value.strip()
    action = found.filter(reference__iexact=value).first()
    if action is None and (pk := query_id(value)) is not None:
        action = found.filter(pk=pk).first()
    return _option(action) if action is not None else None


ACTION_PICKER = pickers.PickerSource(
    key=ACTION_PICKER_KEY,
    noun="an action",
    options=_options,
    find=_find,
    count=lambda organisation, scope: _scoped(organisation, scope).count(),
    hint="enter the action's reference, or choose it from the list",
)


# The orphans page ----------------------------------------------------------------


def untraced_actions(organisation: Organisation) -> orphans.OrphanSection:
    rows = tuple(
        orphans.OrphanRow(str(action), action_url(organisation, action), action.programme.name)
        for action in selectors.action_untraced(organisation=organisation)
    )
    return orphans.OrphanSection(
        title="Actions that serve no objective",
        rows=rows,
        empty="None: every action is linked to the golden thread.",
        headings=("Action", "Programme"),
    )


def register() -> None:
    """Add this part's entries to the kit's registries."""
    links.LINKABLE.add(ACTION_KIND.key, ACTION_KIND, order=40)
    pickers.PICKERS.add(ACTION_PICKER.key, ACTION_PICKER)
    orphans.ORPHANS.add("programme.untraced-actions", untraced_actions, order=40)
