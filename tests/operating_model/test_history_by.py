"""The operating model's services name their user with ``by``, bulk copies included."""

from __future__ import annotations

import pytest

from goldenthread.operating_model import services
from goldenthread.operating_model.models import Component
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_version_and_every_component_it_starts_with_name_their_maker() -> None:
    organisation = OrganisationFactory()
    maker = UserFactory(username="maker")
    version = services.version_create(organisation=organisation, title="TOM 2026", by=maker)
    assert version.history.get().history_user == maker
    components = Component.objects.filter(version=version)
    assert components.exists()
    users = set(
        Component.history.filter(version_id=version.pk).values_list(
            "history_user__username", flat=True
        )
    )
    assert users == {"maker"}
    component = components.first()
    pk = component.pk
    services.component_delete(component=component, by=maker)
    deleted = Component.history.get(id=pk, history_type="-")
    assert deleted.history_user == maker
