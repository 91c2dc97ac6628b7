"""`trede fairness matching` against the independent matching reference and a plain recount
of the groups from the interchange CSVs."""

from __future__ import annotations

import json
import statistics
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.employers.matching.fairness import matching_fairness

from . import reference_matching as ref
from .test_match_cli import DAY, make_folder

pytestmark = pytest.mark.django_db


def _band(birth: str) -> str:
    if not birth:
        return "onbekend"
    b = date.fromisoformat(birth)
    age = DAY.year - b.year - ((DAY.month, DAY.day) < (b.month, b.day))
    for upper, label in ((20, "<=20"), (30, "21-30"), (40, "31-40"), (50, "41-50"), (60, "51-60")):
        if age <= upper:
            return label
    return ">=61"


def _reference(folder, top: int) -> dict:
    reference = ref.Reference(folder)
    day = DAY.isoformat()
    people = sorted(ref.candidates(folder, day))
    best = dict.fromkeys(people, 0)
    listed = set()
    for vacancy_id in sorted(ref.open_vacancies(folder, day)):
        listing = reference.listing(vacancy_id, day)
        for cid, units in listing:
            best[cid] = max(best[cid], units)
        listed.update(cid for cid, units in listing[:top] if units > 0)
    clients = {c["client_id"]: c for c in ref.rows(folder, "clients.csv")}
    keys = {
        "gender": lambda c: c["gender"] or "onbekend",
        "age_band": lambda c: _band(c["birth_date"]),
        "statushouder": lambda c: {"1": "statushouder", "0": "geen statushouder"}.get(
            c["statushouder"], "onbekend"
        ),
    }
    out = {}
    for dimension, key in keys.items():
        groups: dict[str, list[str]] = {}
        for cid in people:
            groups.setdefault(key(clients[cid]), []).append(cid)
        out[dimension] = {
            g: (len(ids), sum(c in listed for c in ids) / len(ids), statistics.mean(best[c] for c in ids))
            for g, ids in groups.items()
        }
    return {"n": len(people), "dimensions": out}


@pytest.mark.parametrize("seed", [5, 8])
def test_groups_equal_the_independent_reference(tmp_path, seed):
    folder = make_folder(tmp_path / "f", seed=seed, n_clients=36, n_vacancies=7)
    call_command("import", str(folder))
    result = matching_fairness(DAY, top=3, min_n=1)
    expected = _reference(folder, top=3)
    assert result["n"] == expected["n"] > 0
    for dimension, groups in expected["dimensions"].items():
        got = {g["group"]: g for g in result["dimensions"][dimension]["groups"]}
        assert set(got) == set(groups)
        for group, (n, share, mean_units) in groups.items():
            assert got[group]["n"] == n
            assert got[group]["listed_share"] == pytest.approx(share, abs=1e-4)
            assert got[group]["mean_best_score"] == pytest.approx(round(mean_units) / 10_000, abs=1e-4)


def test_small_groups_are_suppressed_and_left_out_of_the_ratio(tmp_path):
    folder = make_folder(tmp_path / "f", seed=5, n_clients=36, n_vacancies=7)
    call_command("import", str(folder))
    result = matching_fairness(DAY, top=3, min_n=8)
    for dimension in result["dimensions"].values():
        shown = [g for g in dimension["groups"] if not g["suppressed"]]
        for g in dimension["groups"]:
            if g["suppressed"]:
                assert g["n"] is None and g["listed_share"] is None and g["mean_best_score"] is None
        named = {dimension["disparate_impact"]["lowest"], dimension["disparate_impact"]["highest"]} - {None}
        assert named <= {g["group"] for g in shown}


def test_the_command_prints_one_json_object_and_refuses_bad_input(tmp_path, capsys):
    folder = make_folder(tmp_path / "f", seed=8, n_clients=20, n_vacancies=5)
    call_command("import", str(folder))
    capsys.readouterr()
    call_command("fairness", "matching", "--as-of", DAY.isoformat(), "--top", "3", "--min-n", "1", "--json")
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data == json.loads(json.dumps(matching_fairness(DAY, top=3, min_n=1)))
    call_command("fairness", "matching", "--as-of", DAY.isoformat())
    assert capsys.readouterr().out.startswith("Eerlijkheidsrapport matching\n")
    with pytest.raises(CommandError):
        call_command("fairness", "matching", "--as-of", "2025-13-01")
    with pytest.raises(CommandError):
        call_command("fairness", "matching", "--top", "0")
