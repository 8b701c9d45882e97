"""Every write to the risk register. Each is one transaction; a refused write raises ServiceError.

A risk's residual score is kept in step with its residual likelihood and
impact through the organisation's matrix; recording a review sets the risk's
residual scores and its last and next review dates together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import (
    Actor,
    ServiceError,
    acting_user,
    attribute,
    create_attributed,
)
from goldenthread.analysis import risks as scoring
from goldenthread.kit.links import forget_links
from goldenthread.programme.models import (
    Action,
    Mitigation,
    MitigationStatus,
    Programme,
    ProgrammeSettings,
    Risk,
    RiskReview,
    RiskStatus,
)

from .rules import RiskRules, bands_from, risk_rules, rules_of

SCORES_EDITED = "Scores changed when the risk was edited"
ENTER_REFERENCE = "Enter a reference for the risk, for example R1"
ENTER_TITLE = "Enter a title for the risk"
REFERENCE_TAKEN = "Another risk in {organisation} already has the reference {reference}"
OUT_OF_SCALE = "{label} must be a whole number from 1 to 5"
UNKNOWN_CATEGORY = "{category} is not a risk category of {organisation}: choose one of {allowed}"
PROGRAMME_ELSEWHERE = "The programme must belong to the same organisation"
ACTION_ELSEWHERE = "Every linked action must belong to the same organisation"
UNKNOWN_ACTIONS = "No action has the reference {references}: enter the references of actions"
REVIEW_DAYS_TOO_FEW = "Review every must be at least 1 day, or blank for the band's frequency"
CHOOSE_STATUS = "Choose the status of the risk"
ENTER_MITIGATION = "Describe the mitigation"
CHOOSE_MITIGATION_STATUS = "Choose the status of the mitigation"
POSITION_TAKEN = "{reference} already has a mitigation numbered {position}"
REVIEW_IN_FUTURE = "The review date must be today or in the past"
CATEGORY_IN_USE = "{category} is the category of {risks}: change their category first"
CATEGORY_REPEATED = "{category} is listed twice: list each category once"
CATEGORY_STANDARD = "{category} is a standard category already: list only your own"
CATEGORY_TOO_LONG = "{category} is longer than 100 characters"
MATRIX_OUT_OF_RANGE = (
    "The score for likelihood {likelihood} and impact {impact} must be a whole number from 1 to 25"
)
ENTER_BAND_NAME = "Enter a name for band {number}"
BAND_PROBLEM = "Band {number} {problem}"
BAND_DAYS_TOO_FEW = "Band {number}: review every must be at least 1 day, or blank"
DEFAULT_DAYS_TOO_FEW = "Review every must be at least 1 day"

#: Names of the likelihood and impact fields, as forms, files and messages name them.
SCALE_FIELDS = {
    "inherent_likelihood": "Inherent likelihood",
    "inherent_impact": "Inherent impact",
    "residual_likelihood": "Residual likelihood",
    "residual_impact": "Residual impact",
}
#: Risks a refusal names before it counts the rest.
NAMED = 5


def check_scale(value: Any, *, field: str, label: str) -> int:
    """``value`` as a likelihood or impact from 1 to 5, or a refusal naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in scoring.SCALE:
        raise ServiceError(OUT_OF_SCALE.format(label=label), field=field)
    return value


def named(words: Sequence[str]) -> str:
    """The first few of ``words``, and how many more: "R1, R2 and 3 more"."""
    shown = ", ".join(words[:NAMED])
    more = len(words) - NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def actions_by_reference(
    *, organisation: Organisation, references: Sequence[str]
) -> tuple[list[Action], list[str]]:
    """The organisation's actions with these references (any case), and those not found."""
    wanted = {ref.strip().lower(): ref.strip() for ref in references if ref.strip()}
    found = {
        action.reference.lower(): action
        for action in Action.objects.filter(organisation=organisation)
        .alias(key=Lower("reference"))
        .filter(key__in=wanted)
    }
    missing = [ref for key, ref in wanted.items() if key not in found]
    return [found[key] for key in wanted if key in found], missing


def split_references(text: str) -> list[str]:
    """References written with commas (or semicolons) between them.

    >>> split_references("A1, A2;A3 ,")
    ['A1', 'A2', 'A3']
    """
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else timezone.localdate()


