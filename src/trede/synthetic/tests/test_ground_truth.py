"""ground_truth.json: effects in the published ranges, recoverable from the CSVs alone,
and counterfactual paths that share the factual path's random numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from trede.synthetic import groundtruth, simulate
from trede.synthetic.engine import MISSING
from trede.synthetic.generator import simulate_municipality
from trede.synthetic.tests import figures as F


@pytest.fixture(scope="module")
def truth(municipality) -> dict:
    return json.loads((municipality.folder / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def starts(municipality) -> pd.DataFrame:
    """Every trajectory start in the CSVs with the interchange.md outcome, group and horizons."""
    folder = municipality.folder
    t = F.load(folder, "trajectories.csv")
    t = t[t["start_date"] != ""].copy()
    t["m"] = pd.to_datetime(t["start_date"]).dt.to_period("M")
    t["first"] = t["m"].dt.to_timestamp()
    window_first = pd.Timestamp(truth_start(municipality)).to_period("M")
    t = t[t["m"] >= window_first].reset_index(drop=True)
    sp = F.spells(F.load(folder, "benefits.csv"))
    both = t.reset_index().merge(sp, on="client_id")
    active = both[(both["start"] <= both["first"]) & (both["end"].isna() | (both["end"] > both["first"]))]
    t["on_benefit"] = t.index.isin(active["index"])
    spell = active.set_index("index")
    t["spell_end"] = spell["end"].reindex(t.index)
    t["spell_reason"] = spell["reason"].reindex(t.index)
    data_end = pd.Timestamp(municipality.end)
    for h in (12, 24):
        horizon_first = (t["m"] + h).dt.to_timestamp()
        t[f"counted_{h}"] = t["on_benefit"] & (horizon_first <= data_end)
        t[f"work_{h}"] = (t["spell_reason"] == "werk") & (t["spell_end"] < horizon_first)
    t["group"] = _groups_at_start(folder, t)
    return t


def truth_start(municipality) -> str:
    return f"{municipality.end.year - municipality.years}-01-01"


def _groups_at_start(folder, t: pd.DataFrame) -> pd.Series:
    clients = F.load(folder, "clients.csv")
    diagnoses = F.load(folder, "diagnoses.csv")
    placements = F.load(folder, "placements.csv")
    out = pd.Series("", index=t.index)
    for first, rows in t.groupby("first"):
        out[rows.index] = F.client_groups(clients, diagnoses, placements, rows["client_id"], first).to_numpy()
    return out


def test_every_start_is_on_a_pw_benefit_on_the_first_day_of_its_month(starts):
    assert starts["on_benefit"].all()


def test_counts_of_starts_per_instrument_group_and_horizon_are_recoverable_from_the_csvs(truth, starts):
    for code, block in truth["instruments"].items():
        rows = starts[starts["instrument_code"] == code]
        for h in ("12", "24"):
            assert block["n_starts"][h] == int(rows[f"counted_{h}"].sum()), (code, h)
            by_group = rows[rows[f"counted_{h}"]].groupby("group").size()
            truth_groups = {
                g: b["n_starts"][h] for g, b in block["by_client_group"].items() if b["n_starts"][h]
            }
            assert truth_groups == by_group.to_dict(), (code, h)


def test_factual_outcomes_in_the_csvs_are_the_simulated_outcomes(municipality, starts):
    sim = simulate_municipality(
        clients=municipality.clients,
        years=municipality.years,
        seed=municipality.seed,
        end_date=municipality.end,
    )
    e = sim.engine
    keep = np.zeros(len(sim.persons), dtype=bool)
    keep[sim.retained] = True
    tr = e.traj.table()
    sel = (tr["start_day"] != MISSING) & keep[tr["person"]] & (tr["month"] >= sim.window.window_month)
    st = {k: v[sel] for k, v in tr.items()}
    effects = groundtruth.unit_effects(st, e.rec.table("exits"), e.clone_outcomes())
    number = np.searchsorted(sim.retained, st["person"])
    engine = pd.DataFrame(
        {
            "client_id": [f"C{n + 1:07d}" for n in number],
            "start_date": pd.to_datetime(st["start_day"], unit="D").strftime("%Y-%m-%d"),
            "work_12": effects["work_m_factual"] <= st["month"] + 11,
            "work_24": effects["work_m_factual"] <= st["month"] + 23,
        }
    )
    merged = starts.merge(engine, on=["client_id", "start_date"], suffixes=("", "_engine"))
    assert len(merged) == len(starts)
    for h in (12, 24):
        counted = merged[merged[f"counted_{h}"]]
        assert (counted[f"work_{h}"] == counted[f"work_{h}_engine"]).all()


def test_effects_have_the_signs_and_sizes_of_the_literature(truth):
    att = {code: block["att"] for code, block in truth["instruments"].items()}
    n = {code: block["n_starts"] for code, block in truth["instruments"].items()}
    # Training: lock-in in the first year, gains after (Card, Kluve & Weber 2018).
    assert -0.10 <= att["SCHOLING"]["12"] < -0.01
    assert att["SCHOLING"]["24"] > 0.01
    # Wage subsidies: positive (per type, pooling the two funding variants). A sample ATT over
    # about 200 starts varies by about 0.015 between seeds, hence the loose lower bounds.
    for h in ("12", "24"):
        pooled = (att["LKS"][h] * n["LKS"][h] + att["LKS-RIB"][h] * n["LKS-RIB"][h]) / (
            n["LKS"][h] + n["LKS-RIB"][h]
        )
        assert 0.01 <= pooled <= 0.10
        assert att["LKS"][h] > 0 and 0.0 < att["PROEFPL"][h] <= 0.12
    # Job-search help: small and positive; public work experience: about zero or negative.
    assert -0.005 <= att["SOLL"]["12"] <= 0.05 and -0.005 <= att["JOBCOACH"]["12"] <= 0.05
    assert -0.06 <= att["WEP"]["12"] <= 0.005
    for code, horizons in att.items():
        for value in horizons.values():
            assert value is None or -0.15 <= value <= 0.15, code


def test_effects_differ_by_client_group(truth):
    groups = truth["instruments"]["SCHOLING"]["by_client_group"]
    big = {g: b["att"]["12"] for g, b in groups.items() if b["n_starts"]["12"] >= 25}
    assert len(big) >= 2 and max(big.values()) - min(big.values()) > 0.005


def test_a_naive_comparison_is_clearly_biased(municipality, truth, starts):
    """Treated against all eligible client-months: selection on recorded traits that are
    correlated with employability makes the raw difference far from the truth."""
    eligible = _eligible_client_months(municipality, starts)
    for code, bias in (("SOLL", 0.05), ("PROEFPL", 0.05), ("SOCACT", -0.02)):
        treated = starts[(starts["instrument_code"] == code) & starts["counted_12"]]
        naive = treated["work_12"].mean() - eligible["work_12"].mean()
        error = naive - truth["instruments"][code]["att"]["12"]
        assert error * np.sign(bias) > abs(bias), (code, naive)


def _eligible_client_months(municipality, starts: pd.DataFrame) -> pd.DataFrame:
    folder = municipality.folder
    sp = F.spells(F.load(folder, "benefits.csv"))
    first = pd.Period(truth_start(municipality), "M")
    last = pd.Period(municipality.end, "M") - 12
    rows = []
    for m in pd.period_range(first, last, freq="M"):
        day = m.to_timestamp()
        active = sp[(sp["start"] <= day) & (sp["end"].isna() | (sp["end"] > day))]
        horizon = (m + 12).to_timestamp()
        rows.append(
            pd.DataFrame(
                {
                    "m": m,
                    "client_id": active["client_id"].to_numpy(),
                    "work_12": ((active["reason"] == "werk") & (active["end"] < horizon)).to_numpy(),
                }
            )
        )
    panel = pd.concat(rows, ignore_index=True)
    treated = starts[["client_id", "m"]].drop_duplicates().assign(started=True)
    panel = panel.merge(treated, on=["client_id", "m"], how="left")
    return panel[panel["started"].isna()]


def test_resimulation_without_a_start_repeats_the_factual_path_of_untreated_clients():
    window = simulate.make_window(pd.Timestamp("2024-01-01").date(), 4)
    months = frozenset(range(window.window_month + 3, window.window_month + 36, 3))
    sim = simulate_municipality(clients=1500, years=4, seed=4, end_date=window.data_end, clone_months=months)
    e = sim.engine
    clones = e.clone_outcomes()
    tr = e.traj.table()
    started = tr["start_day"] != MISSING
    start_key = set(zip(tr["person"][started].tolist(), tr["month"][started].tolist(), strict=True))
    exits = e.rec.table("exits")
    factual_work = groundtruth._first_exit_from(
        clones["clone_person"], clones["clone_month"], exits["person"], exits["month"], exits["reason"]
    )
    clone_exit = np.full(len(clones["clone_id"]), -1)
    clone_exit[clones["exit_clone"]] = np.where(clones["exit_reason"] == 0, clones["exit_m"], -1)
    horizon_end = clones["clone_month"] + 23
    factual_within = np.where((factual_work >= 0) & (factual_work <= horizon_end), factual_work, -1)
    treated = np.asarray(
        [(p, m) in start_key for p, m in zip(clones["clone_person"], clones["clone_month"], strict=True)]
    )
    assert len(treated) > 5000 and 150 < treated.sum() < len(treated)
    same = clone_exit == factual_within
    assert same[~treated].all()
    assert not same[treated].all()  # the start mattered for some treated clients
    # Later instrument starts are repeated too: the same instruments before the clone's end.
    any_exit = np.full(len(clones["clone_id"]), -1)
    any_exit[clones["exit_clone"]] = clones["exit_m"]
    last_month = np.where(any_exit >= 0, any_exit, np.minimum(horizon_end, sim.window.last_month))
    bits = _started_bits_until(tr, clones["clone_person"], last_month)
    assert (bits[~treated] == clones["clone_started"][~treated]).all()
    assert (bits[treated] != clones["clone_started"][treated]).mean() > 0.5


def _started_bits_until(tr: dict, person: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Bit k set when the factual client started instrument k in or before `month`."""
    started = tr["start_day"] != MISSING
    order = np.lexsort((tr["month"][started], tr["person"][started]))
    p, m, k = (tr[c][started][order] for c in ("person", "month", "instr"))
    lo, hi = np.searchsorted(p, person, "left"), np.searchsorted(p, person, "right")
    out = np.zeros(len(person), dtype=np.int64)
    for i in np.flatnonzero(hi > lo):
        ks = k[lo[i] : hi[i]][m[lo[i] : hi[i]] <= month[i]]
        out[i] = int(np.bitwise_or.reduce(np.left_shift(1, ks))) if len(ks) else 0
    return out
