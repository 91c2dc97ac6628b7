"""The one small-cell rule (trede.utils.disclosure), as properties over any group of counts."""

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.utils.disclosure import SMALL_CELL, SUPPRESSED, count_text, count_value, is_small, protect

counts = st.lists(st.integers(min_value=0, max_value=60), min_size=0, max_size=12)


def test_the_threshold_is_1_to_4():
    assert [is_small(n) for n in range(7)] == [False, True, True, True, True, False, False]
    assert SMALL_CELL == 5 and SUPPRESSED == "<5"
    assert count_text(3, suppress=True) == "<5" and count_text(0, suppress=True) == "0"
    assert count_text(1234, suppress=True) == "1.234" and count_text(3, suppress=False) == "3"
    assert count_value(4, suppress=True) == "<5" and count_value(5, suppress=True) == 5


@settings(deadline=None)  # protect solves an LP; the first call loads scipy
@given(counts)
def test_every_count_of_1_to_4_is_hidden_and_zero_never(cells):
    p = protect(cells)
    for n, hidden in zip(cells, p.hidden, strict=True):
        if 1 <= n <= 4:
            assert hidden
        if n == 0:
            assert not hidden
    if 1 <= sum(cells) <= 4:
        assert p.total_hidden
    elif p.total_hidden:
        # A total of 5 or more is hidden only to protect its hidden cells: [4, 4] of 8
        # would make each hidden cell exactly 4 (decision 63's range check).
        assert any(p.hidden)


@settings(deadline=None)  # protect solves an LP; the first call loads scipy
@given(counts)
def test_no_single_hidden_cell_beside_a_shown_total(cells):
    """Total minus the shown cells gives only the sum of two or more hidden cells."""
    p = protect(cells)
    if not p.total_hidden:
        assert sum(p.hidden) != 1
    shown = sum(n for n, h in zip(cells, p.hidden, strict=True) if not h)
    hidden_cells = [n for n, h in zip(cells, p.hidden, strict=True) if h]
    assert shown + sum(hidden_cells) == sum(cells)


def _range(cells, hidden, k):
    """Independent of the module: the values hidden cell k can take, knowing the total, the
    shown cells, that a count of 1-4 is hidden as 1..4 and any other hidden one is >= 0."""
    bounds = [(1, 4) if is_small(n) else (0, sum(cells)) for n in cells]
    rest = sum(n for n, h in zip(cells, hidden, strict=True) if h)
    others = [i for i, h in enumerate(hidden) if h and i != k]
    low = max(bounds[k][0], rest - sum(bounds[i][1] for i in others))
    high = min(bounds[k][1], rest - sum(bounds[i][0] for i in others))
    return low, high


@settings(deadline=None)  # protect solves an LP; the first call loads scipy
@given(counts)
def test_no_hidden_cell_can_be_worked_out_from_the_total(cells):
    p = protect(cells)
    if p.total_hidden:
        return
    for k, h in enumerate(p.hidden):
        if h:
            low, high = _range(cells, p.hidden, k)
            assert low < high, (cells, p.hidden, k)


@settings(deadline=None)  # protect solves an LP; the first call loads scipy
@given(counts)
def test_a_single_small_cell_takes_the_smallest_other_with_it(cells):
    p = protect(cells)
    small = [i for i, n in enumerate(cells) if is_small(n)]
    others = sorted(n for n in cells if n > 0 and not is_small(n))
    if len(small) == 1 and others and not p.total_hidden:
        smallest = [i for i, n in enumerate(cells) if n == others[0]]
        assert any(p.hidden[i] for i in smallest)


def test_cells_that_the_total_would_fix_are_protected_further():
    # Both 1s hidden: their sum 7 - 5 = 2 makes each exactly 1, so the 5 goes too.
    p = protect([1, 1, 5])
    assert p.hidden == (True, True, True) and not p.total_hidden
    # Four under a shown total with room to vary are left as they were.
    assert protect([2, 3, 40]).hidden == (True, True, False)


@settings(deadline=None)  # protect solves an LP; the first call loads scipy
@given(counts)
def test_exact_figures_for_roles_that_may_see_them(cells):
    p = protect(cells, suppress=False)
    assert not any(p.hidden) and not p.total_hidden
    assert [p.text(i, n) for i, n in enumerate(cells)] == [count_text(n, suppress=False) for n in cells]


def test_a_given_total_beyond_the_sum_still_gets_secondary_suppression():
    # Segments of an instrument need not add up to its starts; the rule stays the same.
    p = protect([3, 40, 12], total=60)
    assert p.hidden == (True, False, True)
    assert [p.value(i, n) for i, n in enumerate([3, 40, 12])] == ["<5", 40, "<5"]
