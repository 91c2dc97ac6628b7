"""Ceilings (plafonds) as one rule, pure Python: no Django, no database.

A ceiling is a volume (trajectories referred under a contract in its period) or an
amount of money (a contract's money ceiling; a budget line's budget). Its *use* is
compared with it in percent, against the thresholds of the policy preset
(`ceilings.warn_pct`, `ceilings.block_pct`; 90 and 100 in every preset, issue 9 point 4):

- `status`: `geen` (no ceiling), `binnen`, `waarschuwing` (use ≥ warn %), `blokkade`
  (use ≥ block %; a ceiling of 0 is always `blokkade`).
- `blocked`: an action that raises the use from `before` to `after` is refused when
  `after` lies above the block level. An action that does not raise the use (a recovery,
  a payment already committed) is never refused, and everything up to the block level
  itself is allowed: reaching exactly 100 % is fine, going beyond it is not. So once the
  status is `blokkade`, every further rise is refused.
- `money_use`: what a contract has used in money: everything paid for its trajectories
  (net of recoveries), plus for each trajectory running now what is still expected to be
  paid for it (expected cost minus what was paid, never below 0; decision 38's
  commitment, but for the whole contract, not one year). Paying what was committed leaves
  the use unchanged; paying more than expected raises it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

GEEN = "geen"
BINNEN = "binnen"
WAARSCHUWING = "waarschuwing"
BLOKKADE = "blokkade"
STATUS_LABELS = {
    GEEN: "geen plafond",
    BINNEN: "binnen het plafond",
    WAARSCHUWING: "boven de waarschuwingsgrens",
    BLOKKADE: "plafond bereikt",
}
GELD, VOLUME = "geld", "volume"
ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    warn_pct: Decimal
    block_pct: Decimal

    @classmethod
    def of(cls, config: Mapping) -> Thresholds:
        return cls(Decimal(str(config["warn_pct"])), Decimal(str(config["block_pct"])))


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def share_pct(use, ceiling) -> Decimal | None:
    """Use as a percentage of the ceiling; None without a ceiling or with a ceiling of 0."""
    if ceiling is None or _dec(ceiling) <= 0:
        return None
    return _dec(use) * HUNDRED / _dec(ceiling)


def status(use, ceiling, thresholds: Thresholds) -> str:
    if ceiling is None:
        return GEEN
    if _dec(ceiling) <= 0:
        return BLOKKADE
    pct = share_pct(use, ceiling)
    if pct >= thresholds.block_pct:
        return BLOKKADE
    if pct >= thresholds.warn_pct:
        return WAARSCHUWING
    return BINNEN


def block_level(ceiling, thresholds: Thresholds) -> Decimal | None:
    """The use from which nothing more is allowed (the ceiling itself at 100 %)."""
    if ceiling is None:
        return None
    return _dec(ceiling) * thresholds.block_pct / HUNDRED


def blocked(before, after, ceiling, thresholds: Thresholds) -> bool:
    if ceiling is None or _dec(after) <= _dec(before):
        return False
    return _dec(after) > block_level(ceiling, thresholds)


def room_needed(after, ceiling, thresholds: Thresholds) -> Decimal:
    """The smallest raise of the ceiling (whole cents, rounded up) that lets the use reach
    `after` without passing the block level: what an override must allow."""
    after, ceiling = _dec(after), _dec(ceiling)
    needed = after * HUNDRED / thresholds.block_pct - ceiling
    if needed <= 0:
        return ZERO
    return needed.quantize(CENT, rounding=ROUND_CEILING)


def money_use(paid: Mapping[str, Decimal], expected_running: Mapping[str, Decimal]) -> Decimal:
    """Paid per trajectory (net), plus what running trajectories are still expected to cost."""
    total = sum((_dec(v) for v in paid.values()), ZERO)
    for tid, expected in expected_running.items():
        total += max(_dec(expected) - _dec(paid.get(tid, ZERO)), ZERO)
    return total


@dataclass(frozen=True)
class Figures:
    """One ceiling and its use, now and (for a proposed action) after it."""

    subject: str  # the contract's reference or the budget line
    measure: str  # GELD or VOLUME
    use: Decimal
    ceiling: Decimal | None
    thresholds: Thresholds
    use_after: Decimal | None = None
    provider: str = ""  # the provider's name (contracts); the funding (budget lines)
    contract_pk: int | None = None
    year: int | None = None  # budget lines: the budget's year
    budget: Decimal | None = None  # budget lines: the budget alone (the ceiling adds allowed room)

    @property
    def status(self) -> str:
        return status(self.use, self.ceiling, self.thresholds)

    @property
    def status_after(self) -> str:
        return status(self.use if self.use_after is None else self.use_after, self.ceiling, self.thresholds)

    @property
    def share(self) -> Decimal | None:
        return share_pct(self.use, self.ceiling)

    @property
    def share_after(self) -> Decimal | None:
        return share_pct(self.use if self.use_after is None else self.use_after, self.ceiling)

    @property
    def blocked(self) -> bool:
        return self.use_after is not None and blocked(self.use, self.use_after, self.ceiling, self.thresholds)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
