"""Complementary suppression of tables with margins (trede.utils.disclosure.protect_table).

The attacker of docs/interchange.md sees the published table with its totals and knows
that a `<5` cell holds 1 to 4 and that no count is negative. The reference below builds
that attacker's linear programme from the PUBLISHED table only (its own code, not
`feasible_range`) and asks, for every hidden cell, the least and greatest value it can
take. Protected means min < max. A table with margins has a totally unimodular
constraint matrix (each inner cell is in one row and one column equation), so with integer
bounds both ends are integers: min < max means at least two whole values are possible;
the test checks that the ends are whole and at least one apart.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from trede.utils.disclosure import SECONDARY, SUPPRESSED, feasible_range, protect, protect_table, table_grid

# Small counts on purpose: many 1-4 cells and zeros, where leaks are easy.
cell = st.one_of(st.integers(0, 6), st.integers(0, 40), st.none())


@st.composite
def tables(draw):
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return [[draw(cell) for _ in range(n_cols)] for _ in range(n_rows)]


def published(cells, row_totals, column_totals):
    """What the report prints: the grid with margins, each cell a count, '<5', 'x' or None."""
    p = protect_table(cells, row_totals=row_totals, column_totals=column_totals)
    grid = table_grid(cells, row_totals=row_totals, column_totals=column_totals)
    return [[p.value(i, j, v) for j, v in enumerate(row)] for i, row in enumerate(grid)], grid


def attacker_ranges(values, row_totals, column_totals):
    """For every hidden cell of a published grid: (least, greatest) value it can hold."""
    n_rows, n_cols = len(values), len(values[0])
    unknown = [(i, j) for i in range(n_rows) for j in range(n_cols) if isinstance(values[i][j], str)]
    var = {c: k for k, c in enumerate(unknown)}
    equations = []  # (coefficients per unknown, right-hand side)

    def equation(parts, total):
        row, rhs = [0] * len(unknown), 0
        for c in parts:
            if c in var:
                row[var[c]] += 1
            else:
                rhs -= values[c[0]][c[1]] or 0
        if total in var:
            row[var[total]] -= 1
        else:
            rhs += values[total[0]][total[1]] or 0
        equations.append((row, rhs))

    inner_rows = n_rows - (1 if column_totals else 0)
    inner_cols = n_cols - (1 if row_totals else 0)
    if row_totals:
        for i in range(n_rows):
            equation([(i, j) for j in range(inner_cols)], (i, n_cols - 1))
    if column_totals:
        for j in range(n_cols):
            equation([(i, j) for i in range(inner_rows)], (n_rows - 1, j))
    bounds = [(1, 4) if values[i][j] == SUPPRESSED else (0, None) for i, j in unknown]
    a_eq = [e[0] for e in equations if any(e[0])] or None
    b_eq = [e[1] for e in equations if any(e[0])] or None
    ranges = {}
    for c, k in var.items():
        ends = []
        for sign in (1, -1):
            objective = [0] * len(unknown)
            objective[k] = sign
            result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            assert result.status in (0, 3), result.message  # the true table is feasible
            ends.append(math.inf if result.status == 3 else sign * result.fun)
        ranges[c] = (ends[0], ends[1])
    return ranges


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans(), st.booleans())
def test_no_hidden_cell_can_be_recovered_exactly(cells, row_totals, column_totals):
    values, grid = published(cells, row_totals, column_totals)
    for (i, j), (low, high) in attacker_ranges(values, row_totals, column_totals).items():
        assert low <= grid[i][j] <= high  # the truth is among the possibilities
        assert high - low >= 1 - 1e-6, f"cell {(i, j)} of {values} is exactly {low}"
        if high != math.inf:
            assert abs(high - round(high)) < 1e-6
        assert abs(low - round(low)) < 1e-6  # whole ends: at least two whole values


@settings(max_examples=60, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_small_counts_are_hidden_zeros_and_not_applicable_are_shown(cells, row_totals, column_totals):
    values, grid = published(cells, row_totals, column_totals)
    for i, row in enumerate(grid):
        for j, count in enumerate(row):
            shown = values[i][j]
            if count is not None and 1 <= count <= 4:
                # `x` only where nothing non-zero is left to hide (see protect_table).
                assert shown == SUPPRESSED or (
                    shown == SECONDARY and all(isinstance(v, str) or not v for r in values for v in r)
                )
            elif shown == SUPPRESSED:
                raise AssertionError("only counts of 1-4 are marked <5")
            if not count:
                assert shown == count  # 0 and None are published as they are
            if shown not in (SUPPRESSED, SECONDARY):
                assert shown == count


@settings(deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=12))
def test_one_group_with_its_total_extends_protect(counts):
    """The 1-D rule of the other aggregates is the first step of the table rule: the
    one-row table hides what `protect` hides, and exactly that unless the LP check finds a
    cell that `protect` leaves fixed."""
    one = protect(counts)
    table = protect_table([counts], row_totals=True, column_totals=False)
    hidden = tuple(bool(s) for s in table.status[0][:-1])
    assert all(h for h, o in zip(hidden, one.hidden, strict=True) if o)
    values, _grid = published([counts], True, False)
    marks = [("<5" if 1 <= c <= 4 else "x") if h else c for c, h in zip(counts, one.hidden, strict=True)]
    total_mark = ("<5" if 1 <= sum(counts) <= 4 else "x") if one.total_hidden else sum(counts)
    values_protect = [[*marks, total_mark]]
    protect_safe = all(high - low >= 1 for low, high in attacker_ranges(values_protect, True, False).values())
    if protect_safe:
        assert values == values_protect


def test_protect_and_the_table_rule_both_hide_the_5_beside_two_ones():
    assert protect([1, 1, 5]).hidden == (True, True, True)
    values, _grid = published([[1, 1, 5]], True, False)
    assert values == [["<5", "<5", "x", 7]]


def test_four_ones_under_a_small_total_mark_the_total_x():
    values, _grid = published([[1, 1, 1, 1]], True, False)
    assert values == [["<5", "<5", "<5", "<5", "x"]]


def test_a_single_small_cell_in_a_two_way_table_is_protected_by_a_rectangle():
    values, _grid = published([[3, 10, 7], [12, 0, 9], [5, 6, 20]], True, True)
    hidden = {(i, j) for i, row in enumerate(values) for j, v in enumerate(row) if isinstance(v, str)}
    assert hidden == {(0, 0), (0, 2), (2, 0), (2, 2)}
    assert values[3] == [20, 16, 36, 72]  # the totals stay shown


def test_without_suppression_nothing_is_hidden():
    p = protect_table([[1, 2], [3, 4]], suppress=False)
    assert not any(any(row) for row in p.status)


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
    marks=st.lists(st.sampled_from(["", SUPPRESSED, SECONDARY]), min_size=9, max_size=9),
)
def test_the_closed_form_for_one_line_is_the_linear_programme(counts, marks):
    """One group with its total (what `protect` publishes) skips the solver; the same
    line given twice goes through it, so both must give the same range for every hidden
    cell of any marking that the true counts satisfy."""
    grid = [[*counts, sum(counts)]]
    status = [
        [mark if (mark != SUPPRESSED or 1 <= n <= 4) else "" for n, mark in zip(grid[0], marks, strict=False)]
    ]
    line = [(0, j) for j in range(len(grid[0]))]
    for cell in line:
        if status[0][cell[1]]:
            closed = feasible_range(grid, status, [line], cell)
            solved = feasible_range(grid, status, [line, line], cell)
            assert closed[0] == pytest.approx(solved[0]) and closed[1] == pytest.approx(solved[1])
