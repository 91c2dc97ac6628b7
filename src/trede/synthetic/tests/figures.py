"""Calibration figures computed from the CSVs alone, following interchange.md's definitions.

Independent of the generator's internals, so the calibration test checks what a
municipality (or the monitor) would see in the files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from trede.casework.classification import client_group

FAR = pd.Timestamp("2262-01-01")


def load(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def spells(benefits: pd.DataFrame, regulations: tuple[str, ...] = ("pw",)) -> pd.DataFrame:
    """One row per spell: client, start, end (NaT when ongoing), reason of the benefit ending last."""
    b = benefits[benefits["regulation"].isin(regulations)].copy()
    b["start"] = pd.to_datetime(b["start_date"])
    b["end"] = pd.to_datetime(b["end_date"].replace("", None)).fillna(FAR)
    b = b.sort_values(["client_id", "start", "end"]).reset_index(drop=True)
    running_max = b.groupby("client_id")["end"].cummax()
    prev_max = running_max.groupby(b["client_id"]).shift(1)
    new_spell = prev_max.isna() | (b["start"] > prev_max)
    b["spell"] = new_spell.cumsum()
    last = b.sort_values(["spell", "end"]).groupby("spell").tail(1).set_index("spell")
    out = b.groupby("spell").agg(client_id=("client_id", "first"), start=("start", "min"), end=("end", "max"))
    out["reason"] = last["end_reason"]
    out.loc[out["end"] == FAR, "reason"] = ""
    out["end"] = out["end"].where(out["end"] != FAR)
    return out.reset_index(drop=True)


def stock(sp: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    active = (sp["start"] <= day) & (sp["end"].isna() | (sp["end"] > day))
    return sp.loc[active, "client_id"].drop_duplicates()


def yearly_flows(sp: pd.DataFrame, years: range) -> pd.DataFrame:
    rows = []
    for y in years:
        t0, t1 = pd.Timestamp(y, 1, 1), pd.Timestamp(y + 1, 1, 1)
        avg = np.mean([len(stock(sp, pd.Timestamp(y, m, 1))) for m in range(1, 13)])
        inflow = ((sp["start"] >= t0) & (sp["start"] < t1)).sum()
        ended = sp[(sp["end"] >= t0) & (sp["end"] < t1)]
        rows.append(
            {
                "year": y,
                "avg_stock": avg,
                "inflow": inflow / avg,
                "outflow": len(ended) / avg,
                "work_share": (ended["reason"] == "werk").mean(),
                "work_rate": (ended["reason"] == "werk").sum() / avg,
            }
        )
    return pd.DataFrame(rows)


DURATION_BANDS = (0.0, 0.5, 1, 2, 3, 4, 5, np.inf)
CBS_DURATIONS = (0.222, 0.151, 0.170, 0.110, 0.073, 0.050, 0.223)


def ended_durations(sp: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp) -> np.ndarray:
    ended = sp[(sp["end"] >= t0) & (sp["end"] < t1)]
    years = (ended["end"] - ended["start"]).dt.days / 365.25
    return np.histogram(years, DURATION_BANDS)[0] / len(ended)


def revolving_door_share(sp: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp) -> float:
    """Share of inflow spells starting within 365 days after the client's previous spell ended."""
    s = sp.sort_values(["client_id", "start"])
    prev_end = s.groupby("client_id")["end"].shift(1)
    inflow = (s["start"] >= t0) & (s["start"] < t1)
    back = inflow & prev_end.notna() & ((s["start"] - prev_end).dt.days <= 365)
    return back.sum() / inflow.sum()


def age_on(birth: pd.Series, day: pd.Timestamp) -> pd.Series:
    b = pd.to_datetime(birth)
    before = (day.month < b.dt.month) | ((day.month == b.dt.month) & (day.day < b.dt.day))
    return day.year - b.dt.year - before.astype(int)


def latest_diagnosis(diagnoses: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    d = diagnoses.copy()
    d["d"] = pd.to_datetime(d["date"])
    d = d[(d["d"] <= day) & (d["ladder_step"] != "")]
    return (
        d.sort_values(["client_id", "d", "diagnosis_id"]).groupby("client_id").tail(1).set_index("client_id")
    )


def placed_on(placements: pd.DataFrame, day: pd.Timestamp) -> set[str]:
    start = pd.to_datetime(placements["start_date"])
    end = pd.to_datetime(placements["end_date"].replace("", None)).fillna(FAR)
    return set(placements.loc[(start <= day) & (end > day), "client_id"])


def client_groups(
    clients: pd.DataFrame,
    diagnoses: pd.DataFrame,
    placements: pd.DataFrame,
    ids: pd.Series,
    day: pd.Timestamp,
) -> pd.Series:
    """client_group() on `day` for each client id (latest diagnosis, placement running)."""
    latest = latest_diagnosis(diagnoses, day).reindex(ids.to_numpy())
    placed = set(placed_on(placements, day))
    dgr = clients.set_index("client_id")["dgr"].reindex(ids.to_numpy())
    keys = pd.DataFrame(
        {
            "mtw": latest["months_to_work"].to_numpy(),
            "ladder": latest["ladder_step"].to_numpy(),
            "dgr": (dgr == "1").to_numpy(),
            "placed": [cid in placed for cid in ids],
        }
    )
    memo: dict[tuple, str] = {}
    out = []
    for mtw, ladder, is_dgr, is_placed in keys.itertuples(index=False):
        key = (mtw, ladder, is_dgr, is_placed)
        if key not in memo:
            known = isinstance(mtw, str) and mtw != ""
            memo[key] = client_group(
                months_to_work=int(mtw) if known else None,
                ladder_step=int(ladder) if known else None,
                dgr=bool(is_dgr),
                placed=bool(is_placed),
            )
        out.append(memo[key])
    return pd.Series(out, index=ids.to_numpy())


def to_ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)
