"""Every write of the benefits register: one transaction each, history naming who made it.

**Status.** A benefit moves identified → planned → realising → realised →
closed. A move forward may skip steps (a benefit is often found already
realised at a review, and a planned one may be closed when it is dropped),
but a move back may go one step only: it corrects the last move, and the
history keeps both. A benefit can be marked realised or closed only with
evidence notes, which say how the realisation was measured or why it closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from simple_history.utils import bulk_update_with_history

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, acting_user, attribute
from goldenthread.analysis.quarters import FIRST_YEAR, LAST_YEAR, financial_year_label
from goldenthread.kit.links import forget_links
from goldenthread.programme.models import (
    Action,
    Benefit,
    BenefitProfile,
    BenefitStatus,
    BenefitType,
    Programme,
    ProgrammeSettings,
)
from goldenthread.programme.preferences import programme_settings

from . import selectors
from .confidence import BAD_CONFIDENCE, read_confidence

REFERENCE_TAKEN = "Another benefit already has the reference {reference}"
ENTER_REFERENCE = "Enter a reference for the benefit"
ENTER_TITLE = "Enter the benefit's title"
UNKNOWN_TYPE = "Choose a type of benefit: {types}"
UNKNOWN_ACTIONS = "No action has the reference {references}; enter the references of actions"
OTHER_PROGRAMME = "Choose a programme of this organisation"
BACKWARDS = (
    "A benefit can move back one step only, from {before} to {allowed}; it cannot go to {after}"
)
NEEDS_EVIDENCE = "Enter the evidence notes before marking the benefit {status}"
YEAR_OUT_OF_RANGE = "Enter a financial year from {first} to {last}"
NEGATIVE = "Enter an amount of £0 or more"
TYPE_IN_USE = "{type} cannot be removed: {count} benefit{plural} use{s} it ({references})"
TYPE_TAKEN = "There is already a type of benefit called {type}"
CONFIDENCE_OUT_OF_ORDER = "The percentages must rise from low to medium to high, each from 0 to 100"
#: How many benefits a refusal names before it counts the rest.
NAMED = 5

STATUS_ORDER = list(BenefitStatus.values)
NEEDING_EVIDENCE = (BenefitStatus.REALISED, BenefitStatus.CLOSED)


def _split(references: str | Iterable[str]) -> list[str]:
    """Action references from a comma-separated text, or from a list; blanks dropped, order kept."""
    pieces = references.split(",") if isinstance(references, str) else list(references)
    found: list[str] = []
    for piece in pieces:
        cleaned = piece.strip()
        if cleaned and cleaned.lower() not in {seen.lower() for seen in found}:
            found.append(cleaned)
    return found


def resolve_actions(*, organisation: Organisation, references: str | Iterable[str]) -> list[Action]:
    """The organisation's actions with these references, in any case; the unknown are refused."""
    wanted = _split(references)
    if not wanted:
        return []
    found = {
        action.reference.lower(): action
        for action in Action.objects.filter(organisation=organisation)
        .alias(key=Lower("reference"))
        .filter(key__in=[reference.lower() for reference in wanted])
    }
    unknown = [reference for reference in wanted if reference.lower() not in found]
    if unknown:
        raise ServiceError(UNKNOWN_ACTIONS.format(references=", ".join(unknown)), field="actions")
    return [found[reference.lower()] for reference in wanted]


def status_move_problem(before: str, after: str) -> str:
    """Why a benefit cannot move from ``before`` to ``after``; blank when it can."""
    back = STATUS_ORDER.index(before) - STATUS_ORDER.index(after)
    if back > 1:
        return BACKWARDS.format(
            before=BenefitStatus(before).label.lower(),
            allowed=BenefitStatus(STATUS_ORDER[STATUS_ORDER.index(before) - 1]).label.lower(),
            after=BenefitStatus(after).label.lower(),
        )
    return ""


def _names(benefits: Sequence[Benefit], total: int) -> str:
    named = ", ".join(benefit.reference for benefit in benefits[:NAMED])
    return named if total <= NAMED else f"{named} and {total - NAMED} more"


