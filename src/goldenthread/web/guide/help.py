"""Which guide page explains each page of the application.

Each page's "Help with this page" link comes from :data:`HELP`: an entry for a
whole URL namespace, and entries for single URL names (``namespace:name``)
where a section of the guide explains that page better. A test walks every
URL under ``/o/<org_slug>/`` and fails for one with no entry, or whose entry
names a page or section the guide does not have: a module's pages are
explained the day they land.
"""

from __future__ import annotations

from django.urls import ResolverMatch, reverse

from .content import INDEX

__all__ = ["HELP", "help_target", "help_url"]

_VERSIONS = "operating-model#versions-draft-consultation-adopted-superseded"
_SCENARIOS = "structures#modelling-a-scenario"
_BANDS = "structures#redundancy-costs-by-grade"
_BROWSING = "structures#browsing-units-and-posts"
_ORG_CHART = "structures#the-org-chart"

#: ``namespace`` or ``namespace:url_name`` → ``page`` or ``page#section`` of docs/guide/.
HELP: dict[str, str] = {
    # Pages of no organisation.
    "core:start": INDEX,
    "core:cookies": "getting-started#keyboard-and-accessibility",
    "core:accessibility": "getting-started#keyboard-and-accessibility",
    "accounts:login": "getting-started#signing-in",
    "accounts:password_change": "getting-started#signing-in",
    "accounts:organisations": "getting-started#organisations",
    # An organisation's pages.
    "core": "units",
    "core:home": "getting-started#the-dashboard",
    "core:unit_import": "units#importing-units-from-a-spreadsheet",
    "core:unit_export": "units#downloading-units",
    "accounts": "getting-started#members-admins",
    "accounts:settings": "getting-started#settings-admins",
    "audit": "audit-and-jobs#audit-history",
    "jobs": "audit-and-jobs#background-jobs",
    "pickers": "getting-started#pickers",
    "kit": "importing",
    "structure": "structures",
    "programme:update_list": "programme-updates",
    "programme:update_open": "programme-updates#opening-an-update",
    "programme:update_detail": "programme-updates#following-the-round",
    "programme:update_close": "programme-updates#closing-an-update",
    "programme:update_owner": "programme-updates#an-owners-page",
    "programme:update_workbook": "programme-updates#updating-through-a-workbook",
    "programme:update_import": "programme-updates#updating-through-a-workbook",
    "structure:snapshot_upload": "structures#uploading-a-structure",
    "structure:upload_review": "structures#uploading-a-structure",
    "structure:upload_mapping": "structures#uploading-a-structure",
    "structure:design_rules": "structure-engine#design-rules",
    "structure:compare": "structures#comparing-two-snapshots",
    "structure:snapshot_detail": "structures#the-dashboard",
    "structure:post_list": _BROWSING,
    "structure:post_detail": _BROWSING,
    "structure:snapshot_unit": _BROWSING,
    "structure:snapshot_export": "structures#downloading",
    "structure:org_chart": _ORG_CHART,
    "structure:org_chart_post": _ORG_CHART,
    "structure:org_chart_unit": _ORG_CHART,
    "structure:org_chart_reports": _ORG_CHART,
    "structure:scenario_detail": _SCENARIOS,
    "structure:scenario_create": _SCENARIOS,
    "structure:scenario_add_post": _SCENARIOS,
    "structure:scenario_bulk": _SCENARIOS,
    "structure:scenario_approve": _SCENARIOS,
    "structure:scenario_promote": _SCENARIOS,
    "structure:post_change": _SCENARIOS,
    "structure:change_undo": _SCENARIOS,
    "structure:snapshot_archive": "structures#the-dashboard",
    "structure:band_list": _BANDS,
    "structure:band_create": _BANDS,
    "structure:band_edit": _BANDS,
    "structure:band_delete": _BANDS,
    "structure:band_import": _BANDS,
    "structure:band_export": _BANDS,
    "operating_model": _VERSIONS,
    "operating_model:version_compare": "operating-model#comparing-with-the-baseline",
    "operating_model:version_page": "operating-model#the-tom-on-a-page-and-the-excel-export",
    "operating_model:version_export": "operating-model#the-tom-on-a-page-and-the-excel-export",
    "operating_model:principle_set_list": "operating-model#design-principles",
    "operating_model:principle_set_create": "operating-model#design-principles",
    "operating_model:principle_set_detail": "operating-model#design-principles",
    "operating_model:principle_set_edit": "operating-model#design-principles",
    "operating_model:principle_set_copy": "operating-model#design-principles",
    "operating_model:principle_set_delete": "operating-model#design-principles",
    "operating_model:principle_create": "operating-model#design-principles",
    "operating_model:principle_edit": "operating-model#design-principles",
    "operating_model:principle_delete": "operating-model#design-principles",
    "operating_model:consideration_create": "operating-model#design-principles",
    "operating_model:consideration_edit": "operating-model#design-principles",
    "operating_model:consideration_delete": "operating-model#design-principles",
    "performance": "operating-model#the-golden-thread",
    "programme": "programme#programmes",
    "programme:phase_create": "programme#phases-and-workstreams",
    "programme:phase_edit": "programme#phases-and-workstreams",
    "programme:phase_delete": "programme#phases-and-workstreams",
    "programme:workstream_create": "programme#phases-and-workstreams",
    "programme:workstream_edit": "programme#phases-and-workstreams",
    "programme:workstream_delete": "programme#phases-and-workstreams",
    "programme:action_list": "programme#actions",
    "programme:action_detail": "programme#actions",
    "programme:action_create": "programme#adding-and-changing-an-action",
    "programme:action_edit": "programme#adding-and-changing-an-action",
    "programme:action_delete": "programme#deleting-an-action",
    "programme:action_savings": "programme#milestones-and-savings",
    "programme:milestone_create": "programme#milestones-and-savings",
    "programme:milestone_edit": "programme#milestones-and-savings",
    "programme:milestone_complete": "programme#milestones-and-savings",
    "programme:milestone_delete": "programme#milestones-and-savings",
    "programme:action_export": "programme#downloading-actions",
    "programme:milestone_export": "programme#downloading-actions",
    "programme:saving_export": "programme#downloading-actions",
    "programme:action_import": "programme#importing-actions",
    "programme:milestone_import": "programme#importing-milestones",
    "programme:saving_import": "programme#importing-savings",
    "programme:rag_rules": "programme-rag#the-rules-and-their-versions",
    "programme:rag_rules_version": "programme-rag#the-rules-and-their-versions",
    "programme:rag_rules_edit": "programme-rag#the-rules-and-their-versions",
    "programme:action_override": "programme-rag#overriding-a-rag",
    "programme:action_override_clear": "programme-rag#overriding-a-rag",
    "programme:benefit_list": "programme-benefits#benefits",
    "programme:benefit_detail": "programme-benefits#benefits",
    "programme:benefit_create": "programme-benefits#benefits",
    "programme:benefit_edit": "programme-benefits#status",
    "programme:benefit_delete": "programme-benefits#benefits",
    "programme:benefit_profile_edit": "programme-benefits#the-cashable-profile",
    "programme:benefit_settings": "programme-benefits#benefit-settings",
    "programme:benefit_import": "programme-benefits#importing-benefits",
    "programme:benefit_export": "programme-benefits#downloading-benefits",
    "programme:benefit_profile_import": "programme-benefits#importing-cashable-profiles",
    "programme:benefit_profile_export": "programme-benefits#downloading-benefits",
    "programme:risk_list": "programme-risks#risks",
    "programme:risk_detail": "programme-risks#risks",
    "programme:risk_create": "programme-risks#adding-and-changing-risks-editors",
    "programme:risk_edit": "programme-risks#adding-and-changing-risks-editors",
    "programme:risk_delete": "programme-risks#adding-and-changing-risks-editors",
    "programme:risk_review": "programme-risks#reviewing-a-risk",
    "programme:mitigation_create": "programme-risks#mitigations",
    "programme:mitigation_edit": "programme-risks#mitigations",
    "programme:mitigation_delete": "programme-risks#mitigations",
    "programme:risk_settings": "programme-risks#risk-settings-admins",
    "programme:risk_import": "programme-risks#importing-risks",
    "programme:mitigation_import": "programme-risks#importing-mitigations",
    "programme:risk_export": "programme-risks#downloading-risks",
    "programme:mitigation_export": "programme-risks#downloading-risks",
    "programme:timeline": "programme-views#timeline",
    "programme:board": "programme-views#board",
    "programme:improvement_plan": "programme-views#improvement-plan",
}


def help_target(namespace: str, url_name: str) -> str | None:
    """The ``page#section`` that explains the URL ``namespace:url_name``, or None."""
    return HELP.get(f"{namespace}:{url_name}") or HELP.get(namespace)


def help_url(match: ResolverMatch | None) -> str | None:
    """The served address of the guide section that explains the page ``match`` resolved."""
    if match is None or not match.url_name:
        return None
    target = help_target(match.namespace, match.url_name)
    if target is None:
        return None
    page, _, section = target.partition("#")
    url = reverse("guide:index") if page == INDEX else reverse("guide:page", kwargs={"page": page})
    return f"{url}#{section}" if section else url
