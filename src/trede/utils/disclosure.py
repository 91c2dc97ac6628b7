"""Small cells: the one rule for counts shown to policy staff (role `beleid`).

A count of 1 to 4 people in a published table can point at a person ("the one IOAZ client
who is a single parent"), so such counts are shown as `<5` on every screen, chart and
download for roles that may only see suppressed figures (permission
`cijfers.alleen_afgeschermd` in `trede.accounts.permissions`). Zero is shown: it names nobody.

Derived values must not give a hidden cell back:

- Within a group of cells whose total is shown (a breakdown and its total, the outflow
  per reason and the outflow of that year, segments of an instrument and its overall
  starts), one hidden cell could be computed as total minus the others. When exactly one
  cell of such a group is hidden, the smallest other non-zero cell is hidden too
  (secondary suppression, as statistical offices do); then only the sum of the hidden cells
  is known, never one of them. `protect` does this.
- A share, a bar length, a rate or a chart point computed from a hidden count is hidden
  with it (callers take `hidden` from `protect` and blank those too).
- Across queries (two regulation choices, two adjacent peildata) a difference can still
  be taken; that is not prevented here (see docs/decisions.md).

`SMALL_CELL` is the threshold; `ESTIMATE_MIN_STARTS` is the stricter rule for an effect
estimate, which summarises the outcomes of the people it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .dutch import format_number

SMALL_CELL = 5  # counts 1 .. SMALL_CELL - 1 are hidden
SUPPRESSED = f"<{SMALL_CELL}"
# An effect estimate is the difference between the starters' outcome rate and that of
# comparable clients: with a handful of starters it tells what became of each of them.
# It is shown to policy staff only when it rests on at least this many starts.
ESTIMATE_MIN_STARTS = 10


def is_small(count: int | None) -> bool:
    """A count that names too few people to show: 1 to SMALL_CELL - 1."""
    return count is not None and 0 < count < SMALL_CELL


@dataclass(frozen=True)
class Protection:
    """Which cells of a group (and whether its total) are hidden."""

    hidden: tuple[bool, ...]
    total_hidden: bool

    def text(self, index: int, count: int) -> str:
        return SUPPRESSED if self.hidden[index] else format_number(count)

    def value(self, index: int, count: int) -> int | str:
        """For downloads: the count, or `<5`."""
        return SUPPRESSED if self.hidden[index] else count


def protect(counts: Sequence[int], *, total: int | None = None, suppress: bool = True) -> Protection:
    """The cells to hide in a group of counts that adds up to a shown `total`.

    `total` defaults to the sum of the counts. Primary: every count of 1-4. Secondary:
    when exactly one cell is hidden and the total is shown, the smallest other non-zero
    cell as well (the first of equals). With `suppress=False` nothing is hidden (roles that
    see the exact figures).
    """
    n = len(counts)
    if not suppress:
        return Protection((False,) * n, False)
    total = sum(counts) if total is None else total
    hidden = [is_small(c) for c in counts]
    total_hidden = is_small(total)
    if sum(hidden) == 1 and not total_hidden:
        others = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if others:
            hidden[min(others)[1]] = True
    return Protection(tuple(hidden), total_hidden)


def count_value(count: int, *, suppress: bool) -> int | str:
    """One count on its own (no group): the count, or `<5`."""
    return SUPPRESSED if suppress and is_small(count) else count


def count_text(count: int, *, suppress: bool) -> str:
    return SUPPRESSED if suppress and is_small(count) else format_number(count)
