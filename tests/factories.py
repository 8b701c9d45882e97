"""factory_boy factories. They build through the services, as the application does."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from goldenthread.accounts import services as account_services
from goldenthread.accounts.models import Organisation, Role
from goldenthread.core import services as core_services
from goldenthread.core.models import UnitKind

PASSWORD = "a-long-test-password-93"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="en_GB")

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Any:
        return account_services.user_create(password=PASSWORD, **kwargs)


class OrganisationFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Organisation:
        return account_services.organisation_create(**kwargs)


def member(organisation: Organisation, role: str = Role.VIEWER, **user: Any) -> Any:
    """A new user who is a member of ``organisation`` with ``role``."""
    created = UserFactory(**user)
    account_services.membership_create(organisation=organisation, user=created, role=role)
    return created


class UnitFactory(factory.Factory):
    class Meta:
        model = dict

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = UnitKind.SERVICE
    parent = None

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Any:
        return core_services.unit_create(**kwargs)


def snapshot_of(
    organisation: Organisation,
    posts: Any,
    *,
    name: str = "As-is",
    status: str = "approved",
    kind: str = "as_is",
) -> Any:
    """A snapshot of ``posts``, each (post ID, reports to, title, unit path), by the service."""
    from goldenthread.formats.posts import PostTable, build_structure
    from goldenthread.structure import services as structure_services

    table = PostTable.from_lists(
        [p[0] for p in posts],
        [p[1] for p in posts],
        title=[p[2] for p in posts],
        unit=[p[3] for p in posts],
        source="test",
    )
    return structure_services.snapshot_create_from_structure(
        organisation=organisation,
        structure=build_structure(table).structure,
        name=name,
        status=status,
        kind=kind,
    )


#: A decision record, as a service that approves or promotes a scenario needs one.
DECISION: dict[str, Any] = {
    "decided_by": "Councillor Ann Lee, Leader of the Council",
    "body": "Cabinet",
    "decided_on": datetime.date(2025, 3, 14),
    "minute_reference": "Minute 52",
}
#: The same decision as the confirmation page's form sends it.
DECISION_FORM: dict[str, str] = {
    "decided_by": DECISION["decided_by"],
    "body": DECISION["body"],
    "decided_on_day": "14",
    "decided_on_month": "3",
    "decided_on_year": "2025",
    "minute_reference": DECISION["minute_reference"],
}
