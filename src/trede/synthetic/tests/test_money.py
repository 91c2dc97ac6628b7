"""The generator's payments.csv and budgets.csv: consistent with the other files."""

import csv
from datetime import date
from decimal import Decimal

from trede.synthetic.generator import generate


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_payments_and_budgets_refer_to_generated_records(tmp_path):
    generate(tmp_path, clients=400, years=3, seed=5, end_date=date(2026, 7, 1))
    payments = _read(tmp_path / "payments.csv")
    trajectories = {t["trajectory_id"]: t for t in _read(tmp_path / "trajectories.csv")}
    benefits = {b["benefit_id"] for b in _read(tmp_path / "benefits.csv")}
    placements = {p["placement_id"]: p for p in _read(tmp_path / "placements.csv")}
    assert {p["kind"] for p in payments} >= {"uitkering", "traject"}
    for p in payments:
        assert p["date"] < "2026-07-01"
        assert not p["benefit_id"] or p["benefit_id"] in benefits
        assert not p["placement_id"] or placements[p["placement_id"]]["subsidy"] == "lks"
        if p["trajectory_id"]:
            t = trajectories[p["trajectory_id"]]
            assert t["start_date"] and t["start_date"] <= p["date"]
    # a trajectory is never paid more than its cost; recoveries only for early stops
    paid: dict[str, Decimal] = {}
    for p in payments:
        if p["trajectory_id"]:
            paid[p["trajectory_id"]] = paid.get(p["trajectory_id"], Decimal(0)) + Decimal(p["amount_eur"])
            if Decimal(p["amount_eur"]) < 0:
                assert trajectories[p["trajectory_id"]]["result"] == "voortijdig_gestopt"
    assert all(total <= Decimal(trajectories[t]["cost_eur"]) + Decimal("0.01") for t, total in paid.items())
    budgets = _read(tmp_path / "budgets.csv")
    assert {b["line"] for b in budgets if b["year"] == "2026"} == {
        "trajecten",
        "werkpremies",
        "uitstroompremie",
        "plaatsingssubsidie",
        "jobcoaching",
        "loonkostensubsidie",
        "uitkeringen",
    }
    assert len({(b["year"], b["line"]) for b in budgets}) == len(budgets)
