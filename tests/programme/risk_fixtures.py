"""Risks for the risk register's tests, built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from goldenthread.accounts.models import Organisation
from goldenthread.programme.models import Risk, RiskCategory
from goldenthread.programme.risks import services

TODAY = dt.date(2026, 3, 31)


def make_risk(organisation: Organisation, reference: str = "R1", **fields: Any) -> Risk:
    fields.setdefault("title", f"Risk {reference}")
    fields.setdefault("category", RiskCategory.FINANCIAL)
    fields.setdefault("inherent_likelihood", 4)
    fields.setdefault("inherent_impact", 4)
    fields.setdefault("residual_likelihood", 3)
    fields.setdefault("residual_impact", 3)
    fields.setdefault("by", None)
    return services.risk_create(organisation=organisation, reference=reference, **fields)
