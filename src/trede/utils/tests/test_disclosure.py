"""The one small-cell rule (trede.utils.disclosure), as properties over any group of counts."""

from hypothesis import given
from hypothesis import strategies as st

from trede.utils.disclosure import SMALL_CELL, SUPPRESSED, count_text, count_value, is_small, protect

counts = st.lists(st.integers(min_value=0, max_value=60), min_size=0, max_size=12)


def test_the_threshold_is_1_to_4():
    assert [is_small(n) for n in range(7)] == [False, True, True, True, True, False, False]
    assert SMALL_CELL == 5 and SUPPRESSED == "<5"
    assert count_text(3, suppress=True) == "<5" and count_text(0, suppress=True) == "0"
    assert count_text(1234, suppress=True) == "1.234" and count_text(3, suppress=False) == "3"
    assert count_value(4, suppress=True) == "<5" and count_value(5, suppress=True) == 5


@given(counts)
def test_every_count_of_1_to_4_is_hidden_and_zero_never(cells):
    p = protect(cells)
    for n, hidden in zip(cells, p.hidden, strict=True):
        if 1 <= n <= 4:
            assert hidden
        if n == 0:
            assert not hidden
    assert p.total_hidden == (1 <= sum(cells) <= 4)


@given(counts)
def test_no_single_hidden_cell_beside_a_shown_total(cells):
    """Total minus the shown cells gives only the sum of two or more hidden cells."""
    p = protect(cells)
    if not p.total_hidden:
        assert sum(p.hidden) != 1
    shown = sum(n for n, h in zip(cells, p.hidden, strict=True) if not h)
    hidden_cells = [n for n, h in zip(cells, p.hidden, strict=True) if h]
    assert shown + sum(hidden_cells) == sum(cells)


@given(counts)
def test_at_most_one_secondary_cell_and_it_is_the_smallest_other(cells):
    p = protect(cells)
    secondary = [i for i, (n, h) in enumerate(zip(cells, p.hidden, strict=True)) if h and not is_small(n)]
    assert len(secondary) <= 1
    if secondary:
        i = secondary[0]
        assert sum(is_small(n) for n in cells) == 1
        visible = [n for n, h in zip(cells, p.hidden, strict=True) if not h and n > 0]
        assert all(cells[i] <= n for n in visible)


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
