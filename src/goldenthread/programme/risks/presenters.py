"""What the risk pages show, shaped for their templates: the heat map, a summary, a trend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from goldenthread.analysis import risks as scoring
from goldenthread.programme.models import Risk, RiskReview, RiskStatus

from .rules import RiskRules
from .selectors import HeatMap
from .tables import band_colour

__all__ = ["cause_event_effect", "heat_map_grid", "review_trend", "risk_summary"]

LIKELIHOOD_WORDS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_WORDS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}

#: The trend chart's size in its own units; the page scales it to its column.
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 300, 100, 10


def heat_map_grid(
    heat_map: HeatMap,
    rules: RiskRules,
    *,
    register_url: str,
    toggle_url: str,
    programme: Any = None,
) -> dict[str, Any]:
    """The 5×5 grid: likelihood 5 in the top row, impact 1 first; each count links to its risks."""
    prefix = "inherent-" if heat_map.inherent else ""
    rows = []
    for likelihood in reversed(scoring.SCALE):
        cells = []
        for impact in scoring.SCALE:
            value = rules.score(likelihood, impact)
            query: dict[str, Any] = {
                "status": RiskStatus.OPEN,
                f"{prefix}likelihood": likelihood,
                f"{prefix}impact": impact,
            }
            if programme is not None:
                query["programme"] = programme.pk
            count = heat_map.count(likelihood, impact)
            cells.append(
                {
                    "impact": impact,
                    "count": count,
                    "score": value,
                    "band": rules.band_name(value),
                    "colour": band_colour(rules.band_position(value)),
                    "href": f"{register_url}?{urlencode(query)}" if count else "",
                }
            )
        rows.append(
            {"likelihood": likelihood, "words": LIKELIHOOD_WORDS[likelihood], "cells": cells}
        )
    return {
        "inherent": heat_map.inherent,
        "which": "inherent" if heat_map.inherent else "residual",
        "rows": rows,
        "impacts": [(impact, IMPACT_WORDS[impact]) for impact in scoring.SCALE],
        "total": heat_map.total,
        "toggle_url": toggle_url,
        "programme": programme.name if programme is not None else "",
        "bands": [
            {"name": band.name, "low": band.low, "high": band.high, "colour": band_colour(i)}
            for i, band in enumerate(rules.bands)
        ],
    }


def cause_event_effect(risk: Risk) -> str:
    """The risk in one sentence: "If … then … resulting in …", from the parts it has."""
    parts = []
    if risk.cause:
        parts.append(f"If {_lower_first(risk.cause)}")
    if risk.event:
        parts.append(f"then {_lower_first(risk.event)}" if parts else risk.event)
    if risk.effect:
        parts.append(f"resulting in {_lower_first(risk.effect)}")
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] if sentence else ""


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def risk_summary(risk: Risk, rules: RiskRules, *, today: dt.date) -> dict[str, Any]:
    inherent = rules.score(risk.inherent_likelihood, risk.inherent_impact)
    days = rules.review_days(risk.residual_score, risk.review_days)
    if risk.review_days:
        frequency = f"Every {days} days (set for this risk)"
    else:
        band = rules.band_name(risk.residual_score)
        frequency = f"Every {days} days (the frequency for {band or 'every'} risks)"
    return {
        "statement": cause_event_effect(risk),
        "inherent": inherent,
        "inherent_band": rules.band_name(inherent),
        "inherent_colour": band_colour(rules.band_position(inherent)),
        "residual": risk.residual_score,
        "residual_band": rules.band_name(risk.residual_score),
        "residual_colour": band_colour(rules.band_position(risk.residual_score)),
        "frequency": frequency,
        "overdue": risk.status == RiskStatus.OPEN
        and risk.next_review_on is not None
        and risk.next_review_on < today,
    }


def review_trend(risk: Risk, reviews: Sequence[RiskReview], rules: RiskRules) -> dict[str, Any]:
    """The reviews in date order, with a line of their scores for the chart beside the table."""
    rows = [
        {
            "review": review,
            "band": rules.band_name(review.score),
            "colour": band_colour(rules.band_position(review.score)),
        }
        for review in reviews
    ]
    points = []
    if len(reviews) > 1:
        step = (CHART_WIDTH - 2 * CHART_PAD) / (len(reviews) - 1)
        span = CHART_HEIGHT - 2 * CHART_PAD
        for index, review in enumerate(reviews):
            x = CHART_PAD + index * step
            y = CHART_PAD + span * (1 - (review.score - 1) / (scoring.TOP_SCORE - 1))
            points.append((round(x, 1), round(y, 1)))
    first, last = (reviews[0].score, reviews[-1].score) if reviews else (0, 0)
    if len(reviews) < 2 or first == last:
        direction = "unchanged"
    else:
        direction = "risen" if last > first else "fallen"
    return {
        "rows": rows,
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": points,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "summary": (
            f"From {first} to {last} over {len(reviews)} reviews: {direction}."
            if len(reviews) > 1
            else ""
        ),
    }
