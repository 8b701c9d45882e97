"""The risk register's services: scores kept in step, reviews that set the next date, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from goldenthread.accounts.models import Role
from goldenthread.accounts.services import ServiceError
from goldenthread.programme.models import Mitigation, RiskCategory, RiskReview, RiskStatus
from goldenthread.programme.risks import selectors, services
from goldenthread.programme.risks.rules import risk_rules
from tests.factories import OrganisationFactory, member
from tests.programme.factories import make_action, make_programme
from tests.programme.risk_fixtures import TODAY, make_risk

pytestmark = pytest.mark.django_db

DEFAULT_BANDS = [
    {"name": "Low", "from": 1, "to": 4, "review_days": 180},
    {"name": "Medium", "from": 5, "to": 11, "review_days": 90},
    {"name": "High", "from": 12, "to": 19, "review_days": 30},
    {"name": "Very high", "from": 20, "to": 25, "review_days": 30},
]


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def user(organisation):
    return member(organisation, Role.EDITOR, username="ed")


def settings(organisation, **changes):
    fields = {
        "categories": [],
        "matrix": [],
        "bands": DEFAULT_BANDS,
        "review_days": 30,
        "by": None,
        **changes,
    }
    return services.risk_settings_update(organisation=organisation, **fields)


def test_a_risk_names_who_added_it_and_keeps_its_residual_score(organisation, user) -> None:
    risk = make_risk(organisation, residual_likelihood=4, residual_impact=5, by=user)
    assert risk.history.get().history_user == user
    assert risk.residual_score == 20


def test_a_reference_is_used_once_in_any_case(organisation) -> None:
    make_risk(organisation, "R-1")
    with pytest.raises(ServiceError) as refused:
        make_risk(organisation, "r-1")
    assert refused.value.message == services.REFERENCE_TAKEN.format(
        organisation=organisation, reference="r-1"
    )
    assert refused.value.field == "reference"


@pytest.mark.parametrize("field", list(services.SCALE_FIELDS))
@pytest.mark.parametrize(("value", "kept"), [(0, False), (1, True), (5, True), (6, False)])
def test_likelihood_and_impact_run_from_1_to_5(organisation, field, value, kept) -> None:
    if kept:
        risk = make_risk(organisation, **{field: value})
        assert getattr(risk, field) == value
        return
    with pytest.raises(ServiceError) as refused:
        make_risk(organisation, **{field: value})
    assert refused.value.message == services.OUT_OF_SCALE.format(label=services.SCALE_FIELDS[field])
    assert refused.value.field == field


@pytest.mark.parametrize(("value", "kept"), [(0, False), (1, True), (5, True), (6, False)])
def test_a_review_scores_from_1_to_5(organisation, value, kept) -> None:
    risk = make_risk(organisation)
    for name, other in (("likelihood", "impact"), ("impact", "likelihood")):
        scores = {name: value, other: 3}
        if kept:
            review = services.risk_review_create(
                risk=risk, reviewed_on=TODAY, today=TODAY, by=None, **scores
            )
            assert review.score == value * 3
            continue
        with pytest.raises(ServiceError) as refused:
            services.risk_review_create(
                risk=risk, reviewed_on=TODAY, today=TODAY, by=None, **scores
            )
        assert refused.value.message == services.OUT_OF_SCALE.format(label=name.capitalize())
        assert refused.value.field == name


def test_a_category_must_be_standard_or_the_organisations_own(organisation) -> None:
    with pytest.raises(ServiceError) as refused:
        make_risk(organisation, category="Weather")
    assert refused.value.field == "category"
    assert refused.value.message.startswith(
        services.UNKNOWN_CATEGORY.format(
            category="Weather", organisation=organisation, allowed=""
        ).rstrip()
    )
    settings(organisation, categories=["Weather"])
    assert make_risk(organisation, category="Weather").category == "Weather"


def test_a_category_in_use_cannot_be_removed_and_the_risks_are_named(organisation) -> None:
    settings(organisation, categories=["Weather", "Political"])
    make_risk(organisation, "R1", category="Weather")
    make_risk(organisation, "R2", category="Weather")
    with pytest.raises(ServiceError) as refused:
        settings(organisation, categories=["Political"])
    assert refused.value.message == services.CATEGORY_IN_USE.format(
        category="Weather", risks="R1, R2"
    )
    settings(organisation, categories=["Weather"])  # Political is unused: it goes
    assert risk_rules(organisation=organisation).own_categories == ("Weather",)


def test_the_bands_must_cover_1_to_25_once_and_the_refusal_names_the_field(organisation) -> None:
    gap = [dict(band) for band in DEFAULT_BANDS]
    gap[1]["from"] = 6
    with pytest.raises(ServiceError) as refused:
        settings(organisation, bands=gap)
    assert refused.value.field == "band_2_from"
    assert refused.value.message == services.BAND_PROBLEM.format(
        number=2, problem="starts at 6; expected 5, the score after the band before it"
    )
    short = [dict(band) for band in DEFAULT_BANDS]
    short[3]["to"] = 24
    with pytest.raises(ServiceError) as refused:
        settings(organisation, bands=short)
    assert refused.value.field == "band_4_to"


def test_a_new_matrix_rescores_every_risk(organisation) -> None:
    risk = make_risk(organisation, residual_likelihood=2, residual_impact=3)
    assert risk.residual_score == 6
    matrix = [
        [min(25, likelihood * impact + 1) for impact in range(1, 6)] for likelihood in range(1, 6)
    ]
    settings(organisation, matrix=matrix)
    risk.refresh_from_db()
    assert risk.residual_score == 7
    with pytest.raises(ServiceError) as refused:
        settings(organisation, matrix=[[0] * 5] * 5)
    assert refused.value.field == "matrix_1_1"


@pytest.mark.parametrize(
    ("likelihood", "impact", "days"),
    [(1, 4, 180), (1, 5, 90), (3, 3, 90), (3, 4, 30), (5, 5, 30)],
)
def test_a_review_sets_the_next_date_by_the_new_band(organisation, likelihood, impact, days):
    risk = make_risk(organisation)
    reviewed_on = dt.date(2026, 3, 1)
    review = services.risk_review_create(
        risk=risk,
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        impact=impact,
        note="Board",
        today=TODAY,
        by=None,
    )
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.residual_impact) == (likelihood, impact)
    assert risk.residual_score == likelihood * impact
    assert risk.last_reviewed_on == reviewed_on
    assert risk.next_review_on == reviewed_on + dt.timedelta(days=days)
    assert review.next_review_on == risk.next_review_on


def test_a_risk_of_its_own_frequency_and_the_default_when_no_band_says(organisation) -> None:
    risk = make_risk(organisation, review_days=14)
    services.risk_review_create(
        risk=risk, reviewed_on=TODAY, likelihood=1, impact=1, today=TODAY, by=None
    )
    risk.refresh_from_db()
    assert risk.next_review_on == TODAY + dt.timedelta(days=14)
    bands = [dict(band, review_days=None) for band in DEFAULT_BANDS]
    settings(organisation, bands=bands, review_days=45)
    other = make_risk(organisation, "R2")
    services.risk_review_create(
        risk=other, reviewed_on=TODAY, likelihood=1, impact=1, today=TODAY, by=None
    )
    other.refresh_from_db()
    assert other.next_review_on == TODAY + dt.timedelta(days=45)


def test_a_review_in_the_future_is_refused_and_an_older_one_moves_no_date(organisation) -> None:
    risk = make_risk(organisation)
    with pytest.raises(ServiceError) as refused:
        services.risk_review_create(
            risk=risk,
            reviewed_on=TODAY + dt.timedelta(days=1),
            likelihood=3,
            impact=3,
            today=TODAY,
            by=None,
        )
    assert refused.value.message == services.REVIEW_IN_FUTURE
    services.risk_review_create(
        risk=risk, reviewed_on=TODAY, likelihood=2, impact=2, today=TODAY, by=None
    )
    services.risk_review_create(
        risk=risk,
        reviewed_on=TODAY - dt.timedelta(days=40),
        likelihood=5,
        impact=5,
        today=TODAY,
        by=None,
    )
    risk.refresh_from_db()
    assert (risk.residual_score, risk.last_reviewed_on) == (4, TODAY)
    assert RiskReview.objects.filter(risk=risk).count() == 2


def test_a_new_risk_is_due_for_review_after_its_bands_frequency(organisation) -> None:
    risk = make_risk(organisation, residual_likelihood=4, residual_impact=4, today=TODAY)
    assert risk.next_review_on == TODAY + dt.timedelta(days=30)


def test_actions_are_linked_and_must_be_the_organisations(organisation) -> None:
    programme = make_programme(organisation)
    first, second = make_action(programme, reference="A1"), make_action(programme, reference="A2")
    risk = make_risk(organisation, actions=[first, second])
    assert set(risk.actions.all()) == {first, second}
    found, missing = services.actions_by_reference(
        organisation=organisation, references=["a1", "A9"]
    )
    assert found == [first] and missing == ["A9"]
    other = make_action(make_programme(OrganisationFactory(slug="elsewhere")), reference="X1")
    with pytest.raises(ServiceError) as refused:
        make_risk(organisation, "R2", actions=[other])
    assert refused.value.message == services.ACTION_ELSEWHERE


def test_mitigations_are_numbered_in_turn_and_a_number_is_used_once(organisation) -> None:
    risk = make_risk(organisation)
    first = services.mitigation_create(risk=risk, description="Advisor network", by=None)
    second = services.mitigation_create(risk=risk, description="Programme support", by=None)
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ServiceError) as refused:
        services.mitigation_create(risk=risk, description="Again", position=2, by=None)
    assert refused.value.message == services.POSITION_TAKEN.format(reference="R1", position=2)
    services.mitigation_update(
        mitigation=first, description="Advisor network", status="done", by=None
    )
    services.mitigation_delete(mitigation=second, by=None)
    assert list(Mitigation.objects.values_list("status", flat=True)) == ["done"]


def test_the_risks_whose_score_rose_in_a_window(organisation) -> None:
    risen, fallen, new = (
        make_risk(organisation, "R1"),
        make_risk(organisation, "R2"),
        make_risk(organisation, "R3"),
    )
    for risk, scores in ((risen, (2, 3, 4)), (fallen, (4, 3, 2)), (new, (None, 2, 5))):
        for day, value in zip(
            (dt.date(2025, 12, 1), dt.date(2026, 1, 15), dt.date(2026, 3, 1)), scores, strict=True
        ):
            if value is not None:
                services.risk_review_create(
                    risk=risk, reviewed_on=day, likelihood=value, impact=1, today=TODAY, by=None
                )
    rises = selectors.risks_risen(
        organisation=organisation, since=dt.date(2026, 1, 1), until=dt.date(2026, 3, 31)
    )
    assert [(r.risk.reference, r.before, r.after) for r in rises] == [("R3", 2, 5), ("R1", 2, 4)]


def test_deleting_a_risk_removes_its_links_reviews_and_mitigations(organisation) -> None:
    from goldenthread.performance import services as thread_services
    from goldenthread.performance.models import Level, ThreadLink

    risk = make_risk(organisation)
    services.mitigation_create(risk=risk, description="Advisor network", by=None)
    services.risk_review_create(
        risk=risk, reviewed_on=TODAY, likelihood=2, impact=2, today=TODAY, by=None
    )
    objective = thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="One front door"
    )
    thread_services.thread_link_create(item=objective, target=risk)
    assert selectors.risk_untraced(organisation=organisation).count() == 0
    services.risk_delete(risk=risk, by=None)
    assert not ThreadLink.objects.exists()
    assert not Mitigation.objects.exists() and not RiskReview.objects.exists()


def test_an_open_risk_with_no_objective_is_untraced_and_a_closed_one_is_not(organisation):
    make_risk(organisation, "R1")
    make_risk(organisation, "R2", status=RiskStatus.CLOSED)
    untraced = selectors.risk_untraced(organisation=organisation)
    assert [risk.reference for risk in untraced] == ["R1"]


def test_the_counts_and_the_overdue_reviews(organisation) -> None:
    make_risk(organisation, "R1", next_review_on=dt.date(2026, 3, 1))
    make_risk(organisation, "R2", next_review_on=dt.date(2026, 4, 30))
    make_risk(organisation, "R3", next_review_on=dt.date(2026, 1, 1), status=RiskStatus.CLOSED)
    counts = selectors.risk_counts(organisation=organisation, today=TODAY)
    assert counts == {"total": 3, "open": 2, "overdue": 1}
    assert [
        r.reference for r in selectors.risks_overdue(organisation=organisation, today=TODAY)
    ] == ["R1"]


def test_the_standard_categories_are_the_eight() -> None:
    assert len(RiskCategory.values) == 8


def _edit(risk, **changes):
    fields = {
        "reference": risk.reference,
        "title": risk.title,
        "category": risk.category,
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "next_review_on": risk.next_review_on,
        "today": TODAY,
        "by": None,
        **changes,
    }
    return services.risk_update(risk=risk, **fields)


def test_editing_the_residual_scores_records_a_review_and_moves_the_next_date(
    organisation,
) -> None:
    settings(organisation)
    risk = make_risk(organisation, residual_likelihood=2, residual_impact=2, today=TODAY)
    assert risk.next_review_on == TODAY + dt.timedelta(days=180)
    _edit(risk, title="Renamed")
    assert not RiskReview.objects.filter(risk=risk).exists()
    _edit(risk, residual_likelihood=4, residual_impact=4)
    risk.refresh_from_db()
    review = RiskReview.objects.get(risk=risk)
    assert (review.reviewed_on, review.likelihood, review.impact, review.score) == (
        TODAY,
        4,
        4,
        16,
    )
    assert review.note == services.SCORES_EDITED == "Scores changed when the risk was edited"
    assert (risk.residual_score, risk.last_reviewed_on) == (16, TODAY)
    assert risk.next_review_on == TODAY + dt.timedelta(days=30)  # the High band's
    rises = selectors.risks_risen(
        organisation=organisation, since=TODAY - dt.timedelta(days=1), until=TODAY
    )
    assert [r.risk.reference for r in rises] == []  # one review: nothing to rise from yet
    _edit(risk, residual_likelihood=5, residual_impact=5, today=TODAY + dt.timedelta(days=1))
    rises = selectors.risks_risen(
        organisation=organisation, since=TODAY, until=TODAY + dt.timedelta(days=1)
    )
    assert [(r.risk.reference, r.before, r.after) for r in rises] == [("R1", 16, 25)]


def test_a_next_review_date_changed_with_the_scores_is_kept(organisation) -> None:
    settings(organisation)
    risk = make_risk(organisation, residual_likelihood=2, residual_impact=2, today=TODAY)
    chosen = TODAY + dt.timedelta(days=7)
    _edit(risk, residual_likelihood=4, residual_impact=4, next_review_on=chosen)
    risk.refresh_from_db()
    assert RiskReview.objects.filter(risk=risk).count() == 1
    assert (risk.residual_score, risk.next_review_on) == (16, chosen)
