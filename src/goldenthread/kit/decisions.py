"""A decision record: who decided, the body or delegation, the date and the minute.

Formal decisions (a TOM adopted, a scenario approved or made the as-is) are
recorded the same way in every module: a module's decision model subclasses
:class:`DecisionRecord`, its confirmation page shows :class:`DecisionForm`,
and its service checks what was entered with :func:`decision_values` before
saving, so a caller that skips the form is refused the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.dateformat import format as date_format

from goldenthread.accounts.services import ServiceError

from .dates import DateInputField

__all__ = [
    "BODY_NEEDED",
    "DECIDED_BY_NEEDED",
    "DECIDED_IN_FUTURE",
    "DECIDED_ON_NEEDED",
    "DECISION_FIELDS",
    "MINUTE_NEEDED",
    "DecisionForm",
    "DecisionRecord",
    "decision_values",
]

DECIDED_BY_NEEDED = "Enter who made the decision, for example “Councillor Ann Lee, Leader”"
BODY_NEEDED = "Enter the body or delegation, for example “Cabinet”"
DECIDED_ON_NEEDED = "Enter the date of the decision"
DECIDED_IN_FUTURE = "The date of the decision must be today or in the past"
MINUTE_NEEDED = "Enter the minute or decision reference, for example “Minute 52”"
#: The fields a decision record holds, in the order the form asks for them.
DECISION_FIELDS = ("decided_by", "body", "decided_on", "minute_reference")


class DecisionRecord(models.Model):
    """The fields of a decision; a module's decision model adds what was decided."""

    decided_by = models.CharField("decided by", max_length=200)
    body = models.CharField("body or delegation", max_length=200)
    decided_on = models.DateField("date of the decision")
    minute_reference = models.CharField("minute or decision reference", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def summary(self) -> str:
        """One line naming the decision: “Cabinet, 14 March 2025, minute 52 (Ann Lee)”."""
        when = date_format(self.decided_on, "j F Y")
        return f"{self.body}, {when}, {self.minute_reference} ({self.decided_by})"


class DecisionForm(forms.Form):
    decided_by = forms.CharField(
        max_length=200,
        label="Who made the decision",
        help_text="A person's name or role, for example “Councillor Ann Lee, Leader of the "
        "Council” or “Chief Executive”.",
        error_messages={"required": DECIDED_BY_NEEDED},
    )
    body = forms.CharField(
        max_length=200,
        label="Body or delegation",
        help_text="For example “Cabinet”, “Portfolio Holder delegated decision” or "
        "“Chief Executive delegated decision”.",
        error_messages={"required": BODY_NEEDED},
    )
    decided_on = DateInputField(
        label="Date of the decision",
        enter=DECIDED_ON_NEEDED,
        help_text="For example, 14 3 2025",
    )
    minute_reference = forms.CharField(
        max_length=200,
        label="Minute or decision reference",
        help_text="The minute of the meeting, or the reference of the delegated decision "
        "record, for example “Minute 52” or “ODR 2025/14”.",
        error_messages={"required": MINUTE_NEEDED},
    )


def decision_values(
    *, decided_by: str, body: str, decided_on: dt.date | None, minute_reference: str
) -> dict[str, Any]:
    """The decision's fields, trimmed and checked; a missing one is refused on its field."""
    values: dict[str, Any] = {}
    for name, value, message in (
        ("decided_by", decided_by, DECIDED_BY_NEEDED),
        ("body", body, BODY_NEEDED),
    ):
        values[name] = (value or "").strip()[:200]
        if not values[name]:
            raise ServiceError(message, field=name)
    if decided_on is None:
        raise ServiceError(DECIDED_ON_NEEDED, field="decided_on")
    if decided_on > dt.date.today():
        raise ServiceError(DECIDED_IN_FUTURE, field="decided_on")
    values["decided_on"] = decided_on
    values["minute_reference"] = (minute_reference or "").strip()[:200]
    if not values["minute_reference"]:
        raise ServiceError(MINUTE_NEEDED, field="minute_reference")
    return values
