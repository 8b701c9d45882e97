"""The demo council's structures: a few thousand posts, loaded once."""

from __future__ import annotations

import pytest

from goldenthread.analysis.redundancy import BASIS_BANDS
from goldenthread.demo.builder import demo_load
from goldenthread.structure import demo as structure_demo
from goldenthread.structure.models import (
    Post,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureDecision,
)
from goldenthread.structure.presenters import directorate_table
from goldenthread.structure.selectors import snapshot_diff

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_snapshots_and_loading_twice_adds_nothing(demo) -> None:
    # A decision keeps the snapshots it names: it goes first.
    StructureDecision.objects.filter(organisation=demo).delete()
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
    assert Snapshot.objects.filter(organisation=demo).count() == 4


def test_the_demo_has_an_approved_scenario_with_its_decision_and_grade_bands(demo) -> None:
    approved = Snapshot.objects.get(organisation=demo, name=structure_demo.APPROVED)
    assert approved.status == SnapshotStatus.APPROVED
    decision = StructureDecision.objects.get(snapshot=approved)
    assert decision.body == "Portfolio Holder delegated decision"
    assert decision.minute_reference == "PHD/2024/17"
    diff, _, _ = snapshot_diff(organisation=demo, old=approved.base, new=approved)
    assert diff.redundancy.basis == BASIS_BANDS
    assert [(g.grade, g.posts, g.banded) for g in diff.redundancy.by_grade] == [("AD", 1, True)]
    assert diff.redundancy_cost == structure_demo.REDUNDANCY_BANDS["AD"]


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
