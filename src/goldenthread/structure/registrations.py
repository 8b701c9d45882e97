"""What the structures add to the kit's registries (called from ``AppConfig.ready()``).

* the post picker over one snapshot: search by post ID, job title or the
  holder's unit; each option shows the post's current manager;
* the orphans page's section of posts that hold no individual objective,
  counted by unit, in the current as-is structure. The golden thread holds
  objectives by post ID and this module may not read it, so the IDs come
  through the kit's registry of objective holders.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import query_id
from goldenthread.analysis.wording import counted
from goldenthread.core.pickers import unit_paths
from goldenthread.jobs.recovery import Cutoffs, register_purger
from goldenthread.kit import orphans, pickers
from goldenthread.kit.importing import import_file_purged

from . import selectors, services
from .forms import MAPPING_PICKER, SNAPSHOT_PICKER_KEY
from .importing import IMPORTER
from .models import Post, Snapshot, StructureUpload

POST_PICKER_KEY = "posts"
NO_UNIT = "Not in a unit"


def _of_posts(total: int) -> str:
    """ "of 1 post", "of 1,234 posts": the posts of the unit the count is out of."""
    return f"of {counted(total, 'post')}"


def _snapshot(organisation: Organisation, scope: str) -> Snapshot | None:
    """The snapshot ``scope`` names (its id), or the current as-is when it names none."""
    if not scope:
        return selectors.snapshot_current_as_is(organisation=organisation)
    pk = query_id(scope)
    if pk is None:
        return None
    return selectors.snapshot_list(organisation=organisation).filter(pk=pk).first()


def _posts(organisation: Organisation, snapshot: Snapshot) -> QuerySet[Post]:
    return selectors.post_list(organisation=organisation, snapshot=snapshot).order_by("position")


def _options_for(posts: list[Post], snapshot: Snapshot) -> list[pickers.Option]:
    """Options with each post's manager, found in one query for all of them."""
    positions = {post.manager_position for post in posts if post.manager_position is not None}
    managers = {
        manager.position: manager
        for manager in Post.objects.filter(
            organisation_id=snapshot.organisation_id, snapshot=snapshot, position__in=positions
        )
    }
    options = []
    for post in posts:
        parts = [f"{post.post_id}: {post.title or 'Untitled post'}"]
        if post.unit_path or post.unit:
            parts.append(post.unit_path or post.unit.name)  # type: ignore[union-attr]
        manager = managers.get(post.manager_position) if post.manager_position is not None else None
        parts.append(
            f"manager: {manager.title or 'untitled'} ({manager.post_id})" if manager else "top post"
        )
        options.append(pickers.Option(post.post_id, " – ".join(parts), post))
    return options


def _post_options(
    organisation: Organisation, scope: str, query: str, limit: int | None
) -> list[pickers.Option]:
    snapshot = _snapshot(organisation, scope)
    if snapshot is None:
        return []
    posts = _posts(organisation, snapshot)
    for word in query.split():
        posts = posts.filter(
            Q(post_id__icontains=word)
            | Q(title__icontains=word)
            | Q(unit_path__icontains=word)
            | Q(unit__name__icontains=word)
        )
    return _options_for(list(posts[:limit] if limit else posts), snapshot)


def _post_find(organisation: Organisation, scope: str, value: str) -> pickers.Option | None:
    snapshot = _snapshot(organisation, scope)
    if snapshot is None:
        # No structure to check against yet (an objective recorded before any
        # upload): the ID is taken as given.
        return pickers.Option(value, value) if not scope else None
    post = _posts(organisation, snapshot).filter(post_id__iexact=value.strip()).first()
    return _options_for([post], snapshot)[0] if post is not None else None


def _post_count(organisation: Organisation, scope: str) -> int:
    snapshot = _snapshot(organisation, scope)
    return 0 if snapshot is None else _posts(organisation, snapshot).count()


