"""`trede match vacancy|client|assign` against the independent reference (reference_matching).

Random interchange folders with every case the contract names: benefits of every
regulation starting and ending around D, placements running or not on D, vacancies
opening and closing on D, positions, occupations near each other in the ISCO tree, skills
written in other case, postcodes without a centroid, clients without a profile.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from scipy.optimize import Bounds, LinearConstraint, milp

from trede.audit.models import AuditEvent
from trede.conftest import write_folder

from . import reference_matching as ref

DAY = date(2025, 6, 1)
OCCUPATIONS = ["5120", "5131", "5132", "5141", "9112", "9121", "4110", "4321", "7115", "2512"]
SKILLS = ["koken", "hygiëne", "Engels", "kassa", "VCA", "heftruck", "rijbewijs B", "klantvriendelijk"]
POSTCODES = {
    "5611": (51.4381, 5.4752),
    "5612": (51.4465, 5.4878),
    "5621": (51.4640, 5.4430),
    "5700": (51.4797, 5.6570),
    "6211": (50.8514, 5.6910),
}


def _d(offset: int) -> str:
    return (DAY + timedelta(days=offset)).isoformat()


def make_folder(path, seed: int, n_clients: int = 40, n_vacancies: int = 9):
    rnd = random.Random(seed)
    pcs = [*POSTCODES, "9999", ""]  # 9999 has no centroid, '' no postcode at all
    clients, benefits, profiles, placements = [], [], [], []
    for i in range(n_clients):
        cid = f"K{i:03d}"
        clients.append(
            {
                "client_id": cid,
                "birth_date": f"{rnd.randint(1960, 2004)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                "gender": rnd.choice(["man", "vrouw", "x", ""]),
                "household": rnd.choice(["alleenstaand", "gehuwd_samenwonend", ""]),
                "dutch_language": rnd.choice(["a1", "a2", "b1", "b2", "moedertaal", "onbekend", ""]),
                "statushouder": rnd.choice(["0", "1", ""]),
                "postcode4": rnd.choice(pcs),
            }
        )
        for j in range(rnd.choice([0, 1, 1, 2])):
            start = rnd.randint(-400, 10)
            end = rnd.choice(["", _d(rnd.randint(start + 1, 60)), _d(max(0, start + 1))])
            benefits.append(
                {
                    "benefit_id": f"B{i:03d}{j}",
                    "client_id": cid,
                    "regulation": rnd.choice(["pw", "ioaw", "ioaz", "bbz"]),
                    "start_date": _d(start),
                    "end_date": end,
                    "end_reason": "werk" if end else "",
                }
            )
        if rnd.random() < 0.85:
            profiles.append(
                {
                    "client_id": cid,
                    "desired_occupations": ";".join(rnd.sample(OCCUPATIONS, rnd.randint(0, 3))),
                    "skills": ";".join(
                        s.upper() if rnd.random() < 0.3 else s for s in rnd.sample(SKILLS, rnd.randint(0, 4))
                    ),
                    "hours_available": rnd.choice(["", "16", "24", "32", "36", "40"]),
                    "max_travel_km": rnd.choice(["", "2", "10", "40", "200"]),
                }
            )
        if rnd.random() < 0.25:
            start = rnd.randint(-100, 5)
            placements.append(
                {
                    "placement_id": f"P{i:03d}",
                    "client_id": cid,
                    "start_date": _d(start),
                    "end_date": rnd.choice(["", _d(max(0, start + 1)), _d(rnd.randint(start + 1, 60))]),
                }
            )
    employers = [{"employer_id": f"W{k}", "postcode4": pc} for k, pc in enumerate(pcs)]
    vacancies = []
    for k in range(n_vacancies):
        open_offset = rnd.choice([-30, -1, 0, 0, 1])
        vacancies.append(
            {
                "vacancy_id": f"V{k:02d}",
                "employer_id": rnd.choice(employers)["employer_id"],
                "occupation_code": rnd.choice([*OCCUPATIONS, ""]),
                "hours_per_week": rnd.choice(["", "20", "32", "38"]),
                "open_date": _d(open_offset),
                "close_date": rnd.choice(["", "", _d(max(0, open_offset + 1)), _d(1), _d(30)]),
                "skills": ";".join(rnd.sample(SKILLS, rnd.randint(0, 4))),
                "positions": rnd.choice(["", "1", "2", "3"]),
            }
        )
    postcodes = [{"postcode4": pc, "lat": str(lat), "lon": str(lon)} for pc, (lat, lon) in POSTCODES.items()]
    postcodes.append({"postcode4": "9999", "lat": "", "lon": ""})
    return write_folder(
        path,
        {
            "clients.csv": clients,
            "benefits.csv": benefits,
            "client_profiles.csv": profiles,
            "placements.csv": placements
            or [{"placement_id": "P", "client_id": "K000", "start_date": _d(-900), "end_date": _d(-800)}],
            "employers.csv": employers,
            "vacancies.csv": vacancies,
            "postcodes.csv": postcodes,
        },
    )


def run(capsys, *args) -> dict:
    capsys.readouterr()
    call_command("match", *args, "--json")
    out = capsys.readouterr().out
    return json.loads(out)  # exactly one JSON object


def milp_total(pairs: dict[str, dict[str, int]], capacity: dict[str, int]) -> int:
    """The optimum as an integer programme (scipy.milp), another method than the engine's."""
    edges = [(v, c, u) for v, scores in pairs.items() for c, u in scores.items()]
    if not edges:
        return 0
    vs, cs = sorted(pairs), sorted({c for _, c, _ in edges})
    a = np.zeros((len(vs) + len(cs), len(edges)))
    for k, (v, c, _) in enumerate(edges):
        a[vs.index(v), k] = 1
        a[len(vs) + cs.index(c), k] = 1
    upper = [capacity[v] for v in vs] + [1] * len(cs)
    res = milp(
        c=-np.array([u for *_, u in edges], dtype=float),
        constraints=LinearConstraint(a, 0, upper),
        integrality=np.ones(len(edges)),
        bounds=Bounds(0, 1),
    )
    return round(-res.fun)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_match_commands_follow_the_reference(tmp_path, capsys, seed):
    folder = make_folder(tmp_path / "data", seed)
    call_command("import", str(folder))
    reference = ref.Reference(folder)
    as_of = DAY.isoformat()
    candidates = ref.candidates(folder, as_of)
    open_ids = ref.open_vacancies(folder, as_of)
    assert candidates and open_ids
    listed: dict[str, dict[str, int]] = {}
    for vacancy_id in sorted(reference.vacancies):
        got = run(capsys, "vacancy", vacancy_id, "--top", "0", "--as-of", as_of)
        assert set(got) == {"vacancy_id", "as_of", "candidates"}
        assert got["vacancy_id"] == vacancy_id and got["as_of"] == as_of
        expected = reference.listing(vacancy_id, as_of)
        assert [(c["client_id"], round(c["score"] * 10000)) for c in got["candidates"]] == expected
        for c in got["candidates"]:
            assert 0 <= c["score"] <= 1 and c["score"] == round(c["score"], 4)
            assert set(c) == {"client_id", "score", "reasons"} and len(c["reasons"]) == 5
            assert all(isinstance(r, str) and r for r in c["reasons"])
        top = run(capsys, "vacancy", vacancy_id, "--as-of", as_of)
        assert top["candidates"] == got["candidates"][:20]
        top3 = run(capsys, "vacancy", vacancy_id, "--as-of", as_of, "--top", "3")
        assert top3["candidates"] == got["candidates"][:3]
        if vacancy_id in open_ids:
            listed[vacancy_id] = {c["client_id"]: round(c["score"] * 10000) for c in got["candidates"]}
        else:
            assert got["candidates"] == []

    # The other direction: the same pairs with the same scores, best first, ties by id.
    for client_id in sorted(reference.clients)[:15]:
        got = run(capsys, "client", client_id, "--top", "0", "--as-of", as_of)
        assert set(got) == {"client_id", "as_of", "vacancies"}
        expected = sorted(
            ((v, scores[client_id]) for v, scores in listed.items() if client_id in scores),
            key=lambda x: (-x[1], x[0]),
        )
        assert [(v["vacancy_id"], round(v["score"] * 10000)) for v in got["vacancies"]] == expected
        if client_id not in candidates:
            assert got["vacancies"] == []

    # The assignment: listed pairs only, with their listed scores, capacities kept, optimal.
    ids = sorted(reference.vacancies)
    got = run(capsys, "assign", "--vacancies", ",".join(ids), "--as-of", as_of)
    assert set(got) == {"as_of", "pairs", "total_score"}
    capacity = {v: int(reference.vacancies[v]["positions"] or 1) for v in ids}
    seen_clients = [p["client_id"] for p in got["pairs"]]
    assert len(seen_clients) == len(set(seen_clients))
    for v in ids:
        assert sum(p["vacancy_id"] == v for p in got["pairs"]) <= capacity[v]
    for p in got["pairs"]:
        assert listed[p["vacancy_id"]][p["client_id"]] == round(p["score"] * 10000)
    units = sum(round(p["score"] * 10000) for p in got["pairs"])
    assert round(got["total_score"] * 10000) == units
    assert got["total_score"] == units / 10000
    assert units == milp_total({v: listed.get(v, {}) for v in ids}, capacity)
    assert units == milp_total(listed, capacity)
    # A subset of vacancies and the LP method give the same optimum.
    some = ids[::2]
    for method in ("dense", "lp"):
        sub = run(capsys, "assign", "--vacancies", ",".join(some), "--as-of", as_of, "--method", method)
        assert round(sub["total_score"] * 10000) == milp_total(
            {v: listed[v] for v in some if v in listed}, capacity
        )


