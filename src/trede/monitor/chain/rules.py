"""The attribution rule, pure (no Django; decision 80).

An outflow to work of client c on day E is credited to the provider of the trajectory of c
that was started on or before E and was still running on E - N months or later (running on
E, or ended at most N months before E; N is the preset's `chain.window_months`). With
several such trajectories, the one started last counts (then the one running longest, then
the highest trajectory id, ids compared by length and then text); a trajectory never started
(a no-show) counts for no one. Without one the outflow is the municipality's own work (its
consultants and werkgeversservicepunt). So every outflow has exactly one partner, and the
partners' counts add up to the outflow to work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trede.utils.dates import add_months

OWN = ""  # the partner id of the municipality itself
FAR = date(9999, 12, 31)


@dataclass(frozen=True)
class Outflow:
    client_id: str
    day: date  # the end of the spell (the day its last benefit ends)


@dataclass(frozen=True)
class Involvement:
    client_id: str
    trajectory_id: str
    partner_id: str  # provider id; OWN when the trajectory names no provider
    start: date | None
    end: date | None


def counts(outflow: Outflow, trajectory: Involvement, window_months: int) -> bool:
    if trajectory.client_id != outflow.client_id or trajectory.start is None:
        return False
    if trajectory.start > outflow.day:
        return False
    return trajectory.end is None or trajectory.end >= add_months(outflow.day, -window_months)


def _order(t: Involvement) -> tuple:
    return (t.start, t.end or FAR, len(t.trajectory_id), t.trajectory_id)


def credited(outflow: Outflow, trajectories: Iterable[Involvement], window_months: int) -> Involvement | None:
    """The trajectory the outflow is credited to, or None (the municipality's own)."""
    candidates = [t for t in trajectories if counts(outflow, t, window_months)]
    return max(candidates, key=_order) if candidates else None


def attribute(
    outflows: Iterable[Outflow], trajectories: Iterable[Involvement], window_months: int
) -> dict[str, int]:
    """Partner id → outflows credited (OWN for the municipality's own)."""
    by_client: dict[str, list[Involvement]] = {}
    for t in trajectories:
        by_client.setdefault(t.client_id, []).append(t)
    result: dict[str, int] = {}
    for outflow in outflows:
        chosen = credited(outflow, by_client.get(outflow.client_id, ()), window_months)
        partner = OWN if chosen is None else chosen.partner_id
        result[partner] = result.get(partner, 0) + 1
    return result
