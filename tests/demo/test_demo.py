from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from goldenthread.accounts.models import Membership, Organisation
from goldenthread.core.models import Unit
from goldenthread.demo.builder import BRACKENFORD_UNITS, DEMO_SLUG, demo_load

pytestmark = pytest.mark.django_db


def test_loading_the_demo_twice_duplicates_nothing_and_resets_the_password() -> None:
    demo_load(password="first-password-1")
    counts = (Organisation.objects.count(), Unit.objects.count(), Membership.objects.count())
    demo_load(password="second-password-2")
    assert (
        Organisation.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
    ) == counts
    user = get_user_model().objects.get(username="demo-viewer")
    assert user.check_password("second-password-2")


def test_the_demo_has_seed_000s_directorates_and_three_roles() -> None:
    organisation = demo_load(password="p-4a8b2c").organisation
    assert organisation.slug == DEMO_SLUG
    directorates = set(
        Unit.objects.filter(organisation=organisation, parent=None).values_list("name", flat=True)
    )
    assert {"People", "Place", "Resources"} <= directorates
    assert Unit.objects.filter(organisation=organisation).count() == len(BRACKENFORD_UNITS)
    roles = dict(
        Membership.objects.filter(organisation=organisation).values_list("user__username", "role")
    )
    assert roles == {"demo-admin": "admin", "demo-editor": "editor", "demo-viewer": "viewer"}


def test_the_management_command_prints_the_password(capsys, monkeypatch) -> None:
    from django.core.management import call_command

    monkeypatch.setenv("GOLDENTHREAD_DEMO_PASSWORD", "printed-pass-77")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo-admin" in out and "printed-pass-77" in out


def test_the_audit_trail_names_a_person_for_everything_the_demo_made() -> None:
    """The demo is built outside a request; its admin (and editor, for the scenario) made it."""
    from goldenthread.audit.selectors import audited_models

    organisation = demo_load(password="p-4a8b2c").organisation
    authors: dict[str, set[str | None]] = {}
    for model in audited_models():
        history = model.history.all()
        history = (
            history.filter(id=organisation.pk)
            if model is Organisation
            else history.filter(organisation_id=organisation.pk)
        )
        for username in history.values_list("history_user__username", flat=True).distinct():
            authors.setdefault(model._meta.label_lower, set()).add(username)
    assert authors["core.unit"] == {"demo-admin"}
    assert authors["accounts.organisation"] == {"demo-admin"}
    assert authors["operating_model.component"] == {"demo-admin"}
    assert authors["structure.snapshot"] == {"demo-admin", "demo-editor"}
    assert authors["structure.scenariochange"] == {"demo-editor"}
    assert None not in set().union(*authors.values())
