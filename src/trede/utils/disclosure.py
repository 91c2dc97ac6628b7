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
    if any(hidden) and not total_hidden and total == sum(counts):
        # The hidden cells' sum is the total minus the shown ones; [1, 1, 5] of 7 hides
        # both 1s, whose sum 2 then makes each exactly 1. The table routine proves every
        # hidden cell's range with a linear programme and hides more until none is fixed.
        status = protect_table([list(counts)], row_totals=True, column_totals=False).status[0]
        hidden = [h or bool(s) for h, s in zip(hidden, status[:n], strict=True)]
        total_hidden = bool(status[n])
    return Protection(tuple(hidden), total_hidden)


def count_value(count: int, *, suppress: bool) -> int | str:
    """One count on its own (no group): the count, or `<5`."""
    return SUPPRESSED if suppress and is_small(count) else count


def count_text(count: int, *, suppress: bool) -> str:
    return SUPPRESSED if suppress and is_small(count) else format_number(count)


# --------------------------------------------------------------------------- tables with margins

# How a published table cell is marked: a count, "<5" (primary), "x" (secondary) or None.
SECONDARY = "x"


@dataclass(frozen=True)
class TableProtection:
    """Which cells of a table with margins are hidden, and why.

    `status[i][j]` for the grid including its margins (the row totals as the last column,
    the column totals as the last row, when the table has them): "" shown, `SUPPRESSED`
    (a count of 1-4) or `SECONDARY` (hidden to protect another cell).
    """

    status: tuple[tuple[str, ...], ...]

    def hidden(self, i: int, j: int) -> bool:
        return bool(self.status[i][j])

    def value(self, i: int, j: int, count: int | None) -> int | str | None:
        """For the published table: the count, `<5`, `x`, or None (not applicable)."""
        return self.status[i][j] or count


def table_grid(cells: Sequence[Sequence[int | None]], *, row_totals: bool, column_totals: bool) -> list[list]:
    """The table with its margins appended (None counts as 0 in totals)."""
    grid = [list(row) + ([sum(c or 0 for c in row)] if row_totals else []) for row in cells]
    if column_totals and grid:
        grid.append([sum(row[j] or 0 for row in grid) for j in range(len(grid[0]))])
    return grid


