"""The assignment is the true optimum: against brute force on small random instances."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trede.employers.matching.assignment import assign

from .reference_matching import best_total


@st.composite
def instances(draw):
    n_vac = draw(st.integers(1, 4))
    n_cli = draw(st.integers(0, 7))
    vacancies = [f"V{i}" for i in range(n_vac)]
    clients = [f"C{j}" for j in range(n_cli)]
    pairs = {v: {} for v in vacancies}
    for v in vacancies:
        for c in clients:
            if draw(st.booleans()):
                # Small integers make many ties; zeros may be listed and must not matter.
                pairs[v][c] = draw(st.one_of(st.integers(0, 4), st.integers(0, 10000)))
    capacity = {v: draw(st.integers(1, 3)) for v in vacancies}
    return pairs, capacity


def _check(pairs, capacity, chosen):
    clients = [c for _, c, _ in chosen]
    assert len(clients) == len(set(clients))
    for v, cap in capacity.items():
        assert sum(1 for x, _, _ in chosen if x == v) <= cap
    for v, c, u in chosen:
        assert pairs[v][c] == u and u > 0


@settings(max_examples=300, deadline=None)
@given(instances())
def test_dense_assignment_is_optimal(instance):
    pairs, capacity = instance
    chosen = assign(pairs, capacity, method="dense")
    _check(pairs, capacity, chosen)
    assert sum(u for *_, u in chosen) == best_total(pairs, capacity)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_lp_assignment_is_optimal(instance):
    pairs, capacity = instance
    chosen = assign(pairs, capacity, method="lp")
    _check(pairs, capacity, chosen)
    assert sum(u for *_, u in chosen) == best_total(pairs, capacity)


def test_no_pair_is_forced():
    # One client, two vacancies: the better pair only; a zero is never assigned.
    assert assign({"A": {"x": 3}, "B": {"x": 5}}, {"A": 1, "B": 1}) == [("B", "x", 5)]
    assert assign({"A": {"x": 0, "y": 2}}, {"A": 2}) == [("A", "y", 2)]
    assert assign({}, {}) == []
