"""The date rules of placements, pure (no Django; an import-linter contract keeps it so).

- Nazorg moments: `add_months(start, m)` for each m of the preset's `nazorg_months`
  (1, 3, 6 and 12). On a day the *open* moment is the latest that is due (its date on or
  before the day) when it has no contact yet: a missed moment is not asked any more once
  the next one is due (nobody holds the one-month contact in month four), and the last
  stays asked for `last_open_months` months. A proefplaatsing has no nazorg of its own: the
  contract that follows it has.
- A proefplaatsing lasts at most `max_months` (its end on or before start + max months)
  and is *followed* when the same client starts a placement that is no proefplaatsing at
  the same employer on or after the proefplaatsing's start and at most `follow_days` days
  after its end, planned for at least `min_months` (no end, or an end on or after its
  start + min months). Ended without one, it is on the worklist from its end until the
  consultant records how it ended (moment 0) or such a contract is recorded.
- The draaideur: back on benefit on `start` after something that ended on `ended` (a
  benefit spell that ended with reason werk, or a placement) when `ended` lies on or after
  start - window months and not after `start`. The monitor's figures count herinstroom by
  this same function (`trede.monitor.duurzaam.rules.draaideur`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from trede.utils.dates import add_months

PROEF_END_MOMENT = 0  # the NazorgContact moment of a proefplaatsing's end


def nazorg_moments(start: date, months: Sequence[int]) -> list[tuple[int, date]]:
    """(months, due date) of each nazorg moment, in order."""
    return [(m, add_months(start, m)) for m in sorted({int(m) for m in months if int(m) > 0})]


def nazorg_open(
    start: date, months: Sequence[int], done: Iterable[int], today: date, *, last_open_months: int
) -> tuple[int, date] | None:
    """The moment asked for on `today` (months, due date), or None."""
    moments = nazorg_moments(start, months)
    due = [(m, d) for m, d in moments if d <= today]
    if not due:
        return None
    m, d = due[-1]
    if m in set(done):
        return None
    if m == moments[-1][0] and today >= add_months(d, last_open_months):
        return None
    return m, d


@dataclass(frozen=True)
class Span:
    """A placement as the rules see it."""

    start: date
    end: date | None
    employer_id: str
    proef: bool


def proef_too_long(start: date, end: date | None, max_months: int) -> bool:
    return end is None or end > add_months(start, max_months)


def proef_followed(proef: Span, later: Iterable[Span], *, min_months: int, follow_days: int) -> bool:
    if proef.end is None:
        return False
    latest_start = proef.end + timedelta(days=follow_days)
    for span in later:
        if span.proef or span.employer_id != proef.employer_id:
            continue
        if not (proef.start <= span.start <= latest_start):
            continue
        if span.end is None or span.end >= add_months(span.start, min_months):
            return True
    return False


def returned_within(ended: date, start: date, window_months: int) -> bool:
    """Back on benefit on `start` at most `window_months` months after `ended` (draaideur)."""
    return add_months(start, -window_months) <= ended <= start


def spells_of(benefits: Iterable[tuple[date, date | None, str]]) -> list[tuple[date, date | None, str]]:
    """Benefits (start, end or None, end reason) joined into spells as the monitor joins them:
    a benefit starting on or before the spell's end continues it; the spell's end and reason
    are those of its last-ending benefit."""
    spells: list[list] = []
    for start, end, reason in sorted(benefits, key=lambda b: b[0]):
        if spells:
            current = spells[-1]
            if current[1] is None or start <= current[1]:
                if current[1] is not None and (end is None or end >= current[1]):
                    current[1], current[2] = end, reason if end is not None else ""
                continue
        spells.append([start, end, reason if end is not None else ""])
    return [tuple(s) for s in spells]
