"""The BUIG vangnet as one rule, pure Python (no Django).

Benefits (and loonkostensubsidie for people with an indication) are paid from the national
BUIG budget. A municipality whose spending exceeds it bears the deficit itself up to a
threshold, a percentage of its BUIG budget (its own risk, eigen risico); above that the
vangnetuitkering compensates part of the deficit: in a band up to a second percentage a
share of it, beyond that all of it. The percentages and the share live in the policy
preset (`buig_vangnet`, with their source), because the national rule changes by decree.
This is an indication for steering: the real vangnetuitkering is applied for afterwards
and has conditions this does not model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class VangnetRule:
    own_risk_pct: Decimal  # the deficit up to this share of the budget is the municipality's own
    band_to_pct: Decimal  # from own_risk_pct up to this share, band_share of the deficit is compensated
    band_share: Decimal  # 0-1
    source: str = ""

    @classmethod
    def of(cls, config: Mapping) -> VangnetRule:
        return cls(
            Decimal(str(config["own_risk_pct"])),
            Decimal(str(config["band_to_pct"])),
            Decimal(str(config["band_share"])),
            str(config.get("source", "")),
        )


@dataclass(frozen=True)
class Vangnet:
    budget: Decimal
    expected: Decimal  # spending expected for the whole year (the forecast)
    rule: VangnetRule

    @property
    def deficit(self) -> Decimal:
        return max(self.expected - self.budget, ZERO)

    @property
    def surplus(self) -> Decimal:
        return max(self.budget - self.expected, ZERO)

    @property
    def threshold(self) -> Decimal:
        """The deficit the municipality bears alone before the vangnet applies."""
        return self.budget * self.rule.own_risk_pct / HUNDRED

    @property
    def band_end(self) -> Decimal:
        return self.budget * self.rule.band_to_pct / HUNDRED

    @property
    def compensation(self) -> Decimal:
        """The expected vangnetuitkering."""
        in_band = min(max(self.deficit - self.threshold, ZERO), max(self.band_end - self.threshold, ZERO))
        beyond = max(self.deficit - max(self.band_end, self.threshold), ZERO)
        return in_band * self.rule.band_share + beyond

    @property
    def own_share(self) -> Decimal:
        """What of the deficit the municipality pays itself."""
        return self.deficit - self.compensation

    @property
    def deficit_pct(self) -> Decimal | None:
        return self.deficit * HUNDRED / self.budget if self.budget > 0 else None

    @property
    def over_threshold(self) -> bool:
        return self.deficit > self.threshold
