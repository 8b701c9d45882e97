"""How the URL walks fill in each URL argument, for the organisation under test.

Every URL pattern of the project is walked by tests/test_isolation.py. When a
view adds a URL argument that is not listed here, that test fails and names
it: add a function that returns a real value from the organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.core.models import Unit
from goldenthread.jobs.models import Job
from goldenthread.jobs.services import job_create
from goldenthread.kit.importing import CHECK_KIND, import_run_create
from goldenthread.kit.models import ImportRun
from goldenthread.operating_model.models import (
    Component,
    Consideration,
    Principle,
    PrincipleSet,
    Statement,
    TomVersion,
)
from goldenthread.performance.models import ThreadItem


def _unit(organisation: Organisation) -> Unit:
    return Unit.objects.filter(organisation=organisation).order_by("pk").first()  # type: ignore[return-value]


def _job(organisation: Organisation) -> int:
    job = Job.objects.filter(organisation=organisation).first()
    if job is None:
        job = job_create(
            organisation=organisation,
            kind=CHECK_KIND,
            title="Sample import",
            by=None,
        )
    return job.pk


def _import_run(organisation: Organisation) -> int:
    run = ImportRun.objects.filter(organisation=organisation).order_by("pk").first()
    if run is None:
        run = import_run_create(
            organisation=organisation,
            importer="units",
            filename="units.csv",
            data=b"code,name\nNEW,New unit\n",
            by=None,
        )
    return run.pk


def _snapshot(organisation: Organisation) -> Any:
    """A draft if there is one (its pages offer every form), else the first snapshot."""
    from goldenthread.structure.models import Snapshot, SnapshotStatus

    snapshots = Snapshot.objects.filter(organisation=organisation).order_by("pk")
    return snapshots.filter(status=SnapshotStatus.DRAFT).first() or snapshots.first()


def _band(organisation: Organisation) -> int:
    """A redundancy band (the demo has some; another organisation gets one)."""
    from goldenthread.structure import services as structure_services
    from goldenthread.structure.models import RedundancyBand

    band = RedundancyBand.objects.filter(organisation=organisation).order_by("pk").first()
    if band is None:
        band = structure_services.redundancy_band_create(
            organisation=organisation, grade="PO1", cost=Decimal("18500"), by=None
        )
    return band.pk


def _change(organisation: Organisation) -> int:
    from goldenthread.structure.models import ScenarioChange

    return ScenarioChange.objects.filter(organisation=organisation).order_by("pk").first().pk  # type: ignore[union-attr]


def _upload(organisation: Organisation) -> int:
    from goldenthread.structure import services as structure_services

    return structure_services.upload_create(
        organisation=organisation,
        by=None,
        filename="posts.csv",
        data=b"post_id,reports_to\nCX1,XX\n",
        fmt="table",
        lenient=False,
        snapshot_fields={"name": "Sample"},
    ).pk


def _link(organisation: Organisation) -> int:
    from goldenthread.operating_model.models import ComponentLink
    from goldenthread.operating_model.services import component_link_create

    link = ComponentLink.objects.filter(organisation=organisation).order_by("pk").first()
    if link is None:
        link = component_link_create(
            component=Component.objects.filter(organisation=organisation).first(),  # type: ignore[arg-type]
            kind="objective",
            target=ThreadItem.objects.filter(organisation=organisation).first(),  # type: ignore[arg-type]
        )
    return link.pk


def _thread_link(organisation: Organisation) -> int:
    from goldenthread.performance.models import ThreadLink
    from goldenthread.performance.services import thread_link_create

    link = ThreadLink.objects.filter(organisation=organisation).order_by("pk").first()
    if link is None:
        link = thread_link_create(
            item=ThreadItem.objects.filter(organisation=organisation, level="objective").first(),  # type: ignore[arg-type]
            target=_unit(organisation),
        )
    return link.pk


def _invitation(organisation: Organisation) -> Any:
    from goldenthread.accounts.models import Invitation
    from goldenthread.accounts.services import invitation_create

    found = Invitation.objects.filter(organisation=organisation, accepted_at=None).first()
    return found or invitation_create(organisation=organisation, invitee="invited", role="viewer")


def _programme(organisation: Organisation) -> Any:
    """The organisation's first programme, made with one action, workstream and milestone."""
    import datetime as dt

    from goldenthread.programme.models import Programme
    from goldenthread.programme.plan import services as plan

    found = Programme.objects.filter(organisation=organisation).order_by("pk").first()
    if found is None:
        found = plan.programme_create(
            organisation=organisation,
            name="Sample programme",
            phases=plan.DEFAULT_PHASES,
            by=None,
        )
        workstream = plan.workstream_create(programme=found, name="Sample workstream", by=None)
        action = plan.action_create(
            programme=found, title="Sample action", workstream=workstream, by=None
        )
        plan.milestone_create(
            action=action, title="Sample milestone", due_on=dt.date(2026, 3, 31), by=None
        )
    return found


def _action(organisation: Organisation) -> Any:
    return _programme(organisation).actions.order_by("pk").first()


def _rag_rules_version(organisation: Organisation) -> int:
    from goldenthread.programme.rag.services import rag_rules_ensure

    return rag_rules_ensure(organisation=organisation, by=None).version


