"""Structure snapshots: upload, dashboard, browse, compare and export.

Views stay thin: a form validates, one service writes or a selector reads,
:mod:`.presenters` shapes what the page shows, and the kit draws the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import OrgRequest, org_view
from goldenthread.analysis.wording import counted
from goldenthread.core import selectors as core_selectors
from goldenthread.formats.money import pounds
from goldenthread.jobs.models import JobStatus
from goldenthread.kit.decisions import DecisionForm
from goldenthread.kit.exports import about_file, export_response
from goldenthread.kit.forms import apply_service_error
from goldenthread.kit.importing import import_run_for
from goldenthread.kit.lists import capped
from goldenthread.kit.models import ImportRun
from goldenthread.kit.pages import (
    Crumbs,
    bound,
    bound_files,
    confirm_page,
    download,
    form_page,
    get_or_404,
    org_url,
    success,
)
from goldenthread.kit.tables import table_page
from goldenthread.kit.views_import import import_upload_page

from . import dashboard, exports, orgchart, presenters, selectors, services, tables
from .band_importing import IMPORTER as BANDS_IMPORTER
from .columns import REDUNDANCY_BAND_COLUMNS
from .forms import (
    PAIR_BY_TITLE,
    POST_CHANGES,
    AddPostForm,
    BulkChangeForm,
    CompareForm,
    CompareWithForm,
    DesignRulesForm,
    MappingForm,
    PostChangeForm,
    RedundancyBandForm,
    ScenarioCreateForm,
    SnapshotForm,
    UploadForm,
    post_ids_from,
)
from .importing import IMPORTER as STRUCTURE_IMPORTER
from .inspect import upload_import_start, upload_reference
from .models import (
    DecisionKind,
    DesignRuleSet,
    Post,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureUpload,
)

#: Posts per page on the posts and unit pages.
PAGE_SIZE = 50

SNAPSHOT_SAVED = "{name} has been saved."
SNAPSHOT_DELETED = "{name} has been deleted."
ARCHIVE_INTRO = (
    "An archived snapshot is hidden from the list of snapshots; choose “Show archived "
    "snapshots” there to see it. Nothing in it changes: its posts, changes and decisions stay, "
    "and it can be put back in the list."
)
ARCHIVE_RESTORE_INTRO = "It is shown in the list of snapshots again. Nothing in it changes."
RULES_SAVED = "The design rules have been saved."


def _snapshot_or_404(request: OrgRequest, snapshot_id: int) -> Snapshot:
    return get_or_404(selectors.snapshot_get, request, "snapshot", pk=snapshot_id)


def _upload_or_404(request: OrgRequest, upload_id: int) -> StructureUpload:
    return get_or_404(selectors.upload_get, request, "upload", pk=upload_id)


def _crumbs(
    request: OrgRequest, snapshot: Snapshot | None = None, *more: tuple[str, str]
) -> Crumbs:
    """Structures, then the snapshot (if any), then the pages below it."""
    crumbs = [("Structures", org_url(request, "structure:snapshot_list"))]
    if snapshot is not None:
        crumbs.append(
            (snapshot.name, org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk))
        )
    return [*crumbs, *more]


#: The query that lists archived snapshots too: ``?archived=show``.
SHOW_ARCHIVED = "show"


@org_view()
def snapshot_list(request: OrgRequest) -> HttpResponse:
    snapshots = selectors.snapshot_list(organisation=request.organisation)
    held = snapshots.order_by().aggregate(
        total=Count("pk"), archived=Count("pk", filter=Q(archived=True))
    )
    show_archived = request.GET.get("archived") == SHOW_ARCHIVED
    rows = snapshots if show_archived else snapshots.filter(archived=False)
    table = tables.SNAPSHOTS.bind(request, rows)
    return table_page(
        request,
        table,
        "structure/snapshot_list.html",
        {
            "any": held["total"] > 0,
            "several": held["total"] > 1,
            "archived": held["archived"],
            "show_archived": show_archived,
        },
        what="snapshots",
    )


def _start(request: OrgRequest, upload: StructureUpload) -> HttpResponse:
    """Hand the upload to the import kit: checked, previewed, then saved on confirmation."""
    run = upload_import_start(upload=upload, by=request.user)
    return redirect(org_url(request, "kit:import_run", run_id=run.pk))


def _run_of(request: OrgRequest, upload: StructureUpload) -> ImportRun | None:
    return import_run_for(
        organisation=request.organisation,
        importer=STRUCTURE_IMPORTER,
        reference=upload_reference(upload),
    )


@org_view(Role.EDITOR)
def snapshot_upload(request: OrgRequest) -> HttpResponse:
    """Check the form, keep the file and queue its inspection: the file is not opened here."""
    organisation = request.organisation
    form = UploadForm(
        *bound_files(request),
        organisation=organisation,
        initial={"kind": "as_is", "fmt": "auto", "problems": "strict"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        junior = data.get("junior_file")
        fmt = data["fmt"]
        if fmt == "auto" and junior:
            fmt = "organogram"  # only an organogram has a junior file
        preset = data.get("mapping")
        saved = services.upload_create(
            organisation=organisation,
            by=request.user,
            filename=upload.name,
            data=upload.read(),
            junior_filename=junior.name if junior else "",
            junior_data=junior.read() if junior else None,
            fmt=fmt,
            lenient=data["problems"] == "lenient",
            mapping=preset.columns if preset and fmt in {"auto", "table"} else None,
            snapshot_fields={
                "name": data["name"],
                "kind": data["kind"],
                "effective_date": data["effective_date"].isoformat()
                if data["effective_date"]
                else "",
                "notes": data["notes"],
            },
        )
        return redirect(org_url(request, "structure:upload_review", upload_id=saved.pk))
    return render(request, "structure/upload.html", {"form": form, "importer": STRUCTURE_IMPORTER})


@org_view(Role.EDITOR)
def upload_mapping(request: OrgRequest, upload_id: int) -> HttpResponse:
    """Match the file's columns, as the inspection read them: the file is not opened here."""
    upload = _upload_or_404(request, upload_id)
    run = _run_of(request, upload)
    if run is not None:
        return redirect(org_url(request, "kit:import_run", run_id=run.pk))
    if upload.fmt != "table" or not upload.columns:
        # Not read yet, not readable, or not a table: the upload's page says which.
        return redirect(org_url(request, "structure:upload_review", upload_id=upload.pk))
    if not selectors.upload_file_kept(upload=upload):
        return _upload_not_kept(request, upload)
    form = MappingForm(bound(request), columns=upload.columns, initial_mapping=upload.mapping)
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            services.upload_set_mapping(upload=upload, mapping=mapping, by=request.user)
            if form.cleaned_data["save_as"].strip():
                services.column_mapping_save(
                    organisation=request.organisation,
                    name=form.cleaned_data["save_as"],
                    columns=mapping,
                    by=request.user,
                )
            return _start(request, upload)
        except ServiceError as error:
            if not selectors.upload_file_kept(upload=upload):
                return _upload_not_kept(request, upload)
            apply_service_error(form, error)
    return render(request, "structure/upload_mapping.html", {"form": form, "upload": upload})


