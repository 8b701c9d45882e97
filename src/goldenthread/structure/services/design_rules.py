"""An organisation's design rules: the target spans and layers its structure is checked against."""

from __future__ import annotations

from django.db import transaction

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.services import Actor, ServiceError, attribute, require_role
from goldenthread.structure.models import DesignRuleSet

SPAN_BAND_ORDER = "The lowest target span must not be more than the highest"
NARROW_ABOVE_TARGET = "A narrow span must be below the lowest target span"


@transaction.atomic
def design_rules_update(
    *,
    organisation: Organisation,
    target_span_min: int,
    target_span_max: int,
    narrow_span_max: int,
    max_layers: int | None,
    by: Actor = None,
) -> DesignRuleSet:
    """Set the organisation's design rules: admins only, as every dashboard is measured by them."""
    require_role(organisation=organisation, by=by, role=Role.ADMIN)
    if target_span_min > target_span_max:
        raise ServiceError(SPAN_BAND_ORDER, field="target_span_min")
    if narrow_span_max >= target_span_min:
        raise ServiceError(NARROW_ABOVE_TARGET, field="narrow_span_max")
    rules = DesignRuleSet.objects.filter(organisation=organisation).first() or DesignRuleSet(
        organisation=organisation
    )
    rules.target_span_min = target_span_min
    rules.target_span_max = target_span_max
    rules.narrow_span_max = narrow_span_max
    rules.max_layers = max_layers
    attribute(rules, by)
    rules.save()
    return rules
