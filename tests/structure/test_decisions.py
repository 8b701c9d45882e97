"""Approving a scenario and making it the as-is are decisions, recorded as TOM adoption is.

Each has a confirmation page that says what it does and asks for the
decision: who made it, the body or delegation, the date (GOV.UK date input)
and the minute. The record is shown on the snapshot's page, kept in the audit
history, and keeps the snapshots it names from being deleted.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.audit.selectors import ChangeQuery, record_history
from goldenthread.formats.posts import PostTable, build_structure
from goldenthread.kit import decisions
from goldenthread.kit.dates import MUST_BE_REAL, MUST_INCLUDE
from goldenthread.structure import selectors, services
from goldenthread.structure.models import (
    DecisionKind,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
    StructureDecision,
)
from tests.factories import DECISION, DECISION_FORM, PASSWORD, member
from tests.html import attribute, error_summary, select, texts
from tests.submitting import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_is(organisation) -> Snapshot:
    table = PostTable.from_lists(
        ["CX", "D1", "D2"], [None, "CX", "CX"], title=["Chief", "Director A", "Director B"]
    )
    return services.snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name="As-is 2025",
        status=SnapshotStatus.APPROVED,
    )


@pytest.fixture
def scenario(as_is) -> Snapshot:
    return services.scenario_create(snapshot=as_is, name="Option A")


def _url(name: str, snapshot: Snapshot) -> str:
    slug = snapshot.organisation.slug
    return reverse(f"structure:{name}", kwargs={"org_slug": slug, "snapshot_id": snapshot.pk})


def test_the_approval_page_states_what_approval_freezes_and_records_the_decision(
    admin, organisation, scenario
) -> None:
    url = _url("scenario_approve", scenario)
    page = admin.get(url)
    assert texts(page, "h1") == ["Record the decision approving Option A"]
    assert texts(page, ".gt-consequences li") == [
        "Its 3 posts and 0 recorded changes are frozen: no change can be recorded or undone, "
        "and its details cannot be changed.",
        selectors.APPROVAL_NEXT,
        selectors.DECISION_KEEPS,
    ]
    # The date is entered with the GOV.UK date input: day, month and year.
    assert attribute(page, ".govuk-date-input input", "name") == [
        "decided_on_day",
        "decided_on_month",
        "decided_on_year",
    ]
    response = submit(admin, url, DECISION_FORM, page=page)
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.status == SnapshotStatus.APPROVED
    decision = StructureDecision.objects.get(snapshot=scenario)
    assert (decision.kind, decision.decided_by, decision.body) == (
        DecisionKind.APPROVAL,
        DECISION["decided_by"],
        "Cabinet",
    )
    assert (decision.decided_on, decision.minute_reference) == (
        datetime.date(2025, 3, 14),
        "Minute 52",
    )
    assert decision.recorded_by.username == "ad"
    assert decision.consequences.splitlines()[1] == selectors.APPROVAL_NEXT
    detail = admin.get(_url("snapshot_detail", scenario))
    rows = dict(
        zip(
            texts(detail, ".gt-decision .govuk-summary-list__key"),
            texts(detail, ".gt-decision .govuk-summary-list__value"),
            strict=True,
        )
    )
    assert rows["Decision"] == "Approval of Option A"
    assert rows["Decided by"] == DECISION["decided_by"]
    assert rows["Body or delegation"] == "Cabinet"
    assert rows["Date of the decision"] == "14 March 2025"
    assert rows["Minute or reference"] == "Minute 52"


def test_the_decision_is_in_the_audit_history(admin, organisation, scenario) -> None:
    submit(admin, _url("scenario_approve", scenario), DECISION_FORM)
    decision = StructureDecision.objects.get(snapshot=scenario)
    changes = record_history(
        organisation=organisation, model=StructureDecision, object_id=decision.pk
    )
    assert len(changes) == 1
    fields = {f.field.lower(): f.new for f in changes[0].fields}
    assert fields["body or delegation"] == "Cabinet"
    assert fields["minute or decision reference"] == "Minute 52"
    listed = ChangeQuery(organisation=organisation, role=Role.ADMIN)
    assert "structure decision" in {c.model_name for c in listed[:50]}
    snapshot_changes = record_history(
        organisation=organisation, model=Snapshot, object_id=scenario.pk
    )
    assert snapshot_changes[0].kind == "Changed"


#: The boxes marked in error when the summary links to a box: one wrong part is
#: marked alone; the whole date (missing, or in the future) marks all three.
WHOLE_DATE = ["decided_on_day", "decided_on_month", "decided_on_year"]


@pytest.mark.parametrize(
    ("typed", "link", "marked", "message"),
    [
        ({"decided_by": ""}, "decided_by", [], decisions.DECIDED_BY_NEEDED),
        ({"body": "  "}, "body", [], decisions.BODY_NEEDED),
        ({"minute_reference": ""}, "minute_reference", [], decisions.MINUTE_NEEDED),
        (
            {"decided_on_day": "", "decided_on_month": "", "decided_on_year": ""},
            "decided_on_day",
            WHOLE_DATE,
            decisions.DECIDED_ON_NEEDED,
        ),
        (
            {"decided_on_month": ""},
            "decided_on_month",
            ["decided_on_month"],
            MUST_INCLUDE.format(label="Date of the decision", parts="month"),
        ),
        (
            {"decided_on_month": "", "decided_on_year": ""},
            "decided_on_month",
            ["decided_on_month", "decided_on_year"],
            MUST_INCLUDE.format(label="Date of the decision", parts="month and a year"),
        ),
        (
            {"decided_on_day": "31", "decided_on_month": "2"},
            "decided_on_day",
            ["decided_on_day"],
            MUST_BE_REAL.format(label="Date of the decision"),
        ),
        (
            {"decided_on_month": "13"},
            "decided_on_month",
            ["decided_on_month"],
            MUST_BE_REAL.format(label="Date of the decision"),
        ),
        (
            {"decided_on_year": "25"},
            "decided_on_year",
            ["decided_on_year"],
            MUST_BE_REAL.format(label="Date of the decision"),
        ),
        (
            {"decided_on_year": str(datetime.date.today().year + 1)},
            "decided_on_day",
            WHOLE_DATE,
            decisions.DECIDED_IN_FUTURE,
        ),
    ],
)
def test_an_incomplete_decision_is_refused_on_its_field(
    admin, scenario, typed, link, marked, message
) -> None:
    url = _url("scenario_approve", scenario)
    response = submit(admin, url, {**DECISION_FORM, **typed})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    # The summary links to the first box that is wrong, and only wrong boxes are marked.
    assert attribute(response, ".govuk-error-summary a", "href") == [f"#id_{link}"]
    assert attribute(response, ".govuk-date-input .govuk-input--error", "name") == marked
    scenario.refresh_from_db()
    assert scenario.status == SnapshotStatus.DRAFT
    assert not StructureDecision.objects.exists()


def test_the_service_refuses_a_decision_without_its_record(scenario) -> None:
    with pytest.raises(ServiceError) as refused:
        services.scenario_approve(snapshot=scenario, **{**DECISION, "body": ""})
    assert (refused.value.message, refused.value.field) == (decisions.BODY_NEEDED, "body")
    scenario.refresh_from_db()
    assert scenario.status == SnapshotStatus.DRAFT


def test_only_an_admin_decides(client, organisation, scenario) -> None:
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    assert client.get(_url("scenario_approve", scenario)).status_code == 403
    with pytest.raises(ServiceError, match="admin"):
        services.scenario_approve(
            snapshot=scenario, by=member(organisation, Role.EDITOR, username="e2"), **DECISION
        )


def test_promotion_states_what_it_replaces_and_records_it(
    admin, organisation, as_is, scenario
) -> None:
    services.scenario_approve(snapshot=scenario, **DECISION)
    url = _url("scenario_promote", scenario)
    page = admin.get(url)
    assert texts(page, ".gt-consequences li") == [
        "Option A becomes the as-is structure: new scenarios and comparisons start from it.",
        "As-is 2025 is marked superseded, and kept unchanged as the record of what was replaced.",
        selectors.PROMOTION_KEEPS,
    ]
    promoted = {**DECISION_FORM, "body": "Chief Executive delegated decision"}
    submit(admin, url, {**promoted, "minute_reference": "CEX/2025/3"}, page=page)
    scenario.refresh_from_db()
    as_is.refresh_from_db()
    assert scenario.kind == SnapshotKind.AS_IS
    assert as_is.status == SnapshotStatus.SUPERSEDED
    decision = StructureDecision.objects.get(kind=DecisionKind.PROMOTION)
    assert list(decision.replaced.all()) == [as_is]
    assert decision.body == "Chief Executive delegated decision"
    detail = admin.get(_url("snapshot_detail", as_is))
    assert texts(detail, ".gt-decision dd")[0] == "Option A made the as-is structure"


def test_promoting_a_scenario_modelled_on_an_older_as_is_warns_that_it_undoes_changes(
    admin, organisation, as_is, scenario
) -> None:
    services.scenario_approve(snapshot=scenario, **DECISION)
    newer = services.scenario_create(snapshot=as_is, name="Option B")
    services.scenario_approve(snapshot=newer, **DECISION)
    services.scenario_promote(snapshot=newer, **DECISION)
    page = admin.get(_url("scenario_promote", scenario))
    assert texts(page, ".gt-consequences li")[0] == selectors.PROMOTION_OUT_OF_DATE.format(
        base="As-is 2025", current="Option B"
    )
    fresh = services.scenario_create(snapshot=newer, name="Option C")
    services.scenario_approve(snapshot=fresh, **DECISION)
    assert selectors.PROMOTION_OUT_OF_DATE.split("{")[0] not in " ".join(
        texts(admin.get(_url("scenario_promote", fresh)), ".gt-consequences li")
    )


def test_a_snapshot_a_decision_refers_to_cannot_be_deleted(admin, organisation, scenario) -> None:
    services.scenario_approve(snapshot=scenario, **DECISION)
    url = _url("snapshot_delete", scenario)
    page = admin.get(url)
    refusal = services.SNAPSHOT_IN_USE.format(
        name="Option A",
        reasons="the decision “Approval of Option A: Cabinet, 14 March 2025, Minute 52 "
        f"({DECISION['decided_by']})” refers to it",
    )
    assert error_summary(page) == [refusal]
    assert not select(page, "main form[method=post]")
    assert error_summary(admin.post(url)) == [refusal]
    assert Snapshot.objects.filter(pk=scenario.pk).exists()


def test_a_decided_scenario_s_pages_say_it_cannot_be_decided_again(admin, scenario) -> None:
    services.scenario_approve(snapshot=scenario, **DECISION)
    page = admin.get(_url("scenario_approve", scenario))
    assert services.APPROVE_DRAFTS_ONLY in " ".join(texts(page, ".govuk-warning-text__text"))
    assert not select(page, "main form[method=post]")
    scenario_page = admin.get(_url("scenario_detail", scenario))
    assert texts(scenario_page, ".gt-decision-line") == [
        f"Approval of Option A: decided by {DECISION['decided_by']} (Cabinet) on "
        "14 March 2025, Minute 52."
    ]
    links = attribute(scenario_page, "main a.govuk-button", "href")
    assert _url("scenario_promote", scenario) in links