POST_PICKER = pickers.PickerSource(
    key=POST_PICKER_KEY,
    noun="a post",
    options=_post_options,
    find=_post_find,
    count=_post_count,
    hint="enter the ID of a post in this structure, for example BBC-RES-0142",
)


def posts_without_objectives(organisation: Organisation) -> orphans.OrphanSection | None:
    """Posts of the current as-is that hold no individual objective, by unit."""
    snapshot = selectors.snapshot_current_as_is(organisation=organisation)
    if snapshot is None:
        return None
    held = orphans.posts_with_objectives(organisation=organisation)
    posts = _posts(organisation, snapshot).order_by()
    totals = dict(posts.values_list("unit_id").annotate(n=Count("pk")))
    missing = dict(posts.exclude(post_id__in=held).values_list("unit_id").annotate(n=Count("pk")))
    paths = {unit.pk: path for unit, path in unit_paths(organisation=organisation)}
    rows = []
    for unit_id, count in missing.items():
        href = (
            reverse("core:unit_detail", kwargs={"org_slug": organisation.slug, "unit_id": unit_id})
            if unit_id is not None
            else ""
        )
        rows.append(
            orphans.OrphanRow(
                paths.get(unit_id, NO_UNIT) if unit_id is not None else NO_UNIT,
                href,
                _of_posts(totals.get(unit_id, 0)),
                count,
            )
        )
    rows.sort(key=lambda row: row.title.lower())
    without = sum(missing.values())
    return orphans.OrphanSection(
        title="Posts with no individual objective, by unit",
        rows=tuple(rows),
        empty=f"None: every post of {snapshot.name} holds an individual objective.",
        description=f"In the as-is structure {snapshot.name}: {without:,} of "
        f"{sum(totals.values()):,} posts hold no individual objective of the golden thread.",
        headings=("Unit", "Posts in the unit", "Posts without an objective"),
    )


def purge_uploads(cutoffs: Cutoffs) -> int:
    """Drop the files of uploads whose import's file is purged, or that never reached an import."""
    kept = StructureUpload.objects.filter(created_at__lte=cutoffs.ended).exclude(data=b"")
    purged = 0
    for pk in kept.values_list("pk", flat=True):
        if _purge_upload(pk, cutoffs):
            purged += 1
    return purged


@transaction.atomic
def _purge_upload(pk: int, cutoffs: Cutoffs) -> bool:
    """Discard one upload's file under its row lock, checking again that it may go.

    An import started from the upload at the same moment holds the same lock
    (:func:`.services.upload_lock_kept`): it either sees the file gone, or made
    its run first, and then the file stays for it.
    """
    upload = (
        StructureUpload.objects.select_for_update()
        .filter(pk=pk)
        .exclude(data=b"")
        .only("pk", "organisation_id", "created_at")
        .first()
    )
    if upload is None or not import_file_purged(
        organisation_id=upload.organisation_id,
        importer=IMPORTER,
        reference=f"upload:{upload.pk}",
        created_at=upload.created_at,
        cutoffs=cutoffs,
    ):
        return False
    services.upload_data_discard(upload=upload)
    return True


#: The snapshots, newest first, chosen by name (the compare pages).
SNAPSHOT_PICKER = pickers.records_source(
    key=SNAPSHOT_PICKER_KEY,
    noun="a snapshot",
    records=lambda organisation: selectors.snapshot_list(organisation=organisation),
    hint="choose a snapshot from the list",
)


def register() -> None:
    register_purger("structure uploads", purge_uploads)
    pickers.PICKERS.add(POST_PICKER.key, POST_PICKER)
    pickers.PICKERS.add(SNAPSHOT_PICKER.key, SNAPSHOT_PICKER)
    pickers.PICKERS.add(MAPPING_PICKER.key, MAPPING_PICKER)
    orphans.ORPHANS.add("structure.posts-without-objectives", posts_without_objectives, order=30)
