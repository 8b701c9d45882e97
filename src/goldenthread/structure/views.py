"""Structure snapshots: upload, dashboard, browse, compare and export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import org_view
from goldenthread.core.models import Unit
from goldenthread.formats.reading import FormatError
from goldenthread.jobs.services import job_create
from goldenthread.kit.tables import table_page
from goldenthread.web.forms import apply_service_error

from . import dashboard, exports, selectors, services, tables
from .engine import detect, header
from .forms import (
    POST_CHANGES,
    AddPostForm,
    BulkChangeForm,
    CompareForm,
    DesignRulesForm,
    MappingForm,
    PostChangeForm,
    ScenarioCreateForm,
    SnapshotForm,
    UploadForm,
    post_ids_from,
)
from .importing import CHECK_KIND, IMPORT_KIND
from .models import (
    Post,
    ScenarioChange,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureUpload,
)

#: Posts per page on the posts and unit pages.
PAGE_SIZE = 50
#: Rows of each list of changed posts on the comparison page.
COMPARE_ROWS = 100

UNREADABLE = "The file cannot be read: {reason}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _snapshot_or_404(request: HttpRequest, snapshot_id: int) -> Snapshot:
    try:
        return selectors.snapshot_get(organisation=request.organisation, pk=snapshot_id)  # type: ignore[attr-defined]
    except Snapshot.DoesNotExist:
        raise Http404("No such snapshot in this organisation") from None


def _upload_or_404(request: HttpRequest, upload_id: int) -> StructureUpload:
    try:
        return selectors.upload_get(organisation=request.organisation, pk=upload_id)  # type: ignore[attr-defined]
    except StructureUpload.DoesNotExist:
        raise Http404("No such upload in this organisation") from None


@org_view()
def snapshot_list(request: HttpRequest) -> HttpResponse:
    snapshots = selectors.snapshot_list(organisation=request.organisation)  # type: ignore[attr-defined]
    table = tables.SNAPSHOTS.bind(request, snapshots)
    held = len(snapshots.order_by().values_list("pk", flat=True)[:2])
    return table_page(
        request,
        table,
        "structure/snapshot_list.html",
        {"any": held > 0, "several": held > 1},
        what="snapshots",
    )


def _start(request: HttpRequest, upload: StructureUpload) -> HttpResponse:
    """Queue the check (lenient: show the repairs first) or the import (strict)."""
    organisation = request.organisation  # type: ignore[attr-defined]
    review = reverse(
        "structure:upload_review", kwargs={"org_slug": organisation.slug, "upload_id": upload.pk}
    )
    if upload.lenient:
        job = job_create(
            organisation=organisation,
            kind=CHECK_KIND,
            title=f"Check {upload.filename} and list its repairs",
            created_by=request.user,
            parameters={"upload_id": upload.pk},
        )
        job.result_url = review
        job.save(update_fields=["result_url"])
        upload.check_job = job
        upload.save(update_fields=["check_job"])
    else:
        job = job_create(
            organisation=organisation,
            kind=IMPORT_KIND,
            title=f"Import the structure in {upload.filename}",
            created_by=request.user,
            parameters={"upload_id": upload.pk},
        )
        upload.import_job = job
        upload.save(update_fields=["import_job"])
    return redirect("jobs:job_detail", org_slug=organisation.slug, job_id=job.pk)


@org_view(Role.EDITOR)
def snapshot_upload(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = UploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()),
        organisation=organisation,
        initial={"kind": "as_is", "fmt": "auto", "problems": "strict"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read()
        fmt = data["fmt"]
        if fmt == "auto":
            fmt = "organogram" if data.get("junior_file") else detect(upload.name, content)
        junior = data.get("junior_file")
        preset = data.get("mapping")
        saved = services.upload_create(
            organisation=organisation,
            created_by=request.user,
            filename=upload.name,
            data=content,
            junior_filename=junior.name if junior else "",
            junior_data=junior.read() if junior else None,
            fmt=fmt,
            lenient=data["problems"] == "lenient",
            mapping=preset.columns if preset and fmt == "table" else None,
            snapshot_fields={
                "name": data["name"],
                "kind": data["kind"],
                "effective_date": data["effective_date"].isoformat()
                if data["effective_date"]
                else "",
                "notes": data["notes"],
            },
        )
        if fmt == "table" and not saved.mapping:
            return redirect(
                "structure:upload_mapping", org_slug=organisation.slug, upload_id=saved.pk
            )
        return _start(request, saved)
    return render(request, "structure/upload.html", {"form": form})


@org_view(Role.EDITOR)
def upload_mapping(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    if upload.import_job_id or upload.check_job_id:
        return redirect("structure:upload_review", org_slug=organisation.slug, upload_id=upload.pk)
    try:
        columns = header(upload.filename, bytes(upload.data))
    except FormatError as error:
        messages.error(request, UNREADABLE.format(reason=error.problems[0].message))
        return redirect("structure:snapshot_upload", org_slug=organisation.slug)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        columns=columns,
        initial_mapping=upload.mapping,
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            services.upload_set_mapping(upload=upload, mapping=mapping)
            if form.cleaned_data["save_as"].strip():
                services.column_mapping_save(
                    organisation=organisation,
                    name=form.cleaned_data["save_as"],
                    columns=mapping,
                )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return _start(request, upload)
    return render(
        request,
        "structure/upload_mapping.html",
        {"form": form, "upload": upload, "columns": columns},
    )


@org_view(Role.EDITOR)
def upload_review(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    checked = upload.check_job is not None and upload.check_job.status == "succeeded"
    if request.method == "POST" and upload.import_job_id is None and checked:
        job = job_create(
            organisation=organisation,
            kind=IMPORT_KIND,
            title=f"Import the structure in {upload.filename}, with repairs",
            created_by=request.user,
            parameters={"upload_id": upload.pk},
        )
        upload.import_job = job
        upload.save(update_fields=["import_job"])
        return redirect("jobs:job_detail", org_slug=organisation.slug, job_id=job.pk)
    return render(request, "structure/upload_review.html", {"upload": upload})


def _headline(figures: selectors.Figures) -> list[tuple[str, str]]:
    s = figures.summary
    ratio = f"1 : {s.manager_ratio:.1f}" if s.manager_ratio is not None else "–"
    from goldenthread.web.templatetags.govuk import pounds

    cost = pounds(s.total_cost)
    if s.unknown_cost_posts:
        cost += f" (at least: {s.unknown_cost_posts:,} posts have no known cost)"
    return [
        ("Posts", f"{s.posts:,}"),
        ("FTE", f"{s.fte:,.1f}"),
        ("Known annual cost", cost),
        ("Layers", str(s.layers)),
        ("Top posts", str(s.roots)),
        ("Managers", f"{s.managers:,}"),
        ("Mean span", f"{s.spans.mean:.1f}"),
        ("Median span", f"{s.spans.median:g}"),
        ("Management ratio (posts without reports per manager)", ratio),
        ("Management cost", pounds(s.management_cost)),
        ("Vacant posts", f"{s.vacant:,}"),
        ("Agency posts", f"{s.agency:,}"),
    ]


@org_view()
def snapshot_detail(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    directorates = Unit.objects.filter(organisation=organisation, parent__isnull=True).order_by(
        "name"
    )
    return render(
        request,
        "structure/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "figures": figures,
            "summary": figures.summary,
            "rules": figures.rules,
            "headline": _headline(figures),
            "charts": dashboard.charts(figures),
            "exceptions": dashboard.exceptions(organisation, snapshot, figures),
            "directorates": directorates,
            "others": selectors.snapshot_list(organisation=organisation).exclude(pk=snapshot.pk),
        },
    )


@org_view(Role.EDITOR)
def snapshot_edit(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    form = SnapshotForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": snapshot.name,
            "kind": snapshot.kind,
            "status": snapshot.status,
            "effective_date": snapshot.effective_date,
            "notes": snapshot.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.snapshot_update(
                snapshot=snapshot, updated_by=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, f"{snapshot.name} has been saved.")
            return redirect(
                "structure:snapshot_detail",
                org_slug=request.organisation.slug,  # type: ignore[attr-defined]
                snapshot_id=snapshot.pk,
            )
    return render(request, "structure/snapshot_form.html", {"form": form, "snapshot": snapshot})


@org_view(Role.EDITOR)
def snapshot_delete(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    if request.method == "POST":
        services.snapshot_delete(snapshot=snapshot, deleted_by=request.user)
        messages.success(request, f"{snapshot.name} has been deleted.")
        return redirect("structure:snapshot_list", org_slug=request.organisation.slug)  # type: ignore[attr-defined]
    return render(request, "structure/snapshot_delete.html", {"snapshot": snapshot})


@org_view(Role.ADMIN)
def design_rules(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    current = selectors.design_rules_get(organisation=organisation)
    form = DesignRulesForm(
        request.POST if request.method == "POST" else None,
        initial={
            "target_span_min": current.target_span_min,
            "target_span_max": current.target_span_max,
            "narrow_span_max": current.narrow_span_max,
            "max_layers": current.max_layers,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.design_rules_update(
                organisation=organisation, updated_by=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "The design rules have been saved.")
            return redirect("structure:snapshot_list", org_slug=organisation.slug)
    return render(request, "structure/design_rules.html", {"form": form})


def _with_metrics(figures: selectors.Figures, posts: list[Post]) -> list[dict[str, Any]]:
    m = figures.metrics
    rows = []
    for post in posts:
        i = figures.index_of(post.position)
        rows.append(
            {
                "post": post,
                "layer": int(m.layer[i]),
                "span": int(m.span[i]),
                "below": int(m.reports_below[i]),
            }
        )
    return rows


@org_view()
def post_list(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
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
def post_detail(request: HttpRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    try:
        post = selectors.post_get(organisation=organisation, snapshot=snapshot, pk=post_pk)
    except Post.DoesNotExist:
        raise Http404("No such post in this snapshot") from None
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    index = figures.index_of(post.position)
    chain_positions = dashboard.chain_up(figures, index)
    posts = selectors.post_list(organisation=organisation, snapshot=snapshot)
    above = {p.position: p for p in posts.filter(position__in=chain_positions)}
    reports = list(posts.filter(manager_position=post.position).order_by("position"))
    m = figures.metrics
    return render(
        request,
        "structure/post_detail.html",
        {
            "snapshot": snapshot,
            "post": post,
            "chain": [above[p] for p in reversed(chain_positions) if p in above],
            "reports": _with_metrics(figures, reports),
            "layer": int(m.layer[index]),
            "span": int(m.span[index]),
            "below": int(m.reports_below[index]),
            "fte_below": float(m.fte_below[index]),
            "cost_below": Decimal(f"{float(m.cost_below[index]):.2f}"),
            "unknown_below": int(m.unknown_cost_below[index]),
            "editable": snapshot.kind == SnapshotKind.SCENARIO
            and snapshot.status == SnapshotStatus.DRAFT,
            "post_changes": POST_CHANGES,
        },
    )


@org_view()
def snapshot_unit(request: HttpRequest, snapshot_id: int, unit_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    try:
        unit = Unit.objects.select_related("parent").get(organisation=organisation, pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404("No such unit in this organisation") from None
    unit_ids = selectors.unit_subtree_ids(organisation=organisation, unit=unit)
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    posts = selectors.post_list(organisation=organisation, snapshot=snapshot).filter(
        unit_id__in=unit_ids
    )
    paths = set(posts.values_list("unit_path", flat=True).distinct())
    rollup = dashboard.unit_rollup(figures, paths)
    page = Paginator(posts.order_by("position"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _with_metrics(figures, list(page.object_list))
    managers = [row for row in rows if row["span"] > 0]
    children = Unit.objects.filter(organisation=organisation, parent=unit).order_by("name")
    return render(
        request,
        "structure/snapshot_unit.html",
        {
            "snapshot": snapshot,
            "unit": unit,
            "rollup": rollup,
            "page": page,
            "rows": rows,
            "managers": managers,
            "children": children,
        },
    )


def _filtered(items: Any, unit: str, tier: str, grades: dict[str, str] | None = None) -> list[Any]:
    unit, tier = unit.strip().lower(), tier.strip().lower()
    result = []
    for item in items:
        item_unit = getattr(item, "unit", "") or ""
        if unit and unit not in item_unit.lower():
            continue
        if tier and grades is not None and grades.get(item.post_id, "").lower() != tier:
            continue
        result.append(item)
    return result


def directorate_table(diff: Any, notes: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Seed 000's table: roles per directorate before, after and the difference."""
    rows: dict[str, dict[str, Any]] = {}
    for change in diff.by_unit:
        name = (change.unit or "No unit").split(" / ")[0].strip() or "No unit"
        row = rows.setdefault(
            name,
            {
                "name": name,
                "before": 0,
                "after": 0,
                "cost_before": Decimal(0),
                "cost_after": Decimal(0),
            },
        )
        row["before"] += change.posts_before
        row["after"] += change.posts_after
        row["cost_before"] += change.cost_before
        row["cost_after"] += change.cost_after
    for row in rows.values():
        row["difference"] = row["after"] - row["before"]
        row["cost_difference"] = row["cost_after"] - row["cost_before"]
        row["notes"] = (notes or {}).get(row["name"], "")
    return sorted(rows.values(), key=lambda r: r["name"])