def table_lines(n_rows: int, n_cols: int, *, row_totals: bool, column_totals: bool) -> list[list[tuple]]:
    """The additive relations of a grid with margins: each line is its cells, the total last."""
    lines = []
    if row_totals:
        lines += [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    if column_totals:
        lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return lines


def feasible_range(grid, status, lines, cell) -> tuple[float, float]:
    """The least and greatest value a hidden cell can take given everything published:
    shown cells fixed, `<5` cells in 1..4, `x` cells >= 0, every line adding up.

    The constraint matrix of a table with margins is totally unimodular, so both ends of
    the range are integers: a range with min < max holds at least two whole numbers.
    """
    if len(lines) == 1:
        return _one_line_range(grid, status, lines[0], cell)
    return _extreme(grid, status, lines, cell, sign=1.0), _extreme(grid, status, lines, cell, sign=-1.0)


def _extreme(grid, status, lines, cell, *, sign: float) -> float:
    """The least (sign 1) or greatest (sign -1) value of a hidden cell, by linear programme."""
    from scipy.optimize import linprog  # only when a table is published

    hidden = [(i, j) for i, row in enumerate(status) for j, s in enumerate(row) if s]
    index = {c: k for k, c in enumerate(hidden)}
    a_eq, b_eq = [], []
    for line in lines:
        *parts, total = line
        coeffs = [0.0] * len(hidden)
        rhs = 0.0
        for c, line_sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if c in index:
                coeffs[index[c]] += line_sign
            else:
                rhs -= line_sign * (grid[c[0]][c[1]] or 0)
        if any(coeffs):
            a_eq.append(coeffs)
            b_eq.append(rhs)
    bounds = [(1, SMALL_CELL - 1) if status[i][j] == SUPPRESSED else (0, None) for i, j in hidden]
    target = [0.0] * len(hidden)
    target[index[cell]] = sign
    result = linprog(target, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    # Not solved: unbounded (an `x` cell under an `x` total can be anything above its
    # share), so the minimum goes to -inf and the maximum to +inf, never the reverse.
    if result.status != 0:
        return float("inf") if sign < 0 else float("-inf")
    return sign * result.fun


def _bounds(status: str) -> tuple[float, float]:
    return (1, SMALL_CELL - 1) if status == SUPPRESSED else (0, float("inf"))


def _one_line_range(grid, status, line, cell) -> tuple[float, float]:
    """`feasible_range` for one line (a group with its total, as `protect` publishes):
    the same interval as the linear programme, in closed form. The line says
    sum(parts) - total = 0; with every other hidden value in its bounds, the cell is what
    the rest leaves over. The dashboard protects a hundred such rows per page, and a
    solver call each took seconds."""
    *parts, total = line
    signs = [(c, 1) for c in parts] + [(total, -1)]
    known = sum(sign * (grid[c[0]][c[1]] or 0) for c, sign in signs if not status[c[0]][c[1]])
    mine = next(sign for c, sign in signs if c == cell)
    low_rest = high_rest = 0.0  # the range of sum(sign * value) over the other hidden cells
    for c, sign in signs:
        if c == cell or not status[c[0]][c[1]]:
            continue
        low, high = _bounds(status[c[0]][c[1]])
        low_rest += min(sign * low, sign * high)
        high_rest += max(sign * low, sign * high)
    # mine * x + rest + known = 0  =>  x = -mine * (rest + known)
    ends = sorted((-mine * (low_rest + known), -mine * (high_rest + known)))
    low, high = _bounds(status[cell[0]][cell[1]])
    return max(low, ends[0]), min(high, ends[1])


def protect_table(
    cells: Sequence[Sequence[int | None]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    suppress: bool = True,
) -> TableProtection:
    """Primary and complementary suppression for a table published with its margins.

    Primary: every count of 1-4, margins included. Secondary, as `protect` does for one
    group: in every line (a row or column together with its total) with exactly one
    hidden cell, the smallest other non-zero cell is hidden too (an inner cell before a
    total; the value is weighed by what hiding it costs elsewhere: a cell whose other line
    already holds one hidden cell closes that line too and counts once, one whose other
    line holds none counts three times, as it opens a new line; the first of equals);
    repeated until no line has a single hidden cell. Then
    every hidden cell is checked with a linear programme (`feasible_range`): if the
    published figures fix its value, the smallest shown non-zero cell of one of its lines is
    hidden as well (or, if none is left, the smallest shown one of the table), and the
    check runs again (when nothing at all is left to hide, a `<5` total is marked `x`,
    see below). Zeros stay shown (they name nobody) and count as
    known.

    A one-row table with only its row total hides what `protect` hides, and more when
    `protect` would leave a cell fixed ([1, 1, 5] with total 7: both 1s are exactly 1, so
    the 5 is hidden as well).
    """
    grid = table_grid(cells, row_totals=row_totals, column_totals=column_totals)
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    status = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    if not suppress or not n_cols:
        return TableProtection(tuple(tuple(r) for r in status))
    lines = table_lines(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    totals = {line[-1] for line in lines}
    for i in range(n_rows):
        for j in range(n_cols):
            if is_small(grid[i][j]):
                status[i][j] = SUPPRESSED

    through: dict[tuple, list] = {}
    for line in lines:
        for c in line:
            through.setdefault(c, []).append(line)

    def cost(cell, line) -> int:
        # Hiding a cell whose other line already has one hidden cell protects both at
        # once; one whose other line has none starts a new unprotected line.
        hidden_in = [sum(1 for i, j in other if status[i][j]) for other in through[cell] if other is not line]
        return sum(0 if h == 1 else 1 if h > 1 else 2 for h in hidden_in)

    def hide_smallest(line) -> bool:
        # An inner cell before a total; then the least weighted value (a cell that starts
        # a new unprotected line weighs three times, half-way twice); then the first.
        shown = [
            (c in totals, grid[c[0]][c[1]] * (1 + cost(c, line)), k, c)
            for k, c in enumerate(line)
            if not status[c[0]][c[1]] and (grid[c[0]][c[1]] or 0) > 0
        ]
        if not shown:
            return False
        i, j = min(shown)[3]
        status[i][j] = SECONDARY
        return True

    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for i, j in line if status[i][j]) == 1 and hide_smallest(line):
                changed = True
    loose: set = set()
    while True:
        exact = _first_exact(grid, status, lines, loose)
        if exact is None:
            break
        mine = [line for line in lines if exact in line]
        if any(hide_smallest(line) for line in mine):
            continue
        # Nothing left to hide in its own lines: the smallest shown non-zero cell of the
        # whole table (an inner cell first), which loosens the chain that fixes it.
        if hide_smallest([(i, j) for i in range(n_rows) for j in range(n_cols)]):
            continue
        # Every non-zero cell is hidden and one is still fixed: `<5` cells that add up to
        # a `<5` total (four 1s under a total below 5 are each exactly 1). Then a total
        # (or else a cell) is marked `x` instead of `<5`: its bound of at most 4 is what
        # fixes the others.
        small = [(c not in totals, c) for c in through if status[c[0]][c[1]] == SUPPRESSED]
        if not small:
            break  # cannot happen: without `<5` bounds nothing hidden is fixed
        i, j = min(small)[1]
        status[i][j] = SECONDARY
    return TableProtection(tuple(tuple(r) for r in status))


def _is_exact(grid, status, lines, cell) -> bool:
    """Whether the published figures fix this hidden cell's value.

    The table's true values satisfy every published constraint, so the cell's own value
    lies in its feasible range: a minimum below it already proves the cell is not fixed,
    and the maximum is solved only when it is not (one linear programme instead of two for
    most cells; the answer is the same as `feasible_range`'s width)."""
    value = grid[cell[0]][cell[1]] or 0
    if len(lines) == 1:
        low, high = _one_line_range(grid, status, lines[0], cell)
        return high - low < 0.5
    low = _extreme(grid, status, lines, cell, sign=1.0)
    if low < value - 0.5:
        return False
    return _extreme(grid, status, lines, cell, sign=-1.0) < value + 0.5


def _first_exact(grid, status, lines, loose: set):
    """The first hidden cell whose value the published figures fix, or None.

    `loose` holds the cells already found not fixed: every later step only hides more (a
    shown value becomes unknown, a `<5` becomes an `x`), which can only widen a cell's
    feasible range, so they are not solved again."""
    for i, row in enumerate(status):
        for j, s in enumerate(row):
            if not s or (i, j) in loose:
                continue
            if _is_exact(grid, status, lines, (i, j)):
                return (i, j)
            loose.add((i, j))
    return None