def _fields(
    *,
    organisation: Organisation,
    settings: ProgrammeSettings,
    benefit: Benefit | None,
    reference: str,
    title: str,
    type: str,
    programme: Programme | None,
    confidence: str,
    status: str,
    evidence: str,
) -> dict[str, Any]:
    reference, title = reference.strip(), title.strip()
    if not reference:
        raise ServiceError(ENTER_REFERENCE, field="reference")
    if not title:
        raise ServiceError(ENTER_TITLE, field="title")
    taken = Benefit.objects.filter(organisation=organisation, reference__iexact=reference)
    if benefit is not None:
        taken = taken.exclude(pk=benefit.pk)
    if taken.exists():
        raise ServiceError(REFERENCE_TAKEN.format(reference=reference), field="reference")
    types = selectors.benefit_types(settings=settings)
    if type not in types:
        raise ServiceError(UNKNOWN_TYPE.format(types=", ".join(types)), field="type")
    if programme is not None and programme.organisation_id != organisation.pk:
        raise ServiceError(OTHER_PROGRAMME, field="programme")
    try:
        reading = read_confidence(confidence)
    except ValueError:
        raise ServiceError(BAD_CONFIDENCE, field="confidence") from None
    status = BenefitStatus(status)
    if benefit is not None and benefit.status != status:
        problem = status_move_problem(benefit.status, status)
        if problem:
            raise ServiceError(problem, field="status")
    if status in NEEDING_EVIDENCE and not evidence.strip():
        raise ServiceError(NEEDS_EVIDENCE.format(status=status.label.lower()), field="evidence")
    return {
        "reference": reference,
        "title": title,
        "type": type,
        "programme": programme,
        "confidence_percent": reading.percent,
        "confidence_level": reading.level,
        "status": status,
        "evidence": evidence.strip(),
    }


@transaction.atomic
def benefit_create(
    *,
    organisation: Organisation,
    reference: str,
    title: str,
    type: str,
    description: str = "",
    owner: str = "",
    programme: Programme | None = None,
    actions: str | Iterable[str] = (),
    measure: str = "",
    baseline: str = "",
    baseline_on: dt.date | None = None,
    target: str = "",
    target_on: dt.date | None = None,
    actual: str = "",
    actual_on: dt.date | None = None,
    confidence: str = "",
    status: str = BenefitStatus.IDENTIFIED,
    evidence: str = "",
    by: Actor,
) -> Benefit:
    """Add a benefit; ``actions`` are the references of the actions it comes from."""
    settings = programme_settings(organisation=organisation)
    checked = _fields(
        organisation=organisation,
        settings=settings,
        benefit=None,
        reference=reference,
        title=title,
        type=type,
        programme=programme,
        confidence=confidence,
        status=status,
        evidence=evidence,
    )
    found = resolve_actions(organisation=organisation, references=actions)
    benefit = Benefit(
        organisation=organisation,
        description=description.strip(),
        owner=owner.strip(),
        measure=measure.strip(),
        baseline=baseline.strip(),
        baseline_on=baseline_on,
        target=target.strip(),
        target_on=target_on,
        actual=actual.strip(),
        actual_on=actual_on,
        **checked,
    )
    attribute(benefit, by)
    benefit.save()
    if found:
        attribute(benefit, by)
        benefit.actions.set(found)
    return benefit


@transaction.atomic
def benefit_update(
    *,
    benefit: Benefit,
    reference: str,
    title: str,
    type: str,
    description: str = "",
    owner: str = "",
    programme: Programme | None = None,
    actions: str | Iterable[str] = (),
    measure: str = "",
    baseline: str = "",
    baseline_on: dt.date | None = None,
    target: str = "",
    target_on: dt.date | None = None,
    actual: str = "",
    actual_on: dt.date | None = None,
    confidence: str = "",
    status: str = BenefitStatus.IDENTIFIED,
    evidence: str = "",
    by: Actor,
) -> Benefit:
    """Change a benefit; the status may skip steps forward, and go back one (module docstring)."""
    organisation = benefit.organisation
    settings = programme_settings(organisation=organisation)
    checked = _fields(
        organisation=organisation,
        settings=settings,
        benefit=benefit,
        reference=reference,
        title=title,
        type=type,
        programme=programme,
        confidence=confidence,
        status=status,
        evidence=evidence,
    )
    found = resolve_actions(organisation=organisation, references=actions)
    for name, value in {
        **checked,
        "description": description.strip(),
        "owner": owner.strip(),
        "measure": measure.strip(),
        "baseline": baseline.strip(),
        "baseline_on": baseline_on,
        "target": target.strip(),
        "target_on": target_on,
        "actual": actual.strip(),
        "actual_on": actual_on,
    }.items():
        setattr(benefit, name, value)
    attribute(benefit, by)
    benefit.save()
    if {action.pk for action in found} != set(benefit.actions.values_list("pk", flat=True)):
        attribute(benefit, by)
        benefit.actions.set(found)
    return benefit