def _upload_not_kept(request: OrgRequest, upload: StructureUpload) -> HttpResponse:
    """The mapping page of an upload whose file was deleted: say so and lead to a new upload."""
    return render(
        request,
        "structure/upload_mapping.html",
        {
            "upload": upload,
            "not_kept": services.upload_not_kept_message(upload),
            "upload_url": org_url(request, "structure:snapshot_upload"),
        },
    )


@org_view(Role.EDITOR)
def upload_review(request: OrgRequest, upload_id: int) -> HttpResponse:
    """An upload's page: its inspection while it runs (or why it failed), then its import."""
    upload = _upload_or_404(request, upload_id)
    run = _run_of(request, upload)
    if run is not None:
        return redirect(org_url(request, "kit:import_run", run_id=run.pk))
    job = upload.inspect_job
    read = job is not None and job.status == JobStatus.SUCCEEDED
    if read and upload.fmt == "table" and upload.columns:
        return redirect(org_url(request, "structure:upload_mapping", upload_id=upload.pk))
    if job is None or read:
        # Nothing left to wait for and no import to show: start again from the form.
        return redirect(org_url(request, "structure:snapshot_upload"))
    return render(
        request,
        "structure/upload_status.html",
        {"upload": upload, "job": job},
    )


@org_view()
def snapshot_detail(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    charts = dashboard.charts(figures)
    return render(
        request,
        "structure/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "can_delete": not services.snapshot_delete_refusal(snapshot=snapshot, by=request.user),
            # Whoever may delete it may archive it, or put it back once archived.
            "can_archive": request.membership.allows(services.snapshot_delete_role(snapshot)),
            "decisions": selectors.snapshot_decisions(organisation=organisation, snapshot=snapshot),
            "figures": figures,
            "summary": figures.summary,
            "rules": figures.rules,
            "headline": presenters.headline(figures),
            "charts": charts,
            "unit_rows": capped(figures.summary.by_unit, dashboard.UNIT_TABLE_ROWS),
            "plot": dashboard.plot_data(charts),
            "exceptions": dashboard.exceptions(organisation, snapshot, figures),
            "directorates": capped(
                selectors.unit_list_in_snapshot(organisation=organisation, snapshot=snapshot)
            ),
            "units_url": org_url(request, "core:unit_list"),
            "others": selectors.snapshot_others(
                organisation=organisation, snapshot=snapshot
            ).exists(),
            "compare_with": CompareWithForm(
                organisation=organisation, initial={"old": snapshot.base_id}
            ),
            "crumbs": _crumbs(request, None, (snapshot.name, "")),
        },
    )