@org_view()
def compare(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = CompareForm(request.GET if "old" in request.GET else None, organisation=organisation)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        diff, before, after = selectors.snapshot_diff(organisation=organisation, old=old, new=new)
        unit, tier = form.cleaned_data["unit"], form.cleaned_data["tier"]
        grades: dict[str, str] | None = None
        if tier:
            grades = dict(
                zip(
                    before.structure.post_id.to_list(),
                    before.structure.grade.fill_null("").to_list(),
                    strict=True,
                )
            )
            grades.update(
                zip(
                    after.structure.post_id.to_list(),
                    after.structure.grade.fill_null("").to_list(),
                    strict=True,
                )
            )
        lists = [
            ("Posts added", _filtered(diff.added, unit, tier, grades), "ref"),
            ("Posts removed", _filtered(diff.removed, unit, tier, grades), "ref"),
            ("Posts moved to a new manager", _filtered(diff.moved, "", tier, grades), "change"),
            ("Posts regraded", _filtered(diff.regraded, "", tier, grades), "change"),
            ("Posts retitled", _filtered(diff.retitled, "", tier, grades), "change"),
        ]
        by_unit = [c for c in diff.by_unit if not unit or unit.lower() in (c.unit or "").lower()]
        context.update(
            {
                "old": old,
                "new": new,
                "diff": diff,
                "directorates": directorate_table(
                    diff,
                    selectors.change_notes_by_directorate(
                        organisation=organisation, old=old, new=new
                    ),
                ),
                "lists": [
                    (title, items[:COMPARE_ROWS], len(items), kind) for title, items, kind in lists
                ],
                "by_unit": by_unit,
                "compare_rows": COMPARE_ROWS,
                "cost_per_redundancy": organisation.redundancy_cost_per_post,
            }
        )
    return render(request, "structure/compare.html", context)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_view()
def snapshot_export(request: HttpRequest, snapshot_id: int, fmt: str) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    figures = selectors.snapshot_figures(organisation=request.organisation, snapshot=snapshot)  # type: ignore[attr-defined]
    stem = slugify(snapshot.name) or f"snapshot-{snapshot.pk}"
    if fmt == "xlsx":
        return _download(exports.snapshot_xlsx(figures, snapshot.name), f"{stem}.xlsx", XLSX)
    csv_type = "text/csv; charset=utf-8"
    if fmt == "senior.csv":
        return _download(exports.organogram_senior(figures), f"{stem}-senior.csv", csv_type)
    if fmt == "junior.csv":
        return _download(exports.organogram_junior(figures), f"{stem}-junior.csv", csv_type)
    if fmt == "transparency.csv":
        tiers: int | None = exports.TRANSPARENCY_TIERS
        if request.GET.get("tiers") == "all":
            tiers = None
        return _download(exports.transparency(figures, tiers), f"{stem}-transparency.csv", csv_type)
    raise Http404("Exports are available as xlsx, senior.csv, junior.csv or transparency.csv")


# ---------------------------------------------------------------------------
# Scenarios

NOT_EDITABLE = "{name} cannot be changed: only a draft scenario can."
CHANGE_SAVED = "The change has been recorded: {description}."
CHANGE_UNDONE = "The change has been undone: {description}."
SCENARIO_CREATED = "{name} has been created with a copy of the {count:,} posts of {base}."
SCENARIO_APPROVED = "{name} has been approved."
NOT_A_SCENARIO = "{name} is not a scenario: create a scenario from it to model changes."


def _scenario_url(request: HttpRequest, snapshot: Snapshot) -> str:
    return reverse(
        "structure:scenario_detail",
        kwargs={"org_slug": request.organisation.slug, "snapshot_id": snapshot.pk},  # type: ignore[attr-defined]
    )


def _refuse_if_not_editable(request: HttpRequest, snapshot: Snapshot) -> HttpResponse | None:
    if snapshot.kind == SnapshotKind.SCENARIO and snapshot.status == SnapshotStatus.DRAFT:
        return None
    messages.error(request, NOT_EDITABLE.format(name=snapshot.name))
    if snapshot.kind == SnapshotKind.SCENARIO or snapshot.changes.exists():
        return redirect(_scenario_url(request, snapshot))
    return redirect(
        "structure:snapshot_detail",
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        snapshot_id=snapshot.pk,
    )


def _difference(before: selectors.Figures, after: selectors.Figures) -> list[dict[str, Any]]:
    from goldenthread.web.templatetags.govuk import pounds

    b, a = before.summary, after.summary
    rows = [
        ("Posts", b.posts, a.posts, "{:,}"),
        ("FTE", round(b.fte, 1), round(a.fte, 1), "{:,.1f}"),
        ("Known annual cost", b.total_cost, a.total_cost, "money"),
        ("Layers", b.layers, a.layers, "{}"),
        ("Managers", b.managers, a.managers, "{:,}"),
        ("Mean span", round(b.spans.mean, 1), round(a.spans.mean, 1), "{:.1f}"),
        ("Management cost", b.management_cost, a.management_cost, "money"),
        ("Vacant posts", b.vacant, a.vacant, "{:,}"),
    ]
    result = []
    for label, old, new, fmt in rows:
        change = new - old
        if fmt == "money":
            shown = (pounds(old), pounds(new), ("+" if change > 0 else "") + pounds(change))
        else:
            sign = "+" if change > 0 else ""
            shown = (fmt.format(old), fmt.format(new), sign + fmt.format(change))
        result.append({"label": label, "before": shown[0], "after": shown[1], "change": shown[2]})
    return result


@org_view()
def scenario_detail(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    waves = selectors.change_waves(organisation=organisation, snapshot=snapshot)
    if snapshot.kind != SnapshotKind.SCENARIO and snapshot.base is None and not waves:
        messages.info(request, NOT_A_SCENARIO.format(name=snapshot.name))
        return redirect(
            "structure:snapshot_detail", org_slug=organisation.slug, snapshot_id=snapshot.pk
        )
    figures = selectors.snapshot_figures(organisation=organisation, snapshot=snapshot)
    context: dict[str, Any] = {
        "snapshot": snapshot,
        "waves": waves,
        "headline": _headline(figures),
        "editable": snapshot.kind == SnapshotKind.SCENARIO
        and snapshot.status == SnapshotStatus.DRAFT,
        "post_changes": POST_CHANGES,
    }
    if snapshot.base is not None:
        diff, before, after = selectors.snapshot_diff(
            organisation=organisation, old=snapshot.base, new=snapshot
        )
        context.update(
            {
                "diff": diff,
                "difference": _difference(before, after),
                "directorates": directorate_table(diff),
                "cost_per_redundancy": organisation.redundancy_cost_per_post,
            }
        )
    return render(request, "structure/scenario_detail.html", context)


@org_view(Role.EDITOR)
def scenario_create(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    form = ScenarioCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"name": f"Scenario from {snapshot.name}"[:200]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                snapshot=snapshot, created_by=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                SCENARIO_CREATED.format(
                    name=scenario.name, count=scenario.post_count, base=snapshot.name
                ),
            )
            return redirect(_scenario_url(request, scenario))
    return render(request, "structure/scenario_form.html", {"form": form, "snapshot": snapshot})


@org_view(Role.EDITOR)
def post_change(request: HttpRequest, snapshot_id: int, post_pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    try:
        post = selectors.post_get(organisation=organisation, snapshot=snapshot, pk=post_pk)
    except Post.DoesNotExist:
        raise Http404("No such post in this snapshot") from None
    kinds = {kind: heading for kind, _, heading in POST_CHANGES}
    kind = request.GET.get("kind", "move")
    if kind not in kinds:
        raise Http404("No such kind of change")
    form = PostChangeForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        organisation=organisation,
        initial={"effective_date": snapshot.effective_date},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "unit" in data:
            data["unit"] = Unit.objects.get(organisation=organisation, pk=data["unit"])
        try:
            change = services.scenario_post_change(
                snapshot=snapshot,
                post_id=post.post_id,
                kind=kind,
                created_by=request.user,
                **data,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, CHANGE_SAVED.format(description=change.description))
            return redirect(_scenario_url(request, snapshot))
    return render(
        request,
        "structure/post_change.html",
        {
            "form": form,
            "snapshot": snapshot,
            "post": post,
            "kind": kind,
            "heading": kinds[kind].format(post=f"{post.title or 'post'} ({post.post_id})"),
            "reports": Post.objects.filter(
                snapshot=snapshot, manager_position=post.position
            ).count(),
        },
    )


@org_view(Role.EDITOR)
def scenario_add_post(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    form = AddPostForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial={"effective_date": snapshot.effective_date, "fte": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["unit"] = Unit.objects.get(organisation=organisation, pk=data["unit"])
        try:
            change = services.scenario_post_add(snapshot=snapshot, created_by=request.user, **data)
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, CHANGE_SAVED.format(description=change.description))
            return redirect(_scenario_url(request, snapshot))
    return render(request, "structure/scenario_add_post.html", {"form": form, "snapshot": snapshot})


@org_view(Role.EDITOR)
def scenario_bulk(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    organisation = request.organisation  # type: ignore[attr-defined]
    refused = _refuse_if_not_editable(request, snapshot)
    if refused:
        return refused
    form = BulkChangeForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        initial={"effective_date": snapshot.effective_date, "action": "move"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = (
            Unit.objects.get(organisation=organisation, pk=data["unit"]) if data["unit"] else None
        )
        new_unit = (
            Unit.objects.get(organisation=organisation, pk=data["new_unit"])
            if data["new_unit"]
            else None
        )
        try:
            post_ids = services.scenario_selection(
                snapshot=snapshot, unit=unit, post_ids=post_ids_from(data["post_ids"])
            )
            change = services.scenario_bulk_change(
                snapshot=snapshot,
                post_ids=post_ids,
                action=data["action"],
                reason=data["reason"],
                effective_date=data["effective_date"],
                created_by=request.user,
                manager=data["manager"],
                unit=new_unit,
                grade=data["grade"],
                reports_to=data["reports_to"],
                label=f"the {len(post_ids)} posts of {unit.name}" if unit else "",
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, CHANGE_SAVED.format(description=change.description))
            return redirect(_scenario_url(request, snapshot))
    return render(request, "structure/scenario_bulk.html", {"form": form, "snapshot": snapshot})


@org_view(Role.EDITOR)
def change_undo(request: HttpRequest, change_id: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    try:
        change = selectors.change_get(organisation=organisation, pk=change_id)
    except ScenarioChange.DoesNotExist:
        raise Http404("No such change in this organisation") from None
    if request.method == "POST":
        try:
            services.scenario_change_undo(change=change, undone_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, CHANGE_UNDONE.format(description=change.description))
    return redirect(_scenario_url(request, change.snapshot))


@org_view(Role.ADMIN)
def scenario_approve(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    if request.method == "POST":
        try:
            services.scenario_approve(snapshot=snapshot, approved_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, SCENARIO_APPROVED.format(name=snapshot.name))
    return redirect(_scenario_url(request, snapshot))


@org_view(Role.ADMIN)
def scenario_promote(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot_or_404(request, snapshot_id)
    if request.method == "POST":
        try:
            superseded = services.scenario_promote(snapshot=snapshot, promoted_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            others = ", ".join(s.name for s in superseded) or "no earlier as-is was"
            messages.success(request, services.PROMOTED.format(name=snapshot.name, others=others))
    return redirect(_scenario_url(request, snapshot))