@pytest.mark.django_db
def test_no_centroid_is_said_and_distance_rules(tmp_path, capsys):
    folder = write_folder(
        tmp_path / "d",
        {
            "clients.csv": [
                {"client_id": "A", "birth_date": "1990-01-01", "postcode4": "5611", "dutch_language": "b1"},
                {"client_id": "B", "birth_date": "1990-01-01", "postcode4": "9999", "dutch_language": "b1"},
                {"client_id": "C", "birth_date": "1990-01-01", "postcode4": "6211", "dutch_language": "b1"},
            ],
            "benefits.csv": [
                {"benefit_id": x, "client_id": x, "regulation": "pw", "start_date": "2024-01-01"}
                for x in "ABC"
            ],
            "client_profiles.csv": [
                {
                    "client_id": x,
                    "desired_occupations": "5120",
                    "skills": "koken",
                    "hours_available": "32",
                    "max_travel_km": "20",
                }
                for x in "ABC"
            ],
            "employers.csv": [{"employer_id": "W", "postcode4": "5612"}],
            "vacancies.csv": [
                {
                    "vacancy_id": "V",
                    "employer_id": "W",
                    "occupation_code": "5120",
                    "hours_per_week": "32",
                    "open_date": "2025-01-01",
                    "skills": "Koken",
                }
            ],
            "postcodes.csv": [
                {"postcode4": pc, "lat": str(p[0]), "lon": str(p[1])} for pc, p in POSTCODES.items()
            ],
        },
    )
    call_command("import", str(folder))
    got = run(capsys, "vacancy", "V", "--as-of", "2025-06-01")
    by_id = {c["client_id"]: c for c in got["candidates"]}
    assert set(by_id) == {"A", "B"}  # C lives ~70 km away, beyond its own 20 km: left out
    assert by_id["B"]["score"] == 1.0  # everything else fits; scored without distance
    assert "geen centrum bekend voor postcode 9999" in " ".join(by_id["B"]["reasons"])
    assert "zonder afstand" in " ".join(by_id["B"]["reasons"])
    assert 0.95 < by_id["A"]["score"] < 1.0  # about 1.2 km of 20
    assert [c["client_id"] for c in got["candidates"]] == ["B", "A"]
    assert "Vaardigheden: 1 van de 1" in by_id["A"]["reasons"][1]
    # Every client the result named is logged as read, with one row for the run.
    assert set(AuditEvent.objects.filter(event="match_listed").values_list("client_id", flat=True)) == {
        "A",
        "B",
    }
    assert AuditEvent.objects.filter(event="match_run").count() == 1


@pytest.mark.django_db
def test_wrong_usage_and_unknown_ids(tmp_path, capsys):
    folder = make_folder(tmp_path / "data", 5, n_clients=5, n_vacancies=2)
    call_command("import", str(folder))
    with pytest.raises(CommandError) as err:
        call_command("match", "vacancy", "NOPE", "--json")
    assert err.value.returncode == 1
    with pytest.raises(CommandError) as err:
        call_command("match", "client", "K000", "--top", "-1", "--json")
    assert err.value.returncode == 2
    with pytest.raises(CommandError) as err:
        call_command("match", "assign", "--vacancies", "V00,NOPE", "--json")
    assert err.value.returncode == 1
    with pytest.raises(CommandError) as err:
        call_command("match", "vacancy", "V00", "--as-of", "2025-02-30", "--json")
    assert err.value.returncode == 2
