"""Sustained outflow, the draaideur and lasting placements: pure rules (decision 120).

The words are those of `interchange.md`'s core figures. A spell ends on E: from E on the
client has no benefit of the selected regulations, and a later spell starts after E (a
start on E would have joined the spell).

- An outflow to work is *sustained for k months* when the client's next spell starts on
  or after E + k months (`trede.utils.dates.add_months`): off benefit on every day of
  [E, E + k months). It is *observed* only when E + k months <= the day of the figures,
  so a recent outflow never counts as sustained or as not sustained before its time is up.
  A benefit of no days (end on its start) still opens a spell, as inflow counts it.
- The *draaideur* (herinstroom): a spell starting on S whose client's previous spell ended
  on or after S - W months (W the preset's `duurzaamheid.draaideur_months`); whether that
  previous spell ended with reason werk is counted beside it. The test is
  `trede.employers.placements.rules.returned_within`, the one the consultant's worklist
  uses for its draaideur line (decision 177).
- A placement *lasts k months* when it runs on every day of [start, start + k months):
  no end, or an end on or after start + k months; observed as outflows are.

- *Sustained outflow by CBS's definition* (CBS, "duurzame uitstroom naar werk"): a spell
  that ends on E, for any reason, counts when one month later the client is employed and
  has no new benefit; at 6 and 12 months (the preset's other horizons) the same question
  is asked on E + k months. Employed on a day means a placement recorded in Trede runs on
  it (start on or before the day, no end or an end on or after it): Trede has no payroll
  data (CBS uses the polisadministratie), so work nobody recorded is not seen. No new
  benefit means the next spell starts on or after E + k months, as for outflow to work.

Each is counted in the period its own day falls in: the outflow by E (as `trede monitor
flows` counts outflow), the new spell by S (as inflow), the placement by its start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from trede.employers.placements.rules import returned_within
from trede.utils.dates import add_months


@dataclass(frozen=True)
class Spell:
    client_id: str
    start: date
    end: date | None  # None: still running
    reason: str = ""  # the end reason, "" while running


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # exclusive


@dataclass
class Horizon:
    """Of the items of a period whose k months are up: how many lasted them."""

    months: int
    observed: int = 0
    lasted: int = 0


@dataclass
class DurabilityRow:
    period: Period
    count: int = 0  # outflows to work (or placements) in the period
    horizons: list[Horizon] = field(default_factory=list)


@dataclass
class DraaideurRow:
    period: Period
    inflow: int = 0
    returning: int = 0  # a previous spell ended at most W months before the start
    returning_after_work: int = 0  # ... and that spell ended with reason werk


def _period_of(day: date, periods: Sequence[Period]) -> Period | None:
    for period in periods:
        if period.start <= day < period.end:
            return period
    return None


def next_start_after(spells: Iterable[Spell]) -> dict[tuple[str, date], date | None]:
    """Per spell (client, start): the start of the client's next spell, None when none."""
    by_client: dict[str, list[Spell]] = {}
    for spell in spells:
        by_client.setdefault(spell.client_id, []).append(spell)
    following: dict[tuple[str, date], date | None] = {}
    for client_id, own in by_client.items():
        own.sort(key=lambda s: s.start)
        for i, spell in enumerate(own):
            following[(client_id, spell.start)] = own[i + 1].start if i + 1 < len(own) else None
    return following


def lasted(start: date, until: date | None, months: int, as_of: date) -> bool | None:
    """Whether something beginning on `start` held for `months` months when what ends it
    comes on `until` (None: not yet); None when those months are not up on `as_of`."""
    horizon = add_months(start, months)
    if horizon > as_of:
        return None
    return until is None or until >= horizon


def _durability(
    items: Iterable[tuple[date, date | None]], periods: Sequence[Period], horizons: Sequence[int], as_of: date
) -> list[DurabilityRow]:
    rows = {p.label: DurabilityRow(p, 0, [Horizon(k) for k in horizons]) for p in periods}
    for start, until in items:
        period = _period_of(start, periods)
        if period is None:
            continue
        row = rows[period.label]
        row.count += 1
        for horizon in row.horizons:
            held = lasted(start, until, horizon.months, as_of)
            if held is not None:
                horizon.observed += 1
                horizon.lasted += held
    return [rows[p.label] for p in periods]


def sustained_outflow(
    spells: Sequence[Spell], periods: Sequence[Period], horizons: Sequence[int], as_of: date
) -> list[DurabilityRow]:
    """Per period: outflows to work (spells ending with reason werk) and, per horizon, how
    many of those whose months are up stayed off benefit that long."""
    following = next_start_after(spells)
    items = (
        (s.end, following[(s.client_id, s.start)]) for s in spells if s.end is not None and s.reason == "werk"
    )
    return _durability(items, periods, horizons, as_of)


def employed_on(placements: Iterable[tuple[date, date | None]], day: date) -> bool:
    """Whether one of the placements runs on `day` (its end day still counts)."""
    return any(start <= day and (end is None or end >= day) for start, end in placements)


def cbs_sustained_outflow(
    spells: Sequence[Spell],
    placements_by_client: dict[str, list[tuple[date, date | None]]],
    periods: Sequence[Period],
    horizons: Sequence[int],
    as_of: date,
) -> list[DurabilityRow]:
    """Per period: every outflow (any end reason) and, per horizon k whose months are up,
    how many had no new spell before E + k months and were employed on E + k months."""
    following = next_start_after(spells)
    rows = {p.label: DurabilityRow(p, 0, [Horizon(k) for k in horizons]) for p in periods}
    for spell in spells:
        if spell.end is None:
            continue
        period = _period_of(spell.end, periods)
        if period is None:
            continue
        row = rows[period.label]
        row.count += 1
        next_start = following[(spell.client_id, spell.start)]
        own = placements_by_client.get(spell.client_id, ())
        for horizon in row.horizons:
            day = add_months(spell.end, horizon.months)
            if day > as_of:
                continue
            horizon.observed += 1
            horizon.lasted += (next_start is None or next_start >= day) and employed_on(own, day)
    return [rows[p.label] for p in periods]


def lasting_placements(
    placements: Iterable[tuple[date, date | None]],
    periods: Sequence[Period],
    horizons: Sequence[int],
    as_of: date,
) -> list[DurabilityRow]:
    """Per period: placements started and, per horizon, how many of those whose months are
    up were still running at the end of them."""
    return _durability(placements, periods, horizons, as_of)


def draaideur(spells: Sequence[Spell], periods: Sequence[Period], window_months: int) -> list[DraaideurRow]:
    """Per period: new spells (inflow) and those of clients whose previous spell ended at
    most `window_months` months before the new one started."""
    rows = {p.label: DraaideurRow(p) for p in periods}
    by_client: dict[str, list[Spell]] = {}
    for spell in spells:
        by_client.setdefault(spell.client_id, []).append(spell)
    for own in by_client.values():
        own.sort(key=lambda s: s.start)
        for i, spell in enumerate(own):
            period = _period_of(spell.start, periods)
            if period is None:
                continue
            row = rows[period.label]
            row.inflow += 1
            if i == 0:
                continue
            previous = own[i - 1]
            if previous.end is not None and returned_within(previous.end, spell.start, window_months):
                row.returning += 1
                row.returning_after_work += previous.reason == "werk"
    return [rows[p.label] for p in periods]
