"""When the next rechtmatigheidsonderzoek is due (pure functions, no Django).

The interval is the service level of the client's group (`rechtmatigheid_months`, 12 or 24
months). It counts from the last onderzoek held during the current benefit spell, or, when
none was held in it yet, from the spell's start: someone who left the benefit and came back
is looked at again one interval after the new start, not judged on an onderzoek of an
earlier benefit. A client whose group is not known yet (no diagnosis) gets the shortest
interval of the preset: the stricter choice while the group is unclear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from trede.utils.dates import add_months

OVERDUE, DUE_SOON, LATER = "te_laat", "binnenkort", "later"
STATUS_LABELS = {OVERDUE: "te laat", DUE_SOON: "binnenkort", LATER: "op tijd"}


@dataclass(frozen=True)
class Due:
    due_on: date
    months: int
    counted_from: date
    from_onderzoek: bool  # False: from the start of the benefit spell
    status: str
    days_late: int  # 0 unless overdue


def interval_months(group: str, months_by_group: Mapping[str, int]) -> int:
    """The group's interval; an unknown group gets the shortest one of the preset."""
    if group in months_by_group:
        return int(months_by_group[group])
    return min(int(m) for m in months_by_group.values())


def spell_start(benefits: Iterable[tuple[date, date | None]], on: date) -> date | None:
    """The start of the benefit spell running on `on`: benefits (start, end) that overlap
    or touch are one spell (the monitor's definition); None when none runs on `on`."""
    spans = sorted(benefits, key=lambda b: (b[0], b[1] or date.max))
    start = end = None
    found = None
    for b_start, b_end in spans:
        b_end = b_end or date.max
        if start is None or b_start > end:
            start, end = b_start, b_end
        else:
            end = max(end, b_end)
        if start <= on < end:
            found = start
    return found


def next_due(
    *,
    spell_from: date,
    held: Iterable[date],
    months: int,
    today: date,
    soon_days: int,
) -> Due:
    """The due date and its status on `today` (overdue: due before today; due soon: within
    `soon_days` days from today)."""
    in_spell = [d for d in held if d >= spell_from]
    counted_from = max(in_spell) if in_spell else spell_from
    due_on = add_months(counted_from, months)
    if due_on < today:
        status, late = OVERDUE, (today - due_on).days
    elif due_on <= today + timedelta(days=soon_days):
        status, late = DUE_SOON, 0
    else:
        status, late = LATER, 0
    return Due(due_on, months, counted_from, bool(in_spell), status, late)