def _quarterly_update(organisation: Organisation) -> int:
    import datetime as dt

    from goldenthread.analysis.quarters import FinancialQuarter
    from goldenthread.programme.models import QuarterlyUpdate
    from goldenthread.programme.updates.services import quarterly_update_open

    update = QuarterlyUpdate.objects.filter(organisation=organisation).order_by("pk").first()
    if update is None:
        update = quarterly_update_open(
            programme=_programme(organisation),
            quarter=FinancialQuarter.of(dt.date.today()),
            by=None,
        )
    return update.pk


def _benefit(organisation: Organisation) -> int:
    from goldenthread.programme.benefits.services import benefit_create
    from goldenthread.programme.models import Benefit, BenefitType

    benefit = Benefit.objects.filter(organisation=organisation).order_by("pk").first()
    if benefit is None:
        benefit = benefit_create(
            organisation=organisation,
            reference="B-1",
            title="Sample",
            type=BenefitType.QUALITY,
            by=None,
        )
    return benefit.pk


def _risk(organisation: Organisation) -> Any:
    """A risk with a mitigation and a review (the demo's register, or one made here)."""
    import datetime as dt

    from goldenthread.programme.models import Risk
    from goldenthread.programme.risks import services as risk_services

    risk = Risk.objects.filter(organisation=organisation).order_by("pk").first()
    if risk is None:
        risk = risk_services.risk_create(
            organisation=organisation,
            reference="R-SAMPLE",
            title="Sample risk",
            category="Financial",
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=3,
            residual_impact=3,
            next_review_on=dt.date(2026, 1, 1),
            by=None,
        )
    if not risk.mitigations.exists():
        risk_services.mitigation_create(risk=risk, description="Sample mitigation", by=None)
    return risk


SAMPLES: dict[str, Callable[[Organisation], Any]] = {
    "org_slug": lambda org: org.slug,
    "membership_id": lambda org: Membership.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "unit_id": lambda org: _unit(org).pk,
    "job_id": _job,
    "model_label": lambda org: "core.unit",
    "object_id": lambda org: _unit(org).pk,
    "fmt": lambda org: "xlsx",
    "snapshot_id": lambda org: _snapshot(org).pk,
    "post_pk": lambda org: _snapshot(org).posts.order_by("position").first().pk,  # type: ignore[union-attr]
    "upload_id": _upload,
    "run_id": _import_run,
    "importer": lambda org: "units",
    "change_id": _change,
    # A draft version, so editing pages answer as they would for real use.
    "version_id": lambda org: (
        TomVersion.objects.filter(organisation=org, status="draft").first().pk
    ),  # type: ignore[union-attr]
    "component_id": lambda org: (
        Component.objects.filter(organisation=org, version__status="draft").first().pk
    ),  # type: ignore[union-attr]
    "statement_id": lambda org: (
        Statement.objects.filter(organisation=org, component__version__status="draft").first().pk
    ),  # type: ignore[union-attr]
    "set_id": lambda org: PrincipleSet.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "principle_id": lambda org: Principle.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "consideration_id": lambda org: Consideration.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "item_id": lambda org: ThreadItem.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    # A kind of record registered in the links kit, and one of its records.
    "kind": lambda org: "thread-item",
    "record_id": lambda org: ThreadItem.objects.filter(organisation=org).first().pk,  # type: ignore[union-attr]
    "link_id": _link,
    "thread_link_id": _thread_link,
    # A picker registered in the kit.
    "source": lambda org: "units",
    "invitation_id": lambda org: _invitation(org).pk,
    "token": lambda org: _invitation(org).token,
    "band_id": _band,
    "programme_id": lambda org: _programme(org).pk,
    "phase_id": lambda org: _programme(org).phases.order_by("pk").first().pk,
    "workstream_id": lambda org: _programme(org).workstreams.order_by("pk").first().pk,
    "action_id": lambda org: _action(org).pk,
    "milestone_id": lambda org: _action(org).milestones.order_by("pk").first().pk,
    "version": _rag_rules_version,
    "update_id": _quarterly_update,
    "benefit_id": _benefit,
    "risk_id": lambda org: _risk(org).pk,
    "mitigation_id": lambda org: _risk(org).mitigations.order_by("position").first().pk,
}


#: Every query-string parameter a view reads (``request.GET``, forms bound to
#: it, and the kit tables' sort, page, download and filter parameters). The
#: walk in tests/test_odd_values.py sends odd values in each; a parameter a
#: view reads that is missing here fails that test until it is listed.
QUERY_PARAMETERS = frozenset(
    {
        # pages
        "archived",
        "scores",
        "choose",
        "from",
        "kind",
        "new",
        "next",
        "old",
        "page",
        "pairing",
        "parent",
        "programme",
        "q",
        "scope",
        "start",
        "tier",
        "tiers",
        "unit",
        # kit tables
        "download",
        "order",
        "sort",
        # the kit tables' filters
        "agency",
        "due-from",
        "due-to",
        "own",
        "owner",
        "phase",
        "rag",
        "workstream",
        "band",
        "category",
        "confidence-from",
        "confidence-to",
        "type",
        "impact",
        "inherent-impact",
        "inherent-likelihood",
        "likelihood",
        "overdue",
        "review-from",
        "review-to",
        "score-from",
        "score-to",
        "effective-from",
        "effective-to",
        "grade",
        "inside",
        "layer",
        "level",
        "linked",
        "manager",
        "perspective",
        "span",
        "status",
        "user",
        "vacant",
        "when-from",
        "when-to",
    }
)
