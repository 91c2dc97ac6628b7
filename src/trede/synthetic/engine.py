"""The month-by-month simulation of the pw caseload, vectorised over clients.

Every client on benefit on the first day of month t goes through, in this order:
the recorded context of that day (client group, running trajectory, placement), a
referral decision of the policy (recorded traits only), exits (AOW, other reasons, work),
and for those who stay: trajectory completion or drop-out, part-time work, benefit
switches, diagnoses, contacts and measures. New persons and returners enter at the end of
the month, so nobody both enters and leaves in the same month.

Counterfactual clones: when a client starts an instrument in a month of the observation
window, a copy of that client's state at the first day of the month is added that skips
the start and is simulated on with the same random numbers (rng.py) for up to 24 months.
The difference in outcome between the client and its clone is the start's causal effect
(ground truth). Clones write no records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from trede.synthetic import calendar as cal
from trede.synthetic import params as p
from trede.synthetic import policy as pol
from trede.synthetic import rng
from trede.synthetic.population import Persons

MISSING = -(10**9)
NEVER = 2**30

# Random streams (one hash per stream gives two uniforms).
S_EXIT_OTHER, S_EXIT_WORK, S_REFER, S_NOSHOW, S_TRAJ, S_TRAJ2, S_PLACE, S_SWITCH = range(8)
S_DIAG, S_DIAG2, S_DIAG3, S_RETURN, S_ENTRY, S_CONTACT, S_MEASURE, S_END = range(8, 16)

_DUR_LO = np.asarray([ins.months[0] for ins in p.INSTRUMENTS])
_DUR_HI = np.asarray([ins.months[1] for ins in p.INSTRUMENTS])
_DROPOUT = np.asarray([ins.dropout for ins in p.INSTRUMENTS])
_SUCCESS = np.asarray([ins.success for ins in p.INSTRUMENTS])
_BONUS = np.asarray([ins.ladder_bonus for ins in p.INSTRUMENTS])
_PLACES = np.asarray([ins.places for ins in p.INSTRUMENTS])
# Instruments that go on when the client leaves for work: the subsidised job or the
# coaching on the job is the work.
_CONTINUES = np.asarray([ins.type in ("loonkostensubsidie", "jobcoaching") for ins in p.INSTRUMENTS])
_LOG_DURING = np.log([ins.during for ins in p.INSTRUMENTS])
_LOG_AFTER = np.log([ins.after for ins in p.INSTRUMENTS])
_LOG_LATER = np.log([ins.later for ins in p.INSTRUMENTS])
_LOG_SPIKE = np.log([ins.spike for ins in p.INSTRUMENTS])
_SPIKE_M = np.asarray([ins.spike_months for ins in p.INSTRUMENTS])
_AFTER_M = np.asarray([ins.after_months for ins in p.INSTRUMENTS])
_GROUP_POWER = np.asarray(p.GROUP_POWER)
_DIAG_INTERVAL = np.asarray([p.DIAG_INTERVAL[g] for g in pol.GROUP_CODES])
_OTHER_REASONS = (
    "onderwijs",
    "verhuizing",
    "overlijden",
    "detentie",
    "partner_inkomen",
    "rechtmatigheid",
    "overig",
)
_OTHER_CODES = np.asarray([p.END_REASONS.index(r) for r in _OTHER_REASONS])

# Agent fields: name -> (dtype, initial value). An agent is a person (index = person) or a
# counterfactual clone appended after the persons.
_FIELDS: dict[str, tuple[type, int | float]] = {
    "person": (np.int64, 0),
    "clone": (np.int64, -1),
    "clone_end": (np.int32, NEVER),
    "suppress": (np.int32, -1),
    "status": (np.int8, 0),  # 0 not yet entered, 1 on benefit, 2 off (may return), 3 gone
    "spell_m": (np.int32, 0),
    "spell_day": (np.int64, 0),
    "ben_day": (np.int64, 0),
    "n_spells": (np.int16, 0),
    "birth_day": (np.int64, 0),
    "aow_m": (np.int32, NEVER),
    "aow_day": (np.int64, 0),
    "female": (np.int8, 0),
    "edu": (np.int8, 0),
    "lang": (np.int8, 0),
    "sh": (np.int8, 0),
    "dgr": (np.int8, 0),
    "hh": (np.int8, 0),
    "eta": (np.float64, 0.0),
    "e": (np.float64, 0.0),
    "mtw": (np.int16, -1),  # latest diagnosis (months to work, -1 none), ladder step, wage value
    "ladder": (np.int8, 0),
    "wv": (np.int8, 0),
    "next_diag": (np.int32, NEVER),
    "bonus": (np.int8, 0),
    "tr_i": (np.int8, -1),
    "tr_start": (np.int32, 0),
    "tr_end": (np.int32, -1),
    "tr_state": (np.int8, 0),  # last trajectory: 0 running, 1 completed, 2 stopped early
    "tr_drop": (np.int32, NEVER),
    "tr_group": (np.int8, 0),
    "tr_rec": (np.int64, -1),
    "tr_start_day": (np.int64, 0),
    "tr_plan_day": (np.int64, 0),
    "started": (np.int32, 0),
    "pl_kind": (np.int8, 0),  # 0 none, 1 part-time job, 2 proefplaatsing, 3 LKS, 4 LKS job after exit
    "pl_start": (np.int32, 0),
    "pl_end": (np.int32, -1),
    "pl_start_day": (np.int64, 0),
    "pl_end_day": (np.int64, 0),
    "ret_m": (np.int32, NEVER),
}


@dataclass
class Records:
    """Column chunks appended month by month; concatenated once at the end."""

    chunks: dict[str, dict[str, list[np.ndarray]]] = field(default_factory=dict)

    def add(self, table: str, **columns: np.ndarray) -> None:
        if not len(next(iter(columns.values()))):
            return
        target = self.chunks.setdefault(table, {})
        for name, values in columns.items():
            target.setdefault(name, []).append(np.asarray(values))

    def table(self, name: str) -> dict[str, np.ndarray]:
        return {col: np.concatenate(parts) for col, parts in self.chunks.get(name, {}).items()}


class Trajectories:
    """Trajectory rows by index, because their end is only known months after the start."""

    COLUMNS = (
        "person",
        "instr",
        "month",
        "referral_day",
        "start_day",
        "plan_day",
        "end_day",
        "result",
        "group",
    )

    def __init__(self) -> None:
        self.n = 0
        self.cols = {c: np.zeros(1024, dtype=np.int64) for c in self.COLUMNS}

    def append(self, **values: np.ndarray) -> np.ndarray:
        count = len(values["person"])
        while self.n + count > len(self.cols["person"]):
            for c in self.COLUMNS:
                self.cols[c] = np.concatenate([self.cols[c], np.zeros_like(self.cols[c])])
        rows = np.arange(self.n, self.n + count)
        for c in self.COLUMNS:
            self.cols[c][rows] = values.get(c, MISSING)
        self.n += count
        return rows

    def finish(self, rows: np.ndarray, end_day: np.ndarray, result: np.ndarray) -> None:
        own = rows >= 0  # clones have no rows
        self.cols["end_day"][rows[own]] = np.broadcast_to(end_day, rows.shape)[own]
        self.cols["result"][rows[own]] = np.broadcast_to(result, rows.shape)[own]

    def table(self) -> dict[str, np.ndarray]:
        return {c: v[: self.n].copy() for c, v in self.cols.items()}


@dataclass
class Month:
    """The clients processed in one month (rows) and what is known of them on its first day."""

    idx: np.ndarray
    ctx: pol.Context
    log_mult: np.ndarray  # log multiplier of the work hazard from the current or last trajectory
    placed: np.ndarray
    choice: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    noshow: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def extended(self, pos: np.ndarray, new_idx: np.ndarray) -> Month:
        """These rows plus copies of rows `pos` as `new_idx`, which make no referral."""
        return Month(
            idx=np.concatenate([self.idx, new_idx]),
            ctx=pol.Context(**{k: np.concatenate([v, v[pos]]) for k, v in vars(self.ctx).items()}),
            log_mult=np.concatenate([self.log_mult, self.log_mult[pos]]),
            placed=np.concatenate([self.placed, self.placed[pos]]),
            choice=np.concatenate([self.choice, np.full(len(pos), -1)]),
            noshow=np.concatenate([self.noshow, np.zeros(len(pos), dtype=bool)]),
        )


@dataclass(frozen=True)
class Frame:
    seed: int
    first_month: int  # start of the burn-in
    window_month: int  # first month whose first day is in the observation window
    last_month: int  # last simulated month (contains the day before data_end)
    clone_months: frozenset[int] | None = None  # test hook: clone everyone in these months


class Engine:
    def __init__(self, frame: Frame, persons: Persons, progress: Callable[[int], None] | None = None) -> None:
        self.f = frame
        self.persons = persons
        self.progress = progress
        n = len(persons)
        self.size = n
        self.a = {
            name: np.full(max(n + n // 3, 1024), init, dtype=dt) for name, (dt, init) in _FIELDS.items()
        }
        self._load_persons(persons)
        self.rec = Records()
        self.traj = Trajectories()
        self.n_clones = 0
        self.clone_out: dict[str, list[np.ndarray]] = {"clone": [], "exit_m": [], "reason": []}
        self.returns: dict[int, list[np.ndarray]] = {}
        self.entry_bounds = np.searchsorted(
            persons.entry_m, np.arange(frame.first_month, frame.last_month + 2)
        )

    # --- setup --------------------------------------------------------------------------
    def _load_persons(self, ps: Persons) -> None:
        n = len(ps)
        a = self.a
        a["person"][:n] = np.arange(n)
        a["birth_day"][:n] = ps.birth_day
        aow_day = cal.aow_day(ps.birth_day)
        a["aow_day"][:n] = aow_day
        a["aow_m"][:n] = cal.month_of_day(aow_day - 1)  # the last day on benefit is the day before
        a["female"][:n] = ps.gender == 1
        for name in ("edu", "lang", "sh", "dgr", "hh", "eta"):
            a[name][:n] = getattr(ps, name)
        a["e"][:n] = ps.e_static

    def _grow(self, needed: int) -> None:
        cap = len(self.a["person"])
        if needed <= cap:
            return
        new_cap = max(needed, cap * 2)
        for name, (dt, init) in _FIELDS.items():
            grown = np.full(new_cap, init, dtype=dt)
            grown[:cap] = self.a[name]
            self.a[name] = grown

    # --- main loop ----------------------------------------------------------------------
    def run(self) -> None:
        for t in range(self.f.first_month, self.f.last_month + 1):
            self.step(t)
            if self.progress is not None:
                self.progress(t - self.f.first_month + 1)
        self._finish()

    def step(self, t: int) -> None:
        rows = self._context(np.flatnonzero(self.a["status"][: self.size] == 1), t)
        rows.choice, rows.noshow = self._referrals(rows.idx, rows.ctx, t)
        rows = self._clone(rows, t)
        self._record_noshows(rows.idx, rows.choice, rows.noshow, t)
        starting = (rows.choice >= 0) & ~rows.noshow
        start_day = self._start_trajectories(
            rows.idx[starting], rows.choice[starting], rows.ctx.group[starting], t
        )
        not_before = np.full(len(rows.idx), MISSING, dtype=np.int64)
        not_before[starting] = start_day  # an exit in the start month must come after the start
        leaving, reason, end_day = self._exits(rows, t, not_before)
        self._leave(rows.idx[leaving], reason[leaving], end_day[leaving], t)
        stay = rows.idx[~leaving]
        self._trajectory_ends(stay, t)
        self._part_time_work(stay, t)
        self._switches(stay, t)
        self._diagnoses(stay, t)
        if t >= self.f.window_month:
            self._contacts_and_measures(stay, rows.ctx.group[~leaving], t)
        self._retire_clones(t)
        self._enter(t)

    # --- context --------------------------------------------------------------------------
    def _context(self, idx: np.ndarray, t: int) -> Month:
        a = self.a
        first = int(cal.first_day(t))
        age = (first - a["birth_day"][idx]) / 365.2425
        months_on = t - a["spell_m"][idx]
        placed = (a["pl_kind"][idx] > 0) & (a["pl_start"][idx] < t) & (t <= a["pl_end"][idx])
        group = pol.groups(a["mtw"][idx], a["ladder"][idx], a["dgr"][idx], placed)
        tr_i = a["tr_i"][idx]
        running = (tr_i >= 0) & (a["tr_start"][idx] < t) & (t <= a["tr_end"][idx])
        eligible = (
            ~running
            & (months_on >= 2)
            & (group != pol.ONBEKEND)
            & (t >= self.f.window_month)
            & (a["aow_m"][idx] > t + 2)
        )
        ctx = pol.Context(
            group=group,
            age=age,
            months_on=months_on,
            dgr=a["dgr"][idx],
            sh=a["sh"][idx],
            lang=a["lang"][idx],
            edu=a["edu"][idx],
            hh=a["hh"][idx],
            ladder=a["ladder"][idx],
            wv=a["wv"][idx],
            started=a["started"][idx],
            eligible=eligible,
        )
        return Month(idx, ctx, self._trajectory_effect(idx, t, running), placed)

    def _trajectory_effect(self, idx: np.ndarray, t: int, running: np.ndarray) -> np.ndarray:
        """Log multiplier of the work hazard from the current or last trajectory."""
        a = self.a
        tr_i = a["tr_i"][idx]
        has = tr_i >= 0
        k = np.where(has, tr_i, 0)
        since_end = t - a["tr_end"][idx]
        completed = has & ~running & (a["tr_state"][idx] == 1)
        after = np.where(
            since_end <= _SPIKE_M[k],
            _LOG_SPIKE[k],
            np.where(since_end <= _AFTER_M[k], _LOG_AFTER[k], _LOG_LATER[k]),
        )
        log_mult = np.where(running, _LOG_DURING[k], np.where(completed, after, 0.0))
        return log_mult * _GROUP_POWER[a["tr_group"][idx]]

    # --- referrals and starts -------------------------------------------------------------
    def _referrals(self, idx: np.ndarray, ctx: pol.Context, t: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(idx)
        if t < self.f.window_month or not ctx.eligible.any():
            return np.full(n, -1), np.zeros(n, dtype=bool)
        choice = np.full(n, -1)
        noshow = np.zeros(n, dtype=bool)
        rows = np.flatnonzero(ctx.eligible & (self.a["suppress"][idx] != t))
        sub = ctx.subset(rows)
        keys = self.a["person"][idx[rows]]
        u_refer, u_pick = rng.uniform_pair(self.f.seed, keys, t, S_REFER)
        picked = pol.choose(pol.propensities(sub), u_refer, u_pick)
        u_noshow, _ = rng.uniform_pair(self.f.seed, keys, t, S_NOSHOW)
        choice[rows] = picked
        noshow[rows] = (picked >= 0) & (u_noshow < pol.noshow_probability(np.maximum(picked, 0), sub))
        return choice, noshow

    def _clone(self, rows: Month, t: int) -> Month:
        """Add the counterfactual copies of this month's starters (see the module docstring)."""
        a = self.a
        factual = a["clone"][rows.idx] < 0
        if self.f.clone_months is not None:
            pick = factual & (t in self.f.clone_months)
        else:
            pick = factual & (rows.choice >= 0) & ~rows.noshow & (t >= self.f.window_month)
        if not pick.any():
            return rows
        src = rows.idx[pick]
        new = np.arange(self.size, self.size + len(src))
        self._grow(self.size + len(src))
        for name in _FIELDS:
            self.a[name][new] = self.a[name][src]
        a = self.a
        a["clone"][new] = np.arange(self.n_clones, self.n_clones + len(src))
        a["clone_end"][new] = t + p.MAX_HORIZON - 1
        a["suppress"][new] = t
        a["tr_rec"][new] = -1
        self.n_clones += len(src)
        self.size += len(src)
        return rows.extended(np.flatnonzero(pick), new)

    def _record_noshows(self, idx: np.ndarray, choice: np.ndarray, noshow: np.ndarray, t: int) -> None:
        sel = noshow & (self.a["clone"][idx] < 0)
        if not sel.any():
            return
        persons = self.a["person"][idx[sel]]
        u, _ = rng.uniform_pair(self.f.seed, persons, t, S_TRAJ2)
        day = cal.first_day(t) + (u * 28).astype(np.int64)
        self.traj.append(
            person=persons,
            instr=choice[sel],
            month=np.full(len(persons), t),
            referral_day=day,
            result=np.full(len(persons), 1),
            group=np.full(len(persons), -1),
        )

    def _start_trajectories(self, idx: np.ndarray, k: np.ndarray, group: np.ndarray, t: int) -> np.ndarray:
        a = self.a
        keys = a["person"][idx]
        u_dur, u_day = rng.uniform_pair(self.f.seed, keys, t, S_TRAJ)
        u_drop, u_drop_m = rng.uniform_pair(self.f.seed, keys, t, S_TRAJ2)
        dur = _DUR_LO[k] + (u_dur * (_DUR_HI[k] - _DUR_LO[k] + 1)).astype(np.int64)
        first = int(cal.first_day(t))
        start_day = first + 1 + (u_day * 26).astype(np.int64)  # day 2..27: running from next month
        plan_m = t + dur
        plan_day = cal.first_day(plan_m) + (start_day - first)
        drops = (u_drop < _DROPOUT[k]) & (dur >= 2)
        drop_m = np.where(drops, t + 1 + (u_drop_m * (dur - 1)).astype(np.int64), NEVER)
        a["tr_i"][idx] = k
        a["tr_start"][idx] = t
        a["tr_end"][idx] = plan_m
        a["tr_state"][idx] = 0
        a["tr_drop"][idx] = drop_m
        a["tr_group"][idx] = group
        a["tr_start_day"][idx] = start_day
        a["tr_plan_day"][idx] = plan_day
        a["started"][idx] |= (1 << k).astype(np.int32)
        self._start_instrument_placements(idx, k, t, start_day, plan_m, plan_day)
        factual = a["clone"][idx] < 0
        if factual.any():
            fi = idx[factual]
            u_ref, _ = rng.uniform_pair(self.f.seed, keys[factual], t, S_END)
            sd = start_day[factual]
            referral = sd - (u_ref * (sd - first + 1)).astype(np.int64)
            rows = self.traj.append(
                person=keys[factual],
                instr=k[factual],
                month=np.full(len(fi), t),
                referral_day=referral,
                start_day=sd,
                plan_day=plan_day[factual],
                result=np.full(len(fi), 3),
                group=group[factual],
            )
            a["tr_rec"][fi] = rows
        return start_day

    def _start_instrument_placements(
        self,
        idx: np.ndarray,
        k: np.ndarray,
        t: int,
        start_day: np.ndarray,
        plan_m: np.ndarray,
        plan_day: np.ndarray,
    ) -> None:
        a = self.a
        kind = _PLACES[k]
        sel = kind > 0
        if not sel.any():
            return
        sub = idx[sel]
        # A running part-time job is replaced by the subsidised or trial placement.
        self._end_placements(sub, t, start_day[sel])
        a["pl_kind"][sub] = kind[sel]
        a["pl_start"][sub] = t
        a["pl_end"][sub] = plan_m[sel]
        a["pl_start_day"][sub] = start_day[sel]
        a["pl_end_day"][sub] = plan_day[sel]

    # --- exits ----------------------------------------------------------------------------
    def _exits(
        self, rows: Month, t: int, not_before: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Who leaves this month, why, and on which day. Other reasons are drawn first and
        do not depend on instruments, so a start only moves exits to work."""
        a = self.a
        idx, ctx = rows.idx, rows.ctx
        keys = a["person"][idx]
        u_other, u_reason = rng.uniform_pair(self.f.seed, keys, t, S_EXIT_OTHER)
        u_work, u_day = rng.uniform_pair(self.f.seed, keys, t, S_EXIT_WORK)
        aow = a["aow_m"][idx] <= t
        rates = self._other_rates(idx, ctx)
        total = np.add.reduce(rates)
        other = ~aow & (u_other < -np.expm1(-total))
        pick = np.zeros(len(idx), dtype=np.int64)
        if other.any():
            sub = np.stack([r[other] for r in rates], axis=1)
            target = (u_reason[other] * total[other])[:, None]
            pick[other] = np.minimum((np.cumsum(sub, axis=1) <= target).sum(axis=1), len(_OTHER_CODES) - 1)
        work_rate = np.exp(self._log_work_hazard(idx, ctx, rows.placed, t) + rows.log_mult)
        work = ~aow & ~other & (u_work < -np.expm1(-work_rate))
        leaving = aow | other | work
        reason = np.where(aow, p.AOW, np.where(work, p.WERK, _OTHER_CODES[pick]))
        first = int(cal.first_day(t))
        day = first + 1 + (u_day * 27).astype(np.int64)  # day 2..28
        day = np.maximum(day, not_before + 1)
        day = np.where(aow, a["aow_day"][idx], day)
        return leaving, reason, day

    def _log_work_hazard(self, idx: np.ndarray, ctx: pol.Context, placed: np.ndarray, t: int) -> np.ndarray:
        a = self.a
        years_on = ctx.months_on / 12.0
        year = int(cal.year_of_month(t))
        return (
            p.WORK_INTERCEPT
            + a["e"][idx]
            + p.WORK_AGE_SLOPE * np.maximum(ctx.age - 30, 0)
            + p.WORK_AGE55_SLOPE * np.maximum(ctx.age - 55, 0)
            + p.WORK_YEARLY_DECAY * np.minimum(years_on, 10)
            + np.where(ctx.months_on < 6, p.WORK_EARLY_BOOST, 0.0)
            + p.WORK_PLACED * placed
            + p.WORK_PRIOR_SPELL * np.minimum(a["n_spells"][idx] - 1, 3)
            + p.CYCLE_WORK.get(year, 0.0)
        )

    def _other_rates(self, idx: np.ndarray, ctx: pol.Context) -> list[np.ndarray]:
        a = self.a
        age = ctx.age
        bounds = np.asarray([b for b, _ in p.OTHER_DURATION])
        factors = np.asarray([f for _, f in p.OTHER_DURATION])
        scale = (
            np.exp(p.OTHER_ETA * a["eta"][idx])
            * factors[np.searchsorted(bounds, ctx.months_on, side="right")]
        )
        male = a["female"][idx] == 0
        hh = a["hh"][idx]
        cols = []
        for reason in _OTHER_REASONS:
            base = p.OTHER_RATE[reason]
            if reason == "onderwijs":
                col = np.where(age < 27, p.ONDERWIJS_YOUNG, np.where(age < 35, 0.0008, base)) * scale
            elif reason == "overlijden":
                col = p.MORTALITY_AT_40 * np.exp(0.077 * (age - 40))
            elif reason == "detentie":
                col = base * np.where(male, 3.0, 0.4) * np.where(age < 40, 2.0, 0.5)
            elif reason == "partner_inkomen":
                col = base * np.where(hh == 2, 0.3, 1.2) * np.where(age < 50, 1.0, 0.5) * scale
            elif reason == "rechtmatigheid":
                col = base * np.where(ctx.months_on < 24, 1.6, 0.8)
            elif reason == "verhuizing":
                col = base * np.where(age < 35, 1.5, 0.8) * scale
            else:
                col = np.full(len(idx), base) * scale
            cols.append(np.broadcast_to(col, (len(idx),)))
        return cols

    def _leave(self, idx: np.ndarray, reason: np.ndarray, end_day: np.ndarray, t: int) -> None:
        if not len(idx):
            return
        a = self.a
        clone = a["clone"][idx]
        is_clone = clone >= 0
        if is_clone.any():
            self.clone_out["clone"].append(clone[is_clone])
            self.clone_out["exit_m"].append(np.full(int(is_clone.sum()), t))
            self.clone_out["reason"].append(reason[is_clone])
            a["status"][idx[is_clone]] = 3
        f = idx[~is_clone]
        if not len(f):
            return
        reason, end_day = reason[~is_clone], end_day[~is_clone]
        persons = a["person"][f]
        lks_job = (reason == p.WERK) & (a["pl_kind"][f] == 3) & (a["pl_end"][f] >= t)
        self.rec.add("benefits", person=persons, start_day=a["ben_day"][f], end_day=end_day, reason=reason)
        self.rec.add(
            "exits",
            person=persons,
            month=np.full(len(f), t),
            reason=reason,
            end_day=end_day,
            spell_day=a["spell_day"][f],
            lks_job=lks_job,
        )
        self._end_trajectories_at_exit(f, reason, end_day, t)
        self._keep_subsidised_jobs(f, reason, t)
        self._end_placements(f, t, end_day)
        self._schedule_returns(f, reason, t)

    def _keep_subsidised_jobs(self, f: np.ndarray, reason: np.ndarray, t: int) -> None:
        """A running LKS placement is the job the client leaves for: it runs to its planned
        end (kind 4: recorded now, never shortened), so a return before then is 'geplaatst'."""
        a = self.a
        keep = f[(reason == p.WERK) & (a["pl_kind"][f] == 3) & (a["pl_end"][f] >= t)]
        if not len(keep):
            return
        own = keep[a["clone"][keep] < 0]
        self.rec.add(
            "placements",
            person=a["person"][own],
            kind=np.full(len(own), 3),
            start_day=a["pl_start_day"][own],
            end_day=a["pl_end_day"][own],
        )
        a["pl_kind"][keep] = 4

    def _end_trajectories_at_exit(
        self, f: np.ndarray, reason: np.ndarray, end_day: np.ndarray, t: int
    ) -> None:
        a = self.a
        k = a["tr_i"][f]
        running = (k >= 0) & (a["tr_state"][f] == 0) & (a["tr_start"][f] <= t) & (t <= a["tr_end"][f])
        goes_on = running & (reason == p.WERK) & _CONTINUES[np.maximum(k, 0)]
        if goes_on.any():
            g = f[goes_on]
            a["tr_state"][g] = 1
            a["tr_drop"][g] = NEVER
            self.traj.finish(a["tr_rec"][g], a["tr_plan_day"][g], np.zeros(len(g), dtype=np.int64))
        stop = running & ~goes_on
        if stop.any():
            s = f[stop]
            result = np.where(reason[stop] == p.WERK, 0, 2)
            a["tr_state"][s] = 2
            a["tr_end"][s] = t
            self.traj.finish(a["tr_rec"][s], end_day[stop], result)

    def _schedule_returns(self, f: np.ndarray, reason: np.ndarray, t: int) -> None:
        a = self.a
        u_when, u_gap = rng.uniform_pair(self.f.seed, a["person"][f], t, S_RETURN)
        tilt = np.exp(p.RETURN_ETA * a["eta"][f])
        soon = np.minimum(np.asarray(p.RETURN_WITHIN_YEAR)[reason] * tilt, 0.9)
        later = np.minimum(np.asarray(p.RETURN_LATER)[reason] * tilt, 0.9 - soon)
        gap = np.where(
            u_when < soon,
            1 + (11.999 * u_gap**1.6).astype(np.int64),
            np.where(u_when < soon + later, 12 + (60 * u_gap).astype(np.int64), -1),
        )
        gone = (gap < 0) | (reason == p.AOW) | (reason == 4)
        a["status"][f] = np.where(gone, 3, 2)
        ret = t + gap
        back = ~gone & (ret <= self.f.last_month) & (ret < a["aow_m"][f] - 1)
        a["ret_m"][f] = np.where(back, ret, NEVER)
        for month in np.unique(ret[back]):
            self.returns.setdefault(int(month), []).append(f[back & (ret == month)])

    # --- stayers ----------------------------------------------------------------------------
    def _trajectory_ends(self, idx: np.ndarray, t: int) -> None:
        a = self.a
        k = a["tr_i"][idx]
        active = (k >= 0) & (a["tr_state"][idx] == 0) & (a["tr_start"][idx] < t)
        drop = active & (a["tr_drop"][idx] == t)
        done = active & ~drop & (a["tr_end"][idx] == t)
        first = int(cal.first_day(t))
        if drop.any():
            d = idx[drop]
            u, _ = rng.uniform_pair(self.f.seed, a["person"][d], t, S_END)
            day = first + 1 + (u * 27).astype(np.int64)
            a["tr_state"][d] = 2
            a["tr_end"][d] = t
            self._finish_records(d, day, np.full(len(d), 2))
            self._end_instrument_placements(d, t, day)
        if done.any():
            c = idx[done]
            kk = k[done]
            u_ok, u_bonus = rng.uniform_pair(self.f.seed, a["person"][c], t, S_END)
            a["tr_state"][c] = 1
            a["bonus"][c] += (u_bonus < _BONUS[kk]).astype(np.int8)
            self._finish_records(c, a["tr_plan_day"][c], np.where(u_ok < _SUCCESS[kk], 0, 1))
            self._end_instrument_placements(c, t, a["tr_plan_day"][c])

    def _finish_records(self, idx: np.ndarray, day: np.ndarray, result: np.ndarray) -> None:
        rows = self.a["tr_rec"][idx]
        own = rows >= 0
        self.traj.finish(rows[own], day[own], result[own])

    def _end_instrument_placements(self, idx: np.ndarray, t: int, day: np.ndarray) -> None:
        a = self.a
        sel = np.isin(a["pl_kind"][idx], (2, 3)) & (a["pl_start"][idx] < t)
        self._end_placements(idx[sel], t, day[sel])

    def _end_placements(self, idx: np.ndarray, t: int, day: np.ndarray) -> None:
        """Close running placements on `day` (recorded for factual clients)."""
        a = self.a
        kind = a["pl_kind"][idx]
        running = (kind > 0) & (kind != 4) & (a["pl_end"][idx] >= t)
        r = idx[running]
        if not len(r):
            return
        day = np.maximum(day[running], a["pl_start_day"][r] + 1)
        own = a["clone"][r] < 0
        self.rec.add(
            "placements",
            person=a["person"][r[own]],
            kind=a["pl_kind"][r[own]],
            start_day=a["pl_start_day"][r[own]],
            end_day=day[own],
        )
        a["pl_kind"][r] = 0
        a["pl_end"][r] = t

    def _part_time_work(self, idx: np.ndarray, t: int) -> None:
        a = self.a
        ending = (a["pl_kind"][idx] == 1) & (a["pl_end"][idx] == t)
        if ending.any():
            self._end_placements(idx[ending], t, a["pl_end_day"][idx[ending]])
        free = (a["pl_kind"][idx] == 0) | (a["pl_end"][idx] < t)
        cand = idx[free & ~ending]
        if not len(cand):
            return
        u_start, u_len = rng.uniform_pair(self.f.seed, a["person"][cand], t, S_PLACE)
        rate = np.exp(p.PLACE_INTERCEPT + p.PLACE_E * a["e"][cand])
        go = u_start < -np.expm1(-rate)
        g = cand[go]
        lo, hi = p.PLACE_MONTHS
        months = lo + (u_len[go] * (hi - lo + 1)).astype(np.int64)
        first = int(cal.first_day(t))
        start_day = (
            first + 1 + ((u_start[go] / np.maximum(-np.expm1(-rate[go]), 1e-12)) * 26).astype(np.int64)
        )
        a["pl_kind"][g] = 1
        a["pl_start"][g] = t
        a["pl_end"][g] = t + months
        a["pl_start_day"][g] = start_day
        a["pl_end_day"][g] = cal.first_day(t + months) + (start_day - first)

    def _switches(self, idx: np.ndarray, t: int) -> None:
        a = self.a
        own = idx[a["clone"][idx] < 0]
        u, u_day = rng.uniform_pair(self.f.seed, a["person"][own], t, S_SWITCH)
        s = own[u < p.SWITCH_RATE]
        if not len(s):
            return
        day = int(cal.first_day(t)) + 1 + (u_day[u < p.SWITCH_RATE] * 27).astype(np.int64)
        day = np.maximum(day, a["ben_day"][s] + 1)
        self.rec.add(
            "benefits",
            person=a["person"][s],
            start_day=a["ben_day"][s],
            end_day=day,
            reason=np.full(len(s), p.OVERIG),
        )
        a["ben_day"][s] = day

    def _diagnoses(self, idx: np.ndarray, t: int) -> None:
        a = self.a
        d = idx[a["next_diag"][idx] <= t]
        if not len(d):
            return
        keys = a["person"][d]
        first = int(cal.first_day(t))
        z_mtw = rng.normal(self.f.seed, keys, t, S_DIAG)
        z_ladder = rng.normal(self.f.seed, keys, t, S_DIAG2)
        u_by, u_day = rng.uniform_pair(self.f.seed, keys, t, S_DIAG3)
        u_target, u_override = rng.uniform_pair(self.f.seed, keys, t, S_END)
        by_consultant = u_by < p.CONSULTANT_SHARE
        age = (first - a["birth_day"][d]) / 365.2425
        years_on = (t - a["spell_m"][d]) / 12.0
        e_t = (
            a["e"][d]
            + p.WORK_AGE_SLOPE * np.maximum(age - 30, 0)
            + p.WORK_AGE55_SLOPE * np.maximum(age - 55, 0)
            + p.WORK_YEARLY_DECAY * np.minimum(years_on, 10)
        )
        noise = np.where(by_consultant, p.MTW_NOISE_CONSULTANT, p.MTW_NOISE_TOOL)
        mtw = np.clip(np.rint(np.exp(p.MTW_LOG_MEAN + p.MTW_SLOPE * e_t + noise * z_mtw)), 0, 120).astype(
            np.int16
        )
        placed = (a["pl_kind"][d] > 0) & (a["pl_start"][d] < t) & (t <= a["pl_end"][d])
        score = e_t + p.LADDER_DGR * a["dgr"][d] + p.LADDER_NOISE * z_ladder + 0.45 * a["bonus"][d]
        ladder = 1 + np.searchsorted(np.asarray(p.LADDER_CUTS), score).astype(np.int8)
        # Part-time work is trede 5 (paid work with support), sometimes 6.
        ladder = np.where(placed & (u_target < 0.08), 6, np.where(placed & (ladder < 5), 5, ladder)).astype(
            np.int8
        )
        wv = np.clip(np.rint(100 / (1 + np.exp(-(1.6 + 0.9 * e_t + 0.5 * z_ladder)))), 5, 100)
        wv = np.where(a["dgr"][d] == 1, np.clip(wv - 35, 5, 85), wv).astype(np.int8)
        target = np.minimum(ladder + (u_target < 0.75) + (u_target < 0.2), 6).astype(np.int8)
        a["mtw"][d] = mtw
        a["ladder"][d] = ladder
        a["wv"][d] = wv
        group = pol.groups(mtw, ladder, a["dgr"][d], placed)
        a["next_diag"][d] = t + _DIAG_INTERVAL[group] + (u_day * 3).astype(np.int64)
        own = a["clone"][d] < 0
        if own.any():
            override = np.where(by_consultant, (u_override * len(p.OVERRIDE_REASONS)).astype(np.int64), -1)
            self.rec.add(
                "diagnoses",
                person=keys[own],
                day=(first + 1 + (u_day * 27).astype(np.int64))[own],
                mtw=mtw[own],
                ladder=ladder[own],
                target=target[own],
                wv=wv[own],
                override=override[own],
                score=score[own],
            )

    def _contacts_and_measures(self, idx: np.ndarray, group: np.ndarray, t: int) -> None:
        own = self.a["clone"][idx] < 0
        idx, group = idx[own], group[own]
        keys = self.a["person"][idx]
        u1, u2 = rng.uniform_pair(self.f.seed, keys, t, S_CONTACT)
        lam = np.asarray(p.CONTACT_RATE)[group]
        # Poisson counts 0..3 by inversion.
        c0 = np.exp(-lam)
        c1 = c0 * (1 + lam)
        c2 = c1 + c0 * lam**2 / 2
        count = (u1 >= c0).astype(np.int64) + (u1 >= c1) + (u1 >= c2)
        has = count > 0
        self.rec.add(
            "contacts", person=keys[has], month=np.full(int(has.sum()), t), count=count[has], group=group[has]
        )
        m1, m2 = rng.uniform_pair(self.f.seed, keys, t, S_MEASURE)
        cum = np.cumsum([m[1] for m in p.MEASURES])
        kind = np.searchsorted(cum, m1, side="right")
        hit = kind < len(p.MEASURES)
        self.rec.add(
            "measures", person=keys[hit], month=np.full(int(hit.sum()), t), kind=kind[hit], u=m2[hit]
        )

    def _retire_clones(self, t: int) -> None:
        a = self.a
        lo = len(self.persons)
        done = np.flatnonzero((a["status"][lo : self.size] == 1) & (a["clone_end"][lo : self.size] <= t)) + lo
        a["status"][done] = 3

    # --- entries ----------------------------------------------------------------------------
    def _enter(self, t: int) -> None:
        a = self.a
        lo, hi = self.entry_bounds[t - self.f.first_month], self.entry_bounds[t - self.f.first_month + 1]
        new = np.arange(lo, hi)
        back = self.returns.pop(t, [])
        idx = np.concatenate([new, *back]) if back else new
        if not len(idx):
            return
        idx = idx[a["aow_m"][idx] > t + 1]  # nobody applies in the last month before AOW
        keys = a["person"][idx]
        u_day, _ = rng.uniform_pair(self.f.seed, keys, t, S_ENTRY)
        day = cal.first_day(t) + (u_day * 28).astype(np.int64)
        a["status"][idx] = 1
        a["spell_m"][idx] = t
        a["spell_day"][idx] = day
        a["ben_day"][idx] = day
        a["n_spells"][idx] += 1
        a["next_diag"][idx] = t + 1  # intake diagnosis in the month after the application
        a["ret_m"][idx] = NEVER

    # --- end ---------------------------------------------------------------------------------
    def _finish(self) -> None:
        a = self.a
        n = len(self.persons)
        on = np.flatnonzero(a["status"][:n] == 1)
        self.rec.add(
            "benefits",
            person=on,
            start_day=a["ben_day"][on],
            end_day=np.full(len(on), MISSING),
            reason=np.full(len(on), -1),
        )
        kind = a["pl_kind"][:n]
        running_pl = np.flatnonzero((kind > 0) & (kind != 4) & (a["pl_end"][:n] >= self.f.last_month))
        self.rec.add(
            "placements",
            person=running_pl,
            kind=a["pl_kind"][running_pl],
            start_day=a["pl_start_day"][running_pl],
            end_day=a["pl_end_day"][running_pl],
        )
        self.ongoing = on

    def clone_outcomes(self) -> dict[str, np.ndarray]:
        out = {
            k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in self.clone_out.items()
        }
        lo = len(self.persons)
        clones = np.arange(lo, self.size)
        return {
            "clone_person": self.a["person"][clones],
            "clone_month": self.a["suppress"][clones],
            "clone_started": self.a["started"][clones],
            "exit_clone": out["clone"],
            "exit_m": out["exit_m"],
            "exit_reason": out["reason"],
            "clone_id": self.a["clone"][clones],
        }
