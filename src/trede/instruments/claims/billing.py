"""Prestatiefinanciering as plain functions (no database): which invoice lines a trajectory
has earned under its contract's terms on a day, so that nothing is paid twice.

A line is keyed by (trajectory, kind, seq). Under a contract a trajectory earns:

- `trajectprijs`: the trajectory fee, once, due on the start date;
- `termijn`: one instalment per started month, month m starting on start + (m - 1)
  months, up to the contract's number of instalments and not after the end date (the last
  day of the trajectory; a month that starts on it counts);
- `resultaat`: the result fee, once, when the trajectory ended with result `geslaagd`;
- `terugvordering`: when it ended without the result (`niet_geslaagd`, `voortijdig_gestopt`)
  and the contract says so, a recovery (a negative line) of a fixed amount or of a share
  of what was paid, never more than was paid for this trajectory net of earlier recoveries.
  What was paid is an input (`paid`), because a provider may claim late: a recovery is
  then topped up by a further line (seq 2, 3, …) when more is paid, never beyond the rule.

`invoice_lines` returns every line the trajectory has earned by `as_of` that is not in
`settled` (the keys already on a claim that was not rejected), so calling it again after a
claim never yields a line twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from trede.utils.dates import add_months

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

TRAJECTPRIJS = "trajectprijs"
TERMIJN = "termijn"
RESULTAAT = "resultaat"
TERUGVORDERING = "terugvordering"

SUCCESS = "geslaagd"
FAILURES = frozenset({"niet_geslaagd", "voortijdig_gestopt"})


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ContractTerms:
    """The money terms of a contract (amounts in euros; None = not part of the contract)."""

    trajectory_fee: Decimal | None = None
    instalment: Decimal | None = None
    instalments: int = 0
    result_fee: Decimal | None = None
    repayment: str = "geen"  # geen | bedrag | aandeel
    repayment_amount: Decimal | None = None
    repayment_pct: Decimal | None = None  # 0-100

    @classmethod
    def of(cls, contract) -> ContractTerms:
        return cls(
            trajectory_fee=contract.trajectory_fee_eur,
            instalment=contract.instalment_eur,
            instalments=contract.instalments or 0,
            result_fee=contract.result_fee_eur,
            repayment=contract.repayment,
            repayment_amount=contract.repayment_eur,
            repayment_pct=contract.repayment_pct,
        )


@dataclass(frozen=True)
class TrajectoryEvents:
    """What happened to a trajectory as far as money goes: its start and its end with result."""

    trajectory_id: str
    start_date: date | None = None
    end_date: date | None = None
    result: str = ""

    @classmethod
    def of(cls, trajectory) -> TrajectoryEvents:
        return cls(
            trajectory_id=str(trajectory.pk),
            start_date=trajectory.start_date,
            end_date=trajectory.end_date,
            result=trajectory.result or "",
        )


Key = tuple[str, str, int]


@dataclass(frozen=True)
class Line:
    trajectory_id: str
    kind: str
    seq: int
    due_date: date
    amount: Decimal

    @property
    def key(self) -> Key:
        return (self.trajectory_id, self.kind, self.seq)


def _positive(value: Decimal | None) -> bool:
    return value is not None and value > 0


def earned_positive(terms: ContractTerms, events: TrajectoryEvents, as_of: date) -> list[Line]:
    """The fee, instalments and result fee the trajectory has earned by `as_of`."""
    lines: list[Line] = []
    start, tid = events.start_date, events.trajectory_id
    if start is None or start > as_of:
        return lines
    if _positive(terms.trajectory_fee):
        lines.append(Line(tid, TRAJECTPRIJS, 0, start, cents(terms.trajectory_fee)))
    if _positive(terms.instalment):
        last_day = as_of if events.end_date is None else min(as_of, events.end_date)
        for month in range(1, terms.instalments + 1):
            first = add_months(start, month - 1)
            if first > last_day:
                break
            lines.append(Line(tid, TERMIJN, month, first, cents(terms.instalment)))
    ended = events.end_date is not None and events.end_date <= as_of
    if ended and events.result == SUCCESS and _positive(terms.result_fee):
        lines.append(Line(tid, RESULTAAT, 0, events.end_date, cents(terms.result_fee)))
    return lines


def recovery_target(terms: ContractTerms, paid_positive: Decimal) -> Decimal:
    """What the contract's rule asks back of a failed trajectory, given what was paid for
    it, never more than that."""
    if terms.repayment == "bedrag" and terms.repayment_amount is not None:
        target = cents(terms.repayment_amount)
    elif terms.repayment == "aandeel" and terms.repayment_pct is not None:
        target = cents(paid_positive * terms.repayment_pct / 100)
    else:
        target = ZERO
    return max(ZERO, min(target, paid_positive))


def invoice_lines(
    terms: ContractTerms,
    events: TrajectoryEvents,
    as_of: date,
    *,
    settled: Iterable[Key] = (),
    paid: Mapping[Key, Decimal] | None = None,
) -> list[Line]:
    """The lines due on `as_of` that are not settled yet (see the module docstring).

    `settled`: keys already on a claim that was not rejected. `paid`: key → amount of the
    lines of this trajectory that were paid (approved), recoveries negative.
    """
    settled_keys = set(settled)
    paid = dict(paid or {})
    due = [line for line in earned_positive(terms, events, as_of) if line.key not in settled_keys]
    ended = events.end_date is not None and events.end_date <= as_of
    if ended and events.result in FAILURES and terms.repayment != "geen":
        mine = {k: v for k, v in paid.items() if k[0] == events.trajectory_id}
        paid_positive = sum((v for k, v in mine.items() if k[1] != TERUGVORDERING), ZERO)
        # Recoveries already asked, paid or still on a claim, count against the target.
        recovery_keys = {
            k for k in [*mine, *settled_keys] if k[0] == events.trajectory_id and k[1] == TERUGVORDERING
        }
        asked = -sum((mine.get(k, ZERO) for k in recovery_keys), ZERO)
        pending = any(k not in mine for k in recovery_keys)
        missing = recovery_target(terms, paid_positive) - asked
        if missing > 0 and not pending:
            seq = max((k[2] for k in recovery_keys), default=0) + 1
            due.append(Line(events.trajectory_id, TERUGVORDERING, seq, events.end_date, -missing))
    return due


def contract_total(terms: ContractTerms, events: TrajectoryEvents, as_of: date) -> Decimal:
    """The oracle: what the contract says a trajectory costs on `as_of` when every line
    was claimed and paid as soon as it was due."""
    positive = sum((line.amount for line in earned_positive(terms, events, as_of)), ZERO)
    ended = events.end_date is not None and events.end_date <= as_of
    if ended and events.result in FAILURES:
        return positive - recovery_target(terms, positive)
    return positive
