"""Amounts typed in forms are read as files are: the same grammar, nothing guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from goldenthread.accounts.forms import MoneyField


class _Form(forms.Form):
    cost = MoneyField(error_messages={"invalid": "Enter an amount", "max_value": "Too much"})


@pytest.mark.parametrize(
    ("typed", "read"),
    [("£22,500", "22500"), ("22500", "22500"), ("22,500.50", "22500.50"), (" 30000 ", "30000")],
)
def test_an_amount_is_read_with_pound_sign_and_thousands(typed: str, read: str) -> None:
    form = _Form({"cost": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cost"] == Decimal(read)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e9", "Enter an amount"),
        ("22.500,00", "Enter an amount"),
        ("inf", "Enter an amount"),
        ("NaN", "Enter an amount"),
        ("12,5", "Enter an amount"),
        ("10000000.01", "Too much"),
    ],
)
def test_an_amount_that_cannot_be_read_or_is_too_large_is_refused(typed: str, message: str) -> None:
    form = _Form({"cost": typed})
    assert not form.is_valid()
    assert form.errors["cost"] == [message]
