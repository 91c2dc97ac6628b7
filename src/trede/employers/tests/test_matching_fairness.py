"""`trede fairness matching` against the independent matching reference and a plain recount
of the groups from the interchange CSVs."""

from __future__ import annotations

import json
import random
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


def _propose_some(folder, seed: int) -> tuple[dict, dict]:
    """Random voordrachten over the imported clients: some before DAY, some after, some hired
    (before or after DAY), some rejected. Returns per client the expected proposed/hired on DAY."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from trede.employers.models import Vacancy, Voordracht

    rnd = random.Random(seed)
    vacancies = list(Vacancy.objects.order_by("pk"))
    proposed, hired = {}, {}
    for c in ref.rows(folder, "clients.csv"):
        if rnd.random() < 0.4:
            continue
        cid = c["client_id"]
        for vacancy in rnd.sample(vacancies, rnd.randint(1, 2)):
            offset = rnd.choice([-30, -1, 0, 5])
            status = rnd.choice(["voorgesteld", "toestemming", "aangenomen", "afgewezen"])
            outcome = (
                DAY + timedelta(days=rnd.choice([-2, 0, 3]))
                if status in ("aangenomen", "afgewezen")
                else None
            )
            v = Voordracht.objects.create(
                vacancy=vacancy,
                client_id=cid,
                status=status,
                outcome_on=outcome,
                rejection_reason="past niet" if status == "afgewezen" else "",
            )
            at = timezone.make_aware(datetime.combine(DAY + timedelta(days=offset), datetime.min.time()))
            Voordracht.objects.filter(pk=v.pk).update(proposed_at=at + timedelta(hours=12))
            if offset <= 0:
                proposed[cid] = True
                if status == "aangenomen" and outcome <= DAY:
                    hired[cid] = True
    return proposed, hired


@pytest.mark.parametrize("seed", [5, 8])
def test_proposed_and_hired_are_counted_per_group(tmp_path, seed):
    folder = make_folder(tmp_path / "f", seed=seed, n_clients=36, n_vacancies=7)
    call_command("import", str(folder))
    proposed, hired = _propose_some(folder, seed)
    assert proposed and hired and len(hired) < len(proposed)
    result = matching_fairness(DAY, top=3, min_n=1)
    clients = {c["client_id"]: c for c in ref.rows(folder, "clients.csv")}
    keys = {
        "gender": lambda c: c["gender"] or "onbekend",
        "age_band": lambda c: _band(c["birth_date"]),
        "statushouder": lambda c: {"1": "statushouder", "0": "geen statushouder"}.get(
            c["statushouder"], "onbekend"
        ),
    }
    people = set(ref.candidates(folder, DAY.isoformat()))
    outcomes = result["outcomes"]
    assert outcomes["n"] == len(proposed) and outcomes["hired"] == len(hired)
    for dimension, key in keys.items():
        groups: dict[str, list[str]] = {}
        for cid in proposed:
            groups.setdefault(key(clients[cid]), []).append(cid)
        got = {g["group"]: g for g in outcomes["dimensions"][dimension]["groups"]}
        assert set(got) == set(groups)
        shares = {}
        for group, ids in groups.items():
            n_hired = sum(1 for c in ids if c in hired)
            assert got[group]["proposed"] == len(ids)
            assert got[group]["hired"] == n_hired
            assert got[group]["hired_share"] == pytest.approx(n_hired / len(ids), abs=1e-4)
            if group != "onbekend":
                shares[group] = n_hired / len(ids)
        di = outcomes["dimensions"][dimension]["disparate_impact"]
        if len(shares) >= 2 and max(shares.values()) > 0:
            assert di["ratio"] == pytest.approx(min(shares.values()) / max(shares.values()), abs=1e-4)
        # Among the candidates: the share proposed, per group.
        cand_groups: dict[str, list[str]] = {}
        for cid in people:
            cand_groups.setdefault(key(clients[cid]), []).append(cid)
        got = {g["group"]: g for g in result["dimensions"][dimension]["groups"]}
        for group, ids in cand_groups.items():
            share = sum(1 for c in ids if c in proposed) / len(ids)
            assert got[group]["proposed_share"] == pytest.approx(share, abs=1e-4)


def test_small_groups_of_the_proposed_are_suppressed(tmp_path):
    folder = make_folder(tmp_path / "f", seed=5, n_clients=36, n_vacancies=7)
    call_command("import", str(folder))
    _propose_some(folder, 5)
    result = matching_fairness(DAY, top=3, min_n=6)
    for dimension in result["outcomes"]["dimensions"].values():
        for g in dimension["groups"]:
            if g["suppressed"]:
                assert g["proposed"] is None and g["hired"] is None and g["hired_share"] is None
            else:
                assert g["proposed"] >= 6
        named = {dimension["disparate_impact"]["lowest"], dimension["disparate_impact"]["highest"]} - {None}
        assert named <= {g["group"] for g in dimension["groups"] if not g["suppressed"]}


def test_the_text_report_shows_the_proposed_and_hired(tmp_path, capsys):
    folder = make_folder(tmp_path / "f", seed=8, n_clients=36, n_vacancies=7)
    call_command("import", str(folder))
    proposed, hired = _propose_some(folder, 8)
    capsys.readouterr()
    call_command("fairness", "matching", "--as-of", DAY.isoformat(), "--top", "3", "--min-n", "1")
    out = capsys.readouterr().out
    assert (
        f"Voordrachten tot en met de peildatum: {len(proposed)} klanten voorgedragen, {len(hired)} aangenomen."
        in out
    )
    assert "Disparate impact (laagste / hoogste aandeel aangenomen)" in out
