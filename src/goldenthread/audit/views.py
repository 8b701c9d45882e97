from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import ROLE_TOO_LOW, OrgRequest, org_view
from goldenthread.kit.tables import table_page

from . import selectors, tables


@org_view()
def change_list(request: OrgRequest) -> HttpResponse:
    changes = selectors.ChangeQuery(organisation=request.organisation, role=request.membership.role)
    table = tables.CHANGES.bind(request, changes)
    return table_page(request, table, "audit/change_list.html", what="audit history")


@org_view()
def record_history(request: OrgRequest, model_label: str, object_id: int) -> HttpResponse:
    model = selectors.audited_model(model_label)
    if model is None:
        raise Http404("No such kind of record")
    needed = selectors.history_role(model)
    if not request.membership.allows(needed):
        raise PermissionDenied(
            ROLE_TOO_LOW.format(role=Role(needed).label.lower(), organisation=request.organisation)
        )
    changes = selectors.record_history(
        organisation=request.organisation, model=model, object_id=object_id
    )
    if not changes:
        raise Http404("No such record in this organisation")
    return render(
        request,
        "audit/record_history.html",
        {"changes": changes, "latest": changes[0], "model_name": model._meta.verbose_name},
    )