@org_view(Role.EDITOR)
def snapshot_edit(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    form = SnapshotForm(
        bound(request),
        snapshot=snapshot,
        initial={
            "name": snapshot.name,
            "kind": snapshot.kind,
            "effective_date": snapshot.effective_date,
            "notes": snapshot.notes,
        },
    )
    detail = org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk)
    locked = ""
    if snapshot.status != SnapshotStatus.DRAFT:
        locked = services.SNAPSHOT_LOCKED.format(
            name=snapshot.name, status=snapshot.get_status_display().lower()
        )
    return form_page(
        request,
        form,
        lambda data: services.snapshot_update(snapshot=snapshot, by=request.user, **data),
        done=lambda _: detail,
        message=lambda saved: SNAPSHOT_SAVED.format(name=saved.name),
        title="Change the snapshot's details",
        caption=snapshot.name,
        locked=locked,
        crumbs=_crumbs(request, snapshot, ("Change", "")),
        cancel_url=detail,
        record=snapshot,
    )


@org_view(Role.EDITOR)
def snapshot_delete(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    refused = services.snapshot_delete_refusal(snapshot=snapshot, by=request.user)
    may_archive = request.membership.allows(services.snapshot_delete_role(snapshot))
    dependants = selectors.snapshot_dependants(
        organisation=request.organisation,
        snapshot=snapshot,
    )
    return confirm_page(
        request,
        lambda: services.snapshot_delete(snapshot=snapshot, by=request.user),
        done=org_url(request, "structure:snapshot_list"),
        message=SNAPSHOT_DELETED.format(name=snapshot.name),
        title=f"Delete {snapshot.name}?",
        intro="Its history stays in the audit trail.",
        consequences=presenters.delete_consequences(dependants),
        crumbs=_crumbs(request, snapshot, ("Delete", "")),
        cancel_url=org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk),
        button="Delete the snapshot",
        warning=True,
        # The page says why it cannot be deleted before anyone tries, and offers no button.
        refused=refused,
        template="structure/snapshot_delete.html",
        context={
            "snapshot": snapshot,
            # Kept for the record, it can still leave the list.
            "can_archive": bool(refused) and not snapshot.archived and may_archive,
        },
    )


SNAPSHOT_ARCHIVED = "{name} has been archived: it is no longer in the list of snapshots."
SNAPSHOT_RESTORED = "{name} is back in the list of snapshots."


@org_view(Role.EDITOR)
def snapshot_archive(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    detail = org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk)
    restore = snapshot.archived
    allowed = request.membership.allows(services.snapshot_delete_role(snapshot))
    return confirm_page(
        request,
        lambda: services.snapshot_archive(snapshot=snapshot, archived=not restore, by=request.user),
        done=detail,
        message=(SNAPSHOT_RESTORED if restore else SNAPSHOT_ARCHIVED).format(name=snapshot.name),
        title=f"Put {snapshot.name} back in the list?" if restore else f"Archive {snapshot.name}?",
        intro=ARCHIVE_RESTORE_INTRO if restore else ARCHIVE_INTRO,
        crumbs=_crumbs(request, snapshot, ("Restore" if restore else "Archive", "")),
        cancel_url=detail,
        button="Put it back in the list" if restore else "Archive the snapshot",
        refused=""
        if allowed or snapshot.status == SnapshotStatus.DRAFT
        else services.SNAPSHOT_ARCHIVE_NEEDS_ADMIN,
    )


