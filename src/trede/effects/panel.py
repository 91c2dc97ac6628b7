"""The person-month panel behind "wat werkt voor wie" (effects per instrument).

One row per client on benefit on the first day of a start month m (the risk set), with
the client's situation on that day, and the outcome: outflow to work within H months of m
(shared interchange.md, "Meaning of the core figures"). For instrument X:

- treated: the client starts X in month m (a trajectory of X with start_date in m);
- controls: no trajectory runs on the first day of m (start_date <= D < end_date, the
  planned_end_date while end_date is empty; a no-show never runs), the client has not
  started X before, and does not start it in m. Controls may start X later: the
  question is "start now" against "not now" (a sequential, month-by-month comparison).

Treated are compared with controls of the same start month (strata), so labour-market
conditions and policy changes over the years cannot masquerade as an effect. All of it
is vectorised numpy/pandas: a city of 20,000 clients over 10 years is about a million
client-months.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from trede.casework.classification import client_group

from .bands import AGE_BANDS, DURATION_BANDS, SEGMENT_DIMENSIONS  # noqa: F401 (re-exported)
from .errors import InvalidSetting, NoStartMonth, NoStarts
from .frames import days, normalise_frames

OPEN = 10**8  # a day far beyond any data: ranges without an end date
MISSING = -(10**8)  # an empty date (days before 1970 are negative, so -1 will not do)
OUTCOMES = ("werk", "werk_duurzaam")
# Covariates of the comparison. Besides the raw numbers, bins at the thresholds that
# policy uses (shared/DOMAIN.md: jongeren < 27, 50/55-plussers, close to AOW; durations of
# 6 and 24 months and 5 and 10 years; wage value 30/55/80 %), because referral rules are
# step functions of them and a logistic model that is linear in age or duration cannot
# express a step; the client group (its months-to-work thresholds) for the same reason.
CATEGORICAL_COVARIATES = (
    "gender",
    "household",
    "education",
    "dutch_language",
    "statushouder",
    "dgr",
    "ladder_step",
    "client_group",
    "year",
    "age_bin",
    "duration_bin",
    "wage_value_bin",
)
NUMERIC_COVARIATES = (
    "age",
    "age_over_55",
    "duration_years",
    "months_to_work",
    "wage_value_pct",
    "prior_spells_max3",
    "prior_trajectories",
    "placed",
    "month_index",
)
AGE_BIN_EDGES = (22, 27, 30, 35, 40, 45, 50, 55, 58, 61, 64)
# Calendar months since the spell's first month (0 in the month the spell started): new
# clients are typically not referred in their first months, and exits are frequent early.
DURATION_BIN_EDGES = (1, 2, 3, 6, 12, 24, 60, 120)
WAGE_VALUE_BIN_EDGES = (30, 55, 80)


def month_of(day: np.ndarray) -> np.ndarray:
    """Month index (months since 1970-01) of int days; OPEN days map far into the future."""
    out = np.asarray(day, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.where(np.asarray(day) >= OPEN, 10**7, out)


def first_day(month: np.ndarray) -> np.ndarray:
    """The first day (int days) of month indices."""
    return np.asarray(month, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _to_day(value: date | str | np.datetime64 | pd.Timestamp) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _expand(starts: np.ndarray, ends: np.ndarray, m_lo: int, m_hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(range index, month) for every month m in [m_lo, m_hi] whose first day is in [start, end)."""
    first = np.maximum(month_of(starts - 1) + 1, m_lo)
    last = np.minimum(month_of(ends - 1), m_hi)
    counts = np.clip(last - first + 1, 0, None)
    idx = np.repeat(np.arange(len(starts)), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return idx, first[idx] + offsets


def _completed_years(born: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Completed years from `born` to `day` (int days); 29 February counts on 1 March."""
    b = born.astype("datetime64[D]")
    d = day.astype("datetime64[D]")
    by, dy = b.astype("datetime64[Y]").astype(np.int64), d.astype("datetime64[Y]").astype(np.int64)
    bm, dm = (
        b.astype("datetime64[M]").astype(np.int64) - by * 12,
        d.astype("datetime64[M]").astype(np.int64) - dy * 12,
    )
    bd = (b - b.astype("datetime64[M]")).astype(np.int64)
    dd = (d - d.astype("datetime64[M]")).astype(np.int64)
    before_birthday = (dm < bm) | ((dm == bm) & (dd < bd))
    return dy - by - before_birthday.astype(np.int64)


def _band(values: np.ndarray, edges: Sequence[int], labels: Sequence[str]) -> np.ndarray:
    return np.asarray(labels, dtype=object)[np.searchsorted(np.asarray(edges), values, side="right")]


def _bins(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Labels '<e0', 'e0-e1', ..., '>=ek' (and 'onbekend' for NaN) for a numeric column."""
    labels = [
        f"<{edges[0]}",
        *(f"{a}-{b}" for a, b in zip(edges[:-1], edges[1:], strict=True)),
        f">={edges[-1]}",
    ]
    out = _band(np.nan_to_num(values, nan=-1e9), edges, labels)
    return np.where(np.isnan(values), "onbekend", out)


def id_rank(ids: pd.Series | np.ndarray) -> np.ndarray:
    """Rank of each id in decision 4's order: by length first, then as text.

    So `D10` comes after `D9`, numeric ids without leading zeros order as numbers, and
    fixed-width ids order as text. Equal ids get distinct ranks in their given order.
    """
    text = np.asarray(pd.Series(ids, dtype=object).fillna("").astype(str).to_numpy(), dtype=str)
    lengths = np.char.str_len(text) if len(text) else np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(len(text)), text, lengths))
    rank = np.empty(len(text), dtype=np.int64)
    rank[order] = np.arange(len(text))
    return rank


