"""Helpers every app's forms and views share."""

from __future__ import annotations

from typing import Protocol

from django import forms


class _RefusedWrite(Protocol):
    message: str
    field: str | None


def apply_service_error(form: forms.Form, error: _RefusedWrite) -> None:
    """Show a refused write on the form: on its field when it names one, else on the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
