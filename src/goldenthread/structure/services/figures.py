"""Each post's layer and span, stored so registers filter and sort by them in the database."""

from __future__ import annotations

from django.db import transaction

from goldenthread.accounts.models import Organisation
from goldenthread.structure.models import Post, Snapshot
from goldenthread.structure.selectors import snapshot_figures

#: Posts whose stored layer and span are rewritten by one statement, kept
#: under SQLite's limit on the parameters of one statement.
FIGURES_BATCH = 900


def post_figures_store(*, organisation: Organisation, snapshot: Snapshot) -> Snapshot:
    """Store each post's layer and span, so registers filter and sort by them in the database.

    Layers and spans are the engine's figures, which a change to any post may
    alter anywhere below it; they are written for the snapshot's current
    version, once, and only to the posts whose figures differ from those
    stored. The snapshot is stamped only if no change raised its version
    meanwhile, so a figure written from stale posts is rewritten next time.
    """
    if snapshot.figures_version == snapshot.version:
        return snapshot  # already stored: no query, no transaction
    return _store_figures(organisation=organisation, snapshot=snapshot)


@transaction.atomic
def _store_figures(*, organisation: Organisation, snapshot: Snapshot) -> Snapshot:
    version = snapshot.version
    figures = snapshot_figures(organisation=organisation, snapshot=snapshot)
    metrics = figures.metrics
    wanted = {
        int(position): (int(metrics.layer[i]), int(metrics.span[i]))
        for i, position in enumerate(figures.positions)
    }
    stored = Post.objects.filter(snapshot=snapshot).values_list("pk", "position", "layer", "span")
    # Posts given the same layer and span are written together: a handful of
    # statements for a whole snapshot, rather than one per post.
    groups: dict[tuple[int, int], list[int]] = {}
    for pk, position, layer, span in stored:
        if position in wanted and wanted[position] != (layer, span):
            groups.setdefault(wanted[position], []).append(pk)
    for (layer, span), pks in groups.items():
        for start in range(0, len(pks), FIGURES_BATCH):
            Post.objects.filter(pk__in=pks[start : start + FIGURES_BATCH]).update(
                layer=layer, span=span
            )
    if Snapshot.objects.filter(pk=snapshot.pk, version=version).update(figures_version=version):
        snapshot.figures_version = version
    return snapshot
