"""Simulated data with a known truth, for tests and worked examples.

- `simulate_table`: one row per person, a confounded 0/1 treatment and a 0/1 outcome,
  with the true ATT and ATE (for `trede effects table` and the estimator tests).
- `simulate_world`: a small municipality month by month (benefit spells, diagnoses,
  instrument starts that depend on the client, exits to work), as interchange-shaped
  frames, with the true effect on the treated of starting an instrument in month m
  against not starting it then (they may start later), computed by re-running each
  treated client's months with common random numbers and the start withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

EPOCH_MONTH = 2015 * 12  # month index offsets below count from January 2015


def simulate_table(
    n: int, *, seed: int, effect: float = 0.10, confounding: float = 1.0
) -> tuple[pd.DataFrame, dict]:
    """A table with covariates `age`, `ladder`, `education` (text), treatment `t`, outcome `y`.

    Clients closer to work (higher ladder step, younger) both start the instrument more
    often and find work more often, so the naive difference overstates the effect. The
    effect differs by ladder step (effect + 0.03 * (ladder - 3.5)). Returns the table and
    {"att", "ate"} computed from the potential outcomes' probabilities.
    """
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 65, n)
    ladder = rng.integers(1, 7, n)
    education = rng.choice(["basis", "vmbo_mbo1", "mbo2_4", "hbo_wo"], n, p=[0.3, 0.3, 0.3, 0.1])
    edu_score = (
        pd.Series(education).map({"basis": -1.0, "vmbo_mbo1": -0.3, "mbo2_4": 0.3, "hbo_wo": 1.0}).to_numpy()
    )
    lz, az = (ladder - 3.5) / 1.7, (age - 41) / 13.5
    e = expit(-1.0 + confounding * (0.9 * lz - 0.5 * az + 0.4 * edu_score))
    t = (rng.random(n) < e).astype(int)
    p0 = expit(-1.2 + 0.8 * lz - 0.4 * az + 0.5 * edu_score)
    tau = effect + 0.03 * (ladder - 3.5)
    p1 = np.clip(p0 + tau, 0, 1)
    y = (rng.random(n) < np.where(t == 1, p1, p0)).astype(int)
    table = pd.DataFrame({"age": age, "ladder": ladder, "education": education, "t": t, "y": y})
    # Population truth: the expectation over the covariate distribution (by simulation
    # with a large sample of the same design, so it does not depend on this draw's noise).
    big = np.random.default_rng(10**6 + 1)
    m = 400_000
    age_b, ladder_b = big.integers(18, 65, m), big.integers(1, 7, m)
    edu_b = big.choice([-1.0, -0.3, 0.3, 1.0], m, p=[0.3, 0.3, 0.3, 0.1])
    e_b = expit(-1.0 + confounding * (0.9 * (ladder_b - 3.5) / 1.7 - 0.5 * (age_b - 41) / 13.5 + 0.4 * edu_b))
    p0_b = expit(-1.2 + 0.8 * (ladder_b - 3.5) / 1.7 - 0.4 * (age_b - 41) / 13.5 + 0.5 * edu_b)
    tau_b = np.clip(p0_b + effect + 0.03 * (ladder_b - 3.5), 0, 1) - p0_b
    truth = {"att": float((e_b * tau_b).sum() / e_b.sum()), "ate": float(tau_b.mean())}
    return table, truth


@dataclass(frozen=True)
class Instrument:
    code: str
    hazard_ratio: float  # multiplies the monthly exit-to-work hazard after the start
    effect_months: int  # for this many months, starting the month after the start
    base_logit: float  # monthly start probability (logit) for an average eligible client


DEFAULT_INSTRUMENTS = (
    Instrument("JOBCOACH", 1.8, 12, -4.2),
    Instrument("SOLLTRAIN", 1.0, 6, -4.0),
)


def _day(month: np.ndarray) -> np.ndarray:
    """First day (days since 1970-01-01) of months counted from January 2015."""
    return (
        (np.asarray(month) + EPOCH_MONTH - 1970 * 12)
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _dates(day: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(day, dtype=np.int64).astype("datetime64[D]"))


class _World:
    def __init__(self, n: int, months: int, instruments: Sequence[Instrument], seed: int):
        rng = np.random.default_rng(seed)
        self.n, self.months, self.instruments = n, months, list(instruments)
        k = len(self.instruments)
        self.age0 = rng.integers(18, 62, n)
        self.ladder = rng.integers(1, 7, n)
        self.education = rng.choice(["basis", "vmbo_mbo1", "mbo2_4", "hbo_wo"], n, p=[0.3, 0.3, 0.3, 0.1])
        self.statushouder = (rng.random(n) < 0.15).astype(int)
        self.gender = rng.choice(["man", "vrouw"], n)
        self.birth_day = _day(np.zeros(n)) - self.age0 * 365 - rng.integers(0, 365, n)
        # Everyone is in the stock at the start or enters during the window.
        self.entry_month = np.where(rng.random(n) < 0.5, 0, rng.integers(1, months, n))
        self.entry_day = np.where(
            self.entry_month == 0,
            _day(np.zeros(n)) - rng.integers(1, 1500, n),
            _day(self.entry_month) - rng.integers(1, 27, n),
        )
        edu = pd.Series(self.education).map({"basis": -1.0, "vmbo_mbo1": -0.3, "mbo2_4": 0.3, "hbo_wo": 1.0})
        self.score = 0.8 * (self.ladder - 3.5) / 1.7 - 0.5 * (self.age0 - 40) / 12 + 0.4 * edu.to_numpy()
        # Common random numbers: the same draws serve the factual and counterfactual runs.
        self.u_start = rng.random((n, months, k))
        self.u_exit = rng.random((n, months))
        self.u_day = rng.integers(1, 28, (n, months))
        self.u_reentry = rng.random((n, months))
        self.u_noshow = rng.random((n, months))

    def run(
        self, who: np.ndarray, block: np.ndarray | None = None, block_instrument: np.ndarray | None = None
    ) -> dict:
        """Simulate the clients `who` (indices, repeats allowed); optionally withhold one start each."""
        m_n = len(who)
        k = len(self.instruments)
        on = np.zeros(m_n, dtype=bool)
        spell_start = np.zeros(m_n, dtype=np.int64)
        run_end = np.full(m_n, -1, dtype=np.int64)
        ever = np.zeros((m_n, k), dtype=bool)
        effect_from = np.full((m_n, k), 10**8, dtype=np.int64)
        effect_to = np.full((m_n, k), -1, dtype=np.int64)
        events: dict[str, list] = {"benefit": [], "start": [], "noshow": []}
        # The first exit (any reason) from the blocked month on, and whether it was to work.
        exit_month = np.full(m_n, -1, dtype=np.int64)
        exit_work = np.zeros(m_n, dtype=bool)
        for m in range(self.months):
            d = int(_day(np.array([m]))[0])
            entering = (self.entry_month[who] == m) & ~on & (spell_start == 0)
            spell_start = np.where(entering, self.entry_day[who], spell_start)
            on |= entering
            eligible = on & (run_end <= d)
            started_any = np.zeros(m_n, dtype=bool)
            for j, inst in enumerate(self.instruments):
                p = expit(inst.base_logit + 0.8 * self.score[who])
                go = eligible & ~ever[:, j] & ~started_any & (self.u_start[who, m, j] < p)
                if block is not None:
                    go &= ~((block == m) & (block_instrument == j))
                day = d + self.u_day[who, m]
                ever[:, j] |= go
                started_any |= go
                run_end = np.where(go, day + 91, run_end)
                effect_from[:, j] = np.where(go, m + 1, effect_from[:, j])
                effect_to[:, j] = np.where(go, m + inst.effect_months, effect_to[:, j])
                for i in np.flatnonzero(go):
                    events["start"].append((i, j, int(day[i]), m))
                noshow = eligible & ~go & (self.u_noshow[who, m] < 0.004) & (j == 0)
                for i in np.flatnonzero(noshow):
                    events["noshow"].append((i, j, int(day[i])))
            hazard = expit(-3.6 + 0.9 * self.score[who])
            for j, inst in enumerate(self.instruments):
                active = (effect_from[:, j] <= m) & (m <= effect_to[:, j])
                hazard = np.where(active, hazard * inst.hazard_ratio, hazard)
            u = self.u_exit[who, m]
            to_work = on & (u < hazard)
            other = on & ~to_work & (u < hazard + 0.008)
            end_day = d + self.u_day[who, m]
            for i in np.flatnonzero(to_work | other):
                events["benefit"].append(
                    (i, int(spell_start[i]), int(end_day[i]), "werk" if to_work[i] else "overig")
                )
            if block is not None:
                first = (to_work | other) & (exit_month < 0) & (m >= block)
                exit_month = np.where(first, m, exit_month)
                exit_work |= first & to_work
            on &= ~(to_work | other)
            # Re-entry after an exit gives second spells (prior spells, draaideur).
            back = ~on & (spell_start != 0) & (self.u_reentry[who, m] < 0.015)
            back &= ~(to_work | other)
            spell_start = np.where(back, d + self.u_day[who, m], spell_start)
            on |= back
        for i in np.flatnonzero(on):
            events["benefit"].append((i, int(spell_start[i]), -1, ""))
        events["exit_month"] = np.where(exit_work, exit_month, -1)
        return events


def simulate_world(
    n_clients: int,
    *,
    months: int = 72,
    seed: int,
    horizons: Sequence[int] = (12,),
    instruments: Sequence[Instrument] = DEFAULT_INSTRUMENTS,
) -> tuple[dict[str, pd.DataFrame], dict]:
    """Interchange-shaped frames of a simulated municipality and the true effects.

    The data run from January 2015 for `months` months; `truth["until"]` is the exclusive
    end. `truth["att"][code][H]` is the effect on the treated of starting in month m (over
    all treated starts with m + H within the data), `truth["n_starts"][code][H]` their
    number.
    """
    world = _World(n_clients, months, instruments, seed)
    who = np.arange(n_clients)
    ev = world.run(who)
    ids = np.array([f"K{i:06d}" for i in range(n_clients)])
    clients = pd.DataFrame(
        {
            "client_id": ids,
            "birth_date": _dates(world.birth_day),
            "gender": world.gender,
            "household": "alleenstaand",
            "education": world.education,
            "dutch_language": "",
            "statushouder": world.statushouder.astype(str),
            "dgr": "0",
        }
    )
    b = pd.DataFrame(ev["benefit"], columns=["i", "start", "end", "reason"])
    benefits = pd.DataFrame(
        {
            "benefit_id": [f"U{j:07d}" for j in range(len(b))],
            "client_id": ids[b["i"]],
            "regulation": "pw",
            "start_date": _dates(b["start"].to_numpy()),
            "end_date": np.where(b["end"] >= 0, _dates(np.maximum(b["end"].to_numpy(), 0)), ""),
            "end_reason": b["reason"],
        }
    )
    first = b.sort_values("start").drop_duplicates("i")
    diagnoses = pd.DataFrame(
        {
            "diagnosis_id": np.arange(1, len(first) + 1).astype(str),
            "client_id": ids[first["i"]],
            "date": _dates(first["start"].to_numpy()),
            "months_to_work": (40 - 6 * world.ladder[first["i"]]).clip(0),
            "ladder_step": world.ladder[first["i"]],
            "wage_value_pct": "",
        }
    )
    s = pd.DataFrame(ev["start"], columns=["i", "j", "day", "m"])
    ns = pd.DataFrame(ev["noshow"], columns=["i", "j", "day"])
    codes = np.array([inst.code for inst in instruments])
    trajectories = pd.DataFrame(
        {
            "trajectory_id": [f"T{j:07d}" for j in range(len(s) + len(ns))],
            "client_id": np.r_[ids[s["i"]], ids[ns["i"]]],
            "instrument_code": np.r_[codes[s["j"]], codes[ns["j"]]],
            "referral_date": np.r_[_dates(s["day"].to_numpy() - 10), _dates(ns["day"].to_numpy() - 10)],
            "start_date": np.r_[_dates(s["day"].to_numpy()), np.full(len(ns), "")],
            "planned_end_date": np.r_[_dates(s["day"].to_numpy() + 91), np.full(len(ns), "")],
            "end_date": np.r_[_dates(s["day"].to_numpy() + 91), np.full(len(ns), "")],
        }
    )
    placements = pd.DataFrame(columns=["placement_id", "client_id", "start_date", "end_date"])
    frames = {
        "clients": clients,
        "benefits": benefits,
        "diagnoses": diagnoses,
        "trajectories": trajectories,
        "placements": placements,
    }
    truth = _truth(world, ev, s, horizons, instruments)
    truth["until"] = str(_dates(_day(np.array([months])))[0])
    return frames, truth


def _truth(world: _World, ev: Mapping, starts: pd.DataFrame, horizons: Sequence[int], instruments) -> dict:
    """ATT by re-running each treated start with the start withheld (common random numbers)."""
    b = pd.DataFrame(ev["benefit"], columns=["i", "start", "end", "reason"])
    starts = starts.copy()
    # Treated: on benefit on the first day of the start month (a start in the month of a
    # new spell's first days is not on benefit on day 1 and is no treated start).
    on_first = np.zeros(len(starts), dtype=bool)
    werk_exit = np.full(len(starts), -1, dtype=np.int64)
    merged = starts.reset_index().merge(b, on="i")
    active = (merged["start"] <= _day(merged["m"].to_numpy())) & (
        (merged["end"] < 0) | (merged["end"] > _day(merged["m"].to_numpy()))
    )
    hit = merged[active]
    on_first[hit["index"].to_numpy()] = True
    work = hit[hit["reason"] == "werk"]
    end_month = work["end"].to_numpy().astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - (
        EPOCH_MONTH - 1970 * 12
    )
    werk_exit[work["index"].to_numpy()] = end_month
    starts = starts[on_first]
    werk_exit = werk_exit[on_first]
    cf = world.run(
        starts["i"].to_numpy(), block=starts["m"].to_numpy(), block_instrument=starts["j"].to_numpy()
    )
    cf_exit = cf["exit_month"]
    out: dict = {"att": {}, "n_starts": {}}
    for j, inst in enumerate(instruments):
        out["att"][inst.code], out["n_starts"][inst.code] = {}, {}
        for h in horizons:
            sel = (starts["j"].to_numpy() == j) & (starts["m"].to_numpy() + h <= world.months)
            m = starts["m"].to_numpy()[sel]
            y1 = (werk_exit[sel] >= 0) & (werk_exit[sel] < m + h)
            y0 = (cf_exit[sel] >= 0) & (cf_exit[sel] < m + h)
            out["att"][inst.code][h] = float((y1.astype(float) - y0).mean()) if sel.any() else float("nan")
            out["n_starts"][inst.code][h] = int(sel.sum())
    return out
