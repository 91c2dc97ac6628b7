"""Run the engine for a municipality of a given size and keep exactly the requested persons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import params as p
from trede.synthetic.engine import MISSING, Engine, Frame
from trede.synthetic.population import Persons, draw_entry_months, draw_persons, monthly_inflow

# Persons that appear in the data per new person entering per month, from pilot runs:
# the stock at the window start (about 78 months of inflow) plus the window's entrants.
PERSONS_PER_MONTHLY_INFLOW_BASE = 78.5
PERSONS_PER_MONTHLY_INFLOW_PER_YEAR = 12.05
SURPLUS = 1.035


@dataclass
class Window:
    data_start: date
    data_end: date
    start_day: int
    end_day: int
    first_month: int
    window_month: int
    last_month: int


@dataclass
class Simulation:
    window: Window
    persons: Persons
    engine: Engine
    retained: np.ndarray  # person indices kept, sorted
    rounds: int


def make_window(end_date: date, years: int) -> Window:
    data_start = cal.shift_years(end_date, -years)
    start_day, end_day = cal.day_of(data_start), cal.day_of(end_date)
    window_month = int(cal.effective_month(np.asarray([start_day]))[0])
    last_month = int(cal.month_of_day(end_day - 1))
    first_month = window_month - 12 * p.BURN_IN_YEARS
    return Window(data_start, end_date, start_day, end_day, first_month, window_month, last_month)


def run(
    window: Window,
    *,
    persons_wanted: int,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
    clone_months: frozenset[int] | None = None,
) -> Simulation:
    """Simulate, enlarging the municipality until at least `persons_wanted` persons have a
    benefit in the window, then keep a random subset of exactly that many."""
    years = (window.last_month - window.window_month + 1) / 12.0
    per_month = (
        persons_wanted
        * SURPLUS
        / (PERSONS_PER_MONTHLY_INFLOW_BASE + PERSONS_PER_MONTHLY_INFLOW_PER_YEAR * years)
    )
    for attempt in range(1, 6):
        sim = _simulate_once(window, per_month, seed, attempt, progress, clone_months)
        candidates = _in_window(sim, window)
        if len(candidates) >= persons_wanted:
            choice = np.random.default_rng([seed, 7, attempt]).choice(
                len(candidates), persons_wanted, replace=False
            )
            sim.retained = np.sort(candidates[choice])
            sim.rounds = attempt
            return sim
        per_month *= persons_wanted / max(len(candidates), 1) * 1.05
    raise RuntimeError("could not simulate enough persons")  # pragma: no cover - loop always grows


def _simulate_once(
    window: Window,
    per_month: float,
    seed: int,
    attempt: int,
    progress: Callable[[str, int, int], None] | None,
    clone_months: frozenset[int] | None,
) -> Simulation:
    gen = np.random.default_rng([seed, 1, attempt])
    expected = monthly_inflow(window.first_month, window.last_month, per_month)
    persons = draw_persons(gen, draw_entry_months(gen, window.first_month, expected))
    frame = Frame(
        seed=seed,
        first_month=window.first_month,
        window_month=window.window_month,
        last_month=window.last_month,
        clone_months=clone_months,
    )
    months = window.last_month - window.first_month + 1
    tick = None
    if progress is not None:
        # The callback takes an advance, not a position: one month per tick. A further
        # attempt (a larger municipality) simulates every month again, so the total grows.
        total = months * attempt

        def tick(done: int) -> None:
            progress("simulatie (maand voor maand)", 1, total)

    engine = Engine(frame, persons, tick)
    engine.run()
    return Simulation(window, persons, engine, np.zeros(0, dtype=np.int64), attempt)


def _in_window(sim: Simulation, window: Window) -> np.ndarray:
    b = sim.engine.rec.table("benefits")
    active = (b["start_day"] < window.end_day) & (
        (b["end_day"] == MISSING) | (b["end_day"] > window.start_day)
    )
    return np.unique(b["person"][active])
