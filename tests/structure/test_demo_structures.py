"""The demo council's structures: a few thousand posts, loaded once."""

from __future__ import annotations

import pytest

from goldenthread.demo.builder import demo_load
from goldenthread.structure import demo as structure_demo
from goldenthread.structure.models import Post, Snapshot, SnapshotKind
from goldenthread.structure.presenters import directorate_table
from goldenthread.structure.selectors import snapshot_diff

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_snapshots_and_loading_twice_adds_nothing(demo) -> None:
    Snapshot.objects.filter(organisation=demo).delete()
    structure_demo.demo_structures(demo, scale=1.0)
    snapshots = Snapshot.objects.filter(organisation=demo)
    assert {s.kind for s in snapshots} == {
        SnapshotKind.IMPLEMENTED,
        SnapshotKind.AS_IS,
        SnapshotKind.SCENARIO,
    }
    as_is = snapshots.get(name=structure_demo.AS_IS)
    assert 3000 <= as_is.post_count <= 6000
    posts = Post.objects.count()
    demo_load(password="again")
    assert Post.objects.count() == posts
    assert Snapshot.objects.filter(organisation=demo).count() == 3


def test_the_proposal_makes_seed_000s_kind_of_changes(demo) -> None:
    as_is = Snapshot.objects.get(organisation=demo, name=structure_demo.AS_IS)
    proposed = Snapshot.objects.get(organisation=demo, name=structure_demo.PROPOSED)
    diff, _, _ = snapshot_diff(organisation=demo, old=as_is, new=proposed)
    rows = {row["name"]: row for row in directorate_table(diff)}
    assert rows[structure_demo.PEOPLE]["difference"] == 2
    assert rows[structure_demo.PLACE]["difference"] == 0
    assert rows[structure_demo.SHARED]["difference"] < 0
    assert rows[structure_demo.RESOURCES]["difference"] > 0
    assert {r.post_id for r in diff.removed} == {"PLA8", "RES3", "RES11"}
    assert {"SHS2", "SHS8"} <= {c.post_id for c in diff.moved}
    # RES3 was vacant: only the two filled posts count as redundancies.
    assert diff.redundancies == 2