@org_view(Role.ADMIN)
def design_rules(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    current = selectors.design_rules_get(organisation=organisation)
    form = DesignRulesForm(
        bound(request),
        initial={
            "target_span_min": current.target_span_min,
            "target_span_max": current.target_span_max,
            "narrow_span_max": current.narrow_span_max,
            "max_layers": current.max_layers,
        },
    )
    structures = org_url(request, "structure:snapshot_list")
    return form_page(
        request,
        form,
        lambda data: services.design_rules_update(
            organisation=organisation, by=request.user, **data
        ),
        done=lambda _: structures,
        message=lambda _: RULES_SAVED,
        title="Design rules for spans and layers",
        intro=(
            "Every snapshot's dashboard measures its structure against these rules. The cost "
            "of one redundancy, used in comparisons, is in the organisation's settings."
        ),
        crumbs=_crumbs(request, None, ("Design rules", "")),
        cancel_url=structures,
        button="Save the rules",
        record=selectors.design_rule_set(organisation=organisation)
        or DesignRuleSet(organisation=organisation),
    )


@org_view()
def post_list(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    services.post_figures_store(organisation=organisation, snapshot=snapshot)
    posts = selectors.post_register(organisation=organisation, snapshot=snapshot)
    table = tables.POSTS.bind(request, posts, context={"snapshot": snapshot})
    return table_page(
        request,
        table,
        "structure/post_list.html",
        {"snapshot": snapshot},
        what=f"posts in {snapshot.name}",
        as_of=snapshot.effective_date,
    )


@org_view()
def post_detail(request: OrgRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    post = get_or_404(selectors.post_get, request, "post", snapshot=snapshot, pk=post_pk)
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    chain_positions = dashboard.chain_up(figures, figures.index_of(post.position))
    posts = selectors.post_list(organisation=organisation, snapshot=snapshot)
    above = {p.position: p for p in posts.filter(position__in=chain_positions)}
    reports = list(posts.filter(manager_position=post.position).order_by("position"))
    return render(
        request,
        "structure/post_detail.html",
        {
            "snapshot": snapshot,
            "post": post,
            "chain": [above[p] for p in reversed(chain_positions) if p in above],
            "reports": presenters.with_metrics(figures, reports),
            **presenters.post_figures(figures, post.position),
            "editable": snapshot.kind == SnapshotKind.SCENARIO
            and snapshot.status == SnapshotStatus.DRAFT,
            "post_changes": POST_CHANGES,
            "crumbs": _crumbs(request, snapshot, (post.post_id, "")),
        },
    )


@org_view()
def snapshot_unit(request: OrgRequest, snapshot_id: int, unit_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    unit = get_or_404(core_selectors.unit_get, request, "unit", pk=unit_id)
    unit_ids = selectors.unit_subtree_ids(organisation=organisation, unit=unit)
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    posts = selectors.post_list(organisation=organisation, snapshot=snapshot).filter(
        unit_id__in=unit_ids
    )
    paths = set(posts.values_list("unit_path", flat=True).distinct())
    rollup = dashboard.unit_rollup(figures, paths)
    page = Paginator(posts.order_by("position"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = presenters.with_metrics(figures, list(page.object_list))
    return render(
        request,
        "structure/snapshot_unit.html",
        {
            "snapshot": snapshot,
            "unit": unit,
            "rollup": rollup,
            "page": page,
            "rows": rows,
            "managers": [row for row in rows if row["span"] > 0],
            "children": capped(
                selectors.unit_list_in_snapshot(
                    organisation=organisation, snapshot=snapshot, parent=unit
                )
            ),
            "children_url": f"{org_url(request, 'core:unit_list')}?inside={unit.pk}",
            "crumbs": _crumbs(request, snapshot, (unit.name, "")),
        },
    )


@org_view()
def compare(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    form = CompareForm(request.GET if "old" in request.GET else None, organisation=organisation)
    context: dict[str, Any] = {
        "form": form,
        "crumbs": _crumbs(request, None, ("Compare two snapshots", "")),
    }
    if form.is_bound and form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        by_title = form.cleaned_data["pairing"] == PAIR_BY_TITLE
        diff, before, after = selectors.snapshot_diff(
            organisation=organisation, old=old, new=new, by_title=by_title
        )
        notes = selectors.change_notes_by_directorate(organisation=organisation, old=old, new=new)
        context.update(
            presenters.comparison(
                diff,
                before,
                after,
                unit=form.cleaned_data["unit"],
                tier=form.cleaned_data["tier"],
                notes=notes,
            )
        )
        context.update(
            {
                "old": old,
                "new": new,
                "by_title": by_title,
                "by_title_url": "?" + _query_with(request, pairing=PAIR_BY_TITLE),
            }
        )
    return render(request, "structure/compare.html", context)


def _query_with(request: OrgRequest, **values: str) -> str:
    query = request.GET.copy()
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


@org_view()
def snapshot_export(request: OrgRequest, snapshot_id: int, fmt: str) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    # Every file is named for the snapshot's date, or for today when it has none.
    as_of = snapshot.effective_date or timezone.localdate()
    if fmt == "xlsx":
        what = f"Posts in {snapshot.name}"
        about = about_file(
            request,
            what=what,
            as_of=as_of,
            notes=[
                ("Snapshot", snapshot.name),
                ("Kind", snapshot.get_kind_display()),
                ("Status", snapshot.get_status_display()),
            ],
        )
        data = exports.snapshot_xlsx(figures, snapshot.name, about=about)
        return download(data, organisation=organisation, what=what, fmt="xlsx", as_of=as_of)
    files = {
        "senior.csv": ("organogram senior", exports.organogram_senior),
        "junior.csv": ("organogram junior", exports.organogram_junior),
    }
    if fmt in files:
        suffix, write = files[fmt]
        what = f"{snapshot.name} {suffix}"
        return download(
            write(figures), organisation=organisation, what=what, fmt="csv", as_of=as_of
        )
    if fmt == "transparency.csv":
        tiers: int | None = exports.TRANSPARENCY_TIERS
        which = "top three tiers"
        if request.GET.get("tiers") == "all":
            tiers, which = None, "every tier"
        data = exports.transparency(figures, tiers)
        what = f"{snapshot.name} transparency {which}"
        return download(data, organisation=organisation, what=what, fmt="csv", as_of=as_of)
    raise Http404("Exports are available as xlsx, senior.csv, junior.csv or transparency.csv")


# ---------------------------------------------------------------------------
# Org chart


def _org_chart_page(
    request: OrgRequest,
    snapshot: Snapshot,
    chart: orgchart.Chart,
    *,
    subject: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The chart page: the open posts as a nested list, which the script draws as boxes."""
    top = org_url(request, "structure:org_chart", snapshot_id=snapshot.pk)
    crumbs = _crumbs(request, snapshot, ("Org chart", top), (subject, "")) if subject else None
    return render(
        request,
        "structure/org_chart.html",
        {
            "snapshot": snapshot,
            "chart": chart,
            "boxes": orgchart.boxes_html(
                chart.tops, orgchart.Links.of(request.organisation.slug, snapshot)
            ),
            "subject": subject,
            "levels": orgchart.LEVELS,
            "top_url": top,
            "crumbs": crumbs or _crumbs(request, snapshot, ("Org chart", "")),
            **(context or {}),
        },
    )


def _stored_snapshot_or_404(request: OrgRequest, snapshot_id: int) -> Snapshot:
    """The snapshot, with its posts' layers and spans stored (the chart reads them)."""
    snapshot = _snapshot_or_404(request, snapshot_id)
    return services.post_figures_store(organisation=request.organisation, snapshot=snapshot)


@org_view()
def org_chart(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _stored_snapshot_or_404(request, snapshot_id)
    chart = orgchart.chart_top(organisation=request.organisation, snapshot=snapshot)
    return _org_chart_page(request, snapshot, chart)


def _chart_post_or_404(
    request: OrgRequest, snapshot_id: int, post_pk: int
) -> tuple[Snapshot, Post]:
    """The snapshot and its post, read once the posts' layers and spans are stored."""
    snapshot = _stored_snapshot_or_404(request, snapshot_id)
    post = get_or_404(selectors.post_get, request, "post", snapshot=snapshot, pk=post_pk)
    return snapshot, post


@org_view()
def org_chart_post(request: OrgRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    snapshot, post = _chart_post_or_404(request, snapshot_id, post_pk)
    chart = orgchart.chart_post(organisation=request.organisation, snapshot=snapshot, post=post)
    return _org_chart_page(request, snapshot, chart, subject=post.title or post.post_id)


@org_view()
def org_chart_unit(request: OrgRequest, snapshot_id: int, unit_id: int) -> HttpResponse:
    snapshot = _stored_snapshot_or_404(request, snapshot_id)
    unit = get_or_404(core_selectors.unit_get, request, "unit", pk=unit_id)
    chart = orgchart.chart_unit(organisation=request.organisation, snapshot=snapshot, unit=unit)
    return _org_chart_page(request, snapshot, chart, subject=unit.name, context={"unit": unit})


@org_view()
def org_chart_reports(request: OrgRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    """One box with the levels below it open: the chart's script puts it in place of the box."""
    snapshot, post = _chart_post_or_404(request, snapshot_id, post_pk)
    organisation = request.organisation
    box = orgchart.chart_reports(organisation=organisation, snapshot=snapshot, post=post)
    # A fragment: the box alone, without the page around it.
    return HttpResponse(orgchart.box_html(box, orgchart.Links.of(organisation.slug, snapshot)))


# ---------------------------------------------------------------------------
# Scenarios

NOT_EDITABLE = "{name} cannot be changed: only a draft scenario can."
CHANGE_SAVED = "The change has been recorded: {description}."
CHANGE_UNDONE = "The change has been undone: {description}."
SCENARIO_CREATED = "{name} has been created with a copy of the {posts} of {base}."
SCENARIO_APPROVED = "{name} has been approved."
DECISION_INTRO = (
    "Record the decision as the minutes or the delegated decision record give it. "
    "The decision is kept with the snapshot and in the audit history."
)
NOT_A_SCENARIO = "{name} is not a scenario: create a scenario from it to model changes."


def _scenario_url(request: OrgRequest, snapshot: Snapshot) -> str:
    return org_url(request, "structure:scenario_detail", snapshot_id=snapshot.pk)


def _scenario_crumbs(request: OrgRequest, snapshot: Snapshot, page: str) -> Crumbs:
    return _crumbs(
        request, snapshot, ("Changes and difference", _scenario_url(request, snapshot)), (page, "")
    )


def _refuse_if_not_editable(request: OrgRequest, snapshot: Snapshot) -> HttpResponse | None:
    if snapshot.kind == SnapshotKind.SCENARIO and snapshot.status == SnapshotStatus.DRAFT:
        return None
    messages.error(request, NOT_EDITABLE.format(name=snapshot.name))
    if snapshot.kind == SnapshotKind.SCENARIO or snapshot.changes.exists():
        return redirect(_scenario_url(request, snapshot))
    return redirect(org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk))


@org_view()
def scenario_detail(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    waves = selectors.change_waves(organisation=organisation, snapshot=snapshot)
    if snapshot.kind != SnapshotKind.SCENARIO and snapshot.base is None and not waves:
        messages.info(request, NOT_A_SCENARIO.format(name=snapshot.name))
        return redirect(org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk))
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    context: dict[str, Any] = {
        "snapshot": snapshot,
        "waves": waves,
        "headline": presenters.headline(figures),
        "editable": snapshot.kind == SnapshotKind.SCENARIO
        and snapshot.status == SnapshotStatus.DRAFT,
        "post_changes": POST_CHANGES,
        "decisions": selectors.snapshot_decisions(organisation=organisation, snapshot=snapshot),
        "crumbs": _crumbs(request, snapshot, ("Changes and difference", "")),
    }
    if snapshot.base is not None:
        diff, before, after = selectors.snapshot_diff(
            organisation=organisation, old=snapshot.base, new=snapshot
        )
        context.update(
            {
                "diff": diff,
                "difference": presenters.difference(before, after),
                "directorates": presenters.directorate_table(diff),
            }
        )
    return render(request, "structure/scenario_detail.html", context)


@org_view(Role.EDITOR)
def scenario_create(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    form = ScenarioCreateForm(
        bound(request), initial={"name": f"Scenario from {snapshot.name}"[:200]}
    )
    count = snapshot.post_count
    return form_page(
        request,
        form,
        lambda data: services.scenario_create(snapshot=snapshot, by=request.user, **data),
        done=lambda scenario: _scenario_url(request, scenario),
        message=lambda scenario: SCENARIO_CREATED.format(
            name=scenario.name, posts=counted(scenario.post_count, "post"), base=snapshot.name
        ),
        title="Create a scenario from this snapshot",
        caption=snapshot.name,
        intro=(
            f"The scenario starts as a copy of the {counted(count, 'post')} of "
            f"{snapshot.name}, which stays as it is. You then add, delete, move, regrade, "
            "retitle or re-cost posts in the scenario, each change with its reason and the "
            f"date it takes effect, and see the difference from {snapshot.name} as you go."
        ),
        crumbs=_crumbs(request, snapshot, ("Create a scenario", "")),
        cancel_url=org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk),
        button="Create the scenario",
    )


@org_view(Role.EDITOR)
def post_change(request: OrgRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    post = get_or_404(selectors.post_get, request, "post", snapshot=snapshot, pk=post_pk)
    kinds = {kind: heading for kind, _, heading in POST_CHANGES}
    kind = request.GET.get("kind", "move")
    if kind not in kinds:
        raise Http404("No such kind of change")
    form = PostChangeForm(
        bound(request),
        kind=kind,
        organisation=organisation,
        snapshot=snapshot,
        initial={"effective_date": snapshot.effective_date},
    )

    def save(data: dict[str, Any]) -> Any:
        return services.scenario_post_change(
            snapshot=snapshot, post_id=post.post_id, kind=kind, by=request.user, **data
        )

    post_url = org_url(request, "structure:post_detail", snapshot_id=snapshot.pk, post_pk=post.pk)
    heading = kinds[kind].format(post=f"{post.title or 'post'} ({post.post_id})")
    return form_page(
        request,
        form,
        save,
        done=lambda _: _scenario_url(request, snapshot),
        message=lambda change: CHANGE_SAVED.format(description=change.description),
        title=heading,
        caption=snapshot.name,
        crumbs=_crumbs(request, snapshot, (post.post_id, post_url), (heading, "")),
        cancel_url=post_url,
        button="Delete the post" if kind == "delete" else "Record the change",
        template="structure/post_change.html",
        context={
            "snapshot": snapshot,
            "post": post,
            "kind": kind,
            "reports": selectors.post_report_count(snapshot=snapshot, post=post),
            "manager": selectors.post_manager_get(snapshot=snapshot, post=post),
        },
    )


@org_view(Role.EDITOR)
def scenario_add_post(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    form = AddPostForm(
        bound(request),
        organisation=organisation,
        snapshot=snapshot,
        initial={"effective_date": snapshot.effective_date, "fte": 1},
    )
    return form_page(
        request,
        form,
        lambda data: services.scenario_post_add(
            snapshot=snapshot,
            by=request.user,
            **data,
        ),
        done=lambda _: _scenario_url(request, snapshot),
        message=lambda change: CHANGE_SAVED.format(description=change.description),
        title="Add a post",
        caption=snapshot.name,
        crumbs=_scenario_crumbs(request, snapshot, "Add a post"),
        cancel_url=_scenario_url(request, snapshot),
        button="Add the post",
        template="structure/scenario_add_post.html",
        context={"snapshot": snapshot},
    )


@org_view(Role.EDITOR)
def scenario_bulk(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    form = BulkChangeForm(
        bound(request),
        organisation=organisation,
        snapshot=snapshot,
        initial={"effective_date": snapshot.effective_date, "action": "move"},
    )

    def save(data: dict[str, Any]) -> Any:
        unit = data["unit"]
        post_ids = selectors.scenario_selection(
            snapshot=snapshot, unit=unit, post_ids=post_ids_from(data["post_ids"])
        )
        return services.scenario_bulk_change(
            snapshot=snapshot,
            post_ids=post_ids,
            action=data["action"],
            reason=data["reason"],
            effective_date=data["effective_date"],
            by=request.user,
            manager=data["manager"],
            unit=data["new_unit"],
            grade=data["grade"],
            reports_to=data["reports_to"],
            label=f"the {counted(len(post_ids), 'post')} of {unit.name}" if unit else "",
        )

    return form_page(
        request,
        form,
        save,
        done=lambda _: _scenario_url(request, snapshot),
        message=lambda change: CHANGE_SAVED.format(description=change.description),
        title="Change many posts at once",
        caption=snapshot.name,
        intro=(
            "Choose the posts, say what happens to them, and give the reason. They change "
            "together, as one change you can undo."
        ),
        crumbs=_scenario_crumbs(request, snapshot, "Change many posts"),
        cancel_url=_scenario_url(request, snapshot),
        button="Record the change",
        template="structure/scenario_bulk.html",
        context={"snapshot": snapshot},
    )


def _act(request: HttpRequest, act: Callable[[], Any], message: str, done: str) -> HttpResponse:
    """Do a one-button action (POST only) and go back to ``done`` with its outcome."""
    if request.method == "POST":
        try:
            act()
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            success(request, message)
    return redirect(done)


@org_view(Role.EDITOR)
def change_undo(request: OrgRequest, change_id: int) -> HttpResponse:
    change = get_or_404(selectors.change_get, request, "change", pk=change_id)
    return _act(
        request,
        lambda: services.scenario_change_undo(change=change, by=request.user),
        CHANGE_UNDONE.format(description=change.description),
        _scenario_url(request, change.snapshot),
    )


def _decision_page(
    request: OrgRequest, snapshot: Snapshot, kind: DecisionKind, *, status: str, refused: str
) -> HttpResponse:
    """The confirmation page of a decision on a scenario: what it does, and its record."""
    organisation = request.organisation
    approval = kind == DecisionKind.APPROVAL
    act = services.scenario_approve if approval else services.scenario_promote

    def message(result: Any) -> str:
        if approval:
            return SCENARIO_APPROVED.format(name=snapshot.name)
        others = ", ".join(s.name for s in result) or "no earlier as-is was"
        return services.PROMOTED.format(name=snapshot.name, others=others)

    title = (
        f"Record the decision approving {snapshot.name}"
        if approval
        else f"Record the decision making {snapshot.name} the as-is structure"
    )
    return form_page(
        request,
        DecisionForm(bound(request)),
        lambda data: act(snapshot=snapshot, by=request.user, **data),
        done=lambda _: org_url(request, "structure:snapshot_detail", snapshot_id=snapshot.pk),
        message=message,
        title=title,
        caption=snapshot.name,
        intro=DECISION_INTRO,
        locked=""
        if snapshot.status == status and snapshot.kind == SnapshotKind.SCENARIO
        else refused,
        button="Approve the scenario" if approval else "Make this the new as-is",
        cancel_url=_scenario_url(request, snapshot),
        crumbs=_scenario_crumbs(request, snapshot, "Approve" if approval else "Make the as-is"),
        template="structure/scenario_decision.html",
        context={
            "consequences": selectors.scenario_decision_consequences(
                organisation=organisation, snapshot=snapshot, kind=kind
            ),
        },
    )


@org_view(Role.ADMIN)
def scenario_approve(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    return _decision_page(
        request,
        snapshot,
        DecisionKind.APPROVAL,
        status=SnapshotStatus.DRAFT,
        refused=services.APPROVE_DRAFTS_ONLY,
    )


@org_view(Role.ADMIN)
def scenario_promote(request: OrgRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    return _decision_page(
        request,
        snapshot,
        DecisionKind.PROMOTION,
        status=SnapshotStatus.APPROVED,
        refused=services.PROMOTE_APPROVED_ONLY,
    )


# ---------------------------------------------------------------------------
# Redundancy costs by grade

BAND_ADDED = "The band for {grade} has been added."
BAND_SAVED = "The band for {grade} has been saved."
BAND_DELETED = "The band for {grade} has been deleted."
BANDS_TITLE = "Redundancy costs by grade"
BAND_IMPORT_INTRO = (
    "Use a CSV file or an Excel workbook whose first row names the columns below. A grade "
    "that already has a band changes its cost; a new grade adds a band."
)


def _band_crumbs(request: OrgRequest, *more: tuple[str, str]) -> Crumbs:
    return _crumbs(request, None, (BANDS_TITLE, org_url(request, "structure:band_list")), *more)


@org_view()
def band_list(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    bands = selectors.redundancy_band_list(organisation=organisation)
    table = tables.REDUNDANCY_BANDS.bind(request, bands)
    return table_page(
        request,
        table,
        "structure/band_list.html",
        {
            "any": bands.exists(),
            "flat": pounds(organisation.redundancy_cost_per_post),
            "crumbs": _crumbs(request, None, (BANDS_TITLE, "")),
        },
        what="redundancy bands",
    )


@org_view(Role.ADMIN)
def band_create(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    return form_page(
        request,
        RedundancyBandForm(bound(request)),
        lambda data: services.redundancy_band_create(
            organisation=organisation, by=request.user, **data
        ),
        done=lambda _: org_url(request, "structure:band_list"),
        message=lambda band: BAND_ADDED.format(grade=band.grade),
        title="Add a redundancy band",
        crumbs=_band_crumbs(request, ("Add a band", "")),
        cancel_url=org_url(request, "structure:band_list"),
    )


def _band_or_404(request: OrgRequest, band_id: int) -> Any:
    return get_or_404(selectors.redundancy_band_get, request, "band", pk=band_id)


@org_view(Role.ADMIN)
def band_edit(request: OrgRequest, band_id: int) -> HttpResponse:
    band = _band_or_404(request, band_id)
    listing = org_url(request, "structure:band_list")
    return form_page(
        request,
        RedundancyBandForm(bound(request), initial={"grade": band.grade, "cost": band.cost}),
        lambda data: services.redundancy_band_update(band=band, by=request.user, **data),
        done=lambda _: listing,
        message=lambda saved: BAND_SAVED.format(grade=saved.grade),
        title=f"Change the band for {band.grade}",
        crumbs=_band_crumbs(request, (band.grade, "")),
        cancel_url=listing,
        record=band,
        template="structure/band_form.html",
        context={"band": band},
    )


@org_view(Role.ADMIN)
def band_delete(request: OrgRequest, band_id: int) -> HttpResponse:
    band = _band_or_404(request, band_id)
    listing = org_url(request, "structure:band_list")
    return confirm_page(
        request,
        lambda: services.redundancy_band_delete(band=band, by=request.user),
        done=listing,
        message=BAND_DELETED.format(grade=band.grade),
        title=f"Delete the band for {band.grade}?",
        intro="Posts of this grade are then costed at the flat cost of one redundancy. "
        "The band's history stays in the audit trail.",
        crumbs=_band_crumbs(request, (band.grade, ""), ("Delete", "")),
        cancel_url=listing,
        cancel_label="No, keep it",
        button="Yes, delete the band",
        warning=True,
    )


@org_view(Role.ADMIN)
def band_import(request: OrgRequest) -> HttpResponse:
    return import_upload_page(
        request,
        importer=BANDS_IMPORTER,
        columns=REDUNDANCY_BAND_COLUMNS,
        title="Import redundancy bands from a file",
        intro=BAND_IMPORT_INTRO,
        crumbs=_band_crumbs(request, ("Import", "")),
        cancel_url=org_url(request, "structure:band_list"),
    )


@org_view()
def band_export(request: OrgRequest, fmt: str) -> HttpResponse:
    bands = selectors.redundancy_band_list(organisation=request.organisation)
    return export_response(
        request, columns=REDUNDANCY_BAND_COLUMNS, records=bands, what="Redundancy bands", fmt=fmt
    )
