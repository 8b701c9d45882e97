"""Benefits for the benefits part's tests, built through its services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from goldenthread.accounts.models import Role
from goldenthread.programme.benefits import services
from goldenthread.programme.models import Benefit, BenefitType
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.programme.factories import make_action, make_programme


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Havering Council", slug="havering")


@pytest.fixture
def other(db):
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


def as_role(client, organisation, role, username):
    member(organisation, role, username=username)
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(client, organisation):
    return as_role(client, organisation, Role.EDITOR, "ed")


@pytest.fixture
def viewer(client, organisation):
    return as_role(client, organisation, Role.VIEWER, "vi")


@pytest.fixture
def admin(client, organisation):
    return as_role(client, organisation, Role.ADMIN, "ad")


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, "Target Operating Model")


@pytest.fixture
def actions(programme):
    return [make_action(programme, reference=f"A-{n}", title=f"Action {n}") for n in range(1, 6)]


def add_benefit(organisation, reference: str, **fields: Any) -> Benefit:
    fields.setdefault("title", f"Benefit {reference}")
    fields.setdefault("type", BenefitType.PROCESS_EFFICIENCY)
    return services.benefit_create(
        organisation=organisation, reference=reference, by=None, **fields
    )


@pytest.fixture
def benefits(organisation, programme, actions):
    """24 benefits, every type, each with a two-year profile: B-01 to B-24."""
    made = []
    types = list(BenefitType.values)
    for n in range(1, 25):
        benefit = add_benefit(
            organisation,
            f"B-{n:02d}",
            title=f"Benefit number {n}",
            type=types[n % len(types)],
            owner="Head of Revenues" if n % 2 else "Head of Property",
            programme=programme,
            actions=[actions[n % 5].reference],
            confidence=("low", "medium", "high", "70%")[n % 4],
        )
        services.benefit_profile_update(
            benefit=benefit,
            years={
                2025: (Decimal(1000 * n) + Decimal("0.01"), Decimal(500 * n)),
                2026: (Decimal(2000 * n), None),
            },
            by=None,
        )
        made.append(benefit)
    return made


__all__ = [
    "actions",
    "add_benefit",
    "admin",
    "as_role",
    "benefits",
    "editor",
    "organisation",
    "other",
    "programme",
    "viewer",
]
