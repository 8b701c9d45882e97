"""The organisation's redundancy cost per grade band, used by structure comparisons."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.services import Actor, ServiceError, attribute, require_role
from goldenthread.structure.models import RedundancyBand

GRADE_NEEDED = "Enter the grade"
GRADE_TAKEN = "There is already a band for the grade {grade}"
COST_NEGATIVE = "The cost of a redundancy cannot be negative"


def _check(band: RedundancyBand) -> None:
    band.grade = band.grade.strip()[:120]
    if not band.grade:
        raise ServiceError(GRADE_NEEDED, field="grade")
    if band.cost is None or Decimal(band.cost) < 0:
        raise ServiceError(COST_NEGATIVE, field="cost")
    taken = RedundancyBand.objects.filter(
        organisation_id=band.organisation_id, grade__iexact=band.grade
    ).exclude(pk=band.pk)
    if taken.exists():
        raise ServiceError(GRADE_TAKEN.format(grade=band.grade), field="grade")


@transaction.atomic
def redundancy_band_create(
    *, organisation: Organisation, grade: str, cost: Decimal, by: Actor
) -> RedundancyBand:
    """Add the cost of a redundancy for one grade; only an admin, as for the flat cost."""
    require_role(organisation=organisation, by=by, role=Role.ADMIN)
    band = RedundancyBand(organisation=organisation, grade=grade, cost=cost)
    _check(band)
    attribute(band, by)
    band.save()
    return band


@transaction.atomic
def redundancy_band_update(
    *, band: RedundancyBand, grade: str, cost: Decimal, by: Actor
) -> RedundancyBand:
    require_role(organisation=band.organisation, by=by, role=Role.ADMIN)
    band.grade, band.cost = grade, cost
    _check(band)
    attribute(band, by)
    band.save()
    return band


@transaction.atomic
def redundancy_band_delete(*, band: RedundancyBand, by: Actor) -> None:
    require_role(organisation=band.organisation, by=by, role=Role.ADMIN)
    attribute(band, by)
    band.delete()
