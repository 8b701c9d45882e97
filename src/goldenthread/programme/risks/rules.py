"""An organisation's rules for its risks, read once from its programme settings.

The categories it may choose from, the matrix that scores likelihood and
impact, its bands and how often a risk in each is reviewed. Every page and
service that scores a risk reads them through :func:`risk_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from goldenthread.accounts.models import Organisation
from goldenthread.analysis import risks as scoring
from goldenthread.programme.models import ProgrammeSettings, RiskCategory
from goldenthread.programme.preferences import programme_settings

__all__ = ["RiskRules", "bands_from", "risk_rules", "rules_of"]


def bands_from(stored: Sequence[dict[str, Any]]) -> tuple[scoring.Band, ...]:
    """The bands as the settings store them (``name``, ``from``, ``to``, ``review_days``)."""
    return tuple(
        scoring.Band(
            name=str(band.get("name", "")),
            low=int(band.get("from", 0)),
            high=int(band.get("to", 0)),
            review_days=int(band["review_days"]) if band.get("review_days") else None,
        )
        for band in stored
    )


@dataclass(frozen=True)
class RiskRules:
    """What an organisation has set for its risks."""

    own_categories: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]
    bands: tuple[scoring.Band, ...]
    default_days: int

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category a risk may have: the standard ones, then the organisation's own."""
        return (*RiskCategory.values, *self.own_categories)

    def score(self, likelihood: int, impact: int) -> int:
        return scoring.score(likelihood, impact, self.matrix)

    def band(self, score: int) -> scoring.Band | None:
        return scoring.band_of(self.bands, score)

    def band_name(self, score: int) -> str:
        band = self.band(score)
        return band.name if band is not None else ""

    def band_position(self, score: int) -> int:
        """The band's place from the lowest (0), for its colour; -1 for none."""
        band = self.band(score)
        return self.bands.index(band) if band is not None else -1

    def review_days(self, score: int, own: int | None = None) -> int:
        """Days between reviews: the risk's own frequency, else its band's, else the default."""
        if own:
            return own
        return scoring.review_days(self.bands, score, default=self.default_days)


def rules_of(settings: ProgrammeSettings) -> RiskRules:
    matrix = tuple(tuple(int(cell) for cell in row) for row in (settings.risk_matrix or ()))
    return RiskRules(
        own_categories=tuple(str(name) for name in (settings.risk_categories or ())),
        matrix=matrix,
        bands=bands_from(settings.risk_bands or ()),
        default_days=settings.review_days,
    )


def risk_rules(*, organisation: Organisation) -> RiskRules:
    """The organisation's risk rules (one query), with the defaults where it has set none."""
    return rules_of(programme_settings(organisation=organisation))
