"""The benefits register's services: every refusal by its constant, history naming who."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goldenthread.accounts.services import ServiceError
from goldenthread.programme.benefits import selectors, services
from goldenthread.programme.benefits.confidence import BAD_CONFIDENCE
from goldenthread.programme.models import Benefit, BenefitProfile, BenefitType, ProgrammeSettings
from goldenthread.programme.preferences import programme_settings
from tests.factories import UserFactory
from tests.programme.benefit_fixtures import *  # noqa: F403
from tests.programme.benefit_fixtures import add_benefit
from tests.programme.factories import make_action, make_programme

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call(**kwargs)
    return caught.value


def test_a_benefit_is_added_with_its_actions_and_names_who_added_it(organisation, actions):
    user = UserFactory(username="maya")
    benefit = services.benefit_create(
        organisation=organisation,
        reference="B-1",
        title="Single view of debt",
        type=BenefitType.PROCESS_EFFICIENCY,
        actions="a-2, A-4,  ",
        confidence="Medium",
        baseline_on=dt.date(2025, 4, 1),
        by=user,
    )
    assert [action.reference for action in benefit.actions.order_by("reference")] == ["A-2", "A-4"]
    assert (benefit.confidence_percent, benefit.confidence_level) == (None, "medium")
    assert benefit.history.earliest().history_user == user
    assert {row.history_user for row in benefit.history.all()} == {user}


def test_unknown_actions_are_refused_naming_them(organisation, actions):
    error = refused(
        services.benefit_create,
        organisation=organisation,
        reference="B-1",
        title="T",
        type=BenefitType.QUALITY,
        actions="A-1, A-99, Z-1",
        by=None,
    )
    assert error.message == services.UNKNOWN_ACTIONS.format(references="A-99, Z-1")
    assert error.field == "actions"
    assert not Benefit.objects.exists()


def test_another_organisations_actions_are_unknown(organisation, other):
    theirs = make_action(make_programme(other), reference="T-1")
    error = refused(
        services.benefit_create,
        organisation=organisation,
        reference="B-1",
        title="T",
        type=BenefitType.QUALITY,
        actions=theirs.reference,
        by=None,
    )
    assert error.message == services.UNKNOWN_ACTIONS.format(references="T-1")


def test_references_types_confidence_and_programmes_are_checked(organisation, other):
    add_benefit(organisation, "B-1")
    error = refused(
        services.benefit_create,
        organisation=organisation,
        reference="b-1",
        title="T",
        type=BenefitType.QUALITY,
        by=None,
    )
    assert (error.message, error.field) == (
        services.REFERENCE_TAKEN.format(reference="b-1"),
        "reference",
    )
    error = refused(
        services.benefit_create,
        organisation=organisation,
        reference="B-2",
        title="T",
        type="Happiness",
        by=None,
    )
    assert error.message == services.UNKNOWN_TYPE.format(types=", ".join(BenefitType.values))
    for wrong in ("101%", "very", "-5"):
        error = refused(
            services.benefit_create,
            organisation=organisation,
            reference="B-2",
            title="T",
            type=BenefitType.QUALITY,
            confidence=wrong,
            by=None,
        )
        assert (error.message, error.field) == (BAD_CONFIDENCE, "confidence")
    error = refused(
        services.benefit_create,
        organisation=organisation,
        reference="B-2",
        title="T",
        type=BenefitType.QUALITY,
        programme=make_programme(other),
        by=None,
    )
    assert error.message == services.OTHER_PROGRAMME


def test_status_moves_forward_skipping_steps_and_back_one_step(organisation):
    benefit = add_benefit(organisation, "B-1")
    update = {"reference": "B-1", "title": "T", "type": BenefitType.QUALITY, "by": None}
    services.benefit_update(benefit=benefit, status="realising", **update)
    error = refused(services.benefit_update, benefit=benefit, status="closed", **update)
    assert error.message == services.NEEDS_EVIDENCE.format(status="closed")
    assert error.field == "evidence"
    services.benefit_update(benefit=benefit, status="realised", evidence="Audited", **update)
    error = refused(
        services.benefit_update, benefit=benefit, status="identified", evidence="x", **update
    )
    assert error.message == services.BACKWARDS.format(
        before="realised", allowed="realising", after="identified"
    )
    assert error.field == "status"
    services.benefit_update(benefit=benefit, status="realising", evidence="x", **update)
    assert Benefit.objects.get().status == "realising"


def test_the_profile_is_set_changed_and_removed_by_year(organisation):
    user = UserFactory(username="pat")
    benefit = add_benefit(organisation, "B-1")
    services.benefit_profile_update(
        benefit=benefit,
        years={2025: (Decimal("100.10"), None), 2026: (Decimal("200"), Decimal("50.05"))},
        by=user,
    )
    versions = benefit.history.count()
    services.benefit_profile_update(
        benefit=benefit, years={2025: (Decimal("100.10"), None)}, by=user
    )
    assert benefit.history.count() == versions  # nothing changed, nothing recorded
    services.benefit_profile_update(benefit=benefit, years={2025: (None, None)}, by=user)
    assert list(BenefitProfile.objects.values_list("year", "planned", "realised")) == [
        (2026, Decimal("200.00"), Decimal("50.05"))
    ]
    assert BenefitProfile.history.filter(history_type="-").get().history_user == user
    error = refused(
        services.benefit_profile_update, benefit=benefit, years={1800: (1, None)}, by=user
    )
    assert error.message == services.YEAR_OUT_OF_RANGE.format(first="1990/91", last="2100/01")


def test_deleting_a_benefit_deletes_its_profile_and_links(organisation):
    from goldenthread.performance import services as thread_services
    from goldenthread.performance.models import Level, ThreadLink

    benefit = add_benefit(organisation, "B-1")
    services.benefit_profile_update(benefit=benefit, years={2025: (Decimal(5), None)}, by=None)
    objective = thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="Balanced budget"
    )
    thread_services.thread_link_create(item=objective, target=benefit)
    services.benefit_delete(benefit=benefit, by=None)
    assert not Benefit.objects.exists()
    assert not BenefitProfile.objects.exists()
    assert not ThreadLink.objects.exists()


def test_the_settings_add_rename_and_remove_types_and_set_percentages(organisation):
    user = UserFactory(username="ada")
    levels = {"confidence_low": 20, "confidence_medium": 50, "confidence_high": 90}
    services.benefit_settings_update(
        organisation=organisation, renames={}, added="Carbon reduction", by=user, **levels
    )
    services.benefit_settings_update(
        organisation=organisation, renames={}, added="Social value", by=user, **levels
    )
    benefit = add_benefit(organisation, "B-1", type="Carbon reduction", confidence="high")
    assert selectors.benefit_types(settings=programme_settings(organisation=organisation))[-2:] == [
        "Carbon reduction",
        "Social value",
    ]
    error = refused(
        services.benefit_settings_update,
        organisation=organisation,
        renames={"Carbon reduction": ""},
        by=user,
        **levels,
    )
    assert error.message == services.TYPE_IN_USE.format(
        type="Carbon reduction", count=1, plural="", s="s", references="B-1"
    )
    error = refused(
        services.benefit_settings_update,
        organisation=organisation,
        renames={},
        added="quality improvement",
        by=user,
        **levels,
    )
    assert error.message == services.TYPE_TAKEN.format(type="quality improvement")
    error = refused(
        services.benefit_settings_update,
        organisation=organisation,
        renames={},
        by=user,
        confidence_low=60,
        confidence_medium=50,
        confidence_high=90,
    )
    assert error.message == services.CONFIDENCE_OUT_OF_ORDER
    services.benefit_settings_update(
        organisation=organisation,
        renames={"Carbon reduction": "Net zero", "Social value": ""},
        by=user,
        confidence_low=10,
        confidence_medium=40,
        confidence_high=95,
    )
    settings = ProgrammeSettings.objects.get()
    assert settings.benefit_types == ["Net zero"]
    assert settings.confidence_high == 95
    assert settings.history.latest().history_user == user
    benefit.refresh_from_db()
    assert benefit.type == "Net zero"
    assert benefit.history.latest().history_user == user


def test_the_settings_keep_what_other_parts_hold(organisation):
    ProgrammeSettings.objects.create(organisation=organisation, risk_categories=["Climate"])
    services.benefit_settings_update(
        organisation=organisation,
        renames={},
        added="Carbon",
        by=None,
        confidence_low=1,
        confidence_medium=2,
        confidence_high=3,
    )
    assert ProgrammeSettings.objects.get().risk_categories == ["Climate"]