def _check(risk: Risk, rules: RiskRules, actions: Sequence[Action]) -> None:
    organisation = risk.organisation
    if not risk.reference:
        raise ServiceError(ENTER_REFERENCE, field="reference")
    if not risk.title:
        raise ServiceError(ENTER_TITLE, field="title")
    taken = (
        Risk.objects.filter(organisation=organisation, reference__iexact=risk.reference)
        .exclude(pk=risk.pk)
        .exists()
    )
    if taken:
        raise ServiceError(
            REFERENCE_TAKEN.format(organisation=organisation, reference=risk.reference),
            field="reference",
        )
    for field, label in SCALE_FIELDS.items():
        check_scale(getattr(risk, field), field=field, label=label)
    spelled = {name.lower(): name for name in rules.categories}
    risk.category = spelled.get(risk.category.lower(), risk.category)
    if risk.category not in rules.categories:
        raise ServiceError(
            UNKNOWN_CATEGORY.format(
                category=risk.category or "(blank)",
                organisation=organisation,
                allowed=", ".join(rules.categories),
            ),
            field="category",
        )
    if risk.status not in RiskStatus.values:
        raise ServiceError(CHOOSE_STATUS, field="status")
    if risk.programme is not None and risk.programme.organisation_id != organisation.pk:
        raise ServiceError(PROGRAMME_ELSEWHERE, field="programme")
    if any(action.organisation_id != organisation.pk for action in actions):
        raise ServiceError(ACTION_ELSEWHERE, field="actions")
    if risk.review_days is not None and risk.review_days < 1:
        raise ServiceError(REVIEW_DAYS_TOO_FEW, field="review_days")


def _save(
    risk: Risk,
    *,
    actions: Sequence[Action] | None,
    by: Actor,
    today: dt.date | None,
) -> Risk:
    rules = risk_rules(organisation=risk.organisation)
    _check(risk, rules, actions or ())
    risk.residual_score = rules.score(risk.residual_likelihood, risk.residual_impact)
    if risk.next_review_on is None and risk.status == RiskStatus.OPEN:
        start = risk.last_reviewed_on or _today(today)
        days = rules.review_days(risk.residual_score, risk.review_days)
        risk.next_review_on = start + dt.timedelta(days=days)
    attribute(risk, by)
    risk.save()
    if actions is not None and {a.pk for a in actions} != set(
        risk.actions.values_list("pk", flat=True)
    ):
        attribute(risk, by)
        risk.actions.set(actions)
    return risk


@transaction.atomic
def risk_create(
    *,
    organisation: Organisation,
    reference: str,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    programme: Programme | None = None,
    cause: str = "",
    event: str = "",
    effect: str = "",
    owner: str = "",
    status: str = RiskStatus.OPEN,
    review_days: int | None = None,
    next_review_on: dt.date | None = None,
    actions: Sequence[Action] = (),
    today: dt.date | None = None,
    by: Actor,
) -> Risk:
    risk = Risk(
        organisation=organisation,
        programme=programme,
        reference=reference.strip(),
        title=title.strip(),
        cause=cause.strip(),
        event=event.strip(),
        effect=effect.strip(),
        category=category.strip(),
        owner=owner.strip(),
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        status=status,
        review_days=review_days,
        next_review_on=next_review_on,
    )
    return _save(risk, actions=list(actions), by=by, today=today)


@transaction.atomic
def risk_update(
    *,
    risk: Risk,
    reference: str,
    title: str,
    category: str,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    programme: Programme | None = None,
    cause: str = "",
    event: str = "",
    effect: str = "",
    owner: str = "",
    status: str = RiskStatus.OPEN,
    review_days: int | None = None,
    next_review_on: dt.date | None = None,
    actions: Sequence[Action] | None = None,
    today: dt.date | None = None,
    by: Actor,
) -> Risk:
    """Change ``risk``; ``actions`` ``None`` leaves its linked actions as they are.

    A change of the residual likelihood or impact is recorded as a review
    dated today, so the trend and the risks whose score rose show it; the
    next review then falls by the new band, unless ``next_review_on`` was
    changed as well.
    """
    before = Risk.objects.values_list(
        "residual_likelihood", "residual_impact", "next_review_on"
    ).get(pk=risk.pk)
    risk.programme = programme
    risk.reference = reference.strip()
    risk.title = title.strip()
    risk.cause = cause.strip()
    risk.effect = effect.strip()
    risk.event = event.strip()
    risk.category = category.strip()
    risk.owner = owner.strip()
    risk.inherent_likelihood = inherent_likelihood
    risk.inherent_impact = inherent_impact
    risk.residual_likelihood = residual_likelihood
    risk.residual_impact = residual_impact
    risk.status = status
    risk.review_days = review_days
    risk.next_review_on = next_review_on
    risk = _save(risk, actions=None if actions is None else list(actions), by=by, today=today)
    if (residual_likelihood, residual_impact) != before[:2]:
        review = risk_review_create(
            risk=risk,
            reviewed_on=_today(today),
            likelihood=residual_likelihood,
            impact=residual_impact,
            note=SCORES_EDITED,
            today=today,
            by=by,
        )
        risk.last_reviewed_on = review.risk.last_reviewed_on
        risk.next_review_on = review.risk.next_review_on
        if next_review_on != before[2] and risk.next_review_on != next_review_on:
            risk.next_review_on = next_review_on
            attribute(risk, by)
            risk.save()
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, by: Actor) -> None:
    forget_links(risk)  # links are generic: nothing cascades them
    attribute(risk, by)
    risk.delete()


