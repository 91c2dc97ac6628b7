"""The generated folder is a valid interchange folder, deterministic per seed, and complete."""

from __future__ import annotations

import filecmp
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from trede.synthetic.generator import ALL_FILES, CORE_FILES, generate
from trede.synthetic.tests import figures as F
from trede.synthetic.tests.interchange_check import bsn_ok, validate

REFERENCE = Path("/work/shared/reference/isco08_nl.csv")


def _isco_unit_groups() -> set[str]:
    from importlib import resources

    text = resources.files("trede.synthetic").joinpath("data/occupations.csv").read_text(encoding="utf-8")
    codes = {line.split(",")[0] for line in text.splitlines()[1:]}
    if REFERENCE.exists():  # the shipped list must be the reference's level-4 list
        ref = pd.read_csv(REFERENCE, dtype=str)
        assert codes == set(ref.loc[ref["level"] == "4", "isco_code"])
    return codes


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path):
    kwargs = {"clients": 600, "years": 3, "end_date": date(2025, 7, 15)}
    generate(tmp_path / "a", seed=5, **kwargs)
    generate(tmp_path / "b", seed=5, **kwargs)
    generate(tmp_path / "c", seed=6, **kwargs)
    names = [*ALL_FILES, "ground_truth.json"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert sorted(match) == sorted(names) and not mismatch and not errors
    _, differ, _ = filecmp.cmpfiles(
        tmp_path / "a", tmp_path / "c", ["clients.csv", "benefits.csv"], shallow=False
    )
    assert differ == ["clients.csv", "benefits.csv"]


def test_tiny_city_with_mid_month_end_date_is_valid(tmp_path):
    end = date(2025, 7, 15)
    summary = generate(tmp_path, clients=600, years=3, seed=2, end_date=end)
    assert summary["files"]["clients.csv"] == 600
    assert validate(tmp_path, end, _isco_unit_groups()) == []


def test_core_only_writes_the_core_files_and_their_references(tmp_path):
    summary = generate(tmp_path, clients=600, years=2, seed=3, core_only=True)
    written = {p.name for p in tmp_path.iterdir()}
    assert set(CORE_FILES) <= written and "ground_truth.json" in written
    assert "contacts.csv" not in written and "placements.csv" not in written
    assert validate(tmp_path, date(2026, 1, 1)) == []
    assert summary["files"]["clients.csv"] == 600


def test_every_file_parses_and_every_code_date_bsn_and_reference_is_valid(municipality):
    assert validate(municipality.folder, municipality.end, _isco_unit_groups()) == []
    for name in ALL_FILES:
        assert (municipality.folder / name).exists(), name
        assert len(F.load(municipality.folder, name)) > 0, name


def test_clients_are_the_requested_persons_with_unique_valid_bsns_and_names(municipality):
    clients = F.load(municipality.folder, "clients.csv")
    benefits = F.load(municipality.folder, "benefits.csv")
    assert len(clients) == municipality.clients
    assert clients["bsn"].is_unique and clients["bsn"].map(bsn_ok).all()
    assert set(clients["client_id"]) == set(benefits["client_id"])  # everyone has a benefit
    assert (clients["given_name"] != "").all() and (clients["family_name"] != "").all()
    assert clients["family_name"].nunique() > 50
    assert clients["municipality"].str.fullmatch(r"GM\d{4}").all()
    assert clients["postcode4"].str.fullmatch(r"[1-9]\d{3}").all()
    age_at_start = _age_at_first_benefit(clients, benefits)
    assert age_at_start.min() >= 18


def _age_at_first_benefit(clients: pd.DataFrame, benefits: pd.DataFrame) -> pd.Series:
    first = pd.to_datetime(benefits.groupby("client_id")["start_date"].min())
    birth = pd.to_datetime(clients.set_index("client_id")["birth_date"]).reindex(first.index)
    before = (first.dt.month < birth.dt.month) | (
        (first.dt.month == birth.dt.month) & (first.dt.day < birth.dt.day)
    )
    return first.dt.year - birth.dt.year - before.astype(int)


def test_benefits_mix_regulations_with_touching_and_overlapping_spells(municipality):
    b = F.load(municipality.folder, "benefits.csv")
    clients = F.load(municipality.folder, "clients.csv").set_index("client_id")
    shares = b["regulation"].value_counts(normalize=True)
    assert shares["pw"] > 0.9 and {"ioaw", "ioaz", "bbz"} <= set(shares.index)
    for regulation, min_age in (("ioaw", 50), ("ioaz", 55)):
        rows = b[b["regulation"] == regulation]
        ages = F.age_on(
            clients.loc[rows["client_id"], "birth_date"].reset_index(drop=True),
            pd.Timestamp(municipality.end),
        )
        assert len(rows) and (ages >= min_age).all()
    pairs = b.merge(b, on="client_id", suffixes=("", "_next"))
    pairs = pairs[pairs["benefit_id"] != pairs["benefit_id_next"]]
    touching = pairs[pairs["end_date"] == pairs["start_date_next"]]
    assert ((touching["regulation"] == "pw") & (touching["regulation_next"] == "pw")).sum() > 20
    assert (touching["regulation"] != touching["regulation_next"]).sum() > 3
    overlap = pairs[
        (pairs["start_date_next"] > pairs["start_date"])
        & (pairs["end_date"] != "")
        & (pairs["start_date_next"] < pairs["end_date"])
    ]
    assert (overlap["regulation_next"] == "bbz").sum() > 0
    ongoing = b[b["end_date"] == ""]
    assert len(ongoing) > 0 and (ongoing["end_reason"] == "").all()


def test_history_before_the_window_but_nothing_on_or_after_its_end(municipality):
    b = F.load(municipality.folder, "benefits.csv")
    start = date(municipality.end.year - municipality.years, 1, 1).isoformat()
    assert (b["start_date"] < start).mean() > 0.15
    trajectories = F.load(municipality.folder, "trajectories.csv")
    assert (trajectories["referral_date"] >= start).all()


def test_caseloads_are_between_50_and_120(municipality):
    consultants = F.load(municipality.folder, "consultants.csv")
    clients = F.load(municipality.folder, "clients.csv").set_index("client_id")
    b = F.load(municipality.folder, "benefits.csv")
    current = F.stock(
        F.spells(b, ("pw", "ioaw", "ioaz", "bbz")), pd.Timestamp(municipality.end) - pd.Timedelta(days=1)
    )
    loads = clients.loc[current, "consultant_id"].value_counts()
    workers = set(consultants.loc[consultants["role"] == "werkconsulent", "consultant_id"])
    assert set(loads.index) <= workers
    assert loads.min() >= 50 and loads.max() <= 120
    # Not one number for everyone (round robin gave every consultant 88 or 89): part-timers
    # carry less, so each team with several consultants has a real spread.
    teams = consultants.set_index("consultant_id").loc[loads.index, "team"]
    for team, team_loads in loads.groupby(teams):
        if len(team_loads) >= 3:
            assert team_loads.max() - team_loads.min() >= 20, (team, sorted(team_loads))
    assert {"consulent_inkomen", "accountmanager"} <= set(consultants["role"])


def test_trajectories_have_no_shows_results_and_costs(municipality):
    t = F.load(municipality.folder, "trajectories.csv")
    instruments = F.load(municipality.folder, "instruments.csv")
    assert {
        "loonkostensubsidie",
        "jobcoaching",
        "werkervaringsplaats",
        "werkstage",
        "taalstage",
        "vrijwilligerswerk",
        "arbeidsmedisch_advies",
        "scholing",
        "maatwerktraject",
        "proefplaatsing",
        "sollicitatietraining",
        "sociale_activering",
    } <= set(instruments["type"])
    noshow = t["start_date"] == ""
    assert 0.10 <= noshow.mean() <= 0.40
    per_instrument = noshow.groupby(t["instrument_code"]).mean()
    assert per_instrument.max() <= 0.45
    assert (t.loc[noshow, "cost_eur"].astype(float) == 0).all()
    assert (t.loc[~noshow, "cost_eur"].astype(float) > 0).all()
    started = t[~noshow]
    assert set(started["result"]) == {"geslaagd", "niet_geslaagd", "voortijdig_gestopt", "lopend"}
    assert (started.loc[started["end_date"] == "", "result"] == "lopend").all()


def test_diagnoses_tool_and_consultant_with_override_reasons(municipality):
    d = F.load(municipality.folder, "diagnoses.csv")
    consultant = d["assessed_by"] == "consultant"
    assert 0.2 < consultant.mean() < 0.4
    assert (d.loc[consultant, "override_reason"] != "").all() and (
        d.loc[~consultant, "override_reason"] == ""
    ).all()
    assert d["months_to_work"].astype(int).between(0, 120).all()
    assert (d["ladder_target"].astype(int) >= d["ladder_step"].astype(int)).all()


def test_placements_cover_work_exits_subsidies_and_part_time_work(municipality):
    pl = F.load(municipality.folder, "placements.csv")
    b = F.load(municipality.folder, "benefits.csv")
    assert {"lks", "proefplaatsing", "geen"} <= set(pl["subsidy"])
    work_ends = b.loc[b["end_reason"] == "werk", ["client_id", "end_date"]]
    linked = pl.merge(work_ends, left_on=["client_id", "start_date"], right_on=["client_id", "end_date"])
    assert len(linked) > 0.2 * len(work_ends)
    vacancies = F.load(municipality.folder, "vacancies.csv")
    assert vacancies["skills"].str.len().min() > 0 and (pl["vacancy_id"] != "").mean() > 0.3
    profiles = F.load(municipality.folder, "client_profiles.csv")
    assert len(profiles) > 0.6 * municipality.clients


def test_contacts_follow_the_service_level_and_measures_use_all_kinds(municipality):
    measures = F.load(municipality.folder, "measures.csv")
    assert set(measures["kind"]) == {"waarschuwing", "boete", "maatregel", "tegenprestatie"}
    contacts = F.load(municipality.folder, "contacts.csv")
    clients = F.load(municipality.folder, "clients.csv")
    diagnoses = F.load(municipality.folder, "diagnoses.csv")
    placements = F.load(municipality.folder, "placements.csv")
    day = pd.Timestamp(municipality.end.year - 1, 1, 1)
    current = F.stock(F.spells(F.load(municipality.folder, "benefits.csv")), day)
    groups = F.client_groups(clients, diagnoses, placements, current, day)
    in_year = contacts[
        (contacts["date"] >= day.date().isoformat()) & (contacts["date"] < f"{day.year}-04-01")
    ]
    per_client = in_year["client_id"].value_counts().reindex(groups.index, fill_value=0)
    rate = per_client.groupby(groups).mean()
    assert rate["werken_en_ervaren"] > 2 * rate["zorg"]


def test_ground_truth_has_the_exact_structure(municipality):
    gt = json.loads((municipality.folder / "ground_truth.json").read_text(encoding="utf-8"))
    assert set(gt) == {
        "seed",
        "clients",
        "years",
        "data_start",
        "data_end",
        "estimand",
        "horizons",
        "instruments",
    }
    assert (gt["seed"], gt["clients"], gt["years"]) == (
        municipality.seed,
        municipality.clients,
        municipality.years,
    )
    assert gt["data_end"] == municipality.end.isoformat() and gt["data_start"] == "2018-01-01"
    assert gt["horizons"] == [12, 24] and "ATT" in gt["estimand"]
    instruments = F.load(municipality.folder, "instruments.csv").set_index("instrument_code")
    assert set(gt["instruments"]) == set(instruments.index)
    for code, block in gt["instruments"].items():
        assert set(block) == {"type", "n_starts", "att", "by_client_group"}
        assert block["type"] == instruments.loc[code, "type"]
        for h in ("12", "24"):
            assert isinstance(block["n_starts"][h], int)
            assert block["att"][h] is None or isinstance(block["att"][h], float)
            assert sum(g["n_starts"][h] for g in block["by_client_group"].values()) == block["n_starts"][h]
        assert block["n_starts"]["24"] <= block["n_starts"]["12"]


@pytest.mark.parametrize("regulation", ["pw"])
def test_stock_is_never_empty(municipality, regulation):
    sp = F.spells(F.load(municipality.folder, "benefits.csv"), (regulation,))
    for year in range(municipality.end.year - municipality.years, municipality.end.year):
        assert len(F.stock(sp, pd.Timestamp(year, 6, 1))) > 1000
