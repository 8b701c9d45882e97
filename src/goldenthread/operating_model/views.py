"""The operating model pages: TOM versions, components, statements, design principles.

Viewers read everything. Editors change drafts and consultation versions,
principles and considerations. Admins adopt a version (and so supersede the
one adopted before it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from goldenthread.accounts.models import Role
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.kit.exports import workbook_response
from goldenthread.kit.links import linkable_words, links_lost
from goldenthread.kit.lists import capped
from goldenthread.kit.pages import bound, confirm_page, form_page, get_or_404, org_url
from goldenthread.kit.panels import page_panels
from goldenthread.kit.tables import table_page

from . import presenters, selectors, services, tables
from .forms import (
    OWN,
    AdoptForm,
    ComponentForm,
    ConsiderationForm,
    PrincipleForm,
    PrincipleSetForm,
    PrincipleSetStartForm,
    StatementForm,
    VersionForm,
)
from .links import delivered_by
from .models import (
    PrincipleSet,
    TomVersion,
    VersionStatus,
)
from .starter import PRINCIPLE_TEMPLATES

# Helpers ----------------------------------------------------------------------


def _url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return org_url(request, f"operating_model:{name}", **kwargs)


def _locked(version: TomVersion) -> str:
    if version.is_editable:
        return ""
    return services.VERSION_LOCKED.format(
        version=version, status=version.get_status_display().lower()
    )


def _version_crumbs(request: OrgRequest, version: TomVersion) -> list[tuple[str, str]]:
    return [
        ("Operating model", _url(request, "tom_home")),
        (f"Version {version.number}", _url(request, "version_detail", version_id=version.pk)),
    ]


def _set_crumbs(request: OrgRequest, principle_set: PrincipleSet) -> list[tuple[str, str]]:
    return [
        ("Operating model", _url(request, "tom_home")),
        ("Design principles", _url(request, "principle_set_list")),
        (principle_set.name, _url(request, "principle_set_detail", set_id=principle_set.pk)),
    ]


# Overview and versions ----------------------------------------------------------


@org_view()
def tom_home(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    versions = selectors.version_list(organisation=organisation)
    context = {
        # The newest versions: the page does not grow with the number kept.
        "versions": capped(versions),
        "adopted": versions.filter(status=VersionStatus.ADOPTED).first(),
    }
    return render(request, "operating_model/tom_home.html", context)


@org_view(Role.EDITOR)
def version_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    adopted = selectors.adopted_version(organisation=organisation)
    form = VersionForm(
        bound(request),
        organisation=organisation,
        initial={"principle_set": adopted.principle_set_id if adopted else None},
    )
    intro = (
        f"The new version starts as a copy of the adopted {adopted}, and every change is "
        "compared with it."
        if adopted
        else "No version has been adopted yet, so the new version starts from the twelve "
        "standard components."
    )
    return form_page(
        request,
        form,
        lambda data: services.version_create(by=request.user, organisation=organisation, **data),
        done=lambda version: _url(request, "version_detail", version_id=version.pk),
        message=lambda version: f"{version} has been started.",
        title="Start a new version",
        intro=intro,
        button="Start the version",
        cancel_url=_url(request, "tom_home"),
        crumbs=[("Operating model", _url(request, "tom_home")), ("New version", "")],
    )


@org_view()
def version_detail(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    components = selectors.version_components(version=version)
    context = {
        "version": version,
        "components": components,
        "baseline": selectors.comparison_baseline(version=version),
        "statement_total": sum(len(c.statements.all()) for c in components),
    }
    return render(request, "operating_model/version_detail.html", context)


@org_view(Role.EDITOR)
def version_edit(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    form = VersionForm(
        bound(request),
        organisation=request.organisation,
        initial={
            "title": version.title,
            "summary": version.summary,
            "principle_set": version.principle_set_id,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.version_update(by=request.user, version=version, **data),
        done=lambda v: _url(request, "version_detail", version_id=v.pk),
        message=lambda v: f"{v} has been saved.",
        title=f"Change the details of version {version.number}",
        locked=_locked(version),
        cancel_url=_url(request, "version_detail", version_id=version.pk),
        crumbs=_version_crumbs(request, version),
        record=version,
    )


@org_view(Role.EDITOR)
def version_consult(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    detail = _url(request, "version_detail", version_id=version.pk)
    return confirm_page(
        request,
        lambda: services.version_consult(by=request.user, version=version),
        done=detail,
        message=f"{version} is now a consultation draft.",
        title=f"Send version {version.number} out for consultation",
        intro="A consultation draft can still be changed while comments come in. "
        "It becomes read-only once it is adopted.",
        button="Mark as a consultation draft",
        cancel_url=detail,
        crumbs=_version_crumbs(request, version),
    )


@org_view(Role.ADMIN)
def version_adopt(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    adopted = selectors.adopted_version(organisation=request.organisation)
    intro = "Record the decision that adopts this version. "
    if adopted is not None and adopted.pk != version.pk:
        intro += f"{adopted} will be marked as superseded. "
    intro += "Once adopted, the version cannot be changed."
    locked = ""
    if not version.is_editable:
        locked = services.ALREADY_ADOPTED.format(
            version=version, status=version.get_status_display().lower()
        )
    return form_page(
        request,
        AdoptForm(bound(request)),
        lambda data: services.version_adopt(by=request.user, version=version, **data),
        done=lambda v: _url(request, "version_detail", version_id=v.pk),
        message=lambda v: f"{v} has been adopted.",
        title=f"Adopt version {version.number}",
        caption=version.title,
        intro=intro,
        locked=locked,
        button="Adopt this version",
        cancel_url=_url(request, "version_detail", version_id=version.pk),
        crumbs=_version_crumbs(request, version),
    )


@org_view(Role.EDITOR)
def version_delete(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    return confirm_page(
        request,
        lambda: services.version_delete(by=request.user, version=version),
        done=_url(request, "tom_home"),
        message=f"{version} has been deleted.",
        title=f"Are you sure you want to delete version {version.number}?",
        intro="Its components and statements are deleted with it. Their history stays "
        "in the audit trail.",
        button=f"Yes, delete version {version.number}",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=_url(request, "version_detail", version_id=version.pk),
        crumbs=_version_crumbs(request, version),
    )


@org_view()
def version_compare(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    baseline = selectors.comparison_baseline(version=version)
    comparison = (
        selectors.version_comparison(baseline=baseline, revised=version) if baseline else None
    )
    return render(
        request,
        "operating_model/version_compare.html",
        {"version": version, "baseline": baseline, "comparison": comparison},
    )


def _tom_context(request: OrgRequest, version: TomVersion) -> dict[str, Any]:
    return {
        "version": version,
        "components": selectors.version_components(version=version),
        "principle_groups": (
            selectors.principle_groups(principle_set=version.principle_set)
            if version.principle_set
            else []
        ),
    }


#: Where other modules add to the TOM on a page (the golden thread: the vision and priorities).
TOM_PAGE_SLOT = "tom-on-a-page"


@org_view()
def version_page(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    context = _tom_context(request, version)
    context["panels"] = page_panels(TOM_PAGE_SLOT, request)
    return render(request, "operating_model/version_page.html", context)


@org_view()
def version_export(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    context = _tom_context(request, version)
    sheets, about = presenters.tom_workbook(
        request.organisation,
        version,
        components=context["components"],
        principle_groups=context["principle_groups"],
    )
    return workbook_response(
        request,
        sheets=sheets,
        what=f"TOM version {version.number}",
        as_of=version.approved_on,
        notes=about,
    )


# Components and statements --------------------------------------------------------


@org_view(Role.EDITOR)
def component_create(request: OrgRequest, version_id: int) -> HttpResponse:
    version = get_or_404(selectors.version_get, request, "version", pk=version_id)
    return form_page(
        request,
        ComponentForm(bound(request), initial={"change_level": "medium"}),
        lambda data: services.component_create(by=request.user, version=version, **data),
        done=lambda c: _url(request, "component_detail", component_id=c.pk),
        message=lambda c: f"{c.name} has been added.",
        title="Add a component",
        caption=str(version),
        locked=_locked(version),
        cancel_url=_url(request, "version_detail", version_id=version.pk),
        crumbs=_version_crumbs(request, version),
    )


@org_view()
def component_detail(request: OrgRequest, component_id: int) -> HttpResponse:
    component = get_or_404(selectors.component_get, request, "component", pk=component_id)
    statements = component.statements.order_by("position", "pk")
    links = delivered_by(request.organisation, component)
    context = {
        "component": component,
        "version": component.version,
        "statements": statements,
        "links": links,
        "linkable": linkable_words(),
        "crumbs": [*_version_crumbs(request, component.version), (component.name, "")],
    }
    return render(request, "operating_model/component_detail.html", context)


@org_view(Role.EDITOR)
def component_edit(request: OrgRequest, component_id: int) -> HttpResponse:
    component = get_or_404(selectors.component_get, request, "component", pk=component_id)
    form = ComponentForm(
        bound(request),
        initial={
            "name": component.name,
            "purpose": component.purpose,
            "as_is": component.as_is,
            "change_level": component.change_level,
            "owner": component.owner,
        },
    )
    detail = _url(request, "component_detail", component_id=component.pk)
    return form_page(
        request,
        form,
        lambda data: services.component_update(by=request.user, component=component, **data),
        done=lambda c: detail,
        message=lambda c: f"{c.name} has been saved.",
        title=f"Change {component.name}",
        caption=str(component.version),
        locked=_locked(component.version),
        cancel_url=detail,
        crumbs=[*_version_crumbs(request, component.version), (component.name, detail)],
        record=component,
    )


@org_view(Role.EDITOR)
def component_delete(request: OrgRequest, component_id: int) -> HttpResponse:
    component = get_or_404(selectors.component_get, request, "component", pk=component_id)
    detail = _url(request, "component_detail", component_id=component.pk)
    return confirm_page(
        request,
        lambda: services.component_delete(by=request.user, component=component),
        done=_url(request, "version_detail", version_id=component.version_id),
        message=f"{component.name} has been removed from {component.version}.",
        title=f"Are you sure you want to remove {component.name}?",
        intro="Its statements are removed with it. The comparison with the adopted "
        "version will show it as removed.",
        consequences=links_lost(
            "records that deliver it",
            [d["item"].title for d in delivered_by(request.organisation, component)],
        ),
        button=f"Yes, remove {component.name}",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=detail,
        crumbs=[*_version_crumbs(request, component.version), (component.name, detail)],
    )


@org_view(Role.EDITOR)
def statement_create(request: OrgRequest, component_id: int) -> HttpResponse:
    component = get_or_404(selectors.component_get, request, "component", pk=component_id)
    detail = _url(request, "component_detail", component_id=component.pk)
    return form_page(
        request,
        StatementForm(bound(request)),
        lambda data: services.statement_create(by=request.user, component=component, **data),
        done=lambda s: detail,
        message=lambda s: "The statement has been added.",
        title="Add a target-state statement",
        caption=component.name,
        locked=_locked(component.version),
        cancel_url=detail,
        crumbs=[*_version_crumbs(request, component.version), (component.name, detail)],
    )


@org_view(Role.EDITOR)
def statement_edit(request: OrgRequest, statement_id: int) -> HttpResponse:
    statement = get_or_404(selectors.statement_get, request, "statement", pk=statement_id)
    component = statement.component
    detail = _url(request, "component_detail", component_id=component.pk)
    return form_page(
        request,
        StatementForm(bound(request), initial={"text": statement.text}),
        lambda data: services.statement_update(by=request.user, statement=statement, **data),
        done=lambda s: detail,
        message=lambda s: "The statement has been saved.",
        title="Change a target-state statement",
        caption=component.name,
        locked=_locked(component.version),
        cancel_url=detail,
        crumbs=[*_version_crumbs(request, component.version), (component.name, detail)],
        record=statement,
    )


@org_view(Role.EDITOR)
def statement_delete(request: OrgRequest, statement_id: int) -> HttpResponse:
    statement = get_or_404(selectors.statement_get, request, "statement", pk=statement_id)
    component = statement.component
    detail = _url(request, "component_detail", component_id=component.pk)
    return confirm_page(
        request,
        lambda: services.statement_delete(by=request.user, statement=statement),
        done=detail,
        message="The statement has been removed.",
        title="Are you sure you want to remove this statement?",
        intro=f"“{statement.text}”",
        button="Yes, remove it",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=detail,
        crumbs=[*_version_crumbs(request, component.version), (component.name, detail)],
    )


# Design principles -------------------------------------------------------------


@org_view()
def principle_set_list(request: OrgRequest) -> HttpResponse:
    sets = selectors.principle_set_list(organisation=request.organisation)
    table = tables.PRINCIPLE_SETS.bind(request, sets)
    held = len(sets.order_by().values_list("pk", flat=True)[:1])
    return table_page(
        request,
        table,
        "operating_model/principle_set_list.html",
        {"any": held > 0, "templates": PRINCIPLE_TEMPLATES},
        what="sets of principles",
    )


@org_view(Role.EDITOR)
def principle_set_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    initial = {"start": request.GET["start"]} if request.GET.get("start") else {}

    def save(data: dict[str, Any]) -> PrincipleSet:
        if data["start"] == OWN:
            return services.principle_set_create(
                by=request.user, organisation=organisation, name=data["name"]
            )
        created = services.principle_set_create_from_template(
            by=request.user, organisation=organisation, key=data["start"]
        )
        if data["name"].strip():
            services.principle_set_update(
                by=request.user,
                principle_set=created,
                name=data["name"],
                description=created.description,
            )
        return created

    return form_page(
        request,
        PrincipleSetStartForm(bound(request), initial=initial),
        save,
        done=lambda s: _url(request, "principle_set_detail", set_id=s.pk),
        message=lambda s: f"{s.name} has been created.",
        title="Add a set of design principles",
        intro="Start from a template and edit it, or write your own.",
        button="Create the set",
        cancel_url=_url(request, "principle_set_list"),
        crumbs=[
            ("Operating model", _url(request, "tom_home")),
            ("Design principles", _url(request, "principle_set_list")),
        ],
    )


@org_view()
def principle_set_detail(request: OrgRequest, set_id: int) -> HttpResponse:
    principle_set = get_or_404(selectors.principle_set_get, request, "set of principles", pk=set_id)
    context = {
        "principle_set": principle_set,
        "groups": selectors.principle_groups(principle_set=principle_set),
        "versions": principle_set.tom_versions.order_by("-number"),
        "frozen_by": services.principle_set_frozen_by(principle_set),
        "crumbs": [*_set_crumbs(request, principle_set)[:-1], (principle_set.name, "")],
    }
    return render(request, "operating_model/principle_set_detail.html", context)


@org_view(Role.EDITOR)
def principle_set_copy(request: OrgRequest, set_id: int) -> HttpResponse:
    """Copy a set (for example one an adopted version froze) so the copy can be changed."""
    principle_set = get_or_404(selectors.principle_set_get, request, "set of principles", pk=set_id)
    detail = _url(request, "principle_set_detail", set_id=principle_set.pk)
    return confirm_page(
        request,
        lambda: services.principle_set_copy(by=request.user, principle_set=principle_set),
        done=lambda copy: _url(request, "principle_set_detail", set_id=copy.pk),
        message=lambda copy: f"{copy.name} has been made. Change it as you need.",
        title=f"Make a copy of {principle_set.name}?",
        intro="The copy holds every principle and consideration of this set. You can "
        "change the copy and choose it for a draft version of the TOM.",
        button="Yes, make a copy",
        cancel_label="No, go back",
        cancel_url=detail,
        crumbs=[*_set_crumbs(request, principle_set)[:-1], (principle_set.name, detail)],
    )


@org_view(Role.EDITOR)
def principle_set_edit(request: OrgRequest, set_id: int) -> HttpResponse:
    principle_set = get_or_404(selectors.principle_set_get, request, "set of principles", pk=set_id)
    detail = _url(request, "principle_set_detail", set_id=principle_set.pk)
    return form_page(
        request,
        PrincipleSetForm(
            bound(request),
            initial={"name": principle_set.name, "description": principle_set.description},
        ),
        lambda data: services.principle_set_update(
            by=request.user, principle_set=principle_set, **data
        ),
        done=lambda s: detail,
        message=lambda s: f"{s.name} has been saved.",
        title=f"Change {principle_set.name}",
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle_set),
        record=principle_set,
    )


@org_view(Role.EDITOR)
def principle_set_delete(request: OrgRequest, set_id: int) -> HttpResponse:
    principle_set = get_or_404(selectors.principle_set_get, request, "set of principles", pk=set_id)
    return confirm_page(
        request,
        lambda: services.principle_set_delete(by=request.user, principle_set=principle_set),
        done=_url(request, "principle_set_list"),
        message=f"{principle_set.name} has been deleted.",
        title=f"Are you sure you want to delete {principle_set.name}?",
        intro="Its principles and considerations are deleted with it.",
        button="Yes, delete it",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=_url(request, "principle_set_detail", set_id=principle_set.pk),
        crumbs=_set_crumbs(request, principle_set),
    )


@org_view(Role.EDITOR)
def principle_create(request: OrgRequest, set_id: int) -> HttpResponse:
    principle_set = get_or_404(selectors.principle_set_get, request, "set of principles", pk=set_id)
    detail = _url(request, "principle_set_detail", set_id=principle_set.pk)
    return form_page(
        request,
        PrincipleForm(bound(request)),
        lambda data: services.principle_create(
            by=request.user, principle_set=principle_set, **data
        ),
        done=lambda p: detail,
        message=lambda p: f"{p.name} has been added.",
        title="Add a principle",
        caption=principle_set.name,
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle_set),
    )


@org_view(Role.EDITOR)
def principle_edit(request: OrgRequest, principle_id: int) -> HttpResponse:
    principle = get_or_404(selectors.principle_get, request, "principle", pk=principle_id)
    detail = _url(request, "principle_set_detail", set_id=principle.principle_set_id)
    return form_page(
        request,
        PrincipleForm(
            bound(request),
            initial={"name": principle.name, "group": principle.group, "intent": principle.intent},
        ),
        lambda data: services.principle_update(by=request.user, principle=principle, **data),
        done=lambda p: detail,
        message=lambda p: f"{p.name} has been saved.",
        title=f"Change {principle.name}",
        caption=principle.principle_set.name,
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle.principle_set),
        record=principle,
    )


@org_view(Role.EDITOR)
def principle_delete(request: OrgRequest, principle_id: int) -> HttpResponse:
    principle = get_or_404(selectors.principle_get, request, "principle", pk=principle_id)
    detail = _url(request, "principle_set_detail", set_id=principle.principle_set_id)
    return confirm_page(
        request,
        lambda: services.principle_delete(by=request.user, principle=principle),
        done=detail,
        message=f"{principle.name} has been deleted.",
        title=f"Are you sure you want to delete {principle.name}?",
        intro="Its key considerations are deleted with it.",
        button="Yes, delete it",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle.principle_set),
    )


@org_view(Role.EDITOR)
def consideration_create(request: OrgRequest, principle_id: int) -> HttpResponse:
    principle = get_or_404(selectors.principle_get, request, "principle", pk=principle_id)
    detail = _url(request, "principle_set_detail", set_id=principle.principle_set_id)
    return form_page(
        request,
        ConsiderationForm(bound(request)),
        lambda data: services.consideration_create(by=request.user, principle=principle, **data),
        done=lambda k: detail,
        message=lambda k: f"{k.name} has been added to {principle.name}.",
        title="Add a key consideration",
        caption=principle.name,
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle.principle_set),
    )


@org_view(Role.EDITOR)
def consideration_edit(request: OrgRequest, consideration_id: int) -> HttpResponse:
    consideration = get_or_404(
        selectors.consideration_get, request, "consideration", pk=consideration_id
    )
    principle_set = consideration.principle.principle_set
    detail = _url(request, "principle_set_detail", set_id=principle_set.pk)
    return form_page(
        request,
        ConsiderationForm(
            bound(request),
            initial={"name": consideration.name, "description": consideration.description},
        ),
        lambda data: services.consideration_update(
            by=request.user, consideration=consideration, **data
        ),
        done=lambda k: detail,
        message=lambda k: f"{k.name} has been saved.",
        title=f"Change {consideration.name}",
        caption=consideration.principle.name,
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle_set),
        record=consideration,
    )


@org_view(Role.EDITOR)
def consideration_delete(request: OrgRequest, consideration_id: int) -> HttpResponse:
    consideration = get_or_404(
        selectors.consideration_get, request, "consideration", pk=consideration_id
    )
    principle_set = consideration.principle.principle_set
    detail = _url(request, "principle_set_detail", set_id=principle_set.pk)
    return confirm_page(
        request,
        lambda: services.consideration_delete(by=request.user, consideration=consideration),
        done=detail,
        message=f"{consideration.name} has been deleted.",
        title=f"Are you sure you want to delete {consideration.name}?",
        button="Yes, delete it",
        warning=True,
        cancel_label="No, keep it",
        cancel_url=detail,
        crumbs=_set_crumbs(request, principle_set),
    )