# --- reviews ---------------------------------------------------------------------------


@transaction.atomic
def risk_review_create(
    *,
    risk: Risk,
    reviewed_on: dt.date,
    likelihood: int,
    impact: int,
    note: str = "",
    today: dt.date | None = None,
    by: Actor,
) -> RiskReview:
    """Record a review: the risk takes its residual scores, and its next review date is set.

    The next review falls the risk's review frequency after the review (its
    own, else its new band's, else the organisation's default). A review
    dated before the latest one is kept in the trend but moves no date.
    """
    check_scale(likelihood, field="likelihood", label="Likelihood")
    check_scale(impact, field="impact", label="Impact")
    if reviewed_on > _today(today):
        raise ServiceError(REVIEW_IN_FUTURE, field="reviewed_on")
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    rules = risk_rules(organisation=risk.organisation)
    value = rules.score(likelihood, impact)
    next_on = reviewed_on + dt.timedelta(days=rules.review_days(value, risk.review_days))
    review = RiskReview(
        risk=risk,
        reviewed_on=reviewed_on,
        likelihood=likelihood,
        impact=impact,
        score=value,
        note=note.strip(),
        next_review_on=next_on,
        reviewed_by=acting_user(by),
    )
    attribute(review, by)
    review.save()
    if risk.last_reviewed_on is None or reviewed_on >= risk.last_reviewed_on:
        risk.residual_likelihood = likelihood
        risk.residual_impact = impact
        risk.residual_score = value
        risk.last_reviewed_on = reviewed_on
        risk.next_review_on = next_on
        attribute(risk, by)
        risk.save()
    return review


# --- mitigations -----------------------------------------------------------------------


def _check_mitigation(mitigation: Mitigation) -> None:
    if not mitigation.description:
        raise ServiceError(ENTER_MITIGATION, field="description")
    if mitigation.status not in MitigationStatus.values:
        raise ServiceError(CHOOSE_MITIGATION_STATUS, field="status")
    taken = (
        Mitigation.objects.filter(risk=mitigation.risk, position=mitigation.position)
        .exclude(pk=mitigation.pk)
        .exists()
    )
    if taken:
        raise ServiceError(
            POSITION_TAKEN.format(
                reference=mitigation.risk.reference, position=mitigation.position
            ),
            field="position",
        )


@transaction.atomic
def mitigation_create(
    *,
    risk: Risk,
    description: str,
    owner: str = "",
    due_on: dt.date | None = None,
    status: str = MitigationStatus.PLANNED,
    position: int | None = None,
    by: Actor,
) -> Mitigation:
    """Add a mitigation to ``risk``, numbered after its last unless ``position`` is given."""
    if position is None:
        last = risk.mitigations.aggregate(last=Max("position"))["last"]
        position = (last or 0) + 1
    mitigation = Mitigation(
        risk=risk,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        status=status,
        position=position,
    )
    _check_mitigation(mitigation)
    attribute(mitigation, by)
    mitigation.save()
    return mitigation


@transaction.atomic
def mitigation_update(
    *,
    mitigation: Mitigation,
    description: str,
    owner: str = "",
    due_on: dt.date | None = None,
    status: str = MitigationStatus.PLANNED,
    by: Actor,
) -> Mitigation:
    mitigation.description = description.strip()
    mitigation.owner = owner.strip()
    mitigation.due_on = due_on
    mitigation.status = status
    _check_mitigation(mitigation)
    attribute(mitigation, by)
    mitigation.save()
    return mitigation


