"""The RAG's pages: the rules in force and every version, changing them, and overrides."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, get_or_404, org_view
from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.analysis import rag as engine
from goldenthread.kit.pages import bound, confirm_page, form_page, org_url
from goldenthread.programme.models import Action, RagRuleSet

from . import presenting, selectors, services
from .forms import OverrideForm, RulesForm

RULES_SAVED = (
    "Version {version} of the RAG rules is in force. Every action's RAG is being assessed again."
)
OVERRIDE_SAVED = "The RAG of {reference} is overridden."
OVERRIDE_CLEARED = "The override of {reference} has ended: the RAG the rules give is shown."

RULES_TITLE = "RAG rules for actions"


def _rules_crumbs(request: OrgRequest, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(RULES_TITLE, org_url(request, "programme:rag_rules")), *more]


def _action_url(request: OrgRequest, action: Action) -> str:
    return org_url(request, "programme:action_detail", action_id=action.pk)


@org_view()
def rag_rules(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    versions = list(selectors.rag_rules_list(organisation=organisation))
    for version in versions:
        version.made_by = services.person(version.created_by)  # type: ignore[attr-defined]
    current = versions[0] if versions else None
    rules = engine.rules_from_json(current.rules) if current else engine.DEFAULT_ACTION_RULES
    context: dict[str, Any] = {
        "title": RULES_TITLE,
        "current": current,
        "rows": presenting.rule_rows(rules),
        "versions": versions,
        "crumbs": [(RULES_TITLE, "")],
    }
    return render(request, "programme/rag/rules.html", context)


def _version_or_404(request: OrgRequest, version: int) -> RagRuleSet:
    found: RagRuleSet = get_or_404(selectors.rag_rules_get, request, "version", version=version)
    return found


@org_view()
def rag_rules_version(request: OrgRequest, version: int) -> HttpResponse:
    rules_set = _version_or_404(request, version)
    rules_set.made_by = services.person(rules_set.created_by)  # type: ignore[attr-defined]
    current = selectors.rag_rules_current(organisation=request.organisation)
    title = f"RAG rules for actions, version {rules_set.version}"
    context = {
        "title": title,
        "rules_set": rules_set,
        "in_force": current is not None and current.pk == rules_set.pk,
        "rows": presenting.rule_rows(engine.rules_from_json(rules_set.rules)),
        "crumbs": _rules_crumbs(request, (f"Version {rules_set.version}", "")),
    }
    return render(request, "programme/rag/rules_version.html", context)


@org_view(Role.ADMIN)
def rag_rules_edit(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    current = selectors.rag_rules_current(organisation=organisation)
    rules = engine.rules_from_json(current.rules) if current else engine.DEFAULT_ACTION_RULES
    form = RulesForm(bound(request), rules=rules, version=current.version if current else 0)

    def save(data: dict[str, Any]) -> RagRuleSet:
        replaces = data.get(VERSION_FIELD)
        return services.rag_rules_update(
            organisation=organisation,
            rules=form.rules_json(),
            note=data["note"],
            replaces=replaces,
            by=request.user,
        )

    return form_page(
        request,
        form,
        save,
        done=lambda made: org_url(request, "programme:rag_rules"),
        message=lambda made: RULES_SAVED.format(version=made.version),
        title="Change the RAG rules",
        intro=(
            "The change makes a new version of the rules; earlier versions are kept, with "
            "the RAG they gave. Every action is then assessed again by the new rules."
        ),
        crumbs=_rules_crumbs(request, ("Change", "")),
        cancel_url=org_url(request, "programme:rag_rules"),
        button="Make these the rules",
        template="programme/rag/rules_edit.html",
    )


def _action_or_404(request: OrgRequest, action_id: int) -> Action:
    action: Action = get_or_404(selectors.action_get, request, "action", pk=action_id)
    return action


@org_view(Role.EDITOR)
def action_override(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    back = _action_url(request, action)
    initial: dict[str, Any] = {}
    if action.override_rag:
        initial = {
            "rag": action.override_rag,
            "reason": action.override_reason,
            "ends": "update" if action.override_until_update else "date",
            "ends_on": action.override_ends_on,
        }
    form = OverrideForm(bound(request), initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.action_override_set(action=action, by=request.user, **form.values()),
        done=lambda changed: back,
        message=lambda changed: OVERRIDE_SAVED.format(reference=changed.reference),
        title="Renew the override" if action.override_rag else "Override the RAG",
        caption=f"{action.reference}: {action.title}",
        crumbs=[(action.reference, back), ("Override the RAG", "")],
        cancel_url=back,
        button="Override the RAG",
        template="programme/rag/override.html",
        context={"action": action, "rag": presenting.action_rag(action)},
    )


@org_view(Role.EDITOR)
def action_override_clear(request: OrgRequest, action_id: int) -> HttpResponse:
    action = _action_or_404(request, action_id)
    back = _action_url(request, action)
    return confirm_page(
        request,
        lambda: services.action_override_clear(action=action, by=request.user),
        done=back,
        message=OVERRIDE_CLEARED.format(reference=action.reference),
        title=f"End the override of {action.reference}'s RAG?",
        intro=(
            f"The RAG the rules give, {presenting.label(action.computed_rag)}, is shown again. "
            "The override stays in the RAG's history."
        ),
        crumbs=[(action.reference, back), ("End the override", "")],
        cancel_url=back,
        button="End the override",
        refused="" if action.override_rag else services.NO_OVERRIDE,
    )