def _asof(
    keys_rows: np.ndarray, keys_events: np.ndarray, client_rows: np.ndarray, client_events: np.ndarray
) -> np.ndarray:
    """Index of the last event with key <= row key of the same client, -1 when none.

    Keys are client * 10**9 + day, so one sorted search finds the latest event on or
    before the day without a Python loop.
    """
    pos = np.searchsorted(keys_events, keys_rows, side="right") - 1
    ok = pos >= 0
    ok[ok] = client_events[pos[ok]] == client_rows[ok]
    return np.where(ok, pos, -1)


@dataclass
class Panel:
    """The risk set of client-months and what is needed to form treated and controls.

    `rows` holds one row per client on benefit on the first day of a start month, with
    covariates, segment labels and the outcomes. `design(index)` encodes the covariates of
    some rows (the same columns for any subset). Use `arms(code)` for an instrument's
    treated and control masks.
    """

    rows: pd.DataFrame
    encoder: _Encoder = field(repr=False)
    horizon: int
    first_month: int
    last_month: int
    instruments: list[str]
    _running: np.ndarray = field(repr=False)
    _starts: Mapping[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)

    def design(self, index: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
        """Encoded covariates (float64) of the rows at `index` (all rows when None)."""
        return self.encoder.transform(np.arange(len(self.rows)) if index is None else index)

    @property
    def start_months(self) -> list[str]:
        return [str(np.datetime64(int(m), "M")) for m in range(self.first_month, self.last_month + 1)]

    def arms(self, instrument: str) -> tuple[np.ndarray, np.ndarray]:
        """Masks over `rows`: treated (start X in m) and controls (eligible, not starting)."""
        client = self.rows["client"].to_numpy()
        month = self.rows["month"].to_numpy()
        start_client, start_month = self._starts.get(
            instrument, (np.zeros(0, np.int64), np.zeros(0, np.int64))
        )
        n_clients = int(client.max()) + 1 if len(client) else 0
        first_start = np.full(max(n_clients, 1), 10**7, dtype=np.int64)
        known = start_client < n_clients
        np.minimum.at(first_start, start_client[known], start_month[known])
        width = self.last_month - self.first_month + 1
        in_grid = known & (start_month >= self.first_month) & (start_month <= self.last_month)
        started = np.zeros(max(n_clients, 1) * width, dtype=bool)
        started[start_client[in_grid] * width + (start_month[in_grid] - self.first_month)] = True
        treated = started[client * width + (month - self.first_month)]
        control = ~self._running & (first_start[client] > month)
        return treated, control


def build_panel(
    frames: Mapping[str, pd.DataFrame],
    *,
    horizon: int,
    until: date | str,
    start: date | str | None = None,
    regulations: Sequence[str] = ("pw",),
    outcome: str = "werk",
    sustained_months: int = 6,
) -> Panel:
    """The person-month panel for start months from `start` to the last m with m+H <= until.

    `until` is the exclusive end of the observed data. For `outcome="werk_duurzaam"`
    (outflow to work without a new spell starting within `sustained_months` of the exit)
    the last start month is moved back by `sustained_months` so that every exit counted
    can be followed long enough.
    """
    if outcome not in OUTCOMES:
        raise InvalidSetting("outcome", outcome, OUTCOMES)
    f = normalise_frames(frames)
    clients, benefits = f["clients"], f["benefits"]
    client_ids = pd.Index(
        pd.unique(pd.concat([clients["client_id"], benefits["client_id"]], ignore_index=True))
    )
    code_of = lambda ids: client_ids.get_indexer(ids)  # noqa: E731

    trajectories = f["trajectories"]
    traj_client = code_of(trajectories["client_id"])
    traj_start = days(trajectories["start_date"], missing=MISSING)
    started = (traj_start > MISSING) & (traj_client >= 0)
    if start is None:
        if not started.any():
            raise NoStarts("no started trajectories: give a start month")
        first_month = int(month_of(traj_start[started].min()))
    else:
        first_month = int(month_of(np.array([_to_day(start)]))[0])
    until_day = _to_day(until)
    lag = horizon + (sustained_months if outcome == "werk_duurzaam" else 0)
    last_month = int(month_of(np.array([until_day]))[0]) - lag
    if last_month < first_month:
        raise NoStartMonth(
            first_month=str(np.datetime64(first_month, "M")),
            last_month=str(np.datetime64(last_month, "M")),
            horizon=horizon,
        )

    spells = _spells(benefits[benefits["regulation"].isin(list(regulations))], code_of, sustained_months)
    s_idx, month = _expand(spells["start"], spells["end"], first_month, last_month)
    client = spells["client"][s_idx]
    d_m = first_day(month)

    exit_day = spells["end"][s_idx]
    werk = (spells["reason"][s_idx] == "werk") & (exit_day < first_day(month + horizon))
    outcome_values = werk if outcome == "werk" else werk & spells["sustained"][s_idx]

    rows = pd.DataFrame({"client": client, "month": month, "outcome": outcome_values.astype(float)})
    rows["client_id"] = client_ids.to_numpy()[client]
    rows["werk"] = werk.astype(float)

    # Client characteristics (clients absent from clients.csv read as unknown).
    crow = pd.Index(clients["client_id"]).get_indexer(client_ids)
    has = crow >= 0

    def client_col(col: str, fill: object) -> np.ndarray:
        values = np.full(len(client_ids), fill, dtype=object)
        values[has] = clients[col].to_numpy()[crow[has]]
        return values[client]

    born = np.full(len(client_ids), MISSING, dtype=np.int64)
    born[has] = days(clients["birth_date"], missing=MISSING)[crow[has]]
    known_birth = born[client] > MISSING
    age = _completed_years(np.where(known_birth, born[client], d_m), d_m).astype(float)
    age[~known_birth] = np.nan
    rows["age"] = age
    for col in ("gender", "household", "education", "dutch_language", "statushouder", "dgr"):
        rows[col] = pd.Series(client_col(col, ""), dtype=object).replace("", "onbekend").to_numpy()

    spell_start = spells["start"][s_idx]
    # Completed calendar months: a spell that started after the 1st has not completed its
    # first month on the first day of the next one.
    started_late = spell_start - first_day(month_of(spell_start)) > 0
    rows["duration_months"] = (month - month_of(spell_start) - started_late).astype(float)
    duration_years = _completed_years(spell_start, d_m)
    rows["prior_spells"] = spells["ordinal"][s_idx].astype(float)

    # Diagnoses: the latest value on or before the day, per field (a diagnosis may assess
    # only part of the picture; the ladder step follows interchange.md's definition).
    diag = f["diagnoses"]
    diag_client = code_of(diag["client_id"])
    diag_day = days(diag["date"], missing=MISSING)
    # Two diagnoses on one day: the highest diagnosis_id counts (decision 4).
    diag_rank = id_rank(diag["diagnosis_id"])
    row_keys = client.astype(np.int64) * 10**9 + d_m
    for col in ("ladder_step", "months_to_work", "wage_value_pct"):
        ok = (diag_client >= 0) & (diag_day > MISSING) & diag[col].notna().to_numpy()
        order = np.lexsort((diag_rank[ok], diag_day[ok], diag_client[ok]))
        ev_client = diag_client[ok][order]
        ev_keys = ev_client.astype(np.int64) * 10**9 + diag_day[ok][order]
        pos = _asof(row_keys, ev_keys, client, ev_client)
        values = diag[col].to_numpy(dtype=float)[ok][order]
        rows[col] = np.where(pos >= 0, values[np.maximum(pos, 0)], np.nan) if len(values) else np.nan

    # Trajectories: running on the first day of m, count started before it, starts per X.
    traj_run_end = days(trajectories["end_date"], missing=MISSING)
    planned = days(trajectories["planned_end_date"], missing=MISSING)
    traj_run_end = np.where(traj_run_end > MISSING, traj_run_end, np.where(planned > MISSING, planned, OPEN))
    width = last_month - first_month + 1
    n_clients = len(client_ids)
    running = _running_on_first_days(
        traj_client[started], traj_start[started], traj_run_end[started], first_month, last_month, n_clients
    )[client * width + (month - first_month)]
    tkeys = np.sort(traj_client[started].astype(np.int64) * 10**9 + traj_start[started])
    rows["prior_trajectories"] = (
        np.searchsorted(tkeys, row_keys, side="left")
        - np.searchsorted(tkeys, client.astype(np.int64) * 10**9)
    ).astype(float)

    placements = f["placements"]
    p_client = code_of(placements["client_id"])
    p_start = days(placements["start_date"], missing=MISSING)
    p_ok = (p_client >= 0) & (p_start > MISSING)
    placed = _running_on_first_days(
        p_client[p_ok],
        p_start[p_ok],
        days(placements["end_date"], missing=OPEN)[p_ok],
        first_month,
        last_month,
        n_clients,
    )[client * width + (month - first_month)]
    rows["placed"] = placed.astype(float)
    rows["month_index"] = (month - first_month).astype(float)
    rows["year"] = (1970 + month // 12).astype(str)
    rows["age_over_55"] = np.maximum(age - 55, 0)
    spell_month = (month - month_of(spell_start)).astype(float)
    rows["duration_years"] = np.minimum(spell_month / 12, 10)
    rows["prior_spells_max3"] = np.minimum(rows["prior_spells"].to_numpy(), 3)
    rows["age_bin"] = _bins(age, AGE_BIN_EDGES)
    rows["duration_bin"] = _bins(spell_month, DURATION_BIN_EDGES)
    rows["wage_value_bin"] = _bins(rows["wage_value_pct"].to_numpy(), WAGE_VALUE_BIN_EDGES)

    # Segments.
    rows["age_band"] = np.where(
        np.isnan(age), "onbekend", _band(np.nan_to_num(age), (21, 31, 41, 51, 61), AGE_BANDS)
    )
    rows["duration_band"] = _band(duration_years, (1, 3, 5), DURATION_BANDS)
    ladder = rows["ladder_step"].to_numpy()
    rows["ladder_step"] = np.where(
        np.isnan(ladder), "onbekend", np.nan_to_num(ladder).astype(int).astype(str)
    )
    rows["client_group"] = _client_groups(
        rows["months_to_work"].to_numpy(), ladder, rows["dgr"].to_numpy(), placed
    )

    codes = trajectories["instrument_code"].to_numpy()
    starts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for code in sorted({c for c in codes[started] if c}):
        sel = started & (codes == code)
        starts[code] = (traj_client[sel].astype(np.int64), month_of(traj_start[sel]))
    return Panel(
        rows=rows,
        encoder=_Encoder(rows),
        horizon=horizon,
        first_month=first_month,
        last_month=last_month,
        instruments=sorted(starts),
        _running=running,
        _starts=starts,
    )


def _spells(benefits: pd.DataFrame, code_of, sustained_months: int) -> dict[str, np.ndarray]:
    """Spells: benefits of a client whose ranges overlap or touch, merged (interchange.md).

    The reason is that of the benefit ending last; of two ending on the same day the one
    that started last, then the highest benefit_id (decision 4). `sustained` is True when
    no new spell of the client starts within `sustained_months` after the end.
    """
    client = code_of(benefits["client_id"])
    start = days(benefits["start_date"], missing=MISSING)
    end = days(benefits["end_date"], missing=OPEN)
    reason = benefits["end_reason"].to_numpy().astype(object)
    rank = id_rank(benefits["benefit_id"])
    ok = (client >= 0) & (start > MISSING)
    client, start, end, reason, rank = client[ok], start[ok], end[ok], reason[ok], rank[ok]
    # Sorted by start, then end, then id rank: within a spell the last row that reaches
    # the spell's end is the one decision 4 picks.
    order = np.lexsort((rank, end, start, client))
    client, start, end, reason = client[order], start[order], end[order], reason[order]
    if len(client) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return dict(
            client=empty,
            start=empty,
            end=empty,
            reason=np.zeros(0, object),
            ordinal=empty,
            sustained=np.zeros(0, bool),
        )
    frame = pd.DataFrame({"client": client, "end": end})
    reach = frame.groupby("client", sort=False)["end"].cummax().to_numpy()
    prev_reach = np.r_[-1, reach[:-1]]
    new = np.r_[True, client[1:] != client[:-1]] | (start > prev_reach)
    spell = np.cumsum(new) - 1
    n = int(spell[-1]) + 1
    s_client = client[new]
    s_start = start[new]
    s_end = np.full(n, MISSING, dtype=np.int64)
    np.maximum.at(s_end, spell, end)
    # The benefit that ends last gives the reason: the last row reaching the spell's end.
    last_row = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_row, spell, np.where(end == s_end[spell], np.arange(len(end)), -1))
    s_reason = np.where(s_end >= OPEN, "", reason[last_row])
    first_of_client = np.r_[True, s_client[1:] != s_client[:-1]]
    ordinal = np.arange(n) - np.maximum.accumulate(np.where(first_of_client, np.arange(n), 0))
    next_start = np.r_[np.where(s_client[1:] == s_client[:-1], s_start[1:], OPEN), OPEN]
    ended = s_end < OPEN
    limit = np.full(n, OPEN, dtype=np.int64)
    if ended.any():
        shifted = pd.DatetimeIndex(s_end[ended].astype("datetime64[D]")) + pd.DateOffset(
            months=sustained_months
        )
        limit[ended] = shifted.to_numpy().astype("datetime64[D]").astype(np.int64)
    return dict(
        client=s_client,
        start=s_start,
        end=s_end,
        reason=s_reason,
        ordinal=ordinal,
        sustained=next_start >= limit,
    )


def _running_on_first_days(
    client: np.ndarray, start: np.ndarray, end: np.ndarray, m_lo: int, m_hi: int, n_clients: int
) -> np.ndarray:
    """Dense flags per (client, month): some range runs on the month's first day."""
    width = m_hi - m_lo + 1
    flags = np.zeros(max(n_clients, 1) * width, dtype=bool)
    idx, month = _expand(start, end, m_lo, m_hi)
    flags[client[idx].astype(np.int64) * width + (month - m_lo)] = True
    return flags


def _client_groups(
    months_to_work: np.ndarray, ladder: np.ndarray, dgr: np.ndarray, placed: np.ndarray
) -> np.ndarray:
    """trede.casework.classification.client_group per row, evaluated once per distinct input."""
    frame = pd.DataFrame({"mtw": months_to_work, "ladder": ladder, "dgr": dgr, "placed": placed})
    combos = frame.drop_duplicates()
    labels = [
        client_group(
            months_to_work=None if np.isnan(r.mtw) else int(r.mtw),
            ladder_step=None if np.isnan(r.ladder) else int(r.ladder),
            dgr={"1": True, "0": False}.get(r.dgr),
            placed=bool(r.placed),
        )
        for r in combos.itertuples(index=False)
    ]
    combos = combos.assign(client_group=labels)
    return frame.merge(combos, on=["mtw", "ladder", "dgr", "placed"], how="left")["client_group"].to_numpy()


class _Encoder:
    """One-hot codes and numbers with missing indicators, levels fixed on the whole panel.

    Encoding only the rows an instrument uses keeps memory small: the full panel has about
    a million rows, an instrument's sample some tens of thousands.
    """

    def __init__(self, rows: pd.DataFrame):
        self.numeric: list[tuple[str, np.ndarray, np.ndarray | None]] = []
        self.categorical: list[tuple[str, np.ndarray, list[str], int]] = []
        for col in NUMERIC_COVARIATES:
            values = rows[col].to_numpy(dtype=float)
            missing = np.isnan(values)
            if missing.all():
                continue
            filled = np.where(missing, np.nanmean(values), values) if missing.any() else values
            self.numeric.append((col, filled, missing if missing.any() else None))
        for col in CATEGORICAL_COVARIATES:
            codes, levels = pd.factorize(rows[col], sort=True)
            counts = np.bincount(codes, minlength=len(levels))
            self.categorical.append(
                (col, codes.astype(np.int32), [str(v) for v in levels], int(np.argmax(counts)))
            )

    def transform(self, index: np.ndarray) -> tuple[np.ndarray, list[str]]:
        parts: list[np.ndarray] = []
        names: list[str] = []
        for col, filled, missing in self.numeric:
            if missing is not None:
                parts.append(missing[index].astype(float))
                names.append(f"{col}__onbekend")
            parts.append(filled[index])
            names.append(col)
        for col, codes, levels, reference in self.categorical:
            sub = codes[index]
            for i, level in enumerate(levels):
                if i != reference:
                    parts.append((sub == i).astype(float))
                    names.append(f"{col}={level}")
        return np.column_stack(parts), names