@transaction.atomic
def mitigation_delete(*, mitigation: Mitigation, by: Actor) -> None:
    attribute(mitigation, by)
    mitigation.delete()


# --- the organisation's settings --------------------------------------------------------


def _settings_for_update(organisation: Organisation, by: Actor) -> ProgrammeSettings:
    found = ProgrammeSettings.objects.select_for_update().filter(organisation=organisation).first()
    if found is not None:
        return found
    return create_attributed(ProgrammeSettings, by=by, organisation=organisation)


def _check_categories(organisation: Organisation, categories: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    standard = {value.lower() for value in rules_of(ProgrammeSettings()).categories}
    for category in (name.strip() for name in categories):
        if not category:
            continue
        if len(category) > 100:
            raise ServiceError(CATEGORY_TOO_LONG.format(category=category), field="categories")
        if category.lower() in standard:
            raise ServiceError(CATEGORY_STANDARD.format(category=category), field="categories")
        if category.lower() in seen:
            raise ServiceError(CATEGORY_REPEATED.format(category=category), field="categories")
        seen.add(category.lower())
        kept.append(category)
    return kept


def _check_matrix(matrix: Sequence[Sequence[int]]) -> list[list[int]]:
    if not matrix:
        return []
    rows: list[list[int]] = []
    for likelihood in scoring.SCALE:
        row = []
        for impact in scoring.SCALE:
            value = matrix[likelihood - 1][impact - 1]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 25:
                raise ServiceError(
                    MATRIX_OUT_OF_RANGE.format(likelihood=likelihood, impact=impact),
                    field=f"matrix_{likelihood}_{impact}",
                )
            row.append(value)
        rows.append(row)
    return rows


def _check_bands(bands: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = []
    for number, band in enumerate(bands, start=1):
        name = str(band.get("name") or "").strip()
        if not name:
            raise ServiceError(ENTER_BAND_NAME.format(number=number), field=f"band_{number}_name")
        days = band.get("review_days")
        if days is not None and days < 1:
            raise ServiceError(
                BAND_DAYS_TOO_FEW.format(number=number), field=f"band_{number}_review_days"
            )
        kept.append({"name": name, "from": band["from"], "to": band["to"], "review_days": days})
    problem = scoring.band_gap(bands_from(kept))
    if problem is not None:
        number = problem.index + 1
        raise ServiceError(
            BAND_PROBLEM.format(number=number, problem=problem.message),
            field=f"band_{number}_{problem.end}",
        )
    return kept


@transaction.atomic
def risk_settings_update(
    *,
    organisation: Organisation,
    categories: Sequence[str],
    matrix: Sequence[Sequence[int]],
    bands: Sequence[dict[str, Any]],
    review_days: int,
    by: Actor,
) -> ProgrammeSettings:
    """Set the organisation's own categories, matrix, bands and default review frequency.

    A category that a risk still has cannot be removed. A new matrix
    re-scores every risk of the organisation, so each residual score stays in step.
    """
    settings = _settings_for_update(organisation, by)
    kept = _check_categories(organisation, categories)
    removed = [name for name in settings.risk_categories or () if name not in kept]
    if removed:
        using = list(
            Risk.objects.filter(organisation=organisation, category__in=removed)
            .order_by("reference")
            .values_list("category", "reference")
        )
        if using:
            category = using[0][0]
            references = [ref for cat, ref in using if cat == category]
            raise ServiceError(
                CATEGORY_IN_USE.format(category=category, risks=named(references)),
                field="categories",
            )
    new_matrix = _check_matrix(matrix)
    new_bands = _check_bands(bands)
    if review_days < 1:
        raise ServiceError(DEFAULT_DAYS_TOO_FEW, field="review_days")
    rescore = new_matrix != list(settings.risk_matrix or [])
    settings.risk_categories = kept
    settings.risk_matrix = new_matrix
    settings.risk_bands = new_bands
    settings.review_days = review_days
    attribute(settings, by)
    settings.save()
    if rescore:
        _rescore(organisation, rules_of(settings), by)
    return settings


def _rescore(organisation: Organisation, rules: RiskRules, by: Actor) -> None:
    for risk in Risk.objects.filter(organisation=organisation).select_for_update():
        value = rules.score(risk.residual_likelihood, risk.residual_impact)
        if value != risk.residual_score:
            risk.residual_score = value
            attribute(risk, by)
            risk.save(update_fields=["residual_score"])