@transaction.atomic
def benefit_delete(*, benefit: Benefit, by: Actor) -> None:
    """Delete a benefit, its profile and its links (links are generic: nothing cascades them)."""
    forget_links(benefit)
    for row in benefit.profile.all():
        attribute(row, by)
        row.delete()
    attribute(benefit, by)
    benefit.delete()


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            YEAR_OUT_OF_RANGE.format(
                first=financial_year_label(FIRST_YEAR), last=financial_year_label(LAST_YEAR)
            ),
            field="new_year",
        )


@transaction.atomic
def benefit_profile_update(
    *,
    benefit: Benefit,
    years: Mapping[int, tuple[Decimal | None, Decimal | None]],
    by: Actor,
) -> Benefit:
    """Set the cashable £ of the given financial years: ``year -> (planned, realised)``.

    A year given with neither amount is removed; a year not given is left as
    it is. When anything changes the benefit itself is saved too, so its
    history shows when its profile changed and an edit page read before can tell.
    """
    current = {row.year: row for row in benefit.profile.all()}
    changed = False
    for year, (planned, realised) in sorted(years.items()):
        check_year(year)
        if (planned is not None and planned < 0) or (realised is not None and realised < 0):
            raise ServiceError(NEGATIVE, field=f"planned_{year}")
        row = current.get(year)
        if planned is None and realised is None:
            if row is not None:
                attribute(row, by)
                row.delete()
                changed = True
            continue
        wanted = (planned or Decimal("0.00"), realised)
        if row is None:
            row = BenefitProfile(benefit=benefit, year=year)
        elif (row.planned, row.realised) == wanted:
            continue
        row.planned, row.realised = wanted
        attribute(row, by)
        row.save()
        changed = True
    if changed:
        attribute(benefit, by)
        benefit.save()
    return benefit


@transaction.atomic
def benefit_settings_update(
    *,
    organisation: Organisation,
    renames: Mapping[str, str],
    added: str = "",
    confidence_low: int,
    confidence_medium: int,
    confidence_high: int,
    by: Actor,
) -> ProgrammeSettings:
    """The organisation's own benefit types and its confidence percentages.

    ``renames`` maps each own type to its new name, or to blank to remove it;
    ``added`` is a new type. A type some benefit uses cannot be removed (the
    refusal names them); a renamed type is renamed on its benefits too.
    Only this part's fields of the settings are written.
    """
    if not 0 <= confidence_low <= confidence_medium <= confidence_high <= 100:
        raise ServiceError(CONFIDENCE_OUT_OF_ORDER, field="confidence_low")
    settings = ProgrammeSettings.objects.select_for_update().filter(
        organisation=organisation
    ).first() or ProgrammeSettings(organisation=organisation)
    kept: list[str] = []
    moved: dict[str, str] = {}
    for old in settings.benefit_types:
        new = " ".join(renames.get(old, old).split())
        if not new:
            uses = selectors.benefit_type_uses(organisation=organisation, type=old)
            count = uses.count()
            if count:
                raise ServiceError(
                    TYPE_IN_USE.format(
                        type=old,
                        count=count,
                        plural="" if count == 1 else "s",
                        s="s" if count == 1 else "",
                        references=_names(list(uses[:NAMED]), count),
                    ),
                    field="types",
                )
            continue
        kept.append(new)
        if new != old:
            moved[old] = new
    added = " ".join(added.split())
    if added:
        kept.append(added)
    seen: set[str] = {kind.lower() for kind in BenefitType.values}
    for kind in kept:
        if kind.lower() in seen:
            raise ServiceError(TYPE_TAKEN.format(type=kind), field="types")
        seen.add(kind.lower())
    settings.benefit_types = kept
    settings.confidence_low = confidence_low
    settings.confidence_medium = confidence_medium
    settings.confidence_high = confidence_high
    attribute(settings, by)
    if settings.pk is None:
        settings.save()
    else:
        settings.save(
            update_fields=[
                "benefit_types",
                "confidence_low",
                "confidence_medium",
                "confidence_high",
            ]
        )
    for old, new in moved.items():
        renamed = list(selectors.benefit_type_uses(organisation=organisation, type=old))
        for benefit in renamed:
            benefit.type = new
        bulk_update_with_history(
            renamed,
            Benefit,
            ["type"],
            default_user=acting_user(by),
            default_change_reason=f"type renamed from {old}",
        )
    return settings
