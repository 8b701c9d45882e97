"""An organisation's programme settings, read with their defaults."""

from __future__ import annotations

from goldenthread.accounts.models import Organisation

from .models import ProgrammeSettings


def programme_settings(*, organisation: Organisation) -> ProgrammeSettings:
    """The organisation's settings; the defaults (unsaved) when it has changed none."""
    found = ProgrammeSettings.objects.filter(organisation=organisation).first()
    return found if found is not None else ProgrammeSettings(organisation=organisation)
