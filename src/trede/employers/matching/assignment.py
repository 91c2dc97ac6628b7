"""Optimal assignment of candidates to vacancies with positions (decision 71).

A maximum-weight b-matching on the bipartite graph of listed pairs: each client at most
once, each vacancy at most its positions, the largest possible sum of (integer) scores.
Pure functions (numpy and scipy, no Django).

Method: every vacancy becomes as many slots as it has positions (at most as many as it has
candidates), and scipy's `linear_sum_assignment` (the Hungarian method, exact) maximises
over the slots x clients matrix, a pair that is not listed weighing 0. Weights are never
negative, so filling a slot with a zero is never better than leaving it empty: such
assignments (and listed pairs with score 0) are dropped afterwards; the total is unchanged.
Before that, each vacancy keeps only its best S candidates (S = all slots together): an
optimum never needs another one, because at most S - 1 other clients are assigned, so one
of the S best is free and at least as good (exchange argument). When the matrix would
still be too big for memory, the same problem is solved as a linear programme (HiGHS dual
simplex: the constraint matrix of a bipartite b-matching is totally unimodular, so the
optimal vertex is integral) over the listed pairs only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

DENSE_LIMIT = 25_000_000  # slots x clients cells above which the sparse LP is used


def _shortlists(
    pairs: Mapping[str, Mapping[str, int]], capacity: Mapping[str, int]
) -> dict[str, list[tuple[str, int]]]:
    """Per vacancy its positive pairs, best first, cut to the S best."""
    lists = {}
    for vacancy_id, scores in pairs.items():
        ranked = sorted(((c, u) for c, u in scores.items() if u > 0), key=lambda cu: (-cu[1], cu[0]))
        if ranked and capacity.get(vacancy_id, 0) > 0:
            lists[vacancy_id] = ranked
    slots = sum(min(capacity[v], len(r)) for v, r in lists.items())
    return {v: r[:slots] for v, r in lists.items()}


def assign(
    pairs: Mapping[str, Mapping[str, int]], capacity: Mapping[str, int], *, method: str = "auto"
) -> list[tuple[str, str, int]]:
    """(vacancy_id, client_id, units) of an optimal assignment, sorted by vacancy then client.

    `pairs[vacancy_id][client_id]` is the pair's score in integer units (the listed ones
    only); `capacity[vacancy_id]` its positions. `method`: auto, dense or lp.
    """
    lists = _shortlists(pairs, capacity)
    if not lists:
        return []
    vacancies = sorted(lists)
    clients = sorted({c for r in lists.values() for c, _ in r})
    slot_vacancy = [v for v in vacancies for _ in range(min(capacity[v], len(lists[v])))]
    if method == "auto":
        method = "dense" if len(slot_vacancy) * len(clients) <= DENSE_LIMIT else "lp"
    if method == "dense":
        chosen = _dense(lists, vacancies, clients, slot_vacancy)
    elif method == "lp":
        chosen = _lp(lists, vacancies, clients, capacity)
    else:
        raise ValueError(f"unknown method {method}")
    return sorted(chosen)


def _dense(lists, vacancies, clients, slot_vacancy) -> list[tuple[str, str, int]]:
    from scipy.optimize import linear_sum_assignment

    column = {c: j for j, c in enumerate(clients)}
    row_of = {}
    for i, v in enumerate(slot_vacancy):
        row_of.setdefault(v, []).append(i)
    weights = np.zeros((len(slot_vacancy), len(clients)), dtype=np.float64)
    for v in vacancies:
        rows = row_of[v]
        for c, units in lists[v]:
            weights[rows, column[c]] = units
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [
        (slot_vacancy[i], clients[j], int(weights[i, j]))
        for i, j in zip(rows, cols, strict=True)
        if weights[i, j] > 0
    ]


def _lp(lists, vacancies, clients, capacity) -> list[tuple[str, str, int]]:
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    column = {c: j for j, c in enumerate(clients)}
    edges = [(vi, column[c], units, v, c) for vi, v in enumerate(vacancies) for c, units in lists[v]]
    n = len(edges)
    e = np.arange(n)
    vac_idx = np.fromiter((x[0] for x in edges), dtype=np.int64, count=n)
    cli_idx = np.fromiter((x[1] for x in edges), dtype=np.int64, count=n)
    weight = np.fromiter((x[2] for x in edges), dtype=np.float64, count=n)
    a = coo_matrix(
        (np.ones(2 * n), (np.concatenate([vac_idx, len(vacancies) + cli_idx]), np.concatenate([e, e]))),
        shape=(len(vacancies) + len(clients), n),
    ).tocsr()
    b = np.concatenate([[min(capacity[v], len(lists[v])) for v in vacancies], np.ones(len(clients))])
    result = linprog(-weight, A_ub=a, b_ub=b, bounds=(0, 1), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"toewijzing niet opgelost: {result.message}")
    return [(edges[k][3], edges[k][4], edges[k][2]) for k in np.flatnonzero(result.x > 0.5)]
