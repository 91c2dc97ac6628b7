"""The true effect of every instrument start, from the factual path and its clone.

For a start of instrument X in month m (client on a pw benefit on the first day of m,
start_date in m) the unit effect at horizon H is

    1[spell ends with 'werk' before the first day of m+H]            (factual)
  - 1[the same, on the clone that skipped the start, same random numbers]

and a start counts for H only when the first day of m+H is on or before data_end. The
spell is the union of the client's touching or overlapping pw benefits (interchange.md;
the engine never lets a pw spell touch another, so a spell ends exactly at an exit).
"""

from __future__ import annotations

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import params as p
from trede.synthetic.policy import GROUP_CODES

ESTIMAND = (
    "Sample average treatment effect on the treated (ATT) per instrument, in probability points. "
    "Unit: a start of the instrument in calendar month m by a client who is on a pw benefit on the first "
    "day of m (the trajectory's start_date falls in m; no-shows without start_date are not starts). "
    "Outcome at horizon H: the client's pw spell (union of touching or overlapping pw benefits) ends with "
    "end_reason 'werk' on an end_date before the first day of month m+H. The effect of a start is its "
    "outcome minus the outcome of the same client re-simulated from month m onward with the same random "
    "numbers but without that start (the client may start this or another instrument in a later month, "
    "as the assignment policy decides). A start counts for H only when the first day of m+H is on or "
    "before data_end; att is the mean over counted starts, by_client_group splits them by the client "
    "group (trede.casework.classification.client_group) from the latest diagnosis on or before the first "
    "day of m and whether a placement runs that day. Assignment depends only on recorded traits, so the "
    "effect is identified by adjusting for them; att is null when no start counts."
)


def unit_effects(
    starts: dict[str, np.ndarray],
    exits: dict[str, np.ndarray],
    clones: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Months to a work exit (or a large number) for each start, factual and counterfactual."""
    never = np.iinfo(np.int64).max // 4
    factual = _first_exit_from(
        starts["person"], starts["month"], exits["person"], exits["month"], exits["reason"]
    )
    key = _key(clones["clone_person"], clones["clone_month"])
    order = np.argsort(key)
    pos = np.searchsorted(key[order], _key(starts["person"], starts["month"]))
    pos = np.minimum(pos, max(len(order) - 1, 0))
    found = (len(order) > 0) & (key[order][pos] == _key(starts["person"], starts["month"]))
    if not found.all():
        raise ValueError("a counted start has no counterfactual clone")
    clone_id = clones["clone_id"][order][pos]
    exit_by_clone = np.full(len(clones["clone_id"]), never)
    werk = clones["exit_reason"] == p.WERK
    exit_by_clone[clones["exit_clone"][werk]] = clones["exit_m"][werk]
    return {"work_m_factual": np.where(factual >= 0, factual, never), "work_m_clone": exit_by_clone[clone_id]}


def _key(person: np.ndarray, month: np.ndarray) -> np.ndarray:
    return person.astype(np.int64) * 100_000 + month.astype(np.int64)


def _first_exit_from(
    person: np.ndarray, month: np.ndarray, ex_person: np.ndarray, ex_month: np.ndarray, ex_reason: np.ndarray
) -> np.ndarray:
    """Month of the first exit at or after `month` when it is a work exit, else -1."""
    key = _key(ex_person, ex_month)
    order = np.argsort(key)
    key = key[order]
    pos = np.searchsorted(key, _key(person, month))
    ok = pos < len(key)
    pos = np.minimum(pos, max(len(key) - 1, 0))
    same = ok & (ex_person[order][pos] == person)
    work = same & (ex_reason[order][pos] == p.WERK)
    return np.where(work, ex_month[order][pos], -1)


def summarise(starts: dict[str, np.ndarray], effects: dict[str, np.ndarray], end_day: int) -> dict:
    """The 'instruments' block of ground_truth.json."""
    out: dict[str, dict] = {}
    for k, ins in enumerate(p.INSTRUMENTS):
        sel = starts["instr"] == k
        block = _block(starts, effects, sel, end_day)
        groups = {}
        for g, code in enumerate(GROUP_CODES):
            gsel = sel & (starts["group"] == g)
            if gsel.any():
                groups[code] = _block(starts, effects, gsel, end_day)
        out[ins.code] = {"type": ins.type, **block, "by_client_group": groups}
    return out


def _block(
    starts: dict[str, np.ndarray], effects: dict[str, np.ndarray], sel: np.ndarray, end_day: int
) -> dict:
    n_starts: dict[str, int] = {}
    att: dict[str, float | None] = {}
    for h in p.HORIZONS:
        counted = sel & (cal.first_day(starts["month"] + h) <= end_day)
        y1 = effects["work_m_factual"][counted] <= starts["month"][counted] + h - 1
        y0 = effects["work_m_clone"][counted] <= starts["month"][counted] + h - 1
        n_starts[str(h)] = int(counted.sum())
        att[str(h)] = round(float(np.mean(y1.astype(float) - y0)), 6) if counted.any() else None
    return {"n_starts": n_starts, "att": att}
